using Microsoft.Extensions.Options;
using PaymentGateway.Persistence.Migrations;

namespace PaymentGateway.Gateway.Hosting;

/// <summary>Applies pending migrations before the gateway accepts traffic (when <c>Gateway:MigrateOnStart</c>).</summary>
internal sealed partial class MigrationHostedService(
    IOptions<GatewayOptions> gateway,
    IOptions<DatabaseOptions> database,
    ILogger<MigrationHostedService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!gateway.Value.MigrateOnStart)
        {
            return Task.CompletedTask;
        }
        try
        {
            var report = DatabaseMigrator.Migrate(database.Value.ConnectionString!, logger);
            LogMigrated(logger, report.Applied.Count, report.Total);
        }
        catch (MigrationFailedException e)
        {
            throw new StartupException(e.Message, e);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new StartupException($"database unreachable: {e.Message}", e);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Database migrated: {Applied} applied, {Total} in this build")]
    private static partial void LogMigrated(ILogger logger, int applied, int total);
}
