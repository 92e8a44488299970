using System.Text.Json;
using Dapper;
using Npgsql;

namespace PaymentGateway.Persistence;

/// <summary>The transactional outbox: an event row written in the same transaction as the change it announces.</summary>
public static class Outbox
{
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
