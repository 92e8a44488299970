using System.ServiceModel;
using System.Text;
using PaymentGateway.Contracts.PaForNode;
using PaymentGateway.Core;
using PaymentGateway.Testing;

namespace PaymentGateway.Gateway.Tests.Soap;

/// <summary>
/// Interop: every paForNode operation called by a stock WCF client (System.ServiceModel.Http: ChannelFactory,
/// BasicHttpBinding, XmlSerializerFormat) over real HTTP on loopback. A request the client builds from the contract
/// classes that the gateway found invalid would be answered PAA_SINTASSI_XSD, so an OK also proves the classes
/// serialize to valid requests; the typed assertions prove our responses deserialize (XmlSerializer silently skips
/// elements it does not expect, so each test checks values, not just the absence of exceptions).
/// </summary>
public sealed class WcfInteropTests(KestrelGatewayFixture fixture) : IClassFixture<KestrelGatewayFixture>, IDisposable
{
    private const string Creditor = SoapTestClient.Creditor;
    private readonly ChannelFactory<IPaForNode> channels = fixture.ChannelFactory();

    [DatabaseFact]
    public async Task PaVerifyPaymentNotice_ValidNotice_AnswersAmountAndCreditor()
    {
        var response = await CallAsync(node => node.PaVerifyPaymentNoticeAsync(new() { Body = Verify(fixture.Valid.Options[0].NoticeNumber.ToString()) }));

        var res = response.Body;
        Assert.Equal(StOutcome.OK, res.Outcome);
        Assert.Null(res.Fault);
        var option = Assert.Single(res.PaymentList!);
        Assert.Equal("210.00", option.Amount);
        Assert.Equal(StAmountOption.EQ, option.Options);
        Assert.Equal("2099-12-31", option.DueDate);
        Assert.False(option.AllCcp);
        Assert.Equal(Creditor, res.FiscalCodePA);
        Assert.Equal("Comune di Test", res.CompanyName);
        Assert.False(string.IsNullOrEmpty(res.PaymentDescription));
    }

    [DatabaseFact]
    public async Task PaVerifyPaymentNotice_StandInProbe_FaultBeanDeserializes()
    {
        var response = await CallAsync(node => node.PaVerifyPaymentNoticeAsync(new() { Body = Verify("000000000000000000") }));

        AssertKo(response.Body, "PAA_PAGAMENTO_SCONOSCIUTO");
        Assert.Null(response.Body.PaymentList);
    }

    [DatabaseFact]
    public async Task PaGetPayment_ValidNotice_TransfersSumToAmount()
    {
        var option = fixture.Valid.Options[0];
        var request = new PaGetPaymentReq
        {
            IdPA = Creditor, IdBrokerPA = SoapTestClient.Broker, IdStation = SoapTestClient.Station,
            QrCode = QrCode(option.NoticeNumber.ToString()), TransferType = StTransferType.PAGOPA, TransferTypeSpecified = true,
        };

        var data = (await CallAsync(node => node.PaGetPaymentAsync(new() { Body = request }))).Body;

        Assert.Equal(StOutcome.OK, data.Outcome);
        var payment = data.Data!;
        Assert.Equal(option.Iuv.ToString(), payment.CreditorReferenceId);
        Assert.Equal("210.00", payment.PaymentAmount);
        Assert.Equal("2099-12-31", payment.DueDate);
        Assert.NotEmpty(payment.TransferList);
        Assert.Equal(EuroCents.ParseXsdAmount(payment.PaymentAmount), EuroCents.Sum(payment.TransferList.Select(t => EuroCents.ParseXsdAmount(t.TransferAmount))));
        Assert.Equal(Enumerable.Range(1, payment.TransferList.Length), payment.TransferList.Select(t => t.IdTransfer));
        Assert.All(payment.TransferList, t => Assert.False(string.IsNullOrEmpty(t.Iban)));
        Assert.Equal(StEntityUniqueIdentifierType.F, payment.Debtor.UniqueIdentifier.EntityUniqueIdentifierType);
        Assert.False(string.IsNullOrEmpty(payment.Debtor.FullName));
    }

    [DatabaseFact]
    public async Task PaGetPaymentV2_ValidNotice_TransfersSumToAmount()
    {
        var option = fixture.Valid.Options[0];
        var request = new PaGetPaymentV2Request
        {
            IdPA = Creditor, IdBrokerPA = SoapTestClient.Broker, IdStation = SoapTestClient.Station, QrCode = QrCode(option.NoticeNumber.ToString()),
        };

        var data = (await CallAsync(node => node.PaGetPaymentV2Async(new() { Body = request }))).Body;

        Assert.Equal(StOutcome.OK, data.Outcome);
        var payment = data.Data!;
        Assert.Equal(option.Iuv.ToString(), payment.CreditorReferenceId);
        Assert.Equal("210.00", payment.PaymentAmount);
        Assert.False(string.IsNullOrEmpty(payment.CompanyName));
        Assert.Equal(2, payment.TransferList.Length);
        Assert.Equal(EuroCents.ParseXsdAmount(payment.PaymentAmount), EuroCents.Sum(payment.TransferList.Select(t => EuroCents.ParseXsdAmount(t.TransferAmount))));
        Assert.Equal("IT35O0306901600000000012345", payment.TransferList[0].Iban);
        Assert.All(payment.TransferList, t => Assert.Null(t.RichiestaMarcaDaBollo));
    }

    [DatabaseFact]
    public async Task PaSendRT_FirstReceipt_OkThenVerifyAnswersDuplicato()
    {
        var option = fixture.ForReceipts.Options[1];
        var notice = option.NoticeNumber.ToString();
        var (first, second) = Split(option.Amount);
        var request = new PaSendRTReq
        {
            IdPA = Creditor, IdBrokerPA = SoapTestClient.Broker, IdStation = SoapTestClient.Station,
            Receipt = new CtReceipt
            {
                ReceiptId = "wcf-rt-1", NoticeNumber = notice, FiscalCode = Creditor, Outcome = StOutcome.OK,
                CreditorReferenceId = option.Iuv.ToString(), PaymentAmount = option.Amount.ToXsdAmount(), Description = "TARI",
                CompanyName = "Comune di Milano", Debtor = Debtor(),
                TransferList = [Transfer(1, first, Creditor, "IT35O0306901600000000012345", "TARI"), Transfer(2, second, "08911820960", "IT52E0503401600000000067890", "TEFA")],
                IdPsp = "BCITITMM", PspCompanyName = "Intesa Sanpaolo", IdChannel = "BCITITMM_01", ChannelDescription = "app",
                Fee = "1.00", PaymentDateTime = "2026-11-20T18:30:00", ApplicationDate = "2026-11-20", TransferDate = "2026-11-21",
                StandIn = false, StandInSpecified = true,
            },
        };

        var answer = (await CallAsync(node => node.PaSendRTAsync(new() { Body = request }))).Body;

        Assert.Equal(StOutcome.OK, answer.Outcome);
        Assert.Null(answer.Fault);
        await AssertVerifyAnswersDuplicatoAsync(notice);
    }

    [DatabaseFact]
    public async Task PaSendRTV2_FirstReceipt_OkThenVerifyAnswersDuplicato()
    {
        var option = fixture.ForReceipts.Options[2];
        var notice = option.NoticeNumber.ToString();
        var (first, second) = Split(option.Amount);
        var request = new PaSendRTV2Request
        {
            IdPA = Creditor, IdBrokerPA = SoapTestClient.Broker, IdStation = SoapTestClient.Station,
            Receipt = new CtReceiptV2
            {
                ReceiptId = "wcf-rtv2-1", NoticeNumber = notice, FiscalCode = Creditor, Outcome = StOutcome.OK,
                CreditorReferenceId = option.Iuv.ToString(), PaymentAmount = option.Amount.ToXsdAmount(), Description = "TARI",
                CompanyName = "Comune di Milano", Debtor = Debtor(),
                TransferList =
                [
                    new CtTransferPAReceiptV2 { IdTransfer = 1, TransferAmount = first.ToXsdAmount(), FiscalCodePA = Creditor, Iban = "IT35O0306901600000000012345", RemittanceInformation = "TARI", TransferCategory = "9/0201102IM/" },
                    new CtTransferPAReceiptV2 { IdTransfer = 2, TransferAmount = second.ToXsdAmount(), FiscalCodePA = "08911820960", Iban = "IT52E0503401600000000067890", RemittanceInformation = "TEFA", TransferCategory = "9/0201102IM/" },
                ],
                IdPsp = "BCITITMM", PspCompanyName = "Intesa Sanpaolo", IdChannel = "BCITITMM_01", ChannelDescription = "app",
                Fee = "1.00", PaymentDateTime = "2026-11-20T18:30:00", ApplicationDate = "2026-11-20", TransferDate = "2026-11-21",
                Metadata = new CtMetadata { MapEntry = [new CtMapEntry { Key = "channel", Value = "wcf-interop" }] },
                StandIn = false, StandInSpecified = true,
            },
        };

        var answer = (await CallAsync(node => node.PaSendRTV2Async(new() { Body = request }))).Body;

        Assert.Equal(StOutcome.OK, answer.Outcome);
        Assert.Null(answer.Fault);
        await AssertVerifyAnswersDuplicatoAsync(notice);
    }

    [DatabaseFact]
    public async Task PaDemandPaymentNotice_NoSpontaneousService_SemanticaFaultDeserializes()
    {
        var request = new PaDemandPaymentNoticeRequest
        {
            IdPA = Creditor, IdBrokerPA = SoapTestClient.Broker, IdStation = SoapTestClient.Station, IdServizio = "00042", IdSoggettoServizio = "00001",
            DatiSpecificiServizioRequest = Encoding.UTF8.GetBytes("<service xmlns=\"http://example.invalid/certificate\"><copies>1</copies></service>"),
        };

        var response = (await CallAsync(node => node.PaDemandPaymentNoticeAsync(new() { Body = request }))).Body;

        AssertKo(response, "PAA_SEMANTICA");
        Assert.Null(response.QrCode);
        Assert.Null(response.PaymentList);
    }

    [DatabaseFact]
    public async Task PaDemandPaymentNotice_ConfiguredService_IssuesNoticeReadableByWcf()
    {
        var request = new PaDemandPaymentNoticeRequest
        {
            IdPA = Creditor, IdBrokerPA = SoapTestClient.Broker, IdStation = SoapTestClient.Station, IdServizio = "00001", IdSoggettoServizio = "00001",
            DatiSpecificiServizioRequest = Encoding.UTF8.GetBytes("<datiSpecificiServizio><tipoIdentificativo>F</tipoIdentificativo><codiceIdentificativo>RSSMRA85T10A562S</codiceIdentificativo><anagrafica>MARIO ROSSI</anagrafica></datiSpecificiServizio>"),
        };

        var response = (await CallAsync(node => node.PaDemandPaymentNoticeAsync(new() { Body = request }))).Body;

        Assert.Equal(StOutcome.OK, response.Outcome);
        Assert.True(Core.NoticeNumber.TryParse(response.QrCode!.NoticeNumber, out _));
        Assert.Equal("0.52", Assert.Single(response.PaymentList!).Amount);
    }

    public void Dispose() => ((IDisposable)channels).Dispose();

    // One channel per call, closed after it, as a well-behaved WCF client does.
    private async Task<T> CallAsync<T>(Func<IPaForNode, Task<T>> call)
    {
        var channel = channels.CreateChannel();
        var client = (IClientChannel)channel;
        try
        {
            var result = await call(channel);
            client.Close();
            return result;
        }
        catch
        {
            client.Abort();
            throw;
        }
    }

    private async Task AssertVerifyAnswersDuplicatoAsync(string notice)
    {
        var verify = await CallAsync(node => node.PaVerifyPaymentNoticeAsync(new() { Body = Verify(notice) }));
        AssertKo(verify.Body, "PAA_PAGAMENTO_DUPLICATO");
    }

    private static void AssertKo(CtResponse response, string faultCode)
    {
        Assert.Equal(StOutcome.KO, response.Outcome);
        var fault = Assert.IsType<CtFaultBean>(response.Fault);
        Assert.Equal(faultCode, fault.FaultCode);
        Assert.False(string.IsNullOrEmpty(fault.FaultString));
        Assert.Equal(SoapTestClient.Broker, fault.Id);
    }

    private static PaVerifyPaymentNoticeReq Verify(string notice) => new()
    {
        IdPA = Creditor, IdBrokerPA = SoapTestClient.Broker, IdStation = SoapTestClient.Station, QrCode = QrCode(notice),
    };

    private static CtQrCode QrCode(string notice) => new() { FiscalCode = Creditor, NoticeNumber = notice };

    private static CtSubject Debtor() => new()
    {
        UniqueIdentifier = new CtEntityUniqueIdentifier { EntityUniqueIdentifierType = StEntityUniqueIdentifierType.F, EntityUniqueIdentifierValue = "RSSMRA85T10A562S" },
        FullName = "MARIO ROSSI",
    };

    private static CtTransferPA Transfer(int id, EuroCents amount, string fiscalCode, string iban, string remittance) => new()
    {
        IdTransfer = id, TransferAmount = amount.ToXsdAmount(), FiscalCodePA = fiscalCode, Iban = iban, RemittanceInformation = remittance,
        TransferCategory = "9/0201102IM/",
    };

    // TARI and TEFA (5%), as the seeded positions split them.
    private static (EuroCents Tari, EuroCents Tefa) Split(EuroCents amount)
    {
        var tefa = Math.Max(1, amount.Cents * 5 / 100);
        return (EuroCents.FromCents(amount.Cents - tefa), EuroCents.FromCents(tefa));
    }
}
