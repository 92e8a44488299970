using Dapper;
using Npgsql;
using NpgsqlTypes;
using PaymentGateway.Persistence;

namespace PaymentGateway.Reconciliation.Treasury;

/// <summary>How a statement import ended.</summary>
public enum StatementImportOutcome
{
    /// <summary>Stored (for a file of several statements: at least one was new).</summary>
    Accepted,

    /// <summary>Every statement of the file was imported before: nothing changed.</summary>
    AlreadyImported,

    /// <summary>Malformed, inconsistent or not fitting the mapping: recorded as rejected with the reason, nothing else stored.</summary>
    Rejected,
}

/// <summary>One statement of an imported file.</summary>
/// <param name="StatementPk">treasury_statements.id (of the earlier import, when already imported).</param>
/// <param name="StatementId">camt.053 Stmt/Id (null for CSV).</param>
/// <param name="AccountIban">The account.</param>
/// <param name="AlreadyImported">The same statement was imported before; nothing of it was stored again.</param>
/// <param name="Credits">Credits stored.</param>
/// <param name="CreditsAlreadyKnown">Credits not stored because an earlier statement of the account brought them (overlap).</param>
/// <param name="EntriesIgnored">Debits, reversals, entries not booked.</param>
public sealed record ImportedStatement(long StatementPk, string? StatementId, string AccountIban, bool AlreadyImported, long Credits, long CreditsAlreadyKnown,
    long EntriesIgnored);

/// <summary>Result of <see cref="TreasuryStatementStore"/>'s imports.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Statements">The file's statements (empty when rejected).</param>
/// <param name="RejectedPk">treasury_statements.id of the rejection record.</param>
/// <param name="Reason">Why it was rejected (with the line, when one is to blame).</param>
public sealed record StatementImportResult(StatementImportOutcome Outcome, IReadOnlyList<ImportedStatement> Statements, long? RejectedPk, string? Reason);

/// <summary>
/// Stores bank statements (camt.053, CSV) for the three-way match: the credits stream by binary COPY into a staging
/// table as the reader hands them over, and once the reader has checked the whole file one transaction inserts the
/// statements and moves the credits in with set-based SQL. Idempotent: a statement already imported (same account and
/// statement id; for CSV, same account and content) changes nothing, and a credit that an earlier, overlapping
/// statement of the same account already brought is not stored twice. A file that fails its checks is recorded as
/// rejected with the reason and nothing else.
/// </summary>
public sealed class TreasuryStatementStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>Imports one camt.053 document.</summary>
    /// <param name="stream">The XML.</param>
    /// <param name="source">Where it came from (a file name), kept with the statement.</param>
    /// <param name="cancellationToken">Cancels the import; nothing is kept then.</param>
    public Task<StatementImportResult> ImportCamt053Async(Stream stream, string source, CancellationToken cancellationToken) =>
        ImportAsync("camt.053", stream, (s, onCredit, onStatement, ct) => Camt053Reader.ReadAsync(s, onCredit, onStatement, ct), source, cancellationToken);

    /// <summary>Imports one CSV export read with <paramref name="mapping"/>.</summary>
    /// <param name="stream">The CSV.</param>
    /// <param name="mapping">How to read it.</param>
    /// <param name="source">Where it came from (a file name), kept with the statement.</param>
    /// <param name="cancellationToken">Cancels the import; nothing is kept then.</param>
    public Task<StatementImportResult> ImportCsvAsync(Stream stream, CsvStatementMapping mapping, string source, CancellationToken cancellationToken) =>
        ImportAsync("csv", stream, (s, onCredit, onStatement, ct) => CsvStatementReader.ReadAsync(s, mapping, onCredit, onStatement, ct), source, cancellationToken);

    private async Task<StatementImportResult> ImportAsync(string format, Stream stream,
        Func<Stream, Func<StatementCredit, ValueTask>, Action<StatementInfo>, CancellationToken, Task> read, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var receivedAt = time.GetUtcNow();
        await using var hashing = new HashingReadStream(stream);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var statements = new List<StatementInfo>();
        try
        {
            const string staging = """
                create temp table treasury_staging (
                    statement_index integer, line integer, booking_date date, value_date date, amount_cents bigint, remittance text, trn text,
                    end_to_end_id text, bank_reference text, ordering_party text, causale_kind text, flow_id text, flow_id_candidates text[],
                    flow_id_truncated boolean, settlement_progressive smallint, iuv text, causale_amount_cents bigint, causale_confidence smallint
                ) on commit drop
                """;
            await connection.ExecuteAsync(new CommandDefinition(staging, transaction: transaction, cancellationToken: cancellationToken));
            await using (var rows = await connection.BeginBinaryImportAsync("""
                copy treasury_staging (statement_index, line, booking_date, value_date, amount_cents, remittance, trn, end_to_end_id, bank_reference,
                                       ordering_party, causale_kind, flow_id, flow_id_candidates, flow_id_truncated, settlement_progressive, iuv,
                                       causale_amount_cents, causale_confidence) from stdin (format binary)
                """, cancellationToken))
            {
                await read(hashing, async credit =>
                {
                    var causale = CausaleParser.Parse(credit.Remittance);
                    await rows.StartRowAsync(cancellationToken);
                    await rows.WriteAsync(credit.StatementIndex, NpgsqlDbType.Integer, cancellationToken);
                    await rows.WriteAsync(credit.Line, NpgsqlDbType.Integer, cancellationToken);
                    await rows.WriteAsync(credit.BookingDate, NpgsqlDbType.Date, cancellationToken);
                    await rows.WriteNullableAsync(credit.ValueDate, NpgsqlDbType.Date, cancellationToken);
                    await rows.WriteAsync(credit.Amount.Cents, NpgsqlDbType.Bigint, cancellationToken);
                    await rows.WriteAsync(credit.Remittance, NpgsqlDbType.Text, cancellationToken);
                    await rows.WriteNullableAsync(credit.Trn, NpgsqlDbType.Text, cancellationToken);
                    await rows.WriteNullableAsync(credit.EndToEndId, NpgsqlDbType.Text, cancellationToken);
                    await rows.WriteNullableAsync(credit.BankReference, NpgsqlDbType.Text, cancellationToken);
                    await rows.WriteNullableAsync(credit.OrderingParty, NpgsqlDbType.Text, cancellationToken);
                    await rows.WriteAsync(causale.Kind.ToString(), NpgsqlDbType.Text, cancellationToken);
                    await rows.WriteNullableAsync(causale.FlowId, NpgsqlDbType.Text, cancellationToken);
                    if (causale.FlowIdCandidates is { } candidates)
                    {
                        await rows.WriteAsync(candidates.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
                    }
                    else
                    {
                        await rows.WriteNullAsync(cancellationToken);
                    }
                    await rows.WriteAsync(causale.Truncated, NpgsqlDbType.Boolean, cancellationToken);
                    await rows.WriteNullableAsync((short?)causale.Progressive, NpgsqlDbType.Smallint, cancellationToken);
                    await rows.WriteNullableAsync(causale.Iuv, NpgsqlDbType.Text, cancellationToken);
                    await rows.WriteNullableAsync(causale.Amount?.Cents, NpgsqlDbType.Bigint, cancellationToken);
                    await rows.WriteAsync((short)causale.Confidence, NpgsqlDbType.Smallint, cancellationToken);
                }, statements.Add, cancellationToken);
                await rows.CompleteAsync(cancellationToken);
            }
            var sha256 = await hashing.FinishAsync(cancellationToken);
            await CheckUniqueReferencesAsync(connection, transaction, statements, cancellationToken);
            var result = await StoreAsync(connection, transaction, format, statements, sha256, source, receivedAt, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new StatementImportResult(result.All(s => s.AlreadyImported) ? StatementImportOutcome.AlreadyImported : StatementImportOutcome.Accepted,
                result, null, null);
        }
        catch (StatementRejectedException e)
        {
            await transaction.RollbackAsync(cancellationToken);
            var sha256 = await hashing.FinishAsync(cancellationToken);
            var pk = await RecordRejectedAsync(format, e.Message, sha256, source, receivedAt, cancellationToken);
            return new StatementImportResult(StatementImportOutcome.Rejected, [], pk, e.Message);
        }
    }

    // A bank reference names one entry of an account: twice in one file is a malformed statement, not two credits.
    private static async Task CheckUniqueReferencesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<StatementInfo> statements,
        CancellationToken cancellationToken)
    {
        const string sql = """
            select s.bank_reference as reference, min(s.line) as firstline, max(s.line) as secondline
            from treasury_staging s join unnest(@indexes, @ibans) m(statement_index, account_iban) on m.statement_index = s.statement_index
            where s.bank_reference is not null
            group by m.account_iban, s.bank_reference
            having count(*) > 1
            limit 1
            """;
        var duplicate = await connection.QueryFirstOrDefaultAsync<DuplicateReference>(new CommandDefinition(sql, new
        {
            indexes = statements.Select(s => s.Index).ToArray(),
            ibans = statements.Select(s => s.AccountIban).ToArray(),
        }, transaction, cancellationToken: cancellationToken));
        if (duplicate is { } d)
        {
            throw new StatementRejectedException($"the bank reference '{d.Reference}' names two entries (also on line {d.FirstLine})", d.SecondLine);
        }
    }

    private sealed record DuplicateReference(string Reference, int FirstLine, int SecondLine);

    private static async Task<List<ImportedStatement>> StoreAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string format,
        List<StatementInfo> statements, string sha256, string source, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        const string insertStatement = """
            insert into treasury_statements (status, format, statement_key, statement_id, format_version, account_iban, created_at, from_date, to_date,
                                             credits, credits_cents, credits_already_known, entries_ignored, content_sha256, source, received_at)
            values ('Accepted', @format, @key, @StatementId, @Version, @AccountIban, @CreatedAt, @FromDate, @ToDate, 0, 0, 0, @EntriesIgnored, @sha256, @source, @receivedAt)
            on conflict (statement_key) where status = 'Accepted' do nothing
            returning id
            """;
        const string findStatement = """
            select id from treasury_statements where status = 'Accepted' and statement_key = @key
            """;
        var stored = new List<(StatementInfo Info, long Pk, bool New)>();
        foreach (var s in statements)
        {
            // camt.053: the bank's statement id on the account; CSV has none, so the file's content stands in for one.
            var key = s.StatementId is { } id ? $"{format}:{s.AccountIban}:{id}" : $"{format}:{s.AccountIban}:sha256:{sha256}";
            var pk = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(insertStatement, new
            {
                format, key, s.StatementId, s.Version, s.AccountIban, CreatedAt = s.CreatedAt?.ToUniversalTime(), s.FromDate, s.ToDate, s.EntriesIgnored, sha256, source, receivedAt,
            }, transaction, cancellationToken: cancellationToken));
            stored.Add(pk is { } p
                ? (s, p, true)
                : (s, await connection.ExecuteScalarAsync<long>(new CommandDefinition(findStatement, new { key }, transaction, cancellationToken: cancellationToken)), false));
        }

        // The credits of the new statements, set-based. An entry's key on its account is the bank's reference, else its
        // content and how many equal entries precede it in the statement: an entry that an earlier statement of the
        // account already brought (an overlapping export) is left out by the unique key.
        const string moveCredits = """
            with statements as (
                select statement_index, statement_pk, account_iban from unnest(@indexes, @pks, @ibans) m(statement_index, statement_pk, account_iban)
            ), entries as (
                select m.statement_pk, m.account_iban, s.line, s.booking_date, s.value_date, s.amount_cents, s.remittance, s.trn, s.end_to_end_id,
                       s.bank_reference, s.ordering_party, s.causale_kind, s.flow_id, s.flow_id_candidates, s.flow_id_truncated, s.settlement_progressive,
                       s.iuv, s.causale_amount_cents, s.causale_confidence,
                       coalesce('ref:' || s.bank_reference,
                                'content:' || encode(sha256(convert_to(concat_ws('|', s.booking_date, s.value_date, s.amount_cents, s.remittance, s.trn,
                                                                                 s.end_to_end_id, s.ordering_party), 'UTF8')), 'hex')
                                || '#' || row_number() over (partition by m.account_iban, s.bank_reference is null,
                                                                          s.booking_date, s.value_date, s.amount_cents, s.remittance, s.trn, s.end_to_end_id,
                                                                          s.ordering_party
                                                             order by s.statement_index, s.line)) as entry_key
                from treasury_staging s join statements m on m.statement_index = s.statement_index
            ), inserted as (
                insert into treasury_credits (statement_pk, line, account_iban, entry_key, booking_date, value_date, amount_cents, remittance, trn,
                                              end_to_end_id, bank_reference, ordering_party, causale_kind, flow_id, flow_id_candidates, flow_id_truncated,
                                              settlement_progressive, iuv, causale_amount_cents, causale_confidence)
                select statement_pk, line, account_iban, entry_key, booking_date, value_date, amount_cents, remittance, trn, end_to_end_id, bank_reference,
                       ordering_party, causale_kind, flow_id, flow_id_candidates, flow_id_truncated, settlement_progressive, iuv, causale_amount_cents,
                       causale_confidence
                from entries
                order by statement_pk, line
                on conflict on constraint treasury_credits_entry_key do nothing
                returning statement_pk, amount_cents
            )
            update treasury_statements t
            set credits = c.credits, credits_cents = c.cents, credits_already_known = c.staged - c.credits
            from (
                select m.statement_pk, count(i.statement_pk) as credits, coalesce(sum(i.amount_cents), 0)::bigint as cents,
                       (select count(*) from treasury_staging s where s.statement_index = m.statement_index) as staged
                from statements m left join inserted i on i.statement_pk = m.statement_pk
                group by m.statement_pk, m.statement_index
            ) c
            where t.id = c.statement_pk
            returning t.id, t.credits, t.credits_already_known
            """;
        var fresh = stored.Where(s => s.New).ToList();
        var counts = fresh.Count == 0
            ? []
            : (await connection.QueryAsync<(long Id, long Credits, long Known)>(new CommandDefinition(moveCredits, new
            {
                indexes = fresh.Select(s => s.Info.Index).ToArray(),
                pks = fresh.Select(s => s.Pk).ToArray(),
                ibans = fresh.Select(s => s.Info.AccountIban).ToArray(),
            }, transaction, cancellationToken: cancellationToken))).ToDictionary(c => c.Id);
        return [.. stored.Select(s => s.New
            ? new ImportedStatement(s.Pk, s.Info.StatementId, s.Info.AccountIban, false, counts[s.Pk].Credits, counts[s.Pk].Known, s.Info.EntriesIgnored)
            : new ImportedStatement(s.Pk, s.Info.StatementId, s.Info.AccountIban, true, 0, 0, s.Info.EntriesIgnored))];
    }

    private async Task<long> RecordRejectedAsync(string format, string reason, string sha256, string source, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        const string sql = """
            insert into treasury_statements (status, rejection_reason, format, content_sha256, source, received_at)
            values ('Rejected', @reason, @format, @sha256, @source, @receivedAt)
            returning id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new { reason, format, sha256, source, receivedAt }, cancellationToken: cancellationToken));
    }
}
