using System.Threading.Channels;
using PaymentGateway.Persistence.Node;

namespace PaymentGateway.Gateway.Soap;

/// <summary>
/// Journal of the Node's calls and of the activations (paGetPayment attempts), written off the request path: records
/// are queued and a background loop writes them in batches with COPY. An activation is an informational record (the
/// receipt is what proves a payment, and GPD keeps none at all), so it does not deserve a durable commit of its own on
/// the Node's clock; after a crash the last quarter-second of attempts may be missing, never a receipt. The queues are
/// bounded; if PostgreSQL is down long enough to fill them, the oldest entries are dropped (and counted in the logs)
/// rather than slowing down or failing the Node's calls.
/// </summary>
internal sealed partial class NodeCallJournal : BackgroundService
{
    private const int Capacity = 100_000;
    private const int BatchSize = 1_000;
    // Each COPY is a transaction with a durable commit: collecting for a moment turns one commit per few calls into
    // one per few hundred. The journal is for operators, a quarter-second later is as good.
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(250);
    private readonly NodeCallStore store;
    private readonly ILogger<NodeCallJournal> logger;
    private readonly Channel<NodeCallRecord> _calls;
    private readonly Channel<PaymentAttemptRecord> _attempts;
    // One flush at a time: a caller's flush then also waits for the batch the background loop is writing.
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private long _dropped;

    public NodeCallJournal(NodeCallStore store, ILogger<NodeCallJournal> logger)
    {
        this.store = store;
        this.logger = logger;
        _calls = Bounded<NodeCallRecord>();
        _attempts = Bounded<PaymentAttemptRecord>();
    }

    public void Record(NodeCallRecord call) => _calls.Writer.TryWrite(call);

    public void Record(PaymentAttemptRecord attempt) => _attempts.Writer.TryWrite(attempt);

    /// <summary>Writes everything recorded before this call, including a batch being written right now (tests, shutdown).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _flushing.WaitAsync(cancellationToken);
        try
        {
            await DrainAsync(_calls.Reader, store.WriteJournalAsync, cancellationToken);
            await DrainAsync(_attempts.Reader, store.WriteAttemptsAsync, cancellationToken);
        }
        finally
        {
            _flushing.Release();
        }
    }

    public override void Dispose()
    {
        _flushing.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.WhenAny(_calls.Reader.WaitToReadAsync(stoppingToken).AsTask(), _attempts.Reader.WaitToReadAsync(stoppingToken).AsTask());
                stoppingToken.ThrowIfCancellationRequested();
                if (_calls.Reader.Count < BatchSize && _attempts.Reader.Count < BatchSize)
                {
                    await Task.Delay(Gather, stoppingToken);
                }
                await FlushAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
            {
                LogWriteFailed(logger, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            if (Interlocked.Exchange(ref _dropped, 0) is > 0 and var dropped)
            {
                LogDropped(logger, dropped);
            }
        }
        // Last chance on shutdown, bounded so a dead database cannot hold the process.
        using var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await FlushAsync(shutdown.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or Npgsql.NpgsqlException or TimeoutException)
        {
            LogWriteFailed(logger, e.Message);
        }
    }

    private Channel<T> Bounded<T>() => Channel.CreateBounded<T>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
        _ => Interlocked.Increment(ref _dropped));

    private static async Task DrainAsync<T>(ChannelReader<T> reader, Func<IReadOnlyList<T>, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var batch = new List<T>(BatchSize);
        while (reader.TryRead(out var item))
        {
            batch.Add(item);
            if (batch.Count == BatchSize)
            {
                await write(batch, cancellationToken);
                batch.Clear();
            }
        }
        if (batch.Count > 0)
        {
            await write(batch, cancellationToken);
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Node call journal: write failed, retrying: {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Node call journal: {Dropped} entries dropped (queue full)")]
    private static partial void LogDropped(ILogger logger, long dropped);
}
