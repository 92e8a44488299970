using System.Globalization;

namespace PaymentGateway.Core;

/// <summary>
/// The 2-digit segregation code (<i>codice segregazione</i>, 00–99) that identifies an IUV generation point in
/// aux-digit-3 notice numbers. PagoPA assigns 00–45; 47, 81, 85, 96–99 are reserved for centralised services (SACI).
/// </summary>
/// <remarks><c>default</c> is segregation code <c>00</c>, which is a valid code.</remarks>
public readonly record struct SegregationCode : IComparable<SegregationCode>
{
    private SegregationCode(byte value) => Value = value;

    /// <summary>The code, 0..99.</summary>
    public byte Value { get; }

    /// <summary>Creates a segregation code.</summary>
    /// <param name="value">0..99.</param>
    /// <returns>The code.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is outside 0..99.</exception>
    public static SegregationCode Create(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 99);
        return new SegregationCode((byte)value);
    }

    /// <summary>Parses exactly two digits, e.g. <c>01</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The code, or <c>default</c> on failure.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParse(string? text, out SegregationCode value) => TryParseCore(text, out value) is null;

    /// <summary>Parses exactly two digits, e.g. <c>01</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The code.</returns>
    /// <exception cref="FormatException">The text is not two digits.</exception>
    public static SegregationCode Parse(string text) =>
        TryParseCore(text, out var value) is { } error ? throw new FormatException(error) : value;

    /// <summary>The two-digit form, e.g. <c>01</c>.</summary>
    /// <returns>The code as text.</returns>
    public override string ToString() => Value.ToString("00", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public int CompareTo(SegregationCode other) => Value.CompareTo(other.Value);

    private static string? TryParseCore(string? text, out SegregationCode value)
    {
        value = default;
        if (Digits.CheckExactDigits(text, 2, "segregation code") is { } error)
        {
            return error;
        }

        value = new SegregationCode((byte)Digits.ToInt64(text));
        return null;
    }
}
