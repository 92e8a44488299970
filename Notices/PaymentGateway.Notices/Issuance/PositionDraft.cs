using PaymentGateway.Core;
using PaymentGateway.Core.Positions;

namespace PaymentGateway.Notices.Issuance;

/// <summary>The debtor's postal address and e-mail (all optional; printed on the notice, not sent to the Node).</summary>
public sealed record DebtorContact(string? Street, string? CivicNumber, string? PostalCode, string? City, string? Province, string? Country, string? Email);

/// <summary>A validated payment option of a file row; <see cref="Notice"/> is set when the EC supplied the number.</summary>
public sealed record OptionDraft(
    int Line,
    NoticeNumber? Notice,
    EuroCents Amount,
    DateOnly DueDate,
    string Description,
    int? InstallmentNumber,
    IReadOnlyList<Transfer> Transfers);

/// <summary>
/// A position read and validated from one or more consecutive rows, not yet numbered: the options without an
/// EC-supplied notice number get one from <see cref="IuvAllocator"/> only when the position is written, so rejected
/// rows, duplicates and dry runs never consume numbers.
/// </summary>
public sealed record PositionDraft(
    string Iupd,
    DebtorIdentifier Debtor,
    string DebtorName,
    DebtorContact Contact,
    string Description,
    string? ServiceCode,
    short? EmissionYear,
    IReadOnlyList<OptionDraft> Options)
{
    /// <summary>The physical lines of the position's rows.</summary>
    public IEnumerable<int> Lines => Options.Select(o => o.Line);

    /// <summary>
    /// What the debtor owes: the single payment when there is one, otherwise the sum of the installments (the plan
    /// is an alternative way to pay the same debt, so counting both would double it).
    /// </summary>
    public IReadOnlyList<OptionDraft> ReferenceOptions =>
        Options.Where(o => o.InstallmentNumber is null).ToList() is { Count: > 0 } single ? single : Options;

    /// <summary>The total of <see cref="ReferenceOptions"/>.</summary>
    public EuroCents Total => EuroCents.Sum(ReferenceOptions.Select(o => o.Amount));
}
