namespace PaymentGateway.Core;

/// <summary>
/// A pagoPA taxonomy code of the collection services (<i>tassonomia dei servizi di incasso</i>), carried in
/// <c>transferCategory</c>: <c>&lt;EC type 2n&gt;&lt;macro-area 2n&gt;&lt;service type 3n&gt;&lt;legal reason IM|TS|SP|SA|AP&gt;</c>,
/// either bare (<c>0101100IM</c>) or wrapped with an optional one-digit prefix and slashes (<c>9/0101002IM/</c>,
/// <c>/0101002IM/</c>). The form it was given is kept: <see cref="ToString"/> returns it and equality compares it,
/// so <c>9/0101002IM/</c> and <c>0101002IM</c> are different values with the same <see cref="Code"/>.
/// </summary>
/// <remarks><c>default</c> is not a valid taxonomy code; <see cref="IsDefault"/> is true and <see cref="Value"/> is empty.</remarks>
public readonly record struct TaxonomyCode
{
    /// <summary>Maximum length of <c>transferCategory</c> (<c>stText140</c>).</summary>
    public const int MaxLength = 140;

    /// <summary>Length of the bare code.</summary>
    public const int CodeLength = 9;

    private static readonly string[] LegalReasons = ["IM", "TS", "SP", "SA", "AP"];

    private readonly string? _value;

    private TaxonomyCode(string value, int codeStart)
    {
        _value = value;
        CodeStart = codeStart;
    }

    /// <summary>The text as given (empty for <c>default</c>).</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>True for <c>default</c>, which is not a valid taxonomy code.</summary>
    public bool IsDefault => _value is null;

    /// <summary>The prefix digit (e.g. <c>9</c> in <c>9/0101002IM/</c>), or null when there is none.</summary>
    public char? Prefix => CodeStart == 2 ? Value[0] : null;

    /// <summary>The bare 9-character code, e.g. <c>0101002IM</c>.</summary>
    public string Code => IsDefault ? string.Empty : Value.Substring(CodeStart, CodeLength);

    /// <summary>The creditor entity type (2 digits), e.g. <c>01</c> (Comune).</summary>
    public string EntityType => IsDefault ? string.Empty : Code[..2];

    /// <summary>The macro-area (2 digits).</summary>
    public string MacroArea => IsDefault ? string.Empty : Code[2..4];

    /// <summary>The service type (3 digits).</summary>
    public string ServiceType => IsDefault ? string.Empty : Code[4..7];

    /// <summary>The legal reason: IM, TS, SP, SA or AP.</summary>
    public string LegalReason => IsDefault ? string.Empty : Code[7..];

    private int CodeStart { get; }

    /// <summary>Parses a taxonomy code in one of the forms <c>0101002IM</c>, <c>/0101002IM/</c>, <c>9/0101002IM/</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The code, or <c>default</c> on failure.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParse(string? text, out TaxonomyCode value) => TryParseCore(text, out value) is null;

    /// <summary>Parses a taxonomy code in one of the forms <c>0101002IM</c>, <c>/0101002IM/</c>, <c>9/0101002IM/</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The code.</returns>
    /// <exception cref="FormatException">The text is not valid; the message says why.</exception>
    public static TaxonomyCode Parse(string text) =>
        TryParseCore(text, out var value) is { } error ? throw new FormatException(error) : value;

    /// <summary>The text as given.</summary>
    /// <returns>The taxonomy code text.</returns>
    public override string ToString() => Value;

    private static string? TryParseCore(string? text, out TaxonomyCode value)
    {
        value = default;
        if (string.IsNullOrEmpty(text))
        {
            return "taxonomy code is empty";
        }

        if (text.Length > MaxLength)
        {
            return $"taxonomy code must be at most {MaxLength} characters, got {text.Length}";
        }

        int codeStart;
        if (text.Length == CodeLength)
        {
            codeStart = 0;
        }
        else if (text.Length == CodeLength + 2 && text[0] == '/' && text[^1] == '/')
        {
            codeStart = 1;
        }
        else if (text.Length == CodeLength + 3 && char.IsAsciiDigit(text[0]) && text[1] == '/' && text[^1] == '/')
        {
            codeStart = 2;
        }
        else
        {
            return $"taxonomy code '{text}' must look like 0101002IM, /0101002IM/ or 9/0101002IM/";
        }

        var code = text.AsSpan(codeStart, CodeLength);
        for (var i = 0; i < 7; i++)
        {
            if (!char.IsAsciiDigit(code[i]))
            {
                return $"taxonomy code '{text}' must have 7 digits (EC type, macro-area, service type) before the legal reason";
            }
        }

        var reason = code[7..].ToString();
        if (!LegalReasons.Contains(reason))
        {
            return $"taxonomy code legal reason '{reason}' is not one of IM, TS, SP, SA, AP";
        }

        value = new TaxonomyCode(text, codeStart);
        return null;
    }
}
