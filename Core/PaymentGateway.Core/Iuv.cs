using System.Globalization;

namespace PaymentGateway.Core;

/// <summary>
/// The <i>Identificativo Univoco di Versamento</i> of an aux-digit-3 notice: 17 digits =
/// segregation code (2) + IUV base (13) + check digits (2), where the check digits are
/// <c>("3" + segregation code + base) mod 93</c> written on two digits (SACI "Generazione dell'IUV").
/// It is the XSD <c>creditorReferenceId</c> and the FdR <c>identificativoUnivocoVersamento</c>.
/// </summary>
/// <remarks><c>default</c> is not a valid IUV; <see cref="IsDefault"/> is true and <see cref="Value"/> is empty.</remarks>
public readonly record struct Iuv
{
    /// <summary>Number of digits of an IUV.</summary>
    public const int Length = 17;

    /// <summary>The largest IUV base (13 digits).</summary>
    public const long MaxBase = 9_999_999_999_999;

    private readonly string? _value;

    private Iuv(string value) => _value = value;

    /// <summary>The 17 digits (empty for <c>default</c>).</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>True for <c>default</c>, which is not a valid IUV.</summary>
    public bool IsDefault => _value is null;

    /// <summary>The first two digits.</summary>
    public SegregationCode SegregationCode =>
        IsDefault ? default : SegregationCode.Create((int)Digits.ToInt64(Value.AsSpan(0, 2)));

    /// <summary>The 13-digit IUV base as a number.</summary>
    public long Base => IsDefault ? 0 : Digits.ToInt64(Value.AsSpan(2, 13));

    /// <summary>The two check digits as a number (0..92).</summary>
    public int CheckDigits => IsDefault ? 0 : (int)Digits.ToInt64(Value.AsSpan(15, 2));

    /// <summary>Builds the IUV for a segregation code and base, computing the check digits.</summary>
    /// <param name="segregationCode">The segregation code.</param>
    /// <param name="iuvBase">The base, 0..9999999999999.</param>
    /// <returns>The IUV.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="iuvBase"/> is outside 0..9999999999999.</exception>
    public static Iuv Create(SegregationCode segregationCode, long iuvBase)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(iuvBase);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iuvBase, MaxBase);
        var check = ComputeCheckDigits(segregationCode.Value, iuvBase);
        return new Iuv(string.Create(
            CultureInfo.InvariantCulture, $"{segregationCode.Value:00}{iuvBase:0000000000000}{check:00}"));
    }

    /// <summary>Parses 17 digits and verifies the check digits.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The IUV, or <c>default</c> on failure.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParse(string? text, out Iuv value) => TryParseCore(text, out value) is null;

    /// <summary>Parses 17 digits and verifies the check digits.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The IUV.</returns>
    /// <exception cref="FormatException">The text is not a valid IUV; the message says why.</exception>
    public static Iuv Parse(string text) =>
        TryParseCore(text, out var value) is { } error ? throw new FormatException(error) : value;

    /// <summary>The aux-digit-3 notice number <c>"3" + IUV</c>.</summary>
    /// <returns>The notice number.</returns>
    /// <exception cref="InvalidOperationException">This is <c>default</c>.</exception>
    public NoticeNumber ToNoticeNumber() =>
        IsDefault ? throw new InvalidOperationException("default IUV has no notice number") : NoticeNumber.Parse("3" + Value);

    /// <summary>The 17 digits.</summary>
    /// <returns>The IUV text.</returns>
    public override string ToString() => Value;

    internal static int ComputeCheckDigits(int segregationCode, long iuvBase) =>
        (int)(((3L * 100 + segregationCode) * 10_000_000_000_000L + iuvBase) % 93);

    internal static string? TryParseCore(string? text, out Iuv value, string what = "IUV")
    {
        value = default;
        if (Digits.CheckExactDigits(text, Length, what) is { } error)
        {
            return error;
        }

        var segregation = (int)Digits.ToInt64(text.AsSpan(0, 2));
        var iuvBase = Digits.ToInt64(text.AsSpan(2, 13));
        var actual = (int)Digits.ToInt64(text.AsSpan(15, 2));
        var expected = ComputeCheckDigits(segregation, iuvBase);
        if (actual != expected)
        {
            return string.Create(CultureInfo.InvariantCulture, $"check digits are {actual:00}, expected {expected:00}");
        }

        value = new Iuv(text!);
        return null;
    }
}
