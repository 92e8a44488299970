using System.Text.Json;
using Dapper;
using PaymentGateway.Core.Positions;
using PaymentGateway.Persistence.Positions;
using PaymentGateway.Testing;

namespace PaymentGateway.Persistence.Tests.Positions;

public sealed class PositionEventsTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    public Task InitializeAsync() => Seed.CreditorsAsync(database.DataSource);

    public Task DisposeAsync() => Task.CompletedTask;

    [DatabaseFact]
    public async Task AddChanged_Committed_WritesWholePositionUnderItsKey()
    {
        var position = new PositionBuilder().StartingAt(70_000).Build(cents: 30_000, installments: 2);
        var options = position.Options.Select(o => o.InstallmentNumber == 2 ? o.WithStatus(PaymentOptionStatus.Cancelled) : o).ToList();
        var changed = DebtPosition.Create(position.Organization, position.Iupd, position.Debtor, position.DebtorName, position.Description, options).Value;
        var at = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

        await using (var connection = await database.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await PositionEvents.AddChangedAsync(connection, transaction, changed, at, CancellationToken.None);
            await transaction.CommitAsync();
        }

        var row = await SingleEventAsync(position);
        Assert.Equal("position.changed", row.EventType);
        Assert.Equal(at, row.CreatedAt);
        using var json = JsonDocument.Parse(row.Payload);
        Assert.Equal("01199250158", json.RootElement.GetProperty("organizationFiscalCode").GetString());
        Assert.Equal("RSSMRA85T10A562S", json.RootElement.GetProperty("debtor").GetProperty("id").GetString());
        var written = json.RootElement.GetProperty("options").EnumerateArray().ToList();
        Assert.Equal(3, written.Count);
        Assert.Equal(30_000, written[0].GetProperty("amountCents").GetInt64());
        Assert.Equal("2026-12-31", written[0].GetProperty("dueDate").GetString());
        Assert.Equal(["Valid", "Valid", "Cancelled"], written.Select(o => o.GetProperty("status").GetString()));
        Assert.Equal(position.Options[2].NoticeNumber.ToString(), written[2].GetProperty("noticeNumber").GetString());
    }

    [DatabaseFact]
    public async Task AddCancelled_RolledBack_WritesNothing()
    {
        var position = new PositionBuilder().StartingAt(71_000).Build();

        await using (var connection = await database.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await PositionEvents.AddCancelledAsync(connection, transaction, position, DateTimeOffset.UnixEpoch, CancellationToken.None);
            await transaction.RollbackAsync();
        }

        await using var check = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(0, await check.ExecuteScalarAsync<long>("select count(*) from outbox where aggregate_key = @key", new { key = PositionEvents.AggregateKey(position) }));
    }

    [DatabaseFact]
    public async Task CreatedEvent_FromBulkWriter_ReadsAsTheSamePayload()
    {
        // The bulk writer builds its JSON itself; consumers read every position event as PositionEventPayload.
        var position = new PositionBuilder().StartingAt(72_000).Build(cents: 12_345, installments: 2);
        await new PositionBulkWriter(database.DataSource, TimeProvider.System).WriteAsync([position], 2026, "TARI", CancellationToken.None);

        var row = await SingleEventAsync(position);
        var payload = JsonSerializer.Deserialize<PositionEventPayload>(row.Payload, PositionEvents.Json)!;

        Assert.Equal(PositionEvents.Created, row.EventType);
        var expected = PositionEventPayload.From(position);
        Assert.Equal((expected.OrganizationFiscalCode, expected.Iupd, expected.Debtor, expected.Description),
            (payload.OrganizationFiscalCode, payload.Iupd, payload.Debtor, payload.Description));
        Assert.Equal(expected.Options.Select(o => o with { Status = null }), payload.Options);
    }

    private async Task<(string EventType, string Payload, DateTimeOffset CreatedAt)> SingleEventAsync(DebtPosition position)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(string, string, DateTimeOffset)>(
            "select event_type, payload::text, created_at from outbox where aggregate_key = @key",
            new { key = PositionEvents.AggregateKey(position) });
    }
}
