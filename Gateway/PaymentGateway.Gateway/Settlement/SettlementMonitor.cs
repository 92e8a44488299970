using System.Diagnostics.Metrics;
using Npgsql;
using PaymentGateway.Gateway.Hosting;
using PaymentGateway.Reconciliation.Settlement;

namespace PaymentGateway.Gateway.Settlement;

/// <summary>
/// Publishes the settlement calendar as gauges (Prometheus: <c>pgw_settlement_late_flows</c>, operating days whose
/// reporting flow is overdue; <c>pgw_settlement_late_credits</c>, flows whose treasury credit is overdue;
/// docs/reconciliation.md, "Settlement calendar"). Alert on either being above 0. Recomputed every
/// <see cref="Every"/>, first one minute after start (migrations run first); -1 until the first computation.
/// </summary>
internal sealed partial class SettlementMonitor : BackgroundService
{
    /// <summary>How often the calendar is recomputed: deadlines are whole days, so a few times an hour is plenty.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(15);

    private static readonly TimeSpan FirstAfter = TimeSpan.FromMinutes(1);

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly ILogger<SettlementMonitor> _logger;
    private long _lateFlows = -1;
    private long _lateCredits = -1;

    public SettlementMonitor(NpgsqlDataSource dataSource, TimeProvider time, IMeterFactory meters, ILogger<SettlementMonitor> logger)
    {
        _dataSource = dataSource;
        _time = time;
        _logger = logger;
        var meter = meters.Create(GatewayHostingExtensions.MeterName);
        meter.CreateObservableGauge("pgw.settlement.late_flows", () => Volatile.Read(ref _lateFlows), "{day}",
            "PSP operating days with receipts whose reporting flow (FdR) is past its D+2 working-day deadline");
        meter.CreateObservableGauge("pgw.settlement.late_credits", () => Volatile.Read(ref _lateCredits), "{flow}",
            "reporting flows whose treasury credit is past the working day after settlement");
    }

    /// <summary>Recomputes the gauges once.</summary>
    public async Task<SettlementReport> RefreshAsync(CancellationToken cancellationToken)
    {
        var report = await new SettlementCalendar(_dataSource, _time).LateAsync(cancellationToken);
        Volatile.Write(ref _lateFlows, report.LateFlows.Count);
        Volatile.Write(ref _lateCredits, report.LateCredits.Count);
        if (report.LateFlows.Count > 0 || report.LateCredits.Count > 0)
        {
            LogLate(_logger, report.LateFlows.Count, report.LateCredits.Count);
        }
        return report;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(FirstAfter, _time, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RefreshAsync(stoppingToken);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
                {
                    LogFailed(_logger, e.Message);
                }
                await Task.Delay(Every, _time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 2401, Level = LogLevel.Warning,
        Message = "Settlement calendar: {LateFlows} operating days without their reporting flow, {LateCredits} flows without their credit past the deadline; see `pgw reconcile late`")]
    private static partial void LogLate(ILogger logger, int lateFlows, int lateCredits);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Warning, Message = "Settlement calendar: could not compute, retrying later: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}

/// <summary>Registration of the settlement calendar's gauges.</summary>
public static class SettlementServiceCollectionExtensions
{
    /// <summary>Adds the background service that keeps <c>pgw.settlement.late_flows</c> and <c>…late_credits</c> current.</summary>
    public static IServiceCollection AddSettlementMonitor(this IServiceCollection services)
    {
        services.AddSingleton<SettlementMonitor>();
        services.AddHostedService(provider => provider.GetRequiredService<SettlementMonitor>());
        return services;
    }
}
