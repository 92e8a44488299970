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
/// <remarks>
/// A first delivery costs two round trips and two statements: one read (earlier delivery, option state), then one
/// write statement that is its own transaction. The write is optimistic: it locks the option only if its version is
/// still the one read, so two different receipts for one notice are still decided one after the other (the loser
/// finds the option changed, reads again, and is decided as a double payment).
/// </remarks>
public sealed class ReceiptStore(NpgsqlDataSource dataSource)
{
    // The earlier delivery of this receiptId if any; otherwise the option and what the receipt policy needs to decide.
    // The option part is a one-time filter on "no earlier delivery", so a redelivery costs one index probe.
    private const string LookSql = """
        select e.id as receipt_pk, e.content_hash, e.anomaly,
               o.id as option_id, o.version, o.status, o.amount_cents, o.due_date, o.expiry_grace_days, o.is_installment, o.others
        from (select 1) one
        left join receipts e on e.organization_fiscal_code = @ec and e.receipt_id = @receiptId
        left join lateral (
            select o.id, o.version, o.status, o.amount_cents, o.due_date, c.expiry_grace_days, o.installment_number is not null as is_installment,
                   (select string_agg(case when x.installment_number is null then 'S' else 'I' end || x.status, ',' order by x.id)
                    from payment_options x where x.position_id = o.position_id and x.id <> o.id) as others
            from payment_options o
            join creditors c on c.organization_fiscal_code = o.organization_fiscal_code
            where e.id is null and o.organization_fiscal_code = @ec and o.notice_number = @notice
        ) o on true
        """;

    // One statement, so one transaction without BEGIN/COMMIT round trips:
    // - siblings: the position's options locked in id order (PositionCommands locks them too). In READ COMMITTED a
    //   locked row is returned as last committed, even if it changed after this statement's snapshot; so a receipt
    //   waiting here for another receipt or an EC's change of the same position sees their result;
    // - fresh: the decision still holds: the option has the version it was decided on and the other options of the
    //   plan the states read (else nothing is stored and the caller reads again and decides again);
    // - the position's event lock of PositionEvents, after the option rows, only when a position.changed event is
    //   written, so its outbox id follows commit order among the position's events;
    // - the receipt (unless an earlier delivery of the same receiptId committed meanwhile: on conflict, nothing below
    //   happens), its transfers, the option's new status, payment.received and position.changed (its payload built
    //   from the locked rows);
    // - synchronous_commit on for this transaction whatever the server default.
    private const string StoreSql = """
        with siblings as (
            select s.id, s.position_id, s.version, s.notice_number, s.iuv, s.amount_cents, s.due_date, s.description, s.installment_number,
                   case when s.id = @optionId and @newStatus::text is not null then @newStatus::text else s.status end as status_after,
                   case when s.installment_number is null then 'S' else 'I' end || s.status as kind
            from payment_options s
            where s.position_id = (select position_id from payment_options where id = @optionId)
            order by s.id
            for update of s
        ),
        fresh as (
            select o.id, o.position_id from siblings o
            where o.id = @optionId and o.version = @version
              and (select string_agg(x.kind, ',' order by x.id) from siblings x where x.id <> @optionId) is not distinct from @others
        ),
        event_lock as (
            select pg_advisory_xact_lock(hashtextextended(p.organization_fiscal_code || '/' || p.iupd, 0)), p.id as position_id
            from fresh join debt_positions p on p.id = fresh.position_id
            where @newStatus::text is not null
        ),
        r as (
            insert into receipts (organization_fiscal_code, receipt_id, notice_number, iuv, option_id, anomaly, outcome, amount_cents,
                                  fee_cents, primary_ci_incurred_fee_cents, psp_id, psp_company_name, channel_id, payment_method,
                                  payment_date_time, application_date, transfer_date, debtor_type, debtor_id, payer_type, payer_id,
                                  stand_in, primitive, content_hash, raw_xml, received_at, recipient_fiscal_code)
            select @ec, @receiptId, @notice, @iuv, @optionId, @anomaly, @outcome, @amount, @fee, @primaryFee, @pspId, @pspName, @channelId,
                   @paymentMethod, @paymentDateTime, @applicationDate, @transferDate, @debtorType, @debtorId, @payerType, @payerId,
                   @standIn, @primitive, @hash, @raw, @receivedAt, @recipient
            where @optionId::bigint is null or exists (select from fresh)
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
        -- (which would cost the Node's hot path more round trips); ReceiptStoreTests compares it with
        -- PositionEventPayload.From. Joining event_lock makes the lock come before the outbox id.
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
                                          'installmentNumber', s.installment_number, 'status', s.status_after)
                                      order by s.installment_number nulls first, s.id)
                                   from siblings s)),
                   @receivedAt
            from r, event_lock
            join debt_positions p on p.id = event_lock.position_id
        )
        select (select id from r) as receipt_pk, set_config('synchronous_commit', 'on', true) as durable
        """;

    // Each retry follows a commit by someone else on the same notice or receiptId, so a few always suffice.
    private const int MaxAttempts = 8;

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
        for (var attempt = 1; ; attempt++)
        {
            // Redeliveries are the Node's normal retry traffic (up to ~48 copies of one receipt): an identical copy is
            // answered from this one indexed read, with no transaction and no lock.
            var look = await connection.QuerySingleAsync<LookRow>(new CommandDefinition(LookSql,
                new { ec, receiptId = receipt.ReceiptId, notice = receipt.NoticeNumber }, cancellationToken: cancellationToken));
            if (look.receipt_pk is { } earlierPk)
            {
                return await RecordRedeliveryAsync(connection, new ExistingRow(earlierPk, look.content_hash!, look.anomaly), rawXml, contentHash,
                    receivedAt, cancellationToken);
            }
            var option = look.option_id is null ? null : look;
            var decision = ReceiptPolicy.Decide(receipt, option is null ? null : EffectiveStatus(option, receipt.PaymentDateTime ?? receivedAt),
                EuroCents.FromCents(option?.amount_cents ?? 0),
                option is not null && DebtPosition.IsSettledOtherwise(option.is_installment!.Value,
                    PositionReader.Kinds(option.others?.Split(',') ?? [])));
            var stored = await connection.QuerySingleAsync<long?>(new CommandDefinition(StoreSql,
                StoreParameters(receipt, recipient, primitive, rawXml, contentHash, receivedAt, option, decision), cancellationToken: cancellationToken));
            if (stored is { } receiptPk)
            {
                return new ReceiptStoreResult(ReceiptStoreOutcome.Stored, receiptPk, decision.Anomaly);
            }
            // Nothing written: another receipt changed the option, or a delivery of this receiptId committed first,
            // after our read. Read again: the next round decides on what they committed.
            if (attempt == MaxAttempts)
            {
                throw new InvalidOperationException($"receipt {receipt.ReceiptId} for {ec}/{receipt.NoticeNumber}: the option kept changing ({MaxAttempts} attempts)");
            }
        }
    }

    private static object StoreParameters(PaymentReceipt receipt, string recipient, string primitive, string rawXml, byte[] contentHash,
        DateTimeOffset receivedAt, LookRow? option, ReceiptDecision decision)
    {
        var transfers = receipt.Transfers;
        return new
        {
            ec = receipt.Creditor,
            receiptId = receipt.ReceiptId,
            notice = receipt.NoticeNumber,
            iuv = receipt.CreditorReferenceId,
            optionId = option?.option_id,
            version = option?.version,
            others = option?.others,
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
            eventKey = $"{receipt.Creditor}/{receipt.NoticeNumber}",
            eventPayload = JsonSerializer.Serialize(new
            {
                organizationFiscalCode = receipt.Creditor,
                noticeNumber = receipt.NoticeNumber,
                iuv = receipt.CreditorReferenceId,
                receiptId = receipt.ReceiptId,
                amountCents = receipt.Amount.Cents,
                standIn = receipt.StandIn,
                optionStatus = decision.NewStatus?.ToString(),
                anomaly = decision.Anomaly?.ToString(),
            }),
        };
    }

    // An option past its due date under an expiring policy is expired even before a job marks it so.
    private static PaymentOptionStatus EffectiveStatus(LookRow option, DateTimeOffset paidAt)
    {
        var status = Enum.Parse<PaymentOptionStatus>(option.status!);
        var policy = ExpiryPolicy.FromGraceDays(option.expiry_grace_days);
        var paidOn = DateOnly.FromDateTime(RomeCalendar.ToRome(paidAt).DateTime);
        return status == PaymentOptionStatus.Valid && policy.IsPastDue(option.due_date!.Value, paidOn) ? PaymentOptionStatus.Expired : status;
    }

    private static async Task<ReceiptStoreResult> RecordRedeliveryAsync(NpgsqlConnection connection, ExistingRow row,
        string rawXml, byte[] contentHash, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var anomaly = row.anomaly is null ? (ReceiptAnomaly?)null : Enum.Parse<ReceiptAnomaly>(row.anomaly);
        if (row.content_hash.AsSpan().SequenceEqual(contentHash))
        {
            return new ReceiptStoreResult(ReceiptStoreOutcome.Redelivered, row.id, anomaly);
        }
        // Keep each distinct conflicting content once, however often it is redelivered. One statement, one
        // transaction; set_config makes its commit synchronous whenever it writes the row.
        const string conflict = """
            insert into receipt_conflicts (receipt_pk, content_hash, raw_xml, received_at)
            select @pk, @hash, @raw, @receivedAt
            where not exists (select 1 from receipt_conflicts where receipt_pk = @pk and content_hash = @hash)
              and set_config('synchronous_commit', 'on', true) is not null
            """;
        await connection.ExecuteAsync(new CommandDefinition(conflict, new { pk = row.id, hash = contentHash, raw = rawXml, receivedAt },
            cancellationToken: cancellationToken));
        return new ReceiptStoreResult(ReceiptStoreOutcome.ConflictingRedelivery, row.id, anomaly);
    }

#pragma warning disable IDE1006, CA1812 // Dapper row shapes mirror the column names.
    private sealed record LookRow(long? receipt_pk, byte[]? content_hash, string? anomaly, long? option_id, int? version, string? status,
        long? amount_cents, DateOnly? due_date, int? expiry_grace_days, bool? is_installment, string? others);

    private sealed record ExistingRow(long id, byte[] content_hash, string? anomaly);
#pragma warning restore IDE1006, CA1812
}
