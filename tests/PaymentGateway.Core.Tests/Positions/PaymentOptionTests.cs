using PaymentGateway.Core.Positions;
using static PaymentGateway.Core.Tests.Positions.PositionBuilders;

namespace PaymentGateway.Core.Tests.Positions;

public class PaymentOptionTests
{
    private static DomainResult<PaymentOption> Create(long amount, params Transfer[] transfers) =>
        PaymentOption.Create(Notice(1), EuroCents.FromCents(amount), Due, "TARI 2025", null, transfers);

    private static void AssertError(DomainResult<PaymentOption> result, string field, string messagePart)
    {
        Assert.False(result.IsSuccess);
        Assert.Contains(result.Errors, e => e.Field == field && e.Message.Contains(messagePart, StringComparison.Ordinal));
    }

    [Fact]
    public void Create_TariWithTefa_Succeeds()
    {
        var result = Create(10000, Transfer(2, 500, beneficiary: CittaMetropolitana), Transfer(1, 9500));
        Assert.True(result.IsSuccess, string.Join("; ", result.Errors));
        var option = result.Value;
        Assert.Equal(Notice(1).Iuv, option.Iuv);
        Assert.Equal([1, 2], option.Transfers.Select(t => t.Index));
        Assert.Equal(PaymentOptionStatus.Valid, option.Status);
        Assert.Null(option.InstallmentNumber);
        Assert.False(option.AllPostal);
    }

    [Fact]
    public void Create_SumDiffersFromAmount_FailsWithCentralInvariant() =>
        AssertError(Create(10001, Transfer(1, 9500), Transfer(2, 500)), "transfers", "sum to 100.00, but the option amount is 100.01");

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(100000000000L)]
    public void Create_AmountOutOfRange_Fails(long cents) =>
        AssertError(Create(cents, Transfer(1, 100)), "amount", "between 0.01 and 999999999.99");

    [Fact]
    public void Create_MaxAmount_Succeeds() =>
        Assert.True(Create(99999999999, Transfer(1, 99999999999)).IsSuccess);

    [Fact]
    public void Create_NoTransfers_Fails() => AssertError(Create(100), "transfers", "1 to 5 transfers, got 0");

    [Fact]
    public void Create_SixTransfers_Fails() =>
        AssertError(Create(600, [.. Enumerable.Range(1, 6).Select(i => Transfer(i, 100))]), "transfers", "1 to 5 transfers, got 6");

    [Fact]
    public void Create_FiveTransfers_Succeeds() =>
        Assert.True(Create(500, [.. Enumerable.Range(1, 5).Select(i => Transfer(i, 100))]).IsSuccess);

    [Fact]
    public void Create_IndexGap_Fails() =>
        AssertError(Create(200, Transfer(1, 100), Transfer(3, 100)), "transfers", "exactly 1..2 without gaps or duplicates, got 1,3");

    [Fact]
    public void Create_DuplicateIndex_Fails() =>
        AssertError(Create(200, Transfer(1, 100), Transfer(1, 100)), "transfers", "got 1,1");

    [Fact]
    public void Create_IndexOutOfRange_Fails() =>
        AssertError(Create(100, Transfer(6, 100)), "transfers[0].index", "1..5, got 6");

    [Fact]
    public void Create_ZeroTransferAmount_Fails() =>
        AssertError(Create(100, Transfer(1, 100), Transfer(2, 0)), "transfers[1].amount", "between 0.01");

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Create_BlankDescription_Fails(string description) =>
        AssertError(PaymentOption.Create(Notice(1), EuroCents.FromCents(100), Due, description, null, [Transfer(1, 100)]), "description", "1 to 140");

    [Fact]
    public void Create_LongDescription_Fails() =>
        AssertError(PaymentOption.Create(Notice(1), EuroCents.FromCents(100), Due, new string('x', 141), null, [Transfer(1, 100)]), "description", "got 141");

    [Fact]
    public void Create_RemittanceTooLong_Fails() =>
        AssertError(Create(100, Transfer(1, 100) with { RemittanceInformation = new string('x', 141) }), "transfers[0].remittanceInformation", "1 to 140");

    [Fact]
    public void Create_MetadataLimits_Enforced()
    {
        var sixteen = Enumerable.Range(0, 16).Select(i => KeyValuePair.Create($"k{i}", "v")).ToArray();
        AssertError(Create(100, Transfer(1, 100) with { Metadata = sixteen }), "transfers[0].metadata", "at most 15");
        AssertError(Create(100, Transfer(1, 100) with { Metadata = [KeyValuePair.Create("k", new string('v', 141))] }), "transfers[0].metadata[0].value", "1 to 140");
        Assert.True(Create(100, Transfer(1, 100) with { Metadata = sixteen[..15], Capitolo = "1234", Accertamento = "2025/1" }).IsSuccess);
    }

    [Fact]
    public void Create_InstallmentZero_Fails() =>
        AssertError(PaymentOption.Create(Notice(1), EuroCents.FromCents(100), Due, "x", 0, [Transfer(1, 100)]), "installmentNumber", "at least 1");

    [Fact]
    public void Create_DefaultNotice_Fails() =>
        Assert.Contains(PaymentOption.Create(default, EuroCents.FromCents(100), Due, "x", null, [Transfer(1, 100)]).Errors, e => e.Field == "noticeNumber");

    [Fact]
    public void Create_AllPostalTransfers_SetsAllPostal()
    {
        var option = Create(300, Transfer(1, 100, new PostalAccount(PostalIban)), Transfer(2, 200, new PostalAccount(PostalIban))).Value;
        Assert.True(option.AllPostal);
        // allCCP is about where the money goes: a postal IBAN counts whatever account record carries it.
        var postalIbanAsBank = Create(300, Transfer(1, 100, new PostalAccount(PostalIban)), Transfer(2, 200, new BankAccount(PostalIban))).Value;
        Assert.True(postalIbanAsBank.AllPostal);
        var mixed = Create(300, Transfer(1, 100, new PostalAccount(PostalIban)), Transfer(2, 200, new BankAccount(BankIban))).Value;
        Assert.False(mixed.AllPostal);
    }

    [Fact]
    public void Create_PostalAccountWithBankIban_Fails() =>
        AssertError(Create(100, Transfer(1, 100, new PostalAccount(BankIban))), "transfers[0].account.iban", "Poste Italiane IBAN");

    [Fact]
    public void Create_BankAccountWithDefaultIban_Fails() =>
        AssertError(Create(100, Transfer(1, 100, new BankAccount(default))), "transfers[0].account.iban", "missing");

    [Fact]
    public void Create_ValidDigitalStamp_Succeeds() =>
        Assert.True(Create(1700, Transfer(1, 1600), Transfer(2, 100, new DigitalStamp("cXVhbHNpYXNpIGhhc2g=", "01", "MI"))).IsSuccess);

    [Theory]
    [InlineData("abc", "01", "MI", "documentHashBase64")]
    [InlineData("not base64!", "01", "MI", "documentHashBase64")]
    [InlineData("cXVhbHNpYXNpIGhhc2g=", "02", "MI", "stampType")]
    [InlineData("cXVhbHNpYXNpIGhhc2g=", "01", "mi", "province")]
    [InlineData("cXVhbHNpYXNpIGhhc2g=", "01", "MIL", "province")]
    public void Create_InvalidDigitalStamp_Fails(string hash, string type, string province, string field) =>
        AssertError(Create(100, Transfer(1, 100, new DigitalStamp(hash, type, province))), $"transfers[0].account.{field}", string.Empty);

    [Fact]
    public void Create_ManyProblems_ReportsAll()
    {
        var result = PaymentOption.Create(default, EuroCents.Zero, Due, string.Empty, 0, [Transfer(2, 0)]);
        Assert.True(result.Errors.Count >= 5);
        Assert.Throws<InvalidOperationException>(() => result.Value);
    }

    [Fact]
    public void WithStatus_NewStatus_KeepsEverythingElse()
    {
        var option = Option(1);
        var paid = option.WithStatus(PaymentOptionStatus.Paid);
        Assert.Equal(PaymentOptionStatus.Paid, paid.Status);
        Assert.Equal(PaymentOptionStatus.Valid, option.Status);
        Assert.Equal(option.NoticeNumber, paid.NoticeNumber);
        Assert.Same(option.Transfers, paid.Transfers);
    }
}
