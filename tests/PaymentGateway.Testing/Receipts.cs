using System.Security.Cryptography;
using System.Text;
using Npgsql;
using PaymentGateway.Core;
using PaymentGateway.Core.Positions;
using PaymentGateway.Core.Receipts;
using PaymentGateway.Persistence.Node;

namespace PaymentGateway.Testing;

/// <summary>Receipts as the Node delivers them (paSendRTV2), stored through <see cref="ReceiptStore"/>.</summary>
public static class Receipts
{
    /// <summary>A receipt paying <paramref name="option"/> of the test EC in full, split like its transfers.</summary>
    public static PaymentReceipt For(PaymentOption option, string receiptId)
    {
        ArgumentNullException.ThrowIfNull(option);
        var transfers = option.Transfers
            .Select(t => new ReceiptTransfer(t.Index, t.Beneficiary.ToString(), t.Account switch { BankAccount b => b.Iban.ToString(), PostalAccount p => p.Iban.ToString(), _ => null }, t.Amount,
                t.Category.ToString(), t.RemittanceInformation, []))
            .ToList();
        return new PaymentReceipt(receiptId, option.NoticeNumber.ToString(), PositionBuilder.Creditor.ToString(), "OK", option.Iuv.ToString(),
            option.Amount, EuroCents.FromCents(100), null, "BCITITMM", "Intesa Sanpaolo", "BCITITMM_01", "app",
            new DateTimeOffset(2026, 11, 20, 18, 30, 0, TimeSpan.FromHours(1)), null, null, 'F', "RSSMRA85T10A562S", null, null, false, transfers);
    }

    /// <summary>Stores a receipt for <paramref name="option"/> (first delivery of <paramref name="receiptId"/>, unless it was stored before).</summary>
    public static Task<ReceiptStoreResult> StoreAsync(NpgsqlDataSource dataSource, PaymentOption option, string receiptId, DateTimeOffset? at = null)
    {
        var receipt = For(option, receiptId);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{receiptId}|{receipt.NoticeNumber}|{receipt.Amount.Cents}"));
        return new ReceiptStore(dataSource).StoreAsync(receipt, PositionBuilder.Creditor.ToString(), "paSendRTV2", $"<receipt><receiptId>{receiptId}</receiptId></receipt>",
            hash, at ?? new DateTimeOffset(2026, 11, 20, 17, 31, 0, TimeSpan.Zero), CancellationToken.None);
    }
}
