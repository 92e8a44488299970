using System.Text;
using Dapper;
using PaymentGateway.Testing;

namespace PaymentGateway.Tools.Tests.Cli;

public sealed class PositionsCommandTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pgw-import-").FullName;
    private readonly string _p = "C" + Guid.NewGuid().ToString("N")[..8] + "-";

    public async Task InitializeAsync()
    {
        await Seed.CreditorsAsync(database.DataSource);
        await IssuanceFile.RegisterIbansAsync(database.DataSource);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [DatabaseFact]
    public async Task Import_AllRowsGood_ExitsZeroAndWritesTheOutcome()
    {
        var file = Write("good.csv", new IssuanceFile().Row(("iupd", _p + "1")).Row(("iupd", _p + "2")).ToCsv());
        var (code, output, error) = await Pgw.RunAsync("positions", "import", file, "--org", "01199250158", "--connection", database.ConnectionString);
        Assert.True(code == 0, output + error);
        Assert.Contains("2 rows, 2 accepted (2 positions), 0 rejected, 0 duplicate", output, StringComparison.Ordinal);
        var outcome = await File.ReadAllLinesAsync(file + ".outcome.csv");
        Assert.Equal("line;iupd;status;notice_number;errors", outcome[0]);
        Assert.Matches($"^2;{_p}1;accepted;301[0-9]{{15}};$", outcome[1]);
    }

    [DatabaseFact]
    public async Task Import_SomeRowsBad_ExitsOneAndTheOutcomeNamesLineAndColumn()
    {
        var file = Write("mixed.csv", new IssuanceFile().Row(("iupd", _p + "1")).Row(("iupd", _p + "2"), ("amount", "12,5")).ToCsv());
        var outcomePath = Path.Combine(_directory, "out.csv");
        var (code, output, _) = await Pgw.RunAsync("positions", "import", file, "--org", "01199250158", "--outcome", outcomePath, "--connection", database.ConnectionString);
        Assert.Equal(1, code);
        Assert.Contains("1 accepted (1 positions), 1 rejected", output, StringComparison.Ordinal);
        var rejected = (await File.ReadAllLinesAsync(outcomePath))[2];
        Assert.StartsWith($"3;{_p}2;rejected;;amount: '12,5' uses ','", rejected, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task Import_JsonLinesDryRun_WritesReportsAndNothingElse()
    {
        var file = Write("emission.jsonl", new IssuanceFile().Row(("iupd", _p + "1")).Row(("iupd", _p + "2")).ToJsonLines());
        var (code, output, error) = await Pgw.RunAsync("positions", "import", file, "--org", "01199250158", "--dry-run", "--connection", database.ConnectionString);
        Assert.True(code == 0, output + error);
        Assert.Contains("dry run of emission.jsonl", output, StringComparison.Ordinal);
        Assert.Contains("| 1010 | 2 | 190,00 |", await File.ReadAllTextAsync(file + ".dryrun.md"), StringComparison.Ordinal);
        Assert.True(File.Exists(file + ".dryrun.html"));
        Assert.Contains("capitolo;TEFA;2;10.00", await File.ReadAllTextAsync(file + ".dryrun.csv"), StringComparison.Ordinal);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from debt_positions where iupd like @p", new { p = _p + "%" }));
    }

    [DatabaseFact]
    public async Task Import_UnknownColumn_ExitsTwoNamingTheColumn()
    {
        var file = Write("typo.csv", new IssuanceFile().Row(("iupd", _p + "1")).ToCsv().Replace("debtor_name", "debtor_nmae", StringComparison.Ordinal));
        var (code, _, error) = await Pgw.RunAsync("positions", "import", file, "--org", "01199250158", "--connection", database.ConnectionString);
        Assert.Equal(2, code);
        Assert.Contains("line 1, column 4 'debtor_nmae': unknown column", error, StringComparison.Ordinal);
        Assert.Contains("nothing was written", error, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task Import_EcWithoutSegregationCode_ExitsTwoAndLeavesNoOutcome()
    {
        var file = Write("tefa.csv", new IssuanceFile().Row(("iupd", _p + "1")).ToCsv());
        var (code, _, error) = await Pgw.RunAsync("positions", "import", file, "--org", "08911820960", "--connection", database.ConnectionString);
        Assert.Equal(2, code);
        Assert.Contains("08911820960 is not a creditor with a segregation code", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory, "tefa.csv.outcome*"));
    }

    [Theory]
    [InlineData("--org", "01199250159", "not a valid organization fiscal code")]
    [InlineData("--batch-size", "0", "--batch-size must be between 1 and 1000000")]
    public async Task Import_BadOption_ExitsTwo(string option, string value, string message)
    {
        var file = Write("x.csv", "iupd\n");
        var args = option == "--org"
            ? new[] { "positions", "import", file, option, value }
            : new[] { "positions", "import", file, "--org", "01199250158", option, value };
        var (code, _, error) = await Pgw.RunAsync(args);
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_MissingFileOrOrg_ExitsTwo()
    {
        Assert.Equal(2, (await Pgw.RunAsync("positions", "import", Path.Combine(_directory, "none.csv"), "--org", "01199250158")).Code);
        Assert.Equal(2, (await Pgw.RunAsync("positions", "import", Write("y.csv", "iupd\n"))).Code);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }
}
