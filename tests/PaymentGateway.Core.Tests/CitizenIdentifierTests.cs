namespace PaymentGateway.Core.Tests;

public sealed class CitizenIdentifierTests
{
    [Theory]
    [InlineData("RSSMRA85T10A562S", "RSSMRA85T10A562S")]
    [InlineData("TINIT-RSSMRA85T10A562S", "RSSMRA85T10A562S")] // SPID / CIE fiscalNumber
    [InlineData("tinit-rssmra85t10a562s", "RSSMRA85T10A562S")]
    [InlineData("RSSMRA85T10A56NH", "RSSMRA85T10A56NH")] // omocode: kept as given
    [InlineData("01199250158", "01199250158")] // an 11-digit (temporary) code
    public void TryParse_CitizenCodes_PersonIdentifierInUpperCase(string text, string expected)
    {
        Assert.True(CitizenIdentifier.TryParse(text, out var citizen));
        Assert.Equal(EntityType.Person, citizen.Type);
        Assert.Equal(expected, citizen.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("TINIT-")]
    [InlineData("RSSMRA85T10A562X")] // check letter
    [InlineData("TINIT-RSSMRA85T10A562X")]
    [InlineData("TINIT-TINIT-RSSMRA85T10A562S")]
    [InlineData("01199250159")] // check digit
    [InlineData("ANONIMO")]
    [InlineData("RSSMRA85T10A562S ")]
    [InlineData("GBR-RSSMRA85T10A562S")]
    public void TryParse_AnythingElse_IsRefused(string? text)
    {
        Assert.False(CitizenIdentifier.TryParse(text, out var citizen));
        Assert.True(citizen.IsDefault);
    }
}
