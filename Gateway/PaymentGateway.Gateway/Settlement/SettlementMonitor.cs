using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
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

    /// <summary>Name of the HttpClient the webhook is posted with.</summary>
    public const string HttpClientName = "SettlementWebhook";

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly ILogger<SettlementMonitor> _logger;
    private readonly IHttpClientFactory _httpClients;
    private readonly IOptions<SettlementOptions> _options;
    private long _lateFlows = -1;
    private long _lateCredits = -1;
    // What the last delivered notification named: only items beyond these trigger the next one (in memory: a restart
    // notifies what is late once more).
    private HashSet<string> _notified = new(StringComparer.Ordinal);

    public SettlementMonitor(NpgsqlDataSource dataSource, TimeProvider time, IMeterFactory meters, IHttpClientFactory httpClients,
        IOptions<SettlementOptions> options, ILogger<SettlementMonitor> logger)
    {
        _dataSource = dataSource;
        _time = time;
        _logger = logger;
        _httpClients = httpClients;
        _options = options;
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
        await NotifyAsync(report, cancellationToken);
        return report;
    }

    // POSTs the whole list when it names an item the last delivered notification did not; a failed delivery is
    // retried at the next refresh (the resilience pipeline retries within one).
    private async Task NotifyAsync(SettlementReport report, CancellationToken cancellationToken)
    {
        if (_options.Value.WebhookUrl is not { } url)
        {
            return;
        }
        var keys = report.LateFlows.Select(f => $"flow:{f.OrganizationFiscalCode}/{f.PspId}/{f.OperatingDay:yyyy-MM-dd}")
            .Concat(report.LateCredits.Select(c => $"credit:{c.FlowId}/{c.PspId}"))
            .ToHashSet(StringComparer.Ordinal);
        if (keys.IsSubsetOf(_notified))
        {
            _notified = keys;
            return;
        }
        var payload = new
        {
            @event = "settlement.late",
            asOf = report.AsOf,
            lateFlows = report.LateFlows.Select(f => new
            {
                organizationFiscalCode = f.OrganizationFiscalCode, pspId = f.PspId, operatingDay = f.OperatingDay, expectedBy = f.ExpectedBy,
                receipts = f.Receipts, unreported = f.Unreported, unreportedCents = f.UnreportedCents,
            }),
            lateCredits = report.LateCredits.Select(c => new
            {
                flowId = c.FlowId, pspId = c.PspId, organizationFiscalCode = c.OrganizationFiscalCode, settlementDate = c.SettlementDate,
                expectedBy = c.ExpectedBy, declaredCents = c.DeclaredCents,
            }),
        };
        try
        {
            using var response = await _httpClients.CreateClient(HttpClientName).PostAsJsonAsync(url, payload, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                LogWebhookFailed(_logger, $"HTTP {(int)response.StatusCode}");
                return;
            }
            _notified = keys;
        }
        catch (Exception e) when (e is HttpRequestException or Polly.Timeout.TimeoutRejectedException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogWebhookFailed(_logger, e.Message);
        }
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
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // Whatever went wrong, an alert must not stop the host: the Node's calls matter more.
                    LogFailed(_logger, e.GetType().Name, e.Message);
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

    [LoggerMessage(EventId = 2403, Level = LogLevel.Warning, Message = "Settlement calendar: webhook not delivered, retrying at the next refresh: {Reason}")]
    private static partial void LogWebhookFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Warning, Message = "Settlement calendar: could not compute, retrying later: {ErrorType}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string errorType, string reason);
}

/// <summary>Registration of the settlement calendar's gauges.</summary>
public static class SettlementServiceCollectionExtensions
{
    /// <summary>
    /// Adds the background service that keeps <c>pgw.settlement.late_flows</c> and <c>…late_credits</c> current and,
    /// when <c>Settlement:WebhookUrl</c> is set, posts what became late.
    /// </summary>
    public static IServiceCollection AddSettlementMonitor(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SettlementOptions>().Bind(configuration.GetSection(SettlementOptions.Section))
            .Validate(o => o.WebhookUrl is null || (o.WebhookUrl.IsAbsoluteUri && (o.WebhookUrl.Scheme == Uri.UriSchemeHttps || o.WebhookUrl.Scheme == Uri.UriSchemeHttp)),
                "Settlement:WebhookUrl must be an absolute http(s) URL")
            .ValidateOnStart();
        services.AddHttpClient(SettlementMonitor.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            // The monitor logs failures without the URL; per-call logs would be noise.
            .RemoveAllLoggers()
            .AddStandardResilienceHandler();
        services.AddSingleton<SettlementMonitor>();
        services.AddHostedService(provider => provider.GetRequiredService<SettlementMonitor>());
        return services;
    }
}
