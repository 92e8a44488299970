using Dapper;
using Npgsql;
using PaymentGateway.Core;

namespace PaymentGateway.Reconciliation.Settlement;

/// <summary>
/// A PSP's operating day whose reporting flow is overdue: receipts of that day that no accepted flow from the PSP
/// reports, after the flow's deadline (D+2 working days, 24:00 Italian time).
/// </summary>
/// <param name="OrganizationFiscalCode">The EC the receipts (and the expected flow) belong to.</param>
/// <param name="PspId">The PSP that collected the payments (receipt idPSP, flow sender).</param>
/// <param name="OperatingDay">The Node operating day D (13:00 cut-off).</param>
/// <param name="ExpectedBy">D+2 working days: the flow was due by the end of this day.</param>
/// <param name="Receipts">OK receipts of the day.</param>
/// <param name="Cents">Their amount.</param>
/// <param name="Unreported">Receipts no accepted flow from the PSP reports (as of the report's instant).</param>
/// <param name="UnreportedCents">Their amount.</param>
public sealed record LateFlow(string OrganizationFiscalCode, string PspId, DateOnly OperatingDay, DateOnly ExpectedBy, long Receipts, long Cents,
    long Unreported, long UnreportedCents);

/// <summary>A reporting flow whose settlement has not been credited on any imported statement by its deadline.</summary>
/// <param name="FlowId">identificativoFlusso.</param>
/// <param name="PspId">The PSP.</param>
/// <param name="OrganizationFiscalCode">The EC the flow reports to.</param>
/// <param name="SettlementDate">dataRegolamento.</param>
/// <param name="ExpectedBy">The next working day after the settlement date: the credit was due by its end.</param>
/// <param name="DeclaredCents">importoTotalePagamenti.</param>
public sealed record LateCredit(string FlowId, string PspId, string OrganizationFiscalCode, DateOnly SettlementDate, DateOnly ExpectedBy, long DeclaredCents);

/// <summary>What is late as of an instant.</summary>
/// <param name="AsOf">The instant the report is for.</param>
/// <param name="DaysChecked">(EC, PSP, operating day) groups with OK receipts taken into account.</param>
/// <param name="FlowsChecked">Current flows whose credit was looked for (settled on or after the first day a statement covers).</param>
/// <param name="LateFlows">Overdue reporting flows, by operating day, EC, PSP.</param>
/// <param name="LateCredits">Overdue credits, by settlement date, flow id, PSP.</param>
public sealed record SettlementReport(DateTimeOffset AsOf, long DaysChecked, long FlowsChecked, IReadOnlyList<LateFlow> LateFlows, IReadOnlyList<LateCredit> LateCredits);

/// <summary>
/// The settlement calendar (issue 7, deliver 4; NOTES.md §d.3): for each EC, PSP and Node operating day with OK
/// receipts, the PSP's reporting flow is expected by the end of the second working day after the day, and the
/// treasury credit of each flow by the end of the first working day after its settlement date. Lists what is late as
/// of an instant: nothing is stored, so the answer for a past instant can be asked again (flows received and credits
/// booked after it do not count).
/// </summary>
/// <remarks>
/// A receipt counts as reported when an accepted flow (any revision) from its PSP to its EC, received by the instant,
/// has a row with its IUV and IUR = receiptId. A flow counts as credited when its current three-way-match label
/// (<c>pgw reconcile treasury</c>) pairs it with a credit (credited, amount differs, or awaiting confirmation) booked by
/// the instant. As in the three-way match, flows settled before the first day any imported statement covers are not
/// checked: their credit cannot be on a statement.
/// </remarks>
public sealed class SettlementCalendar(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>Working days after the operating day by which the reporting flow is due.</summary>
    public const int FlowDueWorkingDays = 2;

    /// <summary>Working days after the settlement date by which the credit is due.</summary>
    public const int CreditDueWorkingDays = 1;

    /// <summary>What is late now (the injected clock).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<SettlementReport> LateAsync(CancellationToken cancellationToken) => LateAsync(time.GetUtcNow(), cancellationToken);

    /// <summary>What was late at <paramref name="asOf"/>.</summary>
    /// <param name="asOf">The instant: deadlines that ended by it, flows received and credits booked before it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<SettlementReport> LateAsync(DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        // Npgsql writes timestamptz parameters only in UTC.
        asOf = asOf.ToUniversalTime();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // The operating day in SQL: 13:00 plus 11 hours is the next midnight (WorkingDays.OperatingDay does the same).
        const string days = """
            with paid as (
                select r.organization_fiscal_code, r.psp_id, ((r.payment_date_time at time zone 'Europe/Rome') + interval '11 hours')::date as operating_day,
                       r.amount_cents,
                       exists (select 1 from fdr_rows fr join fdr_flows f on f.id = fr.flow_pk
                               where fr.iuv = r.iuv and fr.iur = r.receipt_id and f.status = 'Accepted' and f.psp_id = r.psp_id
                                 and f.organization_fiscal_code = r.organization_fiscal_code and f.received_at <= @asOf) as reported
                from receipts r
                where r.outcome = 'OK' and r.psp_id is not null and r.payment_date_time is not null and r.payment_date_time <= @asOf
            )
            select organization_fiscal_code as organizationfiscalcode, psp_id as pspid, operating_day as operatingday,
                   count(*) as receipts, sum(amount_cents)::bigint as cents,
                   count(*) filter (where not reported) as unreported, coalesce(sum(amount_cents) filter (where not reported), 0)::bigint as unreportedcents
            from paid
            group by organization_fiscal_code, psp_id, operating_day
            """;
        var groups = (await connection.QueryAsync<DayRow>(new CommandDefinition(days, new { asOf }, cancellationToken: cancellationToken))).ToList();
        var lateFlows = groups
            .Select(g => new LateFlow(g.OrganizationFiscalCode, g.PspId, g.OperatingDay,
                WorkingDays.AddWorkingDays(g.OperatingDay, FlowDueWorkingDays), g.Receipts, g.Cents, g.Unreported, g.UnreportedCents))
            .Where(f => f.Unreported > 0 && WorkingDays.EndOf(f.ExpectedBy) <= asOf)
            .OrderBy(f => f.OperatingDay).ThenBy(f => f.OrganizationFiscalCode, StringComparer.Ordinal).ThenBy(f => f.PspId, StringComparer.Ordinal)
            .ToList();

        // A booking date counts from the start of its day: the days begun before the instant.
        var bookedBy = DateOnly.FromDateTime(RomeCalendar.ToRome(asOf.AddTicks(-1)).DateTime);
        const string flows = """
            with current_flows as (
                select distinct on (flow_id, psp_id) flow_id, psp_id, organization_fiscal_code, settlement_date, declared_total_cents
                from fdr_flows
                where status = 'Accepted' and received_at <= @asOf
                order by flow_id, psp_id, flow_date_time desc, id desc
            )
            select f.flow_id as flowid, f.psp_id as pspid, f.organization_fiscal_code as organizationfiscalcode, f.settlement_date as settlementdate,
                   f.declared_total_cents as declaredcents,
                   exists (select 1 from treasury_match_current m join treasury_credits c on c.id = m.credit_pk
                           where m.subject = 'flow:' || f.flow_id || '/' || f.psp_id
                             and m.label in ('FlowCredited', 'AmountDiffers', 'AwaitingConfirmation') and c.booking_date <= @bookedBy) as credited
            from current_flows f
            where f.settlement_date >= (select min(coalesce(from_date, created_at::date)) from treasury_statements where status = 'Accepted')
            """;
        var current = (await connection.QueryAsync<FlowRow>(new CommandDefinition(flows, new { asOf, bookedBy }, cancellationToken: cancellationToken))).ToList();
        var lateCredits = current
            .Where(f => !f.Credited)
            .Select(f => new LateCredit(f.FlowId, f.PspId, f.OrganizationFiscalCode, f.SettlementDate,
                WorkingDays.AddWorkingDays(f.SettlementDate, CreditDueWorkingDays), f.DeclaredCents ?? 0))
            .Where(c => WorkingDays.EndOf(c.ExpectedBy) <= asOf)
            .OrderBy(c => c.SettlementDate).ThenBy(c => c.FlowId, StringComparer.Ordinal).ThenBy(c => c.PspId, StringComparer.Ordinal)
            .ToList();
        return new SettlementReport(asOf, groups.Count, current.Count, lateFlows, lateCredits);
    }

    private sealed record DayRow(string OrganizationFiscalCode, string PspId, DateOnly OperatingDay, long Receipts, long Cents, long Unreported, long UnreportedCents);

    private sealed record FlowRow(string FlowId, string PspId, string OrganizationFiscalCode, DateOnly SettlementDate, long? DeclaredCents, bool Credited);
}
