using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using PaymentGateway.Persistence.Aca;
using PaymentGateway.Persistence.Positions;

namespace PaymentGateway.Gateway.Aca;

/// <summary>What one round of the dispatcher did.</summary>
internal readonly record struct AcaRound(int Claimed, int Delivered, int Retrying, int Parked);

/// <summary>
/// Mirrors position events from the outbox to ACA. Each round claims at most one event per position (the oldest still
/// pending: see <see cref="AcaOutboxQueue"/>), sends one paCreatePosition per payment option, and records the outcome
/// in the claim's transaction. Several instances can run it at once: the claim's row locks keep them on different
/// positions, and a position's next event only becomes eligible when the previous one is delivered or parked.
/// </summary>
internal sealed partial class AcaDispatcher(
    AcaOutboxQueue queue,
    IHttpClientFactory httpClients,
    AcaMetrics metrics,
    IOptions<AcaOptions> options,
    TimeProvider time,
    ILogger<AcaDispatcher> logger) : BackgroundService
{
    /// <summary>Name of the HttpClient carrying the ACA base address, key and resilience pipeline.</summary>
    public const string HttpClientName = "Aca";

    // Counting the backlog scans the pending part of the outbox; twice a minute is plenty for a gauge.
    private static readonly TimeSpan CountEvery = TimeSpan.FromSeconds(30);

    /// <summary>Claims, sends and records one batch; returns what happened.</summary>
    public async Task<AcaRound> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var claim = await queue.ClaimAsync(settings.BatchSize, time.GetUtcNow(), cancellationToken);
        if (claim.Events.Count == 0)
        {
            return default;
        }
        var payloads = claim.Events.ToDictionary(e => e.Id, e => Read(e.Payload));
        var notices = payloads.Values.OfType<PositionEventPayload>()
            .SelectMany(p => p.Options.Select(o => (p.OrganizationFiscalCode, o.NoticeNumber)))
            .Distinct()
            .ToList();
        var accounts = await claim.AccountsAsync(notices, cancellationToken);

        var client = new AcaClient(httpClients.CreateClient(HttpClientName));
        var results = new ConcurrentDictionary<long, AcaCallResult>();
        // Claimed events belong to different positions, so sending them side by side keeps each position's order.
        var toSend = claim.Events.Where(e => !e.Superseded && payloads[e.Id] is not null);
        await Parallel.ForEachAsync(toSend, new ParallelOptions { MaxDegreeOfParallelism = settings.Parallelism, CancellationToken = cancellationToken },
            async (e, token) => results[e.Id] = await SendAsync(client, e, payloads[e.Id]!, accounts, token));

        var now = time.GetUtcNow();
        var round = new AcaRound(claim.Events.Count, 0, 0, 0);
        foreach (var e in claim.Events)
        {
            if (e.Superseded)
            {
                await claim.MarkDeliveredAsync(e.Id, "not sent: superseded by a later delivered event", now, cancellationToken);
                round = round with { Delivered = round.Delivered + 1 };
            }
            else if (payloads[e.Id] is null)
            {
                await claim.ParkAsync(e.Id, "payload is not a position event", now, cancellationToken);
                LogParked(logger, e.Id, e.EventType, "unreadable payload");
                round = round with { Parked = round.Parked + 1 };
            }
            else
            {
                var result = results[e.Id];
                switch (result.Outcome)
                {
                    case AcaCallOutcome.Sent:
                        await claim.MarkDeliveredAsync(e.Id, null, now, cancellationToken);
                        round = round with { Delivered = round.Delivered + 1 };
                        break;
                    case AcaCallOutcome.Transient:
                        var next = now + RedeliveryDelay(settings, e.Attempts);
                        await claim.MarkRetryAsync(e.Id, result.Error ?? "transient failure", next, cancellationToken);
                        LogRetrying(logger, e.Id, Reason(result), next);
                        round = round with { Retrying = round.Retrying + 1 };
                        break;
                    default:
                        await claim.ParkAsync(e.Id, result.Error ?? "permanent failure", now, cancellationToken);
                        LogParked(logger, e.Id, e.EventType, Reason(result));
                        round = round with { Parked = round.Parked + 1 };
                        break;
                }
            }
        }
        await claim.CommitAsync(cancellationToken);
        return round;
    }

    /// <summary>Refreshes the pending/parked gauges.</summary>
    public async Task RefreshBacklogAsync(CancellationToken cancellationToken)
    {
        var (pending, parked) = await queue.CountAsync(cancellationToken);
        metrics.Backlog(pending, parked);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var counted = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (time.GetUtcNow() - counted >= CountEvery)
                {
                    await RefreshBacklogAsync(stoppingToken);
                    counted = time.GetUtcNow();
                }
                var round = await RunOnceAsync(stoppingToken);
                // A full batch that went through means more is probably waiting; otherwise (idle, or ACA failing) pause.
                if (round.Claimed == settings.BatchSize && round.Retrying == 0)
                {
                    continue;
                }
                await Task.Delay(settings.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The claim was rolled back: its events stay pending and are sent again (at least once, still in order).
                // Whatever went wrong, the mirror must not stop the host: the Node's calls matter more than ACA's copy.
                LogRoundFailed(logger, e.GetType().Name, e.Message);
                await Task.Delay(settings.PollInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<AcaCallResult> SendAsync(AcaClient client, AcaQueuedEvent e, PositionEventPayload payload,
        IReadOnlyDictionary<(string Organization, string Notice), AcaNoticeAccounts> accounts, CancellationToken cancellationToken)
    {
        List<AcaPositionRequest> requests;
        try
        {
            requests = AcaPositionRequest.From(e.EventType, payload, accounts).ToList();
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            // A payload this code cannot map would fail the same way on every round: park it, keep the rest flowing.
            return new AcaCallResult(AcaCallOutcome.Permanent, $"not sent, payload could not be mapped: {ex.Message}", null);
        }
        foreach (var request in requests)
        {
            var result = await client.SendAsync(request, cancellationToken);
            if (result.Outcome != AcaCallOutcome.Sent)
            {
                // The event is retried whole later; options already sent are sent again (ACA upserts by IUV).
                metrics.Failed(result.Outcome);
                return result;
            }
            metrics.Sent();
        }
        return new AcaCallResult(AcaCallOutcome.Sent, null, null);
    }

    private static PositionEventPayload? Read(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<PositionEventPayload>(json, PositionEvents.Json) is { Options: not null, Debtor: not null } p ? p : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Doubles per attempt from <see cref="AcaOptions.RedeliveryDelay"/>, capped, with jitter so a backlog spreads out.</summary>
    internal static TimeSpan RedeliveryDelay(AcaOptions settings, int attempts)
    {
        var doubled = settings.RedeliveryDelay * Math.Pow(2, Math.Min(attempts, 20));
        var capped = doubled < settings.MaxRedeliveryDelay ? doubled : settings.MaxRedeliveryDelay;
        return capped * (0.5 + (Random.Shared.NextDouble() / 2));
    }

    // Status code or exception type only: ACA's error text goes to the outbox row, not to the logs.
    private static string Reason(AcaCallResult result) =>
        result.StatusCode is { } status ? $"HTTP {status}" : result.Error?.Split(':', 2)[0] ?? "unknown";

    [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "ACA mirror: outbox event {OutboxId} ({EventType}) parked: {Reason}; see docs/aca.md to re-drive")]
    private static partial void LogParked(ILogger logger, long outboxId, string eventType, string reason);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Information, Message = "ACA mirror: outbox event {OutboxId} failed ({Reason}), next attempt at {NextAttemptAt:O}")]
    private static partial void LogRetrying(ILogger logger, long outboxId, string reason, DateTimeOffset nextAttemptAt);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "ACA mirror: round failed, retrying: {ErrorType}: {Reason}")]
    private static partial void LogRoundFailed(ILogger logger, string errorType, string reason);
}
