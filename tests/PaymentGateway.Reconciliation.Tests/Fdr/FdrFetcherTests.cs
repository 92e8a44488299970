using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PaymentGateway.Reconciliation.Fdr;
using PaymentGateway.Testing;

namespace PaymentGateway.Reconciliation.Tests.Fdr;

/// <summary><see cref="FdrFetcher"/> against a fake fdr-org API on loopback, storing into a real database.</summary>
public sealed class FdrFetcherTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static FakePayment Pay(long index, string iuv, string amount, string status = "EXECUTED") =>
        new(index, iuv, "IUR" + iuv, 1, amount, status, "2026-11-20");

    private static FakeFlow Flow(string organization, string fdr, long revision, DateTimeOffset published, params FakePayment[] payments) =>
        new(fdr, "PSP" + fdr[^2..], revision, published, published.AddMinutes(-5), organization, payments);

    private (ServiceProvider Provider, FdrFetcher Fetcher) Fetcher(FakeFdrApi api, string key = "fdr-key")
    {
        // The real clock for the container: the resilience pipeline waits on it between retries.
        var provider = new ServiceCollection()
            .AddSingleton(database.DataSource)
            .AddSingleton(TimeProvider.System)
            .AddFdrApi(o =>
            {
                o.BaseUrl = api.BaseUrl;
                o.SubscriptionKey = key;
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
                o.MaxRetries = 3;
            })
            .BuildServiceProvider();
        var fetcher = new FdrFetcher(provider.GetRequiredService<FdrApiClient>(), provider.GetRequiredService<FdrFlowStore>(), database.DataSource,
            new FakeTimeProvider(Now));
        return (provider, fetcher);
    }

    private async Task<long> RowsAsync(string fdr)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(
            "select count(*) from fdr_rows r join fdr_flows f on f.id = r.flow_pk where f.flow_id = @fdr and f.status = 'Accepted'", new { fdr });
    }

    [DatabaseFact]
    public async Task FetchAsync_PagedListAndPayments_EveryFlowStoredWithTheKeyAndTheWatermarkMoves()
    {
        const string Ec = "80000000001";
        await using var api = await FakeFdrApi.StartAsync();
        for (var i = 1; i <= 3; i++)
        {
            api.Publish(Flow(Ec, $"2026-11-20PSP-F{i:D2}", 1, Now.AddHours(-10 + i),
                Pay(1, $"0100000000000{i}001", "10.5"), Pay(2, $"0100000000000{i}002", "20"), Pay(3, $"0100000000000{i}003", "0.01")));
        }
        var (provider, fetcher) = Fetcher(api);
        await using var _ = provider;

        var result = await fetcher.FetchAsync(Ec, null, CancellationToken.None);

        Assert.Equal((3, 3, 0, 0), (result.Listed, result.Accepted, result.AlreadyImported, result.Rejected));
        Assert.Equal(Now.AddHours(-7), result.PublishedUpTo);
        Assert.All(api.Calls, c => Assert.Equal("fdr-key", c.SubscriptionKey));
        // 3 flows over 2 list pages; each flow: header + 2 payment pages of 2.
        Assert.Equal(2, api.Calls.Count(c => c.PathAndQuery.Contains("/fdrs?", StringComparison.Ordinal)));
        Assert.Equal(6, api.Calls.Count(c => c.PathAndQuery.Contains("/payments?", StringComparison.Ordinal)));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var amounts = (await connection.QueryAsync<long>(
            "select amount_cents from fdr_rows r join fdr_flows f on f.id = r.flow_pk where f.flow_id = '2026-11-20PSP-F01' order by row_number")).ToList();
        Assert.Equal([1050L, 2000L, 1L], amounts);
        var header = await connection.QuerySingleAsync<(string Psp, long Revision, string Source, long Total)>(
            "select psp_id, revision, source, declared_total_cents from fdr_flows where flow_id = '2026-11-20PSP-F01'");
        Assert.Equal(("ABIPSP01", 1L, "api PSP01 revision 1", 3051L), header);
    }

    [DatabaseFact]
    public async Task FetchAsync_Again_AsksOnlyAfterTheWatermarkAndPicksUpANewRevision()
    {
        const string Ec = "80000000002";
        await using var api = await FakeFdrApi.StartAsync();
        api.Publish(Flow(Ec, "2026-11-20PSP-R01", 1, Now.AddHours(-5), Pay(1, "02000000000000001", "5.00")));
        var (provider, fetcher) = Fetcher(api);
        await using var _ = provider;
        await fetcher.FetchAsync(Ec, null, CancellationToken.None);

        var nothingNew = await fetcher.FetchAsync(Ec, null, CancellationToken.None);
        api.Publish(Flow(Ec, "2026-11-20PSP-R01", 2, Now.AddHours(-1), Pay(1, "02000000000000001", "5.00"), Pay(2, "02000000000000002", "7.00")));
        var revised = await fetcher.FetchAsync(Ec, null, CancellationToken.None);

        Assert.Equal(0, nothingNew.Listed);
        Assert.Contains(api.Calls, c => c.PathAndQuery.Contains("publishedGt=2026-11-23T04%3A00%3A00.000000Z", StringComparison.Ordinal));
        Assert.Equal((1, 1), (revised.Listed, revised.Accepted));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal([1L, 2L], (await connection.QueryAsync<long>(
            "select revision from fdr_flows where flow_id = '2026-11-20PSP-R01' and status = 'Accepted' order by revision")).ToList());
    }

    [DatabaseFact]
    public async Task FetchAsync_FirstFetch_AsksNoFurtherBackThanThirtyDays()
    {
        await using var api = await FakeFdrApi.StartAsync();
        var (provider, fetcher) = Fetcher(api);
        await using var _ = provider;

        await fetcher.FetchAsync("80000000003", null, CancellationToken.None);

        Assert.Contains("publishedGt=2026-10-24T09%3A00%3A00.000000Z", Assert.Single(api.Calls).PathAndQuery, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task FetchAsync_TransientFailures_RetriedAndStored()
    {
        const string Ec = "80000000004";
        // Each payments page fails twice with 503 before answering; the list once with 429.
        await using var api = await FakeFdrApi.StartAsync((path, before) =>
            path.Contains("/payments?", StringComparison.Ordinal) && before < 2 ? 503
            : path.Contains("/fdrs?", StringComparison.Ordinal) && before < 1 ? 429
            : null);
        api.Publish(Flow(Ec, "2026-11-20PSP-T01", 1, Now.AddHours(-3), Pay(1, "04000000000000001", "1.00"), Pay(2, "04000000000000002", "2.00"), Pay(3, "04000000000000003", "3.00")));
        var (provider, fetcher) = Fetcher(api);
        await using var _ = provider;

        var result = await fetcher.FetchAsync(Ec, null, CancellationToken.None);

        Assert.Equal(1, result.Accepted);
        Assert.Equal(3, await RowsAsync("2026-11-20PSP-T01"));
        Assert.Equal(4, api.Calls.Count(c => c.Status == 503));
    }

    [DatabaseFact]
    public async Task FetchAsync_Outage_ThrowsKeepsWhatWasStoredAndResumesThere()
    {
        const string Ec = "80000000005";
        var down = true;
        await using var api = await FakeFdrApi.StartAsync((path, _) => down && path.Contains("PSP-O02", StringComparison.Ordinal) ? 503 : null);
        api.Publish(Flow(Ec, "2026-11-20PSP-O01", 1, Now.AddHours(-4), Pay(1, "05000000000000001", "1.00")));
        api.Publish(Flow(Ec, "2026-11-20PSP-O02", 1, Now.AddHours(-3), Pay(1, "05000000000000002", "2.00")));
        var (provider, fetcher) = Fetcher(api);
        await using var _ = provider;

        await Assert.ThrowsAnyAsync<Exception>(() => fetcher.FetchAsync(Ec, null, CancellationToken.None));
        Assert.Equal((1L, 0L), (await RowsAsync("2026-11-20PSP-O01"), await RowsAsync("2026-11-20PSP-O02")));
        down = false;
        var resumed = await fetcher.FetchAsync(Ec, null, CancellationToken.None);

        Assert.Equal((1, 1), (resumed.Listed, resumed.Accepted));
        Assert.Equal(1L, await RowsAsync("2026-11-20PSP-O02"));
    }

    [DatabaseFact]
    public async Task FetchAsync_WrongKey_FdrApiExceptionAndNothingStored()
    {
        await using var api = await FakeFdrApi.StartAsync((_, _) => 401);
        var (provider, fetcher) = Fetcher(api, "wrong");
        await using var _ = provider;

        var e = await Assert.ThrowsAsync<FdrApiException>(() => fetcher.FetchAsync("80000000006", null, CancellationToken.None));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, e.Status);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from fdr_fetch_watermarks where organization_fiscal_code = '80000000006'"));
    }

    [DatabaseFact]
    public async Task FetchAsync_SumDisagreesWithPayments_FlowRecordedRejectedAndPassed()
    {
        const string Ec = "80000000007";
        await using var api = await FakeFdrApi.StartAsync();
        api.Publish(Flow(Ec, "2026-11-20PSP-S01", 1, Now.AddHours(-3), Pay(1, "07000000000000001", "1.00")) with { SumPayments = "9.99" });
        api.Publish(Flow(Ec, "2026-11-20PSP-S02", 1, Now.AddHours(-2), Pay(1, "07000000000000002", "1.005")));
        api.Publish(Flow(Ec, "2026-11-20PSP-S03", 1, Now.AddHours(-1), Pay(1, "07000000000000003", "4.00")));
        var (provider, fetcher) = Fetcher(api);
        await using var _ = provider;

        var result = await fetcher.FetchAsync(Ec, null, CancellationToken.None);

        Assert.Equal((2, 1), (result.Rejected, result.Accepted));
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var reasons = (await connection.QueryAsync<string>(
            "select rejection_reason from fdr_flows where flow_id in ('2026-11-20PSP-S01', '2026-11-20PSP-S02') order by flow_id")).ToList();
        Assert.Equal("sumPayments is 9.99 but the rows add up to 1.00", reasons[0]);
        Assert.StartsWith("payment index 1: singoloImportoPagato '1.005'", reasons[1], StringComparison.Ordinal);
        Assert.Equal(0L, await RowsAsync("2026-11-20PSP-S01"));
    }

    [DatabaseFact]
    public async Task FetchAsync_FlowImportedFromAFileBefore_AlreadyImported()
    {
        const string Ec = "80000000008";
        // The file says 10:00 Italian time (no offset); the API says 09:00Z for the same revision (CET in November).
        var xml = $"""
            <FlussoRiversamento xmlns="{FlussoRiversamentoReader.Namespace}"><versioneOggetto>1.0</versioneOggetto>
            <identificativoFlusso>2026-11-20PSP-X01</identificativoFlusso><dataOraFlusso>2026-11-21T10:00:00</dataOraFlusso>
            <identificativoUnivocoRegolamento>TRN</identificativoUnivocoRegolamento><dataRegolamento>2026-11-21</dataRegolamento>
            <istitutoMittente><identificativoUnivocoMittente><tipoIdentificativoUnivoco>A</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>ABIPSP01</codiceIdentificativoUnivoco></identificativoUnivocoMittente></istitutoMittente>
            <istitutoRicevente><identificativoUnivocoRicevente><tipoIdentificativoUnivoco>G</tipoIdentificativoUnivoco><codiceIdentificativoUnivoco>{Ec}</codiceIdentificativoUnivoco></identificativoUnivocoRicevente></istitutoRicevente>
            <numeroTotalePagamenti>1</numeroTotalePagamenti><importoTotalePagamenti>3.00</importoTotalePagamenti>
            <datiSingoliPagamenti><identificativoUnivocoVersamento>08000000000000001</identificativoUnivocoVersamento><identificativoUnivocoRiscossione>IUR08000000000000001</identificativoUnivocoRiscossione><indiceDatiSingoloPagamento>1</indiceDatiSingoloPagamento><singoloImportoPagato>3.00</singoloImportoPagato><codiceEsitoSingoloPagamento>0</codiceEsitoSingoloPagamento><dataEsitoSingoloPagamento>2026-11-20</dataEsitoSingoloPagamento></datiSingoliPagamenti>
            </FlussoRiversamento>
            """;
        var fromFile = await new FdrFlowStore(database.DataSource, TimeProvider.System).ImportAsync(
            new MemoryStream(System.Text.Encoding.UTF8.GetBytes(xml)), "x01.xml", CancellationToken.None);
        await using var api = await FakeFdrApi.StartAsync();
        api.Publish(new FakeFlow("2026-11-20PSP-X01", "PSP01", 1, Now.AddHours(-1), new DateTimeOffset(2026, 11, 21, 9, 0, 0, 600, TimeSpan.Zero), Ec,
            [Pay(1, "08000000000000001", "3.00")]));
        var (provider, fetcher) = Fetcher(api);
        await using var _ = provider;

        var result = await fetcher.FetchAsync(Ec, null, CancellationToken.None);

        Assert.Equal(FdrImportOutcome.Accepted, fromFile.Outcome);
        Assert.Equal((1, 0, 1), (result.Listed, result.Accepted, result.AlreadyImported));
        Assert.Equal(1L, await RowsAsync("2026-11-20PSP-X01"));
    }
}
