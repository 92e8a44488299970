using System.Reflection;
using DbUp;
using DbUp.Engine;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PaymentGateway.Persistence.Migrations;

/// <summary>
/// Applies the forward-only migrations embedded in this assembly (<c>Migrations/V####__name.sql</c>), each in its own
/// transaction so a failing script leaves nothing half-applied. Used at gateway start-up and by <c>pgw migrate</c>.
/// </summary>
public static class DatabaseMigrator
{
    // Arbitrary but fixed ("PGWMIG" in ASCII): the advisory lock that serialises concurrent migrators.
    private const long MigrationLockKey = 0x5047_574D_4947;

    private static readonly Assembly ScriptAssembly = typeof(DatabaseMigrator).Assembly;

    /// <summary>Creates the database when missing, then applies every pending migration.</summary>
    /// <exception cref="MigrationFailedException">A script failed; its transaction was rolled back.</exception>
    public static MigrationReport Migrate(string connectionString, ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;
        var log = new UpgradeLog(logger);
        EnsureDatabase.For.PostgresqlDatabase(connectionString, log);
        // Several gateway instances may start together: one migrates, the others wait and then find nothing to do.
        // Unpooled, so the session (and the lock with it) really ends when this method returns.
        var unpooled = new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
        using var lockConnection = new Npgsql.NpgsqlConnection(unpooled);
        lockConnection.Open();
        using (var take = new Npgsql.NpgsqlCommand($"select pg_advisory_lock({MigrationLockKey})", lockConnection))
        {
            take.ExecuteNonQuery();
        }
        var upgrader = Build(connectionString, log);
        var result = upgrader.PerformUpgrade();
        using (var release = new Npgsql.NpgsqlCommand($"select pg_advisory_unlock({MigrationLockKey})", lockConnection))
        {
            release.ExecuteNonQuery();
        }
        if (!result.Successful)
        {
            var script = result.ErrorScript?.Name is { } name ? ShortName(name) : "(unknown script)";
            throw new MigrationFailedException(script, result.Error);
        }
        return new MigrationReport(result.Scripts.Select(s => ShortName(s.Name)).ToList(), EmbeddedScriptNames().Count);
    }

    /// <summary>Names of the migrations not yet applied to the database (empty when it is up to date).</summary>
    public static IReadOnlyList<string> PendingMigrations(string connectionString) =>
        Build(connectionString, new UpgradeLog(NullLogger.Instance)).GetScriptsToExecute().Select(s => ShortName(s.Name)).ToList();

    /// <summary>File names of every embedded migration, in the order they apply.</summary>
    public static IReadOnlyList<string> EmbeddedScriptNames() =>
        ScriptAssembly.GetManifestResourceNames().Where(IsMigration).Select(ShortName).Order(StringComparer.Ordinal).ToList();

    private static UpgradeEngine Build(string connectionString, IUpgradeLog log) =>
        DeployChanges.To.PostgresqlDatabase(connectionString)
            .WithScriptsEmbeddedInAssembly(ScriptAssembly, IsMigration)
            .WithTransactionPerScript()
            .LogTo(log)
            .Build();

    private static bool IsMigration(string resourceName) =>
        resourceName.StartsWith("PaymentGateway.Persistence.Migrations.V", StringComparison.Ordinal)
        && resourceName.EndsWith(".sql", StringComparison.Ordinal);

    // "PaymentGateway.Persistence.Migrations.V0001__initial.sql" -> "V0001__initial.sql"
    private static string ShortName(string resourceName) =>
        resourceName.StartsWith("PaymentGateway.Persistence.Migrations.", StringComparison.Ordinal)
            ? resourceName["PaymentGateway.Persistence.Migrations.".Length..]
            : resourceName;

    private sealed class UpgradeLog(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => logger.LogTrace(format, args);
        public void LogDebug(string format, params object[] args) => logger.LogDebug(format, args);
        public void LogInformation(string format, params object[] args) => logger.LogInformation(format, args);
        public void LogWarning(string format, params object[] args) => logger.LogWarning(format, args);
        public void LogError(string format, params object[] args) => logger.LogError(format, args);
        public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, format, args);
    }
}

/// <summary>What a migration run did.</summary>
/// <param name="Applied">Scripts applied by this run, in order.</param>
/// <param name="Total">Number of migrations embedded in this build.</param>
public sealed record MigrationReport(IReadOnlyList<string> Applied, int Total);

/// <summary>A migration script failed; its transaction was rolled back, earlier scripts stay applied.</summary>
public sealed class MigrationFailedException(string script, Exception? inner)
    : Exception($"migration {script} failed: {inner?.Message ?? "unknown error"}", inner)
{
    /// <summary>File name of the failing script, e.g. <c>V0002__receipts.sql</c>.</summary>
    public string Script { get; } = script;
}
