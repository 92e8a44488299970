using Microsoft.Extensions.Options;
using PaymentGateway.Persistence.Aca;

namespace PaymentGateway.Gateway.Aca;

/// <summary>Registers the ACA mirror: options (always validated), and the dispatcher only when <c>Aca:Enabled</c>.</summary>
public static class AcaServiceCollectionExtensions
{
    /// <summary>The header API Management reads the subscription key from.</summary>
    public const string SubscriptionKeyHeader = "Ocp-Apim-Subscription-Key";

    public static IServiceCollection AddAcaMirror(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(AcaOptions.Section);
        services.AddOptions<AcaOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<AcaOptions>, AcaOptionsValidator>();
        var settings = section.Get<AcaOptions>() ?? new AcaOptions();
        if (!settings.Enabled)
        {
            return services;
        }
        services.AddSingleton<AcaOutboxQueue>();
        services.AddSingleton<AcaMetrics>();
        services.AddHttpClient(AcaDispatcher.HttpClientName, (sp, http) =>
            {
                var aca = sp.GetRequiredService<IOptions<AcaOptions>>().Value;
                // A trailing slash, so "paCreatePosition" resolves below the base path (…/aca/v1/paCreatePosition).
                http.BaseAddress = aca.BaseUrl is { } url ? new Uri(url.AbsoluteUri.TrimEnd('/') + "/") : null;
                http.DefaultRequestHeaders.Add(SubscriptionKeyHeader, aca.SubscriptionKey);
                // The resilience pipeline owns the timeouts.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            // The dispatcher logs what matters (parked, retried) without URLs or headers; per-call logs would be noise.
            .RemoveAllLoggers()
            .AddStandardResilienceHandler(resilience =>
            {
                // paCreatePosition is an upsert by IUV, so retrying a POST is safe.
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
        services.AddSingleton<AcaDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<AcaDispatcher>());
        return services;
    }
}
