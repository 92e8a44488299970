using Microsoft.Extensions.Time.Testing;
using PaymentGateway.Core;
using PaymentGateway.Notices.Pdf;

namespace PaymentGateway.Notices.Tests.Pdf;

public sealed class ReceiptPdfRendererTests
{
    private static readonly ReceiptPdfRenderer Renderer = new(new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero)));

    private static ReceiptDocument Sample(bool withPayer = true, bool standIn = false) => new(
        "01199250158", "Comune di Milano", "Direzione Entrate", "TARI 2026 - tassa sui rifiuti, unica soluzione", "301000000000012373",
        "01000000000012373", "0b7c1e2f9a8d4c3bb2e1f0a9d8c7b6a5", EuroCents.FromCents(123_456), EuroCents.FromCents(150), "BCITITMM", "Intesa Sanpaolo S.p.A.",
        "CP", new DateTimeOffset(2026, 7, 14, 16, 5, 9, TimeSpan.Zero),
        new ReceiptParty("RSSMRA85T10A562S", "MARIO ROSSI"), withPayer ? new ReceiptParty("BNCLRA90D50F205Q", "LAURA BIANCHI") : null,
        [
            new ReceiptTransferLine(1, "01199250158", "Comune di Milano", "IT35O0306901600000000012345", EuroCents.FromCents(117_283), "TARI 2026"),
            new ReceiptTransferLine(2, "08911820960", "Città Metropolitana di Milano", "IT52E0503401600000000067890", EuroCents.FromCents(6_173), "TEFA 2026"),
        ],
        standIn, new DateTimeOffset(2026, 7, 14, 14, 5, 30, TimeSpan.Zero));

    [ToolFact("pdftotext", "qpdf", "pdfinfo")]
    public void Render_Receipt_OnePageValidPdfWithEveryLegalField()
    {
        var path = Write(Renderer.Render(Sample()));
        try
        {
            var (code, check, error) = ExternalTools.Run("qpdf", "--check", path);
            Assert.True(code == 0, check + error);
            Assert.Matches(@"(?m)^Pages:\s+1$", ExternalTools.Run("pdfinfo", path).Output);

            var text = ExternalTools.Run("pdftotext", "-layout", path, "-").Output;
            foreach (var expected in new[]
            {
                "RICEVUTA DI PAGAMENTO", "Comune di Milano", "01199250158", "Direzione Entrate", "TARI 2026 - tassa sui rifiuti",
                "301000000000012373", "01000000000012373", "0b7c1e2f9a8d4c3bb2e1f0a9d8c7b6a5",
                "1.234,56 €", "1,50 €", "1.236,06 €", "Intesa Sanpaolo S.p.A.", "BCITITMM",
                // 16:05:09 UTC is 18:05:09 in Rome (summer time).
                "14/07/2026 18:05:09",
                "MARIO ROSSI", "RSSMRA85T10A562S", "LAURA BIANCHI", "BNCLRA90D50F205Q",
                "IT35O0306901600000000012345", "IT52E0503401600000000067890", "08911820960", "Città Metropolitana di Milano",
                "1.172,83 €", "61,73 €", "TEFA 2026",
            })
            {
                Assert.Contains(expected, text, StringComparison.Ordinal);
            }
            Assert.DoesNotContain("Stand-In", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [ToolFact("pdftotext")]
    public void Render_NoPayerNoFeeStandIn_SaysSo()
    {
        var receipt = Sample(withPayer: false, standIn: true) with { Fee = null };
        var path = Write(Renderer.Render(receipt));
        try
        {
            var text = ExternalTools.Run("pdftotext", path, "-").Output;
            Assert.Contains("coincide con il debitore", text, StringComparison.Ordinal);
            Assert.Contains("non indicata", text, StringComparison.Ordinal);
            Assert.Contains("Stand-In", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Write(byte[] pdf)
    {
        var path = Path.Combine(Path.GetTempPath(), $"pgw-receipt-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(path, pdf);
        return path;
    }
}
