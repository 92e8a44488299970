using Dapper;
using Npgsql;
using PaymentGateway.Persistence.Positions;
using PaymentGateway.Testing;

namespace PaymentGateway.Persistence.Tests.Positions;

public sealed class PositionStoreTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    public Task InitializeAsync() => Seed.CreditorsAsync(database.DataSource);

    public Task DisposeAsync() => Task.CompletedTask;

    [DatabaseFact]
    public async Task IuvCounter_ConcurrentReservations_NeverOverlap()
    {
        var store = new IuvCounterStore(database.DataSource);
        var firsts = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ =>
            Task.Run(() => store.ReserveAsync(PositionBuilder.Creditor, Core.SegregationCode.Parse("07"), 25, CancellationToken.None))));

        var bases = firsts.SelectMany(f => Enumerable.Range(0, 25).Select(i => f + i)).ToList();
        Assert.Equal(1000, bases.Distinct().Count());
        Assert.Equal(1, bases.Min());
        Assert.Equal(1000, bases.Max());
    }

    [DatabaseFact]
    public async Task BulkWriter_Positions_LandWithTransfersSummingToEachOption()
    {
        var builder = new PositionBuilder().StartingAt(10_000);
        var positions = Enumerable.Range(0, 300).Select(i => builder.Build(cents: 10_000 + i, installments: i % 4)).ToList();

        var written = await new PositionBulkWriter(database.DataSource, TimeProvider.System).WriteAsync(positions, 2026, "TARI", CancellationToken.None);

        Assert.Equal(positions.Sum(p => p.Options.Count), written);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var mismatches = await connection.ExecuteScalarAsync<long>("""
            select count(*) from payment_options o
            where o.amount_cents <> (select sum(t.amount_cents) from transfers t where t.option_id = o.id)
            """);
        Assert.Equal(0, mismatches);
        var notices = positions.Select(p => p.SingleOption!.NoticeNumber.ToString()).ToArray();
        var total = await connection.ExecuteScalarAsync<long>("select sum(amount_cents) from payment_options where notice_number = any(@notices)", new { notices });
        Assert.Equal(positions.Sum(p => p.SingleOption!.Amount.Cents), total);
        var notice = positions[5].Options[0].NoticeNumber.ToString();
        var iuv = await connection.ExecuteScalarAsync<string>("select iuv from payment_options where organization_fiscal_code = '01199250158' and notice_number = @notice", new { notice });
        Assert.Equal(notice[1..], iuv);

        // One position.created event per position, in the same transaction, carrying what ACA needs.
        var iupds = positions.Select(p => $"01199250158/{p.Iupd}").ToArray();
        Assert.Equal(positions.Count, await connection.ExecuteScalarAsync<long>(
            "select count(*) from outbox where event_type = 'position.created' and aggregate_key = any(@iupds)", new { iupds }));
        var amount = await connection.ExecuteScalarAsync<long>(
            "select (payload->'options'->0->>'amountCents')::bigint from outbox where aggregate_key = @key", new { key = iupds[7] });
        Assert.Equal(positions[7].Options[0].Amount.Cents, amount);
    }

    [DatabaseFact]
    public async Task BulkWriter_DuplicateNoticeNumber_WritesNothing()
    {
        var builder = new PositionBuilder().StartingAt(500_000);
        var first = builder.Build();
        var clash = new PositionBuilder().StartingAt(500_000).Build();
        var unique = new PositionBuilder().StartingAt(600_000).Build();
        var writer = new PositionBulkWriter(database.DataSource, TimeProvider.System);
        await writer.WriteAsync([first], null, null, CancellationToken.None);

        var error = await Assert.ThrowsAsync<PostgresException>(() => writer.WriteAsync([unique, clash], null, null, CancellationToken.None));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        // The same notice number means the same IUV: whichever of the two unique indexes PostgreSQL checks first rejects it.
        Assert.Contains(error.ConstraintName, new[] { "payment_options_ec_notice_key", "payment_options_ec_iuv_key" });
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var count = await connection.ExecuteScalarAsync<long>("select count(*) from payment_options where notice_number = @n", new { n = unique.Options[0].NoticeNumber.ToString() });
        Assert.Equal(0, count);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from outbox where aggregate_key = @key", new { key = $"01199250158/{unique.Iupd}" }));
    }

    [DatabaseTheory]
    [InlineData("insert into payment_options (position_id, organization_fiscal_code, notice_number, iuv, amount_cents, due_date, description) values (-1, '01199250158', '301000000000000144', '01000000000000145', 100, '2026-01-01', 'x')")]
    [InlineData("insert into payment_options (position_id, organization_fiscal_code, notice_number, iuv, amount_cents, due_date, description) values (-1, '01199250158', '001000000000000144', '01000000000000144', 100, '2026-01-01', 'x')")]
    [InlineData("insert into payment_options (position_id, organization_fiscal_code, notice_number, iuv, amount_cents, due_date, description) values (-1, '01199250158', '301000000000000144', '01000000000000144', 0, '2026-01-01', 'x')")]
    [InlineData("insert into creditors (organization_fiscal_code, name, segregation_code) values ('1199250158', 'x', 1)")]
    [InlineData("insert into creditor_ibans (organization_fiscal_code, iban, is_postal) values ('01199250158', 'it60x0542811101000000123456', false)")]
    public async Task Schema_InvalidRow_IsRejectedByTheDatabase(string sql)
    {
        // CHECK constraints fire before the foreign key (position -1 does not exist), so the check is what rejects.
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var error = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(sql));
        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
    }

    [DatabaseFact]
    public async Task Receipts_SameReceiptIdForSameCreditor_IsRejectedByConstraint()
    {
        const string insert = """
            insert into receipts (organization_fiscal_code, receipt_id, notice_number, iuv, outcome, amount_cents, primitive, content_hash, raw_xml, received_at)
            values ('01199250158', 'token-1', '301000000000000144', '01000000000000144', 'OK', 100, 'paSendRTV2', '\x00', '<r/>', now())
            """;
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(insert);
        var error = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(insert));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        Assert.Equal("receipts_ec_receipt_id_key", error.ConstraintName);
    }
}
