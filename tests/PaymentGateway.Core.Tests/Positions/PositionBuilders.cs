using PaymentGateway.Core.Positions;

namespace PaymentGateway.Core.Tests.Positions;

/// <summary>Test data builders: Milan TARI with TEFA to the Città Metropolitana.</summary>
internal static class PositionBuilders
{
    public static readonly OrganizationFiscalCode Milano = OrganizationFiscalCode.Parse("01199250158");
    public static readonly OrganizationFiscalCode CittaMetropolitana = OrganizationFiscalCode.Parse("08911820960");
    public static readonly Iban BankIban = Iban.Parse("IT60X0542811101000000123456");
    public static readonly Iban PostalIban = Iban.Parse("IT70X0760101600000012345678");
    public static readonly TaxonomyCode Tari = TaxonomyCode.Parse("9/0101002IM/");
    public static readonly DebtorIdentifier Debtor = DebtorIdentifier.Create(EntityType.Person, "RSSMRA85T10A562S");
    public static readonly DateOnly Due = new(2025, 6, 30);

    public static NoticeNumber Notice(long iuvBase) => NoticeNumber.Create(SegregationCode.Create(1), iuvBase);

    public static Transfer Transfer(int index, long cents, TransferAccount? account = null, OrganizationFiscalCode? beneficiary = null) =>
        new(index, beneficiary ?? Milano, account ?? new BankAccount(BankIban), EuroCents.FromCents(cents), Tari, "TARI 2025");

    public static PaymentOption Option(
        long iuvBase,
        long cents = 10000,
        int? installment = null,
        PaymentOptionStatus status = PaymentOptionStatus.Valid,
        DateOnly? due = null) =>
        PaymentOption.Create(
            Notice(iuvBase),
            EuroCents.FromCents(cents),
            due ?? Due,
            "TARI 2025",
            installment,
            [Transfer(1, cents - 500), Transfer(2, 500, beneficiary: CittaMetropolitana)],
            status).Value;

    public static DebtPosition Position(params PaymentOption[] options) =>
        DebtPosition.Create(Milano, "TARI-2025-000001", Debtor, "Mario Rossi", "TARI 2025", options).Value;
}
