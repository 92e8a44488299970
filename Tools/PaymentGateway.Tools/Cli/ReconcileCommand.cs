using System.CommandLine;
using System.Globalization;
using Npgsql;
using PaymentGateway.Core;
using PaymentGateway.Reconciliation.Fdr;
using PaymentGateway.Reconciliation.Matching;

namespace PaymentGateway.Tools.Cli;

/// <summary>
/// <c>pgw reconcile import FILE...</c>: stores FdR files (FlussoRiversamento XML) for reconciliation (docs/reconciliation.md).
/// Exit codes: 0 every file accepted or already imported, 1 some file rejected (or the database failed), 2 bad usage.
/// <c>pgw reconcile run [--org FC]</c>: matches the current FdR rows against receipts and positions and prints the
/// buckets. Exit codes: 0 done, 1 the database failed (or, a bug, the buckets do not add up to the flows), 2 bad usage.
/// </summary>
internal static class ReconcileCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var files = new Argument<FileInfo[]>("FILE") { Description = "FlussoRiversamento XML files (1_0_4 or 1_0_5)", Arity = ArgumentArity.OneOrMore };
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
                    var result = await store.ImportAsync(stream, input.Name, cancellationToken);
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
        return new Command("reconcile", "Reconciliation: reporting flows (FdR), matching and reports.") { import, Run(output, error) };
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
}
