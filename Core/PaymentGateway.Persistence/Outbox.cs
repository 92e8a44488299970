using System.Text.Json;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace PaymentGateway.Persistence;

/// <summary>The transactional outbox: an event row written in the same transaction as the change it announces.</summary>
public static class Outbox
{
    /// <summary>The COPY that bulk writers use to add many events at once (rows via <see cref="WriteRowAsync"/>).</summary>
    public const string CopyCommand = "copy outbox (event_id, event_type, aggregate_key, payload, created_at) from stdin (format binary)";

    /// <summary>One event row of a <see cref="CopyCommand"/> import; <paramref name="payloadJson"/> is already serialised.</summary>
    public static async Task WriteRowAsync(NpgsqlBinaryImporter writer, string eventType, string aggregateKey, string payloadJson, DateTimeOffset createdAt,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        await writer.StartRowAsync(cancellationToken);
        await writer.WriteAsync(NewEventId(createdAt), NpgsqlDbType.Uuid, cancellationToken);
        await writer.WriteAsync(eventType, NpgsqlDbType.Text, cancellationToken);
        await writer.WriteAsync(aggregateKey, NpgsqlDbType.Text, cancellationToken);
        await writer.WriteAsync(payloadJson, NpgsqlDbType.Jsonb, cancellationToken);
        await writer.WriteAsync(createdAt, NpgsqlDbType.TimestampTz, cancellationToken);
    }

    /// <summary>A new event id. Version 7 ids sort by time, which keeps the unique index append-mostly.</summary>
    public static Guid NewEventId(DateTimeOffset createdAt) => Guid.CreateVersion7(createdAt);

    /// <summary>Adds an event to <paramref name="transaction"/>; it becomes visible only if the transaction commits.</summary>
    public static Task AddAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string eventType, string aggregateKey,
        object payload, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        const string sql = """
            insert into outbox (event_id, event_type, aggregate_key, payload, created_at)
            values (@eventId, @eventType, @aggregateKey, @payload::jsonb, @createdAt)
            """;
        return connection.ExecuteAsync(new CommandDefinition(sql, new
        {
            eventId = NewEventId(createdAt),
            eventType,
            aggregateKey,
            payload = JsonSerializer.Serialize(payload),
            createdAt,
        }, transaction, cancellationToken: cancellationToken));
    }
}
