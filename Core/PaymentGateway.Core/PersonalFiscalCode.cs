namespace PaymentGateway.Core;

/// <summary>
/// The 16-character Italian personal fiscal code (<i>codice fiscale</i> of a natural person), normalized to upper
/// case. Structure: surname (3 letters), name (3 letters), year (2), month letter (<c>ABCDEHLMPRST</c>), day
/// (01–31, +40 for women: 41–71), cadastral code (letter + 3), check letter. In case of <i>omocodia</i> the digits at
/// 0-based positions 6, 7, 9, 10, 12, 13, 14 may be replaced by <c>L M N P Q R S T U V</c> (for 0–9). The check
/// letter is computed with the official odd/even conversion tables, sum mod 26.
/// </summary>
/// <remarks><c>default</c> is not a valid fiscal code; <see cref="IsDefault"/> is true and <see cref="Value"/> is empty.</remarks>
public readonly record struct PersonalFiscalCode
{
    /// <summary>Number of characters.</summary>
    public const int Length = 16;

    private const string MonthLetters = "ABCDEHLMPRST";
    private const string OmocodeLetters = "LMNPQRSTUV";
    private static readonly int[] OmocodePositions = [6, 7, 9, 10, 12, 13, 14];
    private static readonly int[] LetterPositions = [0, 1, 2, 3, 4, 5, 8, 11];

    // Values of the characters in odd (1st, 3rd, … in 1-based counting) positions, indexed by 0-9 then A-Z.
    private static readonly int[] OddDigitValues = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21];
    private static readonly int[] OddLetterValues =
        [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

    private readonly string? _value;

    private PersonalFiscalCode(string value) => _value = value;

    /// <summary>The 16 upper-case characters (empty for <c>default</c>).</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>True for <c>default</c>, which is not a valid fiscal code.</summary>
    public bool IsDefault => _value is null;

    /// <summary>True when at least one digit position holds an omocodia letter.</summary>
    public bool IsOmocode
    {
        get
        {
            var v = Value;
            return !IsDefault && Array.Exists(OmocodePositions, p => char.IsAsciiLetter(v[p]));
        }
    }

    /// <summary>Parses a fiscal code (case-insensitive); validates structure and check letter.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The fiscal code, or <c>default</c> on failure.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParse(string? text, out PersonalFiscalCode value) => TryParseCore(text, out value) is null;

    /// <summary>Parses a fiscal code (case-insensitive); validates structure and check letter.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The fiscal code.</returns>
    /// <exception cref="FormatException">The text is not valid; the message says why.</exception>
    public static PersonalFiscalCode Parse(string text) =>
        TryParseCore(text, out var value) is { } error ? throw new FormatException(error) : value;

    /// <summary>
    /// The base (non-omocode) form: omocodia letters replaced by their digits and the check letter recomputed.
    /// Returns <see cref="Value"/> when the code is not an omocode.
    /// </summary>
    /// <returns>The base form.</returns>
    public string ToBaseForm()
    {
        if (!IsOmocode)
        {
            return Value;
        }

        var chars = Value.ToCharArray();
        foreach (var p in OmocodePositions)
        {
            var index = OmocodeLetters.IndexOf(chars[p], StringComparison.Ordinal);
            if (index >= 0)
            {
                chars[p] = (char)('0' + index);
            }
        }

        chars[15] = ComputeCheckChar(chars.AsSpan(0, 15));
        return new string(chars);
    }

    /// <summary>The 16 upper-case characters.</summary>
    /// <returns>The fiscal code text.</returns>
    public override string ToString() => Value;

    /// <summary>True when <paramref name="upper"/> (already upper-case) has the fiscal code structure, ignoring the check letter's value.</summary>
    internal static bool HasStructure(string upper) => CheckStructure(upper) is null;

    /// <summary>The check letter (16th character) for the first 15 upper-case characters of a fiscal code.</summary>
    /// <param name="first15">The first 15 characters, already upper-case.</param>
    /// <returns>The check letter A–Z.</returns>
    public static char ComputeCheckCharacter(ReadOnlySpan<char> first15)
    {
        if (first15.Length != 15)
        {
            throw new ArgumentException("a fiscal code check letter is computed on exactly 15 characters", nameof(first15));
        }
        return ComputeCheckChar(first15);
    }

    internal static char ComputeCheckChar(ReadOnlySpan<char> first15)
    {
        var sum = 0;
        for (var i = 0; i < 15; i++)
        {
            var c = first15[i];
            if (i % 2 == 0)
            {
                sum += char.IsAsciiDigit(c) ? OddDigitValues[c - '0'] : OddLetterValues[c - 'A'];
            }
            else
            {
                sum += char.IsAsciiDigit(c) ? c - '0' : c - 'A';
            }
        }

        return (char)('A' + (sum % 26));
    }

    private static string? CheckStructure(string upper)
    {
        if (upper.Length != Length)
        {
            return $"personal fiscal code must be {Length} characters, got {upper.Length}";
        }

        foreach (var p in LetterPositions)
        {
            if (!char.IsAsciiLetterUpper(upper[p]))
            {
                return $"personal fiscal code must have a letter at position {p + 1}, found '{upper[p]}'";
            }
        }

        if (!char.IsAsciiLetterUpper(upper[15]))
        {
            return $"personal fiscal code must end with a check letter, found '{upper[15]}'";
        }

        foreach (var p in OmocodePositions)
        {
            if (!char.IsAsciiDigit(upper[p]) && !OmocodeLetters.Contains(upper[p], StringComparison.Ordinal))
            {
                return $"personal fiscal code must have a digit (or omocodia letter L-V) at position {p + 1}, found '{upper[p]}'";
            }
        }

        if (!MonthLetters.Contains(upper[8], StringComparison.Ordinal))
        {
            return $"personal fiscal code month letter '{upper[8]}' is not one of {MonthLetters}";
        }

        var day = (DigitOf(upper[9]) * 10) + DigitOf(upper[10]);
        if (day is < 1 or (> 31 and < 41) or > 71)
        {
            return $"personal fiscal code day {day:00} is not in 01-31 or 41-71";
        }

        return null;
    }

    private static int DigitOf(char c) =>
        char.IsAsciiDigit(c) ? c - '0' : OmocodeLetters.IndexOf(c, StringComparison.Ordinal);

    private static string? TryParseCore(string? text, out PersonalFiscalCode value)
    {
        value = default;
        if (text is null)
        {
            return "personal fiscal code is missing";
        }

        var upper = text.ToUpperInvariant();
        if (CheckStructure(upper) is { } error)
        {
            return error;
        }

        var expected = ComputeCheckChar(upper.AsSpan(0, 15));
        if (upper[15] != expected)
        {
            return $"personal fiscal code check letter is {upper[15]}, expected {expected}";
        }

        value = new PersonalFiscalCode(upper);
        return null;
    }
}
