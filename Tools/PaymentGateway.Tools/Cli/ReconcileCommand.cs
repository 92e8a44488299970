using System.CommandLine;
using Npgsql;
using PaymentGateway.Reconciliation.Fdr;

namespace PaymentGateway.Tools.Cli;

/// <summary>
/// <c>pgw reconcile import FILE...</c>: stores FdR files (FlussoRiversamento XML) for reconciliation (docs/reconciliation.md).
/// Exit codes: 0 every file accepted or already imported, 1 some file rejected (or the database failed), 2 bad usage.
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
        return new Command("reconcile", "Reconciliation: reporting flows (FdR), matching and reports.") { import };
    }
}
