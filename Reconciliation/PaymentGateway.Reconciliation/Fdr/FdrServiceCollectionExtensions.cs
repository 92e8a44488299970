using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PaymentGateway.Reconciliation.Fdr;

/// <summary>Settings of the FdR REST API client (<c>Reconciliation:FdrApi</c>; docs/reconciliation.md).</summary>
public sealed class FdrApiOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Reconciliation:FdrApi";

    /// <summary>Production base URL of the fdr-org service.</summary>
    public static readonly Uri ProductionBaseUrl = new("https://api.platform.pagopa.it/fdr-org/service/v1/");

    /// <summary>The service's base URL (UAT: https://api.uat.platform.pagopa.it/fdr-org/service/v1/).</summary>
    public Uri BaseUrl { get; set; } = ProductionBaseUrl;

    /// <summary>The subscription key of the "FDR - Flussi di rendicontazione [ORG]" product.</summary>
    public string? SubscriptionKey { get; set; }

    /// <summary>Retries of a failed call (5xx, 429, timeouts), with exponential backoff and jitter (0..20).</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>The first retry's delay; later ones double it.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Timeout of one attempt (a page of 1,000 payments is ~100 KB).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of a call with all its retries.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Registers the FdR REST client and the fetcher.</summary>
public static class FdrServiceCollectionExtensions
{
    /// <summary>The header API Management reads the subscription key from.</summary>
    public const string SubscriptionKeyHeader = "Ocp-Apim-Subscription-Key";

    /// <summary>
    /// Adds <see cref="FdrApiClient"/> (with the resilience pipeline), <see cref="FdrFlowStore"/> and <see cref="FdrFetcher"/>.
    /// The caller provides the NpgsqlDataSource and TimeProvider.
    /// </summary>
    public static IServiceCollection AddFdrApi(this IServiceCollection services, Action<FdrApiOptions> configure)
    {
        var settings = new FdrApiOptions();
        configure(settings);
        if (string.IsNullOrWhiteSpace(settings.SubscriptionKey))
        {
            throw new ArgumentException("the FdR API needs a subscription key (Reconciliation:FdrApi:SubscriptionKey)", nameof(configure));
        }
        services.AddOptions<FdrApiOptions>().Configure(configure);
        services.AddHttpClient<FdrApiClient>((sp, http) =>
            {
                var options = sp.GetRequiredService<IOptions<FdrApiOptions>>().Value;
                // A trailing slash, so relative paths resolve below the base path (…/service/v1/organizations/…).
                http.BaseAddress = new Uri(options.BaseUrl.AbsoluteUri.TrimEnd('/') + "/");
                http.DefaultRequestHeaders.Add(SubscriptionKeyHeader, options.SubscriptionKey);
                // The resilience pipeline owns the timeouts.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddStandardResilienceHandler(resilience =>
            {
                // Only GETs: every call is safe to retry.
                resilience.Retry.MaxRetryAttempts = settings.MaxRetries;
                resilience.Retry.Delay = settings.RetryBaseDelay;
                resilience.Retry.BackoffType = Polly.DelayBackoffType.Exponential;
                resilience.Retry.UseJitter = true;
                resilience.AttemptTimeout.Timeout = settings.AttemptTimeout;
                resilience.TotalRequestTimeout.Timeout = settings.TotalTimeout;
                // The pipeline requires the sampling window to span at least two attempt timeouts.
                var twoAttempts = settings.AttemptTimeout * 2;
                resilience.CircuitBreaker.SamplingDuration = twoAttempts > TimeSpan.FromSeconds(30) ? twoAttempts : TimeSpan.FromSeconds(30);
            });
        services.AddSingleton<FdrFlowStore>();
        services.AddTransient<FdrFetcher>();
        return services;
    }
}
