using System.Diagnostics;
using System.Net;
using Npgsql;
using PaymentGateway.Load.Model;
using PaymentGateway.Load.Report;
using PaymentGateway.Load.Runner;
using PaymentGateway.Load.Scenarios;
using static System.FormattableString;

namespace PaymentGateway.Load;

/// <summary>
/// The Node-interface figures of issue 5: starts the baseline child process, runs the baseline and gateway scenarios
/// one after the other against loopback, samples the gateway's memory and writes the Markdown report.
/// Bounded: every scenario has a fixed duration, and the whole run is cancelled after 10 minutes.
/// </summary>
public static class NodeInterfaceRun
{
    private const string Creditor = "01199250158";

    public static async Task<int> RunAsync(Arguments args)
    {
        var gateway = new Uri(args.Required("gateway"));
        var connection = args.Required("connection");
        var gatewayPid = (int)args.Number("gateway-pid");
        var pgbenchTps = args.Number("pgbench-tps");
        var pgbenchCommand = args.Optional("pgbench-command") ?? "pgbench";
        var baselinePort = (int)args.Number("baseline-port", 18089);
        var duration = TimeSpan.FromSeconds(args.Number("duration", 20));
        var warmUp = TimeSpan.FromSeconds(args.Number("warmup", 3));
        var concurrency = (int)args.Number("concurrency", 32);
        var output = args.Optional("out") ?? "bench/results/node-interface.md";
        var log = Console.Out;

        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var ct = bound.Token;
        var baselineUrl = new Uri(Invariant($"http://127.0.0.1:{baselinePort}"));
        using var baseline = StartBaseline(baselineUrl, connection);
        try
        {
            using var baselineHttp = CreateClient(baselineUrl);
            using var gatewayHttp = CreateClient(gateway);
            await WaitReadyAsync(baselineHttp, baseline, ct);

            await using var dataSource = NpgsqlDataSource.Create(connection);
            var all = await DemoNotices.LoadAsync(dataSource, Creditor, 200_000, ct);
            if (all.Count < 1000)
            {
                throw new ArgumentException($"only {all.Count} payable demo notices in the database; seed more (pgw seed demo --notices N)");
            }
            // Reads and activations use the first half; receipts pay the second half, so no read meets a paid notice.
            var readable = all.Take(all.Count / 2).ToList();
            var payable = all.Skip(all.Count / 2).ToList();
            await log.WriteLineAsync(Invariant($"{all.Count} payable notices: {readable.Count} for verify/activate, {payable.Count} to pay"));

            var runner = new ScenarioRunner(warmUp, log);
            var soap = new SoapClient(gatewayHttp);
            var closed = new LoadSimulation.Closed(concurrency, duration);
            var any = new Thresholds();
            await using var memory = new ProcessMemory(gatewayPid);
            memory.StartSampling(TimeSpan.FromMilliseconds(250));

            // The JIT tiers up and dynamic PGO re-optimises over the first tens of thousands of calls; the per-scenario
            // warm-up (seconds) is enough for the bare baseline but not for a host running far more code per call, whose
            // first measured scenario then pays for it. Warm both servers with the read paths first (unmeasured; the
            // activations write attempts, which nothing below reads).
            var warm = new LoadSimulation.Closed(concurrency, TimeSpan.FromSeconds(args.Number("server-warmup", 10)));
            await runner.RunAsync(BaselineScenarios.Select(baselineHttp, readable) with { Name = "server warm-up: baseline select" }, warm, any, ct);
            await runner.RunAsync(NodeInterfaceScenarios.Verify(soap, readable) with { Name = "server warm-up: verify" }, warm, any, ct);
            await runner.RunAsync(NodeInterfaceScenarios.GetPaymentV2(soap, readable) with { Name = "server warm-up: activate" }, warm, any, ct);

            var select = await runner.RunAsync(BaselineScenarios.Select(baselineHttp, readable), closed, any, ct);
            var verify = await runner.RunAsync(NodeInterfaceScenarios.Verify(soap, readable), closed, any, ct);
            var halfRate = Math.Max(1, Math.Round(verify.Throughput / 2));
            var verifyOpen = await runner.RunAsync(NodeInterfaceScenarios.Verify(soap, readable) with { Name = "paVerifyPaymentNotice at half load" },
                new LoadSimulation.Open(halfRate, duration), new Thresholds(P99: TimeSpan.FromMilliseconds(25)), ct);
            var insert = await runner.RunAsync(BaselineScenarios.Insert(baselineHttp, readable), closed, any, ct);
            var activate = await runner.RunAsync(NodeInterfaceScenarios.GetPaymentV2(soap, readable), closed, any, ct);
            var ledger = new ReceiptLedger();
            var prefix = "B" + Stopwatch.GetTimestamp().ToString("x", System.Globalization.CultureInfo.InvariantCulture)[^10..];
            // The deadline peak: whole payments (verify, activate, receipt) at a constant rate, far above Milan's
            // worst evening (~16 payments/s, docs/performance.md); the Node wants 98% of calls under 2 s, so a flow's
            // p99 under 2 s is a stricter test. Its notices are set aside from those the receipt scenario pays.
            var peakRate = args.Number("peak-rate", 100);
            var peakDuration = TimeSpan.FromSeconds(args.Number("peak-duration", 60));
            // One notice per position (its single payment): the flow verifies first, and a paid sibling would make it KO.
            var peakNotices = payable.Where(n => n.IsSinglePayment)
                .Take((int)Math.Min(payable.Count / 4, peakRate * (peakDuration + warmUp).TotalSeconds * 1.1)).ToList();
            var setAside = peakNotices.Select(n => n.NoticeNumber).ToHashSet();
            // Receipts pay single payments too, one notice per position: a real Node never delivers receipts for a plan's
            // single payment and its installments at once (verify refuses the second), and receipts of one position
            // are serialised by its event lock (the ACA mirror's order), which such a batch would turn into a queue.
            payable = payable.Where(n => n.IsSinglePayment && !setAside.Contains(n.NoticeNumber)).ToList();
            var deadlinePeak = await runner.RunAsync(NodeInterfaceScenarios.NodeFlow(soap, peakNotices, prefix + "P") with { Name = "deadline peak: Node flow at a constant rate" },
                new LoadSimulation.Open(peakRate, peakDuration), new Thresholds(P99: TimeSpan.FromSeconds(2)), ct);
            var first = await runner.RunAsync(NodeInterfaceScenarios.FirstReceipts(soap, payable, prefix, ledger), closed, any, ct);
            if (ledger.Count == 0)
            {
                throw new InvalidOperationException("no receipt was accepted on first delivery: nothing to redeliver");
            }
            var duplicate = await runner.RunAsync(NodeInterfaceScenarios.DuplicateReceipts(soap, ledger), closed, any, ct);

            var peak = memory.PeakRss ?? memory.MaxSampledRss;
            const long Limit = 600L * 1024 * 1024;
            var figures = new List<Figure>
            {
                NodeInterfaceReport.Ratio("verify throughput", verify, "bare select", select.Throughput, 0.5),
                new("verify p99 at half load", NodeInterfaceReport.Ms(verifyOpen.P99) + " ms",
                    Invariant($"open {halfRate:0}/s (half of {verify.Throughput:0.0}/s)"), "–", "≤ 25 ms",
                    verifyOpen.ThresholdsPassed,
                    verifyOpen.ThresholdsPassed ? null : string.Join("; ", verifyOpen.ThresholdFailures)),
                NodeInterfaceReport.Ratio("paGetPaymentV2 throughput", activate, "bare insert + commit", insert.Throughput, 0.5),
                NodeInterfaceReport.Ratio("first-time paSendRTV2 throughput", first, "pgbench TPS", pgbenchTps, 0.33),
                new("deadline peak: Node flow p99 (98% < 2 s)", NodeInterfaceReport.Ms(deadlinePeak.P99) + " ms",
                    Invariant($"open {peakRate:0} flows/s for {peakDuration.TotalSeconds:0} s, {deadlinePeak.Throughput:0.0} completed/s"), "–", "p99 < 2 s",
                    deadlinePeak.ThresholdsPassed && deadlinePeak.Throughput >= peakRate * 0.95,
                    deadlinePeak.ThresholdsPassed ? null : string.Join("; ", deadlinePeak.ThresholdFailures)),
                NodeInterfaceReport.Ratio("duplicate paSendRTV2 throughput", duplicate, "verify", verify.Throughput, 0.8),
                new("gateway RSS peak (VmHWM)", Invariant($"{peak / 1024.0 / 1024:0} MiB"),
                    Invariant($"max sampled VmRSS {memory.MaxSampledRss / 1024.0 / 1024:0} MiB"), "–", "≤ 600 MiB", peak > 0 && peak <= Limit),
            };
            var environment = new Dictionary<string, string>
            {
                ["date (UTC)"] = TimeProvider.System.GetUtcNow().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                ["cores"] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
                ["load"] = Invariant($"closed {concurrency} concurrent, {duration.TotalSeconds:0} s per scenario after {warmUp.TotalSeconds:0} s warm-up; both servers warmed {warm.Duration.TotalSeconds:0} s per read path first"),
                ["notices"] = Invariant($"{readable.Count} read (verify, activate, baselines), {payable.Count} available to pay"),
            };
            foreach (var pair in args.All("env"))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    environment[pair[..eq]] = pair[(eq + 1)..];
                }
            }

            var report = NodeInterfaceReport.ToMarkdown(new NodeInterfaceResults(figures, [select, verify, verifyOpen, insert, activate, deadlinePeak, first, duplicate],
                pgbenchCommand, pgbenchTps, environment));
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            await File.WriteAllTextAsync(output, report, ct);
            await log.WriteLineAsync();
            await log.WriteLineAsync(report);
            await log.WriteLineAsync($"report written to {output}");
            return figures.All(f => f.Pass) ? 0 : 3;
        }
        finally
        {
            if (!baseline.HasExited)
            {
                baseline.Kill(entireProcessTree: true);
                await baseline.WaitForExitAsync(CancellationToken.None);
            }
        }
    }

    internal static Process StartBaseline(Uri url, string connection)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(NodeInterfaceRun).Assembly.Location);
        }
        foreach (var a in new[] { "baseline", "--url", url.ToString().TrimEnd('/'), "--connection", connection })
        {
            start.ArgumentList.Add(a);
        }
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the baseline process");
    }

    internal static async Task WaitReadyAsync(HttpClient http, Process baseline, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 120; i++)
        {
            if (baseline.HasExited)
            {
                throw new InvalidOperationException($"the baseline process exited with {baseline.ExitCode}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri("/ready", UriKind.Relative), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250, cancellationToken);
        }
        throw new InvalidOperationException("the baseline did not become ready within 30 s");
    }

    internal static HttpClient CreateClient(Uri baseAddress) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        UseCookies = false,
        MaxConnectionsPerServer = 4096,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };
}
