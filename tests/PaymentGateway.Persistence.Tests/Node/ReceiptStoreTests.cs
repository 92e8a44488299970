using System.Text.Json;
using Dapper;
using PaymentGateway.Core.Positions;
using PaymentGateway.Core.Receipts;
using PaymentGateway.Persistence.Node;
using PaymentGateway.Persistence.Positions;
using PaymentGateway.Testing;

namespace PaymentGateway.Persistence.Tests.Node;

/// <summary>The position events a receipt writes for the ACA mirror (docs/aca.md).</summary>
public sealed class ReceiptStoreTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 11, 20, 17, 31, 0, TimeSpan.Zero);

    public Task InitializeAsync() => Seed.CreditorsAsync(database.DataSource);

    public Task DisposeAsync() => Task.CompletedTask;

    [DatabaseFact]
    public async Task Store_InstallmentPaid_WritesPositionChangedWithTheWholePositionAfterIt()
    {
        var position = new PositionBuilder().StartingAt(80_000).Build(cents: 30_000, installments: 3);
        await new PositionBulkWriter(database.DataSource, TimeProvider.System).WriteAsync([position], 2026, "TARI", CancellationToken.None);
        var paid = position.Options[2];

        var result = await Receipts.StoreAsync(database.DataSource, paid, "rs-inst-2", At);

        Assert.Equal(ReceiptStoreOutcome.Stored, result.Outcome);
        var events = await PositionEventsAsync(position);
        Assert.Equal([PositionEvents.Created, PositionEvents.Changed], events.Select(e => e.EventType));
        var changed = events[1];
        Assert.Equal(At, changed.CreatedAt);
        // The SQL-built payload reads as exactly what PositionEventPayload.From gives for the position after the receipt.
        var after = DebtPosition.Create(position.Organization, position.Iupd, position.Debtor, position.DebtorName, position.Description,
            position.Options.Select(o => o == paid ? o.WithStatus(PaymentOptionStatus.Paid) : o).ToList()).Value;
        var expected = PositionEventPayload.From(after);
        var payload = JsonSerializer.Deserialize<PositionEventPayload>(changed.Payload, PositionEvents.Json)!;
        Assert.Equal((expected.OrganizationFiscalCode, expected.Iupd, expected.Debtor, expected.Description),
            (payload.OrganizationFiscalCode, payload.Iupd, payload.Debtor, payload.Description));
        Assert.Equal(expected.Options, payload.Options);
        Assert.Equal(["Valid", "Valid", "Paid", "Valid"], payload.Options.Select(o => o.Status));
    }

    [DatabaseTheory]
    [InlineData(0, 2, 86_000)]
    [InlineData(2, 0, 87_000)]
    public async Task Store_OtherKindOfThePlanAfterItWasSettled_FlaggedAsDoublePaymentAndLeftUnpaid(int first, int second, int start)
    {
        // Single payment then an installment, or an installment then the single payment: the second pays a debt already
        // settled (a Stand-In payment, say), so it must become a refund case, not a second paid option.
        var position = new PositionBuilder().StartingAt(start).Build(cents: 30_000, installments: 3);
        await new PositionBulkWriter(database.DataSource, TimeProvider.System).WriteAsync([position], 2026, "TARI", CancellationToken.None);
        Assert.False(position.Options[0].IsInstallment);

        var settled = await Receipts.StoreAsync(database.DataSource, position.Options[first], $"rs-plan-{start}-a", At);
        var again = await Receipts.StoreAsync(database.DataSource, position.Options[second], $"rs-plan-{start}-b", At);

        Assert.Equal((ReceiptStoreOutcome.Stored, (ReceiptAnomaly?)null), (settled.Outcome, settled.Anomaly));
        Assert.Equal((ReceiptStoreOutcome.Stored, (ReceiptAnomaly?)ReceiptAnomaly.DuplicatePayment), (again.Outcome, again.Anomaly));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var statuses = (await connection.QueryAsync<string>(
            "select status from payment_options where notice_number = any(@notices) order by installment_number nulls first",
            new { notices = position.Options.Select(o => o.NoticeNumber.ToString()).ToArray() })).ToList();
        Assert.Equal(position.Options.Select((_, i) => i == first ? "Paid" : "Valid"), statuses);
    }

    [DatabaseFact]
    public async Task Store_RedeliveryAndSecondPayment_WriteNoFurtherPositionEvent()
    {
        var position = new PositionBuilder().StartingAt(81_000).Build(cents: 12_000);
        await new PositionBulkWriter(database.DataSource, TimeProvider.System).WriteAsync([position], 2026, "TARI", CancellationToken.None);
        var option = position.Options[0];
        await Receipts.StoreAsync(database.DataSource, option, "rs-first", At);

        var again = await Receipts.StoreAsync(database.DataSource, option, "rs-first", At.AddHours(1));
        var twice = await Receipts.StoreAsync(database.DataSource, option, "rs-second", At.AddHours(2));

        Assert.Equal(ReceiptStoreOutcome.Redelivered, again.Outcome);
        Assert.Equal(ReceiptStoreOutcome.Stored, twice.Outcome);
        Assert.Equal(Core.Receipts.ReceiptAnomaly.DuplicatePayment, twice.Anomaly);
        // The notice was already closed by the first receipt: nothing new for ACA.
        Assert.Equal([PositionEvents.Created, PositionEvents.Changed], (await PositionEventsAsync(position)).Select(e => e.EventType));
    }

    [DatabaseFact]
    public async Task Store_TwoInstallmentsAtOnce_LaterEventCarriesBothPayments()
    {
        var position = new PositionBuilder().StartingAt(82_000).Build(cents: 20_000, installments: 2);
        await new PositionBulkWriter(database.DataSource, TimeProvider.System).WriteAsync([position], 2026, "TARI", CancellationToken.None);

        await Task.WhenAll(
            Receipts.StoreAsync(database.DataSource, position.Options[1], "rs-both-1", At),
            Receipts.StoreAsync(database.DataSource, position.Options[2], "rs-both-2", At));

        // The position's event lock orders the two transactions: the second to commit wrote its event last and saw
        // the first one's payment, so the last event is the final state.
        var last = (await PositionEventsAsync(position))[^1];
        var payload = JsonSerializer.Deserialize<PositionEventPayload>(last.Payload, PositionEvents.Json)!;
        Assert.Equal(["Valid", "Paid", "Paid"], payload.Options.Select(o => o.Status));
    }

    [DatabaseFact]
    public async Task Store_DifferentReceiptsForOnePlanAtOnce_ExactlyOnePaymentTheRestDoublePayments()
    {
        // Twelve different payments of one plan arrive together (double payments, Stand-In): 8 of the single payment,
        // 4 of the first installment. Whatever order they commit in, one pays the debt and the other eleven are stored
        // as refund cases; the single payment and an installment are never both paid.
        var position = new PositionBuilder().StartingAt(83_000).Build(cents: 20_000, installments: 2);
        await new PositionBulkWriter(database.DataSource, TimeProvider.System).WriteAsync([position], 2026, "TARI", CancellationToken.None);
        var payments = Enumerable.Range(0, 12).Select(i => (Option: position.Options[i < 8 ? 0 : 1], ReceiptId: $"rs-race-{i}"));

        var results = await Task.WhenAll(payments.Select(p => Task.Run(() => Receipts.StoreAsync(database.DataSource, p.Option, p.ReceiptId, At))));

        Assert.All(results, r => Assert.Equal(ReceiptStoreOutcome.Stored, r.Outcome));
        Assert.Single(results, r => r.Anomaly is null);
        Assert.Equal(11, results.Count(r => r.Anomaly == ReceiptAnomaly.DuplicatePayment));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var paid = await connection.QuerySingleAsync<(long Paid, long Version)>(
            "select count(*) filter (where status = 'Paid'), sum(version) from payment_options where notice_number = any(@notices)",
            new { notices = position.Options.Select(o => o.NoticeNumber.ToString()).ToArray() });
        Assert.Equal((1L, 3L + 1), paid);
        Assert.Equal(12, await connection.QuerySingleAsync<int>("select count(*) from receipts where receipt_id like 'rs-race-%'"));
        Assert.Equal([PositionEvents.Created, PositionEvents.Changed], (await PositionEventsAsync(position)).Select(e => e.EventType));
    }

    private async Task<List<(string EventType, string Payload, DateTimeOffset CreatedAt)>> PositionEventsAsync(DebtPosition position)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<(string, string, DateTimeOffset)>(
            "select event_type, payload::text, created_at from outbox where aggregate_key = @key order by id",
            new { key = PositionEvents.AggregateKey(position) })).ToList();
    }
}
