namespace PaymentGateway.Core.Tests;

public class PersonalFiscalCodeTests
{
    [Theory]
    [InlineData("RSSMRA85T10A562S")]
    [InlineData("BNCLRA90D50F205Q")] // woman: day 50 = 10 + 40
    public void Parse_BaseCodes_AreValidAndNotOmocode(string text)
    {
        var code = PersonalFiscalCode.Parse(text);
        Assert.Equal(text, code.Value);
        Assert.False(code.IsOmocode);
        Assert.Equal(text, code.ToBaseForm());
    }

    [Theory]
    [InlineData("RSSMRA85T10A56NH")] // last digit 2 -> N
    [InlineData("RSSMRAURTMLARSNL")] // every digit replaced
    public void Parse_OmocodeVariants_AreValidAndMapBack(string text)
    {
        var code = PersonalFiscalCode.Parse(text);
        Assert.True(code.IsOmocode);
        Assert.Equal("RSSMRA85T10A562S", code.ToBaseForm());
    }

    [Fact]
    public void Parse_LowerCase_IsNormalized() =>
        Assert.Equal("RSSMRA85T10A562S", PersonalFiscalCode.Parse("rssmra85t10a562s").Value);

    [Theory]
    [InlineData("RSSMRA85T10A562X", "personal fiscal code check letter is X, expected S")]
    [InlineData("RSSMRA85T10A562", "personal fiscal code must be 16 characters, got 15")]
    [InlineData("RSSMR485T10A562S", "personal fiscal code must have a letter at position 6, found '4'")]
    [InlineData("RSSMRA85F10A562S", "personal fiscal code month letter 'F' is not one of ABCDEHLMPRST")]
    [InlineData("RSSMRA85T32A562S", "personal fiscal code day 32 is not in 01-31 or 41-71")]
    [InlineData("RSSMRA85T00A562S", "personal fiscal code day 00 is not in 01-31 or 41-71")]
    [InlineData("RSSMRA85T72A562S", "personal fiscal code day 72 is not in 01-31 or 41-71")]
    [InlineData("RSSMRA8AT10A562S", "personal fiscal code must have a digit (or omocodia letter L-V) at position 8, found 'A'")]
    [InlineData("RSSMRA85T10A5625", "personal fiscal code must end with a check letter, found '5'")]
    public void Parse_Invalid_MessageSaysWhy(string text, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => PersonalFiscalCode.Parse(text)).Message);

    [Fact]
    public void Parse_AnySingleCharSubstitution_IsDetectedOrStructurallyInvalid()
    {
        const string valid = "RSSMRA85T10A562S";
        for (var position = 0; position < 15; position++)
        {
            foreach (var c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            {
                if (c == valid[position])
                {
                    continue;
                }

                var mutated = string.Concat(valid.AsSpan(0, position), c.ToString(), valid.AsSpan(position + 1));
                if (PersonalFiscalCode.TryParse(mutated, out var parsed))
                {
                    // Only an omocodia letter with the same check can slip through: it must still denote the same person.
                    Assert.Equal(valid, parsed.ToBaseForm());
                }
            }
        }
    }

    [Fact]
    public void Default_IsNotValid()
    {
        Assert.True(default(PersonalFiscalCode).IsDefault);
        Assert.False(default(PersonalFiscalCode).IsOmocode);
    }

    [Fact]
    public void Equality_Contract_Holds() =>
        EqualityContract.AssertValueSemantics(
            PersonalFiscalCode.Parse("RSSMRA85T10A562S"),
            PersonalFiscalCode.Parse("rssmra85t10a562s"),
            PersonalFiscalCode.Parse("RSSMRA85T10A56NH"),
            default);
}
