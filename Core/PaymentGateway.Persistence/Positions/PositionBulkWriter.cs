using System.Text.Json;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using PaymentGateway.Core.Positions;

namespace PaymentGateway.Persistence.Positions;

/// <summary>
/// Writes many validated positions at once with binary COPY, in one transaction: either every position, option and
/// transfer lands, or none does. Ids are reserved from the identity sequences first so the three COPY streams can
/// refer to each other without a round trip per row. Each position also gets a <c>position.created</c> outbox event
/// in the same transaction: the ACA mirror (paCreatePosition, for Stand-In) and webhooks are fed from it.
/// </summary>
public sealed class PositionBulkWriter(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>Batches at least this large refresh the planner statistics after committing.</summary>
    public const int AnalyzeThreshold = 1_000;

    /// <summary>Writes <paramref name="positions"/>; returns the number of options written.</summary>
    public async Task<int> WriteAsync(IReadOnlyList<DebtPosition> positions, short? emissionYear, string? serviceCode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(positions);
        if (positions.Count == 0)
        {
            return 0;
        }
        var optionCount = positions.Sum(p => p.Options.Count);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var positionIds = await connection.ReserveIdsAsync("debt_positions", positions.Count, cancellationToken);
        var optionIds = await connection.ReserveIdsAsync("payment_options", optionCount, cancellationToken);

        await using (var writer = await connection.BeginBinaryImportAsync("""
            copy debt_positions (id, organization_fiscal_code, iupd, service_code, debtor_type, debtor_id, debtor_name,
                                 description, emission_year) from stdin (format binary)
            """, cancellationToken))
        {
            for (var i = 0; i < positions.Count; i++)
            {
                var p = positions[i];
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(positionIds[i], NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteAsync(p.Organization.ToString(), NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(p.Iupd, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteNullableAsync(serviceCode, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(((char)p.Debtor.Type).ToString(), NpgsqlDbType.Char, cancellationToken);
                await writer.WriteAsync(p.Debtor.Value, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(p.DebtorName, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(p.Description, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteNullableAsync(emissionYear, NpgsqlDbType.Smallint, cancellationToken);
            }
            await writer.CompleteAsync(cancellationToken);
        }

        await using (var writer = await connection.BeginBinaryImportAsync("""
            copy payment_options (id, position_id, organization_fiscal_code, notice_number, iuv, amount_cents, due_date,
                                  description, installment_number, status) from stdin (format binary)
            """, cancellationToken))
        {
            var o = 0;
            for (var i = 0; i < positions.Count; i++)
            {
                foreach (var option in positions[i].Options)
                {
                    await writer.StartRowAsync(cancellationToken);
                    await writer.WriteAsync(optionIds[o++], NpgsqlDbType.Bigint, cancellationToken);
                    await writer.WriteAsync(positionIds[i], NpgsqlDbType.Bigint, cancellationToken);
                    await writer.WriteAsync(positions[i].Organization.ToString(), NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteAsync(option.NoticeNumber.ToString(), NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteAsync(option.Iuv.ToString(), NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteAsync(option.Amount.Cents, NpgsqlDbType.Bigint, cancellationToken);
                    await writer.WriteAsync(option.DueDate, NpgsqlDbType.Date, cancellationToken);
                    await writer.WriteAsync(option.Description, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteNullableAsync((short?)option.InstallmentNumber, NpgsqlDbType.Smallint, cancellationToken);
                    await writer.WriteAsync(option.Status.ToString(), NpgsqlDbType.Text, cancellationToken);
                }
            }
            await writer.CompleteAsync(cancellationToken);
        }

        await using (var writer = await connection.BeginBinaryImportAsync("""
            copy transfers (option_id, transfer_index, beneficiary_fiscal_code, account_kind, iban, stamp_hash, stamp_type,
                            stamp_province, amount_cents, taxonomy, remittance_information, capitolo, accertamento, metadata)
            from stdin (format binary)
            """, cancellationToken))
        {
            var o = 0;
            foreach (var option in positions.SelectMany(p => p.Options))
            {
                var optionId = optionIds[o++];
                foreach (var t in option.Transfers)
                {
                    await writer.StartRowAsync(cancellationToken);
                    await writer.WriteAsync(optionId, NpgsqlDbType.Bigint, cancellationToken);
                    await writer.WriteAsync((short)t.Index, NpgsqlDbType.Smallint, cancellationToken);
                    await writer.WriteAsync(t.Beneficiary.ToString(), NpgsqlDbType.Text, cancellationToken);
                    var (kind, iban, stamp) = t.Account switch
                    {
                        PostalAccount a => ("Postal", a.Iban.ToString(), (DigitalStamp?)null),
                        BankAccount a => ("Bank", a.Iban.ToString(), null),
                        DigitalStamp s => ("Stamp", null, s),
                        _ => throw new InvalidOperationException($"unknown transfer account {t.Account.GetType().Name}"),
                    };
                    await writer.WriteAsync(kind, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteNullableAsync(iban, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteNullableAsync(stamp?.DocumentHashBase64, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteNullableAsync(stamp?.StampType, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteNullableAsync(stamp?.Province, NpgsqlDbType.Char, cancellationToken);
                    await writer.WriteAsync(t.Amount.Cents, NpgsqlDbType.Bigint, cancellationToken);
                    await writer.WriteAsync(t.Category.ToString(), NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteAsync(t.RemittanceInformation, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteNullableAsync(t.Capitolo, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteNullableAsync(t.Accertamento, NpgsqlDbType.Text, cancellationToken);
                    var metadata = t.Metadata is { Count: > 0 } m
                        ? JsonSerializer.Serialize(m.Select(kv => new { key = kv.Key, value = kv.Value }))
                        : null;
                    await writer.WriteNullableAsync(metadata, NpgsqlDbType.Jsonb, cancellationToken);
                }
            }
            await writer.CompleteAsync(cancellationToken);
        }

        await WriteCreatedEventsAsync(connection, positions, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (positions.Count >= AnalyzeThreshold)
        {
            // A mass emission can multiply the tables' size; until autovacuum notices, the planner works from stale
            // statistics and may scan what it should look up (measured: verify 10x slower right after a seed).
            await connection.ExecuteAsync(new CommandDefinition("analyze debt_positions, payment_options, transfers", cancellationToken: cancellationToken));
        }
        return optionCount;
    }

    private async Task WriteCreatedEventsAsync(NpgsqlConnection connection, IReadOnlyList<DebtPosition> positions, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var writer = await connection.BeginBinaryImportAsync(
            Outbox.CopyCommand, cancellationToken);
        foreach (var p in positions)
        {
            // What ACA's paCreatePosition needs per notice (EC, debtor, IUV, NAV, cents, description, expiry), plus the IUPD.
            var payload = JsonSerializer.Serialize(new
            {
                organizationFiscalCode = p.Organization.ToString(),
                iupd = p.Iupd,
                debtor = new { type = ((char)p.Debtor.Type).ToString(), id = p.Debtor.Value, name = p.DebtorName },
                description = p.Description,
                options = p.Options.Select(o => new
                {
                    noticeNumber = o.NoticeNumber.ToString(),
                    iuv = o.Iuv.ToString(),
                    amountCents = o.Amount.Cents,
                    dueDate = o.DueDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    description = o.Description,
                    installmentNumber = o.InstallmentNumber,
                }),
            });
            await Outbox.WriteRowAsync(writer, "position.created", $"{p.Organization}/{p.Iupd}", payload, now, cancellationToken);
        }
        await writer.CompleteAsync(cancellationToken);
    }

}
