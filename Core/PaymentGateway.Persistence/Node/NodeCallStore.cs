using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace PaymentGateway.Persistence.Node;

/// <summary>One call the Node made (no bodies, no citizens' data).</summary>
/// <param name="ReceivedAt">Arrival time.</param>
/// <param name="Primitive">Operation, e.g. paVerifyPaymentNotice.</param>
/// <param name="OrganizationFiscalCode">idPA, when readable.</param>
/// <param name="NoticeNumber">Notice number, when present and 18 digits.</param>
/// <param name="StationId">idStation, when readable.</param>
/// <param name="Outcome">OK, KO or FAULT (SOAP fault).</param>
/// <param name="FaultCode">PAA_* code or SOAP fault code.</param>
/// <param name="DurationMicros">Time spent answering.</param>
/// <param name="Caller">Remote address of the caller.</param>
public sealed record NodeCallRecord(DateTimeOffset ReceivedAt, string Primitive, string? OrganizationFiscalCode, string? NoticeNumber,
    string? StationId, string Outcome, string? FaultCode, int DurationMicros, string? Caller);

/// <summary>Payment attempts (paGetPayment) and the node-call journal.</summary>
public sealed class NodeCallStore(NpgsqlDataSource dataSource)
{
    /// <summary>Records a paGetPayment[V2] answer (one insert, committed before the Node is answered).</summary>
    public async Task RecordAttemptAsync(string creditor, string noticeNumber, long? optionId, string stationId, string primitive,
        string? transferType, long? amountCents, string outcome, string? faultCode, DateTimeOffset requestedAt, CancellationToken cancellationToken)
    {
        const string sql = """
            insert into payment_attempts (organization_fiscal_code, notice_number, option_id, station_id, primitive, transfer_type,
                                          amount_cents, outcome, fault_code, requested_at)
            values (@creditor, @noticeNumber, @optionId, @stationId, @primitive, @transferType, @amountCents, @outcome, @faultCode, @requestedAt)
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { creditor, noticeNumber, optionId, stationId, primitive, transferType, amountCents, outcome, faultCode, requestedAt },
            cancellationToken: cancellationToken));
    }

    /// <summary>Writes a batch of journal rows with binary COPY.</summary>
    public async Task WriteJournalAsync(IReadOnlyList<NodeCallRecord> calls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(calls);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var writer = await connection.BeginBinaryImportAsync("""
            copy node_calls (received_at, primitive, organization_fiscal_code, notice_number, station_id, outcome, fault_code, duration_micros, caller)
            from stdin (format binary)
            """, cancellationToken);
        foreach (var c in calls)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(c.ReceivedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            await writer.WriteAsync(c.Primitive, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(c.OrganizationFiscalCode, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(c.NoticeNumber, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(c.StationId, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(c.Outcome, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(c.FaultCode, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(c.DurationMicros, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteNullableAsync(c.Caller, NpgsqlDbType.Text, cancellationToken);
        }
        await writer.CompleteAsync(cancellationToken);
    }

}
