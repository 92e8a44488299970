using System.Globalization;
using Dapper;
using Npgsql;

namespace PaymentGateway.Reconciliation.Treasury;

/// <summary>
/// Where the three-way match puts a reporting flow or a treasury credit: the labels accounting offices use. A flow
/// and each credit have exactly one label.
/// </summary>
public enum TreasuryLabel
{
    /// <summary>Receipt + flow + treasury: the flow's settlement was credited for its whole amount (in one credit, or split over supplementary ones).</summary>
    FlowCredited,

    /// <summary>Credited, but the credits paired with the flow do not add up to its importoTotalePagamenti.</summary>
    AmountDiffers,

    /// <summary>A credit for a flow that another credit already settled in full.</summary>
    DuplicateCredit,

    /// <summary>A truncated causale matched by prefix to the only flow with the same amount: an operator must confirm it.</summary>
    AwaitingConfirmation,

    /// <summary>Flow without treasury: the settlement has not arrived (yet) on any imported statement.</summary>
    FlowWithoutTreasury,

    /// <summary>Treasury without flow: a pagoPA credit (by its causale or ordering party) that no flow explains (yet).</summary>
    TreasuryWithoutFlow,

    /// <summary>A credit that is not pagoPA's (some other income on the account): listed, not an anomaly.</summary>
    NotPagoPa,
}

/// <summary>Flows and credits with one label after a run.</summary>
/// <param name="Label">The label.</param>
/// <param name="Flows">Flows with the label.</param>
/// <param name="DeclaredCents">Their importoTotalePagamenti.</param>
/// <param name="Credits">Credits with the label.</param>
/// <param name="CreditedCents">Their amounts.</param>
public sealed record TreasuryLabelTotal(TreasuryLabel Label, long Flows, long DeclaredCents, long Credits, long CreditedCents);

/// <summary>A pairing an operator must confirm (or refuse).</summary>
/// <param name="CreditPk">treasury_credits.id: what the operator names to confirm.</param>
/// <param name="BookingDate">The credit's booking date.</param>
/// <param name="AmountCents">The credit's amount (equal to the flow's).</param>
/// <param name="Remittance">The causale as the bank gave it.</param>
/// <param name="FlowId">The proposed flow.</param>
/// <param name="PspId">Its PSP.</param>
/// <param name="Confidence">How much of the flow id the causale shows, 0..95.</param>
public sealed record PendingConfirmation(long CreditPk, DateOnly BookingDate, long AmountCents, string Remittance, string FlowId, string PspId, int Confidence);

/// <summary>A flow or credit with its current label (the latest result of the three-way match).</summary>
/// <param name="Label">The label.</param>
/// <param name="CreditPk">The credit (for a flow: the one that settles it or is proposed for it), if any.</param>
/// <param name="BookingDate">The credit's booking date.</param>
/// <param name="CreditedCents">A credit's amount; for a flow, the credits that settle it (duplicates aside).</param>
/// <param name="Remittance">The credit's causale.</param>
/// <param name="FlowId">The flow (for a credit: the one it is paired with), if any.</param>
/// <param name="PspId">Its PSP.</param>
/// <param name="DeclaredCents">The flow's importoTotalePagamenti.</param>
/// <param name="MatchedOn">How the pairing was made: FlowId, Trn, Prefix or Operator.</param>
/// <param name="Confidence">How sure the pairing is, 0..100.</param>
/// <param name="IsCredit">True for a credit, false for a flow.</param>
public sealed record TreasuryItem(string Label, long? CreditPk, DateOnly? BookingDate, long? CreditedCents, string? Remittance, string? FlowId, string? PspId,
    long? DeclaredCents, string? MatchedOn, int? Confidence, bool IsCredit);

/// <summary>What a run found.</summary>
/// <param name="RunId">treasury_match_runs.id.</param>
/// <param name="Flows">Current flows taken into the match (settled since the first statement, or paired with a credit).</param>
/// <param name="Credits">Credits of accepted statements.</param>
/// <param name="Labels">Every label, in <see cref="TreasuryLabel"/> order (empty ones too).</param>
/// <param name="ResultsAdded">Flows and credits whose label or pairing changed (or that were labelled for the first time).</param>
/// <param name="Pending">Pairings awaiting an operator.</param>
public sealed record TreasuryMatchRun(long RunId, long Flows, long Credits, IReadOnlyList<TreasuryLabelTotal> Labels, long ResultsAdded,
    IReadOnlyList<PendingConfirmation> Pending)
{
    /// <summary>Every flow and every credit has exactly one label.</summary>
    public bool Conserved => Labels.Sum(l => l.Flows) == Flows && Labels.Sum(l => l.Credits) == Credits;
}

/// <summary>How an operator's decision ended.</summary>
public enum DecisionOutcome
{
    /// <summary>Recorded; the next run applies it.</summary>
    Recorded,

    /// <summary>No such credit.</summary>
    UnknownCredit,

    /// <summary>The credit's latest label is not AwaitingConfirmation: there is nothing to decide.</summary>
    NotAwaitingConfirmation,
}

/// <summary>
/// The three-way match (issue 7, deliver 3; NOTES.md §d.5): pairs each treasury credit with the current revision of a
/// reporting flow and labels every credit and every flow. A credit pairs, in this order, with the flow an operator
/// confirmed for it; with the flow whose id its causale names; with the only flow whose identificativoUnivocoRegolamento
/// is its TRN (or end-to-end id, or bank reference); and, for a truncated causale, with the only flow of the same
/// amount whose id starts with what is visible — the last one only as a proposal (AwaitingConfirmation) until an
/// operator confirms it. Amounts are then compared with importoTotalePagamenti per flow.
/// </summary>
/// <remarks>
/// Set-based: a handful of statements whatever the volume. Results are append-only per run (a flow or credit gets a
/// result only when its label or pairing changed), so a rerun with nothing new appends nothing and a late credit or
/// flow is picked up by the next run. Ties are broken on content (booking date, entry key), never on arrival order, so
/// the outcome does not depend on the order files arrived in. Runs are serialised by an advisory lock.
/// </remarks>
public sealed class TreasuryMatcher(NpgsqlDataSource dataSource, TimeProvider time)
{
    // "PGWTRS" in ASCII: one treasury run (or decision) at a time.
    private const long RunLockKey = 0x5047_5754_5253;

    /// <summary>Matches every credit and current flow and records what changed.</summary>
    /// <param name="cancellationToken">Cancels the run; nothing of it is kept then.</param>
    public async Task<TreasuryMatchRun> RunAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        CommandDefinition Command(string sql, object? parameters = null) => new(sql, parameters, transaction, cancellationToken: cancellationToken);

        await connection.ExecuteAsync(Command("select pg_advisory_xact_lock(@key)", new { key = RunLockKey }));
        const string start = """
            insert into treasury_match_runs (started_at) values (@startedAt) returning id
            """;
        var runId = await connection.ExecuteScalarAsync<long>(Command(start, new { startedAt = time.GetUtcNow() }));

        await connection.ExecuteAsync(Command(CurrentFlowsSql));
        await connection.ExecuteAsync(Command(PairsSql, new { minimumPrefix = CausaleParser.MinimumPrefixLength }));
        await connection.ExecuteAsync(Command(LabelsSql));
        var added = await connection.ExecuteAsync(Command(RecordSql, new { runId }));

        const string totals = """
            select label, count(*) filter (where not credit_subject) as flows, coalesce(sum(declared_cents) filter (where not credit_subject), 0)::bigint as declared,
                   count(*) filter (where credit_subject) as credits, coalesce(sum(credited_cents) filter (where credit_subject), 0)::bigint as credited
            from tm_now
            group by label
            """;
        var rows = (await connection.QueryAsync<(string Label, long Flows, long Declared, long Credits, long Credited)>(Command(totals))).ToList();
        var labels = Enum.GetValues<TreasuryLabel>()
            .Select(l => rows.FirstOrDefault(r => r.Label == l.ToString()) is { Label: not null } r
                ? new TreasuryLabelTotal(l, r.Flows, r.Declared, r.Credits, r.Credited)
                : new TreasuryLabelTotal(l, 0, 0, 0, 0))
            .ToList();

        const string counts = """
            select (select count(*) from tm_flows where considered) as flows, (select count(*) from treasury_credits) as credits
            """;
        var (flows, credits) = await connection.QuerySingleAsync<(long, long)>(Command(counts));
        const string pending = """
            select c.id as creditpk, c.booking_date as bookingdate, c.amount_cents as amountcents, c.remittance, f.flow_id as flowid, f.psp_id as pspid,
                   n.confidence::integer as confidence
            from tm_now n join treasury_credits c on c.id = n.credit_pk join tm_flows f on f.flow_pk = n.flow_pk
            where n.credit_subject and n.label = 'AwaitingConfirmation'
            order by c.booking_date, c.id
            """;
        var awaiting = (await connection.QueryAsync<PendingConfirmation>(Command(pending))).ToList();
        const string finish = """
            update treasury_match_runs set finished_at = @finishedAt, flows = @flows, credits = @credits, results_added = @added where id = @runId
            """;
        await connection.ExecuteAsync(Command(finish, new { finishedAt = time.GetUtcNow(), flows, credits, added = (long)added, runId }));
        await transaction.CommitAsync(cancellationToken);
        return new TreasuryMatchRun(runId, flows, credits, labels, added, awaiting);
    }

    // The current revision of each flow (its accepted row with the latest flow date-time). Flows settled before the
    // first day any accepted statement covers cannot have their credit on a statement: they take part only if a credit
    // pairs with them.
    private const string CurrentFlowsSql = """
        create temp table tm_flows on commit drop as
        select distinct on (flow_id, psp_id)
               id as flow_pk, flow_id, psp_id, upper(flow_id) as flow_key, upper(settlement_reference) as trn_key, settlement_date,
               declared_total_cents,
               settlement_date >= (select min(coalesce(from_date, created_at::date)) from treasury_statements where status = 'Accepted') as covered,
               false as considered
        from fdr_flows
        where status = 'Accepted'
        order by flow_id, psp_id, flow_date_time desc, id desc;
        """;

    // One pairing per credit, the strongest key first. Every join is an equi-join (hash) except the prefix one, which
    // only truncated causali take part in.
    private const string PairsSql = """
        create temp table tm_pairs on commit drop as
        with decisions as (
            select distinct on (credit_pk) credit_pk, flow_id, psp_id, decision
            from treasury_decisions
            order by credit_pk, id desc
        ), refused as (
            select credit_pk, flow_id, psp_id from treasury_decisions where decision = 'Refused'
        ), by_operator as (
            select d.credit_pk, f.flow_pk, 'Operator' as matched_on, 100 as confidence, 0 as priority
            from decisions d join tm_flows f on f.flow_id = d.flow_id and f.psp_id = d.psp_id
            where d.decision = 'Confirmed'
        ), by_flow_id as (
            select distinct on (c.id) c.id as credit_pk, f.flow_pk, 'FlowId' as matched_on, case when k.n = 1 then 100 else 90 end as confidence, 1 as priority
            from treasury_credits c
            cross join lateral unnest(c.flow_id_candidates) with ordinality k(candidate, n)
            join tm_flows f on f.flow_key = upper(k.candidate)
            order by c.id, k.n, f.psp_id
        ), by_trn as (
            select c.id as credit_pk, min(f.flow_pk) as flow_pk, 'Trn' as matched_on, 90 as confidence, 2 as priority
            from treasury_credits c
            cross join lateral (values (upper(c.trn)), (upper(c.end_to_end_id)), (upper(c.bank_reference))) r(reference)
            join tm_flows f on f.trn_key = r.reference
            group by c.id
            having count(distinct f.flow_pk) = 1
        ), by_prefix as (
            select c.id as credit_pk, min(f.flow_pk) as flow_pk, 'Prefix' as matched_on,
                   min(least(95, (100 * length(c.flow_id)) / length(f.flow_id))) as confidence, 3 as priority
            from treasury_credits c
            join tm_flows f on f.declared_total_cents = c.amount_cents and starts_with(f.flow_key, upper(c.flow_id))
            where c.flow_id_truncated and length(c.flow_id) >= @minimumPrefix
              and not exists (select 1 from refused r where r.credit_pk = c.id and r.flow_id = f.flow_id and r.psp_id = f.psp_id)
            group by c.id
            having count(*) = 1
        )
        select distinct on (credit_pk) credit_pk, flow_pk, matched_on, confidence
        from (select credit_pk, flow_pk, matched_on, confidence, priority from by_operator
              union all select credit_pk, flow_pk, matched_on, confidence, priority from by_flow_id
              union all select credit_pk, flow_pk, matched_on, confidence, priority from by_trn
              union all select credit_pk, flow_pk, matched_on, confidence, priority from by_prefix) p
        order by credit_pk, priority;
        update tm_flows f set considered = f.covered or exists (select 1 from tm_pairs p where p.flow_pk = f.flow_pk);
        """;

    // The label of every credit, then of every flow taken into the match. Among the credits settling one flow, the one
    // that pays it exactly (the earliest booked, ties broken by entry key) credits it and the others are duplicates;
    // credits that together pay it exactly (supplementary transfers, /TXT/1..9) all credit it.
    private const string LabelsSql = """
        create temp table tm_now on commit drop as
        with paired as (
            select p.credit_pk, p.flow_pk, p.matched_on, p.confidence, c.amount_cents, f.declared_total_cents,
                   sum(c.amount_cents) over (partition by p.flow_pk) as flow_credited,
                   row_number() over (partition by p.flow_pk
                                      order by (c.amount_cents = f.declared_total_cents) desc, c.booking_date, c.value_date nulls last, c.account_iban, c.entry_key) as rank,
                   bool_or(c.amount_cents = f.declared_total_cents) over (partition by p.flow_pk) as some_exact
            from tm_pairs p join treasury_credits c on c.id = p.credit_pk join tm_flows f on f.flow_pk = p.flow_pk
            where p.matched_on <> 'Prefix'
        ), credits as (
            select credit_pk, flow_pk, matched_on, confidence, amount_cents as credited_cents, declared_total_cents as declared_cents, rank,
                   case when flow_credited = declared_total_cents then 'FlowCredited'
                        when rank = 1 and amount_cents = declared_total_cents then 'FlowCredited'
                        when some_exact then 'DuplicateCredit'
                        else 'AmountDiffers' end as label
            from paired
            union all
            select p.credit_pk, p.flow_pk, p.matched_on, p.confidence, c.amount_cents, f.declared_total_cents, 1, 'AwaitingConfirmation'
            from tm_pairs p join treasury_credits c on c.id = p.credit_pk join tm_flows f on f.flow_pk = p.flow_pk
            where p.matched_on = 'Prefix'
            union all
            select c.id, null, null, null, c.amount_cents, null, 1,
                   case when c.causale_kind <> 'Unrecognised' or c.ordering_party ilike '%pagopa%' then 'TreasuryWithoutFlow' else 'NotPagoPa' end
            from treasury_credits c
            where not exists (select 1 from tm_pairs p where p.credit_pk = c.id)
        ), flows as (
            select f.flow_pk, f.flow_id, f.psp_id, f.declared_total_cents,
                   -- Duplicates are not part of what settled the flow.
                   sum(c.credited_cents) filter (where c.label in ('FlowCredited', 'AmountDiffers')) as credited_cents,
                   case when bool_or(c.label = 'FlowCredited') then 'FlowCredited'
                        when bool_or(c.label = 'AmountDiffers') then 'AmountDiffers'
                        when bool_or(c.label = 'AwaitingConfirmation') then 'AwaitingConfirmation'
                        else 'FlowWithoutTreasury' end as label,
                   -- The flow's result names the credit that settles it (or is proposed for it) and how it was paired.
                   (array_agg(c.credit_pk order by c.label = 'AwaitingConfirmation', c.rank))[1] as credit_pk,
                   (array_agg(c.matched_on order by c.label = 'AwaitingConfirmation', c.rank))[1] as matched_on,
                   (array_agg(c.confidence order by c.label = 'AwaitingConfirmation', c.rank))[1] as confidence
            from tm_flows f left join credits c on c.flow_pk = f.flow_pk
            where f.considered
            group by f.flow_pk, f.flow_id, f.psp_id, f.declared_total_cents
        )
        select 'credit:' || credit_pk as subject, true as credit_subject, label, credit_pk, flow_pk, matched_on, confidence::smallint as confidence,
               credited_cents, declared_cents
        from credits
        union all
        select 'flow:' || flow_id || '/' || psp_id, false, label, credit_pk, flow_pk, matched_on, confidence::smallint, credited_cents, declared_total_cents
        from flows;
        """;

    // Append a result for each flow and credit whose label or pairing differs from its latest result.
    private const string RecordSql = """
        insert into treasury_match_results (subject, run_id, label, credit_pk, flow_pk, matched_on, confidence, credited_cents, declared_cents)
        select n.subject, @runId, n.label, n.credit_pk, n.flow_pk, n.matched_on, n.confidence, n.credited_cents, n.declared_cents
        from tm_now n
        left join treasury_match_current cur on cur.subject = n.subject
        where cur.subject is null
           or (cur.label, cur.credit_pk, cur.flow_pk, cur.matched_on, cur.confidence, cur.credited_cents, cur.declared_cents)
              is distinct from (n.label, n.credit_pk, n.flow_pk, n.matched_on, n.confidence, n.credited_cents, n.declared_cents)
        """;

    /// <summary>The flows and credits whose current label is one of <paramref name="labels"/>, credits by booking date, then flows by id.</summary>
    /// <param name="labels">The labels to list.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<TreasuryItem>> ListAsync(IReadOnlyCollection<TreasuryLabel> labels, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(labels);
        const string sql = """
            select m.label, m.credit_pk as creditpk, c.booking_date as bookingdate, m.credited_cents as creditedcents, c.remittance,
                   f.flow_id as flowid, f.psp_id as pspid, m.declared_cents as declaredcents, m.matched_on as matchedon, m.confidence::integer as confidence,
                   m.subject like 'credit:%' as iscredit
            from treasury_match_current m
            left join treasury_credits c on c.id = m.credit_pk
            left join fdr_flows f on f.id = m.flow_pk
            where m.label = any(@labels)
            order by m.subject like 'credit:%' desc, c.booking_date, f.flow_id, m.credit_pk
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<TreasuryItem>(new CommandDefinition(sql, new { labels = labels.Select(l => l.ToString()).ToArray() },
            cancellationToken: cancellationToken))];
    }

    /// <summary>Confirms the pairing proposed for a credit (label AwaitingConfirmation); the next run books it.</summary>
    /// <param name="creditPk">treasury_credits.id.</param>
    /// <param name="decidedBy">Who confirms (kept with the decision).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<(DecisionOutcome Outcome, string? Detail)> ConfirmAsync(long creditPk, string decidedBy, CancellationToken cancellationToken) =>
        DecideAsync(creditPk, "Confirmed", decidedBy, cancellationToken);

    /// <summary>Refuses the pairing proposed for a credit; it is never proposed again.</summary>
    /// <param name="creditPk">treasury_credits.id.</param>
    /// <param name="decidedBy">Who refuses (kept with the decision).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<(DecisionOutcome Outcome, string? Detail)> RefuseAsync(long creditPk, string decidedBy, CancellationToken cancellationToken) =>
        DecideAsync(creditPk, "Refused", decidedBy, cancellationToken);

    private async Task<(DecisionOutcome, string?)> DecideAsync(long creditPk, string decision, string decidedBy, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(decidedBy);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        CommandDefinition Command(string sql, object? parameters = null) => new(sql, parameters, transaction, cancellationToken: cancellationToken);
        await connection.ExecuteAsync(Command("select pg_advisory_xact_lock(@key)", new { key = RunLockKey }));

        const string latest = """
            select r.label, r.flow_pk as flowpk, r.confidence::integer as confidence, f.flow_id as flowid, f.psp_id as pspid
            from treasury_credits c
            left join lateral (select label, flow_pk, confidence from treasury_match_results
                               where subject = 'credit:' || c.id order by run_id desc limit 1) r on true
            left join fdr_flows f on f.id = r.flow_pk
            where c.id = @creditPk
            """;
        var current = await connection.QuerySingleOrDefaultAsync<LatestRow>(Command(latest, new { creditPk }));
        if (current is null)
        {
            return (DecisionOutcome.UnknownCredit, null);
        }
        if (current.Label != nameof(TreasuryLabel.AwaitingConfirmation))
        {
            return (DecisionOutcome.NotAwaitingConfirmation, current.Label ?? "not matched yet");
        }
        const string record = """
            insert into treasury_decisions (credit_pk, flow_id, psp_id, flow_pk, confidence, decision, decided_by, decided_at)
            values (@creditPk, @FlowId, @PspId, @FlowPk, @Confidence, @decision, @decidedBy, @decidedAt)
            """;
        await connection.ExecuteAsync(Command(record, new
        {
            creditPk, current.FlowId, current.PspId, current.FlowPk, current.Confidence, decision, decidedBy = decidedBy.Trim(), decidedAt = time.GetUtcNow(),
        }));
        await transaction.CommitAsync(cancellationToken);
        return (DecisionOutcome.Recorded, string.Create(CultureInfo.InvariantCulture, $"flow {current.FlowId} ({current.PspId})"));
    }

    private sealed record LatestRow(string? Label, long? FlowPk, int? Confidence, string? FlowId, string? PspId);
}
