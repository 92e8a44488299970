using System.Numerics;

namespace PaymentGateway.Core.Tests;

public class IbanTests
{
    [Fact]
    public void Parse_WellKnownItalianIban_ExposesParts()
    {
        var iban = Iban.Parse("IT60X0542811101000000123456");
        Assert.Equal("IT", iban.CountryCode);
        Assert.True(iban.IsItalian);
        Assert.Equal("05428", iban.Abi);
        Assert.Equal("11101", iban.Cab);
        Assert.False(iban.IsPostal);
        Assert.Null(iban.PostalAccountNumber);
        Assert.Equal("IT60 X054 2811 1010 0000 0123 456", iban.ToPrintedString());
    }

    [Fact]
    public void Parse_PostalIban_IsPostal()
    {
        // Check digits computed independently by the reference helper below (and by hand with Python: 70).
        var text = WithCheckDigits("IT", "X0760101600000012345678");
        Assert.Equal("IT70X0760101600000012345678", text);
        var iban = Iban.Parse(text);
        Assert.True(iban.IsPostal);
        Assert.Equal("07601", iban.Abi);
        Assert.Equal("000012345678", iban.PostalAccountNumber);
    }

    [Theory]
    [InlineData("it60 x054 2811 1010 0000 0123 456")]
    [InlineData("IT60X0542811101000000123456")]
    [InlineData(" IT60X0542811101000000123456 ")]
    public void Parse_SpacesAndLowerCase_Normalized(string text) =>
        Assert.Equal("IT60X0542811101000000123456", Iban.Parse(text).Value);

    [Theory]
    [InlineData("GB82WEST12345698765432", "GB")]
    [InlineData("DE89370400440532013000", "DE")]
    public void Parse_ForeignIbans_Valid(string text, string country)
    {
        var iban = Iban.Parse(text);
        Assert.Equal(country, iban.CountryCode);
        Assert.False(iban.IsItalian);
        Assert.Null(iban.Abi);
        Assert.False(iban.IsPostal);
    }

    [Theory]
    [InlineData("IT61X0542811101000000123456", "IBAN check digits are 61, expected 60")]
    [InlineData("IT60X054281110100000012345", "Italian IBAN must be 27 characters, got 26")]
    [InlineData("IT6050542811101000000123456", "Italian IBAN must have a CIN letter at position 5, found '5'")]
    [InlineData("IT60X05428A1101000000123456", "Italian IBAN must have ABI and CAB digits at positions 6-15, found 'A' at position 11")]
    [InlineData("IT60X0542811101000000-23456", "IBAN may only contain letters and digits, found '-' at position 22")]
    [InlineData("1T60X0542811101000000123456", "IBAN must start with a 2-letter country code, got '1T'")]
    [InlineData("ITX0X0542811101000000123456", "IBAN check digits must be 2 digits, got 'X0'")]
    [InlineData("GB82WEST1234", "IBAN must be 15 to 34 characters, got 12")]
    [InlineData("", "IBAN is empty")]
    public void Parse_Invalid_MessageSaysWhy(string text, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => Iban.Parse(text)).Message);

    [Fact]
    public void Parse_RandomItalianIbans_AgreeWithBigIntegerReference()
    {
        var random = new Random(13616);
        for (var i = 0; i < 500; i++)
        {
            var bban = (char)('A' + random.Next(26))
                + random.NextInt64(0, 10_000_000_000).ToString("0000000000", System.Globalization.CultureInfo.InvariantCulture)
                + random.NextInt64(0, 1_000_000_000_000).ToString("000000000000", System.Globalization.CultureInfo.InvariantCulture);
            var valid = WithCheckDigits("IT", bban);
            Assert.True(Iban.TryParse(valid, out var parsed), valid);
            Assert.Equal(valid, parsed.Value);
            var wrong = valid[..2] + ((int.Parse(valid[2..4], System.Globalization.CultureInfo.InvariantCulture) + 1) % 100).ToString("00", System.Globalization.CultureInfo.InvariantCulture) + valid[4..];
            Assert.False(Iban.TryParse(wrong, out _), wrong);
        }
    }

    [Fact]
    public void Default_IsNotValid()
    {
        Assert.True(default(Iban).IsDefault);
        Assert.False(default(Iban).IsItalian);
        Assert.False(default(Iban).IsPostal);
    }

    [Fact]
    public void Equality_Contract_Holds() =>
        EqualityContract.AssertValueSemantics(
            Iban.Parse("IT60X0542811101000000123456"),
            Iban.Parse("it60 x054 2811 1010 0000 0123 456"),
            Iban.Parse("IT70X0760101600000012345678"),
            default);

    /// <summary>Reference ISO 13616 computation with BigInteger, independent of the production code.</summary>
    internal static string WithCheckDigits(string country, string bban)
    {
        var digits = string.Concat((bban + country + "00").Select(c => char.IsAsciiDigit(c) ? c.ToString() : (c - 'A' + 10).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var check = 98 - (int)(BigInteger.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) % 97);
        return country + check.ToString("00", System.Globalization.CultureInfo.InvariantCulture) + bban;
    }
}
