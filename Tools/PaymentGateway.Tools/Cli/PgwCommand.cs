using System.CommandLine;
using PaymentGateway.Persistence;

namespace PaymentGateway.Tools.Cli;

/// <summary>
/// The <c>pgw</c> root command. Exit codes: 0 success, 1 the work failed (database, migration, I/O), 2 bad usage or
/// bad input (the message names the argument or the line).
/// </summary>
internal static class PgwCommand
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadInput = 2;

    /// <summary><c>--connection</c>, available on every command.</summary>
    public static readonly Option<string?> Connection = new("--connection")
    {
        Description = "PostgreSQL connection string (default: PGW_CONNECTION, else the ./run.sh cluster on 127.0.0.1:PGW_PG_PORT)",
        Recursive = true,
    };

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("pgw — PaymentGateway operations tool (pagoPA partner tecnologico)")
        {
            Connection,
            MigrateCommand.Create(output, error),
            SeedCommand.Create(output, error),
            PositionsCommand.Create(output, error),
            NoticesCommand.Create(output, error),
            ReconcileCommand.Create(output, error),
            RefundsCommand.Create(output, error),
            AuditCommand.Create(output, error),
            HouseholdCommand.Create(output, error),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // Bad usage is exit code 2 (System.CommandLine's default is 1, which we keep for failed work).
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync($"pgw: {parseError.Message}");
            }
            await error.WriteLineAsync("run `pgw --help` for usage");
            return BadInput;
        }
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        return await parsed.InvokeAsync(configuration);
    }

    /// <summary>The connection string for this invocation.</summary>
    public static string ResolveConnection(ParseResult parseResult) =>
        parseResult.GetValue(Connection) is { Length: > 0 } explicitConnection
            ? explicitConnection
            : Environment.GetEnvironmentVariable("PGW_CONNECTION") is { Length: > 0 } fromEnvironment
                ? fromEnvironment
                : ConnectionStrings.RunScriptDefault(Environment.GetEnvironmentVariable);
}
