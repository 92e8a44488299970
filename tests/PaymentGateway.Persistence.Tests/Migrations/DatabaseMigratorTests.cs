using Npgsql;
using PaymentGateway.Persistence.Migrations;
using PaymentGateway.Testing;

namespace PaymentGateway.Persistence.Tests.Migrations;

public sealed class DatabaseMigratorTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [DatabaseFact]
    public void Migrate_FreshDatabase_AppliesEveryScriptOnceThenNothing()
    {
        var connection = NewDatabase();
        var first = DatabaseMigrator.Migrate(connection);
        Assert.Equal(DatabaseMigrator.EmbeddedScriptNames(), first.Applied);
        Assert.Contains("V0001__initial.sql", first.Applied);

        var second = DatabaseMigrator.Migrate(connection);
        Assert.Empty(second.Applied);
        Assert.Empty(DatabaseMigrator.PendingMigrations(connection));
    }

    [DatabaseFact]
    public async Task Migrate_ScriptFails_NamesTheFileAndLeavesNothingHalfApplied()
    {
        var connection = NewDatabase(create: true);
        // A conflicting object makes V0001 fail half-way (brokers is its first table, creditors comes later).
        await using (var conn = new NpgsqlConnection(connection))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("create table creditors (x int)", conn);
            await cmd.ExecuteNonQueryAsync();
        }

        var error = Assert.Throws<MigrationFailedException>(() => DatabaseMigrator.Migrate(connection));

        Assert.Equal("V0001__initial.sql", error.Script);
        Assert.Contains("V0001__initial.sql", error.Message, StringComparison.Ordinal);
        await using var check = new NpgsqlConnection(connection);
        await check.OpenAsync();
        await using var exists = new NpgsqlCommand("select to_regclass('brokers') is not null", check);
        Assert.False((bool)(await exists.ExecuteScalarAsync())!);
        Assert.Equal(["V0001__initial.sql"], DatabaseMigrator.PendingMigrations(connection).Take(1));
    }

    [DatabaseFact]
    public async Task DatabaseStatus_States_AreReportedInOneLine()
    {
        Assert.Null(await new DatabaseStatus(database.DataSource).CheckAsync(CancellationToken.None));

        await using var empty = NpgsqlDataSource.Create(NewDatabase(create: true));
        Assert.Equal("database not migrated", await new DatabaseStatus(empty).CheckAsync(CancellationToken.None));

        var closedPort = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = 1, Timeout = 2 }.ConnectionString;
        await using var unreachable = NpgsqlDataSource.Create(closedPort);
        Assert.StartsWith("database unreachable", await new DatabaseStatus(unreachable).CheckAsync(CancellationToken.None), StringComparison.Ordinal);
    }

    // A database name that does not exist yet (DbUp creates it) or, with create, an empty one.
    private string NewDatabase(bool create = false)
    {
        var connection = database.NewDatabaseConnectionString("pgw_m");
        if (create)
        {
            var name = new NpgsqlConnectionStringBuilder(connection).Database;
            using var admin = new NpgsqlConnection(database.ConnectionString);
            admin.Open();
            using var cmd = new NpgsqlCommand($"create database {name}", admin);
            cmd.ExecuteNonQuery();
        }
        return connection;
    }
}
