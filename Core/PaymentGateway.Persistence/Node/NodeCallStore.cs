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

/// <summary>One paGetPayment[V2] answer (an activation or its refusal).</summary>
/// <param name="OrganizationFiscalCode">idPA.</param>
/// <param name="NoticeNumber">The notice asked for.</param>
/// <param name="OptionId">payment_options.id when the notice is known.</param>
/// <param name="StationId">idStation.</param>
/// <param name="Primitive">paGetPayment or paGetPaymentV2.</param>
/// <param name="TransferType">transferType of the request (POSTAL, PAGOPA), if any.</param>
/// <param name="AmountCents">The amount answered, on OK.</param>
/// <param name="Outcome">OK or KO.</param>
/// <param name="FaultCode">PAA_* code on KO.</param>
/// <param name="RequestedAt">Arrival time.</param>
public sealed record PaymentAttemptRecord(string OrganizationFiscalCode, string NoticeNumber, long? OptionId, string StationId, string Primitive,
    string? TransferType, long? AmountCents, string Outcome, string? FaultCode, DateTimeOffset RequestedAt);

/// <summary>Payment attempts (paGetPayment) and the node-call journal, both written in batches.</summary>
public sealed class NodeCallStore(NpgsqlDataSource dataSource)
{
    /// <summary>Writes a batch of paGetPayment[V2] attempts with binary COPY.</summary>
    public async Task WriteAttemptsAsync(IReadOnlyList<PaymentAttemptRecord> attempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var writer = await connection.BeginBinaryImportAsync("""
            copy payment_attempts (organization_fiscal_code, notice_number, option_id, station_id, primitive, transfer_type,
                                   amount_cents, outcome, fault_code, requested_at)
            from stdin (format binary)
            """, cancellationToken);
        foreach (var a in attempts)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(a.OrganizationFiscalCode, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(a.NoticeNumber, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(a.OptionId, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(a.StationId, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(a.Primitive, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(a.TransferType, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(a.AmountCents, NpgsqlDbType.Bigint, cancellationToken);
            await writer.WriteAsync(a.Outcome, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteNullableAsync(a.FaultCode, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(a.RequestedAt, NpgsqlDbType.TimestampTz, cancellationToken);
        }
        await writer.CompleteAsync(cancellationToken);
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
