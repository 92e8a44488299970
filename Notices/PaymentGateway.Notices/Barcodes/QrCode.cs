using QRCoder;

namespace PaymentGateway.Notices.Barcodes;

/// <summary>The pagoPA QR code's module matrix (QRCoder does the encoding; the PDF draws the modules as vectors).</summary>
public static class QrCode
{
    // QRCoder's matrix carries a 4-module quiet zone on every side; callers get the bare symbol.
    private const int QuietZone = 4;

    /// <summary>
    /// Encodes <paramref name="text"/> with ECC level M in version 4 (33x33, NOTES §c.2) when it fits, a larger
    /// version otherwise. Indexed [row, column], true = dark; no quiet zone.
    /// </summary>
    public static bool[,] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var data = Create(text);
        var matrix = data.ModuleMatrix;
        var size = matrix.Count - (2 * QuietZone);
        var modules = new bool[size, size];
        for (var y = 0; y < size; y++)
        {
            var row = matrix[y + QuietZone];
            for (var x = 0; x < size; x++)
            {
                modules[y, x] = row[x + QuietZone];
            }
        }
        return modules;
    }

    private static QRCodeData Create(string text)
    {
        try
        {
            return QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M, requestedVersion: 4);
        }
        catch (QRCoder.Exceptions.DataTooLongException)
        {
            // A payload longer than version 4-M holds (62 bytes) cannot come from valid notice data; still print it.
            return QRCodeGenerator.GenerateQrCode(text, QRCodeGenerator.ECCLevel.M);
        }
    }
}
