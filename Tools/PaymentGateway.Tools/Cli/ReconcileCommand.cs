using System.CommandLine;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using System.Globalization;
using Npgsql;
using PaymentGateway.Core;
using PaymentGateway.Reconciliation.Fdr;
using PaymentGateway.Reconciliation.Matching;
using PaymentGateway.Reconciliation.Treasury;

namespace PaymentGateway.Tools.Cli;

/// <summary>
/// <c>pgw reconcile import FILE... [--mapping FILE]</c>: stores FdR files (FlussoRiversamento XML, or a flow saved from
/// the REST API as JSON) and bank statements (camt.053, CSV) for reconciliation; <c>pgw reconcile fetch</c>: downloads
/// newly published flows from pagoPA's FdR REST API; <c>pgw reconcile treasury</c>: the three-way match
/// (docs/reconciliation.md). Exit codes: 0 every file accepted or already imported, 1 some file rejected (or the
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
            Description = "FdR flows (FlussoRiversamento XML 1_0_4/1_0_5, or JSON as the FdR REST API returns them) and bank statements "
                + "(camt.053 XML, or CSV with --mapping); each file's kind is told from its content",
            Arity = ArgumentArity.OneOrMore,
        };
        var mapping = new Option<FileInfo?>("--mapping")
        {
            Description = "How to read CSV bank statements (docs/reconciliation.md, \"Mapping file\"); required when a FILE is CSV",
        };
        var import = new Command("import", "Store reporting flows (FdR) and bank statements from files; a malformed or inconsistent file is recorded as rejected with its reason.")
        {
            files, mapping,
        };
        import.SetAction(async (parseResult, cancellationToken) =>
        {
            var inputs = parseResult.GetValue(files)!;
            if (inputs.FirstOrDefault(f => !f.Exists) is { } missing)
            {
                error.WriteLine($"pgw reconcile import: {missing.FullName} does not exist");
                return PgwCommand.BadInput;
            }
            // Every file's kind first, so a usage error stops the import before anything is stored.
            var kinds = inputs.Select(f => (File: f, Kind: InputKinds.Of(f))).ToList();
            CsvStatementMapping? csvMapping = null;
            if (kinds.FirstOrDefault(k => k.Kind == InputKind.Csv) is { File: { } csv })
            {
                if (parseResult.GetValue(mapping) is not { } mappingFile)
                {
                    error.WriteLine($"pgw reconcile import: {csv.Name} is neither XML nor JSON; a CSV bank statement needs --mapping FILE (docs/reconciliation.md)");
                    return PgwCommand.BadInput;
                }
                try
                {
                    csvMapping = CsvStatementMapping.Load(mappingFile.FullName);
                }
                catch (Exception e) when (e is CsvMappingException or IOException)
                {
                    error.WriteLine($"pgw reconcile import: {mappingFile.Name}: {e.Message}");
                    return PgwCommand.BadInput;
                }
            }
            try
            {
                await using var dataSource = NpgsqlDataSource.Create(PgwCommand.ResolveConnection(parseResult));
                var flows = new FdrFlowStore(dataSource, TimeProvider.System);
                var statements = new TreasuryStatementStore(dataSource, TimeProvider.System);
                var rejected = 0;
                foreach (var (input, kind) in kinds)
                {
                    await using var stream = input.OpenRead();
                    var accepted = kind switch
                    {
                        InputKind.Camt053 => Report(input, await statements.ImportCamt053Async(stream, input.Name, cancellationToken), output, error),
                        InputKind.Csv => Report(input, await statements.ImportCsvAsync(stream, csvMapping!, input.Name, cancellationToken), output, error),
                        InputKind.FdrJson => Report(input, await flows.ImportAsync((onRow, onHeader, ct) => FdrJsonReader.ReadAsync(stream, onRow, ct, onHeader), input.Name, cancellationToken), output, error),
                        _ => Report(input, await flows.ImportAsync(stream, input.Name, cancellationToken), output, error),
                    };
                    rejected += accepted ? 0 : 1;
                }
                return rejected == 0 ? PgwCommand.Success : PgwCommand.Failure;
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
            {
                error.WriteLine($"pgw reconcile import: cannot reach the database: {e.Message}");
                return PgwCommand.Failure;
            }
        });
        return new Command("reconcile", "Reconciliation: reporting flows (FdR), bank statements, matching and reports.")
        {
            import, Fetch(output, error), Run(output, error), TreasuryCommand.Create(output, error), LateCommand.Create(output, error),
        };
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

    private static bool Report(FileInfo input, FdrImportResult result, TextWriter output, TextWriter error)
    {
        switch (result.Outcome)
        {
            case FdrImportOutcome.Accepted:
                output.WriteLine($"{input.Name}: flow {result.FlowId} accepted, {result.Rows} rows");
                return true;
            case FdrImportOutcome.AlreadyImported:
                output.WriteLine($"{input.Name}: flow {result.FlowId} already imported, nothing changed");
                return true;
            default:
                error.WriteLine($"{input.Name}: rejected: {result.Reason}");
                return false;
        }
    }

    private static bool Report(FileInfo input, StatementImportResult result, TextWriter output, TextWriter error)
    {
        if (result.Outcome == StatementImportOutcome.Rejected)
        {
            error.WriteLine($"{input.Name}: statement rejected: {result.Reason}");
            return false;
        }
        foreach (var s in result.Statements)
        {
            var name = s.StatementId is { } id ? $"statement {id} of {s.AccountIban}" : $"statement of {s.AccountIban}";
            output.WriteLine(s.AlreadyImported
                ? $"{input.Name}: {name} already imported, nothing changed"
                : $"{input.Name}: {name} accepted, {s.Credits} credits" +
                  (s.CreditsAlreadyKnown > 0 ? $" ({s.CreditsAlreadyKnown} more already imported with an earlier statement)" : "") +
                  $", {s.EntriesIgnored} other entries (debits, reversals, not booked) ignored");
        }
        return true;
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
}
