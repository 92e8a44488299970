using System.Globalization;
using System.Text;
using PaymentGateway.Load.Model;
using PaymentGateway.Load.Runner;
using static System.FormattableString;

namespace PaymentGateway.Load.Report;

/// <summary>One goal of the "Speed" section: a measured figure against its baseline, and whether it meets the target.</summary>
public sealed record Figure(string Goal, string Measured, string Baseline, string Ratio, string Target, bool Pass, string? Note = null);

/// <summary>Everything the Node-interface report shows.</summary>
public sealed record NodeInterfaceResults(
    IReadOnlyList<Figure> Figures,
    IReadOnlyList<ScenarioResult> Scenarios,
    string PgbenchCommand,
    double PgbenchTps,
    IReadOnlyDictionary<string, string> Environment);

/// <summary>Writes bench/results/node-interface.md.</summary>
public static class NodeInterfaceReport
{
    public static string ToMarkdown(NodeInterfaceResults run)
    {
        var md = new StringBuilder();
        void Line(FormattableString s) => md.AppendLine(Invariant(s));
        md.AppendLine("# Node interface: load figures");
        md.AppendLine();
        md.AppendLine("Written by `bench/run-node.sh` (do not edit by hand). Every figure is a ratio to a baseline measured in the");
        md.AppendLine("same run on the same machine: a bare Kestrel + Npgsql endpoint (`pgw-load baseline`) and `pgbench` tpcb-like,");
        md.AppendLine("against the same throwaway PostgreSQL cluster (synchronous_commit on). Client, gateway, baseline and PostgreSQL");
        md.AppendLine("share the machine's cores, so absolute numbers mean little; the ratios are the result.");
        md.AppendLine();
        md.AppendLine("| what | value |");
        md.AppendLine("| --- | --- |");
        foreach (var (key, value) in run.Environment)
        {
            Line($"| {key} | {value} |");
        }
        md.AppendLine();
        md.AppendLine("## Goals (issue 5, \"Speed\")");
        md.AppendLine();
        md.AppendLine("| goal | measured | baseline | ratio | target | result |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var f in run.Figures)
        {
            Line($"| {f.Goal} | {f.Measured} | {f.Baseline} | {f.Ratio} | {f.Target} | {(f.Pass ? "PASS" : "**FAIL**")} |");
        }
        var notes = run.Figures.Where(f => f.Note is not null).ToList();
        if (notes.Count > 0)
        {
            md.AppendLine();
            foreach (var f in notes)
            {
                Line($"- {f.Goal}: {f.Note}");
            }
        }
        md.AppendLine();
        md.AppendLine("## Scenarios");
        md.AppendLine();
        md.AppendLine("Latency in milliseconds from HdrHistogram; for the open model it counts from each call's scheduled start.");
        md.AppendLine("Throughput counts successful calls (HTTP 200 and, for SOAP, `outcome` OK) per second of the measured run.");
        md.AppendLine();
        md.AppendLine("| scenario | load | calls | errors | throughput/s | p50 | p95 | p99 | max | thresholds |");
        md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var s in run.Scenarios)
        {
            Line($"| {s.Name} | {ScenarioRunner.Describe(s.Simulation)}, {s.Simulation.Duration.TotalSeconds:0} s | {s.Requests} | {s.Errors} | {s.Throughput:0.0} | {Ms(s.P50)} | {Ms(s.P95)} | {Ms(s.P99)} | {Ms(s.Max)} | {(s.ThresholdsPassed ? "ok" : string.Join("; ", s.ThresholdFailures))} |");
        }
        md.AppendLine();
        Line($"pgbench: `{run.PgbenchCommand}` → {run.PgbenchTps:0.0} TPS (tpcb-like, without initial connection time).");
        return md.ToString();
    }

    public static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture);

    public static string Rate(double perSecond) => Invariant($"{perSecond:0.0}/s");

    /// <summary>A throughput ratio figure.</summary>
    public static Figure Ratio(string goal, ScenarioResult measured, string baselineName, double baseline, double target, string? note = null)
    {
        var ratio = baseline > 0 ? measured.Throughput / baseline : 0;
        var pass = ratio >= target && measured.ThresholdsPassed;
        var why = measured.ThresholdsPassed ? note : Join(note, "scenario thresholds failed: " + string.Join("; ", measured.ThresholdFailures));
        return new Figure(goal, Rate(measured.Throughput), Invariant($"{Rate(baseline)} ({baselineName})"), Invariant($"{ratio:0.00}"), Invariant($"≥ {target:0.##}"), pass, why);
    }

    private static string? Join(string? a, string? b) => a is null ? b : b is null ? a : a + "; " + b;
}
