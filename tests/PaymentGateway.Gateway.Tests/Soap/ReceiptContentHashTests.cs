using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using PaymentGateway.Gateway.Soap.SendReceipt;

namespace PaymentGateway.Gateway.Tests.Soap;

/// <summary>
/// The receipt hash is stored with every receipt and compared with each redelivery's, so its definition can never
/// change: SHA-256 of the UTF-8 of <c>receipt.ToString(SaveOptions.DisableFormatting)</c>, however it is computed.
/// </summary>
public sealed class ReceiptContentHashTests
{
    private static byte[] Reference(XElement receipt) =>
        SHA256.HashData(Encoding.UTF8.GetBytes(receipt.ToString(SaveOptions.DisableFormatting)));

    [Theory]
    [InlineData("paSendRT.request.xml")]
    [InlineData("paSendRTV2.request.xml")]
    public void ContentHash_OfficialExamples_SameBytesAsTheStoredDefinition(string file)
    {
        var envelope = XDocument.Load(Path.Combine(AppContext.BaseDirectory, "Soap", "Examples", file));
        var receipt = envelope.Descendants("receipt").Single();

        Assert.Equal(Reference(receipt), SendReceiptHandler.ContentHash(receipt));
    }

    [Fact]
    public void ContentHash_AccentsEscapesNewlinesAndSymbols_SameBytesAsTheStoredDefinition()
    {
        var receipt = new XElement("receipt",
            new XElement("receiptId", "tok-è-1"),
            new XElement("description", "TARI 2026 – Città di Milano € 1 < 2 & \"q\" 'a' \r\n riga\ttab 🙂"),
            new XElement("metadata", new XElement("mapEntry", new XElement("key", "k"), new XElement("value", "]]> >"))));

        Assert.Equal(Reference(receipt), SendReceiptHandler.ContentHash(receipt));
    }
}
