using System.Net;
using PaymentGateway.Load.Model;

namespace PaymentGateway.Load.Scenarios;

/// <summary>Calls to the bare Kestrel + Npgsql baseline endpoints (see Baseline/BaselineServer.cs).</summary>
public static class BaselineScenarios
{
    /// <summary>GET /select: the verify's indexed select, answered with a small XML.</summary>
    public static Scenario Select(HttpClient http, IReadOnlyList<PayableNotice> notices) =>
        new("baseline: indexed select", async (i, ct) =>
        {
            var n = notices[i % notices.Count];
            using var response = await http.GetAsync(new Uri($"/select?ec={n.CreditorFiscalCode}&notice={n.NoticeNumber}", UriKind.Relative), ct);
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            return response.StatusCode == HttpStatusCode.OK && body.Length > 0;
        });

    /// <summary>POST /insert: one insert, committed.</summary>
    public static Scenario Insert(HttpClient http, IReadOnlyList<PayableNotice> notices) =>
        new("baseline: insert + commit", async (i, ct) =>
        {
            var n = notices[i % notices.Count];
            using var response = await http.PostAsync(new Uri($"/insert?notice={n.NoticeNumber}", UriKind.Relative), content: null, ct);
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            return response.StatusCode == HttpStatusCode.OK && body.Length > 0;
        });
}
