namespace PaymentGateway.Core.Tests;

public class IuvTests
{
    [Fact]
    public void Parse_Example_ExposesParts()
    {
        var iuv = Iuv.Parse("01000000000000144");
        Assert.Equal("01", iuv.SegregationCode.ToString());
        Assert.Equal(1L, iuv.Base);
        Assert.Equal(44, iuv.CheckDigits);
        Assert.Equal("301000000000000144", iuv.ToNoticeNumber().Value);
        Assert.Equal("01000000000000144", iuv.ToString());
    }

    [Theory]
    [InlineData("0100000000000014", "IUV must be 17 digits, got 16")]
    [InlineData("01000000000000145", "check digits are 45, expected 44")]
    [InlineData("0100000000000014x", "IUV must contain only digits, found 'x' at position 17")]
    public void Parse_Invalid_MessageSaysWhy(string text, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => Iuv.Parse(text)).Message);

    [Fact]
    public void TryParse_Null_ReturnsFalse() => Assert.False(Iuv.TryParse(null, out _));

    [Fact]
    public void Create_Example_ComputesCheckDigits() =>
        Assert.Equal("12202500001234530", Iuv.Create(SegregationCode.Create(12), 2025000012345).Value);

    [Fact]
    public void Default_IsNotValid()
    {
        Assert.True(default(Iuv).IsDefault);
        Assert.Equal(string.Empty, default(Iuv).Value);
        Assert.Throws<InvalidOperationException>(() => default(Iuv).ToNoticeNumber());
    }

    [Fact]
    public void Equality_Contract_Holds() =>
        EqualityContract.AssertValueSemantics(
            Iuv.Parse("01000000000000144"), Iuv.Create(SegregationCode.Create(1), 1), Iuv.Parse("02000000000000184"), default);
}
