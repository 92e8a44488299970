using System.Xml;
using System.Xml.Linq;
using BenchmarkDotNet.Attributes;
using PaymentGateway.Contracts;
using PaymentGateway.Gateway.Soap;
using PaymentGateway.Gateway.Soap.SendReceipt;

namespace PaymentGateway.Benchmarks;

/// <summary>
/// Reading and validating requests the way the SOAP endpoint does (a paVerifyPaymentNotice and the official paSendRTV2
/// example, 4 KB), the receipt's hash and parse, and writing responses.
/// </summary>
[MemoryDiagnoser]
public class SoapBenchmarks
{
    private const string Verify = """
        <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:p="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"><s:Body><p:paVerifyPaymentNoticeReq><idPA>01199250158</idPA><idBrokerPA>01199250158</idBrokerPA><idStation>01199250158_01</idStation><qrCode><fiscalCode>01199250158</fiscalCode><noticeNumber>301000000000000144</noticeNumber></qrCode></p:paVerifyPaymentNoticeReq></s:Body></s:Envelope>
        """;

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
    };

    private static readonly string Receipt = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "paSendRTV2.request.xml"));

    private readonly XElement _payload = ReadPayload(Verify);
    private readonly XElement _receiptPayload = ReadPayload(Receipt);

    [GlobalSetup]
    public void Setup() => _ = PaForNodeSchemas.SchemaSet;

    /// <summary>Envelope → Body's payload element.</summary>
    [Benchmark]
    public XElement ReadVerifyPayload() => ReadPayload(Verify);

    /// <summary>XSD validation of the payload against paForNode.xsd (compiled once).</summary>
    [Benchmark]
    public int ValidateVerifyPayload() => PaForNodeSchemas.Validate(_payload).Count;

    /// <summary>paSendRTV2 envelope → payload.</summary>
    [Benchmark]
    public XElement ReadReceiptPayload() => ReadPayload(Receipt);

    /// <summary>XSD validation of the paSendRTV2 payload.</summary>
    [Benchmark]
    public int ValidateReceiptPayload() => PaForNodeSchemas.Validate(_receiptPayload).Count;

    /// <summary>The receipt's content hash (what tells an identical redelivery from a conflicting one).</summary>
    [Benchmark]
    public byte[] HashReceipt() => SendReceiptHandler.ContentHash(_receiptPayload.Element("receipt")!);

    /// <summary>The receipt element → PaymentReceipt.</summary>
    [Benchmark]
    public object ParseReceipt() => SendReceiptHandler.Parse(_receiptPayload.Element("receipt")!);

    /// <summary>A paVerifyPaymentNotice OK response, as bytes.</summary>
    [Benchmark]
    public byte[] WriteVerifyResponse() => SoapResponseWriter.Ok(PaForNodeOperation.VerifyPaymentNotice, w =>
    {
        w.WriteStartElement("paymentList");
        w.WriteStartElement("paymentOptionDescription");
        w.WriteElementString("amount", "123.45");
        w.WriteElementString("options", "EQ");
        w.WriteElementString("dueDate", "2026-12-31");
        w.WriteElementString("allCCP", "false");
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteElementString("paymentDescription", "TARI 2026 - rata unica");
        w.WriteElementString("fiscalCodePA", "01199250158");
        w.WriteElementString("companyName", "Comune di Milano");
    });

    /// <summary>A paSendRTV2 OK response, as bytes.</summary>
    [Benchmark]
    public byte[] WriteReceiptResponse() => SoapResponseWriter.Ok(PaForNodeOperation.SendRTV2, null);

    private static XElement ReadPayload(string envelope)
    {
        using var reader = XmlReader.Create(new StringReader(envelope), Settings);
        reader.MoveToContent();
        reader.ReadToDescendant("Body", "http://schemas.xmlsoap.org/soap/envelope/");
        reader.Read();
        reader.MoveToContent();
        return (XElement)XNode.ReadFrom(reader);
    }
}
