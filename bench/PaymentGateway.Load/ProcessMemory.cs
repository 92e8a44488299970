using System.Globalization;

namespace PaymentGateway.Load;

/// <summary>Resident memory of another process, from /proc/PID/status (Linux): current RSS and its high-water mark.</summary>
public sealed class ProcessMemory(int pid) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _sampling;

    /// <summary>Largest VmRSS seen by the sampler, in bytes.</summary>
    public long MaxSampledRss { get; private set; }

    public void StartSampling(TimeSpan every) => _sampling = Task.Run(async () =>
    {
        while (!_stop.IsCancellationRequested)
        {
            if (Read("VmRSS") is { } rss && rss > MaxSampledRss)
            {
                MaxSampledRss = rss;
            }
            await Task.Delay(every, _stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    });

    /// <summary>The kernel's peak resident set size of the process since it started (VmHWM), in bytes.</summary>
    public long? PeakRss => Read("VmHWM");

    private long? Read(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    var kb = line[(field.Length + 1)..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_sampling is not null)
        {
            await _sampling;
        }
        _stop.Dispose();
    }
}
