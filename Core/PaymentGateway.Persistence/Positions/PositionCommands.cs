using Dapper;
using Npgsql;
using PaymentGateway.Core;
using PaymentGateway.Core.Positions;

namespace PaymentGateway.Persistence.Positions;

/// <summary>How a change requested by the EC ended.</summary>
public enum PositionChangeOutcome
{
    /// <summary>Applied and committed (with its outbox event).</summary>
    Changed,

    /// <summary>Nothing to do: the position already is in the requested state.</summary>
    Unchanged,

    /// <summary>No such position or option.</summary>
    NotFound,

    /// <summary>The state forbids it (e.g. cancelling a paid position).</summary>
    Conflict,

    /// <summary>The new values break a domain rule (see the errors).</summary>
    Invalid,
}

/// <summary>Result of a <see cref="PositionCommands"/> call.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Detail">Why, for Conflict/NotFound.</param>
/// <param name="Errors">Domain errors, for Invalid.</param>
public sealed record PositionChange(PositionChangeOutcome Outcome, string? Detail = null, IReadOnlyList<DomainError>? Errors = null);

/// <summary>
/// The EC's changes to an issued position: a new amount or due date for an option (same IUV and notice number, as
/// the paper notice already printed stays payable), cancel and restore. Each runs in one transaction holding the
/// position's option rows locked, so a concurrent receipt is decided before or after it, never in between; each
/// writes a <c>position.changed</c> or <c>position.cancelled</c> outbox event (<see cref="PositionEvents"/>) for the ACA mirror.
/// </summary>
public sealed class PositionCommands(NpgsqlDataSource dataSource, PositionReader reader, TimeProvider time)
{
    /// <summary>Changes the amount and/or due date of one Valid option.</summary>
    /// <param name="creditor">The EC.</param>
    /// <param name="iupd">The position.</param>
    /// <param name="notice">The option.</param>
    /// <param name="amount">New amount, or null to keep it.</param>
    /// <param name="transferAmounts">New transfer amounts by transfer index; required with a new amount when the option has several transfers.</param>
    /// <param name="dueDate">New due date, or null to keep it.</param>
    /// <param name="cancellationToken">Request cancellation.</param>
    public async Task<PositionChange> ChangeOptionAsync(OrganizationFiscalCode creditor, string iupd, NoticeNumber notice, EuroCents? amount,
        IReadOnlyDictionary<int, EuroCents>? transferAmounts, DateOnly? dueDate, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var stored = await LockAsync(connection, transaction, creditor, iupd, cancellationToken);
        if (stored is null)
        {
            return new(PositionChangeOutcome.NotFound, $"position {iupd} of {creditor} not found");
        }
        var option = stored.Position.FindOption(notice);
        if (option is null)
        {
            return new(PositionChangeOutcome.NotFound, $"position {iupd} has no option {notice}");
        }
        if (option.Status != PaymentOptionStatus.Valid)
        {
            return new(PositionChangeOutcome.Conflict, $"option {notice} is {option.Status}: only a Valid option can change amount or due date");
        }

        var newAmount = amount ?? option.Amount;
        IReadOnlyList<Transfer> transfers = option.Transfers;
        if (amount is not null && transferAmounts is null)
        {
            if (option.Transfers.Count > 1)
            {
                return new(PositionChangeOutcome.Invalid, Errors: [new("transferAmounts",
                    $"option {notice} has {option.Transfers.Count} transfers: give each transfer's new amount (they must add up to the new amount)")]);
            }
            transfers = [option.Transfers[0] with { Amount = newAmount }];
        }
        else if (transferAmounts is not null)
        {
            var unknown = transferAmounts.Keys.Where(i => option.Transfers.All(t => t.Index != i)).ToList();
            if (unknown.Count > 0)
            {
                return new(PositionChangeOutcome.Invalid, Errors: [new("transferAmounts", $"option {notice} has no transfer {string.Join(", ", unknown)}")]);
            }
            transfers = option.Transfers.Select(t => transferAmounts.TryGetValue(t.Index, out var a) ? t with { Amount = a } : t).ToList();
        }

        var changed = PaymentOption.Create(notice, newAmount, dueDate ?? option.DueDate, option.Description, option.InstallmentNumber, transfers, option.Status);
        if (!changed.IsSuccess)
        {
            return new(PositionChangeOutcome.Invalid, Errors: changed.Errors);
        }
        var position = stored.Position;
        var check = DebtPosition.Create(position.Organization, position.Iupd, position.Debtor, position.DebtorName, position.Description,
            position.Options.Select(o => o.NoticeNumber == notice ? changed.Value : o).ToList());
        if (!check.IsSuccess)
        {
            return new(PositionChangeOutcome.Invalid, Errors: check.Errors);
        }
        if (changed.Value.Amount == option.Amount && changed.Value.DueDate == option.DueDate && transfers.SequenceEqual(option.Transfers))
        {
            return new(PositionChangeOutcome.Unchanged);
        }

        var now = time.GetUtcNow();
        const string updateOption = """
            update payment_options set amount_cents = @amount, due_date = @dueDate, updated_at = @now, version = version + 1 where id = @id;
            update transfers t set amount_cents = n.amount
            from unnest(@indexes, @amounts) as n(transfer_index, amount)
            where t.option_id = @id and t.transfer_index = n.transfer_index and t.amount_cents <> n.amount;
            update debt_positions set updated_at = @now where id = @positionId;
            """;
        await connection.ExecuteAsync(new CommandDefinition(updateOption, new
        {
            amount = changed.Value.Amount.Cents,
            dueDate = changed.Value.DueDate,
            now,
            id = stored.OptionIds[notice],
            indexes = transfers.Select(t => (short)t.Index).ToArray(),
            amounts = transfers.Select(t => t.Amount.Cents).ToArray(),
            positionId = stored.Id,
        }, transaction, cancellationToken: cancellationToken));
        await PositionEvents.AddChangedAsync(connection, transaction, check.Value, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(PositionChangeOutcome.Changed);
    }

    /// <summary>Cancels every Valid option. A position with a paid option cannot be cancelled (refund instead).</summary>
    public Task<PositionChange> CancelAsync(OrganizationFiscalCode creditor, string iupd, CancellationToken cancellationToken) =>
        ApplyAsync(creditor, iupd, OptionEvent.Cancel, cancellationToken);

    /// <summary>Restores every cancelled option to Valid (same notice numbers).</summary>
    public Task<PositionChange> RestoreAsync(OrganizationFiscalCode creditor, string iupd, CancellationToken cancellationToken) =>
        ApplyAsync(creditor, iupd, OptionEvent.Restore, cancellationToken);

    private async Task<PositionChange> ApplyAsync(OrganizationFiscalCode creditor, string iupd, OptionEvent e, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var stored = await LockAsync(connection, transaction, creditor, iupd, cancellationToken);
        if (stored is null)
        {
            return new(PositionChangeOutcome.NotFound, $"position {iupd} of {creditor} not found");
        }
        var options = stored.Position.Options;
        if (e == OptionEvent.Cancel && options.Any(o => o.IsPaid))
        {
            return new(PositionChangeOutcome.Conflict, $"position {iupd} has paid options ({string.Join(", ", options.Where(o => o.IsPaid).Select(o => o.NoticeNumber))}): it cannot be cancelled");
        }
        var moves = options.Select(o => (Option: o, Transition: PaymentOptionLifecycle.Apply(o.Status, e))).Where(m => m.Transition.Changed).ToList();
        if (moves.Count == 0)
        {
            var wanted = e == OptionEvent.Cancel ? PaymentOptionStatus.Cancelled : PaymentOptionStatus.Valid;
            return options.Any(o => o.Status == wanted)
                ? new(PositionChangeOutcome.Unchanged)
                : new(PositionChangeOutcome.Conflict, $"no option of position {iupd} can go from {string.Join("/", options.Select(o => o.Status).Distinct())} to {wanted}");
        }

        var now = time.GetUtcNow();
        const string update = """
            update payment_options set status = @status, status_changed_at = @now, updated_at = @now, version = version + 1
            where id = any(@ids);
            update debt_positions set updated_at = @now where id = @positionId;
            """;
        await connection.ExecuteAsync(new CommandDefinition(update, new
        {
            status = moves[0].Transition.To.ToString(),
            now,
            ids = moves.Select(m => stored.OptionIds[m.Option.NoticeNumber]).ToArray(),
            positionId = stored.Id,
        }, transaction, cancellationToken: cancellationToken));
        // The event carries the whole new state (ACA gets every option, a cancelled one with amount 0).
        var moved = moves.ToDictionary(m => m.Option.NoticeNumber, m => m.Transition.To);
        var after = DebtPosition.Create(stored.Position.Organization, stored.Position.Iupd, stored.Position.Debtor, stored.Position.DebtorName,
            stored.Position.Description, options.Select(o => moved.TryGetValue(o.NoticeNumber, out var to)
                ? PaymentOption.Create(o.NoticeNumber, o.Amount, o.DueDate, o.Description, o.InstallmentNumber, o.Transfers, to).Value
                : o).ToList()).Value;
        await (after.Status == PositionStatus.Cancelled
            ? PositionEvents.AddCancelledAsync(connection, transaction, after, now, cancellationToken)
            : PositionEvents.AddChangedAsync(connection, transaction, after, now, cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new(PositionChangeOutcome.Changed);
    }

    // Locks the position's options in id order (as a receipt does), then reads the position as committed.
    private async Task<StoredPosition?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OrganizationFiscalCode creditor, string iupd,
        CancellationToken cancellationToken)
    {
        const string lockOptions = """
            select o.id from payment_options o join debt_positions p on p.id = o.position_id
            where p.organization_fiscal_code = @ec and p.iupd = @iupd
            order by o.id
            for update of o
            """;
        var locked = (await connection.QueryAsync<long>(new CommandDefinition(lockOptions, new { ec = creditor.ToString(), iupd }, transaction,
            cancellationToken: cancellationToken))).AsList();
        return locked.Count == 0 ? null : await reader.FindByIupdAsync(creditor, iupd, cancellationToken);
    }

}
