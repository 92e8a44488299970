using Dapper;
using Npgsql;

namespace PaymentGateway.Reconciliation.Audit;

/// <summary>One invariant and what the database says about it.</summary>
/// <param name="Name">Short name, stable (scripts may grep it).</param>
/// <param name="Description">What must hold.</param>
/// <param name="Violations">How many rows break it.</param>
/// <param name="Examples">The first offending ids with what is wrong, for a person to look at.</param>
public sealed record AuditCheck(string Name, string Description, long Violations, IReadOnlyList<string> Examples);

/// <summary>Amounts of one EC's options in one state (what was issued and where it stands).</summary>
/// <param name="Organization">The EC.</param>
/// <param name="Status">The options' state.</param>
/// <param name="Options">How many options.</param>
/// <param name="Cents">Their amounts.</param>
public sealed record AuditTotal(string Organization, string Status, long Options, long Cents);

/// <summary>The whole audit.</summary>
/// <param name="Totals">Options per EC and state.</param>
/// <param name="Checks">Every invariant, broken or not.</param>
public sealed record AuditReport(IReadOnlyList<AuditTotal> Totals, IReadOnlyList<AuditCheck> Checks)
{
    /// <summary>True when no invariant is broken.</summary>
    public bool Holds => Checks.All(c => c.Violations == 0);
}

/// <summary>
/// Checks the money invariants on any database (<c>pgw audit</c>): every cent issued, paid and reported is where the
/// other tables say it is. Read-only, one repeatable-read snapshot, so a busy gateway does not make it see half a
/// receipt. Each check is one set-based query returning the offending ids; the tables' foreign keys that were dropped
/// for bulk speed (fdr_rows, results) are checked here instead.
/// </summary>
public sealed class MoneyAudit(NpgsqlDataSource dataSource)
{
    private const int MaxExamples = 10;

    // Receipt anomalies that do not close the option they name: the money is owed back or belongs to nobody yet.
    private const string NotClosing = "('DuplicatePayment', 'UnknownNotice', 'OutcomeKo')";

    private static readonly (string Name, string Description, string Sql)[] Invariants =
    [
        ("option-transfers", "every payment option's amount is the sum of its transfers", """
            select 'option ' || o.id || ' (' || o.notice_number || '): ' || o.amount_cents || ' ≠ Σ transfers ' || coalesce(sum(t.amount_cents), 0)
            from payment_options o left join transfers t on t.option_id = o.id
            group by o.id
            having o.amount_cents is distinct from sum(t.amount_cents)
            """),
        ("receipt-transfers", "every receipt's amount is the sum of its transfers", """
            select 'receipt ' || r.id || ' (' || r.receipt_id || '): ' || r.amount_cents || ' ≠ Σ transfers ' || coalesce(sum(t.amount_cents), 0)
            from receipts r left join receipt_transfers t on t.receipt_pk = r.id
            where r.outcome = 'OK'
            group by r.id
            having r.amount_cents is distinct from sum(t.amount_cents)
            """),
        ("paid-has-receipt", "every paid or reported option has an OK receipt", """
            select 'option ' || o.id || ' (' || o.notice_number || ') is ' || o.status || ' without a receipt'
            from payment_options o
            where o.status in ('Paid', 'Reported')
              and not exists (select from receipts r where r.option_id = o.id and r.outcome = 'OK')
            """),
        ("receipt-closed-option", "every OK receipt that paid an option left it paid or reported", $"""
            select 'receipt ' || r.id || ' (' || r.receipt_id || ') paid option ' || o.id || ', which is ' || o.status
            from receipts r join payment_options o on o.id = r.option_id
            where r.outcome = 'OK' and (r.anomaly is null or r.anomaly not in {NotClosing}) and o.status not in ('Paid', 'Reported')
            """),
        ("one-payment-per-option", "no option is paid by two receipts unless the second is flagged as a double payment", $"""
            select 'option ' || r.option_id || ' paid by receipts ' || string_agg(r.receipt_id, ', ' order by r.id)
            from receipts r
            where r.outcome = 'OK' and r.option_id is not null and (r.anomaly is null or r.anomaly not in {NotClosing})
            group by r.option_id
            having count(*) > 1
            """),
        ("plan-paid-once", "no position is paid both as a single payment and by installments", """
            select 'position ' || position_id || ': single payment and installments both paid'
            from payment_options
            where status in ('Paid', 'Reported')
            group by position_id
            having bool_or(installment_number is null) and bool_or(installment_number is not null)
            """),
        ("fdr-flow-totals", "every accepted reporting flow's rows add up to its declared count and total", """
            select 'flow ' || f.id || ' (' || f.flow_id || '): declared ' || f.declared_count || ' rows / ' || f.declared_total_cents
                   || ', stored ' || count(r.row_number) || ' / ' || coalesce(sum(r.amount_cents), 0)
            from fdr_flows f left join fdr_rows r on r.flow_pk = f.id
            where f.status = 'Accepted'
            group by f.id
            having count(r.row_number) <> f.declared_count or coalesce(sum(r.amount_cents), 0) <> f.declared_total_cents
            """),
        ("fdr-rows-have-flow", "every reporting row belongs to an accepted flow (rejected flows keep no rows)", """
            select 'row ' || r.flow_pk || '/' || r.row_number || ' of ' || coalesce(f.status, 'no') || ' flow'
            from fdr_rows r left join fdr_flows f on f.id = r.flow_pk
            where f.id is null or f.status <> 'Accepted'
            """),
        ("results-have-row", "every reconciliation result is of a stored row", """
            select 'result of row ' || x.flow_pk || '/' || x.row_number || ' (run ' || x.run_id || ') has no row'
            from fdr_row_results x left join fdr_rows r on r.flow_pk = x.flow_pk and r.row_number = x.row_number
            where r.flow_pk is null
            """),
    ];

    /// <summary>Runs every check.</summary>
    public async Task<AuditReport> RunAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        const string totalsSql = """
            select organization_fiscal_code as Organization, status as Status, count(*) as Options, sum(amount_cents)::bigint as Cents
            from payment_options
            group by organization_fiscal_code, status
            order by organization_fiscal_code, status
            """;
        var totals = (await connection.QueryAsync<AuditTotal>(new CommandDefinition(totalsSql, transaction: transaction, cancellationToken: cancellationToken))).AsList();
        var checks = new List<AuditCheck>();
        foreach (var (name, description, sql) in Invariants)
        {
            // Count every offender, keep the first few: one pass over the check's rows.
            var counted = $"select count(*) over () as total, line from ({sql}) as offenders(line) order by line limit {MaxExamples}";
            var rows = (await connection.QueryAsync<(long Total, string Line)>(new CommandDefinition(counted, transaction: transaction,
                cancellationToken: cancellationToken))).AsList();
            checks.Add(new AuditCheck(name, description, rows.Count == 0 ? 0 : rows[0].Total, [.. rows.Select(r => r.Line)]));
        }
        await transaction.CommitAsync(cancellationToken);
        return new AuditReport(totals, checks);
    }
}
