using System.Diagnostics;
using System.Globalization;
using Dapper;
using Npgsql;

namespace PaymentGateway.Reconciliation.Matching;

/// <summary>
/// Where a row of a reporting flow's current revision lands (issue 7, deliver 2). Every row is in exactly one bucket;
/// the order of the members is the order in which the rules are tried.
/// </summary>
public enum FdrBucket
{
    /// <summary>A later report of a (EC, IUV, IUR, idTransfer) that an earlier-settled row of a current flow already reported.</summary>
    Duplicate,

    /// <summary>Outcome code 3: the PSP revoked the payment (negative amount).</summary>
    Revoked,

    /// <summary>Outcome codes 4 and 8: paid while the EC's station was in Stand-In (8: without a receipt).</summary>
    StandIn,

    /// <summary>Outcome code 9: collected without a receipt (the PSP's outcome arrived after the token expired).</summary>
    NoReceipt,

    /// <summary>Code 0, no receipt with that IUV and IUR, and the IUV is none of this EC's notices or receipts, nor a notice with a transfer to this EC.</summary>
    IuvUnknown,

    /// <summary>Code 0 for a known IUV, but no receipt with that IUR (yet): the next run matches it when the receipt arrives.</summary>
    ReceiptMissing,

    /// <summary>Code 0 with a receipt whose transfer to this EC pays a different amount (or that pays this EC nothing).</summary>
    AmountDiffers,

    /// <summary>Code 0 with a receipt whose transfer to this EC pays exactly the reported amount.</summary>
    Matched,
}

/// <summary>Rows and cents of one bucket.</summary>
/// <param name="Bucket">The bucket.</param>
/// <param name="Rows">Rows in it.</param>
/// <param name="Cents">Sum of their reported amounts (revocations count negative).</param>
public sealed record FdrBucketTotal(FdrBucket Bucket, long Rows, long Cents);

/// <summary>What a run found and recorded.</summary>
/// <param name="RunId">reconciliation_runs.id.</param>
/// <param name="CurrentFlows">Flows matched: the newest accepted revision of each (flow id, PSP).</param>
/// <param name="DeclaredRows">numeroTotalePagamenti summed over those flows.</param>
/// <param name="DeclaredCents">importoTotalePagamenti summed over those flows.</param>
/// <param name="Buckets">Every bucket, in <see cref="FdrBucket"/> order (empty ones too).</param>
/// <param name="ResultsAdded">Rows whose classification changed (or that were classified for the first time).</param>
/// <param name="Superseded">Rows of older revisions that got their last result, 'Superseded', in this run.</param>
/// <param name="RejectedFlows">Flows recorded as rejected at import (never matched; listed for the operator).</param>
public sealed record FdrMatchRun(long RunId, int CurrentFlows, long DeclaredRows, long DeclaredCents, IReadOnlyList<FdrBucketTotal> Buckets,
    long ResultsAdded, long Superseded, int RejectedFlows)
{
    /// <summary>Rows classified.</summary>
    public long Rows => Buckets.Sum(b => b.Rows);

    /// <summary>Cents classified.</summary>
    public long Cents => Buckets.Sum(b => b.Cents);

    /// <summary>Every declared row and cent landed in exactly one bucket.</summary>
    public bool Conserved => Rows == DeclaredRows && Cents == DeclaredCents;
}

/// <summary>
/// Matches every row of the current revision of each reporting flow against receipts and positions on (EC, IUV,
/// IUR = receiptId, idTransfer) and appends the rows whose classification changed to <c>fdr_row_results</c>
/// (V0011). Set-based: a few statements whatever the number of rows, hash joins, no per-row round trip and no update
/// of positions. A run reclassifies every current row, so a late receipt, a newer revision or a duplicate that arrived
/// in another flow is picked up by the next run; a run with nothing new appends nothing. Runs are serialised by an
/// advisory lock and each commits as a whole.
/// </summary>
public sealed class FdrMatcher(NpgsqlDataSource dataSource, TimeProvider time)
{
    // "PGWREC" in ASCII: one run at a time, whatever its --org.
    private const long RunLockKey = 0x5047_5752_4543;

    /// <summary>Classifies the current rows and records what changed.</summary>
    /// <param name="organization">Only flows reported to this EC (fiscal code); null for every EC.</param>
    /// <param name="progress">Receives a line per step (the CLI prints them); may be null.</param>
    /// <param name="cancellationToken">Cancels the run; nothing of it is kept then.</param>
    public async Task<FdrMatchRun> RunAsync(string? organization, Action<string>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        void Report(string step) => progress?.Invoke(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds,6:0.0} s] {step}"));

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        CommandDefinition Command(string sql, object? parameters = null) =>
            // No command timeout: a run over millions of rows may take minutes on a small server; the token cancels it.
            new(sql, parameters, transaction, commandTimeout: 0, cancellationToken: cancellationToken);

        // One run at a time; the hash joins and the duplicate count of a million rows fit in memory instead of spilling;
        // no JIT: the correlated subqueries (rare rows) inflate the estimated cost, and compiling the plan took longer
        // than running it (1.2 s of JIT for 0.5 s of work on 100,000 rows).
        const string prepare = """
            select pg_advisory_xact_lock(@lockKey);
            set local work_mem = '128MB';
            set local jit = off;
            """;
        await connection.ExecuteAsync(Command(prepare, new { lockKey = RunLockKey }));
        const string start = """
            insert into reconciliation_runs (organization_fiscal_code, started_at) values (@organization, @startedAt) returning id
            """;
        var runId = await connection.ExecuteScalarAsync<long>(Command(start, new { organization, startedAt = time.GetUtcNow() }));

        var flows = await connection.QuerySingleAsync<FlowTotals>(Command(CurrentFlowsSql, new { organization }));
        Report(string.Create(CultureInfo.InvariantCulture,
            $"run {runId}: {flows.flows:N0} current flows, {flows.declared_rows ?? 0:N0} rows, {Euro(flows.declared_cents ?? 0)} euro declared; {flows.rejected:N0} rejected flows not matched"));

        // One statement classifies every current row and appends the changed ones; the buckets come back as its result.
        var totals = (await connection.QueryAsync<BucketRow>(Command(ClassifyAndRecordSql, new { runId }))).ToList();
        var buckets = Enum.GetValues<FdrBucket>()
            .Select(b => totals.FirstOrDefault(t => t.bucket == b.ToString()) is { } t ? new FdrBucketTotal(b, t.rows, t.cents) : new FdrBucketTotal(b, 0, 0))
            .ToList();
        var classified = buckets.Sum(b => b.Rows);
        var changed = totals.FirstOrDefault()?.recorded ?? 0;
        Report(string.Create(CultureInfo.InvariantCulture, $"classified {classified:N0} rows, recorded {changed:N0} new or changed results"));

        var superseded = await connection.ExecuteAsync(Command(SupersedeSql, new { runId, organization }));
        if (superseded > 0)
        {
            Report(string.Create(CultureInfo.InvariantCulture, $"{superseded:N0} rows of older revisions superseded"));
        }

        const string finish = """
            update reconciliation_runs set finished_at = @finishedAt, current_rows = @rows, results_added = @added where id = @runId
            """;
        await connection.ExecuteAsync(Command(finish, new { runId, finishedAt = time.GetUtcNow(), rows = classified, added = (long)changed + superseded }));
        await transaction.CommitAsync(cancellationToken);
        Report("committed");
        return new FdrMatchRun(runId, (int)flows.flows, flows.declared_rows ?? 0, flows.declared_cents ?? 0, buckets, changed, superseded, (int)flows.rejected);
    }

    // The newest accepted revision of each (flow id, PSP): the latest flow date-time (dataOraFlusso / fdrDate, one instant
    // whichever way the flow arrived, V0014), then the latest received. Revision numbers of files and the API differ.
    private const string CurrentFlowsSql = """
        create temp table reconciliation_flows on commit drop as
        select distinct on (flow_id, psp_id) id, flow_id, psp_id, organization_fiscal_code, settlement_date, declared_count, declared_total_cents
        from fdr_flows
        where status = 'Accepted' and (@organization::text is null or organization_fiscal_code = @organization)
        order by flow_id, psp_id, flow_date_time desc, received_at desc;
        analyze reconciliation_flows;
        select count(*) as flows, sum(declared_count)::bigint as declared_rows, sum(declared_total_cents)::bigint as declared_cents,
               (select count(*) from fdr_flows where status = 'Rejected' and (@organization::text is null or organization_fiscal_code = @organization)) as rejected
        from reconciliation_flows
        """;

    // One bucket per current row, the rules tried in FdrBucket order:
    // - duplicate: the same (EC, IUV, IUR, idTransfer) reported again, a revocation apart from a payment; the report
    //   of the earliest settlement (then flow id, PSP, row) keeps its own bucket, so arrival order never matters;
    // - outcome codes 3, 4/8, 9 are buckets of their own (the receipt, if any, is still recorded);
    // - the receipt is the one with that IUV and receiptId = IUR (outcome OK) owned by the EC or paying it a
    //   transfer; the expected amount is its transfer idTransfer to the EC, or all its transfers to the EC when the
    //   row gives no index;
    // - without a receipt, the IUV is known when the EC issued it, has a receipt for it, or is a beneficiary of it.
    // Then each row whose classification differs from its latest result (or that has none) gets a result, and the
    // statement returns rows and cents per bucket.
    private const string ClassifyAndRecordSql = """
        with current_rows as not materialized (
            select r.flow_pk, r.row_number, f.organization_fiscal_code as ec, f.settlement_date, f.flow_id, f.psp_id,
                   r.iuv, r.iur, coalesce(r.transfer_index, 0) as idx, r.transfer_index, r.amount_cents, r.outcome_code
            from reconciliation_flows f
            join fdr_rows r on r.flow_pk = f.id
        ),
        -- Candidates first, on a narrow key (an IUR is a payment token, so nearly unique): hashing the whole key of a
        -- million rows costs a third more, and only the few candidates need it.
        repeated as (
            select iur, idx from current_rows group by iur, idx having count(*) > 1
        ),
        duplicates as (
            select flow_pk, row_number
            from (select c.flow_pk, c.row_number,
                         row_number() over (partition by c.ec, c.iuv, c.iur, c.idx, c.outcome_code = 3
                                            order by c.settlement_date, c.flow_id, c.psp_id, c.row_number) as occurrence
                  from current_rows c
                  join repeated k on k.iur = c.iur and k.idx = c.idx) o
            where occurrence > 1
        ),
        matched as (
            select c.flow_pk, c.row_number, c.ec, c.iuv, c.amount_cents, c.outcome_code, d.flow_pk is not null as duplicate, rc.id as receipt_pk,
                   case when rc.id is null then null
                        when c.transfer_index is not null then t.amount_cents
                        else (select sum(x.amount_cents)::bigint from receipt_transfers x where x.receipt_pk = rc.id and x.beneficiary_fiscal_code = c.ec)
                   end as expected_cents
            from current_rows c
            left join duplicates d on d.flow_pk = c.flow_pk and d.row_number = c.row_number
            left join receipts rc on rc.iuv = c.iuv and rc.receipt_id = c.iur and rc.outcome = 'OK'
                 and (rc.organization_fiscal_code = c.ec
                      or exists (select 1 from receipt_transfers b where b.receipt_pk = rc.id and b.beneficiary_fiscal_code = c.ec))
            left join receipt_transfers t on t.receipt_pk = rc.id and t.id_transfer = c.transfer_index and t.beneficiary_fiscal_code = c.ec
                 -- Only transfers to the ECs of the flows: a TARI receipt's TEFA share is not probed for the Comune's flow.
                 and t.beneficiary_fiscal_code in (select organization_fiscal_code from reconciliation_flows)
        ),
        classified as materialized (
            select m.flow_pk, m.row_number, m.amount_cents, m.receipt_pk, m.expected_cents,
                   case when m.duplicate then 'Duplicate'
                        when m.outcome_code = 3 then 'Revoked'
                        when m.outcome_code in (4, 8) then 'StandIn'
                        when m.outcome_code = 9 then 'NoReceipt'
                        when m.receipt_pk is null then
                             case when exists (select 1 from payment_options o where o.organization_fiscal_code = m.ec and o.iuv = m.iuv)
                                       or exists (select 1 from receipts x where x.organization_fiscal_code = m.ec and x.iuv = m.iuv)
                                       or (m.ec, m.iuv) in (select t2.beneficiary_fiscal_code, o2.iuv
                                                            from transfers t2 join payment_options o2 on o2.id = t2.option_id
                                                            where t2.beneficiary_fiscal_code <> o2.organization_fiscal_code)
                                  then 'ReceiptMissing' else 'IuvUnknown' end
                        when m.expected_cents = m.amount_cents then 'Matched'
                        else 'AmountDiffers'
                   end as bucket
            from matched m
        ),
        latest as (
            select l.flow_pk, l.row_number, l.bucket, l.receipt_pk, l.expected_cents
            from reconciliation_flows f
            cross join lateral (select distinct on (r.row_number) r.flow_pk, r.row_number, r.bucket, r.receipt_pk, r.expected_cents
                                from fdr_row_results r
                                where r.flow_pk = f.id
                                order by r.row_number, r.run_id desc) l
        ),
        recorded as (
            insert into fdr_row_results (flow_pk, row_number, run_id, bucket, receipt_pk, expected_cents)
            select c.flow_pk, c.row_number, @runId, c.bucket, c.receipt_pk, c.expected_cents
            from classified c
            left join latest l on l.flow_pk = c.flow_pk and l.row_number = c.row_number
            where l.flow_pk is null
               or (l.bucket, l.receipt_pk, l.expected_cents) is distinct from (c.bucket, c.receipt_pk, c.expected_cents)
            returning 1
        )
        select bucket, count(*) as rows, sum(amount_cents)::bigint as cents, (select count(*) from recorded) as recorded
        from classified
        group by bucket
        """;

    // Rows of revisions that are no longer current (within the run's EC) get one last result.
    private const string SupersedeSql = """
        insert into fdr_row_results (flow_pk, row_number, run_id, bucket)
        select l.flow_pk, l.row_number, @runId, 'Superseded'
        from fdr_flows f
        cross join lateral (select distinct on (r.row_number) r.flow_pk, r.row_number, r.bucket
                            from fdr_row_results r
                            where r.flow_pk = f.id
                            order by r.row_number, r.run_id desc) l
        where f.status = 'Accepted'
          and (@organization::text is null or f.organization_fiscal_code = @organization)
          and not exists (select 1 from reconciliation_flows c where c.id = f.id)
          and l.bucket <> 'Superseded'
        """;

    private static string Euro(long cents) => (cents / 100m).ToString("#,##0.00", CultureInfo.InvariantCulture);

#pragma warning disable IDE1006, CA1812 // Dapper row shapes mirror the column names.
    private sealed record FlowTotals(long flows, long? declared_rows, long? declared_cents, long rejected);

    private sealed record BucketRow(string bucket, long rows, long cents, long recorded);
#pragma warning restore IDE1006, CA1812
}
