using System.Xml.Linq;
using PaymentGateway.Testing;

namespace PaymentGateway.Gateway.Tests.Soap;

/// <summary>
/// Byte-level expectations for one answer per primitive and per fault family, kept in Soap/Golden/*.xml.
/// To accept an intended change, run with PGW_UPDATE_GOLDEN pointing at tests/PaymentGateway.Gateway.Tests/Soap/Golden
/// and review the diff before committing.
/// </summary>
public sealed class GoldenResponseTests(SoapGatewayFixture fixture) : IClassFixture<SoapGatewayFixture>
{
    [DatabaseFact]
    public async Task Verify_Ok() => await MatchAsync("verify.ok", await fixture.Client().VerifyAsync(fixture.Valid.Options[0].NoticeNumber.ToString()));

    [DatabaseFact]
    public async Task Verify_StandInProbe() => await MatchAsync("verify.ko-sconosciuto", await fixture.Client().VerifyAsync("000000000000000000"));

    [DatabaseFact]
    public async Task Verify_Cancelled() => await MatchAsync("verify.ko-annullato", await fixture.Client().VerifyAsync(fixture.Cancelled.Options[0].NoticeNumber.ToString()));

    [DatabaseFact]
    public async Task Verify_WrongStation() =>
        await MatchAsync("verify.ko-stazione", await fixture.Client().VerifyAsync(fixture.Valid.Options[0].NoticeNumber.ToString(), station: "01199250158_99"));

    [DatabaseFact]
    public async Task GetPaymentV2_Ok() => await MatchAsync("getpaymentv2.ok", await fixture.Client().GetPaymentAsync(fixture.Valid.Options[1].NoticeNumber.ToString()));

    [DatabaseFact]
    public async Task GetPayment_Ok() => await MatchAsync("getpayment.ok", await fixture.Client().GetPaymentAsync(fixture.Valid.Options[2].NoticeNumber.ToString(), v2: false));

    [DatabaseFact]
    public async Task GetPaymentV2_Postal() =>
        await MatchAsync("getpaymentv2.ok-postal", await fixture.Client().GetPaymentAsync(fixture.Valid.Options[3].NoticeNumber.ToString(), transferType: "POSTAL"));

    [DatabaseFact]
    public async Task SendRTV2_Ok() =>
        await MatchAsync("sendrtv2.ok", await fixture.Client().SendReceiptAsync("tok-golden", fixture.PartlyPaid.Options[2].NoticeNumber.ToString(), fixture.PartlyPaid.Options[2].Amount.Cents));

    [DatabaseFact]
    public async Task SendRTV2_SchemaViolation() =>
        await MatchAsync("sendrtv2.ko-sintassi", await fixture.Client().CallAsync("paSendRTV2", "<pafn:paSendRTV2Request><idPA>01199250158</idPA></pafn:paSendRTV2Request>"));

    [DatabaseFact]
    public async Task NotAnEnvelope() => await MatchAsync("fault.not-xml", await fixture.Client().PostAsync("hello", null));

    private static async Task MatchAsync(string name, SoapAnswer answer)
    {
        if (answer.Status == System.Net.HttpStatusCode.OK)
        {
            answer.AssertValid();
        }
        // Indented for readable diffs; the comparison is on the parsed document, so formatting is not part of the contract.
        var actual = answer.Document.ToString();
        var update = Environment.GetEnvironmentVariable("PGW_UPDATE_GOLDEN");
        if (!string.IsNullOrEmpty(update))
        {
            await File.WriteAllTextAsync(Path.Combine(update, name + ".xml"), actual + "\n");
            return;
        }
        var expected = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Soap", "Golden", name + ".xml"));
        Assert.True(XNode.DeepEquals(XDocument.Parse(expected), answer.Document), $"{name} differs from its golden file.\nExpected:\n{expected}\nActual:\n{actual}");
    }
}
