using System.Globalization;
using PaymentGateway.Core;
using SkiaSharp;

namespace PaymentGateway.Notices.Pdf;

/// <summary>
/// Renders a <see cref="ReceiptDocument"/> as a one-page A4 PDF/A "ricevuta di pagamento" with the same fonts, colours
/// and PDF backend as the notices (<see cref="NoticePdfRenderer"/>): the amount paid, fee and date first, then the EC,
/// the notice (notice number, IUV, receipt id = IUR), the PSP, debtor and payer, and one line per transfer. Every
/// identifier is printed whole on one line (never wrapped or cut) so that it can be read back and checked.
/// Thread-safe, like the notice renderer.
/// </summary>
public sealed class ReceiptPdfRenderer(TimeProvider timeProvider)
{
    private const float PageWidth = NoticePdfRenderer.PageWidth;
    private const float PageHeight = NoticePdfRenderer.PageHeight;
    private const float Margin = NoticePdfRenderer.Margin;
    private const float ContentWidth = PageWidth - (2 * Margin);
    private static readonly SKTypeface Regular = NoticePdfRenderer.Regular;
    private static readonly SKTypeface Bold = NoticePdfRenderer.Bold;
    private static readonly SKColor Blue = NoticePdfRenderer.Blue;
    private static readonly SKColor Ink = NoticePdfRenderer.Ink;

    /// <summary>Writes the receipt PDF to <paramref name="output"/> (which stays open).</summary>
    public void Render(ReceiptDocument receipt, Stream output)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        ArgumentNullException.ThrowIfNull(output);
        var now = timeProvider.GetUtcNow();
        var metadata = SKDocumentPdfMetadata.Default with
        {
            PdfA = true,
            Title = $"Ricevuta di pagamento {receipt.ReceiptId}",
            Subject = receipt.Description ?? $"Avviso {receipt.NoticeNumber}",
            Author = receipt.CreditorName,
            Creator = "PaymentGateway",
            Producer = "PaymentGateway (SkiaSharp PDF)",
            Creation = now.UtcDateTime,
            Modified = now.UtcDateTime,
        };
        using var document = SKDocument.CreatePdf(output, metadata);
        using var page = new NoticePdfRenderer.PageWriter(document);
        page.Next();
        var canvas = page.Canvas;
        using var text = new NoticePdfRenderer.Text();

        var y = Margin + 10;
        text.Draw(canvas, "RICEVUTA DI PAGAMENTO", Margin, y, 9, Bold, Blue);
        y += 20;
        text.Draw(canvas, "Pagamento eseguito tramite pagoPA", Margin, y, 16, Bold, Ink);
        using (var blue = new SKPaint { Color = Blue, IsAntialias = true })
        {
            canvas.DrawRoundRect(new SKRect(PageWidth - Margin - 90, Margin, PageWidth - Margin, Margin + 30), 4, 4, blue);
        }
        text.Draw(canvas, "pagoPA", PageWidth - Margin - 45, Margin + 20, 15, Bold, SKColors.White, SKTextAlign.Center);

        // The amount band: what was paid, the fee, the total charged and when.
        y += 18;
        const float bandHeight = 64;
        using (var band = new SKPaint { Color = NoticePdfRenderer.Band })
        {
            canvas.DrawRect(Margin, y, ContentWidth, bandHeight, band);
        }
        var quarter = ContentWidth / 4;
        var top = y + 18;
        Pair(text, canvas, "IMPORTO PAGATO", $"{receipt.Amount.ToItalianString()} €", Margin + 10, top, 15);
        Pair(text, canvas, "COMMISSIONE", receipt.Fee is { } fee ? $"{fee.ToItalianString()} €" : "non indicata", Margin + quarter + 10, top, 11);
        Pair(text, canvas, "TOTALE ADDEBITATO", receipt.Fee is { } f ? $"{(receipt.Amount + f).ToItalianString()} €" : "-", Margin + (2 * quarter) + 10, top, 11);
        Pair(text, canvas, "DATA E ORA DEL PAGAMENTO", receipt.PaymentDateTime is { } when ? Stamp(when) : "non indicata", Margin + (3 * quarter) + 10, top, 11);
        y += bandHeight + 22;

        y = Section(text, canvas, "ENTE CREDITORE", y,
        [
            ("Denominazione", receipt.CreditorName),
            ("Codice fiscale", receipt.CreditorFiscalCode),
            ("Ufficio", receipt.OfficeName ?? "-"),
        ]);
        y = Section(text, canvas, "AVVISO PAGATO", y,
        [
            ("Oggetto del pagamento", receipt.Description ?? "-"),
            ("Codice avviso", receipt.NoticeNumber),
            ("Codice IUV", receipt.Iuv),
            ("Identificativo ricevuta (IUR)", receipt.ReceiptId),
        ]);
        y = Section(text, canvas, "PRESTATORE DEL SERVIZIO DI PAGAMENTO", y,
        [
            ("PSP", receipt.PspName ?? "-"),
            ("Codice PSP", receipt.PspId ?? "-"),
            ("Metodo di pagamento", receipt.PaymentMethod ?? "-"),
        ]);
        y = Section(text, canvas, "DEBITORE", y,
        [
            ("Nome", receipt.Debtor.Name ?? "-"),
            ("Codice fiscale / identificativo", receipt.Debtor.Identifier),
        ]);
        y = Section(text, canvas, "PAGATORE", y, receipt.Payer is { } payer
            ? [("Nome", payer.Name ?? "-"), ("Codice fiscale / identificativo", payer.Identifier)]
            : [("Nome", "coincide con il debitore")]);

        y = DrawTransfers(text, canvas, receipt, y + 4);

        y += 18;
        var note = $"Ricevuta telematica emessa dalla piattaforma pagoPA e consegnata all'Ente Creditore il {Stamp(receipt.ReceivedAt)}. " +
            "L'identificativo ricevuta (IUR) e il codice IUV identificano il pagamento nei flussi di rendicontazione dell'Ente.";
        if (receipt.StandIn)
        {
            note += " Pagamento eseguito mentre la stazione dell'Ente era in Stand-In.";
        }
        foreach (var line in text.Wrap(note, Regular, 7.5f, ContentWidth, 4))
        {
            text.Draw(canvas, line, Margin, y, 7.5f, Regular, Ink);
            y += 10;
        }
        text.Draw(canvas, $"Documento generato il {Stamp(now)} da PaymentGateway.", Margin, y + 4, 7, Regular, Ink);
        page.Close();
        document.Close();
    }

    /// <summary>Renders to a byte array (tests, the HTTP endpoint).</summary>
    public byte[] Render(ReceiptDocument receipt)
    {
        using var buffer = new MemoryStream(24 * 1024);
        Render(receipt, buffer);
        return buffer.ToArray();
    }

    private static void Pair(NoticePdfRenderer.Text text, SKCanvas canvas, string label, string value, float x, float y, float size)
    {
        text.Draw(canvas, label, x, y, 7, Bold, Blue);
        text.Draw(canvas, value, x, y + 8 + size, size, Bold, Ink);
    }

    // A titled block of label/value rows in two columns; returns the y below it.
    private static float Section(NoticePdfRenderer.Text text, SKCanvas canvas, string title, float y, (string Label, string Value)[] rows)
    {
        text.Draw(canvas, title, Margin, y, 8.5f, Bold, Blue);
        y += 4;
        using (var rule = new SKPaint { Color = Blue, StrokeWidth = 0.5f, Style = SKPaintStyle.Stroke })
        {
            canvas.DrawLine(Margin, y, PageWidth - Margin, y, rule);
        }
        y += 13;
        const float labelWidth = 170;
        foreach (var (label, value) in rows)
        {
            text.Draw(canvas, label, Margin, y, 8, Regular, Ink);
            // Names and descriptions may wrap (two lines); identifiers are short and stay whole.
            var lines = text.Wrap(value, Bold, 9, ContentWidth - labelWidth, 2);
            foreach (var line in lines)
            {
                text.Draw(canvas, line, Margin + labelWidth, y, 9, Bold, Ink);
                y += 12;
            }
            y += 1;
        }
        return y + 10;
    }

    private static float DrawTransfers(NoticePdfRenderer.Text text, SKCanvas canvas, ReceiptDocument receipt, float y)
    {
        text.Draw(canvas, "RIPARTIZIONE DELL'IMPORTO TRA I BENEFICIARI", Margin, y, 8.5f, Bold, Blue);
        y += 4;
        using (var rule = new SKPaint { Color = Blue, StrokeWidth = 0.5f, Style = SKPaintStyle.Stroke })
        {
            canvas.DrawLine(Margin, y, PageWidth - Margin, y, rule);
        }
        y += 13;
        // Columns: #, beneficiary (name and fiscal code), IBAN, remittance information, amount (right-aligned).
        float[] x = [Margin, Margin + 16, Margin + 190, Margin + 350, PageWidth - Margin];
        text.Draw(canvas, "N.", x[0], y, 7, Bold, Ink);
        text.Draw(canvas, "Beneficiario", x[1], y, 7, Bold, Ink);
        text.Draw(canvas, "IBAN", x[2], y, 7, Bold, Ink);
        text.Draw(canvas, "Causale", x[3], y, 7, Bold, Ink);
        text.Draw(canvas, "Importo", x[4], y, 7, Bold, Ink, SKTextAlign.Right);
        y += 12;
        foreach (var transfer in receipt.Transfers)
        {
            text.Draw(canvas, transfer.Index.ToString(CultureInfo.InvariantCulture), x[0], y, 8, Regular, Ink);
            var name = text.Wrap(transfer.BeneficiaryName ?? "-", Regular, 8, x[2] - x[1] - 6, 1).FirstOrDefault() ?? "-";
            text.Draw(canvas, name, x[1], y, 8, Regular, Ink);
            text.Draw(canvas, $"C.F. {transfer.BeneficiaryFiscalCode}", x[1], y + 10, 8, Regular, Ink);
            text.Draw(canvas, transfer.Iban ?? "marca da bollo digitale", x[2], y, 7.5f, Regular, Ink);
            var remittance = text.Wrap(transfer.RemittanceInformation ?? "-", Regular, 8, x[4] - x[3] - 60, 2);
            for (var i = 0; i < remittance.Count; i++)
            {
                text.Draw(canvas, remittance[i], x[3], y + (i * 10), 8, Regular, Ink);
            }
            text.Draw(canvas, $"{transfer.Amount.ToItalianString()} €", x[4], y, 8, Bold, Ink, SKTextAlign.Right);
            y += 24;
        }
        var sum = EuroCents.Sum(receipt.Transfers.Select(t => t.Amount));
        text.Draw(canvas, "Totale versamenti", x[3], y, 8, Bold, Ink);
        text.Draw(canvas, $"{sum.ToItalianString()} €", x[4], y, 8, Bold, Ink, SKTextAlign.Right);
        return y + 4;
    }

    private static string Stamp(DateTimeOffset instant) =>
        RomeCalendar.ToRome(instant).ToString("dd/MM/yyyy HH:mm:ss", CultureInfo.InvariantCulture);
}
