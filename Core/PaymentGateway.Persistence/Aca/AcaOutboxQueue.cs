using Dapper;
using Npgsql;
using PaymentGateway.Persistence.Positions;

namespace PaymentGateway.Persistence.Aca;

/// <summary>
/// The position events still to be mirrored to ACA, handed out so that a position's events go out one at a time and in
/// id order, however many gateway instances run. A claim locks, for the length of one transaction, only the oldest
/// pending event of each position (<c>for update skip locked</c>); an event whose predecessor is still pending, or
/// locked by another instance, is not eligible at all. Delivery is recorded in the same transaction, so a crash
/// before commit means the event is sent again (at least once), never that a later one overtakes it.
/// </summary>
public sealed class AcaOutboxQueue(NpgsqlDataSource dataSource)
{
    // Literal, not a parameter, so the planner can use the partial index outbox_position_pending_idx (V0005); other
    // event types (payment.received, …) stay unpublished for their own consumers and must not slow the claim down.
    private const string PositionTypes = $"'{PositionEvents.Created}', '{PositionEvents.Changed}', '{PositionEvents.Cancelled}'";

    /// <summary>Claims up to <paramref name="limit"/> events (one per position at most) due at <paramref name="now"/>.</summary>
    public async Task<AcaClaim> ClaimAsync(int limit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Parked events do not count as pending predecessors: later events carry the whole notice again and supersede
        // them. A re-driven (unparked) event that a later delivered event already superseded is flagged, not resent,
        // so ACA never goes back to an older state.
        const string sql = $"""
            select o.id, o.event_type as eventtype, o.aggregate_key as aggregatekey, o.payload::text as payload, o.attempts,
                   exists (select 1 from outbox l
                           where l.aggregate_key = o.aggregate_key and l.id > o.id
                             and l.published_at is not null and l.event_type in ({PositionTypes})) as superseded
            from outbox o
            where o.published_at is null and o.parked_at is null and o.event_type in ({PositionTypes})
              and (o.next_attempt_at is null or o.next_attempt_at <= @now)
              and not exists (select 1 from outbox p
                              where p.aggregate_key = o.aggregate_key and p.id < o.id
                                and p.published_at is null and p.parked_at is null and p.event_type in ({PositionTypes}))
            order by o.id
            limit @limit
            for update of o skip locked
            """;
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        NpgsqlTransaction? transaction = null;
        try
        {
            transaction = await connection.BeginTransactionAsync(cancellationToken);
            var events = (await connection.QueryAsync<AcaQueuedEvent>(new CommandDefinition(sql,
                new { now, limit }, transaction, cancellationToken: cancellationToken))).ToList();
            return new AcaClaim(connection, transaction, events);
        }
        catch
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Events waiting to be mirrored (including those waiting for a retry) and parked events.</summary>
    public async Task<(long Pending, long Parked)> CountAsync(CancellationToken cancellationToken)
    {
        const string sql = $"""
            select (select count(*) from outbox
                    where published_at is null and parked_at is null and event_type in ({PositionTypes})) as pending,
                   (select count(*) from outbox
                    where published_at is null and parked_at is not null and event_type in ({PositionTypes})) as parked
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<(long Pending, long Parked)>(
            new CommandDefinition(sql, cancellationToken: cancellationToken));
        return row;
    }
}

/// <summary>An outbox event handed out by <see cref="AcaOutboxQueue"/>; <see cref="Payload"/> is a <see cref="PositionEventPayload"/>.</summary>
public sealed record AcaQueuedEvent(long Id, string EventType, string AggregateKey, string Payload, int Attempts, bool Superseded);

/// <summary>The EC's own accounts of a notice (ACA credits the whole amount to the EC in Stand-In) and its expiry policy.</summary>
public sealed record AcaNoticeAccounts(string? Iban, string? PostalIban, int? ExpiryGraceDays);

/// <summary>
/// Claimed events, locked until <see cref="CommitAsync"/> (or disposal, which releases them undelivered). Not thread
/// safe: record outcomes one at a time.
/// </summary>
public sealed class AcaClaim(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<AcaQueuedEvent> events) : IAsyncDisposable
{
    /// <summary>The claimed events, in id order, at most one per position.</summary>
    public IReadOnlyList<AcaQueuedEvent> Events { get; } = events;

    /// <summary>IBAN, postal IBAN (first of the EC's own transfers of each kind) and expiry grace days per (EC, notice number).</summary>
    public async Task<IReadOnlyDictionary<(string Organization, string Notice), AcaNoticeAccounts>> AccountsAsync(
        IReadOnlyCollection<(string Organization, string Notice)> notices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notices);
        const string sql = """
            select o.organization_fiscal_code as organization, o.notice_number as notice, c.expiry_grace_days as grace_days,
                   (select t.iban from transfers t
                    where t.option_id = o.id and t.beneficiary_fiscal_code = o.organization_fiscal_code and t.account_kind = 'Bank'
                      and substr(t.iban, 6, 5) <> '07601'
                    order by t.transfer_index limit 1) as iban,
                   (select t.iban from transfers t
                    where t.option_id = o.id and t.beneficiary_fiscal_code = o.organization_fiscal_code
                      and (t.account_kind = 'Postal' or (t.account_kind = 'Bank' and substr(t.iban, 6, 5) = '07601'))
                    order by t.transfer_index limit 1) as postal_iban
            from unnest(@organizations, @notices) as k(organization, notice)
            join payment_options o on o.organization_fiscal_code = k.organization and o.notice_number = k.notice
            join creditors c on c.organization_fiscal_code = o.organization_fiscal_code
            """;
        var rows = await connection.QueryAsync<(string Organization, string Notice, int? GraceDays, string? Iban, string? PostalIban)>(
            new CommandDefinition(sql, new
            {
                organizations = notices.Select(n => n.Organization).ToArray(),
                notices = notices.Select(n => n.Notice).ToArray(),
            }, transaction, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => (r.Organization, r.Notice), r => new AcaNoticeAccounts(r.Iban, r.PostalIban, r.GraceDays));
    }

    /// <summary>Delivered (or superseded): the next event of the position becomes eligible once committed.</summary>
    public Task MarkDeliveredAsync(long id, string? note, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            update outbox set published_at = @now, attempts = attempts + 1, last_error = @note, next_attempt_at = null
            where id = @id
            """;
        return connection.ExecuteAsync(new CommandDefinition(sql, new { id, note, now }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>A transient failure: the event (and the rest of its position) waits until <paramref name="nextAttemptAt"/>.</summary>
    public Task MarkRetryAsync(long id, string error, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken)
    {
        const string sql = """
            update outbox set attempts = attempts + 1, last_error = @error, next_attempt_at = @nextAttemptAt
            where id = @id
            """;
        return connection.ExecuteAsync(new CommandDefinition(sql, new { id, error, nextAttemptAt }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>A permanent failure: the event is set aside for an operator and no longer holds back its position.</summary>
    public Task ParkAsync(long id, string error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        const string sql = """
            update outbox set attempts = attempts + 1, last_error = @error, parked_at = @now, next_attempt_at = null
            where id = @id
            """;
        return connection.ExecuteAsync(new CommandDefinition(sql, new { id, error, now }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>Makes the recorded outcomes durable and releases the locks.</summary>
    public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

    /// <summary>Rolls back whatever was not committed (the events stay pending) and returns the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
