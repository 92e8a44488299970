using PaymentGateway.Core;

namespace PaymentGateway.Notices.Pdf;

/// <summary>
/// Everything printed on a payment receipt (ricevuta di pagamento): the data of the receipt the pagoPA Node delivered
/// (paSendRT[V2]) that make it proof of payment — who was paid (EC), for which notice (notice number, IUV), the
/// payment's identity (receiptId, which is the IUR of the reporting flows), how much (amount and fee), through whom
/// (PSP) and when, who owed and who paid, and how the amount was split among beneficiaries (transfers).
/// </summary>
/// <param name="CreditorFiscalCode">The EC owning the notice (receipt fiscalCode).</param>
/// <param name="CreditorName">The EC's name (receipt companyName).</param>
/// <param name="OfficeName">officeName, if any.</param>
/// <param name="Description">What was paid (receipt description), if known.</param>
/// <param name="NoticeNumber">noticeNumber, 18 digits.</param>
/// <param name="Iuv">creditorReferenceId (IUV).</param>
/// <param name="ReceiptId">receiptId (= IUR).</param>
/// <param name="Amount">paymentAmount.</param>
/// <param name="Fee">The fee charged to the payer, when the receipt says.</param>
/// <param name="PspId">idPSP.</param>
/// <param name="PspName">PSPCompanyName.</param>
/// <param name="PaymentMethod">paymentMethod, when given.</param>
/// <param name="PaymentDateTime">paymentDateTime, when given (printed in Europe/Rome time).</param>
/// <param name="Debtor">The debtor.</param>
/// <param name="Payer">The payer, when the receipt names one.</param>
/// <param name="Transfers">transferList.</param>
/// <param name="StandIn">True when paid while the EC's station was in Stand-In.</param>
/// <param name="ReceivedAt">When the Node delivered the receipt.</param>
public sealed record ReceiptDocument(string CreditorFiscalCode, string CreditorName, string? OfficeName, string? Description, string NoticeNumber,
    string Iuv, string ReceiptId, EuroCents Amount, EuroCents? Fee, string? PspId, string? PspName, string? PaymentMethod,
    DateTimeOffset? PaymentDateTime, ReceiptParty Debtor, ReceiptParty? Payer, IReadOnlyList<ReceiptTransferLine> Transfers, bool StandIn,
    DateTimeOffset ReceivedAt);

/// <summary>A debtor or payer on a receipt.</summary>
/// <param name="Identifier">Fiscal code or other unique identifier.</param>
/// <param name="Name">Full name, when the receipt gives it.</param>
public sealed record ReceiptParty(string Identifier, string? Name);

/// <summary>One transfer line of a receipt.</summary>
/// <param name="Index">idTransfer.</param>
/// <param name="BeneficiaryFiscalCode">fiscalCodePA.</param>
/// <param name="BeneficiaryName">The beneficiary's name, when known.</param>
/// <param name="Iban">IBAN credited, or null for a digital stamp.</param>
/// <param name="Amount">transferAmount.</param>
/// <param name="RemittanceInformation">remittanceInformation.</param>
public sealed record ReceiptTransferLine(int Index, string BeneficiaryFiscalCode, string? BeneficiaryName, string? Iban, EuroCents Amount,
    string? RemittanceInformation);
