using System.Globalization;
using System.Text.RegularExpressions;
using Dapper;
using PaymentGateway.Testing;

namespace PaymentGateway.Tools.Tests.Cli;

public sealed partial class TreasuryCommandTests(TestDatabase database) : IClassFixture<TestDatabase>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pgw-treasury-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Example(string name) => Path.Combine(AppContext.BaseDirectory, "Treasury", "Examples", name);

    [DatabaseFact]
    public async Task ImportThenTreasury_FlowsAndStatementsByContent_LabelsPrintedAndOperatorConfirms()
    {
        var flows = new[]
        {
            Write("f1.xml", Flow("2026-11-21ABI03069-S000000001", "ABI03069", "1234.56")),
            Write("f5.xml", Flow("2026-11-21CIPBITMM-0000000123", "CIPBITMM", "99.90")),
            Write("f6.xml", Flow("2026-11-21SELBIT2B-0000000099", "SELBIT2B", "1520.30")),
        };

        var import = await Pgw.RunAsync(["reconcile", "import", .. flows, Example("camt053.001.02.xml"), Example("banca-popolare.csv"),
            "--mapping", Example("banca-popolare.map"), "--connection", database.ConnectionString]);

        Assert.True(import.Code == 0, import.Output + import.Error);
        Assert.Contains("f1.xml: flow 2026-11-21ABI03069-S000000001 accepted, 1 rows", import.Output, StringComparison.Ordinal);
        Assert.Contains("camt053.001.02.xml: statement STMT-2026-11-21-0542811101 of IT60X0542811101000000123456 accepted, 4 credits, 1 other entries", import.Output, StringComparison.Ordinal);
        Assert.Contains("banca-popolare.csv: statement of IT35O0306901600000000012345 accepted, 3 credits, 1 other entries", import.Output, StringComparison.Ordinal);

        var again = await Pgw.RunAsync("reconcile", "import", Example("camt053.001.02.xml"), "--connection", database.ConnectionString);
        Assert.Contains("already imported, nothing changed", again.Output, StringComparison.Ordinal);

        var run = await Pgw.RunAsync("reconcile", "treasury", "--details", "--connection", database.ConnectionString);
        Assert.True(run.Code == 0, run.Output + run.Error);
        Assert.Matches(@"receipt\+flow\+treasury \(flow credited\) +1 +1,234\.56 +1 +1,234\.56", run.Output);
        Assert.Matches(@"flow without treasury \(credit not arrived\) +1 +99\.90 +- +-", run.Output);
        Assert.Matches(@"treasury without flow +- +- +3 +824\.50", run.Output);
        Assert.Matches(@"not pagoPA \(other income\) +- +- +2 +2,750\.00", run.Output);
        Assert.Contains("-> flow 2026-11-21SELBIT2B-0000000099 (PSP SELBIT2B), confidence 86%", run.Output, StringComparison.Ordinal);
        Assert.Contains("flow 2026-11-21CIPBITMM-0000000123 (PSP CIPBITMM) declares 99.90", run.Output, StringComparison.Ordinal);
        var credit = AwaitingCredit().Match(run.Output).Groups[1].Value;

        var confirm = await Pgw.RunAsync("reconcile", "treasury", "confirm", credit, "--by", "mario.rossi", "--connection", database.ConnectionString);
        Assert.True(confirm.Code == 0, confirm.Output + confirm.Error);
        Assert.Contains($"credit {credit}: flow 2026-11-21SELBIT2B-0000000099 (SELBIT2B) confirmed", confirm.Output, StringComparison.Ordinal);
        Assert.Matches(@"receipt\+flow\+treasury \(flow credited\) +2 +2,754\.86 +2 +2,754\.86", confirm.Output);

        var twice = await Pgw.RunAsync("reconcile", "treasury", "confirm", credit, "--by", "mario.rossi", "--connection", database.ConnectionString);
        Assert.Equal(2, twice.Code);
        Assert.Contains("is not awaiting confirmation (its label is FlowCredited)", twice.Error, StringComparison.Ordinal);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal("mario.rossi", await connection.ExecuteScalarAsync<string>(
            "select decided_by from treasury_decisions where credit_pk = @pk", new { pk = long.Parse(credit, CultureInfo.InvariantCulture) }));
    }

    [DatabaseFact]
    public async Task Import_CsvWithoutMapping_BadUsageAndNothingStored()
    {
        var flow = Write("flow.xml", Flow("2026-11-21NOMAP-0000000001", "NOMAP", "1.00"));

        var result = await Pgw.RunAsync("reconcile", "import", flow, Example("banca-popolare.csv"), "--connection", database.ConnectionString);

        Assert.Equal(2, result.Code);
        Assert.Contains("banca-popolare.csv is neither XML nor JSON; a CSV bank statement needs --mapping FILE", result.Error, StringComparison.Ordinal);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from fdr_flows where flow_id = '2026-11-21NOMAP-0000000001'"));
    }

    [DatabaseFact]
    public async Task Import_BadMapping_BadUsageNamingTheLine()
    {
        var mapping = Write("bad.map", "account_iban = IT35O0306901600000000012345\ndate = Data\ncausale = Causale\nammount = Importo\n");

        var result = await Pgw.RunAsync("reconcile", "import", Example("banca-popolare.csv"), "--mapping", mapping, "--connection", database.ConnectionString);

        Assert.Equal(2, result.Code);
        Assert.Contains("bad.map: mapping line 4: unknown key 'ammount'", result.Error, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task Import_StatementThatDoesNotAddUp_RejectedWithReasonAndNoCredits()
    {
        var xml = File.ReadAllText(Example("camt053.001.08.xml")).Replace("<Amt Ccy=\"EUR\">13168.56</Amt>", "<Amt Ccy=\"EUR\">13168.65</Amt>", StringComparison.Ordinal);
        var file = Write("wrong-balance.xml", xml);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var credits = await connection.ExecuteScalarAsync<long>("select count(*) from treasury_credits");

        var result = await Pgw.RunAsync("reconcile", "import", file, "--connection", database.ConnectionString);

        Assert.Equal(1, result.Code);
        Assert.Contains("wrong-balance.xml: statement rejected: line ", result.Error, StringComparison.Ordinal);
        Assert.Contains("is not the closing balance 13168.65", result.Error, StringComparison.Ordinal);
        Assert.Equal(credits, await connection.ExecuteScalarAsync<long>("select count(*) from treasury_credits"));
        Assert.Equal("Rejected", await connection.ExecuteScalarAsync<string>(
            "select status from treasury_statements where source = 'wrong-balance.xml'"));
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static string Flow(string flowId, string psp, string total) => $"""
        <FlussoRiversamento xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/"><versioneOggetto>1.0</versioneOggetto>
        <identificativoFlusso>{flowId}</identificativoFlusso><dataOraFlusso>2026-11-22T01:00:00</dataOraFlusso>
        <identificativoUnivocoRegolamento>TRN-{psp}</identificativoUnivocoRegolamento><dataRegolamento>2026-11-21</dataRegolamento>
        <istitutoMittente><identificativoUnivocoMittente><tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>{psp}</codiceIdentificativoUnivoco></identificativoUnivocoMittente></istitutoMittente>
        <istitutoRicevente><identificativoUnivocoRicevente><tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>01199250158</codiceIdentificativoUnivoco></identificativoUnivocoRicevente></istitutoRicevente>
        <numeroTotalePagamenti>1</numeroTotalePagamenti><importoTotalePagamenti>{total}</importoTotalePagamenti>
        <datiSingoliPagamenti><identificativoUnivocoVersamento>01000000000000144</identificativoUnivocoVersamento><identificativoUnivocoRiscossione>IUR-1</identificativoUnivocoRiscossione><singoloImportoPagato>{total}</singoloImportoPagato><codiceEsitoSingoloPagamento>0</codiceEsitoSingoloPagamento><dataEsitoSingoloPagamento>2026-11-20</dataEsitoSingoloPagamento></datiSingoliPagamenti>
        </FlussoRiversamento>
        """;

    [GeneratedRegex(@"credit (\d+) +2026-11-21 +1,520\.30")]
    private static partial Regex AwaitingCredit();
}
