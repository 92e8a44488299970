using PaymentGateway.Core;
using PaymentGateway.Notices.Pdf;

namespace PaymentGateway.Notices.Tests.Pdf;

/// <summary>Notices as the demo Comune prints them: a single payment, optionally a plan and a postal account.</summary>
public static class SampleNotices
{
    public static readonly OrganizationFiscalCode Milano = OrganizationFiscalCode.Parse("01199250158");

    public static NoticeDocument Create(bool postal = true, int installments = 0, long cents = 123_456)
    {
        var segregation = SegregationCode.Parse("01");
        var due = new DateOnly(2026, 12, 31);
        var single = new NoticeOption(NoticeNumber.Create(segregation, 123), EuroCents.FromCents(cents), due, null);
        var plan = Enumerable.Range(1, installments)
            .Select(n => new NoticeOption(NoticeNumber.Create(segregation, 20_000 + n), EuroCents.FromCents((cents / installments) + (n == 1 ? cents % installments : 0)), due.AddMonths(n - 1), n))
            .ToList();
        var creditor = new NoticeCreditor(Milano, "Comune di Milano", "Direzione Risorse Finanziarie - TARI", "A0EDF",
            postal ? new NoticePostalAccount("000012345678", "AUT. B2/S/0000 DEL 01/01/2026") : null);
        var debtor = new NoticeDebtor("RSSMRA85T10A562S", "Mario Rossi", "Via Roma 1, 20121 Milano (MI)");
        return new NoticeDocument(creditor, debtor, "TARI 2026 - Tassa sui rifiuti", single, plan);
    }
}
