using PaymentGateway.Core.Positions;

namespace PaymentGateway.Core.Receipts;

/// <summary>
/// A receipt (ricevuta) delivered by the Node with paSendRT / paSendRTV2: the legal proof that a notice was paid.
/// Fields mirror <c>ctReceipt</c> / <c>ctReceiptV2</c>; amounts are already converted to cents.
/// </summary>
/// <param name="ReceiptId">receiptId: the payment token the Node assigned (= IUR in the FdR); unique per EC.</param>
/// <param name="NoticeNumber">noticeNumber as received (18 digits; may be one we never issued).</param>
/// <param name="Creditor">fiscalCode: the EC that owns the notice (kept as text: a receipt is never refused for a bad code).</param>
/// <param name="Outcome">outcome: "OK" for a payment (the Node only sends receipts of successful payments).</param>
/// <param name="CreditorReferenceId">creditorReferenceId: the IUV.</param>
/// <param name="Amount">paymentAmount.</param>
/// <param name="Fee">fee paid by the payer, if given.</param>
/// <param name="PrimaryCiIncurredFee">primaryCiIncurredFee (V2), if given.</param>
/// <param name="PspId">idPSP.</param>
/// <param name="PspCompanyName">PSPCompanyName.</param>
/// <param name="ChannelId">idChannel.</param>
/// <param name="PaymentMethod">paymentMethod, if given.</param>
/// <param name="PaymentDateTime">paymentDateTime: the legally relevant payment instant, if given.</param>
/// <param name="ApplicationDate">applicationDate, if given.</param>
/// <param name="TransferDate">transferDate: when the money is credited to the EC, if given.</param>
/// <param name="DebtorType">debtor entityUniqueIdentifierType (F/G).</param>
/// <param name="DebtorId">debtor entityUniqueIdentifierValue.</param>
/// <param name="PayerType">payer type, when a payer is given.</param>
/// <param name="PayerId">payer identifier, when a payer is given.</param>
/// <param name="StandIn">standIn: paid while the station was in Stand-In (amount may be stale).</param>
/// <param name="Transfers">transferList.</param>
public sealed record PaymentReceipt(
    string ReceiptId,
    string NoticeNumber,
    string Creditor,
    string Outcome,
    string CreditorReferenceId,
    EuroCents Amount,
    EuroCents? Fee,
    EuroCents? PrimaryCiIncurredFee,
    string PspId,
    string PspCompanyName,
    string ChannelId,
    string? PaymentMethod,
    DateTimeOffset? PaymentDateTime,
    DateOnly? ApplicationDate,
    DateOnly? TransferDate,
    char DebtorType,
    string DebtorId,
    char? PayerType,
    string? PayerId,
    bool StandIn,
    IReadOnlyList<ReceiptTransfer> Transfers);

/// <summary>One transfer of a receipt (<c>ctTransferPA</c> / <c>ctTransferPAReceiptV2</c>).</summary>
/// <param name="IdTransfer">idTransfer 1..5 (= indiceDatiSingoloPagamento in the FdR).</param>
/// <param name="Beneficiary">fiscalCodePA of the receiving EC.</param>
/// <param name="Iban">IBAN credited, or null for a digital stamp (MBDAttachment).</param>
/// <param name="Amount">transferAmount.</param>
/// <param name="Category">transferCategory (taxonomy), as received.</param>
/// <param name="RemittanceInformation">remittanceInformation.</param>
/// <param name="Metadata">metadata entries, in order.</param>
public sealed record ReceiptTransfer(
    int IdTransfer,
    string Beneficiary,
    string? Iban,
    EuroCents Amount,
    string Category,
    string RemittanceInformation,
    IReadOnlyList<KeyValuePair<string, string>> Metadata);

/// <summary>Why a stored receipt needs a human (usually a refund case). A receipt is never refused for these.</summary>
public enum ReceiptAnomaly
{
    /// <summary>The option was already paid by another receipt: the citizen paid twice.</summary>
    DuplicatePayment,

    /// <summary>The option had been cancelled; money was collected anyway (e.g. Stand-In).</summary>
    PaidAfterCancel,

    /// <summary>The option had expired under the EC's policy; money was collected anyway.</summary>
    PaidAfterExpiry,

    /// <summary>No option of ours has this notice number (Stand-In on stale ACA data, or a foreign notice).</summary>
    UnknownNotice,

    /// <summary>The amount paid differs from the option's current amount (typically a Stand-In payment).</summary>
    AmountMismatch,

    /// <summary>The receipt says outcome KO: stored, but the option is not marked paid.</summary>
    OutcomeKo,
}

/// <summary>What applying a receipt does to the option it names.</summary>
/// <param name="NewStatus">The option's status after the receipt (null when there is no option).</param>
/// <param name="StatusChanged">True when the stored status must be updated.</param>
/// <param name="Anomaly">Why the receipt needs attention, or null when it simply paid a valid option.</param>
public readonly record struct ReceiptDecision(PaymentOptionStatus? NewStatus, bool StatusChanged, ReceiptAnomaly? Anomaly);

/// <summary>The receipt rules of DESIGN.md: the first receipt pays a valid option; anything else is stored and flagged.</summary>
public static class ReceiptPolicy
{
    /// <summary>Decides what <paramref name="receipt"/> does to an option in <paramref name="current"/> status of <paramref name="optionAmount"/>.</summary>
    /// <param name="receipt">The receipt just received (first delivery of this receiptId).</param>
    /// <param name="current">The option's status, or null when no option has the receipt's notice number.</param>
    /// <param name="optionAmount">The option's current amount (ignored when <paramref name="current"/> is null).</param>
    /// <param name="settledOtherwise">
    /// True when the position was already settled by an option of the other kind (the single payment for an installment,
    /// an installment for the single payment; <see cref="DebtPosition.IsSettledOtherwise"/>): the money is a double
    /// payment of the same debt, so the receipt is flagged and the option left as it is.
    /// </param>
    public static ReceiptDecision Decide(PaymentReceipt receipt, PaymentOptionStatus? current, EuroCents optionAmount, bool settledOtherwise = false)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        if (current is not { } status)
        {
            return new ReceiptDecision(null, false, ReceiptAnomaly.UnknownNotice);
        }
        if (receipt.Outcome != "OK")
        {
            return new ReceiptDecision(status, false, ReceiptAnomaly.OutcomeKo);
        }
        if (settledOtherwise && status is not (PaymentOptionStatus.Paid or PaymentOptionStatus.Reported))
        {
            return new ReceiptDecision(status, false, ReceiptAnomaly.DuplicatePayment);
        }
        var transition = PaymentOptionLifecycle.Apply(status, OptionEvent.ReceiptReceived);
        ReceiptAnomaly? anomaly = transition.Anomaly switch
        {
            LifecycleAnomaly.DuplicatePayment => ReceiptAnomaly.DuplicatePayment,
            LifecycleAnomaly.PaidAfterCancel => ReceiptAnomaly.PaidAfterCancel,
            LifecycleAnomaly.PaidAfterExpiry => ReceiptAnomaly.PaidAfterExpiry,
            null when receipt.Amount != optionAmount => ReceiptAnomaly.AmountMismatch,
            null => null,
            var other => throw new InvalidOperationException($"unexpected lifecycle anomaly {other} for a receipt"),
        };
        return new ReceiptDecision(transition.To, transition.Changed, anomaly);
    }
}
