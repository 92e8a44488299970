using System.Text;
using Microsoft.Extensions.Time.Testing;
using PaymentGateway.Reconciliation.Fdr;
using PaymentGateway.Reconciliation.Settlement;
using PaymentGateway.Reconciliation.Tests.Treasury;
using PaymentGateway.Reconciliation.Treasury;
using PaymentGateway.Testing;

namespace PaymentGateway.Reconciliation.Tests.Settlement;

public sealed class SettlementCalendarTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly TimeSpan Winter = TimeSpan.FromHours(1);

    // Italian time, 00:00 of the day.
    private static DateTimeOffset StartOf(int month, int day) => WorkingDays.StartOf(new DateOnly(2026, month, day));

    [DatabaseFact]
    public async Task LateAsync_CutOffAndWeekend_FlowLateOnlyAfterD2WorkingDays()
    {
        await using var db = FreshDatabase.Create(database);
        // Thursday 19 November 12:59: operating day Thursday, flow due Monday 23 (Friday, then over the weekend).
        await ReceiptRows.InsertAsync(db.DataSource, "T-1259", "01000000000000101", 10_000, new DateTimeOffset(2026, 11, 19, 12, 59, 0, Winter), psp: "PSPTHU");
        // Thursday 13:00: operating day Friday 20, flow due Tuesday 24.
        await ReceiptRows.InsertAsync(db.DataSource, "T-1300", "01000000000000102", 20_000, new DateTimeOffset(2026, 11, 19, 13, 0, 0, Winter), psp: "PSPFRI");
        var calendar = new SettlementCalendar(db.DataSource, TimeProvider.System);

        var mondayEvening = await calendar.LateAsync(new DateTimeOffset(2026, 11, 23, 23, 59, 0, Winter), CancellationToken.None);
        var tuesday = await calendar.LateAsync(StartOf(11, 24), CancellationToken.None);
        var wednesday = await calendar.LateAsync(StartOf(11, 25), CancellationToken.None);

        Assert.Equal(2, mondayEvening.DaysChecked);
        Assert.Empty(mondayEvening.LateFlows);
        var thursday = Assert.Single(tuesday.LateFlows);
        Assert.Equal(new LateFlow(ReceiptRows.Ec, "PSPTHU", new DateOnly(2026, 11, 19), new DateOnly(2026, 11, 23), 1, 10_000, 1, 10_000), thursday);
        Assert.Equal(
            [("PSPTHU", new DateOnly(2026, 11, 19)), ("PSPFRI", new DateOnly(2026, 11, 20))],
            wednesday.LateFlows.Select(f => (f.PspId, f.OperatingDay)));
        Assert.Equal(new DateOnly(2026, 11, 24), wednesday.LateFlows[1].ExpectedBy);
    }

    [DatabaseFact]
    public async Task LateAsync_HolidayInTheWay_DeadlineMovesPastIt()
    {
        await using var db = FreshDatabase.Create(database);
        // Friday 4 December: Monday 7 is a working day (Sant'Ambrogio is only Milan's), Tuesday 8 is not: due Wednesday 9.
        await ReceiptRows.InsertAsync(db.DataSource, "H-1", "01000000000000201", 5_000, new DateTimeOffset(2026, 12, 4, 10, 0, 0, Winter));
        var calendar = new SettlementCalendar(db.DataSource, TimeProvider.System);

        var onTheHoliday = await calendar.LateAsync(StartOf(12, 9), CancellationToken.None);
        var after = await calendar.LateAsync(StartOf(12, 10), CancellationToken.None);

        Assert.Empty(onTheHoliday.LateFlows);
        Assert.Equal(new DateOnly(2026, 12, 9), Assert.Single(after.LateFlows).ExpectedBy);
    }

    [DatabaseFact]
    public async Task LateAsync_FlowReportsTheReceipts_NotLateOnceReceived()
    {
        await using var db = FreshDatabase.Create(database);
        var flow = TreasuryScenario.Credited; // reports IUV 01000000000000144, IUR-1
        await ReceiptRows.InsertAsync(db.DataSource, "IUR-1", "01000000000000144", 123_456, new DateTimeOffset(2026, 11, 19, 9, 0, 0, Winter), psp: flow.Psp);
        await ReceiptRows.InsertAsync(db.DataSource, "IUR-2", "01000000000000145", 1_000, new DateTimeOffset(2026, 11, 19, 9, 5, 0, Winter), psp: flow.Psp);
        // The flow arrives on Tuesday 24, after its deadline (Monday 23), and reports only the first receipt.
        await ImportFlowAsync(db, flow, new DateTimeOffset(2026, 11, 24, 9, 0, 0, Winter));
        var calendar = new SettlementCalendar(db.DataSource, TimeProvider.System);

        var beforeItArrived = Assert.Single((await calendar.LateAsync(new DateTimeOffset(2026, 11, 24, 8, 0, 0, Winter), CancellationToken.None)).LateFlows);
        var afterItArrived = Assert.Single((await calendar.LateAsync(new DateTimeOffset(2026, 11, 24, 10, 0, 0, Winter), CancellationToken.None)).LateFlows);

        Assert.Equal((2L, 124_456L, 2L, 124_456L), (beforeItArrived.Receipts, beforeItArrived.Cents, beforeItArrived.Unreported, beforeItArrived.UnreportedCents));
        // Only the receipt the flow does not report is still late.
        Assert.Equal((2L, 1L, 1_000L), (afterItArrived.Receipts, afterItArrived.Unreported, afterItArrived.UnreportedCents));
    }

    [DatabaseFact]
    public async Task LateAsync_FlowsWithoutCredit_LateAfterTheWorkingDayAfterSettlement()
    {
        await using var db = FreshDatabase.Create(database);
        // Flows settled Saturday 21 November (one of them on the 1st, before any statement): credits due Monday 23.
        foreach (var flow in TreasuryScenario.Flows)
        {
            await ImportFlowAsync(db, flow, new DateTimeOffset(2026, 11, 21, 12, 0, 0, Winter));
        }
        foreach (var statement in TreasuryScenario.Statements)
        {
            Assert.Equal(StatementImportOutcome.Accepted, (await TreasuryScenario.ImportStatementAsync(db.DataSource, statement)).Outcome);
        }
        await new TreasuryMatcher(db.DataSource, TimeProvider.System).RunAsync(CancellationToken.None);
        var calendar = new SettlementCalendar(db.DataSource, new FakeTimeProvider(StartOf(11, 24).ToUniversalTime()));

        var monday = await calendar.LateAsync(new DateTimeOffset(2026, 11, 23, 18, 0, 0, Winter), CancellationToken.None);
        var tuesday = await calendar.LateAsync(CancellationToken.None);

        Assert.Empty(monday.LateCredits);
        Assert.Equal(9, tuesday.FlowsChecked);
        // Credited, credited for another amount, awaiting confirmation: not late. Never credited: late.
        Assert.Equal(
            [
                new LateCredit(TreasuryScenario.NotCredited.FlowId, "CIPBITMM", ReceiptRows.Ec, new DateOnly(2026, 11, 21), new DateOnly(2026, 11, 23), 9_990),
                new LateCredit(TreasuryScenario.SamePrefixOtherAmount.FlowId, "SELBIT2B", ReceiptRows.Ec, new DateOnly(2026, 11, 21), new DateOnly(2026, 11, 23), 9_900),
            ],
            tuesday.LateCredits);
    }

    private static async Task ImportFlowAsync(FreshDatabase db, TestFlow flow, DateTimeOffset receivedAt)
    {
        var result = await new FdrFlowStore(db.DataSource, new FakeTimeProvider(receivedAt.ToUniversalTime()))
            .ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(flow.Xml)), flow.FlowId + ".xml", CancellationToken.None);
        Assert.True(result.Outcome == FdrImportOutcome.Accepted, result.Reason);
    }
}
