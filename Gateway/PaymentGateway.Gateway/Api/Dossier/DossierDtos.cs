using PaymentGateway.Core.Outcomes;
using PaymentGateway.Core.Positions;
using PaymentGateway.Persistence.Dossier;

namespace PaymentGateway.Gateway.Api.Dossier;

/// <summary>Why an option cannot be paid now.</summary>
public enum NotPayableReason
{
    /// <summary>This option is paid.</summary>
    Paid,

    /// <summary>An option of the other kind was paid: the single payment settles the plan, an installment rules out the single payment.</summary>
    SettledByOtherOption,

    /// <summary>The EC cancelled it.</summary>
    Cancelled,

    /// <summary>Past its due date under the EC's expiry policy.</summary>
    Expired,
}

/// <summary>One page of a citizen's open debts.</summary>
/// <param name="FiscalCode">Whose debts these are: the caller, or a dependent in the household view.</param>
/// <param name="Items">Positions with something to pay (or expired unpaid), in a stable order.</param>
/// <param name="Next">The URL of the next page, or null on the last one.</param>
public sealed record DebtsPageDto(string FiscalCode, IReadOnlyList<DebtDto> Items, string? Next);

/// <summary>An open debt: one position of one EC, its single payment and its installments.</summary>
public sealed record DebtDto(string OrganizationFiscalCode, string OrganizationName, string Description, PositionStatus Status,
    DebtOptionDto? SinglePayment, IReadOnlyList<DebtOptionDto> Installments)
{
    internal static DebtDto From(DossierPosition position, DateOnly today)
    {
        DebtOptionDto Option(DossierOption o) => DebtOptionDto.From(o, position.CheckPayable(o, today));
        var single = position.Options.FirstOrDefault(o => !o.IsInstallment);
        return new DebtDto(position.Organization, position.OrganizationName, position.Description, position.Status,
            single is null ? null : Option(single), position.Options.Where(o => o.IsInstallment).Select(Option).ToList());
    }
}

/// <summary>One notice of an open debt.</summary>
/// <param name="NoticeNumber">The notice number (18 digits), what the citizen pays with.</param>
/// <param name="Iuv">The IUV (the notice number without its aux digit).</param>
/// <param name="Description">The option description.</param>
/// <param name="AmountCents">Amount in euro cents.</param>
/// <param name="DueDate">Due date.</param>
/// <param name="InstallmentNumber">1..n, null for the single payment.</param>
/// <param name="Status">Stored state.</param>
/// <param name="PayableNow">True when pagoPA would accept it today (the Node's verify rule).</param>
/// <param name="NotPayableReason">Why not, when it is not payable.</param>
public sealed record DebtOptionDto(string NoticeNumber, string Iuv, string Description, long AmountCents, DateOnly DueDate, int? InstallmentNumber,
    PaymentOptionStatus Status, bool PayableNow, NotPayableReason? NotPayableReason)
{
    internal static DebtOptionDto From(DossierOption option, PaaFaultCode? fault) =>
        new(option.NoticeNumber, option.NoticeNumber[1..], option.Description, option.Amount.Cents, option.DueDate, option.InstallmentNumber,
            option.Status, fault is null, Reason(option.Status, fault));

    internal static NotPayableReason? Reason(PaymentOptionStatus status, PaaFaultCode? fault) => fault switch
    {
        null => null,
        PaaFaultCode.PagamentoDuplicato when status is PaymentOptionStatus.Paid or PaymentOptionStatus.Reported => Dossier.NotPayableReason.Paid,
        PaaFaultCode.PagamentoDuplicato => Dossier.NotPayableReason.SettledByOtherOption,
        PaaFaultCode.PagamentoAnnullato => Dossier.NotPayableReason.Cancelled,
        _ => Dossier.NotPayableReason.Expired,
    };
}

/// <summary>The caller's household: the dependents they may see and pay for.</summary>
public sealed record HouseholdDto(IReadOnlyList<DependentDto> Dependents);

/// <summary>A dependent, with the URLs of their debts and receipts.</summary>
public sealed record DependentDto(string FiscalCode, string? Name, DateOnly? ValidUntil, string DebtsUrl, string ReceiptsUrl);

/// <summary>One page of a citizen's receipts, newest first.</summary>
public sealed record ReceiptsPageDto(string FiscalCode, IReadOnlyList<ReceiptSummaryDto> Items, string? Next);

/// <summary>One payment in the history.</summary>
public sealed record ReceiptSummaryDto(string OrganizationFiscalCode, string? OrganizationName, string ReceiptId, string NoticeNumber, string Iuv,
    string? Description, long AmountCents, long? FeeCents, string? PspName, DateTimeOffset? PaymentDateTime, string Url, string PdfUrl)
{
    internal static ReceiptSummaryDto From(ReceiptSummary r)
    {
        var url = $"/api/v1/dossier/receipts/{r.Organization}/{Uri.EscapeDataString(r.ReceiptId)}";
        return new ReceiptSummaryDto(r.Organization, r.OrganizationName, r.ReceiptId, r.NoticeNumber, r.Iuv, r.Description, r.Amount.Cents,
            r.Fee?.Cents, r.PspName, r.PaymentDateTime, url, url + ".pdf");
    }
}

/// <summary>A party of a receipt (debtor or payer).</summary>
public sealed record ReceiptPartyDto(string Type, string Identifier, string? Name);

/// <summary>One transfer of a receipt.</summary>
public sealed record ReceiptTransferDto(int IdTransfer, string BeneficiaryFiscalCode, string? BeneficiaryName, string? Iban, long AmountCents,
    string? RemittanceInformation, string? TransferCategory);

/// <summary>A whole receipt: the data of the Node's receipt that prove the payment.</summary>
public sealed record ReceiptDto(string OrganizationFiscalCode, string? OrganizationName, string? OfficeName, string ReceiptId, string NoticeNumber,
    string Iuv, string? Description, long AmountCents, long? FeeCents, string? PspId, string? PspName, string? ChannelId, string? PaymentMethod,
    DateTimeOffset? PaymentDateTime, DateOnly? ApplicationDate, DateOnly? TransferDate, bool StandIn, ReceiptPartyDto? Debtor, ReceiptPartyDto? Payer,
    IReadOnlyList<ReceiptTransferDto> Transfers, string PdfUrl)
{
    internal static ReceiptDto From(ReceiptDetail d)
    {
        var s = d.Summary;
        return new ReceiptDto(s.Organization, d.CompanyName ?? s.OrganizationName, d.OfficeName, s.ReceiptId, s.NoticeNumber, s.Iuv,
            d.PaymentDescription ?? s.Description, s.Amount.Cents, s.Fee?.Cents, d.PspId, s.PspName, d.ChannelId, d.PaymentMethod, s.PaymentDateTime,
            d.ApplicationDate, d.TransferDate, d.StandIn,
            s.Debtor is { } debtor ? new ReceiptPartyDto(((char)debtor.Type).ToString(), debtor.Value, d.DebtorName) : null,
            s.Payer is { } payer ? new ReceiptPartyDto(((char)payer.Type).ToString(), payer.Value, d.PayerName) : null,
            d.Transfers.Select(t => new ReceiptTransferDto(t.IdTransfer, t.Beneficiary, t.BeneficiaryName, t.Iban, t.Amount.Cents, t.RemittanceInformation,
                t.Category)).ToList(),
            $"/api/v1/dossier/receipts/{s.Organization}/{Uri.EscapeDataString(s.ReceiptId)}.pdf");
    }
}

/// <summary>The notices to pay in one go (at most <see cref="PayNowEndpoints.MaxNoticesPerRequest"/>; split into carts of 5).</summary>
/// <param name="Notices">Each notice by EC fiscal code and notice number; the caller's own or a dependent's.</param>
/// <param name="EmailNotice">Where Checkout sends the receipt (optional; Checkout asks otherwise).</param>
public sealed record CartRequestDto(IReadOnlyList<NoticeRefDto>? Notices, string? EmailNotice);

/// <summary>A notice named by its EC and number.</summary>
public sealed record NoticeRefDto(string? OrganizationFiscalCode, string? NoticeNumber);

/// <summary>"Pay everything due": every payable debt of the caller (and of their dependents with <see cref="IncludeHousehold"/>).</summary>
public sealed record EverythingDueRequestDto(bool IncludeHousehold, string? EmailNotice);

/// <summary>The carts created on Checkout; the citizen pays them one after the other.</summary>
public sealed record CartsDto(IReadOnlyList<CartDto> Carts, long TotalCents);

/// <summary>One Checkout cart: open <see cref="CheckoutUrl"/> to pay its notices (at most 5).</summary>
public sealed record CartDto(string IdCart, Uri CheckoutUrl, long TotalCents, IReadOnlyList<CartNoticeDto> Notices);

/// <summary>A notice in a cart.</summary>
public sealed record CartNoticeDto(string OrganizationFiscalCode, string OrganizationName, string NoticeNumber, string Description, long AmountCents,
    DateOnly DueDate, int? InstallmentNumber, string DebtorFiscalCode);
