using System.CommandLine;
using Npgsql;
using PaymentGateway.Persistence.Migrations;

namespace PaymentGateway.Tools.Cli;

/// <summary><c>pgw migrate</c>: applies pending migrations, each in its own transaction.</summary>
internal static class MigrateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("migrate", "Create the database if missing and apply every pending migration (forward-only).");
        command.SetAction(parseResult =>
        {
            try
            {
                var report = DatabaseMigrator.Migrate(PgwCommand.ResolveConnection(parseResult));
                output.WriteLine(report.Applied.Count == 0
                    ? $"database up to date ({report.Total} migrations)"
                    : $"applied {string.Join(", ", report.Applied)} ({report.Total} migrations in this build)");
                return PgwCommand.Success;
            }
            catch (MigrationFailedException e)
            {
                error.WriteLine($"pgw migrate: {e.Message}");
                return PgwCommand.Failure;
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException or ArgumentException)
            {
                error.WriteLine($"pgw migrate: cannot reach the database: {e.Message}");
                return PgwCommand.Failure;
            }
        });
        return command;
    }
}
