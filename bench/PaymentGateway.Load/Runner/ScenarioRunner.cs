using System.Diagnostics;
using HdrHistogram;
using PaymentGateway.Load.Model;
using static System.FormattableString;

namespace PaymentGateway.Load.Runner;

/// <summary>
/// Drives a <see cref="Scenario"/> with a <see cref="LoadSimulation"/>: a warm-up at the same shape (not recorded), then
/// the measured run with every call's latency in an HdrHistogram (microseconds, 3 significant digits).
/// </summary>
public sealed class ScenarioRunner(TimeSpan warmUp, TextWriter log)
{
    private const long HighestMicroseconds = 120_000_000;

    public async Task<ScenarioResult> RunAsync(Scenario scenario, LoadSimulation simulation, Thresholds thresholds, CancellationToken cancellationToken)
    {
        var iterations = new IterationSource(scenario.MaxIterations);
        if (warmUp > TimeSpan.Zero)
        {
            await log.WriteLineAsync(Invariant($"  {scenario.Name}: warm-up {warmUp.TotalSeconds:0} s, {Describe(simulation)}"));
            await DriveAsync(scenario, simulation with { Duration = warmUp }, iterations, histogram: null, cancellationToken);
        }

        var histogram = new LongConcurrentHistogram(1, HighestMicroseconds, 3);
        await log.WriteLineAsync(Invariant($"  {scenario.Name}: measuring {simulation.Duration.TotalSeconds:0} s, {Describe(simulation)}"));
        var (ok, errors, elapsed) = await DriveAsync(scenario, simulation, iterations, histogram, cancellationToken);

        TimeSpan At(double percentile) => histogram.TotalCount == 0 ? TimeSpan.Zero : TimeSpan.FromMicroseconds(histogram.GetValueAtPercentile(percentile));
        var result = new ScenarioResult(scenario.Name, simulation, ok, errors, elapsed, At(50), At(95), At(99),
            histogram.TotalCount == 0 ? TimeSpan.Zero : TimeSpan.FromMicroseconds(histogram.GetMaxValue()),
            iterations.Exhausted, []);
        result = result with { ThresholdFailures = Check(result, thresholds) };
        await log.WriteLineAsync(Invariant(
            $"  {scenario.Name}: {result.Throughput:0.0}/s ok={ok} errors={errors} p50={Ms(result.P50)} p95={Ms(result.P95)} p99={Ms(result.P99)} max={Ms(result.Max)}{(result.ThresholdsPassed ? "" : " THRESHOLDS: " + string.Join("; ", result.ThresholdFailures))}"));
        return result;
    }

    public static string Describe(LoadSimulation simulation) => simulation switch
    {
        LoadSimulation.Closed c => Invariant($"closed, {c.Concurrency} concurrent"),
        LoadSimulation.Open o => Invariant($"open, {o.RatePerSecond:0.#}/s"),
        _ => throw new ArgumentOutOfRangeException(nameof(simulation)),
    };

    public static string Ms(TimeSpan t) => Invariant($"{t.TotalMilliseconds:0.0} ms");

    private static List<string> Check(ScenarioResult r, Thresholds t)
    {
        var failures = new List<string>();
        void Limit(string name, TimeSpan measured, TimeSpan? limit)
        {
            if (limit is { } l && measured > l)
            {
                failures.Add(Invariant($"{name} {Ms(measured)} > {Ms(l)}"));
            }
        }
        Limit("p50", r.P50, t.P50);
        Limit("p95", r.P95, t.P95);
        Limit("p99", r.P99, t.P99);
        if (t.MaxErrorRate is { } e && r.ErrorRate > e)
        {
            failures.Add(Invariant($"error rate {r.ErrorRate:P2} > {e:P2}"));
        }
        if (r.RanOutOfIterations)
        {
            failures.Add("ran out of iterations before the end of the run");
        }
        return failures;
    }

    private static Task<(long Ok, long Errors, TimeSpan Elapsed)> DriveAsync(Scenario scenario, LoadSimulation simulation, IterationSource iterations,
        LongConcurrentHistogram? histogram, CancellationToken cancellationToken) => simulation switch
    {
        LoadSimulation.Closed c => ClosedAsync(scenario, c, iterations, histogram, cancellationToken),
        LoadSimulation.Open o => OpenAsync(scenario, o, iterations, histogram, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(simulation)),
    };

    private static async Task<(long, long, TimeSpan)> ClosedAsync(Scenario scenario, LoadSimulation.Closed closed, IterationSource iterations,
        LongConcurrentHistogram? histogram, CancellationToken cancellationToken)
    {
        var counters = new Counters();
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(closed.Duration.TotalSeconds * Stopwatch.Frequency);
        var users = Enumerable.Range(0, closed.Concurrency).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < end && !cancellationToken.IsCancellationRequested && iterations.TryNext(out var iteration))
            {
                var sent = Stopwatch.GetTimestamp();
                var ok = await InvokeAsync(scenario, iteration, cancellationToken);
                counters.Record(histogram, sent, ok);
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(users);
        return (counters.Ok, counters.Errors, Stopwatch.GetElapsedTime(start));
    }

    private static async Task<(long, long, TimeSpan)> OpenAsync(Scenario scenario, LoadSimulation.Open open, IterationSource iterations,
        LongConcurrentHistogram? histogram, CancellationToken cancellationToken)
    {
        var counters = new Counters();
        var total = (long)(open.RatePerSecond * open.Duration.TotalSeconds);
        var interval = Stopwatch.Frequency / open.RatePerSecond;
        var calls = new List<Task>((int)Math.Min(total, 1_000_000));
        var start = Stopwatch.GetTimestamp();
        for (long n = 0; n < total && !cancellationToken.IsCancellationRequested; n++)
        {
            var scheduled = start + (long)(n * interval);
            var wait = scheduled - Stopwatch.GetTimestamp();
            if (wait > Stopwatch.Frequency / 1000)
            {
                // Timers tick about every millisecond: a call may leave up to that early, never late on our account.
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), cancellationToken);
            }
            if (!iterations.TryNext(out var iteration))
            {
                break;
            }
            // Started right here, not through Task.Run: the call is on the wire before the loop waits for the next
            // one, instead of after a trip through the thread pool's queue (which, on 2 busy cores, was milliseconds
            // of latency that belonged to this client, not to the server).
            calls.Add(CallAsync(scheduled, iteration));
        }
        await Task.WhenAll(calls);
        return (counters.Ok, counters.Errors, Stopwatch.GetElapsedTime(start));

        async Task CallAsync(long scheduled, int iteration)
        {
            // Latency from the scheduled start (or the real one when a call left early): a queue in the server or
            // in this client shows up as latency instead of silently lowering the rate.
            var sent = Math.Min(scheduled, Stopwatch.GetTimestamp());
            var ok = await InvokeAsync(scenario, iteration, cancellationToken);
            counters.Record(histogram, sent, ok);
        }
    }

    private static async Task<bool> InvokeAsync(Scenario scenario, int iteration, CancellationToken cancellationToken)
    {
        try
        {
            return await scenario.Step(iteration, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or Npgsql.NpgsqlException or InvalidOperationException
            && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private sealed class Counters
    {
        private long _ok;
        private long _errors;

        public long Ok => Interlocked.Read(ref _ok);

        public long Errors => Interlocked.Read(ref _errors);

        public void Record(LongConcurrentHistogram? histogram, long sentTimestamp, bool ok)
        {
            if (histogram is null)
            {
                return;
            }
            var micros = (Stopwatch.GetTimestamp() - sentTimestamp) * 1_000_000 / Stopwatch.Frequency;
            histogram.RecordValue(Math.Clamp(micros, 1, HighestMicroseconds));
            Interlocked.Increment(ref ok ? ref _ok : ref _errors);
        }
    }

    /// <summary>Hands out iteration numbers once each, up to an optional limit, across warm-up and measurement.</summary>
    private sealed class IterationSource(int? max)
    {
        private int _next = -1;

        public bool Exhausted { get; private set; }

        public bool TryNext(out int iteration)
        {
            iteration = Interlocked.Increment(ref _next);
            if (max is { } m && iteration >= m)
            {
                Exhausted = true;
                return false;
            }
            return true;
        }
    }
}
