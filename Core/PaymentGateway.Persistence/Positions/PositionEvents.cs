using System.Text.Json;
using Dapper;
using Npgsql;
using PaymentGateway.Core.Positions;

namespace PaymentGateway.Persistence.Positions;

/// <summary>
/// The outbox events that announce a position's life: <c>position.created</c> (written by
/// <see cref="PositionBulkWriter"/>), <c>position.changed</c> and <c>position.cancelled</c> (written through this class
/// by whoever changes a position, inside its own transaction). All three carry the same payload,
/// <see cref="PositionEventPayload"/>: the whole position as it is after the change, so a consumer never needs an
/// earlier event to understand a later one. The aggregate key is <c>{EC fiscal code}/{IUPD}</c>.
/// </summary>
public static class PositionEvents
{
    /// <summary>A position was issued.</summary>
    public const string Created = "position.created";

    /// <summary>A position changed (amount, due date, description, an option's status); the payload is the new state.</summary>
    public const string Changed = "position.changed";

    /// <summary>The whole position was cancelled; the payload is its last state.</summary>
    public const string Cancelled = "position.cancelled";

    /// <summary>The event types a position produces.</summary>
    public static IReadOnlyList<string> All { get; } = [Created, Changed, Cancelled];

    /// <summary>JSON names are camelCase, like the created events the bulk writer produces.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>The outbox aggregate key of <paramref name="position"/>: events of one key are delivered in order.</summary>
    public static string AggregateKey(DebtPosition position)
    {
        ArgumentNullException.ThrowIfNull(position);
        return $"{position.Organization}/{position.Iupd}";
    }

    /// <summary>Adds a <c>position.changed</c> event for the state of <paramref name="position"/> after the change.</summary>
    public static Task AddChangedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DebtPosition position,
        DateTimeOffset at, CancellationToken cancellationToken) =>
        AddAsync(connection, transaction, Changed, position, at, cancellationToken);

    /// <summary>Adds a <c>position.cancelled</c> event: every option of <paramref name="position"/> is withdrawn.</summary>
    public static Task AddCancelledAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DebtPosition position,
        DateTimeOffset at, CancellationToken cancellationToken) =>
        AddAsync(connection, transaction, Cancelled, position, at, cancellationToken);

    private static async Task AddAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string eventType,
        DebtPosition position, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(position);
        var key = AggregateKey(position);
        // Consumers deliver a position's events in id order, so ids must follow commit order: two transactions
        // changing the same position take turns here (until commit), and the second one's id is the larger.
        const string sql = "select pg_advisory_xact_lock(hashtextextended(@key, 0))";
        await connection.ExecuteAsync(new CommandDefinition(sql, new { key }, transaction, cancellationToken: cancellationToken));
        var payload = JsonSerializer.SerializeToElement(PositionEventPayload.From(position), Json);
        await Outbox.AddAsync(connection, transaction, eventType, key, payload, at, cancellationToken);
    }
}

/// <summary>Payload of every <see cref="PositionEvents"/> event (camelCase JSON).</summary>
/// <param name="OrganizationFiscalCode">The EC that issued the position (paFiscalCode for ACA).</param>
/// <param name="Iupd">The EC's identifier of the position.</param>
/// <param name="Debtor">Who owes the debt.</param>
/// <param name="Description">The position's description.</param>
/// <param name="Options">Every payment option: the single payment and each installment, each its own notice.</param>
public sealed record PositionEventPayload(
    string OrganizationFiscalCode, string Iupd, PositionEventDebtor Debtor, string Description, IReadOnlyList<PositionEventOption> Options)
{
    /// <summary>The payload for the current state of <paramref name="position"/>.</summary>
    public static PositionEventPayload From(DebtPosition position)
    {
        ArgumentNullException.ThrowIfNull(position);
        return new(
            position.Organization.ToString(),
            position.Iupd,
            new PositionEventDebtor(((char)position.Debtor.Type).ToString(), position.Debtor.Value, position.DebtorName),
            position.Description,
            position.Options.Select(o => new PositionEventOption(
                o.NoticeNumber.ToString(), o.Iuv.ToString(), o.Amount.Cents, o.DueDate, o.Description, o.InstallmentNumber,
                o.Status.ToString())).ToList());
    }
}

/// <summary>The debtor in a <see cref="PositionEventPayload"/>: type F (person) or G (organisation), fiscal code, name.</summary>
public sealed record PositionEventDebtor(string Type, string Id, string Name);

/// <summary>
/// One payment option in a <see cref="PositionEventPayload"/>. <paramref name="Status"/> is a
/// <see cref="PaymentOptionStatus"/> name; <c>position.created</c> events leave it out (every option is Valid then).
/// </summary>
public sealed record PositionEventOption(
    string NoticeNumber, string Iuv, long AmountCents, DateOnly DueDate, string Description, int? InstallmentNumber, string? Status = null);
