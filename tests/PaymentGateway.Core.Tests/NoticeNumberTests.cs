namespace PaymentGateway.Core.Tests;

public class NoticeNumberTests
{
    // NOTES.md §b.2 worked examples.
    [Theory]
    [InlineData("301000000000000144", "01", 1L, 44)]
    [InlineData("312202500001234530", "12", 2025000012345L, 30)]
    [InlineData("348173447377455101", "48", 1734473774551L, 1)]
    [InlineData("347164993070184562", "47", 1649930701845L, 62)]
    [InlineData("302000000000000184", "02", 1L, 84)]
    [InlineData("301000000000012373", "01", 123L, 73)]
    public void Parse_NotesExamples_AreValid(string text, string segregation, long iuvBase, int check)
    {
        var notice = NoticeNumber.Parse(text);
        Assert.Equal(text, notice.Value);
        Assert.Equal(text, notice.ToString());
        Assert.Equal(3, notice.AuxDigit);
        Assert.Equal(segregation, notice.SegregationCode.ToString());
        Assert.Equal(text[1..], notice.Iuv.Value);
        Assert.Equal(iuvBase, notice.Iuv.Base);
        Assert.Equal(check, notice.Iuv.CheckDigits);
        Assert.Equal(notice, NoticeNumber.Create(SegregationCode.Parse(segregation), iuvBase));
    }

    [Fact]
    public void Parse_SanpPlaceholder_IsInvalidWithExpectedCheck47()
    {
        Assert.False(NoticeNumber.TryParse("311111111112222222", out var value));
        Assert.True(value.IsDefault);
        var ex = Assert.Throws<FormatException>(() => NoticeNumber.Parse("311111111112222222"));
        Assert.Equal("check digits are 22, expected 47", ex.Message);
    }

    [Theory]
    [InlineData("001340000013900808", '0')]
    [InlineData("101234567890123456", '1')]
    [InlineData("212345678901234567", '2')]
    public void Parse_LegacyAuxDigit_RejectedAsRetired(string text, char aux)
    {
        var ex = Assert.Throws<FormatException>(() => NoticeNumber.Parse(text));
        Assert.Equal($"aux digit {aux} is retired (SACI 3.1.0); only aux digit 3 is accepted", ex.Message);
    }

    [Fact]
    public void Parse_AuxDigit5_Rejected() =>
        Assert.Contains("aux digit 5 does not exist", Assert.Throws<FormatException>(() => NoticeNumber.Parse("501000000000000144")).Message, StringComparison.Ordinal);

    [Fact]
    public void TryParse_StandInProbe_ReturnsFalse() =>
        Assert.False(NoticeNumber.TryParse("000000000000000000", out _));

    [Theory]
    [InlineData("30100000000000014", "notice number must be 18 digits, got 17")]
    [InlineData("3010000000000001444", "notice number must be 18 digits, got 19")]
    [InlineData("30100000000000014A", "notice number must contain only digits, found 'A' at position 18")]
    [InlineData("301000000000000145", "check digits are 45, expected 44")]
    public void Parse_Invalid_MessageSaysWhy(string text, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => NoticeNumber.Parse(text)).Message);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" 301000000000000144")]
    [InlineData("3010 0000 0000 0001 44")]
    public void TryParse_Garbage_ReturnsFalse(string? text) => Assert.False(NoticeNumber.TryParse(text, out _));

    [Fact]
    public void ToPrintedString_GroupsOfFour()
    {
        var printed = NoticeNumber.Parse("301000000000000144").ToPrintedString();
        Assert.Equal("3010 0000 0000 0001 44", printed);
        Assert.Equal(22, printed.Length);
    }

    [Fact]
    public void Create_EveryBaseUpTo2000AndRandomBases_RoundTrips()
    {
        var random = new Random(93);
        for (var i = 0; i < 3000; i++)
        {
            var segregation = SegregationCode.Create(i % 100);
            var iuvBase = i <= 2000 ? i : random.NextInt64(0, Iuv.MaxBase + 1);
            var notice = NoticeNumber.Create(segregation, iuvBase);
            var parsed = NoticeNumber.Parse(notice.Value);
            Assert.Equal(notice, parsed);
            Assert.Equal(segregation, parsed.SegregationCode);
            Assert.Equal(iuvBase, parsed.Iuv.Base);
            Assert.Equal(notice.Iuv, Iuv.Create(segregation, iuvBase));
            Assert.Equal(notice, notice.Iuv.ToNoticeNumber());
            Assert.Equal(Reference(notice.Value[..16]), notice.Iuv.CheckDigits);
        }
    }

    [Fact]
    public void Create_MaxBase_IsValid()
    {
        var notice = NoticeNumber.Create(SegregationCode.Create(99), Iuv.MaxBase);
        Assert.Equal("399" + "9999999999999", notice.Value[..16]);
        Assert.True(NoticeNumber.TryParse(notice.Value, out _));
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(10_000_000_000_000L)]
    public void Create_BaseOutOfRange_Throws(long iuvBase) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => NoticeNumber.Create(SegregationCode.Create(1), iuvBase));

    [Fact]
    public void Parse_AnySingleDigitSubstitution_IsDetected()
    {
        // 10^k mod 93 is never 0, so mod 93 catches every single-digit substitution in the first 16 digits;
        // a change in the check digits themselves makes them disagree with the (unchanged) prefix.
        var random = new Random(7);
        for (var n = 0; n < 200; n++)
        {
            var valid = NoticeNumber.Create(SegregationCode.Create(random.Next(100)), random.NextInt64(0, Iuv.MaxBase + 1)).Value;
            for (var position = 1; position < 18; position++)
            {
                for (var digit = '0'; digit <= '9'; digit++)
                {
                    if (valid[position] == digit)
                    {
                        continue;
                    }

                    var mutated = string.Concat(valid.AsSpan(0, position), digit.ToString(), valid.AsSpan(position + 1));
                    Assert.False(NoticeNumber.TryParse(mutated, out _), $"{mutated} (from {valid}) should be invalid");
                }
            }
        }
    }

    [Fact]
    public void Default_IsNotValid()
    {
        var notice = default(NoticeNumber);
        Assert.True(notice.IsDefault);
        Assert.Equal(string.Empty, notice.ToString());
        Assert.Equal(string.Empty, notice.ToPrintedString());
        Assert.True(notice.Iuv.IsDefault);
        Assert.False(NoticeNumber.Parse("301000000000000144").IsDefault);
    }

    [Fact]
    public void Equality_Contract_Holds() =>
        EqualityContract.AssertValueSemantics(
            NoticeNumber.Parse("301000000000000144"),
            NoticeNumber.Create(SegregationCode.Create(1), 1),
            NoticeNumber.Parse("302000000000000184"),
            default);

    private static int Reference(string prefix16) => (int)(System.Numerics.BigInteger.Parse(prefix16) % 93);
}
