using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Gateway.Aca;
using PaymentGateway.Gateway.Tests.Hosting;
using PaymentGateway.Testing;
using static PaymentGateway.Gateway.Tests.Aca.AcaTestKit;

namespace PaymentGateway.Gateway.Tests.Aca;

/// <summary>The mirror as the real host (Program) runs it: registered from configuration, off unless enabled.</summary>
public sealed class AcaHostTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await Seed.CreditorsAsync(database.DataSource);
        await ForgetEarlierEventsAsync(database);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [DatabaseFact]
    public async Task Disabled_ByDefault_NothingSentAndEventsStayPending()
    {
        await using var aca = await FakeAca.StartAsync();
        var settings = Settings(aca);
        settings.Remove("Aca:Enabled");
        settings["ConnectionStrings:Gateway"] = database.ConnectionString;
        await CreateAsync(database, Position());
        await using var factory = new GatewayFactory(settings);

        await factory.CreateClient().GetAsync(new Uri("/health/live", UriKind.Relative));
        await Task.Delay(500);

        Assert.Null(factory.Services.GetService<AcaDispatcher>());
        Assert.Empty(aca.Calls);
        Assert.Equal(1, await PendingAsync(database));
    }

    [Fact]
    public async Task Start_EnabledWithoutSubscriptionKey_ExitsTwoNamingTheSetting()
    {
        var (code, error) = await HostTests.RunGatewayProcessAsync(
            ("ConnectionStrings__Gateway", "Host=127.0.0.1;Port=1"), ("Gateway__MigrateOnStart", "false"),
            ("Gateway__BrokerFiscalCode", "01199250158"), ("Aca__Enabled", "true"), ("Aca__BaseUrl", "https://api.platform.pagopa.it/aca/v1"));

        Assert.Equal(2, code);
        Assert.Equal("configuration error: Aca:SubscriptionKey is required when Aca:Enabled is true", error.Trim());
    }

    [DatabaseFact]
    public async Task Enabled_GatewayHost_MirrorsCreatedPositionAndExportsMetrics()
    {
        await using var aca = await FakeAca.StartAsync();
        var settings = Settings(aca);
        settings["ConnectionStrings:Gateway"] = database.ConnectionString;
        var position = Position();
        await CreateAsync(database, position);
        await using var factory = new GatewayFactory(settings);
        var client = factory.CreateClient();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await PendingAsync(database) > 0)
        {
            await Task.Delay(50, timeout.Token);
        }

        Assert.Equal(position.Options[0].Iuv.ToString(), Assert.Single(aca.Calls).Iuv);
        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("pgw_aca_sent", metrics, StringComparison.Ordinal);
        Assert.Contains("pgw_aca_pending", metrics, StringComparison.Ordinal);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
            "select attempts from outbox where aggregate_key = @key", new { key = $"01199250158/{position.Iupd}" }));
    }
}
