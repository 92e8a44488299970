namespace PaymentGateway.Core;

/// <summary>
/// The debtor's unique identifier (XSD <c>ctEntityUniqueIdentifier</c>): a type (<c>F</c>/<c>G</c>) and a value of
/// 2..16 characters <c>[A-Z0-9]</c>, normalized to upper case. Usually a <see cref="PersonalFiscalCode"/> (F) or an
/// <see cref="OrganizationFiscalCode"/> (G), but generic identifiers (e.g. foreigners without an Italian fiscal
/// code) are accepted, and <c>ANONIMO</c> is allowed for a person.
/// </summary>
/// <remarks>
/// Typo rules: a 16-character value under <c>F</c> that has the structure of a personal fiscal code but a wrong
/// check letter is rejected (it is a mistyped fiscal code, not a foreign identifier); likewise an 11-digit value
/// under <c>G</c> with a wrong check digit is rejected. <c>ANONIMO</c> under <c>G</c> is rejected.
/// <c>default</c> is not a valid identifier; <see cref="IsDefault"/> is true and <see cref="Value"/> is empty.
/// The canonical text (<see cref="ToString"/>/<see cref="Parse"/>) is <c>TYPE:VALUE</c>, e.g. <c>F:RSSMRA85T10A562S</c>.
/// </remarks>
public readonly record struct DebtorIdentifier
{
    /// <summary>The value pagoPA uses for an anonymous person.</summary>
    public const string Anonymous = "ANONIMO";

    private readonly string? _value;

    private DebtorIdentifier(EntityType type, string value)
    {
        Type = type;
        _value = value;
    }

    /// <summary>Person (<c>F</c>) or legal entity (<c>G</c>).</summary>
    public EntityType Type { get; }

    /// <summary>The upper-case identifier value (empty for <c>default</c>).</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>True for <c>default</c>, which is not a valid identifier.</summary>
    public bool IsDefault => _value is null;

    /// <summary>True for a person identified as <c>ANONIMO</c>.</summary>
    public bool IsAnonymous => Type == EntityType.Person && Value == Anonymous;

    /// <summary>Validates and creates an identifier.</summary>
    /// <param name="type">F or G.</param>
    /// <param name="value">The identifier (case-insensitive).</param>
    /// <param name="identifier">The identifier, or <c>default</c> on failure.</param>
    /// <param name="error">Empty on success, otherwise why the value is refused.</param>
    /// <returns>True when valid.</returns>
    public static bool TryCreate(EntityType type, string? value, out DebtorIdentifier identifier, out string error)
    {
        identifier = default;
        error = Validate(type, value, out var upper) ?? string.Empty;
        if (error.Length > 0)
        {
            return false;
        }

        identifier = new DebtorIdentifier(type, upper!);
        return true;
    }

    /// <summary>Validates and creates an identifier.</summary>
    /// <param name="type">F or G.</param>
    /// <param name="value">The identifier (case-insensitive).</param>
    /// <returns>The identifier.</returns>
    /// <exception cref="ArgumentException">The value is refused; the message says why.</exception>
    public static DebtorIdentifier Create(EntityType type, string value) =>
        TryCreate(type, value, out var identifier, out var error) ? identifier : throw new ArgumentException(error, nameof(value));

    /// <summary>Parses the canonical text <c>F:VALUE</c> or <c>G:VALUE</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The identifier, or <c>default</c> on failure.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParse(string? text, out DebtorIdentifier value) => TryParseCore(text, out value) is null;

    /// <summary>Parses the canonical text <c>F:VALUE</c> or <c>G:VALUE</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The identifier.</returns>
    /// <exception cref="FormatException">The text is not valid; the message says why.</exception>
    public static DebtorIdentifier Parse(string text) =>
        TryParseCore(text, out var value) is { } error ? throw new FormatException(error) : value;

    /// <summary>The value as a personal fiscal code, or null when it is not one (generic id, ANONIMO, …).</summary>
    /// <returns>The fiscal code or null.</returns>
    public PersonalFiscalCode? AsPersonalFiscalCode() =>
        PersonalFiscalCode.TryParse(_value, out var code) ? code : null;

    /// <summary>The value as an organization fiscal code (11 digits with valid check digit), or null.</summary>
    /// <returns>The fiscal code or null.</returns>
    public OrganizationFiscalCode? AsOrganizationFiscalCode() =>
        OrganizationFiscalCode.TryParse(_value, out var code) ? code : null;

    /// <summary>The canonical text <c>TYPE:VALUE</c>, e.g. <c>F:RSSMRA85T10A562S</c> (empty for <c>default</c>).</summary>
    /// <returns>The identifier text.</returns>
    public override string ToString() => IsDefault ? string.Empty : $"{(char)Type}:{Value}";

    private static string? Validate(EntityType type, string? value, out string? upper)
    {
        upper = null;
        if (type is not (EntityType.Person or EntityType.LegalEntity))
        {
            return $"entity type {(int)type} is not F or G";
        }

        if (string.IsNullOrEmpty(value))
        {
            return "debtor identifier is empty";
        }

        var normalized = value.ToUpperInvariant();
        if (normalized.Length is < 2 or > 16)
        {
            return $"debtor identifier must be 2 to 16 characters, got {normalized.Length}";
        }

        foreach (var c in normalized)
        {
            if (!char.IsAsciiDigit(c) && !char.IsAsciiLetterUpper(c))
            {
                return $"debtor identifier may only contain letters and digits, found '{c}'";
            }
        }

        if (normalized == Anonymous && type != EntityType.Person)
        {
            return "ANONIMO is only allowed for a person (F)";
        }

        if (type == EntityType.Person && PersonalFiscalCode.HasStructure(normalized)
            && !PersonalFiscalCode.TryParse(normalized, out _))
        {
            return $"debtor identifier looks like a personal fiscal code but its check letter is {normalized[15]}, expected {PersonalFiscalCode.ComputeCheckChar(normalized.AsSpan(0, 15))}";
        }

        if (type == EntityType.LegalEntity && normalized.Length == OrganizationFiscalCode.Length
            && normalized.All(char.IsAsciiDigit)
            && OrganizationFiscalCode.TryParseCore(normalized, out _) is { } fiscalCodeError)
        {
            return $"debtor identifier looks like an organization fiscal code but {fiscalCodeError}";
        }

        upper = normalized;
        return null;
    }

    private static string? TryParseCore(string? text, out DebtorIdentifier value)
    {
        value = default;
        if (text is null || text.Length < 3 || text[1] != ':')
        {
            return $"debtor identifier '{text}' must look like F:VALUE or G:VALUE";
        }

        var type = (EntityType)char.ToUpperInvariant(text[0]);
        if (Validate(type, text[2..], out var upper) is { } error)
        {
            return error;
        }

        value = new DebtorIdentifier(type, upper!);
        return null;
    }
}
