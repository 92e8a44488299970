using System.Globalization;
using System.Text.Json;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using PaymentGateway.Core;
using PaymentGateway.Core.Positions;
using PaymentGateway.Persistence;

namespace PaymentGateway.Notices.Issuance;

/// <summary>
/// Writes a batch of validated positions. Duplicates live at the position level (EC + IUPD) and in EC-supplied
/// notice numbers, so those are binary-COPYed into session-private staging tables and checked against the database
/// in one statement; the positions are then inserted set-based from staging (<c>on conflict do nothing</c> turns an
/// IUPD committed meanwhile by another import into a duplicate). Options, transfers and outbox events cannot conflict
/// (fresh ids, fresh or already checked notice numbers), so they are COPYed straight into their tables, as
/// <c>PositionBulkWriter</c> does: staging them too would write every row twice. The caller owns the transaction,
/// so a batch (or, with all-or-nothing, the whole file) commits or rolls back as one.
/// </summary>
internal sealed class IssuanceBatchWriter(OrganizationFiscalCode organization, TimeProvider time)
{
    private readonly string _org = organization.ToString();
    private long[] _positionIds = [];

    /// <summary>Stages <paramref name="drafts"/> and returns, per draft index, why it duplicates existing data.</summary>
    public async Task<Dictionary<int, string>> StageAsync(NpgsqlConnection connection, IReadOnlyList<PositionDraft> drafts, CancellationToken cancellationToken)
    {
        // Temp tables live in this session only, so concurrent imports never see each other's rows.
        const string create = """
            create temp table if not exists import_stage_positions (
                seq integer primary key, id bigint not null, iupd text not null, service_code text, debtor_type char(1) not null,
                debtor_id text not null, debtor_name text not null, debtor_street text, debtor_civic_number text,
                debtor_postal_code text, debtor_city text, debtor_province text, debtor_country char(2), debtor_email text,
                description text not null, emission_year smallint) on commit delete rows;
            create temp table if not exists import_stage_notices (
                position_seq integer not null, notice_number text not null) on commit delete rows;
            truncate import_stage_positions, import_stage_notices;
            """;
        await connection.ExecuteAsync(new CommandDefinition(create, cancellationToken: cancellationToken));
        _positionIds = await connection.ReserveIdsAsync("debt_positions", drafts.Count, cancellationToken);
        await CopyStageAsync(connection, drafts, cancellationToken);
        // Autovacuum never analyzes temp tables; without statistics the planner may pick nested loops over them.
        await connection.ExecuteAsync(new CommandDefinition("analyze import_stage_positions, import_stage_notices", cancellationToken: cancellationToken));

        const string existing = """
            select s.seq, 'iupd ' || s.iupd || ' already exists for this EC' as reason
            from import_stage_positions s
            where exists (select 1 from debt_positions d where d.organization_fiscal_code = @org and d.iupd = s.iupd)
            union all
            select n.position_seq, 'notice number ' || n.notice_number || ' was already issued by this EC and is never reused'
            from import_stage_notices n
            where exists (select 1 from payment_options p where p.organization_fiscal_code = @org and p.notice_number = n.notice_number)
            """;
        var duplicates = new Dictionary<int, string>();
        foreach (var (seq, reason) in await connection.QueryAsync<(int, string)>(new CommandDefinition(existing, new { org = _org }, cancellationToken: cancellationToken)))
        {
            duplicates.TryAdd(seq, reason);
        }
        return duplicates;
    }

    /// <summary>
    /// Inserts the staged positions that are not duplicates, with <paramref name="notices"/> (per draft, aligned with
    /// <see cref="OrderedOptions"/>; null for a duplicate). Returns the indexes of positions another import inserted
    /// meanwhile (same IUPD): nothing of them is written.
    /// </summary>
    public async Task<IReadOnlyList<int>> InsertAsync(NpgsqlConnection connection, IReadOnlyList<PositionDraft> drafts,
        IReadOnlyList<NoticeNumber[]?> notices, CancellationToken cancellationToken)
    {
        const string insert = """
            insert into debt_positions (id, organization_fiscal_code, iupd, service_code, debtor_type, debtor_id, debtor_name,
                debtor_street, debtor_civic_number, debtor_postal_code, debtor_city, debtor_province, debtor_country,
                debtor_email, description, emission_year)
            select id, @org, iupd, service_code, debtor_type, debtor_id, debtor_name, debtor_street, debtor_civic_number,
                   debtor_postal_code, debtor_city, debtor_province, debtor_country, debtor_email, description, emission_year
            from import_stage_positions where seq = any(@included) order by seq
            on conflict (organization_fiscal_code, iupd) do nothing
            returning id
            """;
        var included = Enumerable.Range(0, drafts.Count).Where(i => notices[i] is not null).ToArray();
        var inserted = (await connection.QueryAsync<long>(new CommandDefinition(insert, new { org = _org, included }, cancellationToken: cancellationToken))).ToHashSet();
        var written = included.Where(i => inserted.Contains(_positionIds[i])).ToList();
        var lost = included.Where(i => !inserted.Contains(_positionIds[i])).ToList();
        if (written.Count > 0)
        {
            await CopyChildrenAsync(connection, drafts, notices, written, cancellationToken);
        }
        return lost;
    }

    /// <summary>The options in the order they are numbered and written: single payment first, then installments.</summary>
    public static IEnumerable<OptionDraft> OrderedOptions(PositionDraft draft) =>
        draft.Options.OrderBy(o => o.InstallmentNumber ?? 0);

    private async Task CopyStageAsync(NpgsqlConnection connection, IReadOnlyList<PositionDraft> drafts, CancellationToken cancellationToken)
    {
        await using (var writer = await connection.BeginBinaryImportAsync("""
            copy import_stage_positions (seq, id, iupd, service_code, debtor_type, debtor_id, debtor_name, debtor_street,
                debtor_civic_number, debtor_postal_code, debtor_city, debtor_province, debtor_country, debtor_email,
                description, emission_year) from stdin (format binary)
            """, cancellationToken))
        {
            for (var i = 0; i < drafts.Count; i++)
            {
                var d = drafts[i];
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(i, NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteAsync(_positionIds[i], NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteAsync(d.Iupd, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteNullableAsync(d.ServiceCode, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(((char)d.Debtor.Type).ToString(), NpgsqlDbType.Char, cancellationToken);
                await writer.WriteAsync(d.Debtor.Value, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(d.DebtorName, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteNullableAsync(d.Contact.Street, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteNullableAsync(d.Contact.CivicNumber, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteNullableAsync(d.Contact.PostalCode, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteNullableAsync(d.Contact.City, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteNullableAsync(d.Contact.Province, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteNullableAsync(d.Contact.Country, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteNullableAsync(d.Contact.Email, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(d.Description, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteNullableAsync(d.EmissionYear, NpgsqlDbType.Smallint, cancellationToken);
            }
            await writer.CompleteAsync(cancellationToken);
        }
        await using (var writer = await connection.BeginBinaryImportAsync(
            "copy import_stage_notices (position_seq, notice_number) from stdin (format binary)", cancellationToken))
        {
            for (var i = 0; i < drafts.Count; i++)
            {
                foreach (var option in drafts[i].Options.Where(o => o.Notice is not null))
                {
                    await writer.StartRowAsync(cancellationToken);
                    await writer.WriteAsync(i, NpgsqlDbType.Integer, cancellationToken);
                    await writer.WriteAsync(option.Notice!.Value.Value, NpgsqlDbType.Text, cancellationToken);
                }
            }
            await writer.CompleteAsync(cancellationToken);
        }
    }

    private async Task CopyChildrenAsync(NpgsqlConnection connection, IReadOnlyList<PositionDraft> drafts, IReadOnlyList<NoticeNumber[]?> notices,
        List<int> written, CancellationToken cancellationToken)
    {
        var optionIds = await connection.ReserveIdsAsync("payment_options", written.Sum(i => drafts[i].Options.Count), cancellationToken);
        await using (var writer = await connection.BeginBinaryImportAsync("""
            copy payment_options (id, position_id, organization_fiscal_code, notice_number, iuv, amount_cents, due_date,
                                  description, installment_number) from stdin (format binary)
            """, cancellationToken))
        {
            var o = 0;
            foreach (var i in written)
            {
                var k = 0;
                foreach (var option in OrderedOptions(drafts[i]))
                {
                    var notice = notices[i]![k++];
                    await writer.StartRowAsync(cancellationToken);
                    await writer.WriteAsync(optionIds[o++], NpgsqlDbType.Bigint, cancellationToken);
                    await writer.WriteAsync(_positionIds[i], NpgsqlDbType.Bigint, cancellationToken);
                    await writer.WriteAsync(_org, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteAsync(notice.Value, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteAsync(notice.Iuv.Value, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteAsync(option.Amount.Cents, NpgsqlDbType.Bigint, cancellationToken);
                    await writer.WriteAsync(option.DueDate, NpgsqlDbType.Date, cancellationToken);
                    await writer.WriteAsync(option.Description, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteNullableAsync((short?)option.InstallmentNumber, NpgsqlDbType.Smallint, cancellationToken);
                }
            }
            await writer.CompleteAsync(cancellationToken);
        }

        await using (var writer = await connection.BeginBinaryImportAsync("""
            copy transfers (option_id, transfer_index, beneficiary_fiscal_code, account_kind, iban, amount_cents, taxonomy,
                            remittance_information, capitolo, accertamento) from stdin (format binary)
            """, cancellationToken))
        {
            var o = 0;
            foreach (var option in written.SelectMany(i => OrderedOptions(drafts[i])))
            {
                var optionId = optionIds[o++];
                foreach (var t in option.Transfers)
                {
                    var (kind, iban) = t.Account switch
                    {
                        PostalAccount a => ("Postal", a.Iban),
                        BankAccount a => ("Bank", a.Iban),
                        _ => throw new InvalidOperationException($"a file transfer cannot be a {t.Account.GetType().Name}"),
                    };
                    await writer.StartRowAsync(cancellationToken);
                    await writer.WriteAsync(optionId, NpgsqlDbType.Bigint, cancellationToken);
                    await writer.WriteAsync((short)t.Index, NpgsqlDbType.Smallint, cancellationToken);
                    await writer.WriteAsync(t.Beneficiary.Value, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteAsync(kind, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteAsync(iban.Value, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteAsync(t.Amount.Cents, NpgsqlDbType.Bigint, cancellationToken);
                    await writer.WriteAsync(t.Category.Value, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteAsync(t.RemittanceInformation, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteNullableAsync(t.Capitolo, NpgsqlDbType.Text, cancellationToken);
                    await writer.WriteNullableAsync(t.Accertamento, NpgsqlDbType.Text, cancellationToken);
                }
            }
            await writer.CompleteAsync(cancellationToken);
        }

        // The same event and payload as PositionBulkWriter: the ACA mirror (paCreatePosition) and webhooks read it.
        var now = time.GetUtcNow();
        await using (var writer = await connection.BeginBinaryImportAsync(
            Outbox.CopyCommand, cancellationToken))
        {
            foreach (var i in written)
            {
                var d = drafts[i];
                var payload = JsonSerializer.Serialize(new
                {
                    organizationFiscalCode = _org,
                    iupd = d.Iupd,
                    debtor = new { type = ((char)d.Debtor.Type).ToString(), id = d.Debtor.Value, name = d.DebtorName },
                    description = d.Description,
                    options = OrderedOptions(d).Select((o, k) => new
                    {
                        noticeNumber = notices[i]![k].Value,
                        iuv = notices[i]![k].Iuv.Value,
                        amountCents = o.Amount.Cents,
                        dueDate = o.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        description = o.Description,
                        installmentNumber = o.InstallmentNumber,
                    }),
                });
                await Outbox.WriteRowAsync(writer, "position.created", $"{_org}/{d.Iupd}", payload, now, cancellationToken);
            }
            await writer.CompleteAsync(cancellationToken);
        }
    }
}
