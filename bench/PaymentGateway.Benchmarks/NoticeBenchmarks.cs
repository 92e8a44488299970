using BenchmarkDotNet.Attributes;
using PaymentGateway.Core;
using PaymentGateway.Notices.Barcodes;
using PaymentGateway.Notices.Pdf;

namespace PaymentGateway.Benchmarks;

/// <summary>What one notice costs to print: its two codes and the whole PDF (Skia; subset font embedded).</summary>
[MemoryDiagnoser]
public class NoticeBenchmarks
{
    private static readonly NoticeNumber Notice = NoticeNumber.Create(SegregationCode.Parse("01"), 1_234);
    private static readonly OrganizationFiscalCode Creditor = OrganizationFiscalCode.Parse("01199250158");
    private readonly NoticePdfRenderer _renderer = new(TimeProvider.System);
    private readonly NoticeDocument _document = new(
        new NoticeCreditor(Creditor, "Comune di Milano", "Direzione Risorse Finanziarie - TARI", "A0EDF",
            new NoticePostalAccount("000012345678", "AUT. B2/S/0123 DEL 01/01/2026")),
        new NoticeDebtor("RSSMRA85T10A562S", "Mario Rossi", "Via Roma 1, 20121 Milano (MI)"),
        "TARI 2026 - Tassa sui rifiuti",
        new NoticeOption(Notice, EuroCents.FromCents(39_729), new DateOnly(2026, 12, 31), null),
        []);

    private readonly string _posteText = NoticeCodes.PostePayload(Notice, "000012345678", EuroCents.FromCents(39_729), Creditor,
        "RSSMRA85T10A562S", "MARIO ROSSI", "TARI 2026");

    /// <summary>The pagoPA QR code (QRCoder's matrix).</summary>
    [Benchmark]
    public bool[,] QrCode() => Notices.Barcodes.QrCode.Encode(NoticeCodes.QrPayload(Notice, Creditor, EuroCents.FromCents(39_729)));

    /// <summary>The Poste Data Matrix (our ECC200 encoder, 48×48 with its 256-character payload).</summary>
    [Benchmark]
    public bool[,] PosteDataMatrix() => DataMatrix.Encode(_posteText);

    /// <summary>A one-page notice PDF with both codes.</summary>
    [Benchmark]
    public int NoticePdf() => _renderer.Render(_document).Length;
}
