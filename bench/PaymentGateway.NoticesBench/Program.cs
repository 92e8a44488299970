using System.Diagnostics;
using System.Globalization;
using PaymentGateway.Core;
using PaymentGateway.Notices.Pdf;
using PaymentGateway.NoticesBench;

// pgw-notices-bench [count] [chromium executable] [report.md]
// Our renderer single-threaded and on every core, then a warm headless Chromium printing the same notice from HTML.
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 400;
var chromiumPath = args.Length > 1 ? args[1] : "chromium";
var reportPath = args.Length > 2 ? args[2] : null;
var chromiumCount = Math.Max(10, count / 10);

var notices = Enumerable.Range(0, count).Select(Sample).ToList();
var renderer = new NoticePdfRenderer(TimeProvider.System);

foreach (var notice in notices.Take(30))
{
    renderer.Render(notice);
}
long bytes = 0;
var clock = Stopwatch.StartNew();
foreach (var notice in notices)
{
    bytes += renderer.Render(notice).Length;
}
var single = count / clock.Elapsed.TotalSeconds;

// Where a render's time goes: the two codes are encoded on every render.
var first = notices[0].Single!;
clock.Restart();
foreach (var notice in notices)
{
    PaymentGateway.Notices.Barcodes.QrCode.Encode(PaymentGateway.Notices.Barcodes.NoticeCodes.QrPayload(notice.Single!.Notice, notice.Creditor.FiscalCode, notice.Single.Amount));
}
var qrMicros = clock.Elapsed.TotalMicroseconds / count;
var postePayload = PaymentGateway.Notices.Barcodes.NoticeCodes.PostePayload(first.Notice, "000012345678", first.Amount, notices[0].Creditor.FiscalCode,
    notices[0].Debtor.Identifier, notices[0].Debtor.Name, notices[0].Subject);
clock.Restart();
for (var i = 0; i < count; i++)
{
    PaymentGateway.Notices.Barcodes.DataMatrix.Encode(postePayload);
}
var matrixMicros = clock.Elapsed.TotalMicroseconds / count;

clock.Restart();
Parallel.ForEach(notices, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, notice => renderer.Render(notice));
var parallel = count / clock.Elapsed.TotalSeconds;

double chromium;
long chromiumBytes = 0;
await using (var browser = await Chromium.StartAsync(chromiumPath))
{
    foreach (var notice in notices.Take(5))
    {
        await browser.PrintAsync(HtmlNotice.Render(notice));
    }
    clock.Restart();
    foreach (var notice in notices.Take(chromiumCount))
    {
        chromiumBytes += (await browser.PrintAsync(HtmlNotice.Render(notice))).Length;
    }
    chromium = chromiumCount / clock.Elapsed.TotalSeconds;
    // PGW_BENCH_KEEP=dir keeps one notice from each renderer, to check by eye that both print the same thing.
    if (Environment.GetEnvironmentVariable("PGW_BENCH_KEEP") is { Length: > 0 } keep)
    {
        await File.WriteAllBytesAsync(Path.Combine(keep, "chromium.pdf"), await browser.PrintAsync(HtmlNotice.Render(notices[0])));
        await File.WriteAllBytesAsync(Path.Combine(keep, "skia.pdf"), renderer.Render(notices[0]));
    }
}

var ratio = single / chromium;
// Shared machine: the load average says how much of the cores this run really had.
var load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
var report = string.Create(CultureInfo.InvariantCulture, $"""
    # Notice PDFs: Skia renderer vs warm headless Chromium

    One-page notice (single payment + Bollettino Postale PA, QR code + Data Matrix, same subset fonts), {Environment.ProcessorCount} cores
    (shared machine; load average at the end of the run: {load}).

    | renderer | notices | PDFs/s | average PDF |
    | --- | --- | --- | --- |
    | NoticePdfRenderer, 1 thread | {count} | {single:0} | {bytes / count / 1024.0:0.0} KB |
    | NoticePdfRenderer, {Environment.ProcessorCount} threads | {count} | {parallel:0} | |
    | Chromium headless, 1 warm tab (Page.printToPDF) | {chromiumCount} | {chromium:0.0} | {chromiumBytes / chromiumCount / 1024.0:0.0} KB |

    Inside one render: QR encoding {qrMicros:0} µs, Data Matrix encoding {matrixMicros:0} µs, the rest is layout and Skia's PDF writer ({1_000_000 / single:0} µs per notice in all).

    Ratio (ours, 1 thread / Chromium, 1 tab): **{ratio:0.0}×** — target ≥ 10×: **{(ratio >= 10 ? "PASS" : "FAIL")}**.
    Chromium's tab uses its renderer and browser processes, so its single tab is not limited to one core.

    """);
Console.Write(report);
if (reportPath is not null)
{
    await File.WriteAllTextAsync(reportPath, report);
}
return 0;

static NoticeDocument Sample(int i)
{
    var option = new NoticeOption(NoticeNumber.Create(SegregationCode.Parse("01"), 1_000 + i), EuroCents.FromCents(10_000 + (i * 37)), new DateOnly(2026, 12, 31), null);
    var creditor = new NoticeCreditor(OrganizationFiscalCode.Parse("01199250158"), "Comune di Milano", "Direzione Risorse Finanziarie - TARI", "A0EDF",
        new NoticePostalAccount("000012345678", "AUT. B2/S/0123 DEL 01/01/2026"));
    var debtor = new NoticeDebtor("RSSMRA85T10A562S", string.Create(CultureInfo.InvariantCulture, $"Mario Rossi {i}"), "Via Roma 1, 20121 Milano (MI)");
    return new NoticeDocument(creditor, debtor, "TARI 2026 - Tassa sui rifiuti", option, []);
}
