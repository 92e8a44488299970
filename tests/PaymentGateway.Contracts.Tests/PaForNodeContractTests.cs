using System.Xml;
using System.Xml.Linq;
using System.Xml.Serialization;
using PaymentGateway.Contracts.PaForNode;

namespace PaymentGateway.Contracts.Tests;

/// <summary>
/// The hand-written XmlSerializer classes against the official examples: each example body read into its class and
/// written back must be the same XML (names, namespaces, order, values) and valid against paForNode.xsd.
/// </summary>
public sealed class PaForNodeContractTests
{
    private static readonly Dictionary<string, Type> Roots = new()
    {
        ["paVerifyPaymentNoticeReq"] = typeof(PaVerifyPaymentNoticeReq),
        ["paVerifyPaymentNoticeRes"] = typeof(PaVerifyPaymentNoticeRes),
        ["paGetPaymentReq"] = typeof(PaGetPaymentReq),
        ["paGetPaymentRes"] = typeof(PaGetPaymentRes),
        ["paGetPaymentV2Request"] = typeof(PaGetPaymentV2Request),
        ["paGetPaymentV2Response"] = typeof(PaGetPaymentV2Response),
        ["paSendRTReq"] = typeof(PaSendRTReq),
        ["paSendRTRes"] = typeof(PaSendRTRes),
        ["paSendRTV2Request"] = typeof(PaSendRTV2Request),
        ["paSendRTV2Response"] = typeof(PaSendRTV2Response),
        ["paDemandPaymentNoticeRequest"] = typeof(PaDemandPaymentNoticeRequest),
        ["paDemandPaymentNoticeResponse"] = typeof(PaDemandPaymentNoticeResponse),
    };

    public static TheoryData<string> Examples() => new(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Examples"), "*.xml").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Examples))]
    public void XmlSerializer_OfficialExample_RoundTripsUnchangedAndValid(string file)
    {
        var body = BodyOf(file);
        var serializer = new XmlSerializer(Roots[body.Name.LocalName]);

        object value;
        using (var reader = body.CreateReader())
        {
            value = serializer.Deserialize(reader)!;
        }
        var written = Write(serializer, value);

        Assert.Equal(PaForNodeSchemas.Namespace, written.Name.NamespaceName);
        Assert.All(written.Descendants(), e => Assert.Equal("", e.Name.NamespaceName));
        Assert.Equal(Normalize(body).ToString(), Normalize(written).ToString());
        Assert.Empty(Validate(written));
    }

    [Fact]
    public void XmlSerializer_OptionalValueTypesNotSpecified_AreOmitted()
    {
        var request = new PaGetPaymentV2Request
        {
            IdPA = "01199250158", IdBrokerPA = "01199250158", IdStation = "01199250158_01",
            QrCode = new CtQrCode { FiscalCode = "01199250158", NoticeNumber = "301000000000001234" },
        };

        var written = Write(new XmlSerializer(typeof(PaGetPaymentV2Request)), request);

        Assert.Null(written.Element("transferType"));
        Assert.Null(written.Element("amount"));
        Assert.Equal(["idPA", "idBrokerPA", "idStation", "qrCode"], written.Elements().Select(e => e.Name.LocalName));
        Assert.Empty(Validate(written));
    }

    [Fact]
    public void XmlSerializer_KoResponse_WritesOutcomeThenFaultBean()
    {
        var response = new PaVerifyPaymentNoticeRes
        {
            Outcome = StOutcome.KO,
            Fault = new CtFaultBean { FaultCode = "PAA_PAGAMENTO_SCONOSCIUTO", FaultString = "Pagamento in attesa risulta sconosciuto all'Ente Creditore", Id = "01199250158" },
        };

        var written = Write(new XmlSerializer(typeof(PaVerifyPaymentNoticeRes)), response);

        Assert.Equal(["outcome", "fault"], written.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(["faultCode", "faultString", "id"], written.Element("fault")!.Elements().Select(e => e.Name.LocalName));
        Assert.Empty(Validate(written));
    }

    private static XElement Write(XmlSerializer serializer, object value)
    {
        var document = new XDocument();
        using (var writer = document.CreateWriter())
        {
            serializer.Serialize(writer, value);
        }
        return document.Root!;
    }

    // Prefixes, namespace declarations and whitespace are not data; element names, order and values are. xsd:boolean
    // has two spellings per value (the examples write lastPayment as 0): compare the value, not the spelling.
    private static readonly HashSet<string> Booleans = ["allCCP", "lastPayment", "standIn"];

    private static XElement Normalize(XElement element) =>
        new(element.Name, element.HasElements ? element.Elements().Select(Normalize)
            : Booleans.Contains(element.Name.LocalName) ? XmlConvert.ToBoolean(element.Value).ToString() : element.Value);

    private static XElement BodyOf(string file)
    {
        var envelope = XDocument.Load(Path.Combine(AppContext.BaseDirectory, "Examples", file));
        XNamespace soap = "http://schemas.xmlsoap.org/soap/envelope/";
        return new XElement(envelope.Root!.Element(soap + "Body")!.Elements().Single());
    }

    private static IReadOnlyList<string> Validate(XElement element) => PaForNodeSchemas.Validate(element);
}
