using System.Text;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using PaymentGateway.Core;
using PaymentGateway.Notices.Issuance;
using PaymentGateway.Testing;

namespace PaymentGateway.Notices.Tests.Issuance;

public sealed class PositionImporterTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    // "Today" is fixed (the default due date of IssuanceFile is far ahead of it).
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero));
    private readonly string _p = "I" + Guid.NewGuid().ToString("N")[..8] + "-";

    public async Task InitializeAsync()
    {
        await Seed.CreditorsAsync(database.DataSource);
        await IssuanceFile.RegisterIbansAsync(database.DataSource);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [DatabaseFact]
    public async Task ImportAsync_PlantedErrors_EachNamesLineAndColumn_GoodRowsLand_BadRowsWriteNothing()
    {
        var file = new IssuanceFile()
            .Row(("iupd", _p + "1"))                                                                   // 2 good
            .Row(("iupd", _p + "2"), ("amount", "12,5"))                                               // 3
            .Row(("iupd", _p + "3"), ("amount", "1e3"))                                                // 4
            .Row(("iupd", _p + "4"), ("transfer_1_iban", IssuanceFile.InvalidIban))                    // 5
            .Row(("iupd", _p + "5"), ("transfer_1_iban", PositionBuilder.SecondIban.Value))           // 6 IBAN of another EC
            .Row([("iupd", _p + "6"), ("transfer_1_amount", "50.00"), .. SixTransfers()])              // 7
            .Row(("iupd", _p + "7"), ("transfer_2_amount", "4.00"))                                    // 8 sum != amount
            .Row(("iupd", _p + "8"), ("debtor_name", "MARKER-QUOTE"))                                  // 9 malformed quotes
            .Row(("iupd", _p + "9"), ("debtor_name", "CAFF@"))                                         // 10 invalid UTF-8
            .Row(("iupd", _p + "10"), ("amount", "300.00"), ("transfer_1_amount", "285.00"), ("transfer_2_amount", "15.00")) // 11 plan
            .Row(("iupd", _p + "10"), ("installment_number", "1"), ("amount", "150.00"), ("transfer_1_amount", "142.50"), ("transfer_2_amount", "7.50"))
            .Row(("iupd", _p + "10"), ("installment_number", "2"), ("amount", "150.00"), ("transfer_1_amount", "142.50"), ("transfer_2_amount", "7.50"))
            .Row(("iupd", _p + "11"), ("installment_number", "1"))                                     // 14 plan with a bad installment
            .Row(("iupd", _p + "11"), ("installment_number", "2"), ("amount", "abc"))                  // 15
            .Row(("iupd", _p + "12"), ("transfer_1_iban", IssuanceFile.NotRegisteredIban))             // 16
            .Row(("iupd", _p + "13"), ("amount", "12.5"), ("transfer_1_amount", "12.00"), ("transfer_2_amount", "0.5")); // 17 good
        var lines = file.ToCsv().Split('\n').ToList();
        lines[8] = lines[8].Replace("MARKER-QUOTE", "\"MARIO\"x ROSSI", StringComparison.Ordinal);
        var bytes = lines.SelectMany(l => Encoding.UTF8.GetBytes(l + "\n")).ToArray();
        // Latin-1 'è' (0xE8) where the '@' was: not UTF-8.
        var at = Array.IndexOf(bytes, (byte)'@');
        bytes[at] = 0xE8;

        var (result, rows) = await ImportAsync(bytes);

        var byLine = rows.ToDictionary(r => r.Line);
        Assert.Equal(16, rows.Count);
        AssertRejected(byLine[3], "amount", "uses ','");
        AssertRejected(byLine[4], "amount", "is not an amount");
        AssertRejected(byLine[5], "transfer_1_iban", "check digits");
        AssertRejected(byLine[6], "transfer_1_iban", "registered for EC 08911820960, not for the beneficiary 01199250158");
        AssertRejected(byLine[7], "transfer_6_fiscal_code", "at most 5 transfers");
        AssertRejected(byLine[8], "amount", "transfers add up to 99.00");
        AssertRejected(byLine[9], "debtor_name", "after its closing quote");
        AssertRejected(byLine[10], null, "not valid UTF-8");
        AssertRejected(byLine[15], "amount", "'abc' is not an amount");
        AssertRejected(byLine[14], null, "position rejected because of line 15");
        AssertRejected(byLine[16], "transfer_1_iban", "is not registered for EC 01199250158");
        foreach (var line in new[] { 2, 11, 12, 13, 17 })
        {
            Assert.Equal(RowStatus.Accepted, byLine[line].Status);
            Assert.True(NoticeNumber.TryParse(byLine[line].NoticeNumber, out _), $"line {line}: {byLine[line].NoticeNumber}");
        }
        Assert.Equal((5, 11, 3), (result.AcceptedRows, result.RejectedRows, result.AcceptedPositions));

        await using var connection = await database.DataSource.OpenConnectionAsync();
        var written = (await connection.QueryAsync<string>("select iupd from debt_positions where iupd like @p order by iupd", new { p = _p + "%" })).ToList();
        Assert.Equal([_p + "1", _p + "10", _p + "13"], written);
        Assert.Equal(5, await connection.ExecuteScalarAsync<long>(
            "select count(*) from payment_options o join debt_positions p on p.id = o.position_id where p.iupd like @p", new { p = _p + "%" }));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("""
            select count(*) from payment_options o join debt_positions p on p.id = o.position_id
            where p.iupd like @p and o.amount_cents <> (select sum(amount_cents) from transfers t where t.option_id = o.id)
            """, new { p = _p + "%" }));
        Assert.Equal(1250, await connection.ExecuteScalarAsync<long>(
            "select amount_cents from payment_options o join debt_positions p on p.id = o.position_id where p.iupd = @i", new { i = _p + "13" }));
        Assert.Equal(3, await connection.ExecuteScalarAsync<long>("select count(*) from outbox where aggregate_key like @k", new { k = "%/" + _p + "%" }));
    }

    [DatabaseFact]
    public async Task ImportAsync_PostalIban_IsAPostalAccountAndMustBePoste()
    {
        var file = new IssuanceFile()
            .Row(("iupd", _p + "1"), ("transfer_1_iban", ""), ("transfer_1_postal_iban", IssuanceFile.PostalIban))
            .Row(("iupd", _p + "2"), ("transfer_1_iban", ""), ("transfer_1_postal_iban", PositionBuilder.CreditorIban.Value))
            .Row(("iupd", _p + "3"), ("transfer_1_postal_iban", IssuanceFile.PostalIban));
        var (_, rows) = await ImportAsync(Encoding.UTF8.GetBytes(file.ToCsv()));
        Assert.Equal(RowStatus.Accepted, rows[0].Status);
        AssertRejected(rows[1], "transfer_1_postal_iban", "is not a Poste Italiane IBAN");
        AssertRejected(rows[2], "transfer_1_iban", "exactly one of the IBAN and the postal IBAN");
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal("Postal", await connection.ExecuteScalarAsync<string>(
            "select t.account_kind from transfers t join payment_options o on o.id = t.option_id join debt_positions p on p.id = o.position_id where p.iupd = @i and t.transfer_index = 1",
            new { i = _p + "1" }));
    }

    [DatabaseFact]
    public async Task ImportAsync_UnknownColumn_RejectsTheFileNamingLineAndColumn()
    {
        var csv = new IssuanceFile().Row(("iupd", _p + "1")).ToCsv().Replace("due_date", "due_dat", StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<ImportFileException>(() => ImportAsync(Encoding.UTF8.GetBytes(csv)));
        Assert.Equal(1, error.Error.Line);
        Assert.Contains("due_dat", error.Error.Column, StringComparison.Ordinal);
        Assert.Contains("unknown column", error.Error.Message, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task ImportAsync_CommaSeparatedWithBomAndCrLf_IsDetected()
    {
        var csv = new IssuanceFile().Row(("iupd", _p + "1"), ("debtor_name", "ROSSI, MARIO")).ToCsv(',').Replace("\n", "\r\n", StringComparison.Ordinal);
        var (result, rows) = await ImportAsync([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(csv)]);
        Assert.True(result.AllAccepted, string.Join("; ", rows.SelectMany(r => r.Errors)));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal("ROSSI, MARIO", await connection.ExecuteScalarAsync<string>("select debtor_name from debt_positions where iupd = @i", new { i = _p + "1" }));
    }

    [DatabaseFact]
    public async Task ImportAsync_Utf16File_IsRefused()
    {
        var csv = new IssuanceFile().Row(("iupd", _p + "1")).ToCsv();
        var error = await Assert.ThrowsAsync<ImportFileException>(() => ImportAsync([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(csv)]));
        Assert.Contains("UTF-16", error.Error.Message, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task ImportAsync_AllOrNothingWithOneBadRow_WritesNothing()
    {
        var file = new IssuanceFile();
        for (var i = 0; i < 5; i++)
        {
            file.Row(("iupd", $"{_p}{i}"));
        }
        file.Row(("iupd", _p + "bad"), ("amount", "1e3"));
        var counter = await CounterAsync();

        // Batches of 2: the first batches are written inside the file's transaction before the bad row is read.
        var (result, rows) = await ImportAsync(Encoding.UTF8.GetBytes(file.ToCsv()), new ImportOptions(AllOrNothing: true, BatchSize: 2));

        Assert.Equal((0, 1, 5), (result.AcceptedRows, result.RejectedRows, result.NotWrittenRows));
        Assert.All(rows.Where(r => r.Line < 7), r => Assert.Equal((RowStatus.NotWritten, null), (r.Status, r.NoticeNumber)));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from debt_positions where iupd like @p", new { p = _p + "%" }));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from outbox where aggregate_key like @k", new { k = "%/" + _p + "%" }));
        // Numbers reserved for the rolled-back batches are skipped, never reused: the counter only moves forward.
        Assert.True(await CounterAsync() >= counter);
    }

    [DatabaseFact]
    public async Task ImportAsync_AllOrNothingAllGood_WritesEverything()
    {
        var file = new IssuanceFile().Row(("iupd", _p + "1")).Row(("iupd", _p + "2")).Row(("iupd", _p + "3"));
        var (result, _) = await ImportAsync(Encoding.UTF8.GetBytes(file.ToCsv()), new ImportOptions(AllOrNothing: true, BatchSize: 2));
        Assert.True(result.AllAccepted);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(3, await connection.ExecuteScalarAsync<long>("select count(*) from debt_positions where iupd like @p", new { p = _p + "%" }));
    }

    [DatabaseFact]
    public async Task ImportAsync_JsonLines_SameRulesAsCsv()
    {
        var file = new IssuanceFile()
            .Row(("iupd", _p + "1"))
            .Row(("iupd", _p + "2"), ("amount", "12,5"))
            .Row(("iupd", _p + "3"), ("transfer_1_iban", PositionBuilder.SecondIban.Value))
            .Row(("iupd", _p + "4"), ("transfer_2_amount", "4.00"));
        var jsonl = file.ToJsonLines()
            + $"{{\"iupd\":\"{_p}5\",\"debtor_type\":\"F\",\"debtor_fiscal_code\":\"RSSMRA85T10A562S\",\"debtor_name\":\"MARIO ROSSI\",\"description\":\"TARI\",\"amount\":1e3,\"due_date\":\"2026-12-31\",\"transfer_1_iban\":\"{PositionBuilder.CreditorIban}\",\"transfer_1_taxonomy\":\"9/0201102IM/\"}}\n"
            + $"{{\"iupd\":\"{_p}6\",\"debtor_type\":\"F\",\"debtor_fiscal_code\":\"RSSMRA85T10A562S\",\"debtor_name\":\"MARIO ROSSI\",\"description\":\"TARI\",\"amount\":12.5,\"due_date\":\"2026-12-31\",\"transfer_1_iban\":\"{PositionBuilder.CreditorIban}\",\"transfer_1_taxonomy\":\"9/0201102IM/\"}}\n"
            + $"{{\"iupd\":\"{_p}7\",\"amout\":\"1.00\"}}\n"
            + "{not json\n";

        var (result, rows) = await ImportAsync(Encoding.UTF8.GetBytes(jsonl), format: ImportFormat.JsonLines);

        var byLine = rows.ToDictionary(r => r.Line);
        Assert.Equal(RowStatus.Accepted, byLine[1].Status);
        AssertRejected(byLine[2], "amount", "uses ','");
        AssertRejected(byLine[3], "transfer_1_iban", "not for the beneficiary");
        AssertRejected(byLine[4], "amount", "transfers add up to 99.00");
        AssertRejected(byLine[5], "amount", "'1e3' is not an amount");
        Assert.Equal(RowStatus.Accepted, byLine[6].Status);
        AssertRejected(byLine[7], "amout", "unknown column");
        AssertRejected(byLine[8], null, "not valid JSON");
        Assert.Equal(2, result.AcceptedPositions);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(1250, await connection.ExecuteScalarAsync<long>(
            "select amount_cents from payment_options o join debt_positions p on p.id = o.position_id where p.iupd = @i", new { i = _p + "6" }));
    }

    [DatabaseFact]
    public async Task ImportAsync_SameFileTwice_SecondRunReportsDuplicatesAndWritesNothing()
    {
        var file = new IssuanceFile()
            .Row(("iupd", _p + "1"))
            .Row(("iupd", _p + "2"), ("installment_number", "1"))
            .Row(("iupd", _p + "2"), ("installment_number", "2"))
            .Row(("debtor_fiscal_code", "DEBTOR0042"), ("iupd", ""));   // no iupd: generated from the row's content
        var bytes = Encoding.UTF8.GetBytes(file.ToCsv());
        var (first, firstRows) = await ImportAsync(bytes);
        Assert.True(first.AllAccepted, string.Join("; ", firstRows.SelectMany(r => r.Errors)));
        var counts = await CountsAsync();

        var (second, rows) = await ImportAsync(bytes);

        Assert.Equal((0, 4), (second.AcceptedRows, second.DuplicateRows));
        Assert.All(rows, r => Assert.Equal(RowStatus.Duplicate, r.Status));
        Assert.Contains("already exists", rows[0].Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal(counts, await CountsAsync());
    }

    [DatabaseFact]
    public async Task ImportAsync_SameFileByTwoConcurrentImports_EachPositionIssuedOnce()
    {
        var file = new IssuanceFile();
        for (var i = 0; i < 300; i++)
        {
            file.Row(("iupd", $"{_p}{i}"));
        }
        var bytes = Encoding.UTF8.GetBytes(file.ToCsv());

        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => ImportAsync(bytes, new ImportOptions(BatchSize: 50)))));

        // Every row is accepted by exactly one of the two imports and reported as a duplicate by the other.
        Assert.Equal(300, results.Sum(r => r.Item1.AcceptedRows));
        Assert.Equal(300, results.Sum(r => r.Item1.DuplicateRows));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(300, await connection.ExecuteScalarAsync<long>("select count(*) from debt_positions where iupd like @p", new { p = _p + "%" }));
        Assert.Equal(300, await connection.ExecuteScalarAsync<long>("select count(*) from outbox where aggregate_key like @k", new { k = "%/" + _p + "%" }));
        var accepted = results.SelectMany(r => r.Item2).Where(r => r.Status == RowStatus.Accepted).Select(r => r.NoticeNumber).ToList();
        Assert.Equal(300, accepted.Distinct().Count());
    }

    [DatabaseFact]
    public async Task ImportAsync_DuplicatesInsideTheFile_SecondOccurrenceIsDuplicate()
    {
        var supplied = NoticeNumber.Create(PositionBuilder.Segregation, 7_000_000_000).Value;
        var file = new IssuanceFile()
            .Row(("iupd", _p + "1"), ("notice_number", supplied))
            .Row(("iupd", _p + "2"))
            .Row(("iupd", _p + "1"))
            .Row(("iupd", _p + "3"), ("notice_number", supplied))
            .Row(("iupd", _p + "4"), ("notice_number", NoticeNumber.Create(SegregationCode.Parse("02"), 1).Value));
        var (_, rows) = await ImportAsync(Encoding.UTF8.GetBytes(file.ToCsv()));
        Assert.Equal([RowStatus.Accepted, RowStatus.Accepted, RowStatus.Duplicate, RowStatus.Duplicate, RowStatus.Rejected], rows.Select(r => r.Status));
        Assert.Equal(supplied, rows[0].NoticeNumber);
        Assert.Contains("already appears at line 2", rows[2].Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("segregation code 02", rows[4].Errors[0].Message, StringComparison.Ordinal);
    }

    internal static IEnumerable<(string, string)> SixTransfers() =>
        Enumerable.Range(2, 5).SelectMany(n => new[]
        {
            ($"transfer_{n}_fiscal_code", PositionBuilder.SecondBeneficiary.Value), ($"transfer_{n}_iban", PositionBuilder.SecondIban.Value),
            ($"transfer_{n}_amount", "10.00"), ($"transfer_{n}_taxonomy", "9/0301109IM/"),
        });

    private static void AssertRejected(RowOutcome row, string? column, string message)
    {
        Assert.Equal(RowStatus.Rejected, row.Status);
        Assert.Null(row.NoticeNumber);
        Assert.Contains(row.Errors, e => e.Line == row.Line && e.Column == column && e.Message.Contains(message, StringComparison.Ordinal));
    }

    private async Task<(ImportResult, List<RowOutcome>)> ImportAsync(byte[] bytes, ImportOptions? options = null, ImportFormat format = ImportFormat.Csv)
    {
        var sink = new RowOutcomeList();
        using var stream = new MemoryStream(bytes);
        var result = await new PositionImporter(database.DataSource, _time)
            .ImportAsync(stream, format, PositionBuilder.Creditor, options ?? new ImportOptions(), sink, CancellationToken.None);
        return (result, sink.Rows);
    }

    private async Task<long> CounterAsync()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long?>("select next_base from iuv_counters where organization_fiscal_code = '01199250158'") ?? 0;
    }

    private async Task<(long, long, long, long)> CountsAsync()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(long, long, long, long)>("""
            select (select count(*) from debt_positions), (select count(*) from payment_options),
                   (select count(*) from transfers), (select count(*) from outbox)
            """);
    }
}
