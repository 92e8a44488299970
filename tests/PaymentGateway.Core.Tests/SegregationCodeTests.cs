namespace PaymentGateway.Core.Tests;

public class SegregationCodeTests
{
    [Theory]
    [InlineData("00", 0)]
    [InlineData("01", 1)]
    [InlineData("45", 45)]
    [InlineData("99", 99)]
    public void Parse_TwoDigits_ReturnsValue(string text, int value)
    {
        var code = SegregationCode.Parse(text);
        Assert.Equal(value, code.Value);
        Assert.Equal(text, code.ToString());
        Assert.Equal(code, SegregationCode.Create(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("100")]
    [InlineData("a1")]
    [InlineData(" 1")]
    public void TryParse_Invalid_ReturnsFalse(string? text) => Assert.False(SegregationCode.TryParse(text, out _));

    [Fact]
    public void Parse_WrongLength_MessageSaysWhy() =>
        Assert.Equal("segregation code must be 2 digits, got 3", Assert.Throws<FormatException>(() => SegregationCode.Parse("001")).Message);

    [Theory]
    [InlineData(-1)]
    [InlineData(100)]
    public void Create_OutOfRange_Throws(int value) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SegregationCode.Create(value));

    [Fact]
    public void Default_IsCode00() => Assert.Equal("00", default(SegregationCode).ToString());

    [Fact]
    public void Equality_Contract_Holds() =>
        EqualityContract.AssertValueSemantics(SegregationCode.Create(1), SegregationCode.Parse("01"), SegregationCode.Create(10), default);
}
