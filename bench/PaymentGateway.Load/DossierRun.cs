using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using PaymentGateway.Load.Model;
using PaymentGateway.Load.Runner;
using static System.FormattableString;

namespace PaymentGateway.Load;

/// <summary>
/// The dossier's speed goal (issue 8): a citizen's open debts through the gateway (<c>GET /api/v1/dossier/debts</c>, a
/// bearer JWT per citizen, rate limiter, payability rule, JSON with its ETag) against the bare baseline
/// (<c>GET /dossier/debts</c> of <c>pgw-load baseline</c>: Kestrel, the same indexed query, JSON), in the same run, closed
/// load on loopback. Writes bench/results/dossier.md. Bounded: fixed durations, the whole run cancelled after 10 minutes.
/// </summary>
public static class DossierRun
{
    public static async Task<int> RunAsync(Arguments args)
    {
        var gateway = new Uri(args.Required("gateway"));
        var connection = args.Required("connection");
        var secret = args.Required("secret");
        var issuer = args.Required("issuer");
        var audience = args.Required("audience");
        var baselinePort = (int)args.Number("baseline-port", 18090);
        var duration = TimeSpan.FromSeconds(args.Number("duration", 10));
        var warmUp = TimeSpan.FromSeconds(args.Number("warmup", 2));
        var concurrency = (int)args.Number("concurrency", 32);
        var citizens = (int)args.Number("citizens", 5000);
        var output = args.Optional("out") ?? "bench/results/dossier.md";
        var log = Console.Out;

        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var ct = bound.Token;
        var baselineUrl = new Uri(Invariant($"http://127.0.0.1:{baselinePort}"));
        using var baseline = NodeInterfaceRun.StartBaseline(baselineUrl, connection);
        try
        {
            using var baselineHttp = NodeInterfaceRun.CreateClient(baselineUrl);
            using var gatewayHttp = NodeInterfaceRun.CreateClient(gateway);
            await NodeInterfaceRun.WaitReadyAsync(baselineHttp, baseline, ct);

            await using var dataSource = NpgsqlDataSource.Create(connection);
            var codes = await CitizensAsync(dataSource, citizens, ct);
            if (codes.Count < 100)
            {
                throw new ArgumentException($"only {codes.Count} citizens with open debts; seed more (pgw seed demo --notices N)");
            }
            var now = DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds());
            var tokens = codes.Select((c, i) => Token(secret, issuer, audience, c, $"bench-session-{i}", now)).ToList();
            await log.WriteLineAsync(Invariant($"{codes.Count} citizens with open debts, one token each"));

            var baselineScenario = new Scenario("baseline: open-debts query + JSON", async (i, token) =>
            {
                using var response = await baselineHttp.GetAsync(new Uri($"/dossier/debts?fc={codes[i % codes.Count]}", UriKind.Relative), token);
                var body = await response.Content.ReadAsByteArrayAsync(token);
                return response.StatusCode == HttpStatusCode.OK && body.Length > 20;
            });
            var gatewayScenario = new Scenario("gateway: GET /api/v1/dossier/debts", async (i, token) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/dossier/debts", UriKind.Relative));
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens[i % tokens.Count]);
                using var response = await gatewayHttp.SendAsync(request, token);
                var body = await response.Content.ReadAsByteArrayAsync(token);
                return response.StatusCode == HttpStatusCode.OK && body.Length > 20;
            });

            var runner = new ScenarioRunner(warmUp, log);
            var any = new Thresholds();
            // JIT tiering and dynamic PGO settle over the first tens of thousands of calls: warm both servers first.
            var warm = new LoadSimulation.Closed(concurrency, TimeSpan.FromSeconds(args.Number("server-warmup", 5)));
            await runner.RunAsync(baselineScenario with { Name = "server warm-up: baseline" }, warm, any, ct);
            await runner.RunAsync(gatewayScenario with { Name = "server warm-up: gateway" }, warm, any, ct);

            var closed = new LoadSimulation.Closed(concurrency, duration);
            var bare = await runner.RunAsync(baselineScenario, closed, any, ct);
            var ours = await runner.RunAsync(gatewayScenario, closed, any, ct);
            var ratio = bare.Throughput > 0 ? ours.Throughput / bare.Throughput : 0;
            var pass = ratio >= 0.5 && ours.ErrorRate < 0.01 && bare.ErrorRate < 0.01;

            var md = new StringBuilder();
            void Line(FormattableString s) => md.AppendLine(Invariant(s));
            md.AppendLine("# Dossier: open debts, load figures");
            md.AppendLine();
            md.AppendLine("Written by `bench/run-dossier.sh` (do not edit by hand). The gateway's `GET /api/v1/dossier/debts` (bearer JWT per");
            md.AppendLine("citizen, HS256; per-client rate limiter; the open-debts query; payability by the verify rule; JSON and its ETag) against");
            md.AppendLine("the bare baseline `GET /dossier/debts` of `pgw-load baseline` (Kestrel + Npgsql, the same statement —");
            md.AppendLine("`DossierReader.OpenDebtsSql`, on the `debt_positions (debtor_id, id)` index — and the same JSON shape, no auth),");
            md.AppendLine("one after the other in the same run, on loopback. Client, servers and PostgreSQL share the machine's cores: the ratio");
            md.AppendLine("is the result, not the absolute numbers.");
            md.AppendLine();
            md.AppendLine("| what | value |");
            md.AppendLine("| --- | --- |");
            Line($"| date (UTC) | {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} |");
            Line($"| cores | {Environment.ProcessorCount} |");
            Line($"| runtime | {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription} |");
            Line($"| load | closed {concurrency} concurrent, {duration.TotalSeconds:0} s measured after {warmUp.TotalSeconds:0} s warm-up; both servers warmed {warm.Duration.TotalSeconds:0} s first |");
            Line($"| citizens | {codes.Count} (each with open debts; one request = one citizen's first page, 20 positions max) |");
            foreach (var pair in args.All("env"))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    Line($"| {pair[..eq]} | {pair[(eq + 1)..]} |");
                }
            }
            md.AppendLine();
            md.AppendLine("## Goal (issue 8, \"Speed\")");
            md.AppendLine();
            md.AppendLine("| goal | measured | baseline | ratio | target | result |");
            md.AppendLine("| --- | --- | --- | --- | --- | --- |");
            Line($"| open debts throughput | {ours.Throughput:0.0}/s | {bare.Throughput:0.0}/s (bare query + JSON) | {ratio:0.00} | ≥ 0.5 | {(pass ? "PASS" : "**FAIL**")} |");
            md.AppendLine();
            md.AppendLine("## Scenarios");
            md.AppendLine();
            md.AppendLine("| scenario | load | ok | errors | throughput | p50 | p95 | p99 | max |");
            md.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            foreach (var r in new[] { bare, ours })
            {
                Line($"| {r.Name} | {ScenarioRunner.Describe(r.Simulation)} | {r.Ok} | {r.Errors} | {r.Throughput:0.0}/s | {ScenarioRunner.Ms(r.P50)} | {ScenarioRunner.Ms(r.P95)} | {ScenarioRunner.Ms(r.P99)} | {ScenarioRunner.Ms(r.Max)} |");
            }
            var report = md.ToString();
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            await File.WriteAllTextAsync(output, report, ct);
            await log.WriteLineAsync();
            await log.WriteLineAsync(report);
            await log.WriteLineAsync($"report written to {output}");
            return pass ? 0 : 3;
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

    // Citizens whose first page of open debts is not empty: the debtors of valid notices, in a stable order.
    private static async Task<List<string>> CitizensAsync(NpgsqlDataSource dataSource, int limit, CancellationToken cancellationToken)
    {
        const string Sql = """
            select distinct p.debtor_id
            from debt_positions p
            join payment_options o on o.position_id = p.id and o.status = 'Valid'
            where p.debtor_type = 'F' and length(p.debtor_id) = 16
            order by p.debtor_id
            limit $1
            """;
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var codes = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            codes.Add(reader.GetString(0));
        }
        return codes;
    }

    /// <summary>An HS256 JWT as the dossier's identity provider would issue it (SPID-style fiscal_number), valid for an hour.</summary>
    private static string Token(string secret, string issuer, string audience, string fiscalCode, string subject, DateTimeOffset now)
    {
        static string Part(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var header = Part(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["alg"] = "HS256", ["typ"] = "JWT" }));
        var payload = Part(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["sub"] = subject,
            ["fiscal_number"] = "TINIT-" + fiscalCode,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
        }));
        var signature = Part(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return string.Create(CultureInfo.InvariantCulture, $"{header}.{payload}.{signature}");
    }
}
