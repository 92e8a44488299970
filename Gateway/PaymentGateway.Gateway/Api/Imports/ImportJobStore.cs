using System.Data;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using PaymentGateway.Notices.Issuance;

namespace PaymentGateway.Gateway.Api.Imports;

/// <summary>A job as stored in <c>import_jobs</c> (without its outcome and report, which are served as streams).</summary>
internal sealed record ImportJob(Guid Id, string Organization, string Format, bool DryRun, bool AllOrNothing, string Status, string Instance,
    string UploadPath, long UploadBytes, int? Rows, int? Positions, int? AcceptedPositions, int? AcceptedRows, int? RejectedRows, int? DuplicateRows,
    int? NotWrittenRows, string? Error, DateTime CreatedAt, DateTime? StartedAt, DateTime? FinishedAt, bool HasOutcome, bool HasReport);

/// <summary>
/// The <c>import_jobs</c> table: created by the upload, claimed and finished by the worker of the instance holding the
/// file, read by any instance. Status moves queued → running → succeeded | failed, each step guarded by the status it
/// leaves, so a job is never run twice.
/// </summary>
internal sealed class ImportJobStore(NpgsqlDataSource dataSource)
{
    public const string Queued = "queued", Running = "running", Succeeded = "succeeded", Failed = "failed";

    /// <summary>What a job that stopped mid-run (its instance died or shut down) reports.</summary>
    public const string Interrupted = "interrupted; upload the file again — rows already accepted are reported as duplicates";

    public async Task CreateAsync(Guid id, string organization, ImportFormat format, bool dryRun, bool allOrNothing, string instance, string uploadPath,
        long uploadBytes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            insert into import_jobs (id, organization_fiscal_code, format, dry_run, all_or_nothing, status, instance, upload_path, upload_bytes, created_at)
            values (@id, @organization, @format, @dryRun, @allOrNothing, 'queued', @instance, @uploadPath, @uploadBytes, @now)
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new
        {
            id,
            organization,
            format = FormatName(format),
            dryRun,
            allOrNothing,
            instance,
            uploadPath,
            uploadBytes,
            now,
        }, cancellationToken: cancellationToken));
    }

    public async Task<ImportJob?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        const string sql = """
            select id, organization_fiscal_code as organization, format, dry_run as dryrun, all_or_nothing as allornothing, status, instance,
                   upload_path as uploadpath, upload_bytes as uploadbytes, rows, positions, accepted_positions as acceptedpositions,
                   accepted_rows as acceptedrows, rejected_rows as rejectedrows, duplicate_rows as duplicaterows,
                   not_written_rows as notwrittenrows, error, created_at as createdat, started_at as startedat, finished_at as finishedat,
                   outcome_csv is not null as hasoutcome, report_md is not null as hasreport
            from import_jobs
            where id = @id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ImportJob>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Queued → running; false when the job is not queued any more (another worker, or failed meanwhile).</summary>
    public async Task<bool> StartAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            update import_jobs set status = 'running', started_at = @now, heartbeat_at = @now where id = @id and status = 'queued'
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(sql, new { id, now }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Running → succeeded, with the counts, the outcome CSV (streamed from <paramref name="outcome"/>) and the dry-run report.</summary>
    public async Task SucceedAsync(Guid id, ImportResult result, Stream outcome, string? reportMarkdown, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        const string sql = """
            update import_jobs
            set status = 'succeeded', rows = $2, positions = $3, accepted_positions = $4, accepted_rows = $5, rejected_rows = $6,
                duplicate_rows = $7, not_written_rows = $8, outcome_csv = $9, report_md = $10, finished_at = $11, error = null
            where id = $1 and status = 'running'
            """;
        // Plain Npgsql rather than Dapper: the outcome goes to the server as a stream (tens of MB for a big file).
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        foreach (var count in new[] { result.Rows, result.Positions, result.AcceptedPositions, result.AcceptedRows, result.RejectedRows, result.DuplicateRows, result.NotWrittenRows })
        {
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = count });
        }
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = outcome });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)reportMarkdown ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Queued or running → failed with <paramref name="error"/>.</summary>
    public async Task FailAsync(Guid id, string error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            update import_jobs set status = 'failed', error = @error, finished_at = @now where id = @id and status in ('queued', 'running')
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { id, error, now }, cancellationToken: cancellationToken));
    }

    /// <summary>Records that job <paramref name="id"/> is still being run.</summary>
    public async Task HeartbeatAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            update import_jobs set heartbeat_at = @now where id = @id and status = 'running'
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { id, now }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Fails every running job, of any instance, whose heartbeat is older than <paramref name="staleBefore"/>; returns
    /// their ids. Their uploads are on the dead instance's disk, so they cannot be resumed, only reported.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> FailStaleAsync(DateTimeOffset staleBefore, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            update import_jobs set status = 'failed', error = @error, finished_at = @now
            where status = 'running' and coalesce(heartbeat_at, started_at, created_at) < @staleBefore
            returning id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<Guid>(new CommandDefinition(sql, new { error = Interrupted, staleBefore, now }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>
    /// Deletes the jobs that finished (succeeded or failed) before <paramref name="finishedBefore"/>, outcome CSV and
    /// report included; returns each one's instance and upload path, for the caller to remove files left on its disk.
    /// </summary>
    public async Task<IReadOnlyList<(Guid Id, string Instance, string UploadPath)>> DeleteFinishedAsync(DateTimeOffset finishedBefore,
        CancellationToken cancellationToken)
    {
        const string sql = """
            delete from import_jobs where status in ('succeeded', 'failed') and finished_at < @finishedBefore
            returning id, instance, upload_path
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<(Guid, string, string)>(new CommandDefinition(sql, new { finishedBefore }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>Which of <paramref name="ids"/> still have a job row (in any status).</summary>
    public async Task<IReadOnlySet<Guid>> ExistingAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        const string sql = """
            select id from import_jobs where id = any(@ids)
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<Guid>(new CommandDefinition(sql, new { ids = ids.ToArray() }, cancellationToken: cancellationToken))).ToHashSet();
    }

    /// <summary>The unfinished jobs of <paramref name="instance"/> (at start-up: what it left behind), oldest first.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Status, string UploadPath)>> UnfinishedAsync(string instance, CancellationToken cancellationToken)
    {
        const string sql = """
            select id, status, upload_path from import_jobs where instance = @instance and status in ('queued', 'running') order by id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<(Guid, string, string)>(new CommandDefinition(sql, new { instance }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>Copies the outcome CSV of job <paramref name="id"/> to <paramref name="destination"/> without holding it in memory.</summary>
    public async Task CopyOutcomeAsync(Guid id, Stream destination, CancellationToken cancellationToken)
    {
        const string sql = """
            select outcome_csv from import_jobs where id = $1 and outcome_csv is not null
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            await using var stream = await reader.GetStreamAsync(0, cancellationToken);
            await stream.CopyToAsync(destination, cancellationToken);
        }
    }

    public async Task<string?> ReportAsync(Guid id, CancellationToken cancellationToken)
    {
        const string sql = """
            select report_md from import_jobs where id = @id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
    }

    public static string FormatName(ImportFormat format) => format == ImportFormat.JsonLines ? "jsonl" : "csv";
}
