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
/// <param name="PostalIbans">A registered postal IBAN per beneficiary EC of the position, where one exists (transferType POSTAL / PAGOPA).</param>
public sealed record StoredPosition(long Id, DebtPosition Position, IReadOnlyDictionary<NoticeNumber, long> OptionIds, CreditorSummary Creditor,
    string? DebtorEmail, IReadOnlyDictionary<OrganizationFiscalCode, Iban> PostalIbans);

/// <summary>Loads a whole position (every option and transfer) from one of its notice numbers, in one round trip.</summary>
public sealed class PositionReader(NpgsqlDataSource dataSource)
{
    /// <summary>The position holding <paramref name="notice"/> for <paramref name="creditor"/>, or null when unknown.</summary>
    public async Task<StoredPosition?> FindByNoticeAsync(OrganizationFiscalCode creditor, NoticeNumber notice, CancellationToken cancellationToken)
    {
        // One statement batch: the position row, its options, their transfers. No lock is taken: the Node's
        // verify/activate must never block a concurrent receipt.
        const string sql = """
            select p.id, p.iupd, p.debtor_type, p.debtor_id, p.debtor_name, p.debtor_email, p.description,
                   c.name as creditor_name, c.office_name, c.expiry_grace_days
            from payment_options o
            join debt_positions p on p.id = o.position_id
            join creditors c on c.organization_fiscal_code = p.organization_fiscal_code
            where o.organization_fiscal_code = @ec and o.notice_number = @notice;

            select o.id, o.notice_number, o.amount_cents, o.due_date, o.description, o.installment_number, o.status
            from payment_options o
            where o.position_id = (select position_id from payment_options where organization_fiscal_code = @ec and notice_number = @notice)
            order by o.installment_number nulls first;

            select t.option_id, t.transfer_index, t.beneficiary_fiscal_code, t.account_kind, t.iban, t.stamp_hash, t.stamp_type,
                   t.stamp_province, t.amount_cents, t.taxonomy, t.remittance_information, t.capitolo, t.accertamento, t.metadata::text as metadata
            from transfers t
            join payment_options o on o.id = t.option_id
            where o.position_id = (select position_id from payment_options where organization_fiscal_code = @ec and notice_number = @notice)
            order by t.option_id, t.transfer_index;

            select distinct on (i.organization_fiscal_code) i.organization_fiscal_code, i.iban
            from creditor_ibans i
            where i.is_postal and i.organization_fiscal_code in (
                select t.beneficiary_fiscal_code from transfers t join payment_options o on o.id = t.option_id
                where o.position_id = (select position_id from payment_options where organization_fiscal_code = @ec and notice_number = @notice))
            order by i.organization_fiscal_code, i.iban;
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(sql,
            new { ec = creditor.ToString(), notice = notice.ToString() }, cancellationToken: cancellationToken));
        var head = await grid.ReadSingleOrDefaultAsync<PositionRow>();
        if (head is null)
        {
            return null;
        }
        var optionRows = (await grid.ReadAsync<OptionRow>()).ToList();
        var transfers = (await grid.ReadAsync<TransferRow>()).ToLookup(t => t.option_id);
        var postal = (await grid.ReadAsync<(string Creditor, string Iban)>())
            .ToDictionary(r => OrganizationFiscalCode.Parse(r.Creditor), r => Iban.Parse(r.Iban));

        var options = new List<PaymentOption>(optionRows.Count);
        var ids = new Dictionary<NoticeNumber, long>(optionRows.Count);
        foreach (var o in optionRows)
        {
            var number = NoticeNumber.Parse(o.notice_number);
            ids[number] = o.id;
            var option = PaymentOption.Create(number, EuroCents.FromCents(o.amount_cents), o.due_date, o.description,
                o.installment_number, transfers[o.id].Select(ToTransfer).ToList(), Enum.Parse<PaymentOptionStatus>(o.status));
            options.Add(Valid(option, $"option {o.notice_number}"));
        }
        var debtor = DebtorIdentifier.Create((EntityType)head.debtor_type[0], head.debtor_id);
        var position = Valid(DebtPosition.Create(creditor, head.iupd, debtor, head.debtor_name, head.description, options), $"position {head.iupd}");
        var expiry = head.expiry_grace_days is { } grace ? new ExpiryPolicy(true, grace) : ExpiryPolicy.Never;
        return new StoredPosition(head.id, position, ids, new CreditorSummary(creditor, head.creditor_name, head.office_name, expiry), head.debtor_email, postal);
    }

    private static Transfer ToTransfer(TransferRow t)
    {
        TransferAccount account = t.account_kind switch
        {
            "Bank" => new BankAccount(Iban.Parse(t.iban!)),
            "Postal" => new PostalAccount(Iban.Parse(t.iban!)),
            "Stamp" => new DigitalStamp(t.stamp_hash!, t.stamp_type!, t.stamp_province!),
            _ => throw new InvalidOperationException($"unknown account kind {t.account_kind}"),
        };
        var metadata = t.metadata is null
            ? null
            : JsonSerializer.Deserialize<List<MetadataEntry>>(t.metadata)!.Select(e => new KeyValuePair<string, string>(e.key, e.value)).ToList();
        return new Transfer(t.transfer_index, OrganizationFiscalCode.Parse(t.beneficiary_fiscal_code), account, EuroCents.FromCents(t.amount_cents),
            TaxonomyCode.Parse(t.taxonomy), t.remittance_information, t.capitolo, t.accertamento, metadata);
    }

    // Rows were validated on the way in; failing here means the database was edited by hand.
    private static T Valid<T>(DomainResult<T> result, string what) =>
        result.IsSuccess ? result.Value : throw new InvalidOperationException($"stored {what} is invalid: {string.Join("; ", result.Errors)}");

#pragma warning disable IDE1006, CA1812 // Dapper row shapes mirror the column names.
    private sealed record PositionRow(long id, string iupd, string debtor_type, string debtor_id, string debtor_name, string? debtor_email,
        string description, string creditor_name, string? office_name, int? expiry_grace_days);

    private sealed record OptionRow(long id, string notice_number, long amount_cents, DateOnly due_date, string description, short? installment_number, string status);

    private sealed record TransferRow(long option_id, short transfer_index, string beneficiary_fiscal_code, string account_kind, string? iban,
        string? stamp_hash, string? stamp_type, string? stamp_province, long amount_cents, string taxonomy, string remittance_information,
        string? capitolo, string? accertamento, string? metadata);

    private sealed record MetadataEntry(string key, string value);
#pragma warning restore IDE1006, CA1812
}
