using Dapper;
using Npgsql;
using PaymentGateway.Reconciliation.Treasury;
using PaymentGateway.Testing;
using static PaymentGateway.Reconciliation.Tests.Treasury.TreasuryScenario;

namespace PaymentGateway.Reconciliation.Tests.Treasury;

public sealed class TreasuryMatcherTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [DatabaseFact]
    public async Task RunAsync_DayWithPlantedAnomalies_EveryFlowAndCreditLabelled()
    {
        await using var db = FreshDatabase.Create(database);
        await ImportAllAsync(db.DataSource);

        var run = await new TreasuryMatcher(db.DataSource, TimeProvider.System).RunAsync(CancellationToken.None);

        Assert.True(run.Conserved);
        Assert.Equal((9L, 12L), (run.Flows, run.Credits));
        Assert.Equal(
            [
                new(TreasuryLabel.FlowCredited, 5, 230_006, 5, 230_006),
                new(TreasuryLabel.AmountDiffers, 1, 25_000, 1, 24_900),
                new(TreasuryLabel.DuplicateCredit, 0, 0, 1, 8_000),
                new(TreasuryLabel.AwaitingConfirmation, 1, 152_030, 1, 152_030),
                new(TreasuryLabel.FlowWithoutTreasury, 2, 19_890, 0, 0),
                new(TreasuryLabel.TreasuryWithoutFlow, 0, 0, 2, 16_500),
                new(TreasuryLabel.NotPagoPa, 0, 0, 2, 275_000),
            ],
            run.Labels);

        var flows = await FlowStatesAsync(db.DataSource);
        Assert.Equal(("FlowCredited", "FlowId", (short?)100), flows[Credited.FlowId]);
        Assert.Equal(("FlowCredited", "FlowId", (short?)100), flows[SplitCausale.FlowId]);
        Assert.Equal(("AmountDiffers", "FlowId", (short?)100), flows[AmountDiffers.FlowId]);
        Assert.Equal(("FlowCredited", "FlowId", (short?)100), flows[CreditedTwice.FlowId]);
        Assert.Equal(("FlowWithoutTreasury", null, null), flows[NotCredited.FlowId]);
        Assert.Equal(("AwaitingConfirmation", "Prefix", (short?)(100 * 25 / 29)), flows[Truncated.FlowId]);
        Assert.Equal(("FlowWithoutTreasury", null, null), flows[SamePrefixOtherAmount.FlowId]);
        Assert.Equal(("FlowCredited", "Trn", (short?)90), flows[ByTrnOnly.FlowId]);
        Assert.Equal(("FlowCredited", "FlowId", (short?)90), flows[SpaceInCausale.FlowId]);
        // Settled before the first statement: its credit cannot be on one, so it is not called missing.
        Assert.False(flows.ContainsKey(BeforeTheStatements.FlowId));

        var pending = Assert.Single(run.Pending);
        Assert.Equal((Truncated.FlowId, 152_030L, 86), (pending.FlowId, pending.AmountCents, pending.Confidence));
        Assert.EndsWith("/URI/2026-11-21SELBIT2B-000000", pending.Remittance, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task RunAsync_Rerun_AppendsNothing()
    {
        await using var db = FreshDatabase.Create(database);
        await ImportAllAsync(db.DataSource);
        var matcher = new TreasuryMatcher(db.DataSource, TimeProvider.System);
        var first = await matcher.RunAsync(CancellationToken.None);
        var results = await CountAsync(db.DataSource, "treasury_match_results");

        var second = await matcher.RunAsync(CancellationToken.None);

        Assert.Equal(21, first.ResultsAdded);
        Assert.Equal(0, second.ResultsAdded);
        Assert.Equal(first.Labels, second.Labels);
        Assert.Equal(results, await CountAsync(db.DataSource, "treasury_match_results"));
    }

    [DatabaseFact]
    public async Task ConfirmAsync_TruncatedCausale_OperatorRecordedAndFlowCredited()
    {
        await using var db = FreshDatabase.Create(database);
        await ImportAllAsync(db.DataSource);
        var matcher = new TreasuryMatcher(db.DataSource, TimeProvider.System);
        var creditPk = Assert.Single((await matcher.RunAsync(CancellationToken.None)).Pending).CreditPk;

        var decision = await matcher.ConfirmAsync(creditPk, "mario.rossi", CancellationToken.None);
        var run = await matcher.RunAsync(CancellationToken.None);

        Assert.Equal((DecisionOutcome.Recorded, $"flow {Truncated.FlowId} (SELBIT2B)"), decision);
        Assert.Empty(run.Pending);
        Assert.Equal(2, run.ResultsAdded);
        Assert.Equal(new TreasuryLabelTotal(TreasuryLabel.FlowCredited, 6, 382_036, 6, 382_036), run.Labels[0]);
        Assert.Equal(("FlowCredited", "Operator", (short?)100), (await FlowStatesAsync(db.DataSource))[Truncated.FlowId]);
        await using var connection = await db.DataSource.OpenConnectionAsync();
        var recorded = await connection.QuerySingleAsync<(string FlowId, string Decision, string By, short Confidence)>(
            "select flow_id, decision, decided_by, confidence from treasury_decisions where credit_pk = @creditPk", new { creditPk });
        Assert.Equal((Truncated.FlowId, "Confirmed", "mario.rossi", (short)86), recorded);
        Assert.Equal(DecisionOutcome.NotAwaitingConfirmation, (await matcher.ConfirmAsync(creditPk, "mario.rossi", CancellationToken.None)).Outcome);
        Assert.Equal(DecisionOutcome.UnknownCredit, (await matcher.ConfirmAsync(999_999, "mario.rossi", CancellationToken.None)).Outcome);
    }

    [DatabaseFact]
    public async Task RefuseAsync_ProposalRefused_NeverProposedAgain()
    {
        await using var db = FreshDatabase.Create(database);
        await ImportAllAsync(db.DataSource);
        var matcher = new TreasuryMatcher(db.DataSource, TimeProvider.System);
        var creditPk = Assert.Single((await matcher.RunAsync(CancellationToken.None)).Pending).CreditPk;

        Assert.Equal(DecisionOutcome.Recorded, (await matcher.RefuseAsync(creditPk, "anna.verdi", CancellationToken.None)).Outcome);
        var run = await matcher.RunAsync(CancellationToken.None);
        var again = await matcher.RunAsync(CancellationToken.None);

        Assert.Empty(run.Pending);
        Assert.Equal((0L, 3L), (again.ResultsAdded, run.Labels.Single(l => l.Label == TreasuryLabel.TreasuryWithoutFlow).Credits));
        Assert.Equal(("FlowWithoutTreasury", null, null), (await FlowStatesAsync(db.DataSource))[Truncated.FlowId]);
    }

    [DatabaseFact]
    public async Task RunAsync_LateCreditAndNewRevision_PickedUpByTheNextRun()
    {
        await using var db = FreshDatabase.Create(database);
        foreach (var flow in new[] { NotCredited, AmountDiffers })
        {
            await ImportFlowAsync(db.DataSource, flow);
        }
        await ImportStatementAsync(db.DataSource, "camt053.001.02.xml");
        var matcher = new TreasuryMatcher(db.DataSource, TimeProvider.System);
        await matcher.RunAsync(CancellationToken.None);
        Assert.Equal("FlowWithoutTreasury", (await FlowStatesAsync(db.DataSource))[NotCredited.FlowId].Label);
        Assert.Equal("AmountDiffers", (await FlowStatesAsync(db.DataSource))[AmountDiffers.FlowId].Label);

        // The credit arrives on the next day's statement; the PSP corrects its flow to what it paid (a later revision).
        var late = Camt053ReaderTests.Statement("camt.053.001.08", Camt053ReaderTests.Entry("CRDT", "99.90",
            $"/PUR/LGPE-RIVERSAMENTO/TXT/0/URI/{NotCredited.FlowId}", reference: "LATE-1"));
        await new TreasuryStatementStore(db.DataSource, TimeProvider.System).ImportCamt053Async(
            new MemoryStream(System.Text.Encoding.UTF8.GetBytes(late)), "late.xml", CancellationToken.None);
        await ImportFlowAsync(db.DataSource, AmountDiffers with { TotalCents = 24_900, FlowDateTime = "2026-11-23T09:00:00" });
        var run = await matcher.RunAsync(CancellationToken.None);

        var flows = await FlowStatesAsync(db.DataSource);
        Assert.Equal("FlowCredited", flows[NotCredited.FlowId].Label);
        Assert.Equal("FlowCredited", flows[AmountDiffers.FlowId].Label);
        Assert.Equal(4, run.ResultsAdded);
        await using var connection = await db.DataSource.OpenConnectionAsync();
        Assert.Equal(["FlowWithoutTreasury", "FlowCredited"], await connection.QueryAsync<string>(
            "select label from treasury_match_results where subject = @s order by run_id", new { s = $"flow:{NotCredited.FlowId}/{NotCredited.Psp}" }));
    }

    [DatabaseFact]
    public async Task RunAsync_ShuffledArrivalWithRunsInBetween_SameFinalLabels()
    {
        var correction = AmountDiffers with { TotalCents = 24_900, FlowDateTime = "2026-11-23T09:00:00" };
        await using var inOrder = FreshDatabase.Create(database);
        await ImportAllAsync(inOrder.DataSource);
        await ImportFlowAsync(inOrder.DataSource, correction);
        await new TreasuryMatcher(inOrder.DataSource, TimeProvider.System).RunAsync(CancellationToken.None);

        await using var shuffled = FreshDatabase.Create(database);
        var arrivals = Flows.Append(correction).Select(f => (Func<Task>)(() => ImportFlowAsync(shuffled.DataSource, f)))
            .Concat(Statements.Select(s => (Func<Task>)(() => ImportStatementAsync(shuffled.DataSource, s))))
            .ToArray();
        new Random(20261121).Shuffle(arrivals);
        var matcher = new TreasuryMatcher(shuffled.DataSource, TimeProvider.System);
        foreach (var arrive in arrivals)
        {
            await arrive();
            await matcher.RunAsync(CancellationToken.None);
        }

        var expected = await StateAsync(inOrder.DataSource);
        Assert.Equal(21, expected.Count);
        Assert.Equal(expected, await StateAsync(shuffled.DataSource));
    }

    private static async Task<Dictionary<string, (string Label, string? MatchedOn, short? Confidence)>> FlowStatesAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(string Subject, string Label, string? MatchedOn, short? Confidence)>(
            "select subject, label, matched_on, confidence from treasury_match_current where subject like 'flow:%'");
        return rows.ToDictionary(r => r.Subject["flow:".Length..r.Subject.LastIndexOf('/')], r => (r.Label, r.MatchedOn, r.Confidence));
    }

    // The current labels with every database id replaced by what identifies the thing whatever the arrival order:
    // a credit by its account and entry key, a flow by its id and date-time.
    private static async Task<List<string>> StateAsync(NpgsqlDataSource dataSource)
    {
        const string sql = """
            select coalesce(case when m.subject like 'credit:%' then 'credit:' || c.account_iban || '/' || c.entry_key end, m.subject)
                   || ' ' || m.label || ' ' || coalesce(m.matched_on, '-') || ' ' || coalesce(m.confidence::text, '-')
                   || ' ' || coalesce(m.credited_cents::text, '-') || ' ' || coalesce(m.declared_cents::text, '-')
                   || ' flow=' || coalesce(f.flow_id || '@' || f.flow_date_time::text, '-') || ' credit=' || coalesce(c.entry_key, '-')
            from treasury_match_current m
            left join treasury_credits c on c.id = m.credit_pk
            left join fdr_flows f on f.id = m.flow_pk
            """;
        await using var connection = await dataSource.OpenConnectionAsync();
        return [.. (await connection.QueryAsync<string>(sql)).Order(StringComparer.Ordinal)];
    }

    private static async Task<long> CountAsync(NpgsqlDataSource dataSource, string table)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>($"select count(*) from {table}");
    }
}
