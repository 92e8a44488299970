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

    // The pages the official layout prescribes (docs/notices.md), one "|"-separated group per page: U = the single
    // payment's slip, u = its bollettino, n = installment n in a band, pn = installment n's bollettino.
    [ToolTheory("pdfinfo", "pdftotext", "pdftoppm", "zbarimg")]
    [InlineData(3, true, false, "U | 1 2 3")]
    [InlineData(5, true, false, "U | 1 2 3 | 4 5")]
    [InlineData(4, true, false, "U | 1 2 | 3 4")]
    [InlineData(6, true, true, "U u | 1 2 3 p1 p2 p3 | 4 5 6 p4 p5 p6")]
    [InlineData(4, true, true, "U u | 1 2 p1 p2 | 3 4 p3 p4")]
    [InlineData(3, false, false, "1 2 3")]
    [InlineData(3, false, true, "1 2 3 | p1 p2 p3")]
    [InlineData(5, false, false, "1 2 3 | 4 5")]
    public void Render_InstallmentPlan_PagesAndTextsOfTheOfficialBands(int installments, bool single, bool postal, string layout)
    {
        var full = SampleNotices.Create(postal, installments);
        var notice = single ? full : full with { Single = null };
        var pages = layout.Split('|').Select(p => p.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var pdf = Write(Renderer.Render(notice));
        var prefix = Path.ChangeExtension(pdf, null);
        try
        {
            var info = ExternalTools.Run("pdfinfo", pdf).Output;
            Assert.Contains($"Pages:           {pages.Count}\n", info, StringComparison.Ordinal);
            Assert.Equal(0, ExternalTools.Run("pdftoppm", "-png", "-r", "200", pdf, prefix).Code);
            var header = ExternalTools.Run("pdftotext", "-layout", "-f", "1", "-l", "1", pdf, "-").Output;
            Assert.Contains(single ? $"Puoi pagare con una unica rata o in {installments} rate." : $"Puoi pagare in {installments} rate.", header, StringComparison.Ordinal);
            for (var p = 0; p < pages.Count; p++)
            {
                var number = (p + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var text = ExternalTools.Run("pdftotext", "-layout", "-f", number, "-l", number, pdf, "-").Output;
                var slips = pages[p].Where(t => !t.StartsWith('p') && t != "u").Select(t => t == "U" ? notice.Single! : notice.Installments[int.Parse(t, System.Globalization.CultureInfo.InvariantCulture) - 1]).ToList();
                var bollettini = pages[p].Count(t => t.StartsWith('p') || t == "u");
                var named = pages[p].Select(t => t.TrimStart('p')).Where(t => t is not ("U" or "u")).Select(t => int.Parse(t, System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();

                // Each pagoPA slip on this page: its QR code decodes to its exact payload, its code, amount and due date print.
                var png = pages.Count == 1 ? $"{prefix}-1.png" : $"{prefix}-{number.PadLeft(pages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture).Length, '0')}.png";
                var decoded = ExternalTools.Run("zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", png).Output
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal);
                Assert.Equal(slips.Select(o => NoticeCodes.QrPayload(o.Notice, notice.Creditor.FiscalCode, o.Amount)).Order(StringComparer.Ordinal), decoded);
                foreach (var option in slips)
                {
                    Assert.Contains(option.Notice.ToPrintedString(), text, StringComparison.Ordinal);
                    Assert.Contains(option.Amount.ToItalianString(), text, StringComparison.Ordinal);
                    Assert.Contains("entro il " + option.DueDate.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);
                }
                Assert.Equal(slips.Count > 0, text.Contains("BANCHE E ALTRI CANALI", StringComparison.Ordinal));
                Assert.Equal(bollettini, CountOf(text, "BOLLETTINO POSTALE PA"));
                Assert.Equal(pages[p].Contains("U") || pages[p].Contains("u"), text.Contains("RATA UNICA", StringComparison.Ordinal));
                for (var n = 1; n <= installments; n++)
                {
                    Assert.True(named.Contains(n) == text.Contains($"{n}ª RATA", StringComparison.Ordinal), $"page {number}: installment {n}");
                }
            }
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

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    [ToolFact("pdfinfo", "pdffonts", "qpdf")]
    public void Render_PdfA_WhatDebianToolsCanCheck()
    {
        // What can be proved without a PDF/A validator (veraPDF is not packaged in Debian): see docs/notices.md.
        var notice = SampleNotices.Create(postal: true, installments: 3);
        var pdf = Write(Renderer.Render(notice));
        try
        {
            // The XMP identification of PDF/A-2b.
            var meta = ExternalTools.Run("pdfinfo", "-meta", pdf);
            Assert.Equal(0, meta.Code);
            var xmp = System.Xml.Linq.XDocument.Parse(meta.Output.Trim());
            System.Xml.Linq.XNamespace pdfaid = "http://www.aiim.org/pdfa/ns/id/";
            Assert.Equal("2", Assert.Single(xmp.Descendants(pdfaid + "part")).Value);
            Assert.Equal("B", Assert.Single(xmp.Descendants(pdfaid + "conformance")).Value);

            // The document information dictionary says the same as the XMP (ISO 19005-2 6.6.2.3.1); no encryption, no JavaScript.
            var info = ExternalTools.Run("pdfinfo", pdf).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split(':', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1].Trim());
            System.Xml.Linq.XNamespace dc = "http://purl.org/dc/elements/1.1/", xmpNs = "http://ns.adobe.com/xap/1.0/", pdfNs = "http://ns.adobe.com/pdf/1.3/";
            Assert.Equal(info["Title"], Assert.Single(xmp.Descendants(dc + "title")).Value);
            Assert.Equal(info["Subject"], Assert.Single(xmp.Descendants(dc + "description")).Value);
            Assert.Equal(info["Author"], Assert.Single(xmp.Descendants(dc + "creator")).Value);
            Assert.Equal(info["Creator"], Assert.Single(xmp.Descendants(xmpNs + "CreatorTool")).Value);
            Assert.Equal(info["Producer"], Assert.Single(xmp.Descendants(pdfNs + "Producer")).Value);
            Assert.Equal("no", info["Encrypted"]);
            Assert.Equal("no", info["JavaScript"]);

            // Every font embedded (pdffonts: name, type, encoding, emb, sub, uni, object, generation).
            var fonts = ExternalTools.Run("pdffonts", pdf).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2)
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
            Assert.Equal(2, fonts.Count);
            Assert.All(fonts, f => Assert.Equal("yes", f[^5]));

            // Structurally sound, with the output intent PDF/A needs: GTS_PDFA1 and an RGB ICC profile.
            var (code, check, error) = ExternalTools.Run("qpdf", "--check", pdf);
            Assert.True(code == 0, check + error);
            using var json = System.Text.Json.JsonDocument.Parse(ExternalTools.Run("qpdf", "--json", "--json-key=qpdf", pdf).Output);
            var objects = json.RootElement.GetProperty("qpdf")[1];
            Assert.Equal(2, objects.GetProperty("trailer").GetProperty("value").GetProperty("/ID").GetArrayLength());
            var catalog = objects.EnumerateObject().Select(o => o.Value)
                .Single(o => o.TryGetProperty("value", out var v) && v.ValueKind == System.Text.Json.JsonValueKind.Object
                    && v.TryGetProperty("/Type", out var t) && t.GetString() == "/Catalog").GetProperty("value");
            var intent = Assert.Single(catalog.GetProperty("/OutputIntents").EnumerateArray());
            Assert.Equal("/GTS_PDFA1", intent.GetProperty("/S").GetString());
            var profile = intent.GetProperty("/DestOutputProfile").GetString()!;
            Assert.Equal(3, objects.GetProperty($"obj:{profile}").GetProperty("stream").GetProperty("dict").GetProperty("/N").GetInt32());
            var icc = ExternalTools.Run("qpdf", System.Text.Encoding.Latin1, $"--show-object={profile.Split(' ')[0]}", "--filtered-stream-data", pdf).Output;
            Assert.Equal("RGB ", icc[16..20]);
            Assert.Equal("acsp", icc[36..40]);
        }
        finally
        {
            File.Delete(pdf);
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
