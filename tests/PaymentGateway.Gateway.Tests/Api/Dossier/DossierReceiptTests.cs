using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PaymentGateway.Testing;

namespace PaymentGateway.Gateway.Tests.Api.Dossier;

/// <summary>One receipt's data and its PDF, read back with Debian's <c>pdftotext</c>.</summary>
[Collection(nameof(DossierCollection))]
public sealed class DossierReceiptTests(DossierFixture fixture)
{
    private static string Ec => PositionBuilder.Creditor.ToString();

    [DatabaseFact]
    public async Task Receipt_Data_HasWhatTheNodeDeliveredWithTransfersAndNames()
    {
        using var giulia = fixture.As(DossierFixture.Giulia);

        var receipt = await giulia.GetFromJsonAsync<JsonElement>($"/api/v1/dossier/receipts/{Ec}/{DossierFixture.DarioReceiptId}");

        var option = fixture.DarioPaid.Options[0];
        Assert.Equal(DossierFixture.DarioReceiptId, receipt.GetProperty("receiptId").GetString());
        Assert.Equal(option.NoticeNumber.ToString(), receipt.GetProperty("noticeNumber").GetString());
        Assert.Equal(option.Iuv.ToString(), receipt.GetProperty("iuv").GetString());
        Assert.Equal(option.Amount.Cents, receipt.GetProperty("amountCents").GetInt64());
        Assert.Equal(150, receipt.GetProperty("feeCents").GetInt64());
        Assert.Equal("Intesa Sanpaolo", receipt.GetProperty("pspName").GetString());
        Assert.Equal("BCITITMM", receipt.GetProperty("pspId").GetString());
        Assert.Equal("Comune di Milano", receipt.GetProperty("organizationName").GetString());
        Assert.Equal("Ufficio Tributi", receipt.GetProperty("officeName").GetString());
        Assert.Equal(DateTimeOffset.Parse("2026-11-03T17:30:05Z", System.Globalization.CultureInfo.InvariantCulture),
            receipt.GetProperty("paymentDateTime").GetDateTimeOffset());
        Assert.Equal(("F", DossierFixture.Dario, "DARIO FERRARI"), Party(receipt.GetProperty("debtor")));
        Assert.Equal(("F", DossierFixture.Giulia, "GIULIA FERRARI"), Party(receipt.GetProperty("payer")));
        var transfers = receipt.GetProperty("transfers").EnumerateArray().ToList();
        Assert.Equal([1, 2], transfers.Select(t => t.GetProperty("idTransfer").GetInt32()));
        Assert.Equal(option.Amount.Cents, transfers.Sum(t => t.GetProperty("amountCents").GetInt64()));
        Assert.Equal("Città Metropolitana di Milano", transfers[1].GetProperty("beneficiaryName").GetString());
        Assert.Equal(PositionBuilder.SecondIban.ToString(), transfers[1].GetProperty("iban").GetString());
    }

    [DatabaseFact]
    public async Task ReceiptPdf_ReadBackWithPdftotext_HoldsEveryFieldThatGivesItLegalValue()
    {
        if (SkipReason() is { } reason)
        {
            Assert.Fail(reason);
        }
        using var giulia = fixture.As(DossierFixture.Giulia);
        using var response = await giulia.GetAsync($"/api/v1/dossier/receipts/{Ec}/{DossierFixture.DarioReceiptId}.pdf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var text = PdfText(await response.Content.ReadAsByteArrayAsync());

        var option = fixture.DarioPaid.Options[0];
        foreach (var expected in new[]
        {
            "RICEVUTA DI PAGAMENTO",
            "Comune di Milano", PositionBuilder.Creditor.ToString(), "Ufficio Tributi",
            "Refezione scolastica ottobre 2026",
            option.NoticeNumber.ToString(), option.Iuv.ToString(), DossierFixture.DarioReceiptId,
            "43,20 €", "1,50 €", "44,70 €",
            "Intesa Sanpaolo", "BCITITMM",
            "03/11/2026 18:30:05",
            "DARIO FERRARI", DossierFixture.Dario, "GIULIA FERRARI", DossierFixture.Giulia,
            PositionBuilder.CreditorIban.ToString(), PositionBuilder.SecondIban.ToString(), PositionBuilder.SecondBeneficiary.ToString(),
            "41,04 €", "2,16 €", "TARI", "TEFA",
        })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }
    }

    private static (string?, string?, string?) Party(JsonElement party) =>
        (party.GetProperty("type").GetString(), party.GetProperty("identifier").GetString(), party.GetProperty("name").GetString());

    private static string? SkipReason() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "pdftotext")))
            ? null
            : "pdftotext is missing: run ./test.sh, which installs poppler-utils";

    private static string PdfText(byte[] pdf)
    {
        var path = Path.Combine(Path.GetTempPath(), $"pgw-receipt-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(path, pdf);
        try
        {
            var start = new ProcessStartInfo("pdftotext") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "-layout", path, "-" })
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit(60_000);
            Assert.Equal(0, process.ExitCode);
            return output;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
