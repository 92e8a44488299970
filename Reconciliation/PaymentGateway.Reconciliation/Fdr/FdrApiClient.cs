using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace PaymentGateway.Reconciliation.Fdr;

/// <summary>A flow in an EC's list of published flows (the API lists the latest revision of each).</summary>
/// <param name="FlowId">The flow id (<c>fdr</c>).</param>
/// <param name="PspId">The PSP's platform id, part of the flow's address.</param>
/// <param name="Revision">The revision number.</param>
/// <param name="Published">When this revision was published.</param>
public sealed record PublishedFlow(string FlowId, string PspId, long Revision, DateTimeOffset Published);

/// <summary>The API refused us for a reason retrying cannot fix (bad key, unknown EC, …).</summary>
public sealed class FdrApiException(string message, HttpStatusCode? status = null) : Exception(message)
{
    /// <summary>The HTTP status, if the API answered.</summary>
    public HttpStatusCode? Status { get; } = status;
}

/// <summary>
/// pagoPA's FdR REST API for ECs (fdr-org, NOTES.md §d.4): the list of published flows and each flow's header and
/// payments, paged. Only reads. Retries with backoff and jitter, timeouts and the subscription key are the HttpClient's
/// (<see cref="FdrServiceCollectionExtensions.AddFdrApi"/>).
/// </summary>
public sealed class FdrApiClient(HttpClient http)
{
    /// <summary>The largest page the API serves.</summary>
    public const int PageSize = 1000;

    /// <summary>The flows of <paramref name="organization"/> published after <paramref name="publishedAfter"/>, every page.</summary>
    public async IAsyncEnumerable<PublishedFlow> ListPublishedAsync(string organization, DateTimeOffset publishedAfter,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = publishedAfter.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        for (var page = 1; ; page++)
        {
            var url = string.Create(CultureInfo.InvariantCulture,
                $"organizations/{Uri.EscapeDataString(organization)}/fdrs?publishedGt={Uri.EscapeDataString(after)}&page={page}&size={PageSize}");
            var body = await GetAsync<PageJson<PublishedFlowJson>>(url, cancellationToken);
            foreach (var flow in body.Data ?? [])
            {
                yield return new PublishedFlow(flow.Fdr, flow.PspId, flow.Revision, flow.Published);
            }
            if (body.Metadata is null || page >= body.Metadata.TotPage)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// The flow as a <see cref="FdrFlowSource"/> for <see cref="FdrFlowStore"/>: the header, then the payments page by
    /// page, then the count and sum check. A response that is not a valid flow rejects it; HTTP failures throw.
    /// </summary>
    public FdrFlowSource Flow(string organization, PublishedFlow flow)
    {
        ArgumentNullException.ThrowIfNull(flow);
        var path = string.Create(CultureInfo.InvariantCulture,
            $"organizations/{Uri.EscapeDataString(organization)}/fdrs/{Uri.EscapeDataString(flow.FlowId)}/revisions/{flow.Revision}/psps/{Uri.EscapeDataString(flow.PspId)}");
        return async (onRow, onHeader, cancellationToken) =>
        {
            var header = FdrJson.Header(await GetFlowPartAsync<FlowJson>(path, cancellationToken));
            onHeader(header);
            long rows = 0;
            long sum = 0;
            for (var page = 1; ; page++)
            {
                var body = await GetFlowPartAsync<PageJson<PaymentJson>>(string.Create(CultureInfo.InvariantCulture, $"{path}/payments?page={page}&size={PageSize}"),
                    cancellationToken);
                foreach (var payment in body.Data ?? [])
                {
                    var row = FdrJson.Row(payment);
                    rows++;
                    sum += row.Amount.Cents;
                    await onRow(row);
                }
                if (body.Metadata is null || page >= body.Metadata.TotPage)
                {
                    break;
                }
            }
            FlussoRiversamentoReader.CheckTotals(header, rows, sum, "totPayments", "sumPayments");
            return header;
        };
    }

    // Inside a flow, a body that is not the documented JSON is the flow's fault: it is recorded as rejected.
    private async Task<T> GetFlowPartAsync<T>(string url, CancellationToken cancellationToken)
    {
        try
        {
            return await GetAsync<T>(url, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new FdrRejectedException($"the API answered {url} with JSON that is not a flow: {e.Message}");
        }
    }

    private async Task<T> GetAsync<T>(string url, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // The resilience handler already retried what can be retried (5xx, 429, timeouts); the rest needs a person.
            var detail = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new FdrApiException(string.Create(CultureInfo.InvariantCulture,
                $"FdR API answered {(int)response.StatusCode} {response.ReasonPhrase} to GET {url}: {detail[..Math.Min(detail.Length, 300)]}"), response.StatusCode);
        }
        return await response.Content.ReadFromJsonAsync<T>(FdrJson.Options, cancellationToken)
            ?? throw new JsonException("the body is null");
    }
}
