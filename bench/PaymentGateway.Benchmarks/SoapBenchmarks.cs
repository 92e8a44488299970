using System.Xml;
using System.Xml.Linq;
using BenchmarkDotNet.Attributes;
using PaymentGateway.Contracts;

namespace PaymentGateway.Benchmarks;

/// <summary>Reading and validating a paVerifyPaymentNotice request the way the SOAP endpoint does.</summary>
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

    private readonly XElement _payload = ReadPayload();

    [GlobalSetup]
    public void Setup() => _ = PaForNodeSchemas.SchemaSet;

    /// <summary>Envelope → Body's payload element.</summary>
    [Benchmark]
    public XElement ReadVerifyPayload() => ReadPayload();

    /// <summary>XSD validation of the payload against paForNode.xsd (compiled once).</summary>
    [Benchmark]
    public int ValidateVerifyPayload() => PaForNodeSchemas.Validate(_payload).Count;

    private static XElement ReadPayload()
    {
        using var reader = XmlReader.Create(new StringReader(Verify), Settings);
        reader.MoveToContent();
        reader.ReadToDescendant("Body", "http://schemas.xmlsoap.org/soap/envelope/");
        reader.Read();
        reader.MoveToContent();
        return (XElement)XNode.ReadFrom(reader);
    }
}
