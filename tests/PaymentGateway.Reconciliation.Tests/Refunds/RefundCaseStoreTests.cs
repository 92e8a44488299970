using Dapper;
using Microsoft.Extensions.Time.Testing;
using PaymentGateway.Persistence.Positions;
using PaymentGateway.Reconciliation.Refunds;
using PaymentGateway.Reconciliation.Tests.Settlement;
using PaymentGateway.Reconciliation.Tests.Treasury;
using PaymentGateway.Testing;

namespace PaymentGateway.Reconciliation.Tests.Refunds;

public sealed class RefundCaseStoreTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly DateTimeOffset Paid = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    [DatabaseFact]
    public async Task SyncAsync_EachRefundAnomaly_BecomesOneCase()
    {
        await using var db = FreshDatabase.Create(database);
        var receipts = await PlantAsync(db);
        var store = new RefundCaseStore(db.DataSource, _time);

        var created = await store.SyncAsync(CancellationToken.None);
        var cases = await store.ListAsync(null, CancellationToken.None);

        Assert.Equal(5, created);
        Assert.Equal(
            [
                ("R-DUP", RefundReason.DuplicatePayment, 21_000L, 21_000L),
                ("R-CANCEL", RefundReason.PaidAfterCancel, 21_000L, 21_000L),
                ("R-EXPIRY", RefundReason.PaidAfterExpiry, 21_000L, 21_000L),
                ("R-UNKNOWN", RefundReason.UnknownNotice, 7_700L, 7_700L),
                ("R-OVER", RefundReason.Overpayment, 21_500L, 500L),
            ],
            cases.Select(c => (c.ReceiptId, c.Reason, c.PaidCents, c.RefundCents)));
        Assert.All(cases, c => Assert.Equal((RefundState.Open, _time.GetUtcNow()), (c.State, c.OpenedAt)));
        // The payer when the receipt names one, else the debtor.
        Assert.Equal("PAYER00A01H501Z", cases.Single(c => c.ReceiptId == "R-DUP").PayerId);
        Assert.Equal(("F", "RSSMRA85T10A562S"), (cases.Single(c => c.ReceiptId == "R-CANCEL").PayerType, cases.Single(c => c.ReceiptId == "R-CANCEL").PayerId));
        Assert.DoesNotContain(cases, c => c.ReceiptId is "R-UNDER" or "R-KO" or "R-OK");
        Assert.Equal(receipts.Count, await CountAsync(db, "receipts"));
        Assert.Equal(5, await CountAsync(db, "refund_case_transitions"));
    }

    [DatabaseFact]
    public async Task SyncAsync_Twice_CreatesNothingNew()
    {
        await using var db = FreshDatabase.Create(database);
        await PlantAsync(db);
        var store = new RefundCaseStore(db.DataSource, _time);
        await store.SyncAsync(CancellationToken.None);
        var cases = await store.ListAsync(null, CancellationToken.None);

        var again = await store.SyncAsync(CancellationToken.None);

        Assert.Equal(0, again);
        Assert.Equal(cases, await store.ListAsync(null, CancellationToken.None));
        Assert.Equal(5, await CountAsync(db, "refund_case_transitions"));

        // A receipt flagged later gets its case at the next sync, and only it.
        await ReceiptRows.InsertAsync(db.DataSource, "R-LATER", "01000000000009999", 3_000, Paid, anomaly: "UnknownNotice");
        Assert.Equal(1, await store.SyncAsync(CancellationToken.None));
    }

    [DatabaseFact]
    public async Task ApproveThenPaid_RecordsWhoAndWhenInTheHistory()
    {
        await using var db = FreshDatabase.Create(database);
        await PlantAsync(db);
        var store = new RefundCaseStore(db.DataSource, _time);
        await store.SyncAsync(CancellationToken.None);
        var id = (await store.ListAsync(null, CancellationToken.None))[0].Id;

        _time.Advance(TimeSpan.FromHours(1));
        var approved = await store.ApproveAsync(id, "anna.verdi", CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(2));
        var paid = await store.MarkPaidBackAsync(id, " luca.bianchi ", CancellationToken.None);

        Assert.Equal(new RefundTransitionResult(RefundTransitionOutcome.Moved, RefundState.Open), approved);
        Assert.Equal(new RefundTransitionResult(RefundTransitionOutcome.Moved, RefundState.Approved), paid);
        var c = (await store.ListAsync(RefundState.PaidBack, CancellationToken.None)).Single();
        Assert.Equal((id, "anna.verdi", new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), "luca.bianchi", new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero)),
            (c.Id, c.ApprovedBy, c.ApprovedAt, c.PaidBackBy, c.PaidBackAt));
        Assert.Equal(4, (await store.ListAsync(RefundState.Open, CancellationToken.None)).Count);
        await using var connection = await db.DataSource.OpenConnectionAsync();
        Assert.Equal(["Open", "Approved", "PaidBack"],
            await connection.QueryAsync<string>("select state from refund_case_transitions where case_id = @id order by id", new { id }));
    }

    [DatabaseFact]
    public async Task Moves_IllegalTransitions_RefusedAndNothingWritten()
    {
        await using var db = FreshDatabase.Create(database);
        await PlantAsync(db);
        var store = new RefundCaseStore(db.DataSource, _time);
        await store.SyncAsync(CancellationToken.None);
        var ids = (await store.ListAsync(null, CancellationToken.None)).Select(c => c.Id).ToList();
        await store.ApproveAsync(ids[1], "anna.verdi", CancellationToken.None);
        await store.ApproveAsync(ids[2], "anna.verdi", CancellationToken.None);
        await store.MarkPaidBackAsync(ids[2], "anna.verdi", CancellationToken.None);
        var before = await CountAsync(db, "refund_case_transitions");

        // Open → PaidBack skips the approval; Approved again; anything after PaidBack; a case that does not exist.
        Assert.Equal(new RefundTransitionResult(RefundTransitionOutcome.IllegalTransition, RefundState.Open),
            await store.MarkPaidBackAsync(ids[0], "x", CancellationToken.None));
        Assert.Equal(new RefundTransitionResult(RefundTransitionOutcome.IllegalTransition, RefundState.Approved),
            await store.ApproveAsync(ids[1], "x", CancellationToken.None));
        Assert.Equal(new RefundTransitionResult(RefundTransitionOutcome.IllegalTransition, RefundState.PaidBack),
            await store.ApproveAsync(ids[2], "x", CancellationToken.None));
        Assert.Equal(new RefundTransitionResult(RefundTransitionOutcome.IllegalTransition, RefundState.PaidBack),
            await store.MarkPaidBackAsync(ids[2], "x", CancellationToken.None));
        Assert.Equal(new RefundTransitionResult(RefundTransitionOutcome.UnknownCase, null),
            await store.ApproveAsync(999_999, "x", CancellationToken.None));

        Assert.Equal(before, await CountAsync(db, "refund_case_transitions"));
        Assert.Equal([RefundState.Open, RefundState.Approved, RefundState.PaidBack, RefundState.Open, RefundState.Open],
            (await store.ListAsync(null, CancellationToken.None)).Select(c => c.State));
    }

    // A position of 210.00 (PositionBuilder), its option, and receipts for each kind of anomaly; plus three that are no refund.
    private static async Task<List<long>> PlantAsync(FreshDatabase db)
    {
        await Seed.CreditorsAsync(db.DataSource);
        var position = new PositionBuilder().StartingAt(90_000).Build(cents: 21_000);
        await new PositionBulkWriter(db.DataSource, TimeProvider.System).WriteAsync([position], 2026, "TARI", CancellationToken.None);
        var option = position.SingleOption!;
        long optionId;
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        {
            optionId = await connection.ExecuteScalarAsync<long>("select id from payment_options where notice_number = @n", new { n = option.NoticeNumber.ToString() });
        }
        var iuv = option.Iuv.ToString();
        return
        [
            await ReceiptRows.InsertAsync(db.DataSource, "R-OK", iuv, 21_000, Paid, optionId: optionId),
            await ReceiptRows.InsertAsync(db.DataSource, "R-DUP", iuv, 21_000, Paid, anomaly: "DuplicatePayment", optionId: optionId, payerId: "PAYER00A01H501Z"),
            await ReceiptRows.InsertAsync(db.DataSource, "R-CANCEL", iuv, 21_000, Paid, anomaly: "PaidAfterCancel", optionId: optionId),
            await ReceiptRows.InsertAsync(db.DataSource, "R-EXPIRY", iuv, 21_000, Paid, anomaly: "PaidAfterExpiry", optionId: optionId),
            await ReceiptRows.InsertAsync(db.DataSource, "R-UNKNOWN", "01000000000008888", 7_700, Paid, anomaly: "UnknownNotice"),
            await ReceiptRows.InsertAsync(db.DataSource, "R-OVER", iuv, 21_500, Paid, anomaly: "AmountMismatch", optionId: optionId),
            // Paid less than the option: nothing to give back.
            await ReceiptRows.InsertAsync(db.DataSource, "R-UNDER", iuv, 20_000, Paid, anomaly: "AmountMismatch", optionId: optionId),
            // Outcome KO: no money was collected.
            await ReceiptRows.InsertAsync(db.DataSource, "R-KO", iuv, 21_000, Paid, outcome: "KO", anomaly: "OutcomeKo", optionId: optionId),
        ];
    }

    private static async Task<long> CountAsync(FreshDatabase db, string table)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>($"select count(*) from {table}");
    }
}
