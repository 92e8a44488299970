using System.CommandLine;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using System.Globalization;
using Npgsql;
using PaymentGateway.Core;
using PaymentGateway.Reconciliation.Fdr;
using PaymentGateway.Reconciliation.Matching;

namespace PaymentGateway.Tools.Cli;

/// <summary>
/// <c>pgw reconcile import FILE...</c>: stores FdR files (FlussoRiversamento XML, or a flow saved from the REST API as
/// JSON) for reconciliation; <c>pgw reconcile fetch</c>: downloads newly published flows from pagoPA's FdR REST API
/// (docs/reconciliation.md). Exit codes: 0 every flow accepted or already imported, 1 some flow rejected (or the
/// database or the API failed), 2 bad usage.
/// <c>pgw reconcile run [--org FC]</c>: matches the current FdR rows against receipts and positions and prints the
/// buckets. Exit codes: 0 done, 1 the database failed (or, a bug, the buckets do not add up to the flows), 2 bad usage.
/// </summary>
internal static class ReconcileCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var files = new Argument<FileInfo[]>("FILE")
        {
            Description = "FlussoRiversamento XML files (1_0_4 or 1_0_5), or JSON flows as the FdR REST API returns them (with a payments array)",
            Arity = ArgumentArity.OneOrMore,
        };
        var import = new Command("import", "Store reporting flows (FdR) from files; a malformed or inconsistent flow is recorded as rejected with its reason.")
        {
            files,
        };
        import.SetAction(async (parseResult, cancellationToken) =>
        {
            var inputs = parseResult.GetValue(files)!;
            if (inputs.FirstOrDefault(f => !f.Exists) is { } missing)
            {
                error.WriteLine($"pgw reconcile import: {missing.FullName} does not exist");
                return PgwCommand.BadInput;
            }
            try
            {
                await using var dataSource = NpgsqlDataSource.Create(PgwCommand.ResolveConnection(parseResult));
                var store = new FdrFlowStore(dataSource, TimeProvider.System);
                var rejected = 0;
                foreach (var input in inputs)
                {
                    await using var stream = input.OpenRead();
                    var result = await (IsJson(stream)
                        ? store.ImportAsync((onRow, onHeader, ct) => FdrJsonReader.ReadAsync(stream, onRow, ct, onHeader), input.Name, cancellationToken)
                        : store.ImportAsync(stream, input.Name, cancellationToken));
                    switch (result.Outcome)
                    {
                        case FdrImportOutcome.Accepted:
                            output.WriteLine($"{input.Name}: flow {result.FlowId} accepted, {result.Rows} rows");
                            break;
                        case FdrImportOutcome.AlreadyImported:
                            output.WriteLine($"{input.Name}: flow {result.FlowId} already imported, nothing changed");
                            break;
                        default:
                            rejected++;
                            error.WriteLine($"{input.Name}: rejected: {result.Reason}");
                            break;
                    }
                }
                return rejected == 0 ? PgwCommand.Success : PgwCommand.Failure;
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
            {
                error.WriteLine($"pgw reconcile import: cannot reach the database: {e.Message}");
                return PgwCommand.Failure;
            }
        });
        return new Command("reconcile", "Reconciliation: reporting flows (FdR), matching and reports.") { import, Fetch(output, error), Run(output, error) };
    }

    private static Command Run(TextWriter output, TextWriter error)
    {
        var org = new Option<string?>("--org") { Description = "Only the flows reported to this EC (fiscal code); default: every EC" };
        org.Validators.Add(r =>
        {
            if (!OrganizationFiscalCode.TryParse(r.GetValueOrDefault<string>(), out _))
            {
                r.AddError($"--org '{r.GetValueOrDefault<string>()}' is not a valid organization fiscal code");
            }
        });
        var run = new Command("run", "Match every row of the current revision of each FdR against receipts and positions; record what changed; print the buckets.")
        {
            org,
        };
        run.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                await using var dataSource = NpgsqlDataSource.Create(PgwCommand.ResolveConnection(parseResult));
                var result = await new FdrMatcher(dataSource, TimeProvider.System)
                    .RunAsync(parseResult.GetValue(org), line => output.WriteLine(line), cancellationToken);
                output.Write(Summary(result));
                if (!result.Conserved)
                {
                    error.WriteLine("pgw reconcile run: the buckets do not add up to the flows' declared totals (a bug: please report it)");
                    return PgwCommand.Failure;
                }
                return PgwCommand.Success;
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
            {
                error.WriteLine($"pgw reconcile run: cannot reach the database: {e.Message}");
                return PgwCommand.Failure;
            }
        });
        return run;
    }

    private static string Summary(FdrMatchRun run)
    {
        static string Euro(long cents) => (cents / 100m).ToString("#,##0.00", CultureInfo.InvariantCulture);
        var text = new System.Text.StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"bucket",-16}{"rows",12}{"euro",20}");
        foreach (var b in run.Buckets)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{b.Bucket,-16}{b.Rows,12:N0}{Euro(b.Cents),20}");
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"{"total",-16}{run.Rows,12:N0}{Euro(run.Cents),20}");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"flows declare {run.DeclaredRows:N0} rows, {Euro(run.DeclaredCents)} euro: {(run.Conserved ? "every row and cent in exactly one bucket" : "NOT CONSERVED")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"run {run.RunId}: {run.ResultsAdded:N0} new or changed results, {run.Superseded:N0} rows superseded by newer revisions");
        return text.ToString();
    }

    private static Command Fetch(TextWriter output, TextWriter error)
    {
        var organizations = new Option<string[]>("--org")
        {
            Description = "EC fiscal code to fetch for (repeatable; default: every EC associated with one of our stations)",
            AllowMultipleArgumentsPerToken = true,
        };
        var baseUrl = new Option<Uri?>("--base-url")
        {
            Description = $"FdR REST API base URL (default: PGW_FDR_BASE_URL, else {FdrApiOptions.ProductionBaseUrl})",
        };
        var key = new Option<string?>("--subscription-key") { Description = "Ocp-Apim-Subscription-Key (default: PGW_FDR_SUBSCRIPTION_KEY)" };
        var fetch = new Command("fetch", "Download the flows published since the last fetch (at most 30 days back) from pagoPA's FdR REST API and store them.")
        {
            organizations, baseUrl, key,
        };
        fetch.SetAction(async (parseResult, cancellationToken) =>
        {
            var subscriptionKey = parseResult.GetValue(key) ?? Environment.GetEnvironmentVariable("PGW_FDR_SUBSCRIPTION_KEY");
            if (string.IsNullOrWhiteSpace(subscriptionKey))
            {
                error.WriteLine("pgw reconcile fetch: no subscription key: pass --subscription-key or set PGW_FDR_SUBSCRIPTION_KEY");
                return PgwCommand.BadInput;
            }
            var url = parseResult.GetValue(baseUrl)
                ?? (Environment.GetEnvironmentVariable("PGW_FDR_BASE_URL") is { Length: > 0 } fromEnvironment ? new Uri(fromEnvironment) : FdrApiOptions.ProductionBaseUrl);
            await using var dataSource = NpgsqlDataSource.Create(PgwCommand.ResolveConnection(parseResult));
            var services = new ServiceCollection()
                .AddSingleton(dataSource)
                .AddSingleton(TimeProvider.System)
                .AddFdrApi(o => (o.BaseUrl, o.SubscriptionKey) = (url, subscriptionKey));
            await using var provider = services.BuildServiceProvider();
            try
            {
                var targets = parseResult.GetValue(organizations) is { Length: > 0 } named
                    ? named
                    : await ServedOrganizationsAsync(dataSource, cancellationToken);
                var fetcher = provider.GetRequiredService<FdrFetcher>();
                var rejected = 0;
                foreach (var organization in targets)
                {
                    var result = await fetcher.FetchAsync(organization, output.WriteLine, cancellationToken);
                    output.WriteLine($"{organization}: {result.Accepted} accepted, {result.AlreadyImported} already imported, {result.Rejected} rejected; " +
                        $"published up to {result.PublishedUpTo:yyyy-MM-dd HH:mm:ss}Z");
                    rejected += result.Rejected;
                }
                return rejected == 0 ? PgwCommand.Success : PgwCommand.Failure;
            }
            catch (Exception e) when (e is FdrApiException or HttpRequestException or Polly.Timeout.TimeoutRejectedException or System.Text.Json.JsonException)
            {
                error.WriteLine($"pgw reconcile fetch: {e.Message} (what was stored so far stays; the next fetch resumes there)");
                return PgwCommand.Failure;
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
            {
                error.WriteLine($"pgw reconcile fetch: cannot reach the database: {e.Message}");
                return PgwCommand.Failure;
            }
        });
        return fetch;
    }

    private static async Task<string[]> ServedOrganizationsAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        const string sql = """
            select distinct cs.organization_fiscal_code
            from creditor_stations cs join stations s on s.station_id = cs.station_id
            where s.enabled
            order by 1
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<string>(new CommandDefinition(sql, cancellationToken: cancellationToken))];
    }

    // A JSON flow starts with '{' (after any whitespace or a byte-order mark); anything else is read as XML.
    private static bool IsJson(Stream stream)
    {
        Span<byte> head = stackalloc byte[64];
        var read = stream.Read(head);
        stream.Position = 0;
        foreach (var b in head[..read])
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)
            {
                continue;
            }
            return b == (byte)'{';
        }
        return false;
    }

}
