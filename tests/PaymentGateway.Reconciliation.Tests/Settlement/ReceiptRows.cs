using System.Text;
using Dapper;
using Npgsql;

namespace PaymentGateway.Reconciliation.Tests.Settlement;

/// <summary>Receipts inserted straight into the table (the columns the settlement calendar and the refund cases read).</summary>
internal static class ReceiptRows
{
    public const string Ec = "01199250158";

    public static async Task<long> InsertAsync(NpgsqlDataSource dataSource, string receiptId, string iuv, long cents, DateTimeOffset paidAt,
        string psp = "BCITITMM", string outcome = "OK", string? anomaly = null, long? optionId = null, string? payerId = null, string? debtorId = "RSSMRA85T10A562S")
    {
        const string sql = """
            insert into receipts (organization_fiscal_code, receipt_id, notice_number, iuv, option_id, outcome, amount_cents, psp_id, payment_date_time,
                                  debtor_type, debtor_id, payer_type, payer_id, primitive, anomaly, content_hash, raw_xml, received_at)
            values (@Ec, @receiptId, @notice, @iuv, @optionId, @outcome, @cents, @psp, @paidAt, 'F', @debtorId, case when @payerId::text is null then null else 'F' end,
                    @payerId, 'paSendRTV2', @anomaly, @hash, '<receipt/>', @paidAt)
            returning id
            """;
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql, new
        {
            Ec, receiptId, notice = "3" + iuv, iuv, optionId, outcome, cents, psp, paidAt = paidAt.ToUniversalTime(), debtorId, payerId, anomaly,
            hash = Encoding.UTF8.GetBytes(receiptId),
        });
    }
}
