using System.Globalization;

namespace PaymentGateway.Core;

/// <summary>
/// The 18-digit notice number (<i>numero avviso</i>, XSD <c>noticeNumber</c>/<c>stNoticeNumber</c>):
/// aux digit <c>3</c> followed by the 17-digit <see cref="Core.Iuv"/>. Only aux digit 3 is accepted: aux digits
/// 0, 1 and 2 were retired in SACI 3.1.0 and are rejected with that reason.
/// </summary>
/// <remarks>
/// <c>default</c> is not a valid notice number; <see cref="IsDefault"/> is true and <see cref="Value"/> is empty.
/// The Node's Stand-In recovery probe <c>000000000000000000</c> is <b>not</b> a valid notice number:
/// <see cref="TryParse"/> returns false for it (aux digit 0), so it naturally ends as an unknown notice
/// (<c>PAA_PAGAMENTO_SCONOSCIUTO</c>), which is what the probe expects.
/// </remarks>
public readonly record struct NoticeNumber
{
    /// <summary>Number of digits of a notice number.</summary>
    public const int Length = 18;

    private readonly string? _value;

    private NoticeNumber(string value) => _value = value;

    /// <summary>The 18 digits (empty for <c>default</c>).</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>True for <c>default</c>, which is not a valid notice number.</summary>
    public bool IsDefault => _value is null;

    /// <summary>The aux digit: always 3 for a valid notice number (0 for <c>default</c>).</summary>
    public int AuxDigit => IsDefault ? 0 : Value[0] - '0';

    /// <summary>The segregation code (digits 2–3).</summary>
    public SegregationCode SegregationCode => Iuv.SegregationCode;

    /// <summary>The IUV: the last 17 digits.</summary>
    public Iuv Iuv => IsDefault ? default : Iuv.Parse(Value[1..]);

    /// <summary>Builds the notice number for a segregation code and IUV base, computing the check digits.</summary>
    /// <param name="segregationCode">The segregation code.</param>
    /// <param name="iuvBase">The IUV base, 0..9999999999999.</param>
    /// <returns>The notice number.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="iuvBase"/> is out of range.</exception>
    public static NoticeNumber Create(SegregationCode segregationCode, long iuvBase) =>
        new("3" + Iuv.Create(segregationCode, iuvBase).Value);

    /// <summary>Parses 18 digits with aux digit 3 and valid check digits.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The notice number, or <c>default</c> on failure (also for the Stand-In probe <c>000000000000000000</c>).</param>
    /// <returns>True when valid.</returns>
    public static bool TryParse(string? text, out NoticeNumber value) => TryParseCore(text, out value) is null;

    /// <summary>Parses 18 digits with aux digit 3 and valid check digits.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The notice number.</returns>
    /// <exception cref="FormatException">The text is not a valid notice number; the message says why.</exception>
    public static NoticeNumber Parse(string text) =>
        TryParseCore(text, out var value) is { } error ? throw new FormatException(error) : value;

    /// <summary>The printed form (<i>codice avviso</i>): groups of 4 separated by spaces, e.g. <c>3010 0000 0000 0001 44</c> (22 chars).</summary>
    /// <returns>The printed notice number (empty for <c>default</c>).</returns>
    public string ToPrintedString()
    {
        if (IsDefault)
        {
            return string.Empty;
        }

        var v = Value;
        return string.Create(
            CultureInfo.InvariantCulture, $"{v[..4]} {v[4..8]} {v[8..12]} {v[12..16]} {v[16..]}");
    }

    /// <summary>The 18 digits.</summary>
    /// <returns>The notice number text.</returns>
    public override string ToString() => Value;

    private static string? TryParseCore(string? text, out NoticeNumber value)
    {
        value = default;
        if (Digits.CheckExactDigits(text, Length, "notice number") is { } error)
        {
            return error;
        }

        var aux = text![0];
        if (aux is '0' or '1' or '2')
        {
            return $"aux digit {aux} is retired (SACI 3.1.0); only aux digit 3 is accepted";
        }

        if (aux != '3')
        {
            return $"aux digit {aux} does not exist; only aux digit 3 is accepted";
        }

        if (Iuv.TryParseCore(text[1..], out _) is { } iuvError)
        {
            return iuvError;
        }

        value = new NoticeNumber(text);
        return null;
    }
}
