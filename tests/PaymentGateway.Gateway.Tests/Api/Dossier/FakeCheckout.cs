using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PaymentGateway.Gateway.Tests.Api.Dossier;

/// <summary>A cart Checkout received: the parsed body and the subscription key header.</summary>
public sealed record CheckoutCall(JsonElement Body, string? SubscriptionKey)
{
    public IReadOnlyList<string> NoticeNumbers =>
        Body.GetProperty("paymentNotices").EnumerateArray().Select(n => n.GetProperty("noticeNumber").GetString()!).ToList();
}

/// <summary>
/// pagoPA Checkout's <c>POST /checkout/ec/v1/carts</c> on real HTTP over loopback (Kestrel on 127.0.0.1, a free port): it
/// checks the cart like Checkout does (1..5 notices, the required fields), records it, and answers 302 with a checkout
/// page in Location; or, while <see cref="FailWith"/> is set, that status.
/// </summary>
public sealed class FakeCheckout : IAsyncDisposable
{
    public const string CheckoutHost = "https://checkout.fake.example";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<CheckoutCall> _calls = new();
    private int _carts;

    private FakeCheckout()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/checkout/ec/v1/carts", async (HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            var root = body.RootElement.Clone();
            if (FailWith is { } status)
            {
                return Results.Json(new { title = "fake", status }, statusCode: status);
            }
            var notices = root.GetProperty("paymentNotices").GetArrayLength();
            var urls = root.GetProperty("returnUrls");
            if (notices is < 1 or > 5 || !urls.TryGetProperty("returnOkUrl", out _) || !urls.TryGetProperty("returnCancelUrl", out _)
                || !urls.TryGetProperty("returnErrorUrl", out _))
            {
                return Results.Json(new { title = "invalid cart", status = 400 }, statusCode: 400);
            }
            _calls.Enqueue(new CheckoutCall(root, request.Headers["Ocp-Apim-Subscription-Key"].ToString()));
            var n = Interlocked.Increment(ref _carts);
            return Results.Redirect(string.Create(CultureInfo.InvariantCulture, $"{CheckoutHost}/c/{n}"));
        });
    }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>When set, every cart is refused with this status.</summary>
    public int? FailWith { get; set; }

    public IReadOnlyList<CheckoutCall> Calls => [.. _calls];

    public void Clear() => _calls.Clear();

    public static async Task<FakeCheckout> StartAsync()
    {
        var fake = new FakeCheckout();
        await fake._app.StartAsync();
        fake.BaseUrl = new Uri($"{fake._app.Urls.First()}/checkout/ec/v1");
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
