using System.Security.Cryptography;
using System.Xml;
using System.Xml.Linq;

namespace PaymentGateway.Contracts.Tests;

public sealed class PaForNodeSchemasTests
{
    // SHA-256 of the files as copied from pagopa/pagopa-api @ 070efa90 (see shared/specs/SOURCES.md):
    // the contract is vendored byte-for-byte, so any edit shows up here.
    [Theory]
    [InlineData("wsdl/paForNode.wsdl", "e89c21e069b5a9dfc9aca121eee2463e0c1be0b552e22a22a7e09e9423276dfe")]
    [InlineData("wsdl/xsd/paForNode.xsd", "8c753fe29132953f0942722b79760e74eb50be8b051e84ae9154f7327e7e5bbf")]
    [InlineData("xsd-common/sac-common-types-1.0.xsd", "ec08332bffbd9dcd9269cdc5b14a416745b4754f0ecbdc8ac21f145a583caff4")]
    [InlineData("xsd-common/MarcaDaBollo.xsd", "f6d4f040395672f588aacbe08b26bae8a3683cdd0a7899193385a552bfc767ea")]
    [InlineData("xsd-common/xmldsig-core-schema.xsd", "8d1ab560f77ae7235f265622ee2b1a29733d9e1e3d101d1b1a73579aacf5a1ab")]
    public void Open_VendoredFile_IsByteForByteTheOfficialCopy(string path, string sha256)
    {
        using var stream = PaForNodeSchemas.Open(path);
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    [Fact]
    public void SchemaSet_Compiles_WithEveryPaForNodeRootElement()
    {
        var roots = PaForNodeSchemas.SchemaSet.GlobalElements.Names.Cast<XmlQualifiedName>()
            .Where(n => n.Namespace == PaForNodeSchemas.Namespace).Select(n => n.Name).ToHashSet();
        foreach (var name in new[]
                 {
                     "paVerifyPaymentNoticeReq", "paVerifyPaymentNoticeRes", "paGetPaymentReq", "paGetPaymentRes",
                     "paGetPaymentV2Request", "paGetPaymentV2Response", "paSendRTReq", "paSendRTRes",
                     "paSendRTV2Request", "paSendRTV2Response", "paDemandPaymentNoticeRequest", "paDemandPaymentNoticeResponse",
                 })
        {
            Assert.Contains(name, roots);
        }
    }

    public static TheoryData<string> Examples() => new(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Examples"), "*.xml").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Examples))]
    public void SchemaSet_OfficialExampleBody_Validates(string file)
    {
        var body = BodyOf(file);
        var errors = Validate(body);
        Assert.Empty(errors);
    }

    [Fact]
    public void SchemaSet_BodyWithBadNoticeNumber_IsRejected()
    {
        var body = BodyOf("paVerifyPaymentNotice.request.xml");
        body.Descendants("noticeNumber").Single().Value = "12345";
        Assert.NotEmpty(Validate(body));
    }

    [Fact]
    public void SchemaSet_AmountWithOneDecimal_IsRejected()
    {
        var body = BodyOf("paGetPayment.response.xml");
        body.Descendants("paymentAmount").First().Value = "10.5";
        Assert.NotEmpty(Validate(body));
    }

    [Fact]
    public void Open_ExternalLocation_IsRefused()
    {
        Assert.Throws<FileNotFoundException>(() => PaForNodeSchemas.Open("../../etc/passwd"));
    }

    private static XElement BodyOf(string file)
    {
        var envelope = XDocument.Load(Path.Combine(AppContext.BaseDirectory, "Examples", file));
        XNamespace soap = "http://schemas.xmlsoap.org/soap/envelope/";
        return new XElement(envelope.Root!.Element(soap + "Body")!.Elements().Single());
    }

    private static IReadOnlyList<string> Validate(XElement element) => PaForNodeSchemas.Validate(element);
}
