namespace PaymentGateway.Core.Tests;

public class OrganizationFiscalCodeTests
{
    // All verified with the algorithm: Comune di Milano, Città Metropolitana di Milano, 80016350821, PagoPA S.p.A.
    [Theory]
    [InlineData("01199250158")]
    [InlineData("08911820960")]
    [InlineData("80016350821")]
    [InlineData("15376371009")]
    public void Parse_RealCodes_AreValid(string text)
    {
        var code = OrganizationFiscalCode.Parse(text);
        Assert.Equal(text, code.Value);
        Assert.Equal(text, code.ToString());
    }

    [Theory]
    [InlineData("77777777777", "organization fiscal code check digit is 7, expected 0")]
    [InlineData("01199250159", "organization fiscal code check digit is 9, expected 8")]
    [InlineData("0119925015", "organization fiscal code must be 11 digits, got 10")]
    [InlineData("0119925015A", "organization fiscal code must contain only digits, found 'A' at position 11")]
    [InlineData("00000000000", "organization fiscal code 00000000000 is a placeholder, not an entity")]
    public void Parse_Invalid_MessageSaysWhy(string text, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => OrganizationFiscalCode.Parse(text)).Message);

    [Fact]
    public void TryParse_Null_ReturnsFalse() => Assert.False(OrganizationFiscalCode.TryParse(null, out _));

    [Fact]
    public void Parse_AnySingleDigitSubstitution_IsDetected()
    {
        const string valid = "01199250158";
        for (var position = 0; position < 11; position++)
        {
            for (var digit = '0'; digit <= '9'; digit++)
            {
                if (digit != valid[position])
                {
                    var mutated = string.Concat(valid.AsSpan(0, position), digit.ToString(), valid.AsSpan(position + 1));
                    Assert.False(OrganizationFiscalCode.TryParse(mutated, out _), mutated);
                }
            }
        }
    }

    [Fact]
    public void Default_IsNotValid() => Assert.True(default(OrganizationFiscalCode).IsDefault);

    [Fact]
    public void Equality_Contract_Holds() =>
        EqualityContract.AssertValueSemantics(
            OrganizationFiscalCode.Parse("01199250158"),
            OrganizationFiscalCode.Parse("01199250158"),
            OrganizationFiscalCode.Parse("08911820960"),
            default);
}
