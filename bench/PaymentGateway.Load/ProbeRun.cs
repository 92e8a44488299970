using System.Diagnostics;
using System.Globalization;
using System.Net;
using Npgsql;
using PaymentGateway.Load.Model;
using PaymentGateway.Load.Runner;
using PaymentGateway.Load.Scenarios;
using static System.FormattableString;

namespace PaymentGateway.Load;

/// <summary>
/// One scenario against an already running gateway (or baseline), for profiling: prints the throughput and where the
/// CPU went per request (this load generator, the server process, every PostgreSQL process). On 2 shared cores the
/// throughput is CPU-bound, so CPU microseconds per request is the figure an optimisation has to move.
/// </summary>
public static class ProbeRun
{
    public static async Task<int> RunAsync(Arguments args)
    {
        var target = new Uri(args.Required("target"));
        var scenarioName = args.Required("scenario");
        var serverPid = (int)args.Number("pid");
        var duration = TimeSpan.FromSeconds(args.Number("duration", 10));
        var concurrency = (int)args.Number("concurrency", 32);
        // --rate N: an open model at N calls/s (for tail latency at a given load) instead of the closed one.
        var rate = args.Number("rate", 0);
        using var bound = new CancellationTokenSource(duration * 3 + TimeSpan.FromMinutes(1));
        var ct = bound.Token;

        await using var dataSource = NpgsqlDataSource.Create(args.Required("connection"));
        var notices = await DemoNotices.LoadAsync(dataSource, "01199250158", 100_000, ct);
        var readable = notices.Take(notices.Count / 2).ToList();
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = target,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var soap = new SoapClient(http);
        var scenario = scenarioName switch
        {
            "select" => BaselineScenarios.Select(http, readable),
            "insert" => BaselineScenarios.Insert(http, readable),
            "verify" => NodeInterfaceScenarios.Verify(soap, readable),
            "activate" => NodeInterfaceScenarios.GetPaymentV2(soap, readable),
            "receipt" => NodeInterfaceScenarios.FirstReceipts(soap, notices.Skip(notices.Count / 2).Where(n => n.IsSinglePayment).ToList(),
                "P" + Stopwatch.GetTimestamp().ToString("x", CultureInfo.InvariantCulture)[^10..], new ReceiptLedger()),
            "duplicate" => await RedeliveriesAsync(soap, notices.Skip(notices.Count / 2).Where(n => n.IsSinglePayment).Take(2_000).ToList(), ct),
            _ => throw new ArgumentException($"unknown scenario {scenarioName} (select, insert, verify, activate, receipt, duplicate)"),
        };
        var runner = new ScenarioRunner(TimeSpan.FromSeconds(2), Console.Out);
        var before = Snapshot(serverPid);
        LoadSimulation load = rate > 0 ? new LoadSimulation.Open(rate, duration) : new LoadSimulation.Closed(concurrency, duration);
        var result = await runner.RunAsync(scenario, load, new Thresholds(), ct);
        var after = Snapshot(serverPid);
        // The runner's warm-up is inside the window; requests counted are those of the measured part, so scale by time.
        var requests = result.Throughput * (after.Wall - before.Wall).TotalSeconds;
        string PerRequest(double seconds) => Invariant($"{seconds / requests * 1e6:0} µs");
        Console.WriteLine(Invariant($"{scenario.Name}: {result.Throughput:0}/s, p99 {result.P99.TotalMilliseconds:0.0} ms; CPU per request: ") +
            $"load generator {PerRequest(after.Client - before.Client)}, server {PerRequest(after.Server - before.Server)}, " +
            $"PostgreSQL {PerRequest(after.Postgres - before.Postgres)}");
        return 0;
    }

    private sealed record CpuSnapshot(TimeSpan Wall, double Client, double Server, double Postgres);

    // Redeliveries need stored receipts: pay a few notices first (not measured), then send those receipts again.
    private static async Task<Scenario> RedeliveriesAsync(SoapClient soap, IReadOnlyList<PayableNotice> notices, CancellationToken cancellationToken)
    {
        var ledger = new ReceiptLedger();
        var prefix = "D" + Stopwatch.GetTimestamp().ToString("x", CultureInfo.InvariantCulture)[^10..];
        var first = NodeInterfaceScenarios.FirstReceipts(soap, notices, prefix, ledger);
        for (var i = 0; i < notices.Count; i++)
        {
            await first.Step(i, cancellationToken);
        }
        return NodeInterfaceScenarios.DuplicateReceipts(soap, ledger);
    }

    private static CpuSnapshot Snapshot(int serverPid)
    {
        var postgres = Directory.EnumerateDirectories("/proc")
            .Select(d => Path.GetFileName(d))
            .Where(name => name.All(char.IsAsciiDigit) && ReadComm(name) == "postgres")
            .Sum(name => CpuSeconds(int.Parse(name, CultureInfo.InvariantCulture)));
        return new CpuSnapshot(Stopwatch.GetElapsedTime(0), Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, CpuSeconds(serverPid), postgres);
    }

    private static string? ReadComm(string pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    // utime + stime (fields 14 and 15 of /proc/PID/stat, after the parenthesised command name), in clock ticks of 10 ms.
    private static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
