using Dapper;
using PaymentGateway.Testing;

namespace PaymentGateway.Tools.Tests.Cli;

public sealed class ReconcileCommandTests(TestDatabase database) : IClassFixture<TestDatabase>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pgw-fdr-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [DatabaseFact]
    public async Task Import_GoodThenSameThenInconsistent_ExitCodesAndMessages()
    {
        var good = Write("good.xml", Flow("2026-11-21PSP1-0001", count: 1, total: "10.00"));
        var bad = Write("bad.xml", Flow("2026-11-21PSP1-0002", count: 2, total: "10.00"));

        var first = await Pgw.RunAsync("reconcile", "import", good, "--connection", database.ConnectionString);
        Assert.True(first.Code == 0, first.Output + first.Error);
        Assert.Contains("flow 2026-11-21PSP1-0001 accepted, 1 rows", first.Output, StringComparison.Ordinal);

        var mixed = await Pgw.RunAsync("reconcile", "import", good, bad, "--connection", database.ConnectionString);
        Assert.Equal(1, mixed.Code);
        Assert.Contains("already imported, nothing changed", mixed.Output, StringComparison.Ordinal);
        Assert.Contains("bad.xml: rejected: numeroTotalePagamenti is 2 but the flow has 1 rows", mixed.Error, StringComparison.Ordinal);

        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("select count(*) from fdr_rows r join fdr_flows f on f.id = r.flow_pk where f.flow_id like '2026-11-21PSP1-%'"));
        Assert.Equal(2, (await Pgw.RunAsync("reconcile", "import", Path.Combine(_directory, "missing.xml"), "--connection", database.ConnectionString)).Code);
    }

    [DatabaseFact]
    public async Task Run_AfterImport_PrintsProgressBucketsAndConservation_RerunChangesNothing()
    {
        // Its own EC, so that the flows of the other tests of this class (same database) stay out of the run.
        var flow = Write("other-ec.xml", Flow("2026-11-21PSP9-0001", count: 1, total: "10.00", ec: "08911820960"));
        Assert.Equal(0, (await Pgw.RunAsync("reconcile", "import", flow, "--connection", database.ConnectionString)).Code);

        var first = await Pgw.RunAsync("reconcile", "run", "--org", "08911820960", "--connection", database.ConnectionString);

        Assert.True(first.Code == 0, first.Output + first.Error);
        Assert.Contains("1 current flows, 1 rows, 10.00 euro declared", first.Output, StringComparison.Ordinal);
        Assert.Matches(@"IuvUnknown +1 +10\.00", first.Output);
        Assert.Matches(@"Matched +0 +0\.00", first.Output);
        Assert.Contains("flows declare 1 rows, 10.00 euro: every row and cent in exactly one bucket", first.Output, StringComparison.Ordinal);
        Assert.Contains("1 new or changed results", first.Output, StringComparison.Ordinal);

        var again = await Pgw.RunAsync("reconcile", "run", "--org", "08911820960", "--connection", database.ConnectionString);
        Assert.True(again.Code == 0, again.Output + again.Error);
        Assert.Contains("0 new or changed results, 0 rows superseded", again.Output, StringComparison.Ordinal);

        var bad = await Pgw.RunAsync("reconcile", "run", "--org", "123", "--connection", database.ConnectionString);
        Assert.Equal(2, bad.Code);
        Assert.Contains("--org '123' is not a valid organization fiscal code", bad.Error, StringComparison.Ordinal);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static string Flow(string flowId, int count, string total, string ec = "01199250158") => $"""
        <FlussoRiversamento xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/"><versioneOggetto>1.0</versioneOggetto>
        <identificativoFlusso>{flowId}</identificativoFlusso><dataOraFlusso>2026-11-22T01:00:00</dataOraFlusso>
        <identificativoUnivocoRegolamento>TRN-1</identificativoUnivocoRegolamento><dataRegolamento>2026-11-21</dataRegolamento>
        <istitutoMittente><identificativoUnivocoMittente><tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>PSP1</codiceIdentificativoUnivoco></identificativoUnivocoMittente></istitutoMittente>
        <istitutoRicevente><identificativoUnivocoRicevente><tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>{ec}</codiceIdentificativoUnivoco></identificativoUnivocoRicevente></istitutoRicevente>
        <numeroTotalePagamenti>{count}</numeroTotalePagamenti><importoTotalePagamenti>{total}</importoTotalePagamenti>
        <datiSingoliPagamenti><identificativoUnivocoVersamento>01000000000000144</identificativoUnivocoVersamento><identificativoUnivocoRiscossione>IUR-1</identificativoUnivocoRiscossione><singoloImportoPagato>10.00</singoloImportoPagato><codiceEsitoSingoloPagamento>0</codiceEsitoSingoloPagamento><dataEsitoSingoloPagamento>2026-11-20</dataEsitoSingoloPagamento></datiSingoliPagamenti>
        </FlussoRiversamento>
        """;
}
