namespace PaymentGateway.Core;

/// <summary>
/// The fiscal code of a creditor entity (EC, XSD <c>stFiscalCodePA</c> / <c>fiscalCodePA</c>): 11 digits whose last
/// digit is the Italian numeric fiscal code / partita IVA check digit (Luhn-like: odd positions as they are, even
/// positions doubled minus 9 when above 9, check = (10 − sum mod 10) mod 10).
/// </summary>
/// <remarks>
/// <c>00000000000</c> passes the checksum but belongs to no entity and is rejected. Note that some pagoPA
/// documentation samples (e.g. <c>77777777777</c>) do not pass the checksum and are therefore rejected too.
/// <c>default</c> is not a valid fiscal code; <see cref="IsDefault"/> is true and <see cref="Value"/> is empty.
/// </remarks>
public readonly record struct OrganizationFiscalCode
{
    /// <summary>Number of digits.</summary>
    public const int Length = 11;

    private readonly string? _value;

    private OrganizationFiscalCode(string value) => _value = value;

    /// <summary>The 11 digits (empty for <c>default</c>).</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>True for <c>default</c>, which is not a valid fiscal code.</summary>
    public bool IsDefault => _value is null;

    /// <summary>Parses 11 digits with a valid check digit.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The fiscal code, or <c>default</c> on failure.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParse(string? text, out OrganizationFiscalCode value) => TryParseCore(text, out value) is null;

    /// <summary>Parses 11 digits with a valid check digit.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The fiscal code.</returns>
    /// <exception cref="FormatException">The text is not valid; the message says why.</exception>
    public static OrganizationFiscalCode Parse(string text) =>
        TryParseCore(text, out var value) is { } error ? throw new FormatException(error) : value;

    /// <summary>The 11 digits.</summary>
    /// <returns>The fiscal code text.</returns>
    public override string ToString() => Value;

    /// <summary>Computes the check digit of the first 10 digits (already validated as digits).</summary>
    internal static int ComputeCheckDigit(ReadOnlySpan<char> first10)
    {
        var sum = 0;
        for (var i = 0; i < 10; i++)
        {
            var d = first10[i] - '0';
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return (10 - (sum % 10)) % 10;
    }

    internal static string? TryParseCore(string? text, out OrganizationFiscalCode value)
    {
        value = default;
        if (Digits.CheckExactDigits(text, Length, "organization fiscal code") is { } error)
        {
            return error;
        }

        var expected = ComputeCheckDigit(text.AsSpan(0, 10));
        var actual = text![10] - '0';
        if (actual != expected)
        {
            return $"organization fiscal code check digit is {actual}, expected {expected}";
        }

        if (text == "00000000000")
        {
            return "organization fiscal code 00000000000 is a placeholder, not an entity";
        }

        value = new OrganizationFiscalCode(text);
        return null;
    }
}
