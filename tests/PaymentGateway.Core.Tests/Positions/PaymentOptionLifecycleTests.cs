using PaymentGateway.Core.Positions;
using S = PaymentGateway.Core.Positions.PaymentOptionStatus;
using E = PaymentGateway.Core.Positions.OptionEvent;
using A = PaymentGateway.Core.Positions.LifecycleAnomaly;

namespace PaymentGateway.Core.Tests.Positions;

public class PaymentOptionLifecycleTests
{
    // Every cell of the status × event table: 5 × 5 = 25 rows.
    public static TheoryData<S, E, S, bool, A?> Table() => new()
    {
        { S.Valid, E.ReceiptReceived, S.Paid, true, null },
        { S.Valid, E.ReportedInFdr, S.Valid, false, A.ReportedWithoutReceipt },
        { S.Valid, E.Expire, S.Expired, true, null },
        { S.Valid, E.Cancel, S.Cancelled, true, null },
        { S.Valid, E.Restore, S.Valid, false, A.InvalidTransition },

        { S.Paid, E.ReceiptReceived, S.Paid, false, A.DuplicatePayment },
        { S.Paid, E.ReportedInFdr, S.Reported, true, null },
        { S.Paid, E.Expire, S.Paid, false, A.InvalidTransition },
        { S.Paid, E.Cancel, S.Paid, false, A.InvalidTransition },
        { S.Paid, E.Restore, S.Paid, false, A.InvalidTransition },

        { S.Reported, E.ReceiptReceived, S.Reported, false, A.DuplicatePayment },
        { S.Reported, E.ReportedInFdr, S.Reported, false, null },
        { S.Reported, E.Expire, S.Reported, false, A.InvalidTransition },
        { S.Reported, E.Cancel, S.Reported, false, A.InvalidTransition },
        { S.Reported, E.Restore, S.Reported, false, A.InvalidTransition },

        { S.Expired, E.ReceiptReceived, S.Paid, true, A.PaidAfterExpiry },
        { S.Expired, E.ReportedInFdr, S.Expired, false, A.ReportedWithoutReceipt },
        { S.Expired, E.Expire, S.Expired, false, A.InvalidTransition },
        { S.Expired, E.Cancel, S.Expired, false, A.InvalidTransition },
        { S.Expired, E.Restore, S.Expired, false, A.InvalidTransition },

        { S.Cancelled, E.ReceiptReceived, S.Paid, true, A.PaidAfterCancel },
        { S.Cancelled, E.ReportedInFdr, S.Cancelled, false, A.ReportedWithoutReceipt },
        { S.Cancelled, E.Expire, S.Cancelled, false, A.InvalidTransition },
        { S.Cancelled, E.Cancel, S.Cancelled, false, A.InvalidTransition },
        { S.Cancelled, E.Restore, S.Valid, true, null },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Apply_EveryStatusAndEvent_MatchesTable(S from, E e, S to, bool changed, A? anomaly) =>
        Assert.Equal(new LifecycleTransition(to, changed, anomaly), PaymentOptionLifecycle.Apply(from, e));

    [Fact]
    public void Table_CoversEveryCombination() =>
        Assert.Equal(Enum.GetValues<S>().Length * Enum.GetValues<E>().Length, Table().Count);

    [Fact]
    public void Apply_ReceiptNeverRefused_EndsPaidOrReported()
    {
        foreach (var from in Enum.GetValues<S>())
        {
            Assert.Contains(PaymentOptionLifecycle.Apply(from, E.ReceiptReceived).To, new[] { S.Paid, S.Reported });
        }
    }

    [Fact]
    public void Apply_UndefinedEvent_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PaymentOptionLifecycle.Apply(S.Valid, (E)99));

    [Fact]
    public void LifecycleTransition_Equality_Contract_Holds() =>
        EqualityContract.AssertValueSemantics(
            new LifecycleTransition(S.Paid, true, null),
            PaymentOptionLifecycle.Apply(S.Valid, E.ReceiptReceived),
            new LifecycleTransition(S.Paid, true, A.PaidAfterCancel),
            new LifecycleTransition(S.Paid, false, null));
}
