using System.Text;
using Dapper;
using PaymentGateway.Testing;

namespace PaymentGateway.Gateway.Tests.Soap;

public sealed class DemandPaymentNoticeTests(SoapGatewayFixture fixture) : IClassFixture<SoapGatewayFixture>
{
    private const string Payer = "<datiSpecificiServizio><tipoIdentificativo>F</tipoIdentificativo><codiceIdentificativo>RSSMRA85T10A562S</codiceIdentificativo><anagrafica>MARIO ROSSI</anagrafica></datiSpecificiServizio>";

    [DatabaseFact]
    public async Task Demand_ConfiguredService_IssuesAPayableNotice()
    {
        var client = fixture.Client();
        var answer = (await DemandAsync(client, "00001", Payer)).AssertValid();

        Assert.Equal("OK", answer.Outcome);
        var notice = answer.Payload.Element("qrCode")!.Element("noticeNumber")!.Value;
        Assert.True(Core.NoticeNumber.TryParse(notice, out _));
        Assert.Equal("0.52", answer.Payload.Element("paymentList")!.Element("paymentOptionDescription")!.Element("amount")!.Value);
        // The new notice is a normal one from now on.
        Assert.Equal("OK", (await client.VerifyAsync(notice)).AssertValid().Outcome);
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        Assert.Equal("00001", await connection.ExecuteScalarAsync<string>("select p.service_code from debt_positions p join payment_options o on o.position_id = p.id where o.notice_number = @notice", new { notice }));
    }

    [DatabaseFact]
    public async Task Demand_UnknownService_Semantica() =>
        (await DemandAsync(fixture.Client(), "99999", Payer)).AssertKo("PAA_SEMANTICA");

    [DatabaseTheory]
    [InlineData("<datiSpecificiServizio><tipoIdentificativo>X</tipoIdentificativo></datiSpecificiServizio>")]
    [InlineData("<datiSpecificiServizio><tipoIdentificativo>F</tipoIdentificativo><codiceIdentificativo>RSSMRA85T10A562X</codiceIdentificativo><anagrafica>M R</anagrafica></datiSpecificiServizio>")]
    [InlineData("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><datiSpecificiServizio>&e;</datiSpecificiServizio>")]
    [InlineData("not xml")]
    public async Task Demand_UnusableServiceData_SintassiExtraXsdAndNothingIssued(string data)
    {
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        var before = await connection.ExecuteScalarAsync<long>("select count(*) from debt_positions");
        (await DemandAsync(fixture.Client(), "00001", data)).AssertKo("PAA_SINTASSI_EXTRAXSD");
        Assert.Equal(before, await connection.ExecuteScalarAsync<long>("select count(*) from debt_positions"));
    }

    private static Task<SoapAnswer> DemandAsync(SoapTestClient client, string service, string data) =>
        client.CallAsync("paDemandPaymentNotice", $"""
            <pafn:paDemandPaymentNoticeRequest><idPA>01199250158</idPA><idBrokerPA>01199250158</idBrokerPA><idStation>01199250158_01</idStation>
            <idServizio>{service}</idServizio><idSoggettoServizio>00001</idSoggettoServizio>
            <datiSpecificiServizioRequest>{Convert.ToBase64String(Encoding.UTF8.GetBytes(data))}</datiSpecificiServizioRequest></pafn:paDemandPaymentNoticeRequest>
            """);
}
