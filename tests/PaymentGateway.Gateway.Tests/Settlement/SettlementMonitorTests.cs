using System.Diagnostics.Metrics;
using System.Text;
using Dapper;
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
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                insert into receipts (organization_fiscal_code, receipt_id, notice_number, iuv, outcome, amount_cents, psp_id, payment_date_time,
                                      primitive, content_hash, raw_xml, received_at)
                values ('01199250158', 'MON-1', '301000000000006001', '01000000000006001', 'OK', 1000, 'MONPSP', @paid, 'paSendRTV2', @hash, '<r/>', @paid)
                """, new { paid = new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero), hash = Encoding.UTF8.GetBytes("MON-1") });
        }
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 9, 12, 0, 0, TimeSpan.Zero));
        await using var services = new ServiceCollection()
            .AddMetrics()
            .AddLogging()
            .AddSingleton(database.DataSource)
            .AddSingleton<TimeProvider>(time)
            .AddSettlementMonitor()
            .BuildServiceProvider();
        var monitor = services.GetRequiredService<SettlementMonitor>();

        var before = ObserveGauge(services, "pgw.settlement.late_flows");
        await monitor.RefreshAsync(CancellationToken.None);
        var onTheDueDay = (ObserveGauge(services, "pgw.settlement.late_flows"), ObserveGauge(services, "pgw.settlement.late_credits"));
        time.Advance(TimeSpan.FromDays(1));
        await monitor.RefreshAsync(CancellationToken.None);
        var dayAfter = ObserveGauge(services, "pgw.settlement.late_flows");

        Assert.Equal(-1, before);
        Assert.Equal((0L, 0L), onTheDueDay);
        Assert.Equal(1, dayAfter);
    }

    // Reads this provider's gauge only: other tests' providers publish instruments with the same name.
    private static long? ObserveGauge(IServiceProvider services, string name)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        long? value = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == name && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, measurement, _, _) => value = measurement);
        listener.Start();
        listener.RecordObservableInstruments();
        return value;
    }
}
