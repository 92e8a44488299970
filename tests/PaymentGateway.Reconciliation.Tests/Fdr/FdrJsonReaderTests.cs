using System.Text;
using PaymentGateway.Core;
using PaymentGateway.Reconciliation.Fdr;

namespace PaymentGateway.Reconciliation.Tests.Fdr;

public sealed class FdrJsonReaderTests
{
    private const string Fields = """
        "fdr": "2026-11-20ABI03069-0001", "fdrDate": "2026-11-21T08:30:00.250000Z", "revision": 2, "status": "PUBLISHED",
        "regulation": "SEPA - Bonifico 1", "regulationDate": "2026-11-21", "bicCodePouringBank": "BCITITMMXXX",
        "sender": { "type": "ABI_CODE", "id": "03069", "pspId": "BCITITMM", "pspName": "Intesa Sanpaolo", "pspBrokerId": "x", "channelId": "y" },
        "receiver": { "id": "01199250158", "organizationId": "01199250158", "organizationName": "Comune di Milano" },
        "totPayments": 3, "sumPayments": 30.6
        """;

    private const string Payments = """
        "payments": [
          { "index": 1, "iuv": "01000000000000001", "iur": "IUR1", "idTransfer": 1, "pay": 10.5, "payStatus": "EXECUTED", "payDate": "2026-11-20T10:00:00Z" },
          { "index": 2, "iuv": "01000000000000002", "iur": "IUR2", "idTransfer": 2, "pay": 20, "payStatus": "STAND_IN", "payDate": "2026-11-20T11:00:00Z" },
          { "index": 3, "iuv": "01000000000000003", "iur": "IUR3", "idTransfer": 1, "pay": 0.10, "payStatus": "NO_RPT", "payDate": "2026-11-20T12:00:00Z" }
        ]
        """;

    private static async Task<(FdrHeader Header, List<FdrRow> Rows, int HeaderSeenAfterRows)> ReadAsync(string json, int chunk = 7)
    {
        var rows = new List<FdrRow>();
        var seenAfter = -1;
        // A stream that hands out a few bytes at a time: every token boundary falls across reads somewhere.
        await using var stream = new TrickleStream(Encoding.UTF8.GetBytes(json), chunk);
        var header = await FdrJsonReader.ReadAsync(stream, row => { rows.Add(row); return ValueTask.CompletedTask; }, CancellationToken.None,
            _ => seenAfter = rows.Count);
        return (header, rows, seenAfter);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task ReadAsync_FieldsThenPayments_HeaderFirstAndEveryPaymentInOrder(int chunk)
    {
        var (header, rows, seenAfter) = await ReadAsync("{" + Fields + "," + Payments + "}", chunk);

        Assert.Equal(0, seenAfter);
        Assert.Equal(("2026-11-20ABI03069-0001", 2L, "A", "03069", "01199250158"), (header.FlowId, header.Revision, header.PspIdType, header.PspId, header.ReceiverFiscalCode));
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 8, 30, 0, TimeSpan.Zero), FdrFlowStore.FlowInstant(header));
        Assert.Equal(EuroCents.FromCents(3060), header.DeclaredTotal);
        Assert.Equal([(1, 1050L, 0, 1), (2, 2000L, 4, 2), (3, 10L, 9, 1)], rows.Select(r => (r.Line, r.Amount.Cents, r.OutcomeCode, r.TransferIndex ?? 0)));
        Assert.Equal(new DateOnly(2026, 11, 20), rows[0].OutcomeDate);
    }

    [Fact]
    public async Task ReadAsync_PaymentsBeforeFields_HeldUntilTheHeaderIsKnown()
    {
        var (header, rows, seenAfter) = await ReadAsync("{" + Payments + "," + Fields + "}");

        Assert.Equal("2026-11-20ABI03069-0001", header.FlowId);
        Assert.Equal(0, seenAfter);
        Assert.Equal(3, rows.Count);
    }

    [Theory]
    [InlineData("\"pay\": 10.5,", "\"pay\": 10.555,", "singoloImportoPagato '10.555'")]
    [InlineData("\"pay\": 10.5,", "\"pay\": 1e1,", "singoloImportoPagato '1e1'")]
    [InlineData("\"payStatus\": \"EXECUTED\"", "\"payStatus\": \"LOST\"", "codiceEsitoSingoloPagamento 'LOST'")]
    [InlineData("\"totPayments\": 3", "\"totPayments\": 4", "totPayments is 4 but the flow has 3 rows")]
    [InlineData("\"sumPayments\": 30.6", "\"sumPayments\": 30.7", "sumPayments is 30.70 but the rows add up to 30.60")]
    [InlineData("\"fdr\": \"2026-11-20ABI03069-0001\",", "", "<identificativoFlusso> is missing")]
    public async Task ReadAsync_BadFlow_RejectedWithTheReason(string from, string to, string reason)
    {
        var json = ("{" + Fields + "," + Payments + "}").Replace(from, to, StringComparison.Ordinal);

        var e = await Assert.ThrowsAsync<FdrRejectedException>(() => ReadAsync(json));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{" + Fields + ", \"payments\": [ { \"index\": 1")]
    [InlineData("[1, 2]")]
    [InlineData("")]
    [InlineData("{ \"fdr\": tru }")]
    public async Task ReadAsync_NotAFlow_Rejected(string json)
    {
        await Assert.ThrowsAsync<FdrRejectedException>(() => ReadAsync(json));
    }

    [Fact]
    public async Task ReadAsync_ManyPayments_StreamedWithAFixedBuffer()
    {
        const int Count = 50_000;
        var json = new StringBuilder("{").Append(Fields.Replace("\"totPayments\": 3, \"sumPayments\": 30.6", $"\"totPayments\": {Count}, \"sumPayments\": {Count}.00", StringComparison.Ordinal))
            .Append(", \"payments\": [");
        for (var i = 1; i <= Count; i++)
        {
            json.Append(i > 1 ? "," : "").Append(System.Globalization.CultureInfo.InvariantCulture,
                $$"""{ "index": {{i}}, "iuv": "01{{i:D15}}", "iur": "IUR{{i}}", "idTransfer": 1, "pay": 1, "payStatus": "EXECUTED", "payDate": "2026-11-20" }""");
        }
        json.Append("]}");

        var (_, rows, _) = await ReadAsync(json.ToString(), 8192);

        Assert.Equal(Count, rows.Count);
        Assert.Equal(Enumerable.Range(1, Count), rows.Select(r => r.Line));
    }

    /// <summary>A read-only stream that returns at most <c>chunk</c> bytes per read.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
