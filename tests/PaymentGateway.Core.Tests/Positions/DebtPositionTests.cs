using PaymentGateway.Core.Outcomes;
using PaymentGateway.Core.Positions;
using static PaymentGateway.Core.Tests.Positions.PositionBuilders;

namespace PaymentGateway.Core.Tests.Positions;

public class DebtPositionTests
{
    private static readonly DateOnly Today = new(2025, 6, 1);

    private static DomainResult<DebtPosition> Create(params PaymentOption[] options) =>
        DebtPosition.Create(Milano, "TARI-2025-000001", Debtor, "Mario Rossi", "TARI 2025", options);

    [Fact]
    public void Create_SingleAndThreeInstallments_OrdersOptions()
    {
        var position = Create(
            Option(4, installment: 3, due: Due.AddMonths(2)),
            Option(2, installment: 1),
            Option(1),
            Option(3, installment: 2, due: Due.AddMonths(1))).Value;
        Assert.Equal([null, 1, 2, 3], position.Options.Select(o => o.InstallmentNumber));
        Assert.Equal(Notice(1), position.SingleOption!.NoticeNumber);
        Assert.Equal(3, position.Installments.Count());
        Assert.Equal(PositionStatus.Valid, position.Status);
    }

    [Fact]
    public void Create_NoOptions_Fails() => Assert.Contains(Create().Errors, e => e.Field == "options");

    [Fact]
    public void Create_DuplicateNotice_Fails() =>
        Assert.Contains(Create(Option(1, installment: 1), Option(1, installment: 2)).Errors, e => e.Message.Contains("distinct", StringComparison.Ordinal));

    [Fact]
    public void Create_TwoSingleOptions_Fails() =>
        Assert.Contains(Create(Option(1), Option(2)).Errors, e => e.Message.Contains("at most one single-payment", StringComparison.Ordinal));

    [Fact]
    public void Create_InstallmentGap_Fails() =>
        Assert.Contains(Create(Option(1, installment: 1), Option(2, installment: 3)).Errors, e => e.Message.Contains("exactly 1..2, got 1,3", StringComparison.Ordinal));

    [Fact]
    public void Create_DecreasingDueDates_Fails() =>
        Assert.Contains(
            Create(Option(1, installment: 1, due: Due), Option(2, installment: 2, due: Due.AddDays(-1))).Errors,
            e => e.Message.Contains("installment 2 is due before installment 1", StringComparison.Ordinal));

    [Fact]
    public void Create_EqualDueDates_Succeeds() =>
        Assert.True(Create(Option(1, installment: 1), Option(2, installment: 2)).IsSuccess);

    [Fact]
    public void Create_FirstTransferToOtherEc_Fails()
    {
        var foreign = PaymentOption.Create(
            Notice(1), EuroCents.FromCents(100), Due, "x", null, [Transfer(1, 100, beneficiary: CittaMetropolitana)]).Value;
        Assert.Contains(Create(foreign).Errors, e => e.Field == "options[0].transfers[0].beneficiary");
    }

    [Theory]
    [InlineData("", "Mario Rossi", "TARI", "iupd")]
    [InlineData("123456789012345678901234567890123456", "Mario Rossi", "TARI", "iupd")]
    [InlineData("IUPD", "", "TARI", "debtorName")]
    [InlineData("IUPD", "Mario Rossi", "", "description")]
    public void Create_BadTexts_Fail(string iupd, string name, string description, string field) =>
        Assert.Contains(DebtPosition.Create(Milano, iupd, Debtor, name, description, [Option(1)]).Errors, e => e.Field == field);

    [Fact]
    public void Create_DefaultDebtorAndOrganization_Fail()
    {
        var errors = DebtPosition.Create(default, "IUPD", default, "Mario", "TARI", [Option(1)]).Errors;
        Assert.Contains(errors, e => e.Field == "organization");
        Assert.Contains(errors, e => e.Field == "debtor");
    }

    public static TheoryData<PaymentOptionStatus?, PaymentOptionStatus[], PositionStatus> StatusCases() => new()
    {
        // single option status, installment statuses, expected
        { PaymentOptionStatus.Valid, [], PositionStatus.Valid },
        { PaymentOptionStatus.Paid, [], PositionStatus.Paid },
        { PaymentOptionStatus.Reported, [], PositionStatus.Reported },
        { PaymentOptionStatus.Expired, [], PositionStatus.Expired },
        { PaymentOptionStatus.Cancelled, [], PositionStatus.Cancelled },
        { null, [PaymentOptionStatus.Valid, PaymentOptionStatus.Valid], PositionStatus.Valid },
        { null, [PaymentOptionStatus.Paid, PaymentOptionStatus.Valid], PositionStatus.PartiallyPaid },
        { null, [PaymentOptionStatus.Reported, PaymentOptionStatus.Expired], PositionStatus.PartiallyPaid },
        { null, [PaymentOptionStatus.Paid, PaymentOptionStatus.Reported], PositionStatus.Paid },
        { null, [PaymentOptionStatus.Reported, PaymentOptionStatus.Reported], PositionStatus.Reported },
        { null, [PaymentOptionStatus.Expired, PaymentOptionStatus.Expired], PositionStatus.Expired },
        { null, [PaymentOptionStatus.Expired, PaymentOptionStatus.Cancelled], PositionStatus.Expired },
        { null, [PaymentOptionStatus.Cancelled, PaymentOptionStatus.Cancelled], PositionStatus.Cancelled },
        { PaymentOptionStatus.Paid, [PaymentOptionStatus.Valid, PaymentOptionStatus.Valid], PositionStatus.Paid },
        { PaymentOptionStatus.Reported, [PaymentOptionStatus.Valid, PaymentOptionStatus.Valid], PositionStatus.Reported },
        { PaymentOptionStatus.Valid, [PaymentOptionStatus.Paid, PaymentOptionStatus.Valid], PositionStatus.PartiallyPaid },
        { PaymentOptionStatus.Valid, [PaymentOptionStatus.Paid, PaymentOptionStatus.Paid], PositionStatus.Paid },
        { PaymentOptionStatus.Cancelled, [PaymentOptionStatus.Valid, PaymentOptionStatus.Valid], PositionStatus.Valid },
        { PaymentOptionStatus.Expired, [PaymentOptionStatus.Valid, PaymentOptionStatus.Valid], PositionStatus.Valid },
        { PaymentOptionStatus.Expired, [PaymentOptionStatus.Expired, PaymentOptionStatus.Cancelled], PositionStatus.Expired },
    };

    [Theory]
    [MemberData(nameof(StatusCases))]
    public void Status_DerivedFromOptions(PaymentOptionStatus? single, PaymentOptionStatus[] installments, PositionStatus expected)
    {
        var options = new List<PaymentOption>();
        if (single is { } s)
        {
            options.Add(Option(100, status: s));
        }

        options.AddRange(installments.Select((status, i) => Option(i + 1, installment: i + 1, status: status)));
        Assert.Equal(expected, Position([.. options]).Status);
    }

    [Fact]
    public void CheckPayable_UnknownNotice_Sconosciuto() =>
        Assert.Equal(PaaFaultCode.PagamentoSconosciuto, Position(Option(1)).CheckPayable(Notice(2), Today, ExpiryPolicy.Never));

    [Fact]
    public void CheckPayable_ValidOption_Payable() =>
        Assert.Null(Position(Option(1)).CheckPayable(Notice(1), Today, ExpiryPolicy.Never));

    [Theory]
    [InlineData(PaymentOptionStatus.Valid, null)]
    [InlineData(PaymentOptionStatus.Paid, PaaFaultCode.PagamentoDuplicato)]
    [InlineData(PaymentOptionStatus.Reported, PaaFaultCode.PagamentoDuplicato)]
    [InlineData(PaymentOptionStatus.Cancelled, PaaFaultCode.PagamentoAnnullato)]
    [InlineData(PaymentOptionStatus.Expired, PaaFaultCode.PagamentoScaduto)]
    public void CheckPayable_ByOptionStatus(PaymentOptionStatus status, PaaFaultCode? expected) =>
        Assert.Equal(expected, Position(Option(1, status: status)).CheckPayable(Notice(1), Today, ExpiryPolicy.Never));

    [Fact]
    public void CheckPayable_SingleOptionWhenInstallmentPaid_Duplicato()
    {
        var position = Position(Option(1), Option(2, installment: 1, status: PaymentOptionStatus.Paid), Option(3, installment: 2));
        Assert.Equal(PaaFaultCode.PagamentoDuplicato, position.CheckPayable(Notice(1), Today, ExpiryPolicy.Never));
        Assert.Null(position.CheckPayable(Notice(3), Today, ExpiryPolicy.Never));
    }

    [Fact]
    public void CheckPayable_InstallmentWhenSingleOptionPaid_Duplicato()
    {
        var position = Position(Option(1, status: PaymentOptionStatus.Paid), Option(2, installment: 1));
        Assert.Equal(PaaFaultCode.PagamentoDuplicato, position.CheckPayable(Notice(2), Today, ExpiryPolicy.Never));
    }

    [Theory]
    [InlineData(false, true, PaymentOptionStatus.Paid, true)]      // single option, an installment paid
    [InlineData(false, true, PaymentOptionStatus.Reported, true)]
    [InlineData(true, false, PaymentOptionStatus.Paid, true)]      // installment, the single option paid
    [InlineData(true, true, PaymentOptionStatus.Paid, false)]      // installment, another installment paid
    [InlineData(false, true, PaymentOptionStatus.Cancelled, false)]
    [InlineData(true, false, PaymentOptionStatus.Expired, false)]
    public void IsSettledOtherwise_OnlyAPaymentOfTheOtherKindCloses(bool isInstallment, bool otherIsInstallment, PaymentOptionStatus other, bool expected) =>
        Assert.Equal(expected, DebtPosition.IsSettledOtherwise(isInstallment, [(otherIsInstallment, other), (isInstallment, PaymentOptionStatus.Valid)]));

    [Theory]
    [InlineData(0, "2025-06-30", null)] // due date itself
    [InlineData(0, "2025-07-01", PaaFaultCode.PagamentoScaduto)]
    [InlineData(10, "2025-07-10", null)] // last grace day
    [InlineData(10, "2025-07-11", PaaFaultCode.PagamentoScaduto)]
    public void CheckPayable_ExpiringPolicy_AppliesGrace(int grace, string today, PaaFaultCode? expected) =>
        Assert.Equal(
            expected,
            Position(Option(1)).CheckPayable(Notice(1), DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture), new ExpiryPolicy(true, grace)));

    [Fact]
    public void CheckPayable_NeverPolicy_PastDueStillPayable() =>
        Assert.Null(Position(Option(1)).CheckPayable(Notice(1), Due.AddYears(3), ExpiryPolicy.Never));

    [Fact]
    public void ExpiryPolicy_NegativeGrace_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExpiryPolicy(true, -1));

    [Fact]
    public void ExpiryPolicy_FromGraceDays_NullNeverExpires()
    {
        Assert.Same(ExpiryPolicy.Never, ExpiryPolicy.FromGraceDays(null));
        Assert.Equal(new ExpiryPolicy(true, 3), ExpiryPolicy.FromGraceDays(3));
    }
}
