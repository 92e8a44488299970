namespace PaymentGateway.Core.Tests;

public class DebtorIdentifierTests
{
    [Fact]
    public void TryCreate_PersonWithFiscalCode_ExposesIt()
    {
        Assert.True(DebtorIdentifier.TryCreate(EntityType.Person, "rssmra85t10a562s", out var id, out var error));
        Assert.Equal(string.Empty, error);
        Assert.Equal(EntityType.Person, id.Type);
        Assert.Equal("RSSMRA85T10A562S", id.Value);
        Assert.Equal(PersonalFiscalCode.Parse("RSSMRA85T10A562S"), id.AsPersonalFiscalCode());
        Assert.Null(id.AsOrganizationFiscalCode());
        Assert.False(id.IsAnonymous);
    }

    [Fact]
    public void TryCreate_LegalEntityWithFiscalCode_ExposesIt()
    {
        var id = DebtorIdentifier.Create(EntityType.LegalEntity, "01199250158");
        Assert.Equal(OrganizationFiscalCode.Parse("01199250158"), id.AsOrganizationFiscalCode());
        Assert.Null(id.AsPersonalFiscalCode());
    }

    [Fact]
    public void TryCreate_Anonymous_AllowedForPersonOnly()
    {
        Assert.True(DebtorIdentifier.Create(EntityType.Person, "anonimo").IsAnonymous);
        Assert.False(DebtorIdentifier.TryCreate(EntityType.LegalEntity, "ANONIMO", out _, out var error));
        Assert.Equal("ANONIMO is only allowed for a person (F)", error);
    }

    [Theory]
    [InlineData(EntityType.Person, "X1")]
    [InlineData(EntityType.Person, "AB1234567")] // foreign passport number
    [InlineData(EntityType.Person, "DE12345678901234")] // 16 chars but not fiscal-code shaped
    [InlineData(EntityType.LegalEntity, "DE123456789")]
    [InlineData(EntityType.Person, "12345678901")] // numeric id of a person: not checked under F
    public void TryCreate_GenericIdentifier_Accepted(EntityType type, string value)
    {
        Assert.True(DebtorIdentifier.TryCreate(type, value, out var id, out _));
        Assert.Equal(value, id.Value);
    }

    [Theory]
    [InlineData(EntityType.Person, null, "debtor identifier is empty")]
    [InlineData(EntityType.Person, "", "debtor identifier is empty")]
    [InlineData(EntityType.Person, "A", "debtor identifier must be 2 to 16 characters, got 1")]
    [InlineData(EntityType.Person, "ABCDEFGHIJKLMNOPQ", "debtor identifier must be 2 to 16 characters, got 17")]
    [InlineData(EntityType.Person, "AB-12", "debtor identifier may only contain letters and digits, found '-'")]
    [InlineData(EntityType.Person, "RSSMRA85T10A562X", "debtor identifier looks like a personal fiscal code but its check letter is X, expected S")]
    [InlineData(EntityType.LegalEntity, "01199250159", "debtor identifier looks like an organization fiscal code but organization fiscal code check digit is 9, expected 8")]
    [InlineData((EntityType)'X', "ABC", "entity type 88 is not F or G")]
    public void TryCreate_Invalid_ReturnsError(EntityType type, string? value, string message)
    {
        Assert.False(DebtorIdentifier.TryCreate(type, value, out var id, out var error));
        Assert.Equal(message, error);
        Assert.True(id.IsDefault);
    }

    [Fact]
    public void Parse_CanonicalText_RoundTrips()
    {
        var id = DebtorIdentifier.Parse("F:RSSMRA85T10A562S");
        Assert.Equal("F:RSSMRA85T10A562S", id.ToString());
        Assert.Equal(id, DebtorIdentifier.Parse(id.ToString()));
        Assert.Equal(EntityType.LegalEntity, DebtorIdentifier.Parse("G:01199250158").Type);
        Assert.False(DebtorIdentifier.TryParse("RSSMRA85T10A562S", out _));
        Assert.False(DebtorIdentifier.TryParse("X:ABC", out _));
        Assert.Throws<FormatException>(() => DebtorIdentifier.Parse("F:"));
    }

    [Fact]
    public void Create_Invalid_Throws() =>
        Assert.Throws<ArgumentException>(() => DebtorIdentifier.Create(EntityType.Person, "A"));

    [Fact]
    public void Default_IsNotValid()
    {
        Assert.True(default(DebtorIdentifier).IsDefault);
        Assert.Equal(string.Empty, default(DebtorIdentifier).ToString());
    }

    [Fact]
    public void Equality_Contract_Holds() =>
        EqualityContract.AssertValueSemantics(
            DebtorIdentifier.Create(EntityType.Person, "X1"),
            DebtorIdentifier.Create(EntityType.Person, "x1"),
            DebtorIdentifier.Create(EntityType.LegalEntity, "X1"),
            DebtorIdentifier.Create(EntityType.Person, "X2"),
            default);
}
