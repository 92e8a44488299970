using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Npgsql;
using PaymentGateway.Core;
using PaymentGateway.Notices.Issuance;

namespace PaymentGateway.Gateway.Api.Imports;

/// <summary>
/// Runs the upload jobs of this instance, one at a time: an import already keeps the database busy with COPY and
/// set-based inserts, and two at once would only compete for the same connections and the IUV counter. The queue is
/// bounded; it holds job ids only, the files wait on disk. At start-up, the jobs this instance left behind are
/// settled: a job that was running is failed (an import cannot resume mid-file), a queued one whose file survived is
/// run, one whose file is gone is failed. At start-up and every <see cref="StaleAfter"/>, a sweep fails the running jobs
/// of instances that died and deletes the jobs finished longer than <see cref="ImportJobOptions.Retention"/> ago.
/// </summary>
internal sealed partial class ImportJobWorker(ImportJobStore store, NpgsqlDataSource dataSource, TimeProvider time,
    IOptions<ImportJobOptions> options, ILogger<ImportJobWorker> logger) : BackgroundService
{
    private const int Capacity = 1_000;
    private readonly Channel<Guid> _queue = Channel.CreateBounded<Guid>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Queues a job created by this instance (waits while the queue is full).</summary>
    public ValueTask EnqueueAsync(Guid id, CancellationToken cancellationToken) => _queue.Writer.WriteAsync(id, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await RecoverAsync(stoppingToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // Not fatal: the jobs stay as they are and are settled at the next start.
            LogRecoveryFailed(logger, e.Message);
        }
        var sweeping = SweepAsync(stoppingToken);
        try
        {
            await foreach (var id in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await RunAsync(id, stoppingToken);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    // Claiming the job failed: it stays queued and is picked up at the next start.
                    LogRecoveryFailed(logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; queued jobs keep their files and run at the next start.
        }
        await sweeping;
    }

    // Long-lived instances also settle the jobs of instances that died meanwhile, not only at start-up, and drop the
    // jobs past their retention.
    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(StaleAfter, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SettleStaleAsync(stoppingToken);
                    await PurgeAsync(stoppingToken);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or UnauthorizedAccessException)
                {
                    LogRecoveryFailed(logger, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>How often a running job's heartbeat is written.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(30);

    /// <summary>A running job whose heartbeat is older than this belongs to an instance that died.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(5);

    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        // Jobs of instances that died (any instance: one may never come back), jobs past their retention, then what
        // this instance left behind.
        await SettleStaleAsync(cancellationToken);
        try
        {
            await PurgeAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogRecoveryFailed(logger, e.Message);
        }
        foreach (var (id, status, path) in await store.UnfinishedAsync(options.Value.InstanceName, cancellationToken))
        {
            if (status == ImportJobStore.Queued && File.Exists(path))
            {
                if (!_queue.Writer.TryWrite(id))
                {
                    break; // The rest stay queued for the next start.
                }
                continue;
            }
            await store.FailAsync(id, ImportJobStore.Interrupted, time.GetUtcNow(), cancellationToken);
            DeleteQuietly(path);
            LogInterrupted(logger, id);
        }
    }

    private async Task RunAsync(Guid id, CancellationToken stoppingToken)
    {
        var job = await store.FindAsync(id, stoppingToken);
        if (job is null || !await store.StartAsync(id, time.GetUtcNow(), stoppingToken))
        {
            return;
        }
        var outcomePath = job.UploadPath + ".outcome.csv";
        using var beating = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var heartbeat = BeatAsync(id, beating.Token);
        try
        {
            var format = job.Format == "jsonl" ? ImportFormat.JsonLines : ImportFormat.Csv;
            await using var input = new FileStream(job.UploadPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            // The outcome goes to disk as the import produces it and to the database as a stream: neither the upload
            // nor its outcome is ever held whole in memory.
            await using var outcome = new FileStream(outcomePath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            ImportResult result;
            await using (var writer = new StreamWriter(outcome, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16, leaveOpen: true))
            {
                result = await new PositionImporter(dataSource, time).ImportAsync(input, format, OrganizationFiscalCode.Parse(job.Organization),
                    new ImportOptions(job.DryRun, job.AllOrNothing), new OutcomeCsvWriter(writer), stoppingToken);
            }
            outcome.Position = 0;
            var report = result.Report is { } emission ? EmissionReportWriter.ToMarkdown(emission) : null;
            await store.SucceedAsync(id, result, outcome, report, time.GetUtcNow(), stoppingToken);
            LogSucceeded(logger, id, job.Organization, result.Rows, result.AcceptedRows, result.RejectedRows, result.DuplicateRows);
        }
        catch (ImportFileException e)
        {
            await FailAsync(id, $"{e.Error}; nothing was written", stoppingToken);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("segregation code", StringComparison.Ordinal))
        {
            await FailAsync(id, e.Message, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown mid-run: say so now rather than at the next start (bounded, the database may be what is failing).
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            await FailAsync(id, ImportJobStore.Interrupted, bounded.Token);
        }
        catch (Exception e)
        {
            // Whatever went wrong (database down, a bug), the job must end as failed and the worker go on with the next
            // one: an exception escaping a BackgroundService stops the whole gateway.
            LogFailed(logger, e, id);
            await FailAsync(id, $"the import failed: {e.Message}", stoppingToken);
        }
        finally
        {
            await beating.CancelAsync();
            await heartbeat;
            DeleteQuietly(job.UploadPath);
        }
    }

    private async Task SettleStaleAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var stale in await store.FailStaleAsync(now - StaleAfter, now, cancellationToken))
        {
            LogInterrupted(logger, stale);
        }
    }

    // Finished jobs older than the retention go, with their outcome CSV and report (both in the row) and any file of
    // theirs still on this instance's disk.
    private async Task PurgeAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var before = time.GetUtcNow() - settings.Retention;
        var deleted = await store.DeleteFinishedAsync(before, cancellationToken);
        foreach (var (_, instance, path) in deleted)
        {
            if (instance == settings.InstanceName)
            {
                DeleteQuietly(path);
            }
        }
        // Files no job row points to any more: the job was failed by another instance while this one was down and then
        // purged, its row was purged by another instance, or a crash cut the upload short. Their names start with the
        // job id, a uuid v7, which says when the upload arrived.
        var leftovers = LeftoverFiles(settings.UploadDirectory, before);
        if (leftovers.Count > 0)
        {
            var existing = await store.ExistingAsync(leftovers.Select(f => f.Id).Distinct().ToList(), cancellationToken);
            foreach (var (_, path) in leftovers.Where(f => !existing.Contains(f.Id)))
            {
                DeleteQuietly(path);
            }
        }
        if (deleted.Count > 0)
        {
            LogPurged(logger, deleted.Count, settings.Retention);
        }
    }

    private static List<(Guid Id, string Path)> LeftoverFiles(string directory, DateTimeOffset before)
    {
        var files = new List<(Guid, string)>();
        if (!Directory.Exists(directory))
        {
            return files;
        }
        // {id}.upload and {id}.upload.outcome.csv
        foreach (var path in Directory.EnumerateFiles(directory, "*.upload*"))
        {
            var name = Path.GetFileName(path);
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0 && Guid.TryParseExact(name[..dot], "D", out var id) && id.Version == 7 && UploadedAt(id) < before)
            {
                files.Add((id, path));
            }
        }
        return files;
    }

    // A uuid v7 starts with its creation time: 48 bits of Unix milliseconds, big-endian.
    private static DateTimeOffset UploadedAt(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        long milliseconds = 0;
        foreach (var b in bytes[..6])
        {
            milliseconds = (milliseconds << 8) | b;
        }
        return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
    }

    // While a job runs, tell the other instances this one is alive (see ImportJobStore.FailStaleAsync).
    private async Task BeatAsync(Guid id, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await store.HeartbeatAsync(id, time.GetUtcNow(), cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or NpgsqlException or TimeoutException)
        {
            // Stopped with its job, or the database is away: a missed beat only risks the job being called stale late.
        }
    }

    private async Task FailAsync(Guid id, string error, CancellationToken cancellationToken)
    {
        try
        {
            await store.FailAsync(id, error, time.GetUtcNow(), cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            // The job stays "running"; the next start of this instance marks it interrupted.
            LogRecoveryFailed(logger, e.Message);
        }
    }

    private void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogDeleteFailed(logger, path, e.Message);
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information,
        Message = "Import job {Id} for EC {Organization} finished: {Rows} rows, {Accepted} accepted, {Rejected} rejected, {Duplicate} duplicate")]
    private static partial void LogSucceeded(ILogger logger, Guid id, string organization, int rows, int accepted, int rejected, int duplicate);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Import job {Id} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, Guid id);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Import job {Id} was interrupted (instance stopped mid-run); marked failed")]
    private static partial void LogInterrupted(ILogger logger, Guid id);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Import jobs: could not update the job table: {Reason}")]
    private static partial void LogRecoveryFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "Import jobs: could not delete {Path}: {Reason}")]
    private static partial void LogDeleteFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Information, Message = "Import jobs: deleted {Count} jobs finished more than {Retention} ago")]
    private static partial void LogPurged(ILogger logger, int count, TimeSpan retention);
}
