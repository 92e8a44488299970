using System.Globalization;
using System.Text;

namespace PaymentGateway.Core;

/// <summary>
/// An IBAN (ISO 13616), normalized: spaces removed, upper case. 15..34 characters, country code, two check digits
/// (mod 97 of the rearranged number must be 1). Italian IBANs (<c>IT</c>) must be 27 characters:
/// <c>IT</c> + check digits + CIN letter + ABI (5 digits) + CAB (5 digits) + account (12 alphanumerics).
/// An Italian IBAN with ABI <c>07601</c> (Poste Italiane BancoPosta) is a postal IBAN (<see cref="IsPostal"/>).
/// </summary>
/// <remarks><c>default</c> is not a valid IBAN; <see cref="IsDefault"/> is true and <see cref="Value"/> is empty.</remarks>
public readonly record struct Iban
{
    /// <summary>The ABI code of Poste Italiane BancoPosta.</summary>
    public const string PosteItalianeAbi = "07601";

    private const int ItalianLength = 27;

    private readonly string? _value;

    private Iban(string value) => _value = value;

    /// <summary>The normalized IBAN (empty for <c>default</c>).</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>True for <c>default</c>, which is not a valid IBAN.</summary>
    public bool IsDefault => _value is null;

    /// <summary>The ISO 3166 country code (first two letters).</summary>
    public string CountryCode => IsDefault ? string.Empty : Value[..2];

    /// <summary>True for an <c>IT</c> IBAN.</summary>
    public bool IsItalian => CountryCode == "IT";

    /// <summary>The ABI (bank) code of an Italian IBAN, otherwise null.</summary>
    public string? Abi => IsItalian ? Value[5..10] : null;

    /// <summary>The CAB (branch) code of an Italian IBAN, otherwise null.</summary>
    public string? Cab => IsItalian ? Value[10..15] : null;

    /// <summary>True for an Italian IBAN of Poste Italiane BancoPosta (ABI 07601): a postal current account.</summary>
    public bool IsPostal => Abi == PosteItalianeAbi;

    /// <summary>The 12-character account part of a postal IBAN (the <i>conto corrente postale</i>), otherwise null.</summary>
    public string? PostalAccountNumber => IsPostal ? Value[15..] : null;

    /// <summary>Parses an IBAN; spaces are ignored and letters may be lower case.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The IBAN, or <c>default</c> on failure.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParse(string? text, out Iban value) => TryParseCore(text, out value) is null;

    /// <summary>Parses an IBAN; spaces are ignored and letters may be lower case.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The IBAN.</returns>
    /// <exception cref="FormatException">The text is not valid; the message says why.</exception>
    public static Iban Parse(string text) =>
        TryParseCore(text, out var value) is { } error ? throw new FormatException(error) : value;

    /// <summary>The printed form: groups of 4 separated by single spaces, e.g. <c>IT60 X054 2811 1010 0000 0123 456</c>.</summary>
    /// <returns>The printed IBAN.</returns>
    public string ToPrintedString()
    {
        var v = Value;
        var printed = new StringBuilder(v.Length + (v.Length / 4));
        for (var i = 0; i < v.Length; i++)
        {
            if (i > 0 && i % 4 == 0)
            {
                printed.Append(' ');
            }

            printed.Append(v[i]);
        }

        return printed.ToString();
    }

    /// <summary>The normalized IBAN.</summary>
    /// <returns>The IBAN text.</returns>
    public override string ToString() => Value;

    private static int Mod97(ReadOnlySpan<char> bban, ReadOnlySpan<char> countryAndCheck)
    {
        var remainder = 0;
        foreach (var c in bban)
        {
            remainder = Step(remainder, c);
        }

        foreach (var c in countryAndCheck)
        {
            remainder = Step(remainder, c);
        }

        return remainder;

        static int Step(int remainder, char c) =>
            char.IsAsciiDigit(c) ? ((remainder * 10) + (c - '0')) % 97 : ((remainder * 100) + (c - 'A' + 10)) % 97;
    }

    private static string? TryParseCore(string? text, out Iban value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return "IBAN is empty";
        }

        var iban = text.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        if (iban.Length is < 15 or > 34)
        {
            return $"IBAN must be 15 to 34 characters, got {iban.Length}";
        }

        if (!char.IsAsciiLetterUpper(iban[0]) || !char.IsAsciiLetterUpper(iban[1]))
        {
            return $"IBAN must start with a 2-letter country code, got '{iban[..2]}'";
        }

        if (!char.IsAsciiDigit(iban[2]) || !char.IsAsciiDigit(iban[3]))
        {
            return $"IBAN check digits must be 2 digits, got '{iban[2..4]}'";
        }

        for (var i = 4; i < iban.Length; i++)
        {
            if (!char.IsAsciiDigit(iban[i]) && !char.IsAsciiLetterUpper(iban[i]))
            {
                return $"IBAN may only contain letters and digits, found '{iban[i]}' at position {i + 1}";
            }
        }

        if (iban.StartsWith("IT", StringComparison.Ordinal) && ItalianFormatError(iban) is { } italianError)
        {
            return italianError;
        }

        if (Mod97(iban.AsSpan(4), iban.AsSpan(0, 4)) != 1)
        {
            var expected = 98 - Mod97(iban.AsSpan(4), string.Concat(iban.AsSpan(0, 2), "00"));
            return string.Create(
                CultureInfo.InvariantCulture, $"IBAN check digits are {iban[2..4]}, expected {expected:00}");
        }

        value = new Iban(iban);
        return null;
    }

    private static string? ItalianFormatError(string iban)
    {
        if (iban.Length != ItalianLength)
        {
            return $"Italian IBAN must be {ItalianLength} characters, got {iban.Length}";
        }

        if (!char.IsAsciiLetterUpper(iban[4]))
        {
            return $"Italian IBAN must have a CIN letter at position 5, found '{iban[4]}'";
        }

        for (var i = 5; i < 15; i++)
        {
            if (!char.IsAsciiDigit(iban[i]))
            {
                return $"Italian IBAN must have ABI and CAB digits at positions 6-15, found '{iban[i]}' at position {i + 1}";
            }
        }

        return null;
    }
}
