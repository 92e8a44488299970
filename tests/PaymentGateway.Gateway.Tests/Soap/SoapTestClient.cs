using System.Net;
using System.Text;
using System.Xml.Linq;
using PaymentGateway.Contracts;

namespace PaymentGateway.Gateway.Tests.Soap;

/// <summary>Posts paForNode envelopes to the gateway and checks that every answer is valid against paForNode.xsd.</summary>
internal sealed class SoapTestClient(HttpClient http)
{
    public static readonly XNamespace Envelope = "http://schemas.xmlsoap.org/soap/envelope/";
    public static readonly XNamespace PaForNode = PaForNodeSchemas.Namespace;

    public const string Broker = "01199250158";
    public const string Station = "01199250158_01";
    public const string Creditor = "01199250158";

    /// <summary>Wraps <paramref name="payloadXml"/> (children unqualified) in a SOAP 1.1 envelope and posts it.</summary>
    public Task<SoapAnswer> CallAsync(string operation, string payloadXml, string? soapAction = null) =>
        PostAsync($"""
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pafn="{PaForNodeSchemas.Namespace}">
              <soapenv:Header/>
              <soapenv:Body>{payloadXml}</soapenv:Body>
            </soapenv:Envelope>
            """, soapAction ?? operation);

    public async Task<SoapAnswer> PostAsync(string envelope, string? soapAction)
    {
        using var content = new StringContent(envelope, Encoding.UTF8, "text/xml");
        if (soapAction is not null)
        {
            content.Headers.Add("SOAPAction", $"\"{soapAction}\"");
        }
        using var response = await http.PostAsync(new Uri("/soap/paForNode", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        return new SoapAnswer(response.StatusCode, text, XDocument.Parse(text));
    }

    public Task<SoapAnswer> VerifyAsync(string notice, string creditor = Creditor, string broker = Broker, string station = Station) =>
        CallAsync("paVerifyPaymentNotice", $"""
            <pafn:paVerifyPaymentNoticeReq><idPA>{creditor}</idPA><idBrokerPA>{broker}</idBrokerPA><idStation>{station}</idStation>
            <qrCode><fiscalCode>{creditor}</fiscalCode><noticeNumber>{notice}</noticeNumber></qrCode></pafn:paVerifyPaymentNoticeReq>
            """);

    public Task<SoapAnswer> GetPaymentAsync(string notice, bool v2 = true, string? transferType = null) =>
        CallAsync(v2 ? "paGetPaymentV2" : "paGetPayment", $"""
            <pafn:{(v2 ? "paGetPaymentV2Request" : "paGetPaymentReq")}><idPA>{Creditor}</idPA><idBrokerPA>{Broker}</idBrokerPA><idStation>{Station}</idStation>
            <qrCode><fiscalCode>{Creditor}</fiscalCode><noticeNumber>{notice}</noticeNumber></qrCode>
            {(transferType is null ? "" : $"<transferType>{transferType}</transferType>")}</pafn:{(v2 ? "paGetPaymentV2Request" : "paGetPaymentReq")}>
            """);

    public Task<SoapAnswer> SendReceiptAsync(string receiptId, string notice, long cents, string description = "TARI", bool standIn = false) =>
        CallAsync("paSendRTV2", ReceiptPayload(receiptId, notice, cents, description, standIn));

    public static string ReceiptPayload(string receiptId, string notice, long cents, string description = "TARI", bool standIn = false)
    {
        static string Amount(long c) => Core.EuroCents.FromCents(c).ToXsdAmount();
        var tefa = Math.Max(1, cents * 5 / 100);
        return $"""
            <pafn:paSendRTV2Request><idPA>{Creditor}</idPA><idBrokerPA>{Broker}</idBrokerPA><idStation>{Station}</idStation>
            <receipt>
              <receiptId>{receiptId}</receiptId><noticeNumber>{notice}</noticeNumber><fiscalCode>{Creditor}</fiscalCode><outcome>OK</outcome>
              <creditorReferenceId>{notice[1..]}</creditorReferenceId><paymentAmount>{Amount(cents)}</paymentAmount>
              <description>{description}</description><companyName>Comune di Milano</companyName>
              <debtor><uniqueIdentifier><entityUniqueIdentifierType>F</entityUniqueIdentifierType><entityUniqueIdentifierValue>RSSMRA85T10A562S</entityUniqueIdentifierValue></uniqueIdentifier><fullName>MARIO ROSSI</fullName></debtor>
              <transferList>
                <transfer><idTransfer>1</idTransfer><transferAmount>{Amount(cents - tefa)}</transferAmount><fiscalCodePA>01199250158</fiscalCodePA>
                  <IBAN>IT35O0306901600000000012345</IBAN><remittanceInformation>TARI</remittanceInformation><transferCategory>9/0201102IM/</transferCategory></transfer>
                <transfer><idTransfer>2</idTransfer><transferAmount>{Amount(tefa)}</transferAmount><fiscalCodePA>08911820960</fiscalCodePA>
                  <IBAN>IT52E0503401600000000067890</IBAN><remittanceInformation>TEFA</remittanceInformation><transferCategory>9/0201102IM/</transferCategory></transfer>
              </transferList>
              <idPSP>BCITITMM</idPSP><PSPCompanyName>Intesa Sanpaolo</PSPCompanyName><idChannel>BCITITMM_01</idChannel><channelDescription>app</channelDescription>
              <fee>1.00</fee><paymentDateTime>2026-11-20T18:30:00</paymentDateTime><applicationDate>2026-11-20</applicationDate><transferDate>2026-11-21</transferDate>
              <standIn>{(standIn ? "true" : "false")}</standIn>
            </receipt></pafn:paSendRTV2Request>
            """;
    }
}

/// <summary>An HTTP answer from the SOAP endpoint.</summary>
internal sealed record SoapAnswer(HttpStatusCode Status, string Text, XDocument Document)
{
    public XElement Payload => Document.Root!.Element(SoapTestClient.Envelope + "Body")!.Elements().Single();

    public string? Outcome => Payload.Element("outcome")?.Value;

    public string? FaultCode => Payload.Element("fault")?.Element("faultCode")?.Value;

    /// <summary>Asserts HTTP 200 and that the payload is valid against paForNode.xsd; returns this.</summary>
    public SoapAnswer AssertValid()
    {
        Assert.Equal(HttpStatusCode.OK, Status);
        var errors = PaForNodeSchemas.Validate(Payload);
        Assert.True(errors.Count == 0, $"response not valid against paForNode.xsd: {string.Join("; ", errors)}\n{Text}");
        return this;
    }

    public void AssertKo(string faultCode)
    {
        AssertValid();
        Assert.Equal("KO", Outcome);
        Assert.Equal(faultCode, FaultCode);
    }
}
