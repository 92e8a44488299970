using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PaymentGateway.Gateway.Settlement;
using PaymentGateway.Testing;

namespace PaymentGateway.Gateway.Tests.Settlement;

public sealed class SettlementMonitorTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [DatabaseFact]
    public async Task RefreshAsync_LateFlow_GaugesShowIt()
    {
        // Paid Friday 4 December 2026 at 10:00 Italian time: the flow is due by Wednesday 9 (8 December is a holiday).
        await ClearReceiptsAsync();
        await InsertReceiptAsync("MON-1", "01000000000006001", "MONPSP");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 9, 12, 0, 0, TimeSpan.Zero));
        await using var services = new ServiceCollection()
            .AddMetrics()
            .AddLogging()
            .AddSingleton(database.DataSource)
            .AddSingleton<TimeProvider>(time)
            .AddSettlementMonitor(new ConfigurationBuilder().Build())
            .BuildServiceProvider();
        var monitor = services.GetRequiredService<SettlementMonitor>();

        var before = Gauges.Observe(services, "pgw.settlement.late_flows");
        await monitor.RefreshAsync(CancellationToken.None);
        var onTheDueDay = (Gauges.Observe(services, "pgw.settlement.late_flows"), Gauges.Observe(services, "pgw.settlement.late_credits"));
        time.Advance(TimeSpan.FromDays(1));
        await monitor.RefreshAsync(CancellationToken.None);
        var dayAfter = Gauges.Observe(services, "pgw.settlement.late_flows");

        Assert.Equal(-1, before);
        Assert.Equal((0L, 0L), onTheDueDay);
        Assert.Equal(1, dayAfter);
    }

    [DatabaseFact]
    public async Task RefreshAsync_WebhookSet_PostsOnlyWhenSomethingNewIsLateAndRetriesAFailedDelivery()
    {
        await ClearReceiptsAsync();
        await InsertReceiptAsync("HOOK-1", "01000000000006101", "HOOKPSP1");
        var hook = new RecordingHandler(HttpStatusCode.BadRequest, HttpStatusCode.OK, HttpStatusCode.OK);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Settlement:WebhookUrl"] = "https://hooks.example.test/pgw",
        }).Build();
        var services = new ServiceCollection()
            .AddMetrics()
            .AddLogging()
            .AddSingleton(database.DataSource)
            .AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 12, 10, 9, 0, 0, TimeSpan.Zero)))
            .AddSettlementMonitor(configuration);
        services.AddHttpClient(SettlementMonitor.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => hook);
        await using var provider = services.BuildServiceProvider();
        var monitor = provider.GetRequiredService<SettlementMonitor>();

        await monitor.RefreshAsync(CancellationToken.None);   // refused (400): not counted as delivered
        await monitor.RefreshAsync(CancellationToken.None);   // delivered
        await monitor.RefreshAsync(CancellationToken.None);   // nothing new: no call
        await InsertReceiptAsync("HOOK-2", "01000000000006102", "HOOKPSP2");
        await monitor.RefreshAsync(CancellationToken.None);   // a new late day: delivered, naming both

        Assert.Equal(3, hook.Bodies.Count);
        Assert.Equal(new Uri("https://hooks.example.test/pgw"), hook.Uris[1]);
        using var second = JsonDocument.Parse(hook.Bodies[1]);
        Assert.Equal("settlement.late", second.RootElement.GetProperty("event").GetString());
        Assert.Equal(["HOOKPSP1"], second.RootElement.GetProperty("lateFlows").EnumerateArray().Select(f => f.GetProperty("pspId").GetString()));
        using var third = JsonDocument.Parse(hook.Bodies[2]);
        Assert.Equal(["HOOKPSP1", "HOOKPSP2"], third.RootElement.GetProperty("lateFlows").EnumerateArray().Select(f => f.GetProperty("pspId").GetString()));
    }

    // The tests of the class share a database.
    private async Task ClearReceiptsAsync()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("delete from receipts");
    }

    // Paid Friday 4 December 2026 at 10:00 Italian time.
    private async Task InsertReceiptAsync(string receiptId, string iuv, string psp)
    {
        const string sql = """
            insert into receipts (organization_fiscal_code, receipt_id, notice_number, iuv, outcome, amount_cents, psp_id, payment_date_time,
                                  primitive, content_hash, raw_xml, received_at)
            values ('01199250158', @receiptId, '3' || @iuv, @iuv, 'OK', 1000, @psp, @paid, 'paSendRTV2', @hash, '<r/>', @paid)
            """;
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(sql, new { receiptId, iuv, psp, paid = new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero), hash = Encoding.UTF8.GetBytes(receiptId) });
    }

    private sealed class RecordingHandler(params HttpStatusCode[] answers) : HttpMessageHandler
    {
        public List<string> Bodies { get; } = [];

        public List<Uri?> Uris { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Uris.Add(request.RequestUri);
            Bodies.Add(await request.Content!.ReadAsStringAsync(cancellationToken));
            return new HttpResponseMessage(answers[Math.Min(Bodies.Count - 1, answers.Length - 1)]);
        }
    }
}
