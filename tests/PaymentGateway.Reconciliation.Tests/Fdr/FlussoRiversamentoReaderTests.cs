using System.Text;
using PaymentGateway.Core;
using PaymentGateway.Reconciliation.Fdr;

namespace PaymentGateway.Reconciliation.Tests.Fdr;

public sealed class FlussoRiversamentoReaderTests
{
    private static string Example(string name) => Path.Combine(AppContext.BaseDirectory, "Fdr", "Examples", name);

    private static async Task<(FdrHeader Header, List<FdrRow> Rows)> ReadAsync(Stream stream)
    {
        var rows = new List<FdrRow>();
        var header = await FlussoRiversamentoReader.ReadAsync(stream, r => { rows.Add(r); return ValueTask.CompletedTask; }, CancellationToken.None);
        return (header, rows);
    }

    private static Task<(FdrHeader Header, List<FdrRow> Rows)> ReadAsync(string xml) => ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(xml)));

    [Fact]
    public async Task ReadAsync_SanpExample_HeaderAndRow()
    {
        await using var file = File.OpenRead(Example("FlussoRiversamento.sanp-example.xml"));
        var (header, rows) = await ReadAsync(file);

        Assert.Equal("2021-11-21ABI00000-AABB648200001295", header.FlowId);
        Assert.Equal(new DateOnly(2021, 11, 21), header.SettlementDate);
        Assert.Equal("Bonifico SEPA-00000-AABB0", header.SettlementReference);
        Assert.Equal(("B", "ABI00000", "BANCO DI XXXXXXXX SPA"), (header.PspIdType, header.PspId, header.PspName));
        Assert.Equal("77777777777", header.ReceiverFiscalCode);
        Assert.Equal((1L, EuroCents.FromCents(123_456)), (header.DeclaredCount, header.DeclaredTotal));
        var row = Assert.Single(rows);
        Assert.Equal(("12210209926737900", "2130101502302932577", 1, 123_456L, 0), (row.Iuv, row.Iur, row.TransferIndex!.Value, row.Amount.Cents, row.OutcomeCode));
        Assert.Equal(new DateOnly(2021, 11, 21), row.OutcomeDate);
    }

    [Fact]
    public async Task ReadAsync_NodeTestEnvironmentFlow_RowsReadButHeaderDisagrees_Rejected()
    {
        // The Node's own test mock declares 1 payment of 999.00 and carries several rows: exactly the inconsistency
        // a reconciliation must refuse to book, with the reason, after reading every row.
        var rows = 0;
        await using var file = File.OpenRead(Example("FlussoRiversamento.decoded-from-nodoChiediFlussoRendicontazioneRisposta.OK.xml"));
        var e = await Assert.ThrowsAsync<FdrRejectedException>(() =>
            FlussoRiversamentoReader.ReadAsync(file, _ => { rows++; return ValueTask.CompletedTask; }, CancellationToken.None));

        Assert.True(rows > 1);
        Assert.Equal($"numeroTotalePagamenti is 1 but the flow has {rows} rows", e.Reason);
    }

    [Fact]
    public async Task ReadAsync_Template_PlaceholdersAreRejectedWithTheField()
    {
        await using var file = File.OpenRead(Example("FlussoRiversamento.template.xml"));
        var e = await Assert.ThrowsAsync<FdrRejectedException>(() => ReadAsync(file));
        Assert.Contains("identificativoFlusso '{idflusso}'", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_RevocationAndStandInCodes_SignedAmountsAddUp()
    {
        var (header, rows) = await ReadAsync(Flow(total: "150.00",
            Row("01", "IUR1", "200.00", 0), Row("02", "IUR2", "-100.00", 3), Row("03", "IUR3", "20.00", 4), Row("04", "IUR4", "30.00", 8)));

        Assert.Equal(4, header.DeclaredCount);
        Assert.Equal([0, 3, 4, 8], rows.Select(r => r.OutcomeCode));
        Assert.Equal(15_000, rows.Sum(r => r.Amount.Cents));
    }

    [Theory]
    [InlineData("12.345", 0, "singoloImportoPagato '12.345'")]
    [InlineData("-12.00", 0, "only valid for a revocation")]
    [InlineData("12.00", 3, "must carry a negative amount")]
    [InlineData("12.00", 7, "codiceEsitoSingoloPagamento '7'")]
    [InlineData("1e3", 0, "singoloImportoPagato '1e3'")]
    public async Task ReadAsync_BadRow_RejectedWithLineAndReason(string amount, int code, string expected)
    {
        // A valid header total, so that the row is what fails.
        var e = await Assert.ThrowsAsync<FdrRejectedException>(() => ReadAsync(Flow(total: "12.00", Row("01", "IUR1", amount, code))));
        Assert.Contains(expected, e.Reason, StringComparison.Ordinal);
        Assert.NotNull(e.Line);
    }

    [Fact]
    public async Task ReadAsync_TotalDisagreesWithRows_Rejected()
    {
        var e = await Assert.ThrowsAsync<FdrRejectedException>(() => ReadAsync(Flow(total: "10.01", Row("01", "IUR1", "10.00", 0))));
        Assert.Equal("importoTotalePagamenti is 10.01 but the rows add up to 10.00", e.Reason);
    }

    [Fact]
    public async Task ReadAsync_TruncatedWrongNamespaceOrDtd_Rejected()
    {
        var good = Flow(total: "10.00", Row("01", "IUR1", "10.00", 0));
        Assert.Contains("not well-formed", (await Assert.ThrowsAsync<FdrRejectedException>(() => ReadAsync(good[..(good.Length / 2)]))).Reason, StringComparison.Ordinal);
        Assert.Contains("expected <FlussoRiversamento", (await Assert.ThrowsAsync<FdrRejectedException>(() =>
            ReadAsync(good.Replace(FlussoRiversamentoReader.Namespace, "urn:other", StringComparison.Ordinal)))).Reason, StringComparison.Ordinal);
        Assert.Contains("not well-formed", (await Assert.ThrowsAsync<FdrRejectedException>(() =>
            ReadAsync("<!DOCTYPE x [<!ENTITY a \"b\">]>" + good))).Reason, StringComparison.Ordinal);
    }

    private static string Row(string iuvSuffix, string iur, string amount, int code) => $"""
        <datiSingoliPagamenti>
            <identificativoUnivocoVersamento>010000000000000{iuvSuffix}</identificativoUnivocoVersamento>
            <identificativoUnivocoRiscossione>{iur}</identificativoUnivocoRiscossione>
            <indiceDatiSingoloPagamento>1</indiceDatiSingoloPagamento>
            <singoloImportoPagato>{amount}</singoloImportoPagato>
            <codiceEsitoSingoloPagamento>{code}</codiceEsitoSingoloPagamento>
            <dataEsitoSingoloPagamento>2026-11-20</dataEsitoSingoloPagamento>
        </datiSingoliPagamenti>
        """;

    private static string Flow(string total, params string[] rows) => $"""
        <FlussoRiversamento xmlns="{FlussoRiversamentoReader.Namespace}">
            <versioneOggetto>1.0</versioneOggetto>
            <identificativoFlusso>2026-11-21ABI00000-0000001</identificativoFlusso>
            <dataOraFlusso>2026-11-22T00:37:32</dataOraFlusso>
            <identificativoUnivocoRegolamento>TRN-0001</identificativoUnivocoRegolamento>
            <dataRegolamento>2026-11-21</dataRegolamento>
            <istitutoMittente>
                <identificativoUnivocoMittente><tipoIdentificativoUnivoco>B</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>ABI00000</codiceIdentificativoUnivoco></identificativoUnivocoMittente>
            </istitutoMittente>
            <istitutoRicevente>
                <identificativoUnivocoRicevente><tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>01199250158</codiceIdentificativoUnivoco></identificativoUnivocoRicevente>
            </istitutoRicevente>
            <numeroTotalePagamenti>{rows.Length}</numeroTotalePagamenti>
            <importoTotalePagamenti>{total}</importoTotalePagamenti>
            {string.Concat(rows)}
        </FlussoRiversamento>
        """;
}
