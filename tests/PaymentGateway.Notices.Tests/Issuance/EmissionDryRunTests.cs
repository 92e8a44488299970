using System.Text;
using Dapper;
using Microsoft.Extensions.Time.Testing;
using PaymentGateway.Core;
using PaymentGateway.Notices.Issuance;
using PaymentGateway.Testing;

namespace PaymentGateway.Notices.Tests.Issuance;

public sealed class EmissionDryRunTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero));
    private readonly string _p = "D" + Guid.NewGuid().ToString("N")[..8] + "-";
    // A service code of its own per test, so comparisons only see this test's emissions.
    private readonly string _service = "S" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync()
    {
        await Seed.CreditorsAsync(database.DataSource);
        await IssuanceFile.RegisterIbansAsync(database.DataSource);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [DatabaseFact]
    public async Task DryRun_TotalsPerCapitoloTaxonomyBeneficiary_MatchTheFile_AndNothingIsWritten()
    {
        var file = new IssuanceFile()
            .Row(Row("1", "A"))                                                                            // 100.00 = 95 + 5
            .Row([.. Row("2", "B"), ("amount", "200.00"), ("transfer_1_amount", "190.00"), ("transfer_2_amount", "10.00")])
            // A plan with a single payment: only the single payment counts (300 = 285 + 15).
            .Row([.. Row("3", "C"), ("amount", "300.00"), ("transfer_1_amount", "285.00"), ("transfer_2_amount", "15.00")])
            .Row([.. Row("3", "C"), ("installment_number", "1"), ("amount", "150.00"), ("transfer_1_amount", "142.50"), ("transfer_2_amount", "7.50")])
            .Row([.. Row("3", "C"), ("installment_number", "2"), ("amount", "150.00"), ("transfer_1_amount", "142.50"), ("transfer_2_amount", "7.50")])
            // Installments only: both count (60 + 40 = 57 + 3 + 38 + 2).
            .Row([.. Row("4", "D"), ("installment_number", "1"), ("amount", "60.00"), ("transfer_1_amount", "57.00"), ("transfer_2_amount", "3.00"), ("transfer_2_capitolo", "TEFA-2")])
            .Row([.. Row("4", "D"), ("installment_number", "2"), ("amount", "40.00"), ("transfer_1_amount", "38.00"), ("transfer_2_amount", "2.00"), ("transfer_2_capitolo", "TEFA-2")])
            .Row([.. Row("5", "E"), ("transfer_1_iban", PositionBuilder.SecondIban.Value)])               // rejected: IBAN of another EC
            .Row(Row("1", "A"));                                                                           // duplicate iupd in the file
        var before = await SnapshotAsync();

        var (result, rows) = await DryRunAsync(file);

        Assert.Equal(before, await SnapshotAsync());
        Assert.All(rows.Where(r => r.Line <= 8), r => Assert.Equal((RowStatus.Valid, null), (r.Status, r.NoticeNumber)));
        var report = result.Report!;
        Assert.Equal((4, 7, 700_00L), (report.ValidPositions, report.ValidOptions, report.Total.Cents));
        Assert.Equal((1, 1, 0, 1), (report.RejectedRows, report.DuplicateRowsInFile, report.DuplicateRowsExisting, report.IbanErrors));
        Assert.Equal(
            [new Breakdown("1010", 5, Euro("665.00")), new Breakdown("TEFA", 3, Euro("30.00")), new Breakdown("TEFA-2", 2, Euro("5.00"))],
            report.ByCapitolo);
        Assert.Equal(
            [new Breakdown("9/0201102IM/", 5, Euro("665.00")), new Breakdown("9/0301109IM/", 5, Euro("35.00"))],
            report.ByTaxonomy);
        Assert.Equal(
            [new Breakdown("01199250158", 5, Euro("665.00")), new Breakdown("08911820960", 5, Euro("35.00"))],
            report.ByBeneficiary);
        var comparison = Assert.Single(report.Comparisons);
        Assert.Null(comparison.ComparedYear);
        Assert.Equal((4, Euro("700.00")), (comparison.FilePositions, comparison.FileTotal));

        var markdown = EmissionReportWriter.ToMarkdown(report);
        Assert.Contains("| 1010 | 5 | 665,00 |", markdown, StringComparison.Ordinal);
        Assert.Contains("<td>TEFA-2</td>", EmissionReportWriter.ToHtml(report), StringComparison.Ordinal);
        using var csv = new StringWriter();
        await EmissionReportWriter.WriteCsvAsync(report, csv, CancellationToken.None);
        Assert.Contains("capitolo;1010;5;665.00", csv.ToString(), StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task DryRun_AgainstTheEmissionInTheDatabase_ListsNewGoneAndChangedDebtors()
    {
        var issued = new IssuanceFile().Row(Row("A", "A")).Row(Row("B", "B")).Row(Row("C", "C"));
        using (var stream = new MemoryStream(Encoding.UTF8.GetBytes(issued.ToCsv())))
        {
            var imported = await new PositionImporter(database.DataSource, _time)
                .ImportAsync(stream, ImportFormat.Csv, PositionBuilder.Creditor, new ImportOptions(), null, CancellationToken.None);
            Assert.True(imported.AllAccepted);
        }
        // A corrected emission: A unchanged, B now 250.00 (same IUPD: a duplicate, but still compared), C gone, D new.
        var corrected = new IssuanceFile()
            .Row(Row("A", "A"))
            .Row([.. Row("B", "B"), ("amount", "250.00"), ("transfer_1_amount", "237.50"), ("transfer_2_amount", "12.50")])
            .Row([.. Row("D", "D"), ("amount", "400.00"), ("transfer_1_amount", "380.00"), ("transfer_2_amount", "20.00")]);

        var (result, _) = await DryRunAsync(corrected);

        var comparison = Assert.Single(result.Report!.Comparisons);
        Assert.Equal((short)2026, comparison.ComparedYear);
        Assert.Equal((3, Euro("300.00")), (comparison.DatabasePositions, comparison.DatabaseTotal));
        Assert.Equal((3, Euro("750.00")), (comparison.FilePositions, comparison.FileTotal));
        Assert.Equal((1, 1, 1), (comparison.NewDebtors, comparison.DisappearedDebtors, comparison.ChangedDebtors));
        Assert.Equal(
            // Largest absolute difference first.
            [new DebtorChange("F:DEBTORD", Euro("400.00"), null), new DebtorChange("F:DEBTORB", Euro("250.00"), Euro("100.00")), new DebtorChange("F:DEBTORC", null, Euro("100.00"))],
            comparison.TopChanges);
        Assert.Equal(2, result.Report.DuplicateRowsExisting);
    }

    private (string, string)[] Row(string iupd, string debtor) =>
        [("iupd", _p + iupd), ("debtor_fiscal_code", "DEBTOR" + debtor), ("service_code", _service)];

    private static EuroCents Euro(string text) => EuroCents.ParseXsdAmount(text);

    private async Task<(ImportResult, List<RowOutcome>)> DryRunAsync(IssuanceFile file)
    {
        var sink = new RowOutcomeList();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(file.ToCsv()));
        var result = await new PositionImporter(database.DataSource, _time)
            .ImportAsync(stream, ImportFormat.Csv, PositionBuilder.Creditor, new ImportOptions(DryRun: true), sink, CancellationToken.None);
        return (result, sink.Rows);
    }

    private async Task<(long, long, long, long)> SnapshotAsync()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(long, long, long, long)>("""
            select (select count(*) from debt_positions), (select count(*) from payment_options),
                   (select coalesce(sum(next_base), 0) from iuv_counters), (select count(*) from outbox)
            """);
    }
}
