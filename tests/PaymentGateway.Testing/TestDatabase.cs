using System.Globalization;
using Npgsql;
using PaymentGateway.Persistence.Migrations;

namespace PaymentGateway.Testing;

/// <summary>
/// A fresh, migrated PostgreSQL database per test class (use as <c>IClassFixture&lt;TestDatabase&gt;</c>).
/// The server comes from <c>PGW_TEST_CONNECTION</c>, which <c>./test.sh</c> points at its throwaway cluster. Each test
/// assembly migrates one template database once, then every class gets a copy of it (CREATE DATABASE … TEMPLATE),
/// which is much faster than migrating each time.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static string? templateName;
    private static int counter;

    /// <summary>Connection string of this class's own database.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>Name of this class's own database.</summary>
    public string DatabaseName { get; private set; } = "";

    /// <summary>A data source on this class's own database.</summary>
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    /// <summary>
    /// A connection string to a database that does not exist yet on the same server, named <paramref name="prefix"/>
    /// plus a unique suffix: for tests of database creation and migration.
    /// </summary>
    public string NewDatabaseConnectionString(string prefix) =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { Database = $"{prefix}_{Guid.NewGuid():N}" }.ConnectionString;

    public async Task InitializeAsync()
    {
        var server = DatabaseTests.ServerConnectionString
            ?? throw new InvalidOperationException($"{DatabaseTests.Variable} is not set: run the tests with ./test.sh, which starts a throwaway PostgreSQL cluster");
        var template = await EnsureTemplateAsync(server);
        DatabaseName = string.Create(CultureInfo.InvariantCulture, $"pgw_test_{Environment.ProcessId}_{Interlocked.Increment(ref counter)}");
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"create database {DatabaseName} template {template}", admin);
            await create.ExecuteNonQueryAsync();
        }
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = DatabaseName }.ConnectionString;
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (DataSource is null)
        {
            return;
        }
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(DatabaseTests.ServerConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists {DatabaseName} with (force)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task<string> EnsureTemplateAsync(string server)
    {
        await TemplateLock.WaitAsync();
        try
        {
            if (templateName is not null)
            {
                return templateName;
            }
            var name = string.Create(CultureInfo.InvariantCulture, $"pgw_template_{Environment.ProcessId}");
            var connection = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
            DatabaseMigrator.Migrate(connection);
            // CREATE DATABASE … TEMPLATE needs the template to have no open sessions: close the migrator's pooled ones.
            NpgsqlConnection.ClearAllPools();
            templateName = name;
            return name;
        }
        finally
        {
            TemplateLock.Release();
        }
    }
}

/// <summary>How database tests find their server, and whether they may skip.</summary>
public static class DatabaseTests
{
    /// <summary>Environment variable with the admin connection string of the test cluster.</summary>
    public const string Variable = "PGW_TEST_CONNECTION";

    /// <summary>The test cluster's admin connection string, or null when not configured.</summary>
    public static string? ServerConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    /// <summary>
    /// Skip reason when there is no database. Under CI (<c>CI</c> set) there is never a skip: the tests run and fail
    /// loudly, because a green CI must prove the database paths.
    /// </summary>
    public static string? SkipReason =>
        ServerConnectionString is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
            ? $"needs PostgreSQL: run ./test.sh (or set {Variable})"
            : null;
}

/// <summary>A fact that needs PostgreSQL: skipped locally without a database, failing under CI.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DatabaseFactAttribute : FactAttribute
{
    public DatabaseFactAttribute() => Skip = DatabaseTests.SkipReason;
}

/// <summary>A theory that needs PostgreSQL: skipped locally without a database, failing under CI.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DatabaseTheoryAttribute : TheoryAttribute
{
    public DatabaseTheoryAttribute() => Skip = DatabaseTests.SkipReason;
}
