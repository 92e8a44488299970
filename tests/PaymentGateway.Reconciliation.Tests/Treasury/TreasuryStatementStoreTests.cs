using System.Text;
using Dapper;
using PaymentGateway.Reconciliation.Treasury;
using PaymentGateway.Testing;

namespace PaymentGateway.Reconciliation.Tests.Treasury;

public sealed class TreasuryStatementStoreTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private TreasuryStatementStore Store() => new(database.DataSource, TimeProvider.System);

    [DatabaseFact]
    public async Task ImportCamt053Async_SameFileTwice_StoredOnceWithParsedCausali()
    {
        var first = await ImportFileAsync("camt053.001.02.xml");
        var again = await ImportFileAsync("camt053.001.02.xml");

        Assert.Equal(StatementImportOutcome.Accepted, first.Outcome);
        var statement = Assert.Single(first.Statements);
        Assert.Equal((false, 4L, 0L, 1L), (statement.AlreadyImported, statement.Credits, statement.CreditsAlreadyKnown, statement.EntriesIgnored));
        Assert.Equal(StatementImportOutcome.AlreadyImported, again.Outcome);
        Assert.Equal(statement.StatementPk, Assert.Single(again.Statements).StatementPk);

        await using var connection = await database.DataSource.OpenConnectionAsync();
        var stored = await connection.QuerySingleAsync<(string Status, string Version, long Credits, long Cents, string Sha)>(
            "select status, format_version, credits, credits_cents, content_sha256 from treasury_statements where id = @pk", new { pk = statement.StatementPk });
        Assert.Equal(("Accepted", "001.02", 4L, 273_356L), (stored.Status, stored.Version, stored.Credits, stored.Cents));
        Assert.Equal(64, stored.Sha.Length);
        var credits = (await connection.QueryAsync<(string Kind, string? FlowId, string EntryKey, short Confidence)>(
            "select causale_kind, flow_id, entry_key, causale_confidence from treasury_credits where statement_pk = @pk order by line",
            new { pk = statement.StatementPk })).ToList();
        Assert.Equal(
            [
                ("FlowSettlement", "2026-11-21ABI03069-S000000001", "ref:BPM20261121000001", (short)100),
                ("FlowSettlement", "2026-11-21BPPIITRRXXX-0000000042", "ref:BPM20261121000002", (short)100),
                ("FlowSettlement", "2026-11-21UNCRITMM-0000000777", "ref:BPM20261121000003", (short)90),
                ("Unrecognised", null, "ref:BPM20261121000005", (short)0),
            ],
            credits);
    }

    [DatabaseFact]
    public async Task ImportCsvAsync_OverlappingExport_CreditsAlreadyKnownNotStoredTwice()
    {
        var mapping = CsvStatementMapping.Parse("""
            account_iban = IT60X0542811101000000123456
            date = Data
            amount = Importo
            causale = Causale
            """);
        const string days21And22 = "Data;Importo;Causale\n21/11/2026;10,00;A\n22/11/2026;5,00;B\n22/11/2026;5,00;B\n";
        const string days22And23 = "Data;Importo;Causale\n22/11/2026;5,00;B\n22/11/2026;5,00;B\n22/11/2026;5,00;B\n23/11/2026;7,00;C\n";

        var first = await Store().ImportCsvAsync(Utf8(days21And22), mapping, "a.csv", CancellationToken.None);
        var second = await Store().ImportCsvAsync(Utf8(days22And23), mapping, "b.csv", CancellationToken.None);
        var secondAgain = await Store().ImportCsvAsync(Utf8(days22And23), mapping, "b-copy.csv", CancellationToken.None);

        Assert.Equal((3L, 0L), (first.Statements[0].Credits, first.Statements[0].CreditsAlreadyKnown));
        // The two equal credits of the 22nd were in the first export; the third and the 23rd's are new.
        Assert.Equal((2L, 2L), (second.Statements[0].Credits, second.Statements[0].CreditsAlreadyKnown));
        Assert.Equal(StatementImportOutcome.AlreadyImported, secondAgain.Outcome);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(5, await connection.ExecuteScalarAsync<long>(
            "select count(*) from treasury_credits where account_iban = 'IT60X0542811101000000123456' and booking_date between '2026-11-21' and '2026-11-23' and remittance in ('A', 'B', 'C')"));
    }

    [DatabaseFact]
    public async Task ImportCamt053Async_BadFile_RecordedAsRejectedAndNothingElseWritten()
    {
        var xml = Camt053ReaderTests.Statement("camt.053.001.02", Camt053ReaderTests.Entry("CRDT", "10.00", "GOOD", reference: "R1"),
            Camt053ReaderTests.Entry("CRDT", "10.001", "BAD", reference: "R2"));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var before = await CountsAsync(connection);

        var result = await Store().ImportCamt053Async(Utf8(xml), "bad.xml", CancellationToken.None);

        Assert.Equal(StatementImportOutcome.Rejected, result.Outcome);
        Assert.Equal("line 4: Ntry/Amt '10.001' has a fraction of a cent", result.Reason);
        var rejected = await connection.QuerySingleAsync<(string Status, string Reason, string Source, string? Key)>(
            "select status, rejection_reason, source, statement_key from treasury_statements where id = @pk", new { pk = result.RejectedPk });
        Assert.Equal(("Rejected", result.Reason!, "bad.xml", (string?)null), rejected);
        var after = await CountsAsync(connection);
        Assert.Equal((before.Accepted, before.Credits), (after.Accepted, after.Credits));
    }

    [DatabaseFact]
    public async Task ImportCamt053Async_SameBankReferenceTwice_Rejected()
    {
        var xml = Camt053ReaderTests.Statement("camt.053.001.08", Camt053ReaderTests.Entry("CRDT", "10.00", "A", reference: "SAME"),
            Camt053ReaderTests.Entry("CRDT", "12.00", "B", reference: "SAME"));

        var result = await Store().ImportCamt053Async(Utf8(xml), "twice.xml", CancellationToken.None);

        Assert.Equal(StatementImportOutcome.Rejected, result.Outcome);
        Assert.Equal("line 4: the bank reference 'SAME' names two entries (also on line 3)", result.Reason);
    }

    [DatabaseFact]
    public async Task ImportCamt053Async_TwoStatementsInOneDocument_BothStored()
    {
        var one = Camt053ReaderTests.Statement("camt.053.001.02", Camt053ReaderTests.Entry("CRDT", "1.00", "X", reference: "TWO-1"));
        var statements = one.Replace("</Stmt></BkToCstmrStmt>", "</Stmt>" + one[one.IndexOf("<Stmt>", StringComparison.Ordinal)..]
            .Replace("<Id>S-camt.053.001.02</Id>", "<Id>S-second</Id>", StringComparison.Ordinal)
            .Replace("<IBAN>IT60X0542811101000000123456</IBAN>", "<IBAN>IT35O0306901600000000012345</IBAN>", StringComparison.Ordinal)
            .Replace("</Document>", "", StringComparison.Ordinal), StringComparison.Ordinal);

        var result = await Store().ImportCamt053Async(Utf8(statements), "two.xml", CancellationToken.None);

        Assert.Equal(StatementImportOutcome.Accepted, result.Outcome);
        Assert.Equal([("IT60X0542811101000000123456", 1L), ("IT35O0306901600000000012345", 1L)], result.Statements.Select(s => (s.AccountIban, s.Credits)));
    }

    [DatabaseFact]
    public async Task ImportCamt053Async_ManyEntries_AllStoredInFileOrder()
    {
        const int Count = 5_000;
        var entries = Enumerable.Range(1, Count).Select(i => Camt053ReaderTests.Entry("CRDT", "1.00",
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"/PUR/LGPE-RIVERSAMENTO/URI/2026-11-21BIG-{i:D10}"), reference: $"BIG-{i}"));
        var xml = Camt053ReaderTests.Statement("camt.053.001.08", [.. entries]).Replace("<Id>S-camt.053.001.08</Id>", "<Id>BIG</Id>", StringComparison.Ordinal);

        var result = await Store().ImportCamt053Async(Utf8(xml), "big.xml", CancellationToken.None);

        Assert.Equal((StatementImportOutcome.Accepted, (long)Count), (result.Outcome, result.Statements[0].Credits));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var lines = (await connection.QueryAsync<(int Line, string FlowId)>(
            "select line, flow_id from treasury_credits where statement_pk = @pk order by id", new { pk = result.Statements[0].StatementPk })).ToList();
        Assert.Equal(Enumerable.Range(3, Count), lines.Select(l => l.Line));
        Assert.Equal("2026-11-21BIG-0000005000", lines[^1].FlowId);
    }

    private async Task<StatementImportResult> ImportFileAsync(string name)
    {
        await using var stream = File.OpenRead(Camt053ReaderTests.Example(name));
        return await Store().ImportCamt053Async(stream, name, CancellationToken.None);
    }

    private static async Task<(long Accepted, long Credits)> CountsAsync(Npgsql.NpgsqlConnection connection) =>
        await connection.QuerySingleAsync<(long, long)>(
            "select (select count(*) from treasury_statements where status = 'Accepted'), (select count(*) from treasury_credits)");

    private static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));
}
