using Dapper;
using Npgsql;
using PaymentGateway.Reconciliation.Matching;
using PaymentGateway.Testing;

namespace PaymentGateway.Reconciliation.Tests.Matching;

/// <summary>
/// The matcher on a generated day (<see cref="ReconciliationDay"/>): every current row in its bucket, count and cents
/// conserved, reruns append nothing, late receipts and new revisions picked up, arrival order irrelevant. Each test
/// gets its own database.
/// </summary>
public sealed class FdrMatcherTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private readonly ReconciliationDay _day = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    private FdrMatcher Matcher(NpgsqlDataSource? dataSource = null) => new(dataSource ?? _database.DataSource, TimeProvider.System);

    [DatabaseFact]
    public async Task RunAsync_GeneratedDay_EveryCurrentRowInItsBucketWithCountAndCentsConserved()
    {
        await ArriveInOrderAsync(_database.DataSource, lateReceipt: false);

        var run = await Matcher().RunAsync(null, null, CancellationToken.None);

        Assert.Equal(_day.Expected.OrderBy(p => p.Key), (await ClassificationAsync(_database.DataSource)).OrderBy(p => p.Key));
        Assert.True(run.Conserved);
        Assert.Equal(_day.CurrentTotals, (run.Rows, run.Cents));
        Assert.Equal(_day.CurrentTotals, (run.DeclaredRows, run.DeclaredCents));
        Assert.Equal(5, run.CurrentFlows);
        foreach (var bucket in Enum.GetValues<FdrBucket>())
        {
            Assert.Equal(_day.Expected.Count(p => p.Value == bucket), run.Buckets.Single(b => b.Bucket == bucket).Rows);
        }
        // Every anomaly planted is there: 3 amounts (1%), 3 + 1 (TEFA) missing receipts, 2 unknown IUVs, 2 duplicates.
        Assert.Equal([("AmountDiffers", 3L), ("Duplicate", 2L), ("IuvUnknown", 2L), ("NoReceipt", 1L), ("ReceiptMissing", 4L), ("Revoked", 1L), ("StandIn", 2L)],
            run.Buckets.Where(b => b.Bucket != FdrBucket.Matched && b.Rows > 0).Select(b => (b.Bucket.ToString(), b.Rows)).OrderBy(b => b.Item1));
        Assert.Equal(run.Rows, run.ResultsAdded);
    }

    [DatabaseFact]
    public async Task RunAsync_Rerun_AppendsNothing()
    {
        await ArriveInOrderAsync(_database.DataSource, lateReceipt: false);
        var first = await Matcher().RunAsync(null, null, CancellationToken.None);
        var results = await CountResultsAsync();

        var again = await Matcher().RunAsync(null, null, CancellationToken.None);

        Assert.Equal((0L, 0L), (again.ResultsAdded, again.Superseded));
        Assert.Equal(first.Buckets, again.Buckets);
        Assert.Equal(results, await CountResultsAsync());
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        Assert.Equal((0L, (long)_day.Expected.Count), await connection.QuerySingleAsync<(long, long)>(
            "select results_added, current_rows from reconciliation_runs where id = @id", new { id = again.RunId }));
    }

    [DatabaseFact]
    public async Task RunAsync_LateReceiptAndNewRevision_PickedUpByTheNextRun()
    {
        await _day.WritePositionsAsync(_database.DataSource);
        foreach (var receipt in _day.Receipts)
        {
            await ReconciliationDay.StoreReceiptAsync(_database.DataSource, receipt);
        }
        var revision2 = _day.Flows.Single(f => f.Name.EndsWith(".rev2.xml", StringComparison.Ordinal));
        foreach (var flow in _day.Flows.Where(f => f != revision2))
        {
            await ReconciliationDay.ImportAsync(_database.DataSource, flow);
        }
        var before = await Matcher().RunAsync(null, null, CancellationToken.None);
        Assert.Contains(before.Buckets, b => b is { Bucket: FdrBucket.AmountDiffers, Rows: 4 });   // revision 1 is one euro short on a row

        await ReconciliationDay.StoreReceiptAsync(_database.DataSource, _day.Late);
        await ReconciliationDay.ImportAsync(_database.DataSource, revision2);
        var after = await Matcher().RunAsync(null, null, CancellationToken.None);

        Assert.Equal(_day.ExpectedAfterLateReceipt().OrderBy(p => p.Key), (await ClassificationAsync(_database.DataSource)).OrderBy(p => p.Key));
        Assert.True(after.Conserved);
        Assert.Equal(_day.SupersededRows, after.Superseded);
        // New results: every row of revision 2, and the two rows (the EC's and the TEFA share) the late receipt matched.
        Assert.Equal(_day.SupersededRows + _day.LateRows.Count, after.ResultsAdded);
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        var history = await connection.QueryAsync<string>("""
            select r.bucket from fdr_row_results r join fdr_rows w on (w.flow_pk, w.row_number) = (r.flow_pk, r.row_number)
            join fdr_flows f on f.id = r.flow_pk
            where w.iur = @iur and f.organization_fiscal_code = @ec order by r.run_id
            """, new { iur = _day.Late.ReceiptId, ec = ReconciliationDay.Ec });
        Assert.Equal(["ReceiptMissing", "Matched"], history);
        Assert.Equal((0L, 0L), ((await Matcher().RunAsync(null, null, CancellationToken.None)) is var third ? (third.ResultsAdded, third.Superseded) : default));
    }

    [DatabaseTheory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task RunAsync_ShuffledArrivalWithRunsInBetween_SameFinalClassification(int seed)
    {
        await ArriveInOrderAsync(_database.DataSource, lateReceipt: true);
        await Matcher().RunAsync(null, null, CancellationToken.None);
        var inOrder = await ClassificationAsync(_database.DataSource);

        var shuffled = new TestDatabase();
        await shuffled.InitializeAsync();
        try
        {
            await _day.WritePositionsAsync(shuffled.DataSource);
            var arrivals = _day.Receipts.Append(_day.Late).Select(r => (Func<Task>)(() => ReconciliationDay.StoreReceiptAsync(shuffled.DataSource, r)))
                .Concat(_day.Flows.Select(f => (Func<Task>)(() => ReconciliationDay.ImportAsync(shuffled.DataSource, f))))
                .ToArray();
            new Random(seed).Shuffle(arrivals);
            var matcher = Matcher(shuffled.DataSource);
            for (var i = 0; i < arrivals.Length; i++)
            {
                await arrivals[i]();
                if (i % 40 == 39)
                {
                    await matcher.RunAsync(null, null, CancellationToken.None);
                }
            }
            var last = await matcher.RunAsync(null, null, CancellationToken.None);

            Assert.True(last.Conserved);
            Assert.Equal(inOrder.OrderBy(p => p.Key), (await ClassificationAsync(shuffled.DataSource)).OrderBy(p => p.Key));
            Assert.Equal(_day.ExpectedAfterLateReceipt().OrderBy(p => p.Key), inOrder.OrderBy(p => p.Key));
        }
        finally
        {
            await shuffled.DisposeAsync();
        }
    }

    [DatabaseFact]
    public async Task RunAsync_ForOneOrganization_ClassifiesOnlyItsFlows()
    {
        await ArriveInOrderAsync(_database.DataSource, lateReceipt: false);

        var run = await Matcher().RunAsync(ReconciliationDay.Tefa, null, CancellationToken.None);

        Assert.Equal((1, 100L), (run.CurrentFlows, run.Rows));
        Assert.Equal(99, run.Buckets.Single(b => b.Bucket == FdrBucket.Matched).Rows);
        Assert.Equal(1, run.Buckets.Single(b => b.Bucket == FdrBucket.ReceiptMissing).Rows);   // the TEFA share of the late payment
        Assert.All((await ClassificationAsync(_database.DataSource)).Keys, k => Assert.StartsWith("2026-11-20PSPAAA-0002/", k, StringComparison.Ordinal));
    }

    [DatabaseFact]
    public async Task RunAsync_Progress_OneLinePerStep()
    {
        await ArriveInOrderAsync(_database.DataSource, lateReceipt: false);
        var lines = new List<string>();

        await Matcher().RunAsync(null, lines.Add, CancellationToken.None);

        Assert.Collection(lines,
            l => Assert.Contains("5 current flows, 358 rows", l, StringComparison.Ordinal),
            l => Assert.Contains("classified 358 rows, recorded 358 new or changed results", l, StringComparison.Ordinal),
            l => Assert.Contains("committed", l, StringComparison.Ordinal));
    }

    [DatabaseFact]
    public async Task RunAsync_RowWithoutIndexOrOnlyAKoReceipt_ComparedWithTheEcsTransfersAndKoIgnored()
    {
        await _day.WritePositionsAsync(_database.DataSource);
        var paid = _day.Receipts[0];
        var refused = _day.Receipts[1] with { Outcome = "KO" };
        await ReconciliationDay.StoreReceiptAsync(_database.DataSource, paid);
        await ReconciliationDay.StoreReceiptAsync(_database.DataSource, refused);
        long EcShare(Core.Receipts.PaymentReceipt r) => r.Transfers.Where(t => t.Beneficiary == ReconciliationDay.Ec).Sum(t => t.Amount.Cents);
        var xml = ReconciliationDay.FlowXml("2026-11-20PSPEEE-0001", "PSPEEE", ReconciliationDay.Ec, new DateTime(2026, 11, 21, 8, 0, 0), new DateOnly(2026, 11, 20),
        [
            (paid.CreditorReferenceId, paid.ReceiptId, null, EcShare(paid), 0),          // no indiceDatiSingoloPagamento: the EC's whole share
            (refused.CreditorReferenceId, refused.ReceiptId, 1, EcShare(refused), 0),   // the only receipt says KO
        ]);
        await ReconciliationDay.ImportAsync(_database.DataSource, ("eee.xml", xml));

        var run = await Matcher().RunAsync(null, null, CancellationToken.None);

        Assert.Equal(new Dictionary<string, FdrBucket>
        {
            ["2026-11-20PSPEEE-0001/PSPEEE/1"] = FdrBucket.Matched,
            ["2026-11-20PSPEEE-0001/PSPEEE/2"] = FdrBucket.ReceiptMissing,
        }, await ClassificationAsync(_database.DataSource));
        Assert.True(run.Conserved);
    }

    private async Task ArriveInOrderAsync(NpgsqlDataSource dataSource, bool lateReceipt)
    {
        await _day.WritePositionsAsync(dataSource);
        foreach (var receipt in lateReceipt ? _day.Receipts.Append(_day.Late) : _day.Receipts)
        {
            await ReconciliationDay.StoreReceiptAsync(dataSource, receipt);
        }
        foreach (var flow in _day.Flows)
        {
            await ReconciliationDay.ImportAsync(dataSource, flow);
        }
    }

    private async Task<long> CountResultsAsync()
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("select count(*) from fdr_row_results");
    }

    // Current classification of the rows of current revisions, keyed "flowId/psp/row" (database ids differ between databases).
    private static async Task<Dictionary<string, FdrBucket>> ClassificationAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(string Key, string Bucket)>("""
            select f.flow_id || '/' || f.psp_id || '/' || c.row_number, c.bucket
            from fdr_row_classification c join fdr_flows f on f.id = c.flow_pk
            where c.bucket <> 'Superseded'
            """);
        return rows.ToDictionary(r => r.Key, r => Enum.Parse<FdrBucket>(r.Bucket), StringComparer.Ordinal);
    }
}
