using Dapper;
using Npgsql;
using PaymentGateway.Core;

namespace PaymentGateway.Notices.Issuance;

/// <summary>How an import runs.</summary>
/// <param name="DryRun">Validate, look for duplicates and build the emission report; write nothing, number nothing.</param>
/// <param name="AllOrNothing">Write the file only if every row is accepted (one transaction for the whole file).</param>
/// <param name="BatchSize">Positions per batch (one COPY and one set-based insert each).</param>
/// <param name="TopChanges">How many per-debtor changes the dry-run report lists.</param>
public sealed record ImportOptions(bool DryRun = false, bool AllOrNothing = false, int BatchSize = 10_000, int TopChanges = 20);

/// <summary>What happened to one row of the file.</summary>
public enum RowStatus
{
    /// <summary>Written; the notice number is assigned.</summary>
    Accepted,

    /// <summary>Invalid (this row or another row of its position); nothing of the position is written.</summary>
    Rejected,

    /// <summary>The IUPD (or an EC-supplied notice number) exists already, in the database or earlier in the file.</summary>
    Duplicate,

    /// <summary>Dry run: the row would be accepted.</summary>
    Valid,

    /// <summary>All-or-nothing: the row is valid but was not written because another row was not.</summary>
    NotWritten,
}

/// <summary>The outcome of one row: its line, its position's IUPD, status, assigned notice number and errors.</summary>
public sealed record RowOutcome(int Line, string? Iupd, RowStatus Status, string? NoticeNumber, IReadOnlyList<RowError> Errors);

/// <summary>Where row outcomes go, in line order, as batches complete (an outcome CSV, a list, an API job's store).</summary>
public interface IRowOutcomeSink
{
    /// <summary>Receives one row's outcome.</summary>
    ValueTask WriteAsync(RowOutcome outcome, CancellationToken cancellationToken);
}

/// <summary>Collects outcomes in memory (tests, small API uploads).</summary>
public sealed class RowOutcomeList : IRowOutcomeSink
{
    public List<RowOutcome> Rows { get; } = [];

    public ValueTask WriteAsync(RowOutcome outcome, CancellationToken cancellationToken)
    {
        Rows.Add(outcome);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Totals of an import.</summary>
public sealed record ImportResult(
    int Rows,
    int Positions,
    int AcceptedPositions,
    int AcceptedRows,
    int RejectedRows,
    int DuplicateRows,
    int NotWrittenRows,
    bool DryRun,
    EmissionReport? Report)
{
    /// <summary>True when every row was accepted (or, in a dry run, would be).</summary>
    public bool AllAccepted => RejectedRows == 0 && DuplicateRows == 0 && NotWrittenRows == 0;
}

/// <summary>
/// Bulk issuance of debt positions from a CSV or JSON Lines file (docs/issuance.md). Rows are read as a stream and
/// handled in batches: each batch is validated in memory, staged with binary COPY, checked for duplicates against the
/// database in one statement, numbered from the IUV counter and inserted set-based. A rejected row never stops the
/// good ones, unless <see cref="ImportOptions.AllOrNothing"/>; a position is never written in part. The CLI
/// (<c>pgw positions import</c>) and an HTTP background job call the same <see cref="ImportAsync"/>.
/// </summary>
public sealed class PositionImporter(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>Imports (or dry-runs) <paramref name="stream"/> for <paramref name="organization"/>.</summary>
    /// <exception cref="ImportFileException">The file as a whole is unusable (encoding, header); nothing was written.</exception>
    /// <exception cref="InvalidOperationException">The EC is unknown or has no segregation code.</exception>
    public async Task<ImportResult> ImportAsync(Stream stream, ImportFormat format, OrganizationFiscalCode organization,
        ImportOptions options, IRowOutcomeSink? sink, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        var allocator = new IuvAllocator(dataSource);
        var segregation = await allocator.SegregationCodeOfAsync(organization, cancellationToken)
            ?? throw new InvalidOperationException($"EC {organization} is not a creditor with a segregation code: register it first");
        var run = new Run(this, allocator, organization, segregation, options, sink,
            new PositionParser(organization, segregation, await LoadIbansAsync(cancellationToken), RomeCalendar.Today(time)),
            options.DryRun ? new EmissionDryRun(organization, options.TopChanges) : null);
        try
        {
            await run.ReadAsync(ImportFileReader.ReadAsync(stream, format, cancellationToken), cancellationToken);
            return await run.CompleteAsync(cancellationToken);
        }
        finally
        {
            await run.DisposeAsync();
        }
    }

    private NpgsqlDataSource DataSource => dataSource;

    private TimeProvider Time => time;

    private async Task<RegisteredIbans> LoadIbansAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            select organization_fiscal_code, iban from creditor_ibans
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string, string)>(new CommandDefinition(sql, cancellationToken: cancellationToken));
        return new RegisteredIbans(rows);
    }

    /// <summary>One position as read: its rows and, once decided, its fate.</summary>
    private sealed class Group(List<RawRow> rows)
    {
        public List<RawRow> Rows { get; } = rows;
        public string? Iupd { get; set; }
        public PositionDraft? Draft { get; set; }
        public List<RowError> Errors { get; set; } = [];
        public RowStatus Status { get; set; } = RowStatus.Rejected;
        public Dictionary<int, string> Notices { get; } = [];
    }

    private sealed class Run(PositionImporter importer, IuvAllocator allocator, OrganizationFiscalCode organization,
        SegregationCode segregation, ImportOptions options, IRowOutcomeSink? sink, PositionParser parser, EmissionDryRun? dryRun) : IAsyncDisposable
    {
        private readonly IssuanceBatchWriter _writer = new(organization, importer.Time);
        private readonly Dictionary<string, int> _iupds = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _notices = new(StringComparer.Ordinal);
        private readonly List<Group> _batch = [];
        // All-or-nothing: one connection and transaction for the whole file, and outcomes held back until we know.
        private readonly List<RowOutcome> _heldBack = [];
        private NpgsqlConnection? _fileConnection;
        private NpgsqlTransaction? _fileTransaction;
        private bool _failed;
        private int _batchDrafts;
        private Task? _inFlight;
        private int _rows, _positions, _acceptedPositions, _accepted, _rejected, _duplicates, _notWritten;

        public async Task ReadAsync(IAsyncEnumerable<RawRow> rows, CancellationToken cancellationToken)
        {
            var iupdSlot = ImportColumns.SlotOf(ImportColumns.Iupd);
            List<RawRow>? open = null;
            RawRow? unreadable = null;
            await foreach (var row in rows)
            {
                _rows++;
                if (row.ReadError is not null)
                {
                    if (unreadable is not null)
                    {
                        await AddAsync([unreadable], cancellationToken);
                    }
                    unreadable = row;
                    continue;
                }
                var iupd = row[iupdSlot];
                if (open is not null && iupd is not null && iupd == open[0][iupdSlot])
                {
                    // An unreadable line between two rows of one position belongs to it: the position is rejected whole.
                    if (unreadable is not null)
                    {
                        open.Add(unreadable);
                        unreadable = null;
                    }
                    open.Add(row);
                    continue;
                }
                if (open is not null)
                {
                    await AddAsync(open, cancellationToken);
                }
                if (unreadable is not null)
                {
                    await AddAsync([unreadable], cancellationToken);
                    unreadable = null;
                }
                open = [row];
                if (iupd is null)
                {
                    // Without an IUPD a row is a position of its own (installments need an IUPD to be grouped).
                    await AddAsync(open, cancellationToken);
                    open = null;
                }
            }
            if (open is not null)
            {
                await AddAsync(open, cancellationToken);
            }
            if (unreadable is not null)
            {
                await AddAsync([unreadable], cancellationToken);
            }
            await FlushAsync(cancellationToken);
            await DrainAsync();
        }

        private async Task AddAsync(List<RawRow> rows, CancellationToken cancellationToken)
        {
            _positions++;
            var group = new Group(rows);
            var (draft, errors) = parser.Parse(rows);
            group.Iupd = draft?.Iupd ?? rows.Select(r => r[ImportColumns.SlotOf(ImportColumns.Iupd)]).FirstOrDefault(i => i is not null);
            group.Errors = errors;
            if (draft is not null)
            {
                var firstLine = rows.Min(r => r.Line);
                if (_iupds.TryGetValue(draft.Iupd, out var earlier))
                {
                    group.Status = RowStatus.Duplicate;
                    group.Errors.Add(new RowError(firstLine, ImportColumns.Iupd, $"iupd {draft.Iupd} already appears at line {earlier} of this file"));
                }
                else
                {
                    _iupds.Add(draft.Iupd, firstLine);
                    foreach (var option in draft.Options.Where(o => o.Notice is not null))
                    {
                        if (!_notices.TryAdd(option.Notice!.Value.Value, option.Line))
                        {
                            group.Status = RowStatus.Duplicate;
                            group.Errors.Add(new RowError(option.Line, ImportColumns.NoticeNumber, $"notice number {option.Notice} already appears at line {_notices[option.Notice.Value.Value]} of this file"));
                        }
                    }
                    if (group.Errors.Count == 0)
                    {
                        group.Draft = draft;
                    }
                }
            }
            else if (group.Iupd is not null)
            {
                _iupds.TryAdd(group.Iupd, rows.Min(r => r.Line));
            }
            _batch.Add(group);
            if (group.Draft is not null && ++_batchDrafts >= options.BatchSize)
            {
                await FlushAsync(cancellationToken);
            }
        }

        /// <summary>
        /// Hands the batch to the database while the next one is parsed: reading and validating (CPU) overlap with
        /// COPY and inserts (database). One batch is in flight at a time, so outcomes still come out in line order.
        /// </summary>
        private async Task FlushAsync(CancellationToken cancellationToken)
        {
            var batch = _batch.ToList();
            _batch.Clear();
            _batchDrafts = 0;
            if (_inFlight is not null)
            {
                await _inFlight;
            }
            _inFlight = Task.Run(() => ProcessAsync(batch, cancellationToken), cancellationToken);
        }

        public async Task DrainAsync()
        {
            if (_inFlight is not null)
            {
                var inFlight = _inFlight;
                _inFlight = null;
                await inFlight;
            }
        }

        private async Task ProcessAsync(List<Group> batch, CancellationToken cancellationToken)
        {
            var candidates = batch.Where(g => g.Draft is not null).ToList();
            if (options.AllOrNothing && !options.DryRun && !_failed && candidates.Count < batch.Count)
            {
                await FailAsync(cancellationToken);
            }
            if (candidates.Count > 0)
            {
                if (options.DryRun)
                {
                    await DryRunBatchAsync(candidates, cancellationToken);
                }
                else if (options.AllOrNothing)
                {
                    await AllOrNothingBatchAsync(candidates, cancellationToken);
                }
                else
                {
                    await WriteBatchAsync(candidates, cancellationToken);
                }
            }
            _acceptedPositions += batch.Count(g => g.Status is RowStatus.Accepted or RowStatus.Valid);
            if (dryRun is not null)
            {
                foreach (var group in batch.Where(g => g.Status is RowStatus.Rejected or RowStatus.Duplicate))
                {
                    dryRun.AddProblems(group.Status, group.Rows.Count, group.Errors);
                }
            }
            foreach (var outcome in batch.SelectMany(Outcomes).OrderBy(o => o.Line))
            {
                Count(outcome);
                if (options.AllOrNothing && !options.DryRun)
                {
                    _heldBack.Add(outcome);
                }
                else if (sink is not null)
                {
                    await sink.WriteAsync(outcome, cancellationToken);
                }
            }
        }

        private async Task DryRunBatchAsync(List<Group> candidates, CancellationToken cancellationToken)
        {
            await using var connection = await importer.DataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var duplicates = await _writer.StageAsync(connection, candidates.Select(g => g.Draft!).ToList(), cancellationToken);
            await transaction.RollbackAsync(cancellationToken);
            for (var i = 0; i < candidates.Count; i++)
            {
                if (duplicates.TryGetValue(i, out var reason))
                {
                    MarkDuplicate(candidates[i], reason);
                    dryRun!.Add(candidates[i].Draft!, wouldIssue: false);
                }
                else
                {
                    candidates[i].Status = RowStatus.Valid;
                    dryRun!.Add(candidates[i].Draft!, wouldIssue: true);
                }
            }
        }

        private async Task WriteBatchAsync(List<Group> candidates, CancellationToken cancellationToken)
        {
            // One retry: an EC-supplied notice number inserted by a concurrent import between our duplicate check and
            // our insert violates the unique index, and two imports of the same IUPDs in different orders can
            // deadlock; the second attempt sees the other import's rows and reports them as duplicates.
            for (var attempt = 1; ; attempt++)
            {
                await using var connection = await importer.DataSource.OpenConnectionAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                try
                {
                    await StageAndInsertAsync(connection, candidates, cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                    return;
                }
                catch (PostgresException e) when (e.SqlState is (PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected) && attempt == 1)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    foreach (var group in candidates)
                    {
                        group.Status = RowStatus.Rejected;
                        group.Notices.Clear();
                        group.Errors.Clear();
                    }
                }
            }
        }

        private async Task AllOrNothingBatchAsync(List<Group> candidates, CancellationToken cancellationToken)
        {
            if (_failed)
            {
                // Nothing will be written any more; still find the duplicates so the report is complete.
                await using var connection = await importer.DataSource.OpenConnectionAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var duplicates = await _writer.StageAsync(connection, candidates.Select(g => g.Draft!).ToList(), cancellationToken);
                for (var i = 0; i < candidates.Count; i++)
                {
                    if (duplicates.TryGetValue(i, out var reason))
                    {
                        MarkDuplicate(candidates[i], reason);
                    }
                    else
                    {
                        candidates[i].Status = RowStatus.NotWritten;
                    }
                }
                return;
            }
            _fileConnection ??= await importer.DataSource.OpenConnectionAsync(cancellationToken);
            _fileTransaction ??= await _fileConnection.BeginTransactionAsync(cancellationToken);
            await StageAndInsertAsync(_fileConnection, candidates, cancellationToken);
            if (candidates.Any(g => g.Status != RowStatus.Accepted))
            {
                await FailAsync(cancellationToken);
            }
        }

        private async Task StageAndInsertAsync(NpgsqlConnection connection, List<Group> candidates, CancellationToken cancellationToken)
        {
            var drafts = candidates.Select(g => g.Draft!).ToList();
            var duplicates = await _writer.StageAsync(connection, drafts, cancellationToken);
            foreach (var (index, reason) in duplicates)
            {
                MarkDuplicate(candidates[index], reason);
            }

            // Numbers are reserved only for what will be written: rejected rows and duplicates consume none.
            var supplied = drafts.Where((_, i) => !duplicates.ContainsKey(i)).SelectMany(d => d.Options).Where(o => o.Notice is not null).ToList();
            if (supplied.Count > 0)
            {
                await allocator.ReserveSuppliedAsync(organization, segregation, supplied.Max(o => o.Notice!.Value.Iuv.Base), cancellationToken);
            }
            var needed = drafts.Where((_, i) => !duplicates.ContainsKey(i)).Sum(d => d.Options.Count(o => o.Notice is null));
            var fresh = needed > 0 ? await allocator.AllocateAsync(organization, segregation, needed, cancellationToken) : [];
            var notices = new NoticeNumber[]?[drafts.Count];
            var next = 0;
            for (var i = 0; i < drafts.Count; i++)
            {
                if (duplicates.ContainsKey(i))
                {
                    continue;
                }
                notices[i] = IssuanceBatchWriter.OrderedOptions(drafts[i]).Select(o => o.Notice ?? fresh[next++]).ToArray();
                var k = 0;
                foreach (var option in IssuanceBatchWriter.OrderedOptions(drafts[i]))
                {
                    candidates[i].Notices[option.Line] = notices[i]![k++].Value;
                }
            }

            var lost = await _writer.InsertAsync(connection, drafts, notices, cancellationToken);
            foreach (var index in lost)
            {
                MarkDuplicate(candidates[index], $"iupd {drafts[index].Iupd} was issued by another import meanwhile");
            }
            foreach (var group in candidates.Where(g => g.Status == RowStatus.Rejected && g.Draft is not null && g.Errors.Count == 0))
            {
                group.Status = RowStatus.Accepted;
            }
        }

        private static void MarkDuplicate(Group group, string reason)
        {
            group.Status = RowStatus.Duplicate;
            group.Notices.Clear();
            group.Errors.Add(new RowError(group.Rows.Min(r => r.Line), ImportColumns.Iupd, reason));
        }

        private async Task FailAsync(CancellationToken cancellationToken)
        {
            _failed = true;
            if (_fileTransaction is not null)
            {
                await _fileTransaction.RollbackAsync(cancellationToken);
                await _fileTransaction.DisposeAsync();
                _fileTransaction = null;
            }
        }

        private IEnumerable<RowOutcome> Outcomes(Group group)
        {
            var lines = group.Rows.Select(r => r.Line).Order().ToList();
            foreach (var line in lines)
            {
                var own = group.Errors.Where(e => e.Line == line).ToList();
                if (own.Count == 0 && group.Errors.Count > 0)
                {
                    // The row itself is fine, but its position is not: say where to look.
                    var culprit = group.Errors[0].Line;
                    own.Add(new RowError(line, null, culprit == line ? group.Errors[0].Message : $"position rejected because of line {culprit}"));
                }
                yield return new RowOutcome(line, group.Iupd, group.Status, group.Notices.GetValueOrDefault(line), own);
            }
        }

        private void Count(RowOutcome outcome)
        {
            switch (outcome.Status)
            {
                case RowStatus.Accepted or RowStatus.Valid:
                    _accepted++;
                    break;
                case RowStatus.Duplicate:
                    _duplicates++;
                    break;
                case RowStatus.NotWritten:
                    _notWritten++;
                    break;
                default:
                    _rejected++;
                    break;
            }
        }

        public async Task<ImportResult> CompleteAsync(CancellationToken cancellationToken)
        {
            if (options.AllOrNothing && !options.DryRun)
            {
                if (!_failed && _fileTransaction is not null)
                {
                    await _fileTransaction.CommitAsync(cancellationToken);
                    _fileTransaction = null;
                }
                foreach (var outcome in _heldBack)
                {
                    var held = _failed && outcome.Status == RowStatus.Accepted
                        ? outcome with { Status = RowStatus.NotWritten, NoticeNumber = null }
                        : outcome;
                    if (held != outcome)
                    {
                        _accepted--;
                        _notWritten++;
                    }
                    if (sink is not null)
                    {
                        await sink.WriteAsync(held, cancellationToken);
                    }
                }
            }
            if (options.AllOrNothing && !options.DryRun && _failed)
            {
                _acceptedPositions = 0;
            }
            var report = dryRun is null ? null : await dryRun.CompleteAsync(importer.DataSource, _rows, _rejected, cancellationToken);
            return new ImportResult(_rows, _positions, _acceptedPositions, _accepted, _rejected, _duplicates, _notWritten, options.DryRun, report);
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                // A batch may still be in flight when reading failed; it must finish before its connection goes.
                await DrainAsync();
            }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException or InvalidOperationException)
            {
                // The exception that stopped the import is already on its way to the caller.
            }
            if (_fileTransaction is not null)
            {
                await _fileTransaction.DisposeAsync();
            }
            if (_fileConnection is not null)
            {
                await _fileConnection.DisposeAsync();
            }
        }
    }
}
