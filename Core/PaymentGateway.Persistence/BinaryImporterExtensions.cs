using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace PaymentGateway.Persistence;

/// <summary>Helpers of the bulk paths: nullable values in binary COPY streams, and ids reserved before a COPY.</summary>
public static class BinaryImporterExtensions
{
    /// <summary>Writes <paramref name="value"/>, or NULL.</summary>
    public static Task WriteNullableAsync(this NpgsqlBinaryImporter writer, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? writer.WriteNullAsync(cancellationToken) : writer.WriteAsync(value, type, cancellationToken);

    /// <summary>Writes <paramref name="value"/>, or NULL.</summary>
    public static Task WriteNullableAsync<T>(this NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type, CancellationToken cancellationToken)
        where T : struct =>
        value is { } v ? writer.WriteAsync(v, type, cancellationToken) : writer.WriteNullAsync(cancellationToken);

    /// <summary>
    /// Reserves <paramref name="count"/> ids from the identity sequence of <paramref name="table"/> (one round trip), so
    /// bulk writers can COPY parents and children that refer to each other. Gaps are harmless.
    /// </summary>
    public static async Task<long[]> ReserveIdsAsync(this NpgsqlConnection connection, string table, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // Table names come from our own code only, never from input.
        var sql = $"select nextval(pg_get_serial_sequence('{table}', 'id')) from generate_series(1, @count)";
        var ids = await connection.QueryAsync<long>(new CommandDefinition(sql, new { count }, cancellationToken: cancellationToken));
        return ids.ToArray();
    }
}
