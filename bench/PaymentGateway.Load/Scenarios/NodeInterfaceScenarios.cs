using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using PaymentGateway.Load.Model;

namespace PaymentGateway.Load.Scenarios;

/// <summary>Posts paForNode envelopes; a call succeeds on HTTP 200 with <c>&lt;outcome&gt;OK&lt;/outcome&gt;</c>.</summary>
public sealed class SoapClient(HttpClient http)
{
    private static readonly MediaTypeHeaderValue TextXml = MediaTypeHeaderValue.Parse("text/xml; charset=utf-8");

    public async Task<bool> CallAsync(string operation, byte[] envelope, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/soap/paForNode") { Content = new ByteArrayContent(envelope) };
        request.Content.Headers.ContentType = TextXml;
        request.Headers.TryAddWithoutValidation("SOAPAction", operation);
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.OK && body.AsSpan().IndexOf("<outcome>OK</outcome>"u8) >= 0;
    }
}

/// <summary>Receipts the gateway accepted on first delivery: the redelivery scenario sends them again.</summary>
public sealed class ReceiptLedger
{
    private readonly ConcurrentQueue<byte[]> _accepted = new();
    private byte[][]? _snapshot;

    public int Count => _accepted.Count;

    public void Add(byte[] envelope) => _accepted.Enqueue(envelope);

    public byte[] this[int i]
    {
        get
        {
            var all = _snapshot ??= [.. _accepted];
            return all[i % all.Length];
        }
    }
}

/// <summary>The four Node-interface scenarios of the "Speed" goals, independent of the runner that drives them.</summary>
public static class NodeInterfaceScenarios
{
    /// <summary>paVerifyPaymentNotice, cycling over payable notices.</summary>
    public static Scenario Verify(SoapClient soap, IReadOnlyList<PayableNotice> notices) =>
        new("paVerifyPaymentNotice", (i, ct) =>
        {
            var n = notices[i % notices.Count];
            return soap.CallAsync("paVerifyPaymentNotice", SoapPayloads.Verify(n.CreditorFiscalCode, n.NoticeNumber), ct);
        });

    /// <summary>paGetPaymentV2 (activation: reads the position, records the attempt), cycling over payable notices.</summary>
    public static Scenario GetPaymentV2(SoapClient soap, IReadOnlyList<PayableNotice> notices) =>
        new("paGetPaymentV2", (i, ct) =>
        {
            var n = notices[i % notices.Count];
            return soap.CallAsync("paGetPaymentV2", SoapPayloads.GetPaymentV2(n.CreditorFiscalCode, n.NoticeNumber), ct);
        });

    /// <summary>paSendRTV2, first delivery: each iteration pays a distinct notice with a new receiptId; bounded by the notices.</summary>
    public static Scenario FirstReceipts(SoapClient soap, IReadOnlyList<PayableNotice> notices, string receiptPrefix, ReceiptLedger ledger) =>
        new("paSendRTV2 first delivery", async (i, ct) =>
        {
            var envelope = SoapPayloads.ReceiptV2(receiptPrefix + i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture), notices[i]);
            var ok = await soap.CallAsync("paSendRTV2", envelope, ct);
            if (ok)
            {
                ledger.Add(envelope);
            }
            return ok;
        }, MaxIterations: notices.Count);

    /// <summary>
    /// The whole Node flow for one notice, as a PSP payment drives it: paVerifyPaymentNotice, paGetPaymentV2, then the
    /// paSendRTV2 receipt. Each iteration pays a distinct notice; the step succeeds only when all three answer OK.
    /// </summary>
    public static Scenario NodeFlow(SoapClient soap, IReadOnlyList<PayableNotice> notices, string receiptPrefix) =>
        new("Node flow (verify, activate, receipt)", async (i, ct) =>
        {
            var n = notices[i];
            return await soap.CallAsync("paVerifyPaymentNotice", SoapPayloads.Verify(n.CreditorFiscalCode, n.NoticeNumber), ct)
                && await soap.CallAsync("paGetPaymentV2", SoapPayloads.GetPaymentV2(n.CreditorFiscalCode, n.NoticeNumber), ct)
                && await soap.CallAsync("paSendRTV2", SoapPayloads.ReceiptV2(receiptPrefix + i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture), n), ct);
        }, MaxIterations: notices.Count);

    /// <summary>paSendRTV2 redelivery: receipts already stored, sent again (answered OK, nothing changes).</summary>
    public static Scenario DuplicateReceipts(SoapClient soap, ReceiptLedger ledger) =>
        new("paSendRTV2 redelivery", (i, ct) => soap.CallAsync("paSendRTV2", ledger[i], ct));
}
