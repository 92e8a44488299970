using Dapper;
using Npgsql;
using PaymentGateway.Persistence.Migrations;

namespace PaymentGateway.Persistence;

/// <summary>Answers "is PostgreSQL reachable and fully migrated?" for readiness probes.</summary>
public sealed class DatabaseStatus(NpgsqlDataSource dataSource)
{
    private static readonly string[] Expected = DatabaseMigrator.EmbeddedScriptNames().ToArray();

    /// <summary>Null when ready; otherwise the reason, in one line.</summary>
    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            select scriptname from schemaversions
            """;
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var applied = (await connection.QueryAsync<string>(new CommandDefinition(sql, cancellationToken: cancellationToken)))
                .Select(n => n.Replace("PaymentGateway.Persistence.Migrations.", "", StringComparison.Ordinal))
                .ToHashSet(StringComparer.Ordinal);
            var missing = Expected.Where(s => !applied.Contains(s)).ToList();
            return missing.Count == 0 ? null : $"{missing.Count} migration(s) not applied, first {missing[0]}";
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return "database not migrated";
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return $"database unreachable: {e.Message}";
        }
    }
}
