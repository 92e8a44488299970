using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PaymentGateway.Reconciliation.Tests.Fdr;

/// <summary>A payment as the fake serves it (the API's Payment object).</summary>
public sealed record FakePayment(long Index, string Iuv, string Iur, long IdTransfer, string Pay, string PayStatus, string PayDate);

/// <summary>A flow revision the fake has published.</summary>
public sealed record FakeFlow(string Fdr, string PspId, long Revision, DateTimeOffset Published, DateTimeOffset FdrDate, string Organization,
    IReadOnlyList<FakePayment> Payments, long? TotPayments = null, string? SumPayments = null);

/// <summary>A request the fake received.</summary>
public sealed record FdrApiCall(string PathAndQuery, string? SubscriptionKey, int Status);

/// <summary>
/// pagoPA's fdr-org API on real HTTP over loopback (Kestrel on 127.0.0.1, a free port), serving the flows the test
/// publishes, paged by <see cref="PageSize"/> whatever size the client asks for (the real API caps it too).
/// <c>fail</c> may answer a request with an error status instead (given the path and how often it was asked before).
/// </summary>
public sealed class FakeFdrApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FdrApiCall> _calls = new();
    private readonly ConcurrentDictionary<string, int> _asked = new();
    private readonly List<FakeFlow> _flows = [];

    private FakeFdrApi(Func<string, int, int?> fail, int pageSize)
    {
        PageSize = pageSize;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value! + context.Request.QueryString;
            var before = _asked.AddOrUpdate(path, 1, (_, n) => n + 1) - 1;
            var status = fail(path, before);
            if (status is { } error)
            {
                _calls.Enqueue(new FdrApiCall(path, context.Request.Headers["Ocp-Apim-Subscription-Key"].ToString(), error));
                context.Response.StatusCode = error;
                await context.Response.WriteAsJsonAsync(new { httpStatusCode = error, appErrorCode = "FDR-FAKE", errors = new[] { new { message = "fake failure" } } });
                return;
            }
            await next(context);
            _calls.Enqueue(new FdrApiCall(path, context.Request.Headers["Ocp-Apim-Subscription-Key"].ToString(), context.Response.StatusCode));
        });
        const string Base = "/fdr-org/service/v1/organizations/{organization}/fdrs";
        _app.MapGet(Base, (string organization, DateTimeOffset? publishedGt, int? page) =>
        {
            List<FakeFlow> listed;
            lock (_flows)
            {
                // The latest revision of each flow, published after the filter.
                listed = [.. _flows.Where(f => f.Organization == organization && (publishedGt is null || f.Published > publishedGt))
                    .GroupBy(f => (f.Fdr, f.PspId)).Select(g => g.MaxBy(f => f.Revision)!)];
            }
            return Page(listed.Select(f => (object)new { fdr = f.Fdr, pspId = f.PspId, revision = f.Revision, published = f.Published, flowDate = f.FdrDate }).ToList(), page);
        });
        _app.MapGet(Base + "/{fdr}/revisions/{revision:long}/psps/{psp}", (string organization, string fdr, long revision, string psp) =>
            Find(organization, fdr, revision, psp) is { } f
                ? Results.Json(new
                {
                    status = "PUBLISHED",
                    revision = f.Revision,
                    fdr = f.Fdr,
                    fdrDate = f.FdrDate,
                    regulation = "SEPA - Bonifico " + f.Fdr,
                    regulationDate = f.FdrDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    bicCodePouringBank = "UNCRITMMXXX",
                    sender = new { type = "ABI_CODE", id = "ABI" + f.PspId, pspId = f.PspId, pspName = "PSP " + f.PspId, pspBrokerId = f.PspId, channelId = f.PspId + "_01" },
                    receiver = new { id = f.Organization, organizationId = f.Organization, organizationName = "Comune" },
                    published = f.Published,
                    totPayments = f.TotPayments ?? f.Payments.Count,
                    sumPayments = new RawJson(f.SumPayments ?? Sum(f.Payments)),
                })
                : Results.NotFound());
        _app.MapGet(Base + "/{fdr}/revisions/{revision:long}/psps/{psp}/payments", (string organization, string fdr, long revision, string psp, int? page) =>
            Find(organization, fdr, revision, psp) is { } f
                ? Page(f.Payments.Select(p => (object)new { index = p.Index, iuv = p.Iuv, iur = p.Iur, idTransfer = p.IdTransfer, pay = new RawJson(p.Pay), payStatus = p.PayStatus, payDate = p.PayDate }).ToList(), page)
                : Results.NotFound());
    }

    public int PageSize { get; }

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<FdrApiCall> Calls => [.. _calls];

    public void Publish(FakeFlow flow)
    {
        lock (_flows)
        {
            _flows.Add(flow);
        }
    }

    public static async Task<FakeFdrApi> StartAsync(Func<string, int, int?>? fail = null, int pageSize = 2)
    {
        var fake = new FakeFdrApi(fail ?? ((_, _) => null), pageSize);
        await fake._app.StartAsync();
        fake.BaseUrl = new Uri($"{fake._app.Urls.First()}/fdr-org/service/v1");
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private FakeFlow? Find(string organization, string fdr, long revision, string psp)
    {
        lock (_flows)
        {
            return _flows.FirstOrDefault(f => f.Organization == organization && f.Fdr == fdr && f.Revision == revision && f.PspId == psp);
        }
    }

    private IResult Page(List<object> items, int? page)
    {
        var number = page ?? 1;
        var pages = Math.Max(1, (items.Count + PageSize - 1) / PageSize);
        return Results.Json(new
        {
            metadata = new { pageSize = PageSize, pageNumber = number, totPage = pages },
            count = items.Count,
            data = items.Skip((number - 1) * PageSize).Take(PageSize),
        });
    }

    private static string Sum(IEnumerable<FakePayment> payments) =>
        payments.Sum(p => decimal.Parse(p.Pay, CultureInfo.InvariantCulture)).ToString("0.00", CultureInfo.InvariantCulture);
}

/// <summary>A JSON number written exactly as given (amounts like 10.5 or 12.30, as a real server may send them).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(RawJsonConverter))]
public sealed record RawJson(string Text);

public sealed class RawJsonConverter : System.Text.Json.Serialization.JsonConverter<RawJson>
{
    public override RawJson Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
        throw new NotSupportedException();

    public override void Write(System.Text.Json.Utf8JsonWriter writer, RawJson value, System.Text.Json.JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Text);
}
