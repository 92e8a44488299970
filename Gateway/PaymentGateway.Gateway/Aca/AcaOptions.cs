using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace PaymentGateway.Gateway.Aca;

/// <summary>The <c>Aca</c> section: mirroring positions to pagoPA's Archivio Centralizzato Avvisi (paCreatePosition).</summary>
public sealed class AcaOptions
{
    public const string Section = "Aca";

    /// <summary>Off by default: nothing is sent, events wait in the outbox until it is turned on.</summary>
    public bool Enabled { get; set; }

    /// <summary>ACA base URL, e.g. <c>https://api.platform.pagopa.it/aca/v1</c>; the call is POST {BaseUrl}/paCreatePosition.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The API subscription key, sent as <c>Ocp-Apim-Subscription-Key</c>. Never logged.</summary>
    public string? SubscriptionKey { get; set; }

    /// <summary>Positions claimed per round (one event each).</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>Calls in flight at once per instance (different positions only).</summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = 4;

    /// <summary>Pause between rounds when there was nothing (or not a full batch) to send.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// First wait before an event that failed transiently (after the HTTP retries) is tried again; doubled per
    /// attempt with jitter, up to <see cref="MaxRedeliveryDelay"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RedeliveryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait between two tries of an event; transient failures are retried for ever.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan MaxRedeliveryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>HTTP retries of one call (exponential backoff with jitter) before the event is rescheduled.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>Base delay of the HTTP retries.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Timeout of one HTTP attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:02:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Timeout of one call including its retries.</summary>
    [Range(typeof(TimeSpan), "00:00:00.020", "00:10:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>The rules that span settings, each failure one line naming the setting.</summary>
internal sealed class AcaOptionsValidator : IValidateOptions<AcaOptions>
{
    public ValidateOptionsResult Validate(string? name, AcaOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }
        var failures = new List<string>();
        if (options.BaseUrl is not { IsAbsoluteUri: true } url)
        {
            failures.Add("Aca:BaseUrl is required when Aca:Enabled is true (an absolute URL, e.g. https://api.platform.pagopa.it/aca/v1)");
        }
        else if (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))
        {
            // Plain http only for a local fake: the subscription key must never travel in clear.
            failures.Add("Aca:BaseUrl must be an https URL (http is allowed for loopback test servers only)");
        }
        if (string.IsNullOrWhiteSpace(options.SubscriptionKey))
        {
            failures.Add("Aca:SubscriptionKey is required when Aca:Enabled is true");
        }
        if (options.TotalTimeout <= options.AttemptTimeout)
        {
            failures.Add("Aca:TotalTimeout must be longer than Aca:AttemptTimeout");
        }
        if (options.MaxRedeliveryDelay < options.RedeliveryDelay)
        {
            failures.Add("Aca:MaxRedeliveryDelay must not be shorter than Aca:RedeliveryDelay");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
