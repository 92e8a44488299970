using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PaymentGateway.Gateway.Soap;
using PaymentGateway.Testing;

namespace PaymentGateway.Gateway.Tests.Soap;

public sealed class VerifyAndActivateTests(SoapGatewayFixture fixture) : IClassFixture<SoapGatewayFixture>
{
    [DatabaseFact]
    public async Task Verify_ValidNotice_AnswersCurrentAmountAndCreditor()
    {
        var option = fixture.Valid.Options[0];
        var answer = (await fixture.Client().VerifyAsync(option.NoticeNumber.ToString())).AssertValid();

        Assert.Equal("OK", answer.Outcome);
        var description = answer.Payload.Element("paymentList")!.Element("paymentOptionDescription")!;
        Assert.Equal("210.00", description.Element("amount")!.Value);
        Assert.Equal("EQ", description.Element("options")!.Value);
        Assert.Equal("2099-12-31", description.Element("dueDate")!.Value);
        Assert.Equal("false", description.Element("allCCP")!.Value);
        Assert.Equal("01199250158", answer.Payload.Element("fiscalCodePA")!.Value);
        Assert.Equal("Comune di Test", answer.Payload.Element("companyName")!.Value);
        Assert.NotNull(answer.Payload.Element("paymentDescription"));
    }

    [DatabaseTheory]
    [InlineData("000000000000000000")] // the Node's Stand-In probe
    [InlineData("301999999999999910")] // well-formed, never issued
    [InlineData("311111111112222222")] // the SANP documentation sample: wrong check digits
    public async Task Verify_UnknownNotice_PagamentoSconosciuto(string notice)
    {
        (await fixture.Client().VerifyAsync(notice)).AssertKo("PAA_PAGAMENTO_SCONOSCIUTO");
    }

    [DatabaseFact]
    public async Task Verify_OptionStates_MapToTheirFaults()
    {
        var client = fixture.Client();
        (await client.VerifyAsync(fixture.Paid.Options[0].NoticeNumber.ToString())).AssertKo("PAA_PAGAMENTO_DUPLICATO");
        (await client.VerifyAsync(fixture.Cancelled.Options[0].NoticeNumber.ToString())).AssertKo("PAA_PAGAMENTO_ANNULLATO");
        (await client.VerifyAsync(fixture.Expired.Options[0].NoticeNumber.ToString())).AssertKo("PAA_PAGAMENTO_SCADUTO");
        // An installment is paid: the single payment no longer applies, the other installment does.
        (await client.VerifyAsync(fixture.PartlyPaid.Options[0].NoticeNumber.ToString())).AssertKo("PAA_PAGAMENTO_DUPLICATO");
        Assert.Equal("OK", (await client.VerifyAsync(fixture.PartlyPaid.Options[2].NoticeNumber.ToString())).AssertValid().Outcome);
    }

    [DatabaseFact]
    public async Task Verify_IdsNotOurs_MapToTheIdFaults()
    {
        var client = fixture.Client();
        var notice = fixture.Valid.Options[0].NoticeNumber.ToString();
        (await client.VerifyAsync(notice, broker: "15376371009")).AssertKo("PAA_ID_INTERMEDIARIO_ERRATO");
        (await client.VerifyAsync(notice, station: "01199250158_99")).AssertKo("PAA_STAZIONE_INT_ERRATA");
        (await client.VerifyAsync(notice, creditor: "08911820960")).AssertKo("PAA_ID_DOMINIO_ERRATO");
    }

    [DatabaseFact]
    public async Task Verify_RequestNotValidAgainstXsd_SintassiXsd()
    {
        var answer = await fixture.Client().VerifyAsync("30100000000000014"); // 17 digits
        answer.AssertKo("PAA_SINTASSI_XSD");
        Assert.Contains("noticeNumber", answer.Payload.Element("fault")!.Element("description")!.Value, StringComparison.Ordinal);
    }

    [DatabaseFact]
    public async Task GetPaymentV2_ValidNotice_TransfersSumToAmountAndAttemptIsRecorded()
    {
        var option = fixture.Valid.Options[1];
        var answer = (await fixture.Client().GetPaymentAsync(option.NoticeNumber.ToString())).AssertValid();

        Assert.Equal("OK", answer.Outcome);
        var data = answer.Payload.Element("data")!;
        Assert.Equal(option.Iuv.ToString(), data.Element("creditorReferenceId")!.Value);
        var amount = Core.EuroCents.ParseXsdAmount(data.Element("paymentAmount")!.Value);
        var transfers = data.Element("transferList")!.Elements("transfer").ToList();
        Assert.Equal(2, transfers.Count);
        Assert.Equal(amount, Core.EuroCents.Sum(transfers.Select(t => Core.EuroCents.ParseXsdAmount(t.Element("transferAmount")!.Value))));
        Assert.Equal("IT35O0306901600000000012345", transfers[0].Element("IBAN")!.Value);
        Assert.Equal("F", data.Element("debtor")!.Element("uniqueIdentifier")!.Element("entityUniqueIdentifierType")!.Value);

        // Attempts are journaled in the background; write what is queued.
        await fixture.Factory.Services.GetRequiredService<NodeCallJournal>().FlushAsync(CancellationToken.None);
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        var attempts = await connection.ExecuteScalarAsync<long>("select count(*) from payment_attempts where notice_number = @n and outcome = 'OK' and primitive = 'paGetPaymentV2'",
            new { n = option.NoticeNumber.ToString() });
        Assert.Equal(1, attempts);
        // Activation never changes the option: it stays payable.
        Assert.Equal("Valid", await connection.ExecuteScalarAsync<string>("select status from payment_options where notice_number = @n", new { n = option.NoticeNumber.ToString() }));
    }

    [DatabaseFact]
    public async Task GetPaymentV1_ValidNotice_IsValidV1Answer()
    {
        var answer = (await fixture.Client().GetPaymentAsync(fixture.Valid.Options[2].NoticeNumber.ToString(), v2: false)).AssertValid();
        Assert.Equal("OK", answer.Outcome);
        Assert.Equal("paGetPaymentRes", answer.Payload.Name.LocalName);
    }

    [DatabaseFact]
    public async Task GetPayment_TransferTypePostal_FirstTransferCreditsThePostalAccount()
    {
        var answer = (await fixture.Client().GetPaymentAsync(fixture.Valid.Options[3].NoticeNumber.ToString(), transferType: "POSTAL")).AssertValid();
        var transfers = answer.Payload.Element("data")!.Element("transferList")!.Elements("transfer").ToList();
        Assert.Equal("IT22L0760101600000012345678", transfers[0].Element("IBAN")!.Value);
        Assert.Equal("IT52E0503401600000000067890", transfers[1].Element("IBAN")!.Value);
    }

    [DatabaseFact]
    public async Task GetPayment_TransferTypePagopa_PostalAlternativeTravelsAsIbanAppoggio()
    {
        var answer = (await fixture.Client().GetPaymentAsync(fixture.Valid.Options[3].NoticeNumber.ToString(), transferType: "PAGOPA")).AssertValid();
        var first = answer.Payload.Element("data")!.Element("transferList")!.Elements("transfer").First();
        Assert.Equal("IT35O0306901600000000012345", first.Element("IBAN")!.Value);
        var entry = first.Element("metadata")!.Elements("mapEntry").Single(e => e.Element("key")!.Value == "IBANAPPOGGIO");
        Assert.Equal("IT22L0760101600000012345678", entry.Element("value")!.Value);
    }

    [DatabaseFact]
    public async Task GetPayment_PaidNotice_DuplicatoAndAttemptRecordedAsKo()
    {
        var notice = fixture.Paid.Options[0].NoticeNumber.ToString();
        (await fixture.Client().GetPaymentAsync(notice)).AssertKo("PAA_PAGAMENTO_DUPLICATO");
        // Attempts are journaled in the background; write what is queued.
        await fixture.Factory.Services.GetRequiredService<NodeCallJournal>().FlushAsync(CancellationToken.None);
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        Assert.Equal("PAA_PAGAMENTO_DUPLICATO", await connection.ExecuteScalarAsync<string>(
            "select fault_code from payment_attempts where notice_number = @notice", new { notice }));
    }

    [DatabaseFact]
    public async Task GetPaymentV2_HundredConcurrentActivations_AllIdenticalAndNothingLocked()
    {
        var notice = fixture.Valid.Options[0].NoticeNumber.ToString();
        var client = fixture.Client();
        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => client.GetPaymentAsync(notice)));
        Assert.All(answers, a => Assert.Equal("OK", a.AssertValid().Outcome));
        Assert.Single(answers.Select(a => a.Payload.ToString()).Distinct());
        // Attempts are journaled in the background; write what is queued.
        await fixture.Factory.Services.GetRequiredService<NodeCallJournal>().FlushAsync(CancellationToken.None);
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        Assert.Equal(100, await connection.ExecuteScalarAsync<long>("select count(*) from payment_attempts where notice_number = @notice", new { notice }));
    }

    [DatabaseFact]
    public async Task Wsdl_IsServedWithThisGatewaysAddress()
    {
        var http = fixture.Factory.CreateClient();
        var text = await http.GetStringAsync(new Uri("/soap/paForNode?wsdl", UriKind.Relative));
        Assert.Contains("paVerifyPaymentNotice", text, StringComparison.Ordinal);
        Assert.Contains("location=\"http://localhost/soap/paForNode\"", text, StringComparison.Ordinal);
        var xsd = await http.GetAsync(new Uri("/soap/xsd/paForNode.xsd", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, xsd.StatusCode);
    }
}
