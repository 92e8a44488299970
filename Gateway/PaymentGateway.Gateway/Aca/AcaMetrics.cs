using System.Diagnostics.Metrics;
using PaymentGateway.Gateway.Hosting;

namespace PaymentGateway.Gateway.Aca;

/// <summary>
/// Instruments of the ACA mirror (Prometheus: <c>pgw_aca_sent_total</c>, <c>pgw_aca_failed_total{kind}</c>,
/// <c>pgw_aca_pending</c>, <c>pgw_aca_parked</c>). Alert on parked &gt; 0 and on pending growing for long.
/// </summary>
internal sealed class AcaMetrics
{
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private long _pending;
    private long _parked;

    public AcaMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(GatewayHostingExtensions.MeterName);
        _sent = meter.CreateCounter<long>("pgw.aca.sent", "{call}", "paCreatePosition calls ACA accepted");
        _failed = meter.CreateCounter<long>("pgw.aca.failed", "{call}", "paCreatePosition calls that failed (kind: transient or permanent)");
        meter.CreateObservableGauge("pgw.aca.pending", () => Volatile.Read(ref _pending), "{event}", "position events waiting to be mirrored");
        meter.CreateObservableGauge("pgw.aca.parked", () => Volatile.Read(ref _parked), "{event}", "position events parked after a permanent error");
    }

    public void Sent() => _sent.Add(1);

    public void Failed(AcaCallOutcome kind) =>
        _failed.Add(1, new KeyValuePair<string, object?>("kind", kind == AcaCallOutcome.Permanent ? "permanent" : "transient"));

    public void Backlog(long pending, long parked)
    {
        Volatile.Write(ref _pending, pending);
        Volatile.Write(ref _parked, parked);
    }
}
