using System.Text;
using PaymentGateway.Core;
using PaymentGateway.Reconciliation.Treasury;

namespace PaymentGateway.Reconciliation.Tests.Treasury;

public sealed class Camt053ReaderTests
{
    internal static string Example(string name) => Path.Combine(AppContext.BaseDirectory, "Treasury", "Examples", name);

    [Fact]
    public async Task ReadAsync_Version02_BookedCreditsWithCausaleTrnAndOrderingParty()
    {
        var (credits, statements) = await ReadFileAsync("camt053.001.02.xml");

        var statement = Assert.Single(statements);
        Assert.Equal(("camt.053", "001.02", "STMT-2026-11-21-0542811101", "IT60X0542811101000000123456"),
            (statement.Format, statement.Version, statement.StatementId, statement.AccountIban));
        Assert.Equal((new DateOnly(2026, 11, 21), new DateOnly(2026, 11, 21)), (statement.FromDate!.Value, statement.ToDate!.Value));
        Assert.Equal((4L, 273_356L, 1L), (statement.Credits, statement.CreditCents, statement.EntriesIgnored));

        Assert.Equal([123_456L, 50_000L, 24_900L, 75_000L], credits.Select(c => c.Amount.Cents));
        var first = credits[0];
        Assert.Equal("/PUR/LGPE-RIVERSAMENTO/URI/2026-11-21ABI03069-S000000001", first.Remittance);
        Assert.Equal("0306909609270715480123401230IT", first.Trn);
        Assert.Null(first.EndToEndId);
        Assert.Equal("BPM20261121000001", first.BankReference);
        Assert.Equal("Intesa Sanpaolo S.p.A. Servizio pagoPA", first.OrderingParty);
        Assert.Equal((new DateOnly(2026, 11, 21), new DateOnly(2026, 11, 21)), (first.BookingDate, first.ValueDate!.Value));
        // Two Ustrd lines, kept as the bank cut them.
        Assert.Equal("/PUR/LGPE-RIVERSAMENTO/TXT/0/URI/2\n026-11-21BPPIITRRXXX-0000000042", credits[1].Remittance);
        Assert.Equal("E2E-BPPI-20261121-42", credits[1].EndToEndId);
        Assert.Equal("Bar Centrale di Rossi Mario", credits[3].OrderingParty);
    }

    [Fact]
    public async Task ReadAsync_Version08_StatusCodePartyAndTransactionAmountRead()
    {
        var (credits, statements) = await ReadFileAsync("camt053.001.08.xml");

        var statement = Assert.Single(statements);
        Assert.Equal(("001.08", 5L, 73_500L, 0L), (statement.Version, statement.Credits, statement.CreditCents, statement.EntriesIgnored));
        Assert.Equal(new DateOnly(2026, 11, 22), statement.FromDate);
        Assert.Equal(5, credits.Count);
        Assert.Equal("Banca Duplicati S.p.A. Servizio pagoPA", credits[0].OrderingParty);
        Assert.Equal(("PSPD26112200000005", "BPM20261122000001"), (credits[0].Trn, credits[0].BankReference));
        Assert.Equal(("IT26112200000TRNF7000000000001", "E2E-F7"), (credits[2].Trn, credits[2].EndToEndId));
        Assert.Equal("/RFB/01000000000000144/120.00/TXT/TARI 2026 RATA 1", credits[4].Remittance);
    }

    [Fact]
    public async Task ReadAsync_AnyVersionOfTheNamespace_Read()
    {
        var (credits, statements) = await ReadAsync(Statement("camt.053.001.13", Entry("CRDT", "10.00", "/PUR/LGPE-RIVERSAMENTO/URI/2026-11-21X-1")));

        Assert.Equal("001.13", Assert.Single(statements).Version);
        Assert.Equal(1_000L, Assert.Single(credits).Amount.Cents);
    }

    [Fact]
    public async Task ReadAsync_DebitsReversalsAndPendingEntries_IgnoredAndCounted()
    {
        var xml = Statement("camt.053.001.02",
            Entry("CRDT", "10.00", "A"),
            Entry("DBIT", "3.00", "B"),
            Entry("CRDT", "4.00", "C", extra: "<RvslInd>true</RvslInd>"),
            Entry("CRDT", "5.00", "D", status: "PDNG"));

        var (credits, statements) = await ReadAsync(xml);

        Assert.Equal("A", Assert.Single(credits).Remittance);
        Assert.Equal(3, Assert.Single(statements).EntriesIgnored);
    }

    [Fact]
    public async Task ReadAsync_BatchEntryWithTransactionAmounts_OneCreditPerTransaction()
    {
        var entry = """
            <Ntry><Amt Ccy="EUR">30.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-11-21</Dt></BookgDt><AcctSvcrRef>BATCH1</AcctSvcrRef>
            <NtryDtls><TxDtls><AmtDtls><TxAmt><Amt Ccy="EUR">10.00</Amt></TxAmt></AmtDtls><RmtInf><Ustrd>ONE</Ustrd></RmtInf></TxDtls>
            <TxDtls><AmtDtls><TxAmt><Amt Ccy="EUR">20.00</Amt></TxAmt></AmtDtls><RmtInf><Ustrd>TWO</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
            """;

        var (credits, _) = await ReadAsync(Statement("camt.053.001.02", entry));

        Assert.Equal([("ONE", 1_000L, "BATCH1/1"), ("TWO", 2_000L, "BATCH1/2")], credits.Select(c => (c.Remittance, c.Amount.Cents, c.BankReference!)));
    }

    [Fact]
    public async Task ReadAsync_CausaleOnlyInAdditionalEntryInformation_UsedAsRemittance()
    {
        var entry = """
            <Ntry><Amt Ccy="EUR">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-11-21</Dt></BookgDt>
            <AddtlNtryInf>BONIFICO /PUR/LGPE-RIVERSAMENTO/URI/2026-11-21ABI03069-S000000001</AddtlNtryInf></Ntry>
            """;

        var (credits, _) = await ReadAsync(Statement("camt.053.001.02", entry));

        Assert.Equal("BONIFICO /PUR/LGPE-RIVERSAMENTO/URI/2026-11-21ABI03069-S000000001", Assert.Single(credits).Remittance);
    }

    [Theory]
    [InlineData("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.08\"><BkToCstmrDbtCdtNtfctn/></Document>", "camt.054 (a debit/credit notification)")]
    [InlineData("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.052.001.02\"/>", "camt.052 (an intraday account report)")]
    [InlineData("<Document xmlns=\"urn:example\"/>", "expected <Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.NN\">")]
    [InlineData("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><GrpHdr/></BkToCstmrStmt></Document>", "no <Stmt>")]
    public async Task ReadAsync_NotAStatement_RejectedWithReason(string xml, string reason)
    {
        var e = await Assert.ThrowsAsync<StatementRejectedException>(() => ReadAsync(xml));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_SummaryDisagreesWithEntries_RejectedWithLine()
    {
        var xml = StatementWith("camt.053.001.02", "<TxsSummry><TtlCdtNtries><NbOfNtries>2</NbOfNtries><Sum>10.00</Sum></TtlCdtNtries></TxsSummry>",
            Entry("CRDT", "10.00", "A"));

        var e = await Assert.ThrowsAsync<StatementRejectedException>(() => ReadAsync(xml));

        Assert.Equal("TxsSummry/TtlCdtNtries/NbOfNtries is 2 but the statement has 1 such entries", e.Reason);
        Assert.NotNull(e.Line);
    }

    [Fact]
    public async Task ReadAsync_BalancesDisagreeWithEntries_Rejected()
    {
        var balances = """
            <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-21</Dt></Dt></Bal>
            <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">120.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-21</Dt></Dt></Bal>
            """;
        var xml = StatementWith("camt.053.001.02", balances, Entry("CRDT", "10.00", "A"));

        var e = await Assert.ThrowsAsync<StatementRejectedException>(() => ReadAsync(xml));

        Assert.StartsWith("opening balance 100.00 + booked credits 10.00 − booked debits 0.00 is not the closing balance 120.00", e.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.005", "has a fraction of a cent")]
    [InlineData("-10.00", "is not an amount")]
    [InlineData("1e3", "is not an amount")]
    public async Task ReadAsync_BadAmount_RejectedWithLine(string amount, string reason)
    {
        var e = await Assert.ThrowsAsync<StatementRejectedException>(() => ReadAsync(Statement("camt.053.001.02", Entry("CRDT", amount, "A"))));

        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public async Task ReadAsync_TrailingZerosPastTheCent_Accepted()
    {
        var (credits, _) = await ReadAsync(Statement("camt.053.001.02", Entry("CRDT", "10.50000", "A")));

        Assert.Equal(EuroCents.FromCents(1_050), Assert.Single(credits).Amount);
    }

    [Fact]
    public async Task ReadAsync_ForeignCurrency_Rejected()
    {
        var xml = Statement("camt.053.001.02", Entry("CRDT", "10.00", "A")).Replace("Ccy=\"EUR\"", "Ccy=\"USD\"", StringComparison.Ordinal);

        var e = await Assert.ThrowsAsync<StatementRejectedException>(() => ReadAsync(xml));

        Assert.Contains("only euro", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_TruncatedFile_RejectedAsNotWellFormed()
    {
        var bytes = await File.ReadAllBytesAsync(Example("camt053.001.02.xml"));

        var e = await Assert.ThrowsAsync<StatementRejectedException>(
            () => Camt053Reader.ReadAsync(new MemoryStream(bytes[..(bytes.Length / 2)]), _ => ValueTask.CompletedTask, _ => { }, CancellationToken.None));

        Assert.StartsWith("not well-formed XML", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_StatementWithoutIban_Rejected()
    {
        var xml = Statement("camt.053.001.02", Entry("CRDT", "10.00", "A"))
            .Replace("<IBAN>IT60X0542811101000000123456</IBAN>", "<Othr><Id>123456</Id></Othr>", StringComparison.Ordinal);

        var e = await Assert.ThrowsAsync<StatementRejectedException>(() => ReadAsync(xml));

        Assert.Equal("the statement's account (Acct/Id) has no IBAN", e.Reason);
    }

    internal static async Task<(List<StatementCredit> Credits, List<StatementInfo> Statements)> ReadFileAsync(string name)
    {
        await using var stream = File.OpenRead(Example(name));
        return await ReadAsync(stream);
    }

    private static Task<(List<StatementCredit>, List<StatementInfo>)> ReadAsync(string xml) => ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(xml)));

    private static async Task<(List<StatementCredit>, List<StatementInfo>)> ReadAsync(Stream stream)
    {
        var credits = new List<StatementCredit>();
        var statements = new List<StatementInfo>();
        await Camt053Reader.ReadAsync(stream, c =>
        {
            credits.Add(c);
            return ValueTask.CompletedTask;
        }, statements.Add, CancellationToken.None);
        return (credits, statements);
    }

    // Each entry on its own line: the first entry is on line 3.
    internal static string Statement(string version, params string[] entries) => StatementWith(version, "", entries);

    internal static string StatementWith(string version, string summary, params string[] entries) =>
        $"<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:{version}\"><BkToCstmrStmt><GrpHdr><MsgId>M</MsgId></GrpHdr><Stmt><Id>S-{version}</Id>\n" +
        $"<Acct><Id><IBAN>IT60X0542811101000000123456</IBAN></Id></Acct>{summary}\n" +
        string.Join("\n", entries) + "\n</Stmt></BkToCstmrStmt></Document>";

    internal static string Entry(string indicator, string amount, string causale, string status = "BOOK", string extra = "", string? reference = null) =>
        $"<Ntry><Amt Ccy=\"EUR\">{amount}</Amt><CdtDbtInd>{indicator}</CdtDbtInd>{extra}<Sts>{status}</Sts><BookgDt><Dt>2026-11-21</Dt></BookgDt>" +
        (reference is null ? "" : $"<AcctSvcrRef>{reference}</AcctSvcrRef>") +
        $"<NtryDtls><TxDtls><RmtInf><Ustrd>{causale}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>";
}
