namespace PaymentGateway.Load.Model;

/// <summary>
/// One load scenario, in NBomber's model: a name and a step the runner calls over and over. The step gets the
/// iteration number (0, 1, 2, ... across warm-up and measurement, each handed out once) and answers whether the call
/// succeeded. Scenarios know nothing about how they are driven, so another runner (NBomber) can replace ours.
/// </summary>
/// <param name="Name">Shown in the report.</param>
/// <param name="Step">One call; <c>false</c> (or an exception) counts as an error.</param>
/// <param name="MaxIterations">Iterations available (e.g. distinct notices to pay); the runner stops when they run out.</param>
public sealed record Scenario(string Name, Func<int, CancellationToken, Task<bool>> Step, int? MaxIterations = null);

/// <summary>How a scenario is driven.</summary>
public abstract record LoadSimulation(TimeSpan Duration)
{
    /// <summary>Closed model: <paramref name="Concurrency"/> virtual users, each sending its next call when the last one answers.</summary>
    public sealed record Closed(int Concurrency, TimeSpan Duration) : LoadSimulation(Duration);

    /// <summary>
    /// Open model: calls start at a constant arrival rate whatever the answers do; latency counts from each call's
    /// scheduled start, so a stalled server cannot hide its queue (no coordinated omission).
    /// </summary>
    public sealed record Open(double RatePerSecond, TimeSpan Duration) : LoadSimulation(Duration);
}

/// <summary>Limits a scenario's result must stay within; null means not checked.</summary>
public sealed record Thresholds(TimeSpan? P50 = null, TimeSpan? P95 = null, TimeSpan? P99 = null, double? MaxErrorRate = 0.01);

/// <summary>What one measured run of a scenario gave (the warm-up excluded).</summary>
public sealed record ScenarioResult(
    string Name,
    LoadSimulation Simulation,
    long Ok,
    long Errors,
    TimeSpan Elapsed,
    TimeSpan P50,
    TimeSpan P95,
    TimeSpan P99,
    TimeSpan Max,
    bool RanOutOfIterations,
    IReadOnlyList<string> ThresholdFailures)
{
    public long Requests => Ok + Errors;

    /// <summary>Successful calls per second.</summary>
    public double Throughput => Elapsed > TimeSpan.Zero ? Ok / Elapsed.TotalSeconds : 0;

    public double ErrorRate => Requests == 0 ? 1 : (double)Errors / Requests;

    public bool ThresholdsPassed => ThresholdFailures.Count == 0;
}
