namespace PaymentGateway.Core.Tests;

public class TaxonomyCodeTests
{
    [Theory]
    [InlineData("9/0101002IM/", '9')]
    [InlineData("/0101002IM/", null)]
    [InlineData("0101002IM", null)]
    public void Parse_Forms_KeepTextAndExposeParts(string text, char? prefix)
    {
        var code = TaxonomyCode.Parse(text);
        Assert.Equal(text, code.ToString());
        Assert.Equal(prefix, code.Prefix);
        Assert.Equal("0101002IM", code.Code);
        Assert.Equal("01", code.EntityType);
        Assert.Equal("01", code.MacroArea);
        Assert.Equal("002", code.ServiceType);
        Assert.Equal("IM", code.LegalReason);
    }

    [Theory]
    [InlineData("0101100TS", "TS")]
    [InlineData("0101100SP", "SP")]
    [InlineData("0101100SA", "SA")]
    [InlineData("0101100AP", "AP")]
    public void Parse_EveryLegalReason_Accepted(string text, string reason) =>
        Assert.Equal(reason, TaxonomyCode.Parse(text).LegalReason);

    [Theory]
    [InlineData("0101100XX", "taxonomy code legal reason 'XX' is not one of IM, TS, SP, SA, AP")]
    [InlineData("010110AIM", "taxonomy code '010110AIM' must have 7 digits (EC type, macro-area, service type) before the legal reason")]
    [InlineData("9/0101002IM", "taxonomy code '9/0101002IM' must look like 0101002IM, /0101002IM/ or 9/0101002IM/")]
    [InlineData("0101002IM/", "taxonomy code '0101002IM/' must look like 0101002IM, /0101002IM/ or 9/0101002IM/")]
    [InlineData("", "taxonomy code is empty")]
    public void Parse_Invalid_MessageSaysWhy(string text, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => TaxonomyCode.Parse(text)).Message);

    [Fact]
    public void Parse_TooLong_Rejected() =>
        Assert.Contains("at most 140", Assert.Throws<FormatException>(() => TaxonomyCode.Parse(new string('1', 141))).Message, StringComparison.Ordinal);

    [Fact]
    public void Default_IsNotValid()
    {
        Assert.True(default(TaxonomyCode).IsDefault);
        Assert.Equal(string.Empty, default(TaxonomyCode).Code);
        Assert.Null(default(TaxonomyCode).Prefix);
    }

    [Fact]
    public void Equality_Contract_Holds() =>
        EqualityContract.AssertValueSemantics(
            TaxonomyCode.Parse("9/0101002IM/"),
            TaxonomyCode.Parse("9/0101002IM/"),
            TaxonomyCode.Parse("0101002IM"),
            TaxonomyCode.Parse("8/0101002IM/"),
            default);
}
