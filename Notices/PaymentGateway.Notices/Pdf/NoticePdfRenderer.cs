using System.Globalization;
using PaymentGateway.Notices.Barcodes;
using SkiaSharp;

namespace PaymentGateway.Notices.Pdf;

/// <summary>
/// Renders a <see cref="NoticeDocument"/> as an A4 PDF/A following the pagoPA notice layout (avviso 3.x): header,
/// creditor and recipient, amount and due date, where to pay; then the single payment's slip ("rata unica", full
/// width) with its QR code and, when the EC collects on a postal account, its Bollettino Postale PA with Poste's Data
/// Matrix; then the installments in bands of 2 or 3 side by side (<see cref="NoticeDocument.InstallmentsPerBand"/>),
/// one band per page, each band followed by its installments' bollettini. See docs/notices.md for the page layout.
/// Thread-safe: the typefaces are loaded once and shared (SKTypeface is immutable); everything else is per call.
/// </summary>
public sealed class NoticePdfRenderer(TimeProvider timeProvider)
{
    // A4 in PDF points (1/72 in).
    internal const float PageWidth = 595.28f;
    internal const float PageHeight = 841.89f;
    internal const float Margin = 28f;
    private const float ContentWidth = PageWidth - (2 * Margin);
    private const float MillimetresToPoints = 72f / 25.4f;
    // The QR code is printed 25x25 mm (NOTES §c.2); the Data Matrix gets the same box.
    private const float CodeSize = 25 * MillimetresToPoints;
    private const float SlipHeight = 150f;
    // A band of installments: the shared fields on top, then one column per installment (QR code, amount, code).
    private const float BandHeight = 228f;
    private const float Bottom = PageHeight - Margin;

    // Shared with ReceiptPdfRenderer: one set of fonts and brand colours for every PDF we print.
    internal static readonly SKTypeface Regular = LoadTypeface("DejaVuSans-Subset.ttf");
    internal static readonly SKTypeface Bold = LoadTypeface("DejaVuSans-Bold-Subset.ttf");
    internal static readonly SKColor Blue = new(0x00, 0x66, 0xCC);
    internal static readonly SKColor Ink = new(0x17, 0x32, 0x4D);
    // Poste asks for the bollettino text at 70% black, not solid black.
    private static readonly SKColor PosteInk = new(0x4D, 0x4D, 0x4D);
    internal static readonly SKColor Band = new(0xEE, 0xF4, 0xFA);

    /// <summary>Writes the notice PDF to <paramref name="output"/> (which stays open).</summary>
    public void Render(NoticeDocument notice, Stream output)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentNullException.ThrowIfNull(output);
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var first = notice.Options.FirstOrDefault() ?? throw new ArgumentException("a notice needs at least one payable option", nameof(notice));
        // Start from Default (not new()): a new metadata has RasterDpi 0, which breaks the PDF backend.
        var metadata = SKDocumentPdfMetadata.Default with
        {
            PdfA = true,
            Title = $"Avviso di pagamento {first.Notice}",
            Subject = notice.Subject,
            Author = notice.Creditor.Name,
            Creator = "PaymentGateway",
            Producer = "PaymentGateway (SkiaSharp PDF)",
            Creation = now,
            Modified = now,
        };
        using var document = SKDocument.CreatePdf(output, metadata);
        using var page = new PageWriter(document);
        page.Next();
        var y = DrawHeader(page.Canvas, notice);
        var postal = notice.Creditor.Postal;
        if (notice.Single is { } single)
        {
            // Page 1: the single payment's slip and its bollettino, never split (they fit under any header).
            if (y + (postal is null ? SlipHeight : 2 * SlipHeight) > Bottom)
            {
                page.Next();
                y = Margin;
            }
            CutLine(page.Canvas, y);
            DrawPagoPaSlip(page.Canvas, y, notice, single, Label(single));
            y += SlipHeight;
            if (postal is not null)
            {
                CutLine(page.Canvas, y);
                DrawPosteSlip(page.Canvas, y, notice, postal, single, Label(single));
                y += SlipHeight;
            }
        }
        var perBand = notice.InstallmentsPerBand;
        var firstBand = true;
        foreach (var band in notice.Installments.Chunk(perBand))
        {
            // One band per page. Without a single payment the first band goes on page 1, under the header (the guide:
            // "se il tuo pagamento non prevede una rata unica, puoi inserire i dettagli delle rate già a pagina 1").
            if (!(firstBand && notice.Single is null && y + BandHeight <= Bottom))
            {
                page.Next();
                y = Margin;
            }
            firstBand = false;
            CutLine(page.Canvas, y);
            DrawInstallmentBand(page.Canvas, y, notice, band, perBand);
            y += BandHeight;
            if (postal is null)
            {
                continue;
            }
            // The band's bollettini, stacked, kept together: under the band, or on the next page when they do not fit.
            if (y + (band.Length * SlipHeight) > Bottom)
            {
                page.Next();
                y = Margin;
            }
            foreach (var installment in band)
            {
                CutLine(page.Canvas, y);
                DrawPosteSlip(page.Canvas, y, notice, postal, installment, Label(installment));
                y += SlipHeight;
            }
        }
        page.Close();
        document.Close();
    }

    /// <summary>Renders to a byte array (tests, the HTTP endpoint).</summary>
    public byte[] Render(NoticeDocument notice)
    {
        using var buffer = new MemoryStream(48 * 1024);
        Render(notice, buffer);
        return buffer.ToArray();
    }

    private static string Label(NoticeOption option) =>
        option.Installment is { } n ? string.Create(CultureInfo.InvariantCulture, $"{n}ª RATA") : "RATA UNICA";

    private static float DrawHeader(SKCanvas canvas, NoticeDocument notice)
    {
        using var text = new Text();
        var y = Margin + 10;
        text.Draw(canvas, "AVVISO DI PAGAMENTO", Margin, y, 9, Bold, Blue);
        var subjectLines = text.Wrap(notice.Subject, Bold, 16, ContentWidth - 110, 2);
        foreach (var line in subjectLines)
        {
            y += 20;
            text.Draw(canvas, line, Margin, y, 16, Bold, Ink);
        }
        // The pagoPA mark: the brand's blue block with the name (no logo file is shipped).
        using (var blue = new SKPaint { Color = Blue, IsAntialias = true })
        {
            canvas.DrawRoundRect(new SKRect(PageWidth - Margin - 90, Margin, PageWidth - Margin, Margin + 30), 4, 4, blue);
        }
        text.Draw(canvas, "pagoPA", PageWidth - Margin - 45, Margin + 20, 15, Bold, SKColors.White, SKTextAlign.Center);

        y += 26;
        var column = ContentWidth / 2;
        var creditor = notice.Creditor;
        text.Draw(canvas, "ENTE CREDITORE", Margin, y, 8, Bold, Blue);
        text.Draw(canvas, $"Cod. Fiscale {creditor.FiscalCode}", Margin + column - 12, y, 8, Regular, Ink, SKTextAlign.Right);
        text.Draw(canvas, "DESTINATARIO AVVISO", Margin + column, y, 8, Bold, Blue);
        text.Draw(canvas, $"Cod. Fiscale {notice.Debtor.Identifier}", PageWidth - Margin, y, 8, Regular, Ink, SKTextAlign.Right);
        var left = y;
        foreach (var line in text.Wrap(creditor.Name, Bold, 11, column - 12, 2))
        {
            left += 15;
            text.Draw(canvas, line, Margin, left, 11, Bold, Ink);
        }
        if (creditor.OfficeName is { Length: > 0 } office)
        {
            foreach (var line in text.Wrap(office, Regular, 9, column - 12, 2))
            {
                left += 12;
                text.Draw(canvas, line, Margin, left, 9, Regular, Ink);
            }
        }
        var right = y;
        foreach (var line in text.Wrap(notice.Debtor.Name, Bold, 11, column, 2))
        {
            right += 15;
            text.Draw(canvas, line, Margin + column, right, 11, Bold, Ink);
        }
        if (notice.Debtor.Address is { Length: > 0 } address)
        {
            foreach (var line in text.Wrap(address, Regular, 9, column, 2))
            {
                right += 12;
                text.Draw(canvas, line, Margin + column, right, 9, Regular, Ink);
            }
        }

        y = Math.Max(left, right) + 16;
        const float bandHeight = 138;
        using (var band = new SKPaint { Color = Band })
        {
            canvas.DrawRect(Margin, y, ContentWidth, bandHeight, band);
        }
        var pad = 10f;
        var top = y + 16;
        var first = notice.Single ?? notice.Installments[0];
        text.Draw(canvas, "QUANTO E QUANDO PAGARE?", Margin + pad, top, 9, Bold, Blue);
        text.Draw(canvas, $"{first.Amount.ToItalianString()} €", Margin + pad, top + 22, 15, Bold, Ink);
        text.Draw(canvas, $"entro il {Date(first.DueDate)}", Margin + pad + text.Width($"{first.Amount.ToItalianString()} €", Bold, 15) + 8, top + 22, 11, Regular, Ink);
        var installments = notice.Installments.Count;
        var how = (notice.Single, installments) switch
        {
            (not null, > 0) => $"Puoi pagare con una unica rata o in {installments} rate.",
            (null, > 0) => $"Puoi pagare in {installments} rate.",
            _ => "Puoi pagare con una unica rata.",
        };
        var ly = top + 38;
        text.Draw(canvas, how, Margin + pad, ly, 8.5f, Bold, Ink);
        foreach (var line in text.Wrap("L'importo è aggiornato automaticamente dal sistema e potrebbe subire variazioni per eventuali sgravi, " +
            "note di credito, indennità di mora, sanzioni o interessi, ecc. Un operatore, il sito o l'app che userai ti potrebbero " +
            "quindi chiedere una cifra diversa da quella qui indicata.", Regular, 7.5f, column - (2 * pad), 6))
        {
            ly += 10;
            text.Draw(canvas, line, Margin + pad, ly, 7.5f, Regular, Ink);
        }

        var rx = Margin + column + pad;
        var rw = column - (2 * pad);
        text.Draw(canvas, "DOVE PAGARE?", rx, top, 9, Bold, Blue);
        text.Draw(canvas, "Lista dei canali di pagamento su www.pagopa.gov.it", rx, top + 11, 7.5f, Regular, Ink);
        var ry = top + 26;
        text.Draw(canvas, "PAGA SUL SITO O CON LE APP", rx, ry, 8.5f, Bold, Ink);
        foreach (var line in text.Wrap("del tuo Ente Creditore, della tua Banca o degli altri canali di pagamento. " +
            "Potrai pagare con carte, conto corrente, CBILL.", Regular, 7.5f, rw, 3))
        {
            ry += 10;
            text.Draw(canvas, line, rx, ry, 7.5f, Regular, Ink);
        }
        ry += 16;
        text.Draw(canvas, "PAGA SUL TERRITORIO", rx, ry, 8.5f, Bold, Ink);
        foreach (var line in text.Wrap("in tutti gli Uffici Postali, in Banca, in Ricevitoria, dal Tabaccaio, al Bancomat, al Supermercato. " +
            "Potrai pagare in contanti, con carte o conto corrente.", Regular, 7.5f, rw, 3))
        {
            ry += 10;
            text.Draw(canvas, line, rx, ry, 7.5f, Regular, Ink);
        }

        y += bandHeight + 16;
        text.Draw(canvas, "Utilizza la porzione di avviso relativa alla rata e al canale di pagamento che preferisci.", Margin, y, 8, Bold, Ink);
        return y + 10;
    }

    private static void DrawPagoPaSlip(SKCanvas canvas, float y, NoticeDocument notice, NoticeOption option, string label)
    {
        using var text = new Text();
        var codeTop = DrawSlipHead(canvas, text, y, "BANCHE E ALTRI CANALI", Blue, Ink, option, label,
            QrCode.Encode(NoticeCodes.QrPayload(option.Notice, notice.Creditor.FiscalCode, option.Amount)),
            "Qui accanto trovi il codice QR e il codice interbancario CBILL per pagare attraverso il circuito " +
            "bancario e gli altri canali di pagamento abilitati.", 4);

        var x = Margin + 165;
        var width = PageWidth - Margin - x;
        var row = codeTop + 8;
        Field(text, canvas, "Destinatario", notice.Debtor.Name, x, row, width - 120);
        text.Draw(canvas, "Euro", PageWidth - Margin, row, 7.5f, Regular, Ink, SKTextAlign.Right);
        text.Draw(canvas, option.Amount.ToItalianString(), PageWidth - Margin, row + 18, 15, Bold, Ink, SKTextAlign.Right);
        row += 26;
        Field(text, canvas, "Ente Creditore", notice.Creditor.Name, x, row, width);
        row += 26;
        Field(text, canvas, "Oggetto del pagamento", notice.Subject, x, row, width);
        row += 30;
        var third = width / 3;
        Field(text, canvas, "Codice CBILL", notice.Creditor.CbillCode ?? "-", x, row, third, bold: true);
        Field(text, canvas, "Codice Avviso", option.Notice.ToPrintedString(), x + third, row, third + 10, bold: true);
        Field(text, canvas, "Cod. Fiscale Ente Creditore", notice.Creditor.FiscalCode.Value, x + (2 * third) + 10, row, third - 10, bold: true);
    }

    // A band of installments (2 or 3 columns): the fields every installment shares, once, then per column the
    // installment's label, due date, QR code, amount and notice code. A band that a plan does not fill (5 installments
    // in bands of 3) keeps its column widths and leaves the last column empty: one layout per notice.
    private static void DrawInstallmentBand(SKCanvas canvas, float y, NoticeDocument notice, IReadOnlyList<NoticeOption> band, int columns)
    {
        using var text = new Text();
        text.Draw(canvas, "BANCHE E ALTRI CANALI", Margin, y + 18, 9.5f, Bold, Blue);
        var third = ContentWidth / 3;
        var row = y + 32;
        Field(text, canvas, "Destinatario", notice.Debtor.Name, Margin, row, third);
        Field(text, canvas, "Ente Creditore", notice.Creditor.Name, Margin + third, row, third);
        Field(text, canvas, "Oggetto del pagamento", notice.Subject, Margin + (2 * third), row, third);
        row += 26;
        Field(text, canvas, "Codice CBILL", notice.Creditor.CbillCode ?? "-", Margin, row, third, bold: true);
        Field(text, canvas, "Cod. Fiscale Ente Creditore", notice.Creditor.FiscalCode.Value, Margin + third, row, third, bold: true);
        var line = row;
        foreach (var caption in text.Wrap("Per ogni rata trovi qui sotto il codice QR e il codice avviso per pagare attraverso il " +
            "circuito bancario e gli altri canali di pagamento abilitati.", Regular, 6.5f, third - 6, 3))
        {
            text.Draw(canvas, caption, Margin + (2 * third), line, 6.5f, Regular, Ink);
            line += 8;
        }

        var top = y + 84;
        var width = ContentWidth / columns;
        for (var i = 0; i < columns; i++)
        {
            var x = Margin + (i * width);
            if (i > 0)
            {
                DashedLine(canvas, x, top, x, y + BandHeight - 6);
                x += 10;
            }
            if (i < band.Count)
            {
                DrawInstallmentColumn(canvas, text, x, top, Margin + ((i + 1) * width) - x - 6, notice, band[i]);
            }
        }
    }

    private static void DrawInstallmentColumn(SKCanvas canvas, Text text, float x, float top, float width, NoticeDocument notice, NoticeOption option)
    {
        var y = top + 12;
        text.Draw(canvas, Label(option), x, y, 9.5f, Bold, Ink);
        text.Draw(canvas, $"entro il {Date(option.DueDate)}", x, y + 13, 9, Regular, Ink);
        var codeTop = y + 22;
        DrawModules(canvas, QrCode.Encode(NoticeCodes.QrPayload(option.Notice, notice.Creditor.FiscalCode, option.Amount)), x, codeTop, CodeSize, SKColors.Black);
        var amountX = x + CodeSize + 8;
        var amount = option.Amount.ToItalianString();
        // Up to 15 pt, smaller when a large amount would not fit beside the code.
        var size = 15f;
        while (size > 8 && text.Width(amount, Bold, size) > x + width - amountX)
        {
            size -= 0.5f;
        }
        text.Draw(canvas, "Euro", amountX, codeTop + 10, 7.5f, Regular, Ink);
        text.Draw(canvas, amount, amountX, codeTop + 28, size, Bold, Ink);
        Field(text, canvas, "Codice Avviso", option.Notice.ToPrintedString(), x, codeTop + CodeSize + 12, width, bold: true);
    }

    private static void DrawPosteSlip(SKCanvas canvas, float y, NoticeDocument notice, NoticePostalAccount postal, NoticeOption option, string label)
    {
        using var text = new Text();
        var payload = NoticeCodes.PostePayload(option.Notice, postal.AccountNumber, option.Amount, notice.Creditor.FiscalCode,
            notice.Debtor.Identifier, notice.Debtor.Name, notice.Subject);
        var codeTop = DrawSlipHead(canvas, text, y, "BOLLETTINO POSTALE PA", PosteInk, PosteInk, option, label, DataMatrix.Encode(payload),
            "Bollettino Postale pagabile in tutti gli Uffici Postali e sui canali fisici o digitali abilitati " +
            "di Poste Italiane e dell'Ente Creditore.", 3);

        var x = Margin + 165;
        var width = PageWidth - Margin - x;
        var row = codeTop + 8;
        Field(text, canvas, "sul C/C n.", postal.PrintedNumber, x, row, width - 120, bold: true, PosteInk);
        text.Draw(canvas, "Euro", PageWidth - Margin, row, 7.5f, Regular, PosteInk, SKTextAlign.Right);
        text.Draw(canvas, option.Amount.ToItalianString(), PageWidth - Margin, row + 18, 15, Bold, PosteInk, SKTextAlign.Right);
        row += 26;
        Field(text, canvas, "Intestato a", notice.Creditor.Name, x, row, width, ink: PosteInk);
        row += 26;
        Field(text, canvas, "Destinatario", notice.Debtor.Name, x, row, width / 2, ink: PosteInk);
        Field(text, canvas, "Oggetto del pagamento", notice.Subject, x + (width / 2), row, width / 2, ink: PosteInk);
        row += 30;
        var third = width / 3;
        Field(text, canvas, "Codice Avviso", option.Notice.ToPrintedString(), x, row, third + 10, bold: true, PosteInk);
        Field(text, canvas, "Tipo", "P1", x + third + 10, row, third / 2, bold: true, PosteInk);
        Field(text, canvas, "Cod. Fiscale Ente Creditore", notice.Creditor.FiscalCode.Value, x + (2 * third) - 10, row, third + 10, bold: true, PosteInk);
        if (postal.Authorization is { Length: > 0 } authorization)
        {
            text.Draw(canvas, authorization, x, row + 22, 6.5f, Regular, PosteInk);
        }
    }

    // What both slips share: the title, the due date and installment label on the right, the code on the left with its
    // caption underneath. Returns the top of the code, where the slip's fields start.
    private static float DrawSlipHead(SKCanvas canvas, Text text, float y, string title, SKColor titleInk, SKColor ink, NoticeOption option, string label,
        bool[,] code, string caption, int captionLines)
    {
        var top = y + 18;
        text.Draw(canvas, title, Margin, top, 9.5f, Bold, titleInk);
        var due = $"entro il {Date(option.DueDate)}";
        text.Draw(canvas, due, PageWidth - Margin, top, 9, Regular, ink, SKTextAlign.Right);
        text.Draw(canvas, label, PageWidth - Margin - text.Width(due, Regular, 9) - 6, top, 9.5f, Bold, ink, SKTextAlign.Right);

        var codeTop = top + 12;
        DrawModules(canvas, code, Margin, codeTop, CodeSize, SKColors.Black);
        var lineTop = codeTop + CodeSize + 10;
        foreach (var line in text.Wrap(caption, Regular, 6.5f, 150, captionLines))
        {
            text.Draw(canvas, line, Margin, lineTop, 6.5f, Regular, ink);
            lineTop += 8;
        }
        return codeTop;
    }

    private static void Field(Text text, SKCanvas canvas, string label, string value, float x, float y, float width, bool bold = false, SKColor? ink = null)
    {
        var color = ink ?? Ink;
        text.Draw(canvas, label, x, y, 7, Regular, color);
        var line = text.Wrap(value, bold ? Bold : Regular, 9, width - 6, 1).FirstOrDefault() ?? "";
        text.Draw(canvas, line, x, y + 11, 9, bold ? Bold : Regular, color);
    }

    /// <summary>Draws a module matrix as one rectangle per dark module (faster in Skia's PDF backend than one big path).</summary>
    private static void DrawModules(SKCanvas canvas, bool[,] modules, float x, float y, float size, SKColor color)
    {
        int rows = modules.GetLength(0), columns = modules.GetLength(1);
        var module = size / Math.Max(rows, columns);
        using var paint = new SKPaint { Color = color, IsAntialias = false };
        for (var r = 0; r < rows; r++)
        {
            // Runs of dark modules in a row become one rectangle.
            for (var c = 0; c < columns; c++)
            {
                if (!modules[r, c])
                {
                    continue;
                }
                var start = c;
                while (c + 1 < columns && modules[r, c + 1])
                {
                    c++;
                }
                canvas.DrawRect(x + (start * module), y + (r * module), (c - start + 1) * module, module, paint);
            }
        }
    }

    private static void CutLine(SKCanvas canvas, float y) => DashedLine(canvas, Margin, y, PageWidth - Margin, y);

    private static void DashedLine(SKCanvas canvas, float x0, float y0, float x1, float y1)
    {
        using var dashed = new SKPaint { Color = new SKColor(0x99, 0x99, 0x99), StrokeWidth = 0.5f, Style = SKPaintStyle.Stroke, PathEffect = SKPathEffect.CreateDash([3, 3], 0) };
        canvas.DrawLine(x0, y0, x1, y1, dashed);
    }

    private static string Date(DateOnly date) => date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    private static SKTypeface LoadTypeface(string file)
    {
        using var stream = typeof(NoticePdfRenderer).Assembly.GetManifestResourceStream($"PaymentGateway.Notices.Pdf.Fonts.{file}")
            ?? throw new InvalidOperationException($"embedded font {file} is missing");
        return SKTypeface.FromStream(stream) ?? throw new InvalidOperationException($"embedded font {file} cannot be read");
    }

    /// <summary>One SKFont and SKPaint reused for every string of a section (cheap to create, not shared between threads).</summary>
    internal sealed class Text : IDisposable
    {
        // Hinting off and linear metrics on: hinted advances make letter spacing uneven in a PDF.
        private readonly SKFont _font = new() { Hinting = SKFontHinting.None, LinearMetrics = true, Subpixel = true };
        private readonly SKPaint _paint = new() { IsAntialias = true };

        public void Draw(SKCanvas canvas, string value, float x, float y, float size, SKTypeface typeface, SKColor color, SKTextAlign align = SKTextAlign.Left)
        {
            _font.Typeface = typeface;
            _font.Size = size;
            _paint.Color = color;
            canvas.DrawText(value, x, y, align, _font, _paint);
        }

        public float Width(string value, SKTypeface typeface, float size)
        {
            _font.Typeface = typeface;
            _font.Size = size;
            return _font.MeasureText(value);
        }

        /// <summary>Greedy word wrap to <paramref name="maxLines"/> lines; the last line ends in "…" when text is cut.</summary>
        public List<string> Wrap(string value, SKTypeface typeface, float size, float width, int maxLines)
        {
            var lines = new List<string>();
            var current = "";
            foreach (var word in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = current.Length == 0 ? word : current + " " + word;
                if (Width(candidate, typeface, size) <= width || current.Length == 0)
                {
                    current = candidate;
                    continue;
                }
                lines.Add(current);
                current = word;
                if (lines.Count == maxLines)
                {
                    break;
                }
            }
            if (lines.Count < maxLines && current.Length > 0)
            {
                lines.Add(current);
                current = "";
            }
            if (current.Length > 0 || (lines.Count > 0 && Width(lines[^1], typeface, size) > width))
            {
                var last = lines[^1];
                while (last.Length > 1 && Width(last + "…", typeface, size) > width)
                {
                    last = last[..^1];
                }
                lines[^1] = last.TrimEnd() + "…";
            }
            return lines;
        }

        public void Dispose()
        {
            _font.Dispose();
            _paint.Dispose();
        }
    }

    /// <summary>Opens and closes PDF pages.</summary>
    internal sealed class PageWriter(SKDocument document) : IDisposable
    {
        public SKCanvas Canvas { get; private set; } = null!;

        public void Next()
        {
            Close();
            Canvas = document.BeginPage(PageWidth, PageHeight);
        }

        public void Close()
        {
            if (Canvas is not null)
            {
                document.EndPage();
                Canvas = null!;
            }
        }

        public void Dispose() => Close();
    }
}
