using Dapper;
using PaymentGateway.Testing;

namespace PaymentGateway.Tools.Tests.Cli;

public sealed class AuditCommandTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [DatabaseFact]
    public async Task Audit_SeededThenCorrupted_HoldsThenNamesEachBrokenInvariantWithItsIds()
    {
        Assert.Equal(0, (await Pgw.RunAsync("seed", "demo", "--notices", "50", "--connection", database.ConnectionString)).Code);

        var clean = await Pgw.RunAsync("audit", "--connection", database.ConnectionString);

        Assert.True(clean.Code == 0, clean.Output + clean.Error);
        Assert.Contains("every invariant holds", clean.Output, StringComparison.Ordinal);
        Assert.Matches(@"01199250158  Valid +\d+", clean.Output);

        await using var connection = await database.DataSource.OpenConnectionAsync();
        var (first, second) = await connection.QuerySingleAsync<(long, long)>(
            "select min(id), max(id) from payment_options where status = 'Valid'");
        await connection.ExecuteAsync("""
            update payment_options set amount_cents = amount_cents + 1 where id = @first;
            update payment_options set status = 'Paid' where id = @second;
            insert into fdr_rows (flow_pk, row_number, iuv, iur, amount_cents, outcome_code, outcome_date) values (987654321, 1, 'X', 'Y', 100, 0, '2026-11-20');
            """, new { first, second });

        var broken = await Pgw.RunAsync("audit", "--connection", database.ConnectionString);

        Assert.Equal(1, broken.Code);
        Assert.Contains("pgw audit: 3 invariant(s) broken", broken.Error, StringComparison.Ordinal);
        Assert.Matches($@"FAIL option-transfers .*: 1 violation\(s\)\n +option {first} \(", broken.Output);
        Assert.Matches($@"FAIL paid-has-receipt .*\n +option {second} \(\d{{18}}\) is Paid without a receipt", broken.Output);
        Assert.Contains("row 987654321/1 of no flow", broken.Output, StringComparison.Ordinal);
        Assert.Contains("ok   receipt-transfers", broken.Output, StringComparison.Ordinal);
    }
}
