using Npgsql;

namespace PaymentGateway.Load.Scenarios;

/// <summary>A transfer of a payable notice, as paGetPaymentV2 would return it (and a receipt must repeat it).</summary>
public sealed record NoticeTransfer(int Index, string BeneficiaryFiscalCode, string Iban, long AmountCents, string Remittance, string Taxonomy);

/// <summary>
/// A payable (Valid) notice of the demo Comune, with its current amount and transfers. <c>IsSinglePayment</c> is false
/// for an installment: paying one kind settles the other, so a scenario that verifies before paying must take one
/// notice per position.
/// </summary>
public sealed record PayableNotice(string CreditorFiscalCode, string NoticeNumber, long AmountCents, string Description, IReadOnlyList<NoticeTransfer> Transfers,
    bool IsSinglePayment = true);

/// <summary>Reads the seeded demo notices straight from the database, so receipts can carry the right amounts.</summary>
public static class DemoNotices
{
    public static async Task<List<PayableNotice>> LoadAsync(NpgsqlDataSource dataSource, string creditor, int limit, CancellationToken cancellationToken)
    {
        const string Sql = """
            select o.notice_number, o.amount_cents, o.description, o.installment_number is null,
                   t.transfer_index, t.beneficiary_fiscal_code, t.iban, t.amount_cents, t.remittance_information, t.taxonomy
            from (select id, notice_number, amount_cents, description, installment_number from payment_options
                  where organization_fiscal_code = $1 and status = 'Valid'
                    and not exists (select 1 from transfers s where s.option_id = payment_options.id and s.account_kind = 'Stamp')
                  order by notice_number limit $2) o
            join transfers t on t.option_id = o.id
            order by o.notice_number, t.transfer_index
            """;
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter { Value = creditor });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var notices = new List<PayableNotice>();
        List<NoticeTransfer>? transfers = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            var number = reader.GetString(0);
            if (notices.Count == 0 || notices[^1].NoticeNumber != number)
            {
                transfers = [];
                notices.Add(new PayableNotice(creditor, number, reader.GetInt64(1), reader.GetString(2), transfers, reader.GetBoolean(3)));
            }
            transfers!.Add(new NoticeTransfer(reader.GetInt16(4), reader.GetString(5), reader.GetString(6), reader.GetInt64(7), reader.GetString(8), reader.GetString(9)));
        }
        return notices;
    }
}
