namespace PaymentGateway.Core.Tests;

public class EuroCentsTests
{
    [Theory]
    [InlineData("0.00", 0L)]
    [InlineData("0.01", 1L)]
    [InlineData("0.50", 50L)]
    [InlineData("01.50", 150L)]
    [InlineData("1234.50", 123450L)]
    [InlineData("999999999.99", 99999999999L)]
    [InlineData("0000000000999999999.99", 99999999999L)]
    public void ParseXsdAmount_ValidText_ReturnsCents(string text, long cents)
    {
        Assert.Equal(cents, EuroCents.ParseXsdAmount(text).Cents);
        Assert.True(EuroCents.TryParseXsdAmount(text, out var parsed));
        Assert.Equal(cents, parsed.Cents);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("1.5")]
    [InlineData("1,50")]
    [InlineData(" 1.50")]
    [InlineData("1.50 ")]
    [InlineData("+1.50")]
    [InlineData("-1.50")]
    [InlineData("1.500")]
    [InlineData(".50")]
    [InlineData("1.")]
    [InlineData("1e2.00")]
    [InlineData("1.5e")]
    [InlineData("1..50")]
    [InlineData("1000000000.00")]
    [InlineData("99999999999999999999.00")]
    [InlineData("١.٥٠")]
    public void TryParseXsdAmount_InvalidText_ReturnsFalse(string? text)
    {
        Assert.False(EuroCents.TryParseXsdAmount(text, out var value));
        Assert.Equal(EuroCents.Zero, value);
    }

    [Theory]
    [InlineData("1.5", "exactly 2 decimals, got 1")]
    [InlineData("1000000000.00", "exceeds the maximum 999999999.99")]
    [InlineData("+1.50", "found '+'")]
    [InlineData("150", "must have a '.'")]
    public void ParseXsdAmount_InvalidText_ThrowsWithReason(string text, string reason)
    {
        var ex = Assert.Throws<FormatException>(() => EuroCents.ParseXsdAmount(text));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1.50", -150L)]
    [InlineData("-0.01", -1L)]
    [InlineData("-999999999.99", -99999999999L)]
    [InlineData("12.34", 1234L)]
    public void TryParseSigned_SignedText_ReturnsCents(string text, long cents)
    {
        Assert.True(EuroCents.TryParseSigned(text, out var value));
        Assert.Equal(cents, value.Cents);
        Assert.Equal(cents, EuroCents.Parse(text).Cents);
    }

    [Theory]
    [InlineData("--1.50")]
    [InlineData("-")]
    [InlineData("- 1.50")]
    [InlineData("-1.5")]
    [InlineData("1.50-")]
    public void TryParseSigned_InvalidText_ReturnsFalse(string text) =>
        Assert.False(EuroCents.TryParseSigned(text, out _));

    [Theory]
    [InlineData(0L, "0.00")]
    [InlineData(1L, "0.01")]
    [InlineData(50L, "0.50")]
    [InlineData(123450L, "1234.50")]
    [InlineData(99999999999L, "999999999.99")]
    public void ToXsdAmount_InRange_FormatsTwoDecimals(long cents, string expected) =>
        Assert.Equal(expected, EuroCents.FromCents(cents).ToXsdAmount());

    [Theory]
    [InlineData(-1L)]
    [InlineData(100000000000L)]
    public void ToXsdAmount_OutOfRange_Throws(long cents) =>
        Assert.Throws<InvalidOperationException>(() => EuroCents.FromCents(cents).ToXsdAmount());

    [Theory]
    [InlineData(0L, "0,00")]
    [InlineData(5L, "0,05")]
    [InlineData(99999L, "999,99")]
    [InlineData(100000L, "1.000,00")]
    [InlineData(123450L, "1.234,50")]
    [InlineData(102099L, "1.020,99")]
    [InlineData(123456789L, "1.234.567,89")]
    [InlineData(99999999999L, "999.999.999,99")]
    [InlineData(-123450L, "-1.234,50")]
    [InlineData(-5L, "-0,05")]
    public void ToItalianString_Amount_UsesDotsAndComma(long cents, string expected) =>
        Assert.Equal(expected, EuroCents.FromCents(cents).ToItalianString());

    [Fact]
    public void ToItalianString_MinValue_DoesNotOverflow() =>
        Assert.Equal("-92.233.720.368.547.758,08", EuroCents.FromCents(long.MinValue).ToItalianString());

    [Theory]
    [InlineData(-5L, "-0.05")]
    [InlineData(-123450L, "-1234.50")]
    [InlineData(7L, "0.07")]
    public void ToString_Signed_IsCanonical(long cents, string expected) =>
        Assert.Equal(expected, EuroCents.FromCents(cents).ToString());

    [Fact]
    public void RoundTrip_ManyValues_ParseOfToStringIsIdentity()
    {
        var random = new Random(42);
        for (var i = 0; i < 2000; i++)
        {
            var cents = i < 1000 ? i : random.NextInt64(0, EuroCents.MaxXsdAmount.Cents + 1);
            var amount = EuroCents.FromCents(cents);
            Assert.Equal(amount, EuroCents.ParseXsdAmount(amount.ToXsdAmount()));
            Assert.Equal(-amount, EuroCents.Parse((-amount).ToString()));
        }
    }

    [Fact]
    public void Arithmetic_AddSubtractNegate_Works()
    {
        var a = EuroCents.FromCents(150);
        var b = EuroCents.FromCents(75);
        Assert.Equal(225, (a + b).Cents);
        Assert.Equal(75, (a - b).Cents);
        Assert.Equal(-150, (-a).Cents);
    }

    [Fact]
    public void Arithmetic_Overflow_Throws()
    {
        var max = EuroCents.FromCents(long.MaxValue);
        Assert.Throws<OverflowException>(() => max + EuroCents.FromCents(1));
        Assert.Throws<OverflowException>(() => EuroCents.FromCents(long.MinValue) - EuroCents.FromCents(1));
        Assert.Throws<OverflowException>(() => EuroCents.Sum([max, EuroCents.FromCents(1)]));
    }

    [Fact]
    public void Sum_Amounts_AddsAll()
    {
        Assert.Equal(EuroCents.Zero, EuroCents.Sum([]));
        Assert.Equal(600, EuroCents.Sum([EuroCents.FromCents(100), EuroCents.FromCents(200), EuroCents.FromCents(300)]).Cents);
    }

    [Fact]
    public void Comparison_Operators_AreConsistentWithCompareTo()
    {
        var small = EuroCents.FromCents(1);
        var big = EuroCents.FromCents(2);
        Assert.True(small < big);
        Assert.True(big > small);
        Assert.True(small <= EuroCents.FromCents(1));
        Assert.True(big >= small);
        Assert.False(big < small);
        Assert.True(small.CompareTo(big) < 0);
        Assert.Equal(0, big.CompareTo(EuroCents.FromCents(2)));
        Assert.Equal([small, big], new[] { big, small }.Order());
    }

    [Fact]
    public void Default_IsZero()
    {
        Assert.Equal(EuroCents.Zero, default);
        Assert.Equal("0.00", default(EuroCents).ToString());
        Assert.Equal(99999999999L, EuroCents.MaxXsdAmount.Cents);
    }

    [Fact]
    public void Equality_Contract_Holds() =>
        EqualityContract.AssertValueSemantics(
            EuroCents.FromCents(150), EuroCents.ParseXsdAmount("1.50"), EuroCents.FromCents(151), EuroCents.FromCents(-150), EuroCents.Zero);
}
