using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace PaymentGateway.Gateway.Api.Dossier;

/// <summary>One notice of a Checkout cart (Checkout's <c>PaymentNotice</c>).</summary>
internal sealed record CheckoutNotice(string NoticeNumber, string FiscalCode, long Amount, string CompanyName, string Description);

/// <summary>Checkout's return URLs (<c>returnUrls</c>).</summary>
internal sealed record CheckoutReturnUrls(Uri ReturnOkUrl, Uri ReturnCancelUrl, Uri ReturnErrorUrl);

/// <summary>The body of <c>POST /carts</c> (Checkout's <c>CartRequest</c>: 1..5 notices).</summary>
internal sealed record CheckoutCart(IReadOnlyList<CheckoutNotice> PaymentNotices, CheckoutReturnUrls ReturnUrls, string IdCart, string? EmailNotice);

/// <summary>Checkout did not create the cart (error status, no Location, timeout, unreachable).</summary>
internal sealed class CheckoutException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// pagoPA Checkout's EC cart API: <c>POST {BaseUrl}/carts</c> with the subscription key; Checkout answers 302 with the
/// checkout page in <c>Location</c>, where the citizen's browser goes next. Redirects are not followed (the Location is
/// the result). Not retried: a citizen waits for the answer, and a second cart would only be a duplicate to ignore.
/// </summary>
internal sealed partial class CheckoutClient(HttpClient http, ILogger<CheckoutClient> logger)
{
    public const string HttpClientName = "Checkout";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Creates the cart; returns the checkout URL.</summary>
    public async Task<Uri> CreateCartAsync(CheckoutCart cart, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync("carts", cart, Json, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            LogFailed(logger, e.Message);
            throw new CheckoutException("Checkout is unreachable", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, "timeout");
            throw new CheckoutException("Checkout did not answer in time", e);
        }
        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect
                && response.Headers.Location is { } location)
            {
                return location.IsAbsoluteUri ? location : new Uri(http.BaseAddress!, location);
            }
            var status = (int)response.StatusCode;
            LogFailed(logger, $"HTTP {status}");
            throw new CheckoutException($"Checkout answered HTTP {status}");
        }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Checkout did not create a cart: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}

/// <summary>Registers the Checkout HTTP client from <see cref="CheckoutOptions"/>.</summary>
internal static class CheckoutRegistration
{
    /// <summary>The header API Management reads the subscription key from.</summary>
    public const string SubscriptionKeyHeader = "Ocp-Apim-Subscription-Key";

    public static IServiceCollection AddCheckout(this IServiceCollection services)
    {
        services.AddHttpClient<CheckoutClient>(CheckoutClient.HttpClientName, (sp, http) =>
            {
                var checkout = sp.GetRequiredService<IOptions<DossierOptions>>().Value.Checkout;
                // A trailing slash, so "carts" resolves below the base path (…/checkout/ec/v1/carts).
                http.BaseAddress = checkout.BaseUrl is { } url ? new Uri(url.AbsoluteUri.TrimEnd('/') + "/") : null;
                http.DefaultRequestHeaders.Add(SubscriptionKeyHeader, checkout.SubscriptionKey);
                http.Timeout = checkout.Timeout;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            // Per-call logs would carry URLs; failures are logged above without them.
            .RemoveAllLoggers();
        return services;
    }
}
