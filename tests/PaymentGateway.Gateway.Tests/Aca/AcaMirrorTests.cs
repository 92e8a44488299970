using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Core;
using PaymentGateway.Core.Positions;
using PaymentGateway.Gateway.Aca;
using PaymentGateway.Persistence.Positions;
using PaymentGateway.Testing;
using static PaymentGateway.Gateway.Tests.Aca.AcaTestKit;

namespace PaymentGateway.Gateway.Tests.Aca;

public sealed class AcaMirrorTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await Seed.CreditorsAsync(database.DataSource);
        await ForgetEarlierEventsAsync(database);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [DatabaseFact]
    public async Task Created_PlanWithInstallments_OneCallPerOptionWithCentsNavIuvAndIban()
    {
        await using var aca = await FakeAca.StartAsync();
        await using var services = Mirror(database, Settings(aca));
        var position = Position(cents: 21_050, installments: 2);
        await CreateAsync(database, position);

        await DrainAsync(services.GetRequiredService<AcaDispatcher>(), database);

        Assert.Equal(3, aca.Calls.Count);
        foreach (var option in position.Options)
        {
            var body = Assert.Single(aca.Calls, c => c.Iuv == option.Iuv.ToString()).Body;
            Assert.Equal("01199250158", body.GetProperty("paFiscalCode").GetString());
            Assert.Equal("F", body.GetProperty("entityType").GetString());
            Assert.Equal("RSSMRA85T10A562S", body.GetProperty("entityFiscalCode").GetString());
            Assert.Equal("MARIO ROSSI", body.GetProperty("entityFullName").GetString());
            Assert.Equal(option.NoticeNumber.ToString(), body.GetProperty("nav").GetString());
            Assert.Equal(JsonValueKind.Number, body.GetProperty("amount").ValueKind);
            Assert.Equal(option.Amount.Cents, body.GetProperty("amount").GetInt64());
            Assert.Equal("TARI 2026", body.GetProperty("description").GetString());
            Assert.Equal($"{option.DueDate:yyyy-MM-dd}T23:59:59", body.GetProperty("expirationDate").GetString());
            // Stand-In credits the whole amount to the EC: its own IBAN, not the TEFA beneficiary's.
            Assert.Equal(PositionBuilder.CreditorIban.ToString(), body.GetProperty("iban").GetString());
            Assert.False(body.TryGetProperty("postalIban", out _));
            Assert.False(body.GetProperty("switchToExpired").GetBoolean());
            Assert.True(body.GetProperty("payStandIn").GetBoolean());
        }
        Assert.Equal([10_525, 10_525, 21_050], aca.Calls.Select(c => c.Amount).Order());
        Assert.All(aca.Calls, c => Assert.Equal("test-key", c.SubscriptionKey));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from outbox where published_at is null"));
    }

    [DatabaseFact]
    public async Task Created_PostalAccountAndExpiringCreditor_SendsPostalIbanAndSwitchToExpired()
    {
        await using var aca = await FakeAca.StartAsync();
        await using var services = Mirror(database, Settings(aca));
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("update creditors set expiry_grace_days = 10 where organization_fiscal_code = '01199250158'");
        }
        try
        {
            var position = Position(account: new PostalAccount(PostalIban));
            await CreateAsync(database, position);

            await DrainAsync(services.GetRequiredService<AcaDispatcher>(), database);

            var body = Assert.Single(aca.Calls).Body;
            Assert.Equal(PostalIban.ToString(), body.GetProperty("postalIban").GetString());
            Assert.False(body.TryGetProperty("iban", out _));
            Assert.True(body.GetProperty("switchToExpired").GetBoolean());
            Assert.Equal("2027-01-10T23:59:59", body.GetProperty("expirationDate").GetString());
        }
        finally
        {
            await using var connection = await database.DataSource.OpenConnectionAsync();
            await connection.ExecuteAsync("update creditors set expiry_grace_days = null");
        }
    }

    [DatabaseFact]
    public async Task ChangedThenCancelled_SentInOrder_CancelSendsAmountZero()
    {
        await using var aca = await FakeAca.StartAsync();
        await using var services = Mirror(database, Settings(aca));
        var position = Position(cents: 21_000);
        await CreateAsync(database, position);
        await ChangeAsync(database, WithAmount(position, 25_000));
        await CancelAsync(database, WithAmount(position, 25_000));

        await DrainAsync(services.GetRequiredService<AcaDispatcher>(), database);

        Assert.Equal([21_000, 25_000, 0], aca.Calls.Select(c => c.Amount));
    }

    [DatabaseFact]
    public async Task Changed_OneInstallmentCancelled_SendsZeroForThatNoticeOnly()
    {
        await using var aca = await FakeAca.StartAsync();
        await using var services = Mirror(database, Settings(aca));
        var position = Position(cents: 30_000, installments: 3);
        await CreateAsync(database, position);
        var options = position.Options.Select(o => o.InstallmentNumber == 3 ? o.WithStatus(PaymentOptionStatus.Cancelled) : o).ToList();
        var changed = DebtPosition.Create(position.Organization, position.Iupd, position.Debtor, position.DebtorName, position.Description, options).Value;
        await ChangeAsync(database, changed);

        await DrainAsync(services.GetRequiredService<AcaDispatcher>(), database);

        var third = position.Options.Single(o => o.InstallmentNumber == 3).Iuv.ToString();
        Assert.Equal([10_000, 0], AcceptedAmounts(aca, third));
        Assert.Equal([30_000], AcceptedAmounts(aca, position.Options[0].Iuv.ToString()));
    }

    [DatabaseFact]
    public async Task Receipt_SinglePaymentOfAPlan_ClosesEveryNoticeOfThePosition()
    {
        await using var aca = await FakeAca.StartAsync();
        await using var services = Mirror(database, Settings(aca));
        var dispatcher = services.GetRequiredService<AcaDispatcher>();
        var position = Position(cents: 30_000, installments: 3);
        await CreateAsync(database, position);
        await DrainAsync(dispatcher, database);

        await Receipts.StoreAsync(database.DataSource, position.Options[0], $"aca-{position.Iupd}-single");
        await DrainAsync(dispatcher, database);

        // Paid, and the plan can no longer be paid either (verify answers PAA_PAGAMENTO_DUPLICATO for each installment).
        Assert.Equal([30_000, 0], AcceptedAmounts(aca, position.Options[0].Iuv.ToString()));
        foreach (var installment in position.Installments)
        {
            Assert.Equal([10_000, 0], AcceptedAmounts(aca, installment.Iuv.ToString()));
        }
    }

    [DatabaseFact]
    public async Task Receipt_Installments_CloseThemAndTheSinglePaymentOthersStayPayable()
    {
        await using var aca = await FakeAca.StartAsync();
        await using var services = Mirror(database, Settings(aca));
        var dispatcher = services.GetRequiredService<AcaDispatcher>();
        var position = Position(cents: 30_000, installments: 3);
        var (single, first, second, third) = (position.Options[0], position.Options[1], position.Options[2], position.Options[3]);
        await CreateAsync(database, position);

        await Receipts.StoreAsync(database.DataSource, first, $"aca-{position.Iupd}-1");
        await DrainAsync(dispatcher, database);

        Assert.Equal([30_000, 0], AcceptedAmounts(aca, single.Iuv.ToString()));
        Assert.Equal([10_000, 0], AcceptedAmounts(aca, first.Iuv.ToString()));
        Assert.Equal([10_000], AcceptedAmounts(aca, second.Iuv.ToString()));
        Assert.Equal([10_000], AcceptedAmounts(aca, third.Iuv.ToString()));

        await Receipts.StoreAsync(database.DataSource, second, $"aca-{position.Iupd}-2");
        await DrainAsync(dispatcher, database);

        Assert.Equal([10_000, 0], AcceptedAmounts(aca, second.Iuv.ToString()));
        Assert.Equal([10_000], AcceptedAmounts(aca, third.Iuv.ToString()));
        Assert.Equal([30_000, 0], AcceptedAmounts(aca, single.Iuv.ToString()));
    }

    [DatabaseFact]
    public async Task Receipt_AfterAnAmountChangeWithAFlakyAca_SentAtLeastOnceAndAfterTheChange()
    {
        // Every notice fails three times (more than the HTTP retries): each event is rescheduled before it goes through.
        await using var aca = await FakeAca.StartAsync((_, before) => before % 4 < 3 ? 503 : 200);
        await using var services = Mirror(database, Settings(aca));
        var position = Position(cents: 21_000);
        var option = position.Options[0];
        await CreateAsync(database, position);
        var commands = new PositionCommands(database.DataSource, new PositionReader(database.DataSource), TimeProvider.System);
        var change = await commands.ChangeOptionAsync(position.Organization, position.Iupd, option.NoticeNumber, EuroCents.FromCents(25_000),
            new Dictionary<int, EuroCents> { [1] = EuroCents.FromCents(23_750), [2] = EuroCents.FromCents(1_250) }, null, CancellationToken.None);
        Assert.Equal(PositionChangeOutcome.Changed, change.Outcome);
        await Receipts.StoreAsync(database.DataSource, option, $"aca-{position.Iupd}-paid");

        await DrainAsync(services.GetRequiredService<AcaDispatcher>(), database);

        Assert.Equal([21_000, 25_000, 0], AcceptedAmounts(aca, option.Iuv.ToString()));
        // Failed attempts included, no state reached ACA before the previous one was accepted.
        Assert.Equal([21_000, 25_000, 0], Collapse(aca.Calls.Where(c => c.Iuv == option.Iuv.ToString()).Select(c => c.Amount)));
    }

    [DatabaseFact]
    public async Task Transient503Once_RetriedByTheHttpPipeline_DeliveredInTheSameRound()
    {
        await using var aca = await FakeAca.StartAsync((_, before) => before == 0 ? 503 : 200);
        await using var services = Mirror(database, Settings(aca));
        var position = Position();
        await CreateAsync(database, position);

        var round = await services.GetRequiredService<AcaDispatcher>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, round.Delivered);
        Assert.Equal([503, 200], aca.Calls.Select(c => c.Status));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
            "select attempts from outbox where aggregate_key = @key and published_at is not null", new { key = $"01199250158/{position.Iupd}" }));
    }

    [DatabaseFact]
    public async Task TransientFailures_RetriedLater_OrderKeptPerPosition()
    {
        // Every notice fails three times (more than the HTTP retries), so each event is rescheduled at least once.
        await using var aca = await FakeAca.StartAsync((_, before) => before % 4 < 3 ? 503 : 200);
        await using var services = Mirror(database, Settings(aca));
        var first = Position(cents: 10_000);
        var second = Position(cents: 20_000);
        await CreateAsync(database, first, second);
        await ChangeAsync(database, WithAmount(first, 11_000));
        await CancelAsync(database, WithAmount(first, 11_000));
        await ChangeAsync(database, WithAmount(second, 22_000));

        await DrainAsync(services.GetRequiredService<AcaDispatcher>(), database);

        Assert.Equal([10_000, 11_000, 0], AcceptedAmounts(aca, first.Options[0].Iuv.ToString()));
        Assert.Equal([20_000, 22_000], AcceptedAmounts(aca, second.Options[0].Iuv.ToString()));
        // No later state reached ACA before an earlier one was accepted, failed attempts included.
        Assert.Equal([10_000, 11_000, 0], Collapse(aca.Calls.Where(c => c.Iuv == first.Options[0].Iuv.ToString()).Select(c => c.Amount)));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var rows = (await connection.QueryAsync<(int Attempts, string? LastError)>(
            "select attempts, last_error from outbox where aggregate_key = @key order by id", new { key = $"01199250158/{first.Iupd}" })).ToList();
        Assert.All(rows, r => Assert.True(r.Attempts >= 2, $"attempts {r.Attempts}"));
        Assert.All(rows, r => Assert.Null(r.LastError));
    }

    [DatabaseFact]
    public async Task PermanentError_EventParkedWithError_OtherPositionsAndLaterEventsContinue()
    {
        // ACA refuses one state of one notice (400); everything else is accepted.
        await using var aca = await FakeAca.StartAsync((body, _) => body.GetProperty("amount").GetInt64() == 13_013 ? 400 : 200);
        await using var services = Mirror(database, Settings(aca));
        var dispatcher = services.GetRequiredService<AcaDispatcher>();
        var refused = Position(cents: 13_013);
        var other = Position(cents: 14_000);
        await CreateAsync(database, refused, other);
        await ChangeAsync(database, WithAmount(refused, 15_000));

        await DrainAsync(dispatcher, database);

        Assert.Equal([14_000], AcceptedAmounts(aca, other.Options[0].Iuv.ToString()));
        Assert.Equal([15_000], AcceptedAmounts(aca, refused.Options[0].Iuv.ToString()));
        Assert.Single(aca.Calls, c => c.Status == 400);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var parked = await connection.QuerySingleAsync<(long Id, int Attempts, string LastError)>(
            "select id, attempts, last_error from outbox where parked_at is not null and aggregate_key = @key",
            new { key = $"01199250158/{refused.Iupd}" });
        Assert.Equal(1, parked.Attempts);
        Assert.StartsWith("HTTP 400", parked.LastError, StringComparison.Ordinal);
        await dispatcher.RefreshBacklogAsync(CancellationToken.None);
        Assert.Equal(1, Gauges.Observe(services, "pgw.aca.parked"));
        Assert.Equal(0, Gauges.Observe(services, "pgw.aca.pending"));

        // Re-drive as docs/aca.md says: a later state was already delivered, so the old one is not sent again.
        await connection.ExecuteAsync("update outbox set parked_at = null, last_error = null where id = @id", new { parked.Id });
        await DrainAsync(dispatcher, database);

        Assert.Single(aca.Calls, c => c.Amount == 13_013);
        var note = await connection.ExecuteScalarAsync<string>("select last_error from outbox where id = @id and published_at is not null", new { parked.Id });
        Assert.Contains("superseded", note, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task TwoDispatchers_SameDatabase_NeverSendAPositionsEventsOutOfOrder()
    {
        // Slow and flaky: calls overlap and some fail, which is when an ordering bug would show.
        await using var aca = await FakeAca.StartAsync((_, before) => before % 3 == 1 ? 503 : 200, TimeSpan.FromMilliseconds(3));
        var settings1 = Settings(aca, "instance-1");
        var settings2 = Settings(aca, "instance-2");
        settings1["Aca:BatchSize"] = settings2["Aca:BatchSize"] = "4";
        await using var one = Mirror(database, settings1);
        await using var two = Mirror(database, settings2);
        var positions = Enumerable.Range(0, 16).Select(i => Position(cents: 1_000 + i)).ToArray();
        await CreateAsync(database, positions);
        foreach (var p in positions)
        {
            await ChangeAsync(database, WithAmount(p, p.Options[0].Amount.Cents + 100));
            await ChangeAsync(database, WithAmount(p, p.Options[0].Amount.Cents + 200));
            await CancelAsync(database, WithAmount(p, p.Options[0].Amount.Cents + 200));
        }

        var dispatchers = new[] { one.GetRequiredService<AcaDispatcher>(), two.GetRequiredService<AcaDispatcher>() };
        await Task.WhenAll(dispatchers.Select(d => d.StartAsync(CancellationToken.None)));
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (await PendingAsync(database) > 0)
            {
                await Task.Delay(50, timeout.Token);
            }
        }
        finally
        {
            await Task.WhenAll(dispatchers.Select(d => d.StopAsync(CancellationToken.None)));
        }

        foreach (var p in positions)
        {
            var cents = p.Options[0].Amount.Cents;
            Assert.Equal([cents, cents + 100, cents + 200, 0], Collapse(aca.Calls.Where(c => c.Iuv == p.Options[0].Iuv.ToString()).Select(c => c.Amount)));
        }
        Assert.Contains(aca.Accepted, c => c.SubscriptionKey == "instance-1");
        Assert.Contains(aca.Accepted, c => c.SubscriptionKey == "instance-2");
    }

    private static List<long> Collapse(IEnumerable<long> amounts)
    {
        var collapsed = new List<long>();
        foreach (var a in amounts)
        {
            if (collapsed.Count == 0 || collapsed[^1] != a)
            {
                collapsed.Add(a);
            }
        }
        return collapsed;
    }
}
