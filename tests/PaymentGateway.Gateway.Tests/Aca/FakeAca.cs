using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PaymentGateway.Gateway.Tests.Aca;

/// <summary>A request the fake ACA received: the parsed body and the subscription key header.</summary>
public sealed record AcaCall(JsonElement Body, string? SubscriptionKey, int Status)
{
    public string Iuv => Body.GetProperty("iuv").GetString()!;
    public long Amount => Body.GetProperty("amount").GetInt64();
}

/// <summary>
/// paCreatePosition on real HTTP over loopback (Kestrel on 127.0.0.1, a free port). Records every request in arrival
/// order; <c>respond</c> decides each status from the body and how many calls for the same IUV came before it.
/// </summary>
public sealed class FakeAca : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<AcaCall> _calls = new();
    private readonly ConcurrentDictionary<string, int> _perIuv = new();
    private readonly Lock _order = new();

    private FakeAca(Func<JsonElement, int, int> respond, TimeSpan delay)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/aca/v1/paCreatePosition", async (HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            var root = body.RootElement.Clone();
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay);
            }
            int status;
            // Numbering, deciding and recording under one lock: arrival order is the order of the recorded list.
            lock (_order)
            {
                var iuv = root.GetProperty("iuv").GetString()!;
                var before = _perIuv.AddOrUpdate(iuv, 1, (_, n) => n + 1) - 1;
                status = respond(root, before);
                _calls.Enqueue(new AcaCall(root, request.Headers["Ocp-Apim-Subscription-Key"].ToString(), status));
            }
            return status == 200
                ? Results.Json(root)
                : Results.Json(new { title = "fake", status, detail = $"fake ACA answered {status}" }, statusCode: status);
        });
    }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Every request received, in arrival order.</summary>
    public IReadOnlyList<AcaCall> Calls => [.. _calls];

    /// <summary>Requests ACA accepted (status 200), in arrival order.</summary>
    public IReadOnlyList<AcaCall> Accepted => [.. _calls.Where(c => c.Status == 200)];

    public static async Task<FakeAca> StartAsync(Func<JsonElement, int, int>? respond = null, TimeSpan delay = default)
    {
        var fake = new FakeAca(respond ?? ((_, _) => 200), delay);
        await fake._app.StartAsync();
        var address = fake._app.Urls.First();
        fake.BaseUrl = new Uri($"{address}/aca/v1");
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
