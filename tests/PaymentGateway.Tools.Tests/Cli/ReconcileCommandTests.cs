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
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("select count(*) from fdr_rows"));
        Assert.Equal(2, (await Pgw.RunAsync("reconcile", "import", Path.Combine(_directory, "missing.xml"), "--connection", database.ConnectionString)).Code);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static string Flow(string flowId, int count, string total) => $"""
        <FlussoRiversamento xmlns="http://www.digitpa.gov.it/schemas/2011/Pagamenti/"><versioneOggetto>1.0</versioneOggetto>
        <identificativoFlusso>{flowId}</identificativoFlusso><dataOraFlusso>2026-11-22T01:00:00</dataOraFlusso>
        <identificativoUnivocoRegolamento>TRN-1</identificativoUnivocoRegolamento><dataRegolamento>2026-11-21</dataRegolamento>
        <istitutoMittente><identificativoUnivocoMittente><tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>PSP1</codiceIdentificativoUnivoco></identificativoUnivocoMittente></istitutoMittente>
        <istitutoRicevente><identificativoUnivocoRicevente><tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>01199250158</codiceIdentificativoUnivoco></identificativoUnivocoRicevente></istitutoRicevente>
        <numeroTotalePagamenti>{count}</numeroTotalePagamenti><importoTotalePagamenti>{total}</importoTotalePagamenti>
        <datiSingoliPagamenti><identificativoUnivocoVersamento>01000000000000144</identificativoUnivocoVersamento><identificativoUnivocoRiscossione>IUR-1</identificativoUnivocoRiscossione><singoloImportoPagato>10.00</singoloImportoPagato><codiceEsitoSingoloPagamento>0</codiceEsitoSingoloPagamento><dataEsitoSingoloPagamento>2026-11-20</dataEsitoSingoloPagamento></datiSingoliPagamenti>
        </FlussoRiversamento>
        """;
}
