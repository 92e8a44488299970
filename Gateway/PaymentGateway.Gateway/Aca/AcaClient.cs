using System.Net;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace PaymentGateway.Gateway.Aca;

/// <summary>How one paCreatePosition call ended, after the HTTP pipeline's own retries.</summary>
internal enum AcaCallOutcome
{
    Sent,
    /// <summary>Worth trying again later: 5xx, 408, 429, timeout, connection failure, open circuit.</summary>
    Transient,
    /// <summary>ACA refused the request itself (4xx other than 408/429): the same request would fail again.</summary>
    Permanent,
}

/// <summary>A call's outcome and, when it failed, a short description for the outbox row (status and ACA's detail).</summary>
internal readonly record struct AcaCallResult(AcaCallOutcome Outcome, string? Error, int? StatusCode);

/// <summary>
/// The paCreatePosition client. Its HttpClient carries the base address, the subscription key header and the standard
/// resilience pipeline (retries with exponential backoff and jitter, per-attempt and total timeouts, circuit breaker),
/// all configured in <see cref="AcaServiceCollectionExtensions"/>.
/// </summary>
internal sealed class AcaClient(HttpClient http)
{
    private const int MaxErrorLength = 500;

    public async Task<AcaCallResult> SendAsync(AcaPositionRequest request, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.PostAsJsonAsync("paCreatePosition", request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return new AcaCallResult(AcaCallOutcome.Sent, null, (int)response.StatusCode);
            }
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var status = (int)response.StatusCode;
            var error = Truncate($"HTTP {status}: {body}");
            var transient = status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
            return new AcaCallResult(transient ? AcaCallOutcome.Transient : AcaCallOutcome.Permanent, error, status);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new AcaCallResult(AcaCallOutcome.Transient, Truncate($"{e.GetType().Name}: {e.Message}"), null);
        }
    }

    private static string Truncate(string text) => text.Length <= MaxErrorLength ? text : text[..MaxErrorLength];
}
