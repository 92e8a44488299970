using Dapper;
using Npgsql;
using PaymentGateway.Core;
using PaymentGateway.Testing;

namespace PaymentGateway.Tools.Tests.Cli;

public sealed class PgwCommandTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Help_ListsTheCommands()
    {
        var (code, output, _) = await Pgw.RunAsync("--help");
        Assert.Equal(0, code);
        Assert.Contains("migrate", output, StringComparison.Ordinal);
        Assert.Contains("seed", output, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task Migrate_FreshDatabase_AppliesThenReportsUpToDate()
    {
        var fresh = FreshDatabase();
        var (code, output, _) = await Pgw.RunAsync("migrate", "--connection", fresh);
        Assert.Equal(0, code);
        Assert.Contains("applied V0001__initial.sql", output, StringComparison.Ordinal);

        (code, output, _) = await Pgw.RunAsync("migrate", "--connection", fresh);
        Assert.Equal(0, code);
        Assert.Contains("database up to date", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_UnreachableDatabase_ExitsOneWithOneLineError()
    {
        var (code, _, error) = await Pgw.RunAsync("migrate", "--connection", "Host=127.0.0.1;Port=1;Username=postgres;Database=x;Timeout=2");
        Assert.Equal(1, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("pgw migrate: cannot reach the database", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeedDemo_ZeroNotices_IsBadInput()
    {
        var (code, _, error) = await Pgw.RunAsync("seed", "demo", "--notices", "0", "--connection", "Host=127.0.0.1;Port=1");
        Assert.Equal(2, code);
        Assert.Contains("--notices must be between 1 and 2000000", error, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task SeedDemo_Twice_IssuesOnceAndExportsEveryPayableOption()
    {
        var csv = Path.Combine(Path.GetTempPath(), $"pgw-demo-{Guid.NewGuid():N}.csv");
        try
        {
            var args = new[] { "seed", "demo", "--notices", "200", "--first-due-date", "2027-01-31", "--csv", csv, "--connection", database.ConnectionString };
            var (code, output, error) = await Pgw.RunAsync(args);
            Assert.True(code == 0, error);
            Assert.Contains("seeded Comune di Milano: 200 positions", output, StringComparison.Ordinal);

            (code, output, _) = await Pgw.RunAsync(args);
            Assert.Equal(0, code);
            Assert.Contains("already seeded", output, StringComparison.Ordinal);

            await using var connection = await database.DataSource.OpenConnectionAsync();
            Assert.Equal(200, await connection.ExecuteScalarAsync<long>("select count(*) from debt_positions"));
            var options = await connection.ExecuteScalarAsync<long>("select count(*) from payment_options");
            Assert.InRange(options, 200 * 3, 200 * 4);
            // Σ transfers = option amount, and the TEFA is 5% of the TARI (rounded) on the single payments.
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>("""
                select count(*) from payment_options o
                where o.amount_cents <> (select sum(amount_cents) from transfers t where t.option_id = o.id)
                """));
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>("""
                select count(*) from payment_options o
                join transfers tari on tari.option_id = o.id and tari.transfer_index = 1
                join transfers tefa on tefa.option_id = o.id and tefa.transfer_index = 2
                where o.installment_number is null
                  and (tefa.beneficiary_fiscal_code <> '08911820960' or tefa.amount_cents <> (tari.amount_cents * 5 + 50) / 100)
                """));
            // Every plan's installments add up to its single payment.
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>("""
                select count(*) from debt_positions p
                where (select amount_cents from payment_options where position_id = p.id and installment_number is null)
                   <> (select sum(amount_cents) from payment_options where position_id = p.id and installment_number is not null)
                """));

            var lines = await File.ReadAllLinesAsync(csv);
            Assert.Equal("noticeNumber;organizationFiscalCode;amountCents;dueDate;status", lines[0]);
            Assert.Equal(options, lines.Length - 1);
            foreach (var line in lines.Skip(1))
            {
                var fields = line.Split(';');
                Assert.True(NoticeNumber.TryParse(fields[0], out var notice), fields[0]);
                Assert.Equal("01", notice.SegregationCode.ToString());
                Assert.Equal("01199250158", fields[1]);
                Assert.True(long.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture) > 0);
                Assert.Equal("Valid", fields[4]);
            }
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [DatabaseFact]
    public async Task SeedDemo_SameSeed_SameNotices()
    {
        var first = FreshDatabase();
        var second = FreshDatabase();
        var csvs = new[] { Path.GetTempFileName(), Path.GetTempFileName() };
        try
        {
            foreach (var (connection, csv) in new[] { first, second }.Zip(csvs))
            {
                Assert.Equal(0, (await Pgw.RunAsync("migrate", "--connection", connection)).Code);
                Assert.Equal(0, (await Pgw.RunAsync("seed", "demo", "--notices", "50", "--seed", "7", "--first-due-date", "2027-03-31", "--csv", csv, "--connection", connection)).Code);
            }
            Assert.Equal(await File.ReadAllTextAsync(csvs[0]), await File.ReadAllTextAsync(csvs[1]));
            await using var a = new NpgsqlConnection(first);
            await using var b = new NpgsqlConnection(second);
            const string debtors = "select string_agg(debtor_id || debtor_name, ',' order by iupd) from debt_positions";
            Assert.Equal(await a.ExecuteScalarAsync<string>(debtors), await b.ExecuteScalarAsync<string>(debtors));
        }
        finally
        {
            Array.ForEach(csvs, File.Delete);
        }
    }

    private string FreshDatabase() =>
        database.NewDatabaseConnectionString("pgw_cli");
}
