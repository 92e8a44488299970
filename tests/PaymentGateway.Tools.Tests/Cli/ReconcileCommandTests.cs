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
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>(
            "select count(*) from fdr_rows r join fdr_flows f on f.id = r.flow_pk where f.flow_id in ('2026-11-21PSP1-0001', '2026-11-21PSP1-0002')"));
        Assert.Equal(2, (await Pgw.RunAsync("reconcile", "import", Path.Combine(_directory, "missing.xml"), "--connection", database.ConnectionString)).Code);
    }

    [DatabaseFact]
    public async Task Import_JsonFlowFromTheApi_StoredAndTheSameFlowAsXmlIsAlreadyImported()
    {
        // The same revision as Flow("2026-11-21PSP1-0003"): dataOraFlusso 01:00 in Rome is 00:00Z in November.
        var json = Write("flow.json", """
            { "fdr": "2026-11-21PSP1-0003", "fdrDate": "2026-11-22T00:00:00Z", "revision": 1,
              "regulation": "TRN-1", "regulationDate": "2026-11-21",
              "sender": { "type": "BIC_CODE", "id": "PSP1", "pspId": "PSP1", "pspName": "PSP" },
              "receiver": { "id": "01199250158", "organizationId": "01199250158", "organizationName": "Comune di Milano" },
              "totPayments": 1, "sumPayments": 10,
              "payments": [ { "index": 1, "iuv": "01000000000000144", "iur": "IUR-1", "idTransfer": 1, "pay": 10, "payStatus": "EXECUTED", "payDate": "2026-11-20" } ] }
            """);
        var xml = Write("flow.xml", Flow("2026-11-21PSP1-0003", count: 1, total: "10.00"));

        var result = await Pgw.RunAsync("reconcile", "import", json, xml, "--connection", database.ConnectionString);

        Assert.True(result.Code == 0, result.Output + result.Error);
        Assert.Contains("flow.json: flow 2026-11-21PSP1-0003 accepted, 1 rows", result.Output, StringComparison.Ordinal);
        Assert.Contains("flow.xml: flow 2026-11-21PSP1-0003 already imported", result.Output, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task Fetch_WithoutSubscriptionKey_BadUsage()
    {
        var result = await Pgw.RunAsync("reconcile", "fetch", "--org", "01199250158", "--connection", database.ConnectionString);

        Assert.Equal(2, result.Code);
        Assert.Contains("no subscription key", result.Error, StringComparison.Ordinal);
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
