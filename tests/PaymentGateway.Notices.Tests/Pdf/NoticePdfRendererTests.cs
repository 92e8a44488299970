using Microsoft.Extensions.Time.Testing;
using PaymentGateway.Notices.Barcodes;
using PaymentGateway.Notices.Pdf;

namespace PaymentGateway.Notices.Tests.Pdf;

public sealed class NoticePdfRendererTests
{
    private static readonly NoticePdfRenderer Renderer = new(new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero)));

    [ToolFact("pdftotext", "qpdf")]
    public void Render_SinglePaymentWithPostalAccount_PrintsTheMandatoryTextsAndIsAValidPdf()
    {
        var notice = SampleNotices.Create(postal: true);
        var pdf = Write(Renderer.Render(notice));
        try
        {
            var (code, check, error) = ExternalTools.Run("qpdf", "--check", pdf);
            Assert.True(code == 0, check + error);

            var text = ExternalTools.Run("pdftotext", "-layout", pdf, "-").Output;
            Assert.Contains("3010 0000 0000 0123 73", text, StringComparison.Ordinal);
            Assert.Contains("1.234,56", text, StringComparison.Ordinal);
            Assert.Contains("Comune di Milano", text, StringComparison.Ordinal);
            Assert.Contains("01199250158", text, StringComparison.Ordinal);
            Assert.Contains("RSSMRA85T10A562S", text, StringComparison.Ordinal);
            Assert.Contains("31/12/2026", text, StringComparison.Ordinal);
            Assert.Contains("A0EDF", text, StringComparison.Ordinal);
            Assert.Contains("BOLLETTINO POSTALE PA", text, StringComparison.Ordinal);
            Assert.Contains("12345678", text, StringComparison.Ordinal);
            Assert.Contains("AUT. B2/S/0000", text, StringComparison.Ordinal);
            Assert.Contains("€", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(pdf);
        }
    }

    [ToolFact("pdftotext")]
    public void Render_CentralEuropeanName_PrintsItsLetters()
    {
        var notice = SampleNotices.Create(postal: false) with { Debtor = new NoticeDebtor("NVKZNT80A41Z156X", "Žaneta Nováčková-Łukasiewicz Țăran", null) };
        var pdf = Write(Renderer.Render(notice));
        try
        {
            Assert.Contains("Žaneta Nováčková-Łukasiewicz Țăran", ExternalTools.Run("pdftotext", pdf, "-").Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(pdf);
        }
    }

    [ToolFact("pdftoppm", "zbarimg", "dmtxread")]
    public void Render_RenderedPage_QrAndDataMatrixDecodeToTheExactPayloads()
    {
        var notice = SampleNotices.Create(postal: true);
        var option = notice.Single!;
        var pdf = Write(Renderer.Render(notice));
        var png = Path.ChangeExtension(pdf, null);
        try
        {
            Assert.Equal(0, ExternalTools.Run("pdftoppm", "-png", "-r", "300", "-singlefile", pdf, png).Code);
            png += ".png";
            var qr = ExternalTools.Run("zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", png);
            Assert.Equal(NoticeCodes.QrPayload(option.Notice, notice.Creditor.FiscalCode, option.Amount), qr.Output.TrimEnd('\n'));
            var matrix = ExternalTools.Run("dmtxread", System.Text.Encoding.Latin1, "--stop-after=1", "--milliseconds=20000", png);
            Assert.Equal(NoticeCodes.PostePayload(option.Notice, notice.Creditor.Postal!.AccountNumber, option.Amount, notice.Creditor.FiscalCode,
                notice.Debtor.Identifier, notice.Debtor.Name, notice.Subject), matrix.Output);
        }
        finally
        {
            File.Delete(pdf);
            File.Delete(png);
        }
    }

    [ToolFact("pdftotext", "pdftoppm", "zbarimg", "qpdf")]
    public void Render_InstallmentPlan_OneSlipPerInstallmentAfterTheSinglePayment()
    {
        var notice = SampleNotices.Create(postal: false, installments: 4);
        var pdf = Write(Renderer.Render(notice));
        var prefix = Path.ChangeExtension(pdf, null);
        try
        {
            Assert.Equal(0, ExternalTools.Run("qpdf", "--check", pdf).Code);
            var text = ExternalTools.Run("pdftotext", "-layout", pdf, "-").Output;
            Assert.Contains("Puoi pagare con una unica rata o in 4 rate", text, StringComparison.Ordinal);
            Assert.Contains("RATA UNICA", text, StringComparison.Ordinal);
            for (var n = 1; n <= 4; n++)
            {
                Assert.Contains($"{n}ª RATA", text, StringComparison.Ordinal);
            }
            Assert.DoesNotContain("BOLLETTINO POSTALE", text, StringComparison.Ordinal);

            // Every option's QR code is on some page, exactly once.
            Assert.Equal(0, ExternalTools.Run("pdftoppm", "-png", "-r", "200", pdf, prefix).Code);
            var pages = Directory.GetFiles(Path.GetDirectoryName(prefix)!, Path.GetFileName(prefix) + "-*.png");
            var decoded = pages.SelectMany(page => ExternalTools.Run("zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", page).Output
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)).Order(StringComparer.Ordinal).ToList();
            var expected = notice.Options.Select(o => NoticeCodes.QrPayload(o.Notice, notice.Creditor.FiscalCode, o.Amount)).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected, decoded);
        }
        finally
        {
            File.Delete(pdf);
            foreach (var page in Directory.GetFiles(Path.GetDirectoryName(prefix)!, Path.GetFileName(prefix) + "-*.png"))
            {
                File.Delete(page);
            }
        }
    }

    [Fact]
    public void Render_EmbedsOnlyTheSubsetFont_StaysSmall()
    {
        var pdf = Renderer.Render(SampleNotices.Create(postal: true));
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(pdf, 0, 5), StringComparison.Ordinal);
        // The full DejaVu Sans would add ~750 KB per PDF; the subsets keep a notice well under 100 KB.
        Assert.InRange(pdf.Length, 5_000, 100_000);
    }

    [Fact]
    public void Render_FromManyThreads_ProducesTheSameBytes()
    {
        var notice = SampleNotices.Create(postal: true, installments: 2);
        var expected = WithoutDocumentId(Renderer.Render(notice));
        var results = new string[8];
        Parallel.For(0, results.Length, i => results[i] = WithoutDocumentId(Renderer.Render(notice)));
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    // PDF/A metadata carries a random document UUID (XMP); everything else must be identical.
    private static string WithoutDocumentId(byte[] pdf) =>
        System.Text.RegularExpressions.Regex.Replace(System.Text.Encoding.Latin1.GetString(pdf), "uuid:[0-9a-fA-F-]+|/ID \\[<[0-9A-F]+> ?<[0-9A-F]+>\\]", "id");

    private static string Write(byte[] pdf)
    {
        var path = Path.Combine(Path.GetTempPath(), $"pgw-notice-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(path, pdf);
        // PGW_NOTICE_SAMPLES=dir keeps a copy of every rendered notice for a human look.
        if (Environment.GetEnvironmentVariable("PGW_NOTICE_SAMPLES") is { Length: > 0 } samples)
        {
            File.Copy(path, Path.Combine(samples, Path.GetFileName(path)));
        }
        return path;
    }
}
