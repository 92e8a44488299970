using Dapper;
using Npgsql;
using NpgsqlTypes;
using PaymentGateway.Core;

namespace PaymentGateway.Notices.Issuance;

/// <summary>Count and total of the transfers under one key (a capitolo, a taxonomy code, a beneficiary, an IBAN).</summary>
public sealed record Breakdown(string Key, int Transfers, EuroCents Total);

/// <summary>A debtor whose total differs between the file and the emission already in the database (null: absent there).</summary>
public sealed record DebtorChange(string Debtor, EuroCents? InFile, EuroCents? InDatabase)
{
    public EuroCents Difference => (InFile ?? EuroCents.Zero) - (InDatabase ?? EuroCents.Zero);
}

/// <summary>The file's positions of one service code and emission year against the same (or, if none, the previous) emission in the database.</summary>
public sealed record EmissionComparison(
    string ServiceCode,
    short EmissionYear,
    short? ComparedYear,
    int FilePositions,
    EuroCents FileTotal,
    int DatabasePositions,
    EuroCents DatabaseTotal,
    int NewDebtors,
    int DisappearedDebtors,
    int ChangedDebtors,
    IReadOnlyList<DebtorChange> TopChanges);

/// <summary>What an emission would issue, checked before anything is published (<see cref="EmissionDryRun"/>).</summary>
public sealed record EmissionReport(
    OrganizationFiscalCode Organization,
    int Rows,
    int ValidPositions,
    int ValidOptions,
    EuroCents Total,
    int RejectedRows,
    int DuplicateRowsInFile,
    int DuplicateRowsExisting,
    int IbanErrors,
    IReadOnlyList<Breakdown> ErrorsByColumn,
    IReadOnlyList<RowError> FirstErrors,
    IReadOnlyList<Breakdown> ByCapitolo,
    IReadOnlyList<Breakdown> ByTaxonomy,
    IReadOnlyList<Breakdown> ByBeneficiary,
    IReadOnlyList<Breakdown> ByIban,
    IReadOnlyList<EmissionComparison> Comparisons,
    string? ComparisonNote);

/// <summary>
/// Accumulates what a dry run of an emission finds, batch by batch, and compares it with the emission already in the
/// database. Totals count what a debtor owes once: the single payment when the position has one, otherwise the sum of
/// its installments (<see cref="PositionDraft.ReferenceOptions"/>). Only aggregates are kept (per key and per
/// debtor), never the rows, so a 730k-row file fits. Writes nothing: the comparison's staging table lives in a
/// transaction that is rolled back.
/// </summary>
public sealed class EmissionDryRun(OrganizationFiscalCode organization, int topChanges)
{
    private const int MaxListedErrors = 100;
    private readonly Dictionary<string, (int Count, long Cents)> _capitolo = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Count, long Cents)> _taxonomy = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Count, long Cents)> _beneficiary = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Count, long Cents)> _iban = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Count, long Cents)> _errorColumns = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Service, short Year), Dictionary<string, long>> _debtors = [];
    private readonly Dictionary<(string Service, short Year), (int Count, long Cents)> _emissions = [];
    private readonly List<RowError> _errors = [];
    private int _positions, _options, _duplicatesInFile, _duplicatesExisting, _ibanErrors, _withoutEmission;
    private long _total;

    /// <summary>
    /// Adds a valid position of the file: counted in the totals when it would be issued, and in the comparison with
    /// the database either way (a re-emission's positions that already exist are part of what the file says).
    /// </summary>
    public void Add(PositionDraft draft, bool wouldIssue)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var total = draft.Total.Cents;
        AddToComparison(draft, total);
        if (!wouldIssue)
        {
            return;
        }
        _positions++;
        _options += draft.Options.Count;
        _total += total;
        foreach (var t in draft.ReferenceOptions.SelectMany(o => o.Transfers))
        {
            Bump(_capitolo, t.Capitolo ?? "(none)", t.Amount.Cents);
            Bump(_taxonomy, t.Category.Value, t.Amount.Cents);
            Bump(_beneficiary, t.Beneficiary.Value, t.Amount.Cents);
            var iban = t.Account switch
            {
                Core.Positions.BankAccount a => a.Iban.Value,
                Core.Positions.PostalAccount a => a.Iban.Value + " (postal)",
                _ => "(stamp)",
            };
            Bump(_iban, iban, t.Amount.Cents);
        }
    }

    private void AddToComparison(PositionDraft draft, long total)
    {
        if (draft.ServiceCode is { } service && draft.EmissionYear is { } year)
        {
            var key = (service, year);
            if (!_debtors.TryGetValue(key, out var debtors))
            {
                _debtors[key] = debtors = new Dictionary<string, long>(StringComparer.Ordinal);
            }
            var debtor = draft.Debtor.ToString();
            debtors[debtor] = debtors.GetValueOrDefault(debtor) + total;
            var (count, cents) = _emissions.GetValueOrDefault(key);
            _emissions[key] = (count + 1, cents + total);
        }
        else
        {
            _withoutEmission++;
        }
    }

    /// <summary>Adds the rows of a position that would not be issued, with its errors.</summary>
    public void AddProblems(RowStatus status, int rows, IReadOnlyList<RowError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (status == RowStatus.Duplicate)
        {
            if (errors.Any(e => e.Message.Contains("of this file", StringComparison.Ordinal)))
            {
                _duplicatesInFile += rows;
            }
            else
            {
                _duplicatesExisting += rows;
            }
        }
        foreach (var error in errors)
        {
            Bump(_errorColumns, error.Column ?? "(row)", 0);
            if (error.Column is { } column && column.EndsWith("iban", StringComparison.Ordinal))
            {
                _ibanErrors++;
            }
            if (_errors.Count < MaxListedErrors)
            {
                _errors.Add(error);
            }
        }
    }

    /// <summary>Compares with the database and returns the report.</summary>
    public async Task<EmissionReport> CompleteAsync(NpgsqlDataSource dataSource, int rows, int rejectedRows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var comparisons = new List<EmissionComparison>();
        foreach (var ((service, year), debtors) in _debtors.OrderBy(e => e.Key.Service, StringComparer.Ordinal).ThenBy(e => e.Key.Year))
        {
            comparisons.Add(await CompareAsync(dataSource, service, year, debtors, cancellationToken));
        }
        var note = _withoutEmission > 0
            ? $"{_withoutEmission} positions have no service_code or emission_year and are not compared with earlier emissions."
            : null;
        return new EmissionReport(organization, rows, _positions, _options, EuroCents.FromCents(_total), rejectedRows,
            _duplicatesInFile, _duplicatesExisting, _ibanErrors,
            Sorted(_errorColumns, byCount: true), _errors, Sorted(_capitolo), Sorted(_taxonomy), Sorted(_beneficiary), Sorted(_iban),
            comparisons, note);
    }

    private async Task<EmissionComparison> CompareAsync(NpgsqlDataSource dataSource, string service, short year, Dictionary<string, long> debtors, CancellationToken cancellationToken)
    {
        // Debtor totals of an emission in the database, by the same rule as the file: the single payment, else the
        // installments; cancelled options do not count.
        const string owed = """
            select p.debtor_type || ':' || p.debtor_id as debtor,
                   coalesce((select sum(o.amount_cents) from payment_options o
                             where o.position_id = p.id and o.installment_number is null and o.status <> 'Cancelled'),
                            (select sum(o.amount_cents) from payment_options o
                             where o.position_id = p.id and o.installment_number is not null and o.status <> 'Cancelled')) as cents
            from debt_positions p
            where p.organization_fiscal_code = @org and p.service_code = @service and p.emission_year = @year
            """;
        const string totals = $"""
            select count(*)::int, coalesce(sum(cents), 0)::bigint from ({owed}) e where cents is not null
            """;
        const string diff = $"""
            with db as (select debtor, sum(cents)::bigint as cents from ({owed}) e where cents is not null group by debtor),
                 diff as (select coalesce(f.debtor, d.debtor) as debtor, f.cents as file_cents, d.cents as db_cents
                          from import_dryrun_debtors f full join db d on d.debtor = f.debtor)
            select debtor, file_cents, db_cents,
                   (count(*) filter (where db_cents is null) over ())::int as new_debtors,
                   (count(*) filter (where file_cents is null) over ())::int as gone,
                   (count(*) filter (where file_cents <> db_cents) over ())::int as changed
            from diff where file_cents is distinct from db_cents
            order by abs(coalesce(file_cents, 0) - coalesce(db_cents, 0)) desc, debtor
            limit @top
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        short? compared = null;
        (int Count, long Cents) database = (0, 0);
        foreach (var candidate in new[] { year, (short)(year - 1) })
        {
            database = await connection.QuerySingleAsync<(int, long)>(new CommandDefinition(totals,
                new { org = organization.Value, service, year = candidate }, transaction, cancellationToken: cancellationToken));
            if (database.Count > 0)
            {
                compared = candidate;
                break;
            }
        }
        var (fileCount, fileCents) = _emissions[(service, year)];
        if (compared is null)
        {
            return new EmissionComparison(service, year, null, fileCount, EuroCents.FromCents(fileCents), 0, EuroCents.Zero,
                debtors.Count, 0, 0, []);
        }

        const string create = """
            create temp table import_dryrun_debtors (debtor text primary key, cents bigint not null) on commit drop
            """;
        await connection.ExecuteAsync(new CommandDefinition(create, transaction: transaction, cancellationToken: cancellationToken));
        await using (var writer = await connection.BeginBinaryImportAsync("copy import_dryrun_debtors (debtor, cents) from stdin (format binary)", cancellationToken))
        {
            foreach (var (debtor, cents) in debtors)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(debtor, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(cents, NpgsqlDbType.Bigint, cancellationToken);
            }
            await writer.CompleteAsync(cancellationToken);
        }
        var changes = (await connection.QueryAsync<(string Debtor, long? File, long? Db, int New, int Gone, int Changed)>(new CommandDefinition(diff,
            new { org = organization.Value, service, year = compared.Value, top = topChanges }, transaction, cancellationToken: cancellationToken))).ToList();
        await transaction.RollbackAsync(cancellationToken);
        var first = changes.FirstOrDefault();
        return new EmissionComparison(service, year, compared, fileCount, EuroCents.FromCents(fileCents), database.Count,
            EuroCents.FromCents(database.Cents), first.New, first.Gone, first.Changed,
            changes.Select(c => new DebtorChange(c.Debtor, c.File is { } f ? EuroCents.FromCents(f) : null, c.Db is { } d ? EuroCents.FromCents(d) : null)).ToList());
    }

    private static void Bump(Dictionary<string, (int Count, long Cents)> map, string key, long cents)
    {
        var (count, total) = map.GetValueOrDefault(key);
        map[key] = (count + 1, total + cents);
    }

    private static List<Breakdown> Sorted(Dictionary<string, (int Count, long Cents)> map, bool byCount = false) =>
        (byCount ? map.OrderByDescending(e => e.Value.Count) : map.OrderBy(e => e.Key, StringComparer.Ordinal))
            .Select(e => new Breakdown(e.Key, e.Value.Count, EuroCents.FromCents(e.Value.Cents))).ToList();
}
