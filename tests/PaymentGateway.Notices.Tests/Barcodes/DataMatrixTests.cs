using PaymentGateway.Core;
using PaymentGateway.Notices.Barcodes;

namespace PaymentGateway.Notices.Tests.Barcodes;

public sealed class DataMatrixTests
{
    public static TheoryData<string, DataMatrixShape, int, int> Payloads => new()
    {
        { "A", DataMatrixShape.Square, 10, 10 },
        { "123456", DataMatrixShape.Square, 10, 10 },
        { "Hello, Milano!", DataMatrixShape.Square, 18, 18 },
        { "HELLO", DataMatrixShape.Rectangle, 8, 18 },
        { "TARI 2026 RATA UNICA COMUNE DI MILANO 0123456789", DataMatrixShape.Rectangle, 16, 48 },
        { new string('X', 60) + " mixed Case 123 àèì", DataMatrixShape.Square, 36, 36 },
        { string.Concat(Enumerable.Repeat("PAGOPA 0123456789 ", 12)), DataMatrixShape.Square, 48, 48 },
        { string.Concat(Enumerable.Repeat("payment notice, ", 20)), DataMatrixShape.Square, 72, 72 },
        { string.Concat(Enumerable.Repeat("Bollettino postale PA; ", 30)), DataMatrixShape.Square, 96, 96 },
    };

    [ToolTheory("dmtxread")]
    [MemberData(nameof(Payloads))]
    public void Encode_Payload_DecodesToTheSameTextInTheExpectedSize(string text, DataMatrixShape shape, int rows, int columns)
    {
        var modules = DataMatrix.Encode(text, shape);
        Assert.Equal((rows, columns), (modules.GetLength(0), modules.GetLength(1)));
        Assert.Equal(text, Decode(modules));
    }

    [ToolFact("dmtxread")]
    public void Encode_PostePayload_Is256CharactersAndDecodesExactly()
    {
        var payload = NoticeCodes.PostePayload(NoticeNumber.Parse("301000000000012373"), "1234567", EuroCents.FromCents(12_050),
            OrganizationFiscalCode.Parse("01199250158"), "RSSMRA85T10A562S", "Mario Rossi", "TARI 2026 - Tassa sui rifiuti, rata unica");
        Assert.Equal(256, payload.Length);
        Assert.StartsWith("codfase=NBPA;18301000000000012373120000012345671000000120503896" + "1P1" + "01199250158" + "RSSMRA85T10A562S" + "MARIO ROSSI ", payload, StringComparison.Ordinal);
        Assert.EndsWith(new string(' ', 12) + "A", payload, StringComparison.Ordinal);
        // Offsets the IO app decodes: notice [15,33), amount [49,59), EC fiscal code [66,77).
        Assert.Equal("301000000000012373", payload[15..33]);
        Assert.Equal("0000012050", payload[49..59]);
        Assert.Equal("01199250158", payload[66..77]);

        var modules = DataMatrix.Encode(payload);
        // ASCII digit pairs for the codeline plus C40 for the upper-case, space-padded fields: 48x48 (174 data codewords).
        Assert.Equal(48, modules.GetLength(0));
        Assert.Equal(payload, Decode(modules));
    }

    [Fact]
    public void PostePayload_AccentedAndLongFields_AreUpperCaseAsciiCutToWidth()
    {
        var payload = NoticeCodes.PostePayload(NoticeNumber.Parse("301000000000012373"), "1234567", EuroCents.FromCents(5),
            OrganizationFiscalCode.Parse("01199250158"), "nvkznt80a41z156x", "Žaneta Nováčková Ståhl d'Angelo-Ørsted " + new string('x', 30), new string('s', 200));
        Assert.Equal(256, payload.Length);
        Assert.Equal("NVKZNT80A41Z156X", payload[77..93]);
        Assert.Equal("ZANETA NOVACKOVA STAHL D'ANGELO-ORSTED X", payload[93..133]);
        Assert.Equal(new string('S', 110), payload[133..243]);
    }

    [Fact]
    public void Encode_OutsideLatin1_Throws() =>
        Assert.Throws<ArgumentException>(() => DataMatrix.Encode("€"));

    private static string Decode(bool[,] modules)
    {
        var png = ExternalTools.WritePng(modules);
        try
        {
            var (code, output, error) = ExternalTools.Run("dmtxread", System.Text.Encoding.Latin1, "--stop-after=1", png);
            Assert.True(code == 0, $"dmtxread failed ({code}): {error}");
            return output;
        }
        finally
        {
            File.Delete(png);
        }
    }
}
