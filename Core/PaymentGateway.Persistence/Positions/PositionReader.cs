using System.Text.Json;
using Dapper;
using Npgsql;
using PaymentGateway.Core;
using PaymentGateway.Core.Positions;

namespace PaymentGateway.Persistence.Positions;

/// <summary>The creditor fields a Node answer needs (companyName, officeName, expiry policy).</summary>
/// <param name="FiscalCode">The EC fiscal code.</param>
/// <param name="Name">companyName.</param>
/// <param name="OfficeName">officeName, if any.</param>
/// <param name="Expiry">The EC's expiry policy.</param>
public sealed record CreditorSummary(OrganizationFiscalCode FiscalCode, string Name, string? OfficeName, ExpiryPolicy Expiry);

/// <summary>A position as stored, with what the SOAP answers need besides the domain object.</summary>
/// <param name="Id">debt_positions.id.</param>
/// <param name="Position">The validated domain position.</param>
/// <param name="OptionIds">payment_options.id by notice number.</param>
/// <param name="Creditor">The owning EC.</param>
/// <param name="DebtorEmail">Debtor e-mail, if known.</param>
public sealed record StoredPosition(long Id, DebtPosition Position, IReadOnlyDictionary<NoticeNumber, long> OptionIds, CreditorSummary Creditor,
    string? DebtorEmail);

/// <summary>One notice as verify/activate see it (see <see cref="PositionReader.FindPayableAsync"/>).</summary>
/// <param name="OptionId">payment_options.id.</param>
/// <param name="Option">The option with its transfers.</param>
/// <param name="OtherOptions">Kind (installment or not) and state of the position's other options.</param>
/// <param name="Iupd">The position's IUPD.</param>
/// <param name="Debtor">The debtor.</param>
/// <param name="DebtorName">The debtor's full name.</param>
/// <param name="DebtorEmail">Debtor e-mail, if known.</param>
/// <param name="PositionDescription">The position description.</param>
/// <param name="Creditor">The owning EC.</param>
public sealed record PayableNotice(long OptionId, PaymentOption Option, IReadOnlyList<(bool IsInstallment, PaymentOptionStatus Status)> OtherOptions,
    string Iupd, DebtorIdentifier Debtor, string DebtorName, string? DebtorEmail, string PositionDescription, CreditorSummary Creditor);

/// <summary>One notice as verify sees it (see <see cref="PositionReader.FindVerifiableAsync"/>): the option's own fields, no transfers.</summary>
/// <param name="Amount">The current amount.</param>
/// <param name="DueDate">The due date.</param>
/// <param name="Description">The option description.</param>
/// <param name="IsInstallment">True for an installment of a plan.</param>
/// <param name="Status">The option's state.</param>
/// <param name="AllPostal">True when every transfer credits a postal account (<see cref="PaymentOption.AllPostal"/>).</param>
/// <param name="OtherOptions">Kind (installment or not) and state of the position's other options.</param>
public sealed record VerifiableNotice(EuroCents Amount, DateOnly DueDate, string Description, bool IsInstallment, PaymentOptionStatus Status,
    bool AllPostal, IReadOnlyList<(bool IsInstallment, PaymentOptionStatus Status)> OtherOptions);

/// <summary>Loads positions: whole (every option and transfer) by IUPD, or just what the Node needs by notice number.</summary>
public sealed class PositionReader(NpgsqlDataSource dataSource)
{
    // One row per (option, transfer) of the position; the caller's FROM/WHERE picks the position.
    private const string PositionColumns = """
        select p.id, p.iupd, p.debtor_type, p.debtor_id, p.debtor_name, p.debtor_email, p.description,
               c.name, c.office_name, c.expiry_grace_days,
               o.id, o.notice_number, o.amount_cents, o.due_date, o.description, o.installment_number, o.status,
               t.transfer_index, t.beneficiary_fiscal_code, t.account_kind, t.iban, t.stamp_hash, t.stamp_type,
               t.stamp_province, t.amount_cents, t.taxonomy, t.remittance_information, t.capitolo, t.accertamento, t.metadata::text
        """;

    /// <summary>The position <paramref name="iupd"/> of <paramref name="creditor"/>, or null when unknown.</summary>
    public async Task<StoredPosition?> FindByIupdAsync(OrganizationFiscalCode creditor, string iupd, CancellationToken cancellationToken)
    {
        const string sql = PositionColumns + "\n" + """
            from debt_positions p
            join creditors c on c.organization_fiscal_code = p.organization_fiscal_code
            join payment_options o on o.position_id = p.id
            join transfers t on t.option_id = o.id
            where p.organization_fiscal_code = $1 and p.iupd = $2
            order by o.installment_number nulls first, o.id, t.transfer_index
            """;
        return await ReadAsync(sql, creditor, iupd, cancellationToken);
    }

    // Runs a PositionColumns statement ($1 = EC, $2 = the key it looks up) and assembles the position.
    private async Task<StoredPosition?> ReadAsync(string sql, OrganizationFiscalCode creditor, string key, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = creditor.ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);

        long positionId = 0;
        string iupd = "", debtorType = "", debtorId = "", debtorName = "", description = "", creditorName = "";
        string? debtorEmail = null, officeName = null;
        int? graceDays = null;
        var options = new List<(long Id, string Notice, long Amount, DateOnly Due, string Description, short? Installment, string Status, List<Transfer> Transfers)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (options.Count == 0)
            {
                positionId = reader.GetInt64(0);
                iupd = reader.GetString(1);
                debtorType = reader.GetString(2);
                debtorId = reader.GetString(3);
                debtorName = reader.GetString(4);
                debtorEmail = reader.IsDBNull(5) ? null : reader.GetString(5);
                description = reader.GetString(6);
                creditorName = reader.GetString(7);
                officeName = reader.IsDBNull(8) ? null : reader.GetString(8);
                graceDays = reader.IsDBNull(9) ? null : reader.GetInt32(9);
            }
            var optionId = reader.GetInt64(10);
            if (options.Count == 0 || options[^1].Id != optionId)
            {
                options.Add((optionId, reader.GetString(11), reader.GetInt64(12), reader.GetFieldValue<DateOnly>(13), reader.GetString(14),
                    reader.IsDBNull(15) ? null : reader.GetInt16(15), reader.GetString(16), []));
            }
            options[^1].Transfers.Add(ReadTransfer(reader, 17));
        }
        if (options.Count == 0)
        {
            return null;
        }

        var domainOptions = new List<PaymentOption>(options.Count);
        var ids = new Dictionary<NoticeNumber, long>(options.Count);
        foreach (var o in options)
        {
            var number = NoticeNumber.Parse(o.Notice);
            ids[number] = o.Id;
            domainOptions.Add(Valid(PaymentOption.Create(number, EuroCents.FromCents(o.Amount), o.Due, o.Description, o.Installment, o.Transfers,
                Enum.Parse<PaymentOptionStatus>(o.Status)), $"option {o.Notice}"));
        }
        var debtor = DebtorIdentifier.Create((EntityType)debtorType[0], debtorId);
        var position = Valid(DebtPosition.Create(creditor, iupd, debtor, debtorName, description, domainOptions), $"position {iupd}");
        var expiry = ExpiryPolicy.FromGraceDays(graceDays);
        return new StoredPosition(positionId, position, ids, new CreditorSummary(creditor, creditorName, officeName, expiry), debtorEmail);
    }

    /// <summary>
    /// What verify and activate need, and no more: the asked option with its transfers, the position's debtor, the EC,
    /// and only the kind and state of the position's other options (for <see cref="DebtPosition.CheckPayable(PaymentOption, IEnumerable{ValueTuple{bool, PaymentOptionStatus}}, DateOnly, ExpiryPolicy)"/>).
    /// Two rows for a TARI notice instead of the whole plan's eight; no lock is taken.
    /// </summary>
    public async Task<PayableNotice?> FindPayableAsync(OrganizationFiscalCode creditor, NoticeNumber notice, CancellationToken cancellationToken)
    {
        const string sql = """
            select p.iupd, p.debtor_type, p.debtor_id, p.debtor_name, p.debtor_email, p.description,
                   c.name, c.office_name, c.expiry_grace_days,
                   o.id, o.amount_cents, o.due_date, o.description, o.installment_number, o.status, others.kinds,
                   t.transfer_index, t.beneficiary_fiscal_code, t.account_kind, t.iban, t.stamp_hash, t.stamp_type,
                   t.stamp_province, t.amount_cents, t.taxonomy, t.remittance_information, t.capitolo, t.accertamento, t.metadata::text
            from payment_options o
            join debt_positions p on p.id = o.position_id
            join creditors c on c.organization_fiscal_code = p.organization_fiscal_code
            cross join lateral (
                select coalesce(array_agg(case when x.installment_number is null then 'S' else 'I' end || x.status), '{}') as kinds
                from payment_options x where x.position_id = o.position_id and x.id <> o.id
            ) others
            join transfers t on t.option_id = o.id
            where o.organization_fiscal_code = $1 and o.notice_number = $2
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = creditor.ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = notice.ToString() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var iupd = reader.GetString(0);
        var debtor = DebtorIdentifier.Create((EntityType)reader.GetString(1)[0], reader.GetString(2));
        var debtorName = reader.GetString(3);
        var debtorEmail = reader.IsDBNull(4) ? null : reader.GetString(4);
        var positionDescription = reader.GetString(5);
        var summary = new CreditorSummary(creditor, reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
            ExpiryPolicy.FromGraceDays(reader.IsDBNull(8) ? null : reader.GetInt32(8)));
        var optionId = reader.GetInt64(9);
        var (amount, due, description) = (reader.GetInt64(10), reader.GetFieldValue<DateOnly>(11), reader.GetString(12));
        short? installment = reader.IsDBNull(13) ? null : reader.GetInt16(13);
        var status = Enum.Parse<PaymentOptionStatus>(reader.GetString(14));
        var others = Kinds(reader.GetFieldValue<string[]>(15));
        // No ORDER BY: PaymentOption.Create sorts the transfers by index, and a Sort node is a measurable part of this query.
        var transfers = new List<Transfer>(2);
        do
        {
            transfers.Add(ReadTransfer(reader, 16));
        }
        while (await reader.ReadAsync(cancellationToken));
        var option = Valid(PaymentOption.Create(notice, EuroCents.FromCents(amount), due, description, installment, transfers, status), $"option {notice}");
        return new PayableNotice(optionId, option, others, iupd, debtor, debtorName, debtorEmail, positionDescription, summary);
    }

    /// <summary>
    /// What verify needs, and no more: the asked option's own fields, whether all its transfers credit postal accounts,
    /// and the kind and state of the position's other options. One row from the notice index plus two small index
    /// probes; the EC's name and policy come from the caller's cache. Null when the notice is unknown.
    /// </summary>
    public async Task<VerifiableNotice?> FindVerifiableAsync(OrganizationFiscalCode creditor, NoticeNumber notice, CancellationToken cancellationToken)
    {
        // Each account as "kind iban" (the IBAN empty for a stamp) so that the postal rule stays in PaymentOption.
        const string sql = """
            select o.amount_cents, o.due_date, o.description, o.installment_number is not null, o.status,
                   array(select case when x.installment_number is null then 'S' else 'I' end || x.status
                         from payment_options x where x.position_id = o.position_id and x.id <> o.id) as kinds,
                   array(select t.account_kind || ' ' || coalesce(t.iban, '') from transfers t where t.option_id = o.id) as accounts
            from payment_options o
            where o.organization_fiscal_code = $1 and o.notice_number = $2
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = creditor.ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = notice.ToString() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        var allPostal = reader.GetFieldValue<string[]>(6).All(a => a.Split(' ') switch
        {
            ["Postal", var iban] => PaymentOption.CreditsPostalAccount(new PostalAccount(Iban.Parse(iban))),
            ["Bank", var iban] => PaymentOption.CreditsPostalAccount(new BankAccount(Iban.Parse(iban))),
            _ => false,
        });
        return new VerifiableNotice(EuroCents.FromCents(reader.GetInt64(0)), reader.GetFieldValue<DateOnly>(1), reader.GetString(2), reader.GetBoolean(3),
            Enum.Parse<PaymentOptionStatus>(reader.GetString(4)), allPostal, Kinds(reader.GetFieldValue<string[]>(5)));
    }

    /// <summary>
    /// A registered postal IBAN for each of <paramref name="creditors"/> that has one (transferType POSTAL / PAGOPA).
    /// </summary>
    public async Task<IReadOnlyDictionary<OrganizationFiscalCode, Iban>> FindPostalIbansAsync(IEnumerable<OrganizationFiscalCode> creditors, CancellationToken cancellationToken)
    {
        const string sql = """
            select distinct on (organization_fiscal_code) organization_fiscal_code, iban
            from creditor_ibans
            where is_postal and organization_fiscal_code = any(@creditors)
            order by organization_fiscal_code, iban
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Creditor, string Iban)>(new CommandDefinition(sql,
            new { creditors = creditors.Select(c => c.ToString()).Distinct().ToArray() }, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => OrganizationFiscalCode.Parse(r.Creditor), r => Iban.Parse(r.Iban));
    }

    // The other options as the queries encode them (here and in ReceiptStore): 'S' (single payment) or 'I' (installment)
    // followed by the status.
    internal static List<(bool IsInstallment, PaymentOptionStatus Status)> Kinds(string[] kinds) =>
        kinds.Select(k => (k[0] == 'I', Enum.Parse<PaymentOptionStatus>(k.AsSpan(1)))).ToList();

    // The 13 transfer columns of PositionColumns / FindPayableAsync, starting at ordinal `at` (transfer_index).
    private static Transfer ReadTransfer(NpgsqlDataReader r, int at)
    {
        string? Text(int i) => r.IsDBNull(at + i) ? null : r.GetString(at + i);
        TransferAccount account = r.GetString(at + 2) switch
        {
            "Bank" => new BankAccount(Iban.Parse(r.GetString(at + 3))),
            "Postal" => new PostalAccount(Iban.Parse(r.GetString(at + 3))),
            "Stamp" => new DigitalStamp(r.GetString(at + 4), r.GetString(at + 5), r.GetString(at + 6)),
            var kind => throw new InvalidOperationException($"unknown account kind {kind}"),
        };
        var metadata = Text(12) is { } json
            ? JsonSerializer.Deserialize<List<MetadataEntry>>(json)!.Select(e => new KeyValuePair<string, string>(e.key, e.value)).ToList()
            : null;
        return new Transfer(r.GetInt16(at), OrganizationFiscalCode.Parse(r.GetString(at + 1)), account, EuroCents.FromCents(r.GetInt64(at + 7)),
            TaxonomyCode.Parse(r.GetString(at + 8)), r.GetString(at + 9), Text(10), Text(11), metadata);
    }

    // Rows were validated on the way in; failing here means the database was edited by hand.
    private static T Valid<T>(DomainResult<T> result, string what) =>
        result.IsSuccess ? result.Value : throw new InvalidOperationException($"stored {what} is invalid: {string.Join("; ", result.Errors)}");

#pragma warning disable IDE1006, CA1812 // JSON shape of transfers.metadata.
    private sealed record MetadataEntry(string key, string value);
#pragma warning restore IDE1006, CA1812
}
