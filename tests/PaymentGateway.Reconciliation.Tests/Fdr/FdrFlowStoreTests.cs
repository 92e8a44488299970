using System.Text;
using Dapper;
using PaymentGateway.Reconciliation.Fdr;
using PaymentGateway.Testing;

namespace PaymentGateway.Reconciliation.Tests.Fdr;

public sealed class FdrFlowStoreTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static string Example(string name) => Path.Combine(AppContext.BaseDirectory, "Fdr", "Examples", name);

    private FdrFlowStore Store() => new(database.DataSource, TimeProvider.System);

    [DatabaseFact]
    public async Task ImportAsync_SameFlowTwice_StoredOnceWithItsRows()
    {
        var first = await ImportFileAsync("FlussoRiversamento.sanp-example.xml");
        var again = await ImportFileAsync("FlussoRiversamento.sanp-example.xml");

        Assert.Equal((FdrImportOutcome.Accepted, 1L), (first.Outcome, first.Rows));
        Assert.Equal((FdrImportOutcome.AlreadyImported, first.FlowPk), (again.Outcome, again.FlowPk));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>(
            "select count(*) from fdr_flows where flow_id = '2021-11-21ABI00000-AABB648200001295' and status = 'Accepted'"));
        var row = await connection.QuerySingleAsync<(string Iuv, string Iur, long Amount, short Code)>(
            "select iuv, iur, amount_cents, outcome_code from fdr_rows where flow_pk = @pk", new { pk = first.FlowPk });
        Assert.Equal(("12210209926737900", "2130101502302932577", 123_456L, (short)0), row);
    }

    [DatabaseFact]
    public async Task ImportAsync_HeaderDisagreesWithRows_RecordedAsRejectedWithoutRows()
    {
        var result = await ImportFileAsync("FlussoRiversamento.decoded-from-nodoChiediFlussoRendicontazioneRisposta.OK.xml");

        Assert.Equal(FdrImportOutcome.Rejected, result.Outcome);
        Assert.StartsWith("numeroTotalePagamenti is 1 but the flow has", result.Reason, StringComparison.Ordinal);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var flow = await connection.QuerySingleAsync<(string Status, string FlowId, string Reason)>(
            "select status, flow_id, rejection_reason from fdr_flows where id = @pk", new { pk = result.FlowPk });
        Assert.Equal(("Rejected", "2023-04-01nodo-doc-dev-16818090899"), (flow.Status, flow.FlowId));
        Assert.Equal(result.Reason, flow.Reason);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from fdr_rows where flow_pk = @pk", new { pk = result.FlowPk }));
    }

    [DatabaseFact]
    public async Task ImportAsync_TruncatedFile_RejectedAndNothingElseWritten()
    {
        var bytes = await File.ReadAllBytesAsync(Example("FlussoRiversamento.sanp-example.xml"));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var rowsBefore = await connection.ExecuteScalarAsync<long>("select count(*) from fdr_rows");

        var result = await Store().ImportAsync(new MemoryStream(bytes[..(bytes.Length - 60)]), "truncated.xml", CancellationToken.None);

        Assert.Equal(FdrImportOutcome.Rejected, result.Outcome);
        Assert.Contains("not well-formed", result.Reason, StringComparison.Ordinal);
        Assert.Equal(rowsBefore, await connection.ExecuteScalarAsync<long>("select count(*) from fdr_rows"));
        Assert.Equal("truncated.xml", await connection.ExecuteScalarAsync<string>("select source from fdr_flows where id = @pk", new { pk = result.FlowPk }));
    }

    [DatabaseFact]
    public async Task ImportAsync_ManyRows_AllStoredInFileOrder()
    {
        const int Count = 5_000;
        var rows = new StringBuilder();
        for (var i = 1; i <= Count; i++)
        {
            rows.Append(System.Globalization.CultureInfo.InvariantCulture, $"""
                <datiSingoliPagamenti><identificativoUnivocoVersamento>01{i:D15}</identificativoUnivocoVersamento><identificativoUnivocoRiscossione>IUR{i}</identificativoUnivocoRiscossione><singoloImportoPagato>1.00</singoloImportoPagato><codiceEsitoSingoloPagamento>0</codiceEsitoSingoloPagamento><dataEsitoSingoloPagamento>2026-11-20</dataEsitoSingoloPagamento></datiSingoliPagamenti>
                """);
        }
        var xml = $"""
            <FlussoRiversamento xmlns="{FlussoRiversamentoReader.Namespace}"><versioneOggetto>1.0</versioneOggetto>
            <identificativoFlusso>2026-11-21BIG-0001</identificativoFlusso><dataOraFlusso>2026-11-22T01:00:00</dataOraFlusso>
            <identificativoUnivocoRegolamento>TRN-BIG</identificativoUnivocoRegolamento><dataRegolamento>2026-11-21</dataRegolamento>
            <istitutoMittente><identificativoUnivocoMittente><tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>BIGPSP</codiceIdentificativoUnivoco></identificativoUnivocoMittente></istitutoMittente>
            <istitutoRicevente><identificativoUnivocoRicevente><tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>01199250158</codiceIdentificativoUnivoco></identificativoUnivocoRicevente></istitutoRicevente>
            <numeroTotalePagamenti>{Count}</numeroTotalePagamenti><importoTotalePagamenti>{Count}.00</importoTotalePagamenti>
            {rows}</FlussoRiversamento>
            """;

        var result = await Store().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(xml)), "big.xml", CancellationToken.None);

        Assert.Equal((FdrImportOutcome.Accepted, (long)Count), (result.Outcome, result.Rows));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(("IUR1", $"IUR{Count}"), await connection.QuerySingleAsync<(string, string)>("""
            select (select iur from fdr_rows where flow_pk = @pk and row_number = 1), (select iur from fdr_rows where flow_pk = @pk and row_number = @Count)
            """, new { pk = result.FlowPk, Count }));
    }

    private async Task<FdrImportResult> ImportFileAsync(string name)
    {
        await using var file = File.OpenRead(Example(name));
        return await Store().ImportAsync(file, name, CancellationToken.None);
    }
}
