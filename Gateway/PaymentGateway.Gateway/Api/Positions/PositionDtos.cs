using PaymentGateway.Core.Positions;
using PaymentGateway.Persistence.Positions;

namespace PaymentGateway.Gateway.Api.Positions;

/// <summary>A debt position as the back office sees it. Amounts are euro cents.</summary>
public sealed record PositionDto(string OrganizationFiscalCode, string Iupd, PositionStatus Status, DebtorDto Debtor, string Description,
    IReadOnlyList<OptionDto> Options)
{
    internal static PositionDto From(StoredPosition stored)
    {
        var p = stored.Position;
        return new(p.Organization.ToString(), p.Iupd, p.Status, new DebtorDto(((char)p.Debtor.Type).ToString(), p.Debtor.Value, p.DebtorName, stored.DebtorEmail),
            p.Description, p.Options.Select(OptionDto.From).ToList());
    }
}

/// <summary>The debtor: type F (person) or G (legal entity), fiscal code or identifier, full name.</summary>
public sealed record DebtorDto(string Type, string FiscalCode, string Name, string? Email);

/// <summary>A payment option: the single payment (installmentNumber null) or one installment.</summary>
public sealed record OptionDto(string NoticeNumber, string Iuv, long AmountCents, DateOnly DueDate, string Description, int? InstallmentNumber,
    PaymentOptionStatus Status, IReadOnlyList<TransferDto> Transfers)
{
    internal static OptionDto From(PaymentOption o) => new(o.NoticeNumber.ToString(), o.Iuv.ToString(), o.Amount.Cents, o.DueDate, o.Description,
        o.InstallmentNumber, o.Status, o.Transfers.Select(TransferDto.From).ToList());
}

/// <summary>Where part of an option's amount goes: a bank or postal IBAN, or a digital stamp.</summary>
public sealed record TransferDto(int Index, string BeneficiaryFiscalCode, string Account, string? Iban, long AmountCents, string Taxonomy,
    string RemittanceInformation, string? Capitolo, string? Accertamento)
{
    internal static TransferDto From(Transfer t) => new(t.Index, t.Beneficiary.ToString(),
        t.Account switch { BankAccount => "bank", PostalAccount => "postal", _ => "stamp" },
        t.Account switch { BankAccount b => b.Iban.ToString(), PostalAccount p => p.Iban.ToString(), _ => null },
        t.Amount.Cents, t.Category.ToString(), t.RemittanceInformation, t.Capitolo, t.Accertamento);
}

/// <summary>One page of positions; <c>next</c> is the URL of the following page, null on the last one.</summary>
public sealed record PositionPageDto(IReadOnlyList<PositionSummaryDto> Items, string? Next);

/// <summary>A position in a list (options without transfers).</summary>
public sealed record PositionSummaryDto(string Iupd, PositionStatus Status, DebtorDto Debtor, string Description, string? ServiceCode,
    short? EmissionYear, DateTimeOffset UpdatedAt, IReadOnlyList<OptionSummary> Options)
{
    internal static PositionSummaryDto From(PositionSummary s) => new(s.Iupd, s.Status, new DebtorDto(s.DebtorType.ToString(), s.DebtorId, s.DebtorName, null),
        s.Description, s.ServiceCode, s.EmissionYear, s.UpdatedAt, s.Options);
}

/// <summary>
/// A change to one option. The notice number and IUV stay the same (the printed notice stays valid). With a new
/// amount and several transfers, give every transfer's new amount by index (they must add up to the amount).
/// </summary>
public sealed record OptionChangeDto(long? AmountCents, DateOnly? DueDate, Dictionary<int, long>? TransferAmountsCents);
