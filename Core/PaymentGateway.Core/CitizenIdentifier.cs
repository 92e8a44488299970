namespace PaymentGateway.Core;

/// <summary>
/// A citizen (natural person) as the dossier knows them: a 16-character <see cref="PersonalFiscalCode"/>, or the
/// 11-digit temporary fiscal code (<i>codice fiscale provvisorio</i>, same check digit as an
/// <see cref="OrganizationFiscalCode"/>) some people have instead, as a <see cref="DebtorIdentifier"/> of type
/// <c>F</c> — the form debt positions store their debtor in. SPID and CIE identity providers prefix the fiscal number
/// with the ISO country code (<c>TINIT-</c>), which is stripped.
/// </summary>
public static class CitizenIdentifier
{
    /// <summary>The prefix SPID/CIE put before an Italian fiscal number (<c>fiscalNumber</c> attribute).</summary>
    public const string NationalPrefix = "TINIT-";

    /// <summary>Parses a citizen's fiscal code, with or without the <c>TINIT-</c> prefix (case-insensitive).</summary>
    /// <param name="text">The text, e.g. a token claim or a path segment.</param>
    /// <param name="identifier">The identifier (type <c>F</c>, upper case), or <c>default</c> on failure.</param>
    /// <returns>True for a valid personal fiscal code or an 11-digit code with a valid check digit.</returns>
    public static bool TryParse(string? text, out DebtorIdentifier identifier)
    {
        identifier = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        var value = text.StartsWith(NationalPrefix, StringComparison.OrdinalIgnoreCase) ? text[NationalPrefix.Length..] : text;
        if (PersonalFiscalCode.TryParse(value, out var personal))
        {
            return DebtorIdentifier.TryCreate(EntityType.Person, personal.Value, out identifier, out _);
        }
        return OrganizationFiscalCode.TryParse(value, out var temporary)
            && DebtorIdentifier.TryCreate(EntityType.Person, temporary.Value, out identifier, out _);
    }
}
