using System.Text.Json;
using Dapper;
using Npgsql;
using PaymentGateway.Core;
using PaymentGateway.Core.Positions;
using PaymentGateway.Core.Receipts;
using PaymentGateway.Persistence.Positions;

namespace PaymentGateway.Persistence.Node;

/// <summary>How a receipt delivery was recorded.</summary>
public enum ReceiptStoreOutcome
{
    /// <summary>First delivery of this (EC, receiptId): stored, option updated, event written.</summary>
    Stored,

    /// <summary>Redelivery of an identical receipt: nothing changed.</summary>
    Redelivered,

    /// <summary>Same (EC, receiptId) with different content: kept in receipt_conflicts, nothing else changed.</summary>
    ConflictingRedelivery,
}

/// <summary>Result of <see cref="ReceiptStore.StoreAsync"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="ReceiptPk">receipts.id of the (first) receipt.</param>
/// <param name="Anomaly">The anomaly recorded with the first delivery, if any.</param>
public readonly record struct ReceiptStoreResult(ReceiptStoreOutcome Outcome, long ReceiptPk, ReceiptAnomaly? Anomaly);

/// <summary>
/// Stores receipts idempotently on (EC, receiptId). The receipt row, the option's new status, the receipt's transfers
/// and the <c>payment.received</c> outbox event commit together, with synchronous commit forced on, before the Node is
/// answered: an acknowledged receipt survives a crash. When the receipt changes the option's status (it marks it Paid),
/// a <c>position.changed</c> event (<see cref="PositionEvents"/>) with the whole position after the change commits with
/// it too, so the ACA mirror closes the paid notice (and, through the plan rule, the notices it rules out).
/// </summary>
public sealed class ReceiptStore(NpgsqlDataSource dataSource)
{
    private const string ExistingSql = """
        select id, content_hash, anomaly from receipts where organization_fiscal_code = @ec and receipt_id = @receiptId
        """;

    /// <summary>Stores <paramref name="receipt"/> (see <see cref="ReceiptStoreOutcome"/>).</summary>
    /// <param name="receipt">The parsed receipt.</param>
    /// <param name="recipient">idPA of the request: the EC whose station received it (differs from the notice's EC for broadcast copies).</param>
    /// <param name="primitive">paSendRT or paSendRTV2.</param>
    /// <param name="rawXml">The receipt as received (legal value: kept verbatim).</param>
    /// <param name="contentHash">SHA-256 of the receipt's canonical content, to tell redeliveries from conflicts.</param>
    /// <param name="receivedAt">Arrival time.</param>
    /// <param name="cancellationToken">Request deadline.</param>
    public async Task<ReceiptStoreResult> StoreAsync(PaymentReceipt receipt, string recipient, string primitive, string rawXml, byte[] contentHash,
        DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var ec = receipt.Creditor;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Redeliveries are the Node's normal retry traffic (up to ~48 copies of one receipt): an identical copy is
        // answered from one indexed read, with no transaction and no lock.
        var known = await connection.QuerySingleOrDefaultAsync<ExistingRow>(new CommandDefinition(ExistingSql,
            new { ec, receiptId = receipt.ReceiptId }, cancellationToken: cancellationToken));
        if (known is not null && known.content_hash.AsSpan().SequenceEqual(contentHash))
        {
            return new ReceiptStoreResult(ReceiptStoreOutcome.Redelivered, known.id, known.anomaly is { } a ? Enum.Parse<ReceiptAnomaly>(a) : null);
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Round trip 1: make this commit durable whatever the server default, look for an earlier delivery, and lock
        // the option so that two different receipts for one notice are decided one after the other (the second is
        // a double payment). Then, with the option locked (the order PositionCommands uses too: option rows, then
        // this lock), take the position's event lock of PositionEvents, so that the position.changed event written
        // below gets an outbox id in commit order among the position's events. Round trip 2 writes everything;
        // round trip 3 commits.
        const string look = "set local synchronous_commit = on;\n" + ExistingSql + ";\n" + """
            select o.id, o.status, o.amount_cents, o.due_date, c.expiry_grace_days, o.installment_number is not null as is_installment,
                   (select string_agg(case when x.installment_number is null then 'S' else 'I' end || x.status, ',')
                    from payment_options x where x.position_id = o.position_id and x.id <> o.id) as others
            from payment_options o
            join creditors c on c.organization_fiscal_code = o.organization_fiscal_code
            where o.organization_fiscal_code = @ec and o.notice_number = @notice
            for update of o;
            select pg_advisory_xact_lock(hashtextextended(p.organization_fiscal_code || '/' || p.iupd, 0))
            from payment_options o
            join debt_positions p on p.id = o.position_id
            where o.organization_fiscal_code = @ec and o.notice_number = @notice;
            """;
        ExistingRow? earlier;
        OptionRow? option;
        await using (var results = await connection.QueryMultipleAsync(new CommandDefinition(look,
            new { ec, receiptId = receipt.ReceiptId, notice = receipt.NoticeNumber }, transaction, cancellationToken: cancellationToken)))
        {
            earlier = await results.ReadSingleOrDefaultAsync<ExistingRow>();
            option = await results.ReadSingleOrDefaultAsync<OptionRow>();
            // Read to the end: a GridReader disposed with results left cancels the command.
            await results.ReadAsync<object>();
        }
        if (earlier is not null)
        {
            var again = await RecordRedeliveryAsync(connection, transaction, earlier, rawXml, contentHash, receivedAt, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return again;
        }

        var decision = ReceiptPolicy.Decide(receipt, option is null ? null : EffectiveStatus(option, receipt.PaymentDateTime ?? receivedAt),
            EuroCents.FromCents(option?.amount_cents ?? 0),
            option is not null && DebtPosition.IsSettledOtherwise(option.is_installment,
                PositionReader.Kinds(option.others?.Split(',') ?? [])));
        // One statement: the receipt (unless a concurrent delivery of the same receiptId committed first, in which case
        // nothing below happens), its transfers, the option's new status and the payment.received outbox event.
        const string store = """
            with r as (
                insert into receipts (organization_fiscal_code, receipt_id, notice_number, iuv, option_id, anomaly, outcome, amount_cents,
                                      fee_cents, primary_ci_incurred_fee_cents, psp_id, psp_company_name, channel_id, payment_method,
                                      payment_date_time, application_date, transfer_date, debtor_type, debtor_id, payer_type, payer_id,
                                      stand_in, primitive, content_hash, raw_xml, received_at, recipient_fiscal_code)
                values (@ec, @receiptId, @notice, @iuv, @optionId, @anomaly, @outcome, @amount, @fee, @primaryFee, @pspId, @pspName, @channelId,
                        @paymentMethod, @paymentDateTime, @applicationDate, @transferDate, @debtorType, @debtorId, @payerType, @payerId,
                        @standIn, @primitive, @hash, @raw, @receivedAt, @recipient)
                on conflict (organization_fiscal_code, receipt_id) do nothing
                returning id
            ),
            transfers as (
                insert into receipt_transfers (receipt_pk, id_transfer, beneficiary_fiscal_code, iban, amount_cents, taxonomy, remittance_information, metadata)
                select r.id, t.id_transfer, t.beneficiary, t.iban, t.amount, t.taxonomy, t.remittance, t.metadata::jsonb
                from r, unnest(@ids, @beneficiaries, @ibans, @amounts, @taxonomies, @remittances, @metadata)
                        as t(id_transfer, beneficiary, iban, amount, taxonomy, remittance, metadata)
            ),
            paid as (
                update payment_options set status = @newStatus, status_changed_at = @receivedAt, updated_at = @receivedAt, version = version + 1
                where id = @optionId and @newStatus::text is not null and exists (select 1 from r)
            ),
            event as (
                insert into outbox (event_id, event_type, aggregate_key, payload, created_at)
                select @eventId, 'payment.received', @eventKey, @eventPayload::jsonb, @receivedAt from r
            ),
            -- The PositionEventPayload of the position after this receipt, built here rather than by loading the position
            -- (which would cost the Node's hot path two more round trips); ReceiptStoreTests compares it with
            -- PositionEventPayload.From. Sub-statements share one snapshot, so the paid option's status is taken from
            -- @newStatus, not from the row being updated.
            position_event as (
                insert into outbox (event_id, event_type, aggregate_key, payload, created_at)
                select @positionEventId, 'position.changed', p.organization_fiscal_code || '/' || p.iupd,
                       jsonb_build_object(
                           'organizationFiscalCode', p.organization_fiscal_code,
                           'iupd', p.iupd,
                           'debtor', jsonb_build_object('type', p.debtor_type, 'id', p.debtor_id, 'name', p.debtor_name),
                           'description', p.description,
                           'options', (select jsonb_agg(jsonb_build_object(
                                              'noticeNumber', s.notice_number, 'iuv', s.iuv, 'amountCents', s.amount_cents,
                                              'dueDate', s.due_date, 'description', s.description,
                                              'installmentNumber', s.installment_number,
                                              'status', case when s.id = @optionId then @newStatus::text else s.status end)
                                          order by s.installment_number nulls first, s.id)
                                       from payment_options s where s.position_id = p.id)),
                       @receivedAt
                from r, payment_options o
                join debt_positions p on p.id = o.position_id
                where o.id = @optionId and @newStatus::text is not null
            )
            select id from r
            """;
        var transfers = receipt.Transfers;
        var inserted = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(store, new
        {
            ec,
            receiptId = receipt.ReceiptId,
            notice = receipt.NoticeNumber,
            iuv = receipt.CreditorReferenceId,
            optionId = option?.id,
            anomaly = decision.Anomaly?.ToString(),
            outcome = receipt.Outcome,
            amount = receipt.Amount.Cents,
            fee = receipt.Fee?.Cents,
            primaryFee = receipt.PrimaryCiIncurredFee?.Cents,
            pspId = receipt.PspId,
            pspName = receipt.PspCompanyName,
            channelId = receipt.ChannelId,
            paymentMethod = receipt.PaymentMethod,
            // Npgsql writes timestamptz only from UTC offsets; the instant is what matters.
            paymentDateTime = receipt.PaymentDateTime?.ToUniversalTime(),
            applicationDate = receipt.ApplicationDate,
            transferDate = receipt.TransferDate,
            debtorType = receipt.DebtorType.ToString(),
            debtorId = receipt.DebtorId,
            payerType = receipt.PayerType?.ToString(),
            payerId = receipt.PayerId,
            standIn = receipt.StandIn,
            primitive,
            hash = contentHash,
            raw = rawXml,
            receivedAt = receivedAt.ToUniversalTime(),
            recipient,
            ids = transfers.Select(t => (short)t.IdTransfer).ToArray(),
            beneficiaries = transfers.Select(t => t.Beneficiary).ToArray(),
            ibans = transfers.Select(t => t.Iban).ToArray(),
            amounts = transfers.Select(t => t.Amount.Cents).ToArray(),
            taxonomies = transfers.Select(t => t.Category).ToArray(),
            remittances = transfers.Select(t => t.RemittanceInformation).ToArray(),
            metadata = transfers.Select(t => t.Metadata.Count == 0 ? null : JsonSerializer.Serialize(t.Metadata.Select(m => new { key = m.Key, value = m.Value }))).ToArray(),
            newStatus = option is not null && decision.StatusChanged ? decision.NewStatus!.Value.ToString() : null,
            eventId = Outbox.NewEventId(receivedAt),
            positionEventId = Outbox.NewEventId(receivedAt),
            eventKey = $"{ec}/{receipt.NoticeNumber}",
            eventPayload = JsonSerializer.Serialize(new
            {
                organizationFiscalCode = ec,
                noticeNumber = receipt.NoticeNumber,
                iuv = receipt.CreditorReferenceId,
                receiptId = receipt.ReceiptId,
                amountCents = receipt.Amount.Cents,
                standIn = receipt.StandIn,
                optionStatus = decision.NewStatus?.ToString(),
                anomaly = decision.Anomaly?.ToString(),
            }),
        }, transaction, cancellationToken: cancellationToken));

        if (inserted is not { } receiptPk)
        {
            // A concurrent delivery of the same receiptId committed between our look and our insert.
            var row = await connection.QuerySingleAsync<ExistingRow>(new CommandDefinition(ExistingSql, new { ec, receiptId = receipt.ReceiptId },
                transaction, cancellationToken: cancellationToken));
            var result = await RecordRedeliveryAsync(connection, transaction, row, rawXml, contentHash, receivedAt, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        await transaction.CommitAsync(cancellationToken);
        return new ReceiptStoreResult(ReceiptStoreOutcome.Stored, receiptPk, decision.Anomaly);
    }

    // An option past its due date under an expiring policy is expired even before a job marks it so.
    private static PaymentOptionStatus EffectiveStatus(OptionRow option, DateTimeOffset paidAt)
    {
        var status = Enum.Parse<PaymentOptionStatus>(option.status);
        var policy = ExpiryPolicy.FromGraceDays(option.expiry_grace_days);
        var paidOn = DateOnly.FromDateTime(RomeCalendar.ToRome(paidAt).DateTime);
        return status == PaymentOptionStatus.Valid && policy.IsPastDue(option.due_date, paidOn) ? PaymentOptionStatus.Expired : status;
    }

    private static async Task<ReceiptStoreResult> RecordRedeliveryAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ExistingRow row,
        string rawXml, byte[] contentHash, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var anomaly = row.anomaly is null ? (ReceiptAnomaly?)null : Enum.Parse<ReceiptAnomaly>(row.anomaly);
        if (row.content_hash.AsSpan().SequenceEqual(contentHash))
        {
            return new ReceiptStoreResult(ReceiptStoreOutcome.Redelivered, row.id, anomaly);
        }
        // Keep each distinct conflicting content once, however often it is redelivered.
        const string conflict = """
            insert into receipt_conflicts (receipt_pk, content_hash, raw_xml, received_at)
            select @pk, @hash, @raw, @receivedAt
            where not exists (select 1 from receipt_conflicts where receipt_pk = @pk and content_hash = @hash)
            """;
        await connection.ExecuteAsync(new CommandDefinition(conflict, new { pk = row.id, hash = contentHash, raw = rawXml, receivedAt }, transaction, cancellationToken: cancellationToken));
        return new ReceiptStoreResult(ReceiptStoreOutcome.ConflictingRedelivery, row.id, anomaly);
    }

#pragma warning disable IDE1006, CA1812 // Dapper row shapes mirror the column names.
    private sealed record OptionRow(long id, string status, long amount_cents, DateOnly due_date, int? expiry_grace_days, bool is_installment, string? others);

    private sealed record ExistingRow(long id, byte[] content_hash, string? anomaly);
#pragma warning restore IDE1006, CA1812
}
