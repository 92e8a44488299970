using System.Globalization;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using PaymentGateway.Core;
using PaymentGateway.Persistence;

namespace PaymentGateway.Reconciliation.Fdr;

/// <summary>How an FdR import ended.</summary>
public enum FdrImportOutcome
{
    /// <summary>Stored with all its rows.</summary>
    Accepted,

    /// <summary>The same (flow id, PSP, revision) was imported before: nothing changed.</summary>
    AlreadyImported,

    /// <summary>Malformed or inconsistent: recorded as rejected with the reason, no row stored.</summary>
    Rejected,
}

/// <summary>Result of <see cref="FdrFlowStore"/>.ImportAsync.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="FlowPk">fdr_flows.id of the stored (or earlier) flow.</param>
/// <param name="FlowId">identificativoFlusso, when it could be read.</param>
/// <param name="Rows">Rows stored (0 unless accepted).</param>
/// <param name="Reason">Why it was rejected.</param>
public sealed record FdrImportResult(FdrImportOutcome Outcome, long FlowPk, string? FlowId, long Rows, string? Reason);

/// <summary>
/// Produces one flow for <see cref="FdrFlowStore"/>: announces the header once before the first row, hands over each
/// row in order, and returns the header once count and sum were checked; throws <see cref="FdrRejectedException"/> for
/// a flow that cannot be accepted. The XML reader, the JSON reader and the REST client are all sources.
/// </summary>
public delegate Task<FdrHeader> FdrFlowSource(Func<FdrRow, ValueTask> onRow, Action<FdrHeader> onHeader, CancellationToken cancellationToken);

/// <summary>
/// Stores reporting flows: the header row, then the rows with binary COPY as the reader streams them, in one
/// transaction; a rejection rolls the rows back and records the flow as rejected with its reason. Importing the same
/// (flow id, PSP, flow date-time) again changes nothing, whether it came from a file or from the API.
/// </summary>
public sealed class FdrFlowStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>Imports one FlussoRiversamento XML document from <paramref name="stream"/>.</summary>
    /// <param name="stream">The XML.</param>
    /// <param name="source">Where it came from (a file name, "api"), kept with the flow.</param>
    /// <param name="cancellationToken">Cancels the import; nothing is kept then.</param>
    public Task<FdrImportResult> ImportAsync(Stream stream, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ImportAsync((onRow, onHeader, ct) => FlussoRiversamentoReader.ReadAsync(stream, onRow, ct, onHeader), source, cancellationToken);
    }

    /// <summary>Imports one flow from any <see cref="FdrFlowSource"/>.</summary>
    /// <param name="read">The flow's source.</param>
    /// <param name="source">Where it came from (a file name, "api"), kept with the flow.</param>
    /// <param name="cancellationToken">Cancels the import; nothing is kept then.</param>
    public async Task<FdrImportResult> ImportAsync(FdrFlowSource read, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var receivedAt = time.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        FdrHeader? seen = null;
        long flowPk = 0;
        NpgsqlBinaryImporter? rows = null;
        var count = 0;
        try
        {
            try
            {
                await read(async row =>
                {
                    // The header is complete before the first row: store it, then stream the rows after it. Only the
                    // commit at the end (after the reader checked count and sum) makes either visible.
                    if (rows is null)
                    {
                        flowPk = await InsertFlowAsync(connection, transaction, seen!, source, receivedAt, cancellationToken);
                        rows = await connection.BeginBinaryImportAsync("""
                            copy fdr_rows (flow_pk, row_number, iuv, iur, transfer_index, amount_cents, outcome_code, outcome_date) from stdin (format binary)
                            """, cancellationToken);
                    }
                    count++;
                    await rows.StartRowAsync(cancellationToken);
                    await rows.WriteAsync(flowPk, NpgsqlDbType.Bigint, cancellationToken);
                    await rows.WriteAsync(count, NpgsqlDbType.Integer, cancellationToken);
                    await rows.WriteAsync(row.Iuv, NpgsqlDbType.Text, cancellationToken);
                    await rows.WriteAsync(row.Iur, NpgsqlDbType.Text, cancellationToken);
                    await rows.WriteNullableAsync((short?)row.TransferIndex, NpgsqlDbType.Smallint, cancellationToken);
                    await rows.WriteAsync(row.Amount.Cents, NpgsqlDbType.Bigint, cancellationToken);
                    await rows.WriteAsync((short)row.OutcomeCode, NpgsqlDbType.Smallint, cancellationToken);
                    await rows.WriteAsync(row.OutcomeDate, NpgsqlDbType.Date, cancellationToken);
                }, header => seen = header, cancellationToken);
                await rows!.CompleteAsync(cancellationToken);
            }
            finally
            {
                if (rows is not null)
                {
                    // After a rejection this abandons the COPY; the rollback below removes whatever it wrote.
                    await rows.DisposeAsync();
                }
            }
            await transaction.CommitAsync(cancellationToken);
            return new FdrImportResult(FdrImportOutcome.Accepted, flowPk, seen!.FlowId, count, null);
        }
        catch (FdrRejectedException e)
        {
            await transaction.RollbackAsync(cancellationToken);
            var pk = await RecordRejectedAsync(seen, e.Message, source, receivedAt, cancellationToken);
            return new FdrImportResult(FdrImportOutcome.Rejected, pk, seen?.FlowId, 0, e.Message);
        }
        catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "fdr_flows_accepted_key" })
        {
            await transaction.RollbackAsync(cancellationToken);
            return new FdrImportResult(FdrImportOutcome.AlreadyImported, await FindAcceptedAsync(seen!, cancellationToken), seen!.FlowId, 0, null);
        }
    }

    private static async Task<long> InsertFlowAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, FdrHeader h, string source,
        DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        const string sql = """
            insert into fdr_flows (status, flow_id, psp_id, revision, flow_date_time, organization_fiscal_code, settlement_reference, settlement_date,
                                   psp_id_type, psp_name, settling_bank_bic, declared_count, declared_total_cents, source, received_at)
            values ('Accepted', @FlowId, @PspId, @revision, @FlowDateTime, @ReceiverFiscalCode, @SettlementReference, @SettlementDate,
                    @PspIdType, @PspName, @SettlingBankBic, @DeclaredCount, @total, @source, @receivedAt)
            returning id
            """;
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new
        {
            h.FlowId, h.PspId, revision = Revision(h), FlowDateTime = FlowInstant(h), h.ReceiverFiscalCode, h.SettlementReference, h.SettlementDate, h.PspIdType,
            h.PspName, h.SettlingBankBic, h.DeclaredCount, total = h.DeclaredTotal.Cents, source, receivedAt,
        }, transaction, cancellationToken: cancellationToken));
    }

    private async Task<long> FindAcceptedAsync(FdrHeader h, CancellationToken cancellationToken)
    {
        const string sql = """
            select id from fdr_flows where status = 'Accepted' and flow_id = @FlowId and psp_id = @PspId and flow_date_time = @at
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { h.FlowId, h.PspId, at = FlowInstant(h) }, cancellationToken: cancellationToken));
    }

    private async Task<long> RecordRejectedAsync(FdrHeader? h, string reason, string source, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        const string sql = """
            insert into fdr_flows (status, rejection_reason, flow_id, psp_id, revision, organization_fiscal_code, declared_count, declared_total_cents,
                                   source, received_at)
            values ('Rejected', @reason, @flowId, @pspId, @revision, @ec, @count, @total, @source, @receivedAt)
            returning id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new
        {
            reason, flowId = h?.FlowId, pspId = h?.PspId, revision = h is null ? (long?)null : Revision(h), ec = h?.ReceiverFiscalCode,
            count = h?.DeclaredCount, total = h?.DeclaredTotal.Cents, source, receivedAt,
        }, cancellationToken: cancellationToken));
    }

    // Files carry no revision number; dataOraFlusso orders revisions of a flow, so it stands in for one.
    private static long Revision(FdrHeader h) =>
        h.Revision ?? long.Parse(h.FlowDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>
    /// The flow's date-time as an instant to the second: what a file and the API agree on for the same revision. A
    /// date-time without offset (dataOraFlusso in files) is Italian time, as the Node reads it (NOTES.md §d.4).
    /// </summary>
    public static DateTimeOffset FlowInstant(FdrHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var t = header.FlowDateTime;
        var instant = t.Kind == DateTimeKind.Unspecified
            ? new DateTimeOffset(t, RomeCalendar.TimeZone.GetUtcOffset(t)).ToUniversalTime()
            : new DateTimeOffset(t.ToUniversalTime(), TimeSpan.Zero);
        return instant.AddTicks(-(instant.Ticks % TimeSpan.TicksPerSecond));
    }
}
