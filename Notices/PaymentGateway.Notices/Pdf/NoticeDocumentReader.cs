using System.Runtime.CompilerServices;
using Npgsql;
using PaymentGateway.Core;

namespace PaymentGateway.Notices.Pdf;

/// <summary>A position's notice as read for mass rendering, with the position id the stream is ordered (and resumed) by.</summary>
public sealed record PositionNotice(long PositionId, NoticeDocument Document);

/// <summary>Builds <see cref="NoticeDocument"/>s from the database: one notice, or every payable position of an EC.</summary>
public sealed class NoticeDocumentReader(NpgsqlDataSource dataSource)
{
    // Shared column list: position, debtor, creditor (with its first postal IBAN) and one row per payable option.
    private const string Columns = """
        p.id, p.debtor_id, p.debtor_name, p.debtor_street, p.debtor_civic_number, p.debtor_postal_code, p.debtor_city,
        p.debtor_province, p.description, c.organization_fiscal_code, c.name, c.office_name, c.cbill_code,
        c.postal_authorization, postal.iban, o.notice_number, o.amount_cents, o.due_date, o.installment_number
        """;

    /// <summary>
    /// The notice holding <paramref name="notice"/> with every payable option of its position (so an installment's notice
    /// shows the plan), or null when the notice is unknown or no longer payable.
    /// </summary>
    public async Task<NoticeDocument?> FindAsync(OrganizationFiscalCode creditor, NoticeNumber notice, CancellationToken cancellationToken)
    {
        const string sql = $"""
            select {Columns}
            from payment_options target
            join debt_positions p on p.id = target.position_id
            join creditors c on c.organization_fiscal_code = p.organization_fiscal_code
            left join lateral (select i.iban from creditor_ibans i
                               where i.organization_fiscal_code = c.organization_fiscal_code and i.is_postal
                               order by i.iban limit 1) postal on true
            join payment_options o on o.position_id = p.id and o.status = 'Valid'
            where target.organization_fiscal_code = $1 and target.notice_number = $2 and target.status = 'Valid'
            order by o.installment_number nulls first, o.id
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = creditor.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = notice.Value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await foreach (var position in ReadPositionsAsync(reader, cancellationToken))
        {
            return position.Document;
        }
        return null;
    }

    /// <summary>Counts the positions <see cref="StreamAsync"/> would return.</summary>
    public async Task<long> CountAsync(OrganizationFiscalCode creditor, long afterPositionId, CancellationToken cancellationToken)
    {
        const string sql = """
            select count(distinct o.position_id)
            from payment_options o
            where o.organization_fiscal_code = $1 and o.status = 'Valid' and o.position_id > $2
            """;
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = creditor.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = afterPositionId });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Every position of <paramref name="creditor"/> with at least one payable option, in position id order, starting
    /// after <paramref name="afterPositionId"/> (0 for all): one streaming query, nothing held beyond the current position.
    /// </summary>
    public async IAsyncEnumerable<PositionNotice> StreamAsync(OrganizationFiscalCode creditor, long afterPositionId,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const string sql = $"""
            with postal as (select i.iban from creditor_ibans i
                            where i.organization_fiscal_code = $1 and i.is_postal order by i.iban limit 1)
            select {Columns}
            from debt_positions p
            join creditors c on c.organization_fiscal_code = p.organization_fiscal_code
            left join postal on true
            join payment_options o on o.position_id = p.id and o.status = 'Valid'
            where p.organization_fiscal_code = $1 and p.id > $2
            order by p.id, o.installment_number nulls first, o.id
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = creditor.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = afterPositionId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await foreach (var position in ReadPositionsAsync(reader, cancellationToken))
        {
            yield return position;
        }
    }

    /// <summary>Groups consecutive rows (one per option) into one notice per position.</summary>
    private static async IAsyncEnumerable<PositionNotice> ReadPositionsAsync(NpgsqlDataReader reader, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long current = 0;
        Func<NoticeOption?, IReadOnlyList<NoticeOption>, NoticeDocument>? build = null;
        NoticeOption? single = null;
        var installments = new List<NoticeOption>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var positionId = reader.GetInt64(0);
            if (positionId != current)
            {
                if (build is not null)
                {
                    yield return new PositionNotice(current, build(single, installments));
                }
                current = positionId;
                build = Header(reader);
                single = null;
                installments = [];
            }
            var option = new NoticeOption(NoticeNumber.Parse(reader.GetString(15)), EuroCents.FromCents(reader.GetInt64(16)),
                reader.GetFieldValue<DateOnly>(17), reader.IsDBNull(18) ? null : reader.GetInt16(18));
            if (option.Installment is null)
            {
                single = option;
            }
            else
            {
                installments.Add(option);
            }
        }
        if (build is not null)
        {
            yield return new PositionNotice(current, build(single, installments));
        }
    }

    private static Func<NoticeOption?, IReadOnlyList<NoticeOption>, NoticeDocument> Header(NpgsqlDataReader r)
    {
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        var street = string.Join(" ", new[] { Text(3), Text(4) }.Where(s => !string.IsNullOrWhiteSpace(s)));
        var city = string.Join(" ", new[] { Text(5), Text(6), Text(7) is { } province ? $"({province})" : null }.Where(s => !string.IsNullOrWhiteSpace(s)));
        var address = string.Join(", ", new[] { street, city }.Where(s => s.Length > 0));
        var debtor = new NoticeDebtor(r.GetString(1), r.GetString(2), address.Length > 0 ? address : null);
        // The account number is the last 12 digits of the postal IBAN (ABI 07601).
        var postal = Text(14) is { } iban && Iban.Parse(iban).PostalAccountNumber is { } account
            ? new NoticePostalAccount(account, Text(13))
            : null;
        var creditor = new NoticeCreditor(OrganizationFiscalCode.Parse(r.GetString(9)), r.GetString(10), Text(11), Text(12), postal);
        var subject = r.GetString(8);
        return (single, installments) => new NoticeDocument(creditor, debtor, subject, single, installments);
    }
}
