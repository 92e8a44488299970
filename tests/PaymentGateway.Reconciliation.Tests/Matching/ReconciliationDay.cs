using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PaymentGateway.Core;
using PaymentGateway.Core.Positions;
using PaymentGateway.Core.Receipts;
using PaymentGateway.Persistence.Node;
using PaymentGateway.Persistence.Positions;
using PaymentGateway.Reconciliation.Fdr;
using PaymentGateway.Reconciliation.Matching;
using PaymentGateway.Testing;

namespace PaymentGateway.Reconciliation.Tests.Matching;

/// <summary>
/// A generated day of payments for the test EC (PositionBuilder's Comune, with a TEFA share to the second
/// beneficiary), its receipts and its reporting flows, with planted anomalies and the bucket every current row must
/// land in. Deterministic for a given seed.
/// </summary>
internal sealed class ReconciliationDay
{
    public const string Ec = "01199250158";
    public const string Tefa = "08911820960";
    public const int Payments = 300;

    // Planted anomalies, by payment number.
    public static readonly int[] AmountDiffers = [10, 110, 210];          // 1% of the rows: the PSP reports one euro more
    public static readonly int[] MissingReceipts = [50, 150, 230];        // paid per the FdR, no receipt stored
    public const int LateReceipt = 50;                                    // ... until this one arrives
    public static readonly int[] Duplicated = [5, 105];                   // reported again in a later-settled flow
    public const int Revoked = 20;                                        // paid (matched), then revoked (code 3)
    public const int StandIn = 300;                                       // code 4, stand-in receipt
    public const int StandInNoReceipt = 301;                              // code 8
    public const int NoReceipt = 302;                                     // code 9
    public const int Revised = 240;                                       // wrong in revision 1, right in revision 2
    public static readonly string[] UnknownIuvs = ["01999999999999901", "01999999999999902"];

    private readonly List<DebtPosition> _positions = [];
    private readonly Dictionary<int, (PaymentOption Option, string Iur)> _paid = [];

    public ReconciliationDay()
    {
        var builder = new PositionBuilder().StartingAt(70_000);
        var random = new Random(7);
        for (var i = 0; i <= 302; i++)
        {
            var position = builder.Build(cents: random.Next(10_000, 50_000));
            _positions.Add(position);
            _paid[i] = (position.SingleOption!, string.Create(CultureInfo.InvariantCulture, $"IUR{i:D6}"));
        }
        BuildReceipts();
        BuildFlows();
    }

    public IReadOnlyList<DebtPosition> Positions => _positions;

    /// <summary>Receipts the Node delivered during the day (not the late one).</summary>
    public List<PaymentReceipt> Receipts { get; } = [];

    /// <summary>The receipt that arrives after the flows.</summary>
    public PaymentReceipt Late { get; private set; } = null!;

    /// <summary>Flow files (name, XML), revisions included, in publication order.</summary>
    public List<(string Name, string Xml)> Flows { get; } = [];

    /// <summary>Bucket of each current row, keyed "flowId/psp/row", before the late receipt.</summary>
    public Dictionary<string, FdrBucket> Expected { get; } = new(StringComparer.Ordinal);

    /// <summary>Rows (keyed like <see cref="Expected"/>) that the late receipt turns into matches.</summary>
    public HashSet<string> LateRows { get; } = new(StringComparer.Ordinal);

    /// <summary>Rows and cents of the current revisions.</summary>
    public (long Rows, long Cents) CurrentTotals { get; private set; }

    /// <summary>Rows of the superseded revision.</summary>
    public int SupersededRows { get; private set; }

    public Dictionary<string, FdrBucket> ExpectedAfterLateReceipt() =>
        Expected.ToDictionary(p => p.Key, p => LateRows.Contains(p.Key) ? FdrBucket.Matched : p.Value, StringComparer.Ordinal);

    public async Task WritePositionsAsync(Npgsql.NpgsqlDataSource dataSource)
    {
        await Seed.CreditorsAsync(dataSource);
        await new PositionBulkWriter(dataSource, TimeProvider.System).WriteAsync(_positions, 2026, "TARI", CancellationToken.None);
    }

    public static async Task StoreReceiptAsync(Npgsql.NpgsqlDataSource dataSource, PaymentReceipt receipt)
    {
        var raw = $"<receipt><receiptId>{receipt.ReceiptId}</receiptId></receipt>";
        var result = await new ReceiptStore(dataSource).StoreAsync(receipt, Ec, "paSendRTV2", raw, SHA256.HashData(Encoding.UTF8.GetBytes(raw)),
            new DateTimeOffset(2026, 11, 19, 18, 0, 0, TimeSpan.Zero), CancellationToken.None);
        Assert.Equal(ReceiptStoreOutcome.Stored, result.Outcome);
    }

    public static async Task ImportAsync(Npgsql.NpgsqlDataSource dataSource, (string Name, string Xml) flow)
    {
        var result = await new FdrFlowStore(dataSource, TimeProvider.System)
            .ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(flow.Xml)), flow.Name, CancellationToken.None);
        Assert.True(result.Outcome == FdrImportOutcome.Accepted, result.Reason);
    }

    private void BuildReceipts()
    {
        foreach (var (i, (option, iur)) in _paid)
        {
            if ((MissingReceipts.Contains(i) && i != LateReceipt) || i is StandInNoReceipt or NoReceipt)
            {
                continue;
            }
            var receipt = Receipt(option, iur, standIn: i == StandIn);
            if (i == LateReceipt)
            {
                Late = receipt;
            }
            else
            {
                Receipts.Add(receipt);
            }
        }
    }

    private static PaymentReceipt Receipt(PaymentOption option, string iur, bool standIn) => new(
        iur, option.NoticeNumber.Value, Ec, "OK", option.NoticeNumber.Iuv.Value, option.Amount, EuroCents.FromCents(100), null, "PSPAAA",
        "PSP AAA", "PSPAAA_01", "CP", new DateTimeOffset(2026, 11, 19, 10, 0, 0, TimeSpan.Zero), null, null, 'F', "RSSMRA85T10A562S", null, null,
        standIn,
        option.Transfers.Select(t => new ReceiptTransfer(t.Index, t.Beneficiary.Value, ((BankAccount)t.Account).Iban.Value, t.Amount, t.Category.ToString(),
            t.RemittanceInformation, [])).ToList());

    private void BuildFlows()
    {
        long rows = 0, cents = 0;
        void Current(string flowId, string psp, List<Row> flowRows)
        {
            for (var n = 0; n < flowRows.Count; n++)
            {
                var key = string.Create(CultureInfo.InvariantCulture, $"{flowId}/{psp}/{n + 1}");
                Expected[key] = flowRows[n].Bucket;
                if (flowRows[n].Payment == LateReceipt)
                {
                    LateRows.Add(key);
                }
                rows++;
                cents += flowRows[n].Cents;
            }
        }

        // PSP AAA and BBB settle on the 20th: payments 0-99 and 100-199 (the Comune's transfer, idTransfer 1).
        var aaa = Range(0, 100, 1);
        var bbb = Range(100, 200, 1);
        Add("2026-11-20PSPAAA-0001", "PSPAAA", Ec, new DateTime(2026, 11, 21, 8, 0, 0), new DateOnly(2026, 11, 20), aaa);
        Current("2026-11-20PSPAAA-0001", "PSPAAA", aaa);
        Add("2026-11-20PSPBBB-0001", "PSPBBB", Ec, new DateTime(2026, 11, 21, 9, 0, 0), new DateOnly(2026, 11, 20), bbb);
        Current("2026-11-20PSPBBB-0001", "PSPBBB", bbb);

        // PSP AAA's flow to the second beneficiary: the TEFA share (idTransfer 2) of payments 0-99.
        var tefa = Range(0, 100, 2, ec: Tefa);
        Add("2026-11-20PSPAAA-0002", "PSPAAA", Tefa, new DateTime(2026, 11, 21, 8, 30, 0), new DateOnly(2026, 11, 20), tefa);
        Current("2026-11-20PSPAAA-0002", "PSPAAA", tefa);

        // PSP CCC: revision 1 reports payment 240 one euro short; revision 2 corrects it (and replaces every row).
        var ccc1 = Range(200, 250, 1);
        var wrong = ccc1.FindIndex(r => r.Payment == Revised);
        ccc1[wrong] = ccc1[wrong] with { Cents = ccc1[wrong].Cents - 100, Bucket = FdrBucket.AmountDiffers };
        Add("2026-11-21PSPCCC-0001", "PSPCCC", Ec, new DateTime(2026, 11, 22, 8, 0, 0), new DateOnly(2026, 11, 21), ccc1);
        SupersededRows = ccc1.Count;
        var ccc2 = Range(200, 250, 1);
        Add("2026-11-21PSPCCC-0001", "PSPCCC", Ec, new DateTime(2026, 11, 23, 8, 0, 0), new DateOnly(2026, 11, 21), ccc2, name: "2026-11-21PSPCCC-0001.rev2.xml");
        Current("2026-11-21PSPCCC-0001", "PSPCCC", ccc2);

        // PSP DDD settles on the 21st: duplicates of earlier reports, the odd outcome codes, unknown IUVs.
        var ddd = new List<Row>();
        foreach (var i in Duplicated)
        {
            ddd.Add(Payment(i, 1, Ec) with { Bucket = FdrBucket.Duplicate });
        }
        var revoked = Payment(Revoked, 1, Ec);
        ddd.Add(revoked with { Cents = -revoked.Cents, Code = 3, Bucket = FdrBucket.Revoked });
        ddd.Add(Payment(StandIn, 1, Ec) with { Code = 4, Bucket = FdrBucket.StandIn });
        ddd.Add(Payment(StandInNoReceipt, 1, Ec) with { Code = 8, Bucket = FdrBucket.StandIn });
        ddd.Add(Payment(NoReceipt, 1, Ec) with { Code = 9, Bucket = FdrBucket.NoReceipt });
        for (var u = 0; u < UnknownIuvs.Length; u++)
        {
            ddd.Add(new Row(-1 - u, UnknownIuvs[u], string.Create(CultureInfo.InvariantCulture, $"IURX{u}"), 1, 12_345, 0, FdrBucket.IuvUnknown));
        }
        Add("2026-11-21PSPDDD-0001", "PSPDDD", Ec, new DateTime(2026, 11, 22, 9, 0, 0), new DateOnly(2026, 11, 21), ddd);
        Current("2026-11-21PSPDDD-0001", "PSPDDD", ddd);
        CurrentTotals = (rows, cents);
    }

    private List<Row> Range(int from, int to, int transfer, string ec = Ec) =>
        Enumerable.Range(from, to - from).Select(i => Payment(i, transfer, ec)).ToList();

    private Row Payment(int i, int transfer, string ec)
    {
        var (option, iur) = _paid[i];
        var cents = option.Transfers.Single(t => t.Index == transfer).Amount.Cents;
        var bucket = FdrBucket.Matched;
        if (MissingReceipts.Contains(i))
        {
            bucket = FdrBucket.ReceiptMissing;
        }
        else if (AmountDiffers.Contains(i) && ec == Ec)
        {
            cents += 100;
            bucket = FdrBucket.AmountDiffers;
        }
        return new Row(i, option.NoticeNumber.Iuv.Value, iur, transfer, cents, 0, bucket);
    }

    private void Add(string flowId, string psp, string ec, DateTime flowTime, DateOnly settlement, List<Row> rows, string? name = null) =>
        Flows.Add((name ?? flowId + ".xml", FlowXml(flowId, psp, ec, flowTime, settlement, rows.Select(r => (r.Iuv, r.Iur, (int?)r.Transfer, r.Cents, r.Code)))));

    /// <summary>A FlussoRiversamento with these rows (IUV, IUR, idTransfer or none, cents, outcome code); header totals from the rows.</summary>
    public static string FlowXml(string flowId, string psp, string ec, DateTime flowTime, DateOnly settlement,
        IEnumerable<(string Iuv, string Iur, int? Transfer, long Cents, int Code)> rows)
    {
        var body = new StringBuilder();
        long count = 0, total = 0;
        foreach (var r in rows)
        {
            var index = r.Transfer is { } t ? string.Create(CultureInfo.InvariantCulture, $"<indiceDatiSingoloPagamento>{t}</indiceDatiSingoloPagamento>") : "";
            body.Append(CultureInfo.InvariantCulture, $"""
                <datiSingoliPagamenti><identificativoUnivocoVersamento>{r.Iuv}</identificativoUnivocoVersamento><identificativoUnivocoRiscossione>{r.Iur}</identificativoUnivocoRiscossione>{index}<singoloImportoPagato>{EuroCents.FromCents(r.Cents)}</singoloImportoPagato><codiceEsitoSingoloPagamento>{r.Code}</codiceEsitoSingoloPagamento><dataEsitoSingoloPagamento>2026-11-19</dataEsitoSingoloPagamento></datiSingoliPagamenti>

                """);
            count++;
            total += r.Cents;
        }
        return string.Create(CultureInfo.InvariantCulture, $"""
            <FlussoRiversamento xmlns="{FlussoRiversamentoReader.Namespace}"><versioneOggetto>1.0</versioneOggetto>
            <identificativoFlusso>{flowId}</identificativoFlusso><dataOraFlusso>{flowTime:yyyy-MM-ddTHH:mm:ss}</dataOraFlusso>
            <identificativoUnivocoRegolamento>TRN-{flowId}</identificativoUnivocoRegolamento><dataRegolamento>{settlement:yyyy-MM-dd}</dataRegolamento>
            <istitutoMittente><identificativoUnivocoMittente><tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>{psp}</codiceIdentificativoUnivoco></identificativoUnivocoMittente></istitutoMittente>
            <istitutoRicevente><identificativoUnivocoRicevente><tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>{ec}</codiceIdentificativoUnivoco></identificativoUnivocoRicevente></istitutoRicevente>
            <numeroTotalePagamenti>{count}</numeroTotalePagamenti><importoTotalePagamenti>{EuroCents.FromCents(total)}</importoTotalePagamenti>
            {body}</FlussoRiversamento>
            """);
    }

    private sealed record Row(int Payment, string Iuv, string Iur, int Transfer, long Cents, int Code, FdrBucket Bucket);
}
