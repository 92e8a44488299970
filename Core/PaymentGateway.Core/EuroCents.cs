using System.Globalization;

namespace PaymentGateway.Core;

/// <summary>
/// An amount of money in euro, held as a whole number of cents. This is the only place where XSD
/// <c>stAmount</c> strings (<c>\d+\.\d{2}</c>, max <c>999999999.99</c>) and the Italian printed form are
/// converted to and from cents; no <see cref="decimal"/> or <see cref="double"/> is involved.
/// </summary>
/// <remarks>
/// Negative amounts are representable (FdR revocations carry negative amounts) but have no XSD form.
/// Arithmetic is checked: an overflow throws <see cref="OverflowException"/>.
/// <c>default</c> is <see cref="Zero"/> (0.00 €), a valid amount.
/// </remarks>
public readonly record struct EuroCents : IComparable<EuroCents>
{
    private const int MaxIntegerDigits = 9;

    private EuroCents(long cents) => Cents = cents;

    /// <summary>The amount in euro cents (may be negative).</summary>
    public long Cents { get; }

    /// <summary>Zero euro; also the value of <c>default</c>.</summary>
    public static EuroCents Zero => default;

    /// <summary>The largest XSD <c>stAmount</c>: 999999999.99 € (99,999,999,999 cents).</summary>
    public static EuroCents MaxXsdAmount { get; } = new(99_999_999_999);

    /// <summary>True when the amount is strictly positive (0.01 € or more).</summary>
    public bool IsPositive => Cents > 0;

    /// <summary>True when the amount is in the XSD <c>stAmount</c> range 0.00..999999999.99.</summary>
    public bool IsXsdAmount => Cents >= 0 && Cents <= MaxXsdAmount.Cents;

    /// <summary>Creates an amount from a number of cents.</summary>
    /// <param name="cents">The cents; any value, including negative ones.</param>
    /// <returns>The amount.</returns>
    public static EuroCents FromCents(long cents) => new(cents);

    /// <summary>
    /// Parses an XSD <c>stAmount</c>: exactly <c>\d+\.\d{2}</c>, no sign, exponent or whitespace,
    /// at most 999999999.99. Leading zeros in the integer part ("0.50", "01.50") are accepted as the XSD pattern does.
    /// </summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="value">The amount, or <see cref="Zero"/> on failure.</param>
    /// <returns>True when <paramref name="text"/> is a valid <c>stAmount</c>.</returns>
    public static bool TryParseXsdAmount(string? text, out EuroCents value) =>
        TryParseCore(text, allowSign: false, out value) is null;

    /// <summary>Parses an XSD <c>stAmount</c> (see <see cref="TryParseXsdAmount"/>).</summary>
    /// <param name="text">The text to parse.</param>
    /// <returns>The amount.</returns>
    /// <exception cref="FormatException">The text is not a valid <c>stAmount</c>; the message says why.</exception>
    public static EuroCents ParseXsdAmount(string text) =>
        TryParseCore(text, allowSign: false, out var value) is { } error ? throw new FormatException(error) : value;

    /// <summary>
    /// Parses a signed amount <c>-?\d+\.\d{2}</c> with magnitude at most 999999999.99 (FdR amounts may be negative).
    /// </summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="value">The amount, or <see cref="Zero"/> on failure.</param>
    /// <returns>True when the text is valid.</returns>
    public static bool TryParseSigned(string? text, out EuroCents value) =>
        TryParseCore(text, allowSign: true, out value) is null;

    /// <summary>Parses the canonical text (<see cref="ToString"/>): same as <see cref="TryParseSigned"/>.</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="value">The amount, or <see cref="Zero"/> on failure.</param>
    /// <returns>True when the text is valid.</returns>
    public static bool TryParse(string? text, out EuroCents value) => TryParseSigned(text, out value);

    /// <summary>Parses the canonical text <c>-?\d+\.\d{2}</c>.</summary>
    /// <param name="text">The text to parse.</param>
    /// <returns>The amount.</returns>
    /// <exception cref="FormatException">The text is not valid; the message says why.</exception>
    public static EuroCents Parse(string text) =>
        TryParseCore(text, allowSign: true, out var value) is { } error ? throw new FormatException(error) : value;

    /// <summary>Formats as XSD <c>stAmount</c>, e.g. <c>1234.50</c>.</summary>
    /// <returns>The <c>stAmount</c> text.</returns>
    /// <exception cref="InvalidOperationException">The amount is negative or above <see cref="MaxXsdAmount"/>: it has no XSD form.</exception>
    public string ToXsdAmount()
    {
        if (!IsXsdAmount)
        {
            throw new InvalidOperationException(
                $"{ToString()} has no XSD stAmount form (allowed 0.00..999999999.99)");
        }

        return ToString();
    }

    /// <summary>Formats the Italian way with thousands dots and decimal comma, e.g. <c>1.234,50</c> or <c>-1.234,50</c>.</summary>
    /// <returns>The printed amount (without the euro sign).</returns>
    public string ToItalianString()
    {
        var magnitude = Magnitude(Cents);
        var euros = (magnitude / 100).ToString(CultureInfo.InvariantCulture);
        var grouped = new System.Text.StringBuilder(euros.Length + (euros.Length / 3) + 4);
        if (Cents < 0)
        {
            grouped.Append('-');
        }

        for (var i = 0; i < euros.Length; i++)
        {
            if (i > 0 && (euros.Length - i) % 3 == 0)
            {
                grouped.Append('.');
            }

            grouped.Append(euros[i]);
        }

        grouped.Append(',').Append((magnitude % 100).ToString("00", CultureInfo.InvariantCulture));
        return grouped.ToString();
    }

    /// <summary>The canonical text <c>-?\d+\.\d{2}</c>, e.g. <c>1234.50</c> or <c>-0.05</c>.</summary>
    /// <returns>The amount as text.</returns>
    public override string ToString()
    {
        var magnitude = Magnitude(Cents);
        var sign = Cents < 0 ? "-" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{magnitude / 100}.{magnitude % 100:00}");
    }

    /// <summary>Sums amounts with overflow checking.</summary>
    /// <param name="amounts">The amounts.</param>
    /// <returns>The total (<see cref="Zero"/> for an empty sequence).</returns>
    public static EuroCents Sum(IEnumerable<EuroCents> amounts)
    {
        ArgumentNullException.ThrowIfNull(amounts);
        long total = 0;
        foreach (var amount in amounts)
        {
            total = checked(total + amount.Cents);
        }

        return new EuroCents(total);
    }

    /// <inheritdoc />
    public int CompareTo(EuroCents other) => Cents.CompareTo(other.Cents);

    /// <summary>Adds two amounts (checked).</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount.</param>
    /// <returns>The sum.</returns>
    public static EuroCents operator +(EuroCents left, EuroCents right) => new(checked(left.Cents + right.Cents));

    /// <summary>Subtracts two amounts (checked).</summary>
    /// <param name="left">The minuend.</param>
    /// <param name="right">The subtrahend.</param>
    /// <returns>The difference.</returns>
    public static EuroCents operator -(EuroCents left, EuroCents right) => new(checked(left.Cents - right.Cents));

    /// <summary>Negates an amount (checked).</summary>
    /// <param name="value">The amount.</param>
    /// <returns>The negated amount.</returns>
    public static EuroCents operator -(EuroCents value) => new(checked(-value.Cents));

    /// <summary>Compares two amounts.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount.</param>
    /// <returns>True when <paramref name="left"/> is smaller.</returns>
    public static bool operator <(EuroCents left, EuroCents right) => left.Cents < right.Cents;

    /// <summary>Compares two amounts.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount.</param>
    /// <returns>True when <paramref name="left"/> is greater.</returns>
    public static bool operator >(EuroCents left, EuroCents right) => left.Cents > right.Cents;

    /// <summary>Compares two amounts.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount.</param>
    /// <returns>True when <paramref name="left"/> is smaller or equal.</returns>
    public static bool operator <=(EuroCents left, EuroCents right) => left.Cents <= right.Cents;

    /// <summary>Compares two amounts.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount.</param>
    /// <returns>True when <paramref name="left"/> is greater or equal.</returns>
    public static bool operator >=(EuroCents left, EuroCents right) => left.Cents >= right.Cents;

    private static ulong Magnitude(long cents) => cents < 0 ? (ulong)(-(cents + 1)) + 1 : (ulong)cents;

    private static string? TryParseCore(string? text, bool allowSign, out EuroCents value)
    {
        value = Zero;
        var kind = allowSign ? "amount" : "XSD amount";
        if (string.IsNullOrEmpty(text))
        {
            return $"{kind} is empty";
        }

        var span = text.AsSpan();
        var negative = false;
        if (span[0] == '-' && allowSign)
        {
            negative = true;
            span = span[1..];
        }

        var dot = span.IndexOf('.');
        if (dot < 0)
        {
            return $"{kind} '{text}' must have a '.' and exactly 2 decimals";
        }

        var integer = span[..dot];
        var fraction = span[(dot + 1)..];
        if (integer.IsEmpty)
        {
            return $"{kind} '{text}' must have at least one digit before the '.'";
        }

        if (fraction.Length != 2)
        {
            return $"{kind} '{text}' must have exactly 2 decimals, got {fraction.Length}";
        }

        for (var i = 0; i < span.Length; i++)
        {
            if (i != dot && !char.IsAsciiDigit(span[i]))
            {
                return $"{kind} '{text}' may only contain digits{(allowSign ? ", a leading '-'" : string.Empty)} and one '.', found '{span[i]}'";
            }
        }

        var significant = integer.TrimStart('0');
        if (significant.Length > MaxIntegerDigits)
        {
            return $"{kind} '{text}' exceeds the maximum 999999999.99";
        }

        long cents = 0;
        foreach (var c in significant)
        {
            cents = (cents * 10) + (c - '0');
        }

        cents = (cents * 100) + ((fraction[0] - '0') * 10) + (fraction[1] - '0');
        value = new EuroCents(negative ? -cents : cents);
        return null;
    }
}
