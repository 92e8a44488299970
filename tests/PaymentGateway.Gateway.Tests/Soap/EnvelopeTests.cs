using System.Net;
using System.Text;
using Dapper;
using PaymentGateway.Testing;

namespace PaymentGateway.Gateway.Tests.Soap;

/// <summary>Requests that are not usable paForNode envelopes: a clear SOAP Fault, no crash, nothing written.</summary>
public sealed class EnvelopeTests(SoapGatewayFixture fixture) : IClassFixture<SoapGatewayFixture>
{
    public static TheoryData<string, string, string> Hostile() => new()
    {
        { "not xml", "this is not XML", "not well-formed" },
        { "json", """{"idPA":"01199250158"}""", "not well-formed" },
        { "soap 1.2", """<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body/></e:Envelope>""", "SOAP 1.2 is not supported" },
        { "no body", """<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header/></s:Envelope>""", "no soap:Body" },
        { "unknown operation", """<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><x:hello xmlns:x="urn:x"/></s:Body></s:Envelope>""", "unknown operation" },
        {
            "xxe",
            """<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>&x;</s:Body></s:Envelope>""",
            "DTD"
        },
        {
            "billion laughs",
            """<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>&c;</s:Body></s:Envelope>""",
            "DTD"
        },
    };

    [DatabaseTheory]
    [MemberData(nameof(Hostile))]
    public async Task Post_UnusableEnvelope_SoapFaultAndNothingWritten(string name, string body, string expected)
    {
        _ = name;
        var answer = await fixture.Client().PostAsync(body, soapAction: null);

        Assert.Equal(HttpStatusCode.InternalServerError, answer.Status);
        var fault = answer.Payload;
        Assert.Equal("Fault", fault.Name.LocalName);
        Assert.Contains(expected, fault.Element("faultstring")!.Value, StringComparison.Ordinal);
        await AssertNothingWrittenAsync();
    }

    [DatabaseFact]
    public async Task Post_BodyOverOneMebibyte_RefusedWith413()
    {
        var huge = SoapTestClient.ReceiptPayload("tok-huge", "301000000000001028", 100, description: new string('x', 100))
            .Replace("<standIn>", $"<!--{new string('p', 1_100_000)}--><standIn>", StringComparison.Ordinal);
        var answer = await fixture.Client().CallAsync("paSendRTV2", huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, answer.Status);
        Assert.Contains("exceeds", answer.Payload.Element("faultstring")!.Value, StringComparison.Ordinal);
        await AssertNothingWrittenAsync();
    }

    [DatabaseFact]
    public async Task Post_InvalidUtf8_SoapFault()
    {
        using var http = fixture.Factory.CreateClient();
        var bytes = Encoding.UTF8.GetBytes("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>X</s:Body></s:Envelope>");
        bytes[bytes.Length - 20] = 0xC3; // a lead byte without its continuation
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("text/xml");
        var response = await http.PostAsync(new Uri("/soap/paForNode", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("UTF-8", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [DatabaseTheory]
    [InlineData("1.005")]
    [InlineData("1000000000.00")]
    [InlineData("-1.00")]
    public async Task SendRT_AmountNotAnStAmount_SintassiXsdAndNothingWritten(string amount)
    {
        var payload = SoapTestClient.ReceiptPayload("tok-bad-amount", fixture.Valid.Options[0].NoticeNumber.ToString(), 21_000)
            .Replace("<paymentAmount>210.00</paymentAmount>", $"<paymentAmount>{amount}</paymentAmount>", StringComparison.Ordinal);
        (await fixture.Client().CallAsync("paSendRTV2", payload)).AssertKo("PAA_SINTASSI_XSD");
        await AssertNothingWrittenAsync();
    }

    [DatabaseFact]
    public async Task Post_WrongPayloadNamespace_SintassiXsd()
    {
        var envelope = """
            <s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>
            <paVerifyPaymentNoticeReq xmlns="urn:wrong"><idPA>01199250158</idPA></paVerifyPaymentNoticeReq></s:Body></s:Envelope>
            """;
        (await fixture.Client().PostAsync(envelope, "paVerifyPaymentNotice")).AssertKo("PAA_SINTASSI_XSD");
    }

    [DatabaseTheory]
    [InlineData("paVerifyPaymentNotice")]
    [InlineData("\"paVerifyPaymentNotice\"")]
    [InlineData("http://pagopa-api.pagopa.gov.it/paVerifyPaymentNotice")]
    public async Task Post_SoapActionForms_AreAccepted(string action)
    {
        var client = fixture.Client();
        var payload = $"""
            <pafn:paVerifyPaymentNoticeReq><idPA>01199250158</idPA><idBrokerPA>01199250158</idBrokerPA><idStation>01199250158_01</idStation>
            <qrCode><fiscalCode>01199250158</fiscalCode><noticeNumber>{fixture.Valid.Options[0].NoticeNumber}</noticeNumber></qrCode></pafn:paVerifyPaymentNoticeReq>
            """;
        var answer = await client.CallAsync("paVerifyPaymentNotice", payload, soapAction: action.Trim('"'));
        Assert.Equal("OK", answer.AssertValid().Outcome);
    }

    [DatabaseFact]
    public async Task Post_SoapActionContradictsBody_SoapFault()
    {
        var answer = await fixture.Client().CallAsync("paVerifyPaymentNotice", "<pafn:paGetPaymentReq/>", soapAction: "paVerifyPaymentNotice");
        Assert.Equal(HttpStatusCode.InternalServerError, answer.Status);
        Assert.Contains("does not match", answer.Payload.Element("faultstring")!.Value, StringComparison.Ordinal);
    }

    private async Task AssertNothingWrittenAsync()
    {
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from receipts where receipt_id in ('tok-huge', 'tok-bad-amount')"));
    }
}
