using System.Globalization;
using System.Net;
using System.Text;
using PaymentGateway.Notices.Barcodes;
using PaymentGateway.Notices.Pdf;

namespace PaymentGateway.NoticesBench;

/// <summary>
/// The same one-page notice (single payment + Bollettino Postale PA) as HTML/CSS, with the same subset fonts (data: URLs)
/// and the same QR / Data Matrix modules as inline SVG: the input an HTML-to-PDF notice service would print.
/// </summary>
internal static class HtmlNotice
{
    private static readonly string FontFaces = FontFace("DejaVuSans-Subset.ttf", "normal") + FontFace("DejaVuSans-Bold-Subset.ttf", "bold");

    public static string Render(NoticeDocument notice)
    {
        var option = notice.Single!;
        var creditor = notice.Creditor;
        var postal = creditor.Postal!;
        string E(string text) => WebUtility.HtmlEncode(text);
        var amount = option.Amount.ToItalianString();
        var due = option.DueDate.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
        var qr = Svg(QrCode.Encode(NoticeCodes.QrPayload(option.Notice, creditor.FiscalCode, option.Amount)));
        var matrix = Svg(DataMatrix.Encode(NoticeCodes.PostePayload(option.Notice, postal.AccountNumber, option.Amount, creditor.FiscalCode,
            notice.Debtor.Identifier, notice.Debtor.Name, notice.Subject)));
        return $$"""
            <!doctype html><html lang="it"><head><meta charset="utf-8"><style>
            {{FontFaces}}
            @page { size: A4; margin: 10mm; }
            body { font-family: 'Notice'; color: #17324D; font-size: 9pt; margin: 0; }
            .label { color: #0066CC; font-weight: bold; font-size: 8pt; }
            h1 { font-size: 16pt; margin: 2pt 0 10pt; } .row { display: flex; gap: 12pt; } .col { flex: 1; }
            .band { background: #EEF4FA; padding: 8pt; display: flex; gap: 16pt; margin: 10pt 0; } .small { font-size: 7.5pt; }
            .slip { border-top: 0.5pt dashed #999; padding: 8pt 0; display: flex; gap: 12pt; } .code { width: 25mm; height: 25mm; }
            .amount { font-size: 15pt; font-weight: bold; text-align: right; } .poste { color: #4D4D4D; }
            .logo { float: right; background: #0066CC; color: white; font-weight: bold; font-size: 15pt; padding: 4pt 14pt; border-radius: 4pt; }
            </style></head><body>
            <div class="logo">pagoPA</div><div class="label">AVVISO DI PAGAMENTO</div><h1>{{E(notice.Subject)}}</h1>
            <div class="row"><div class="col"><div class="label">ENTE CREDITORE</div><b>{{E(creditor.Name)}}</b><br>{{E(creditor.OfficeName ?? "")}}<br>Cod. Fiscale {{creditor.FiscalCode}}</div>
            <div class="col"><div class="label">DESTINATARIO AVVISO</div><b>{{E(notice.Debtor.Name)}}</b><br>{{E(notice.Debtor.Address ?? "")}}<br>Cod. Fiscale {{E(notice.Debtor.Identifier)}}</div></div>
            <div class="band"><div class="col"><div class="label">QUANTO E QUANDO PAGARE?</div><span style="font-size:15pt;font-weight:bold">{{amount}} €</span> entro il {{due}}
            <p class="small">L'importo è aggiornato automaticamente dal sistema e potrebbe subire variazioni per eventuali sgravi, note di credito, indennità di mora, sanzioni o interessi, ecc. Un operatore, il sito o l'app che userai ti potrebbero quindi chiedere una cifra diversa da quella qui indicata.</p></div>
            <div class="col"><div class="label">DOVE PAGARE?</div><div class="small">Lista dei canali di pagamento su www.pagopa.gov.it</div>
            <b>PAGA SUL SITO O CON LE APP</b><div class="small">del tuo Ente Creditore, della tua Banca o degli altri canali di pagamento. Potrai pagare con carte, conto corrente, CBILL.</div>
            <b>PAGA SUL TERRITORIO</b><div class="small">in tutti gli Uffici Postali, in Banca, in Ricevitoria, dal Tabaccaio, al Bancomat, al Supermercato. Potrai pagare in contanti, con carte o conto corrente.</div></div></div>
            <b>Utilizza la porzione di avviso relativa alla rata e al canale di pagamento che preferisci.</b>
            <div class="slip"><div><div class="label">BANCHE E ALTRI CANALI</div>{{qr}}</div><div class="col">RATA UNICA entro il {{due}}<br>
            Destinatario <b>{{E(notice.Debtor.Name)}}</b><br>Ente Creditore <b>{{E(creditor.Name)}}</b><br>Oggetto del pagamento {{E(notice.Subject)}}<br>
            Codice CBILL <b>{{E(creditor.CbillCode ?? "-")}}</b> Codice Avviso <b>{{option.Notice.ToPrintedString()}}</b> Cod. Fiscale Ente Creditore <b>{{creditor.FiscalCode}}</b></div>
            <div class="amount">Euro<br>{{amount}}</div></div>
            <div class="slip poste"><div><b>BOLLETTINO POSTALE PA</b><br>{{matrix}}</div><div class="col">RATA UNICA entro il {{due}}<br>
            sul C/C n. <b>{{postal.PrintedNumber}}</b><br>Intestato a {{E(creditor.Name)}}<br>Destinatario {{E(notice.Debtor.Name)}} — Oggetto {{E(notice.Subject)}}<br>
            Codice Avviso <b>{{option.Notice.ToPrintedString()}}</b> Tipo <b>P1</b> Cod. Fiscale Ente Creditore <b>{{creditor.FiscalCode}}</b><br><span class="small">{{E(postal.Authorization ?? "")}}</span></div>
            <div class="amount">Euro<br>{{amount}}</div></div>
            </body></html>
            """;
    }

    private static string Svg(bool[,] modules)
    {
        int rows = modules.GetLength(0), columns = modules.GetLength(1);
        var svg = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<svg class=\"code\" viewBox=\"0 0 {columns} {rows}\" shape-rendering=\"crispEdges\">");
        for (var y = 0; y < rows; y++)
        {
            for (var x = 0; x < columns; x++)
            {
                if (modules[y, x])
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y}\" width=\"1\" height=\"1\"/>");
                }
            }
        }
        return svg.Append("</svg>").ToString();
    }

    private static string FontFace(string file, string weight)
    {
        using var stream = typeof(NoticePdfRenderer).Assembly.GetManifestResourceStream($"PaymentGateway.Notices.Pdf.Fonts.{file}")!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return $"@font-face {{ font-family: 'Notice'; font-weight: {weight}; src: url(data:font/ttf;base64,{Convert.ToBase64String(buffer.ToArray())}); }}\n";
    }
}
