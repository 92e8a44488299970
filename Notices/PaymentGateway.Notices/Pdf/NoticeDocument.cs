using PaymentGateway.Core;

namespace PaymentGateway.Notices.Pdf;

/// <summary>
/// Everything printed on one pagoPA payment notice (avviso di pagamento): the creditor, the debtor, the subject and the
/// payable options of one position — the single payment (rata unica) and/or the installments of its plan.
/// </summary>
/// <param name="Creditor">The Ente Creditore.</param>
/// <param name="Debtor">The recipient of the notice.</param>
/// <param name="Subject">The subject (AVVISO.OGGETTO), e.g. "TARI 2026".</param>
/// <param name="Single">The single payment option, if the position has one that is payable.</param>
/// <param name="Installments">The payable installments, in plan order (may be empty).</param>
public sealed record NoticeDocument(NoticeCreditor Creditor, NoticeDebtor Debtor, string Subject, NoticeOption? Single, IReadOnlyList<NoticeOption> Installments)
{
    /// <summary>Every option printed, single payment first.</summary>
    public IEnumerable<NoticeOption> Options => Single is null ? Installments : Installments.Prepend(Single);

    /// <summary>
    /// How many installments share a band (one page) of the official "rate multiple" layout, which prints bands of 2
    /// or 3 and never mixes the two in a notice (NOTES.md §c.4): 3 when the count is a multiple of 3, 2 when it is
    /// even, otherwise 3 with the last band partly empty (5 installments: 3 + 2).
    /// </summary>
    public int InstallmentsPerBand => Installments.Count % 3 == 0 ? 3 : Installments.Count % 2 == 0 ? 2 : 3;
}

/// <summary>The creditor block of a notice.</summary>
/// <param name="FiscalCode">EC fiscal code.</param>
/// <param name="Name">EC name.</param>
/// <param name="OfficeName">Office or sector, if any.</param>
/// <param name="CbillCode">CBILL code (ex SIA), printed in the payment data; null when the EC has none.</param>
/// <param name="Postal">The postal current account: when present, the notice carries the Bollettino Postale PA.</param>
public sealed record NoticeCreditor(OrganizationFiscalCode FiscalCode, string Name, string? OfficeName, string? CbillCode, NoticePostalAccount? Postal);

/// <summary>A postal current account (conto corrente postale) of the EC.</summary>
/// <param name="AccountNumber">The account number, 12 digits (the last 12 of the postal IBAN).</param>
/// <param name="Authorization">Poste's authorisation to print the bollettino ("AUT. …"), if configured.</param>
public sealed record NoticePostalAccount(string AccountNumber, string? Authorization)
{
    /// <summary>The account number as printed: without leading zeros.</summary>
    public string PrintedNumber => AccountNumber.TrimStart('0') is { Length: > 0 } n ? n : "0";
}

/// <summary>The recipient of a notice.</summary>
/// <param name="Identifier">Fiscal code or partita IVA.</param>
/// <param name="Name">Full name or company name.</param>
/// <param name="Address">One address line, if known.</param>
public sealed record NoticeDebtor(string Identifier, string Name, string? Address);

/// <summary>One payable option: its own notice number, amount and due date (and QR code).</summary>
/// <param name="Notice">The notice number.</param>
/// <param name="Amount">The amount.</param>
/// <param name="DueDate">The due date (Europe/Rome calendar date).</param>
/// <param name="Installment">Installment number, null for the single payment.</param>
public sealed record NoticeOption(NoticeNumber Notice, EuroCents Amount, DateOnly DueDate, int? Installment);
