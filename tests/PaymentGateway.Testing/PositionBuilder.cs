using PaymentGateway.Core;
using PaymentGateway.Core.Positions;

namespace PaymentGateway.Testing;

/// <summary>Builds valid positions for tests: one EC, a single payment and optional installments, two transfers each.</summary>
public sealed class PositionBuilder
{
    public static readonly OrganizationFiscalCode Creditor = OrganizationFiscalCode.Parse("01199250158");
    public static readonly OrganizationFiscalCode SecondBeneficiary = OrganizationFiscalCode.Parse("08911820960");
    public static readonly SegregationCode Segregation = SegregationCode.Parse("01");
    public static readonly Iban CreditorIban = Iban.Parse("IT35O0306901600000000012345");
    public static readonly Iban SecondIban = Iban.Parse("IT52E0503401600000000067890");
    public static readonly TaxonomyCode Category = TaxonomyCode.Parse("9/0201102IM/");

    private long _nextBase = 1;
    // Shared by every builder so two builders never produce the same IUPD.
    private static int s_nextIupd;

    /// <summary>Starts numbering notices at <paramref name="firstBase"/>.</summary>
    public PositionBuilder StartingAt(long firstBase)
    {
        _nextBase = firstBase;
        return this;
    }

    /// <summary>
    /// A position of <paramref name="cents"/> (split 95/5 between the two transfers) with <paramref name="installments"/> installments besides the
    /// single payment, owed by <paramref name="debtor"/> (a personal fiscal code; MARIO ROSSI's by default).
    /// </summary>
    public DebtPosition Build(long cents = 21_000, int installments = 0, DateOnly? due = null, string debtor = "RSSMRA85T10A562S", string description = "TARI test")
    {
        var dueDate = due ?? new DateOnly(2026, 12, 31);
        var options = new List<PaymentOption> { Option(cents, dueDate, null) };
        for (var n = 1; n <= installments; n++)
        {
            var share = cents / installments + (n == 1 ? cents % installments : 0);
            options.Add(Option(share, dueDate.AddMonths(n - 1), n));
        }
        var debtorId = DebtorIdentifier.TryCreate(EntityType.Person, debtor, out var id, out var error)
            ? id
            : throw new InvalidOperationException(error);
        var result = DebtPosition.Create(Creditor, $"TEST-{Interlocked.Increment(ref s_nextIupd):D6}", debtorId, "MARIO ROSSI", description, options);
        return result.IsSuccess ? result.Value : throw new InvalidOperationException(string.Join("; ", result.Errors));
    }

    private PaymentOption Option(long cents, DateOnly due, int? installment)
    {
        var second = cents * 5 / 100;
        if (second == 0)
        {
            second = 1;
        }
        var transfers = new List<Transfer>
        {
            new(1, Creditor, new BankAccount(CreditorIban), EuroCents.FromCents(cents - second), Category, "TARI", Capitolo: "1010"),
            new(2, SecondBeneficiary, new BankAccount(SecondIban), EuroCents.FromCents(second), Category, "TEFA"),
        };
        var result = PaymentOption.Create(NoticeNumber.Create(Segregation, _nextBase++), EuroCents.FromCents(cents), due, "TARI test", installment, transfers);
        return result.IsSuccess ? result.Value : throw new InvalidOperationException(string.Join("; ", result.Errors));
    }
}
