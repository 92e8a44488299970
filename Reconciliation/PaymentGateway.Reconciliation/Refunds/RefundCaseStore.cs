using Dapper;
using Npgsql;

namespace PaymentGateway.Reconciliation.Refunds;

/// <summary>Why money goes back to a payer: the receipt anomaly the case comes from.</summary>
public enum RefundReason
{
    /// <summary>The option was already paid by another receipt: the whole second payment goes back.</summary>
    DuplicatePayment,

    /// <summary>Paid after the option was cancelled: the whole payment goes back.</summary>
    PaidAfterCancel,

    /// <summary>Paid after the option expired under the EC's policy: the whole payment goes back.</summary>
    PaidAfterExpiry,

    /// <summary>No option of ours has the notice: the whole payment goes back.</summary>
    UnknownNotice,

    /// <summary>The receipt paid more than the option's amount (receipt anomaly AmountMismatch): the difference goes back.</summary>
    Overpayment,
}

/// <summary>Where a refund case is. Cases only move forward: Open → Approved → PaidBack.</summary>
public enum RefundState
{
    /// <summary>Created from a receipt anomaly; nobody has decided yet.</summary>
    Open,

    /// <summary>Someone approved the refund.</summary>
    Approved,

    /// <summary>The money went back to the payer.</summary>
    PaidBack,
}

/// <summary>A refund case with its current state and who moved it when.</summary>
/// <param name="Id">refund_cases.id: what an operator names to approve or mark paid back.</param>
/// <param name="Reason">Why the money goes back.</param>
/// <param name="State">The current state (the latest transition).</param>
/// <param name="OrganizationFiscalCode">The EC of the receipt.</param>
/// <param name="NoticeNumber">The notice paid.</param>
/// <param name="Iuv">Its IUV.</param>
/// <param name="ReceiptId">The receipt's receiptId (the payment token; the FdR's IUR).</param>
/// <param name="PspId">The PSP that collected the payment.</param>
/// <param name="PaymentDateTime">When the payer paid.</param>
/// <param name="PayerType">F (person) or G (legal entity): the receipt's payer, else its debtor.</param>
/// <param name="PayerId">The payer's fiscal code (the receipt's payer, else its debtor).</param>
/// <param name="PaidCents">What the receipt paid.</param>
/// <param name="RefundCents">What goes back: the whole payment, or for an overpayment the part above the option's amount.</param>
/// <param name="OpenedAt">When the case was created.</param>
/// <param name="ApprovedBy">Who approved it.</param>
/// <param name="ApprovedAt">When.</param>
/// <param name="PaidBackBy">Who recorded the money as paid back.</param>
/// <param name="PaidBackAt">When.</param>
public sealed record RefundCase(long Id, RefundReason Reason, RefundState State, string OrganizationFiscalCode, string NoticeNumber, string Iuv, string ReceiptId,
    string? PspId, DateTimeOffset? PaymentDateTime, string? PayerType, string? PayerId, long PaidCents, long RefundCents, DateTimeOffset OpenedAt,
    string? ApprovedBy, DateTimeOffset? ApprovedAt, string? PaidBackBy, DateTimeOffset? PaidBackAt);

/// <summary>How a request to move a case ended.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Current">The case's state before the request (null when there is no such case).</param>
public readonly record struct RefundTransitionResult(RefundTransitionOutcome Outcome, RefundState? Current);

/// <summary>What a request to move a case did.</summary>
public enum RefundTransitionOutcome
{
    /// <summary>Recorded.</summary>
    Moved,

    /// <summary>No such case: nothing recorded.</summary>
    UnknownCase,

    /// <summary>The case is not in the state the move starts from (only Open → Approved → PaidBack): nothing recorded.</summary>
    IllegalTransition,
}

/// <summary>
/// Refund cases (issue 7, deliver 5): receipts the Node delivered for money we must give back — paid twice, after a
/// cancellation or expiry, for an unknown notice, or more than the option's amount — become one case each, with the
/// payer, the amount to give back and the reason. A case goes Open → Approved → PaidBack; every move is appended to
/// its history with who and when, nothing is ever updated or deleted.
/// </summary>
public sealed class RefundCaseStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>Who the creation of a case is recorded as.</summary>
    public const string SyncActor = "pgw refunds sync";

    /// <summary>
    /// Creates a case for every receipt with a refund anomaly that has none yet (idempotent: a second sync with nothing
    /// new creates nothing). An AmountMismatch receipt that paid less than its option is no refund and gets no case.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call; nothing is kept then.</param>
    /// <returns>Cases created.</returns>
    public async Task<int> SyncAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            with candidates as (
                select r.id as receipt_pk, r.organization_fiscal_code, r.notice_number, r.iuv, r.receipt_id, r.psp_id, r.payment_date_time,
                       case when r.anomaly = 'AmountMismatch' then 'Overpayment' else r.anomaly end as reason,
                       case when r.payer_id is not null then r.payer_type else r.debtor_type end as payer_type,
                       coalesce(r.payer_id, r.debtor_id) as payer_id,
                       r.amount_cents as paid_cents,
                       case when r.anomaly = 'AmountMismatch' then r.amount_cents - o.amount_cents else r.amount_cents end as refund_cents
                from receipts r
                left join payment_options o on o.id = r.option_id
                where r.outcome = 'OK' and r.anomaly in ('DuplicatePayment', 'PaidAfterCancel', 'PaidAfterExpiry', 'UnknownNotice', 'AmountMismatch')
                  and not exists (select 1 from refund_cases c where c.receipt_pk = r.id)
            ), created as (
                insert into refund_cases (receipt_pk, organization_fiscal_code, notice_number, iuv, receipt_id, psp_id, payment_date_time, reason,
                                          payer_type, payer_id, paid_cents, refund_cents, created_at)
                select receipt_pk, organization_fiscal_code, notice_number, iuv, receipt_id, psp_id, payment_date_time, reason,
                       payer_type, payer_id, paid_cents, refund_cents, @now
                from candidates
                where refund_cents > 0
                order by receipt_pk
                on conflict on constraint refund_cases_receipt_key do nothing
                returning id
            )
            insert into refund_case_transitions (case_id, state, changed_by, changed_at)
            select id, 'Open', @actor, @now from created order by id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var created = await connection.ExecuteAsync(new CommandDefinition(sql, new { now = time.GetUtcNow(), actor = SyncActor }, transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return created;
    }

    /// <summary>The cases, oldest first, optionally only those in <paramref name="state"/>.</summary>
    /// <param name="state">Only cases currently in this state; null for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<RefundCase>> ListAsync(RefundState? state, CancellationToken cancellationToken)
    {
        const string sql = """
            select c.id, c.reason, cur.state, c.organization_fiscal_code, c.notice_number, c.iuv, c.receipt_id, c.psp_id, c.payment_date_time,
                   c.payer_type, c.payer_id, c.paid_cents, c.refund_cents, c.created_at,
                   a.changed_by as approved_by, a.changed_at as approved_at, p.changed_by as paid_back_by, p.changed_at as paid_back_at
            from refund_cases c
            join refund_case_current cur on cur.case_id = c.id
            left join refund_case_transitions a on a.case_id = c.id and a.state = 'Approved'
            left join refund_case_transitions p on p.case_id = c.id and p.state = 'PaidBack'
            where @state::text is null or cur.state = @state
            order by c.id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<CaseRow>(new CommandDefinition(sql, new { state = state?.ToString() }, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new RefundCase(r.id, Enum.Parse<RefundReason>(r.reason), Enum.Parse<RefundState>(r.state), r.organization_fiscal_code,
            r.notice_number, r.iuv, r.receipt_id, r.psp_id, Utc(r.payment_date_time), r.payer_type, r.payer_id, r.paid_cents, r.refund_cents, Utc(r.created_at)!.Value,
            r.approved_by, Utc(r.approved_at), r.paid_back_by, Utc(r.paid_back_at)))];
    }

    /// <summary>Approves an open case.</summary>
    /// <param name="caseId">refund_cases.id.</param>
    /// <param name="by">Who approves (kept in the history).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<RefundTransitionResult> ApproveAsync(long caseId, string by, CancellationToken cancellationToken) =>
        MoveAsync(caseId, RefundState.Open, RefundState.Approved, by, cancellationToken);

    /// <summary>Records that the money of an approved case went back to the payer.</summary>
    /// <param name="caseId">refund_cases.id.</param>
    /// <param name="by">Who records it (kept in the history).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<RefundTransitionResult> MarkPaidBackAsync(long caseId, string by, CancellationToken cancellationToken) =>
        MoveAsync(caseId, RefundState.Approved, RefundState.PaidBack, by, cancellationToken);

    private async Task<RefundTransitionResult> MoveAsync(long caseId, RefundState from, RefundState to, string by, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The case row is locked so two operators moving the same case are serialised and the second sees the first's move.
        const string current = """
            select t.state
            from refund_cases c
            join lateral (select state from refund_case_transitions where case_id = c.id order by id desc limit 1) t on true
            where c.id = @caseId
            for update of c
            """;
        var state = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(current, new { caseId }, transaction, cancellationToken: cancellationToken));
        if (state is null)
        {
            return new RefundTransitionResult(RefundTransitionOutcome.UnknownCase, null);
        }
        var now = Enum.Parse<RefundState>(state);
        if (now != from)
        {
            return new RefundTransitionResult(RefundTransitionOutcome.IllegalTransition, now);
        }
        const string move = """
            insert into refund_case_transitions (case_id, state, changed_by, changed_at) values (@caseId, @to, @by, @at)
            """;
        await connection.ExecuteAsync(new CommandDefinition(move, new { caseId, to = to.ToString(), by = by.Trim(), at = time.GetUtcNow() }, transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new RefundTransitionResult(RefundTransitionOutcome.Moved, now);
    }

    // Dapper maps the snake_case columns by name; timestamptz reads as a UTC DateTime.
    private sealed record CaseRow(long id, string reason, string state, string organization_fiscal_code, string notice_number, string iuv, string receipt_id,
        string? psp_id, DateTime? payment_date_time, string? payer_type, string? payer_id, long paid_cents, long refund_cents, DateTime created_at,
        string? approved_by, DateTime? approved_at, string? paid_back_by, DateTime? paid_back_at);

    private static DateTimeOffset? Utc(DateTime? value) => value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}
