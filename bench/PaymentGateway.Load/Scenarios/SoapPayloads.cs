using System.Globalization;
using System.Security;
using System.Text;

namespace PaymentGateway.Load.Scenarios;

/// <summary>paForNode request envelopes for the demo Comune (station 01199250158_01), as the pagoPA Node sends them.</summary>
public static class SoapPayloads
{
    public const string Broker = "01199250158";
    public const string Station = "01199250158_01";
    private const string Namespace = "http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd";

    public static byte[] Verify(string creditor, string notice) => Envelope($"""
        <pafn:paVerifyPaymentNoticeReq><idPA>{creditor}</idPA><idBrokerPA>{Broker}</idBrokerPA><idStation>{Station}</idStation><qrCode><fiscalCode>{creditor}</fiscalCode><noticeNumber>{notice}</noticeNumber></qrCode></pafn:paVerifyPaymentNoticeReq>
        """);

    public static byte[] GetPaymentV2(string creditor, string notice) => Envelope($"""
        <pafn:paGetPaymentV2Request><idPA>{creditor}</idPA><idBrokerPA>{Broker}</idBrokerPA><idStation>{Station}</idStation><qrCode><fiscalCode>{creditor}</fiscalCode><noticeNumber>{notice}</noticeNumber></qrCode></pafn:paGetPaymentV2Request>
        """);

    /// <summary>A paSendRTV2 receipt paying <paramref name="notice"/> in full, its transfers as the notice has them.</summary>
    public static byte[] ReceiptV2(string receiptId, PayableNotice notice)
    {
        var transfers = new StringBuilder();
        foreach (var t in notice.Transfers)
        {
            transfers.Append(CultureInfo.InvariantCulture,
                $"<transfer><idTransfer>{t.Index}</idTransfer><transferAmount>{Amount(t.AmountCents)}</transferAmount><fiscalCodePA>{t.BeneficiaryFiscalCode}</fiscalCodePA><IBAN>{t.Iban}</IBAN><remittanceInformation>{SecurityElement.Escape(t.Remittance)}</remittanceInformation><transferCategory>{SecurityElement.Escape(t.Taxonomy)}</transferCategory></transfer>");
        }
        return Envelope($"""
            <pafn:paSendRTV2Request><idPA>{notice.CreditorFiscalCode}</idPA><idBrokerPA>{Broker}</idBrokerPA><idStation>{Station}</idStation><receipt><receiptId>{receiptId}</receiptId><noticeNumber>{notice.NoticeNumber}</noticeNumber><fiscalCode>{notice.CreditorFiscalCode}</fiscalCode><outcome>OK</outcome><creditorReferenceId>{notice.NoticeNumber[1..]}</creditorReferenceId><paymentAmount>{Amount(notice.AmountCents)}</paymentAmount><description>{SecurityElement.Escape(notice.Description)}</description><companyName>Comune di Milano</companyName><debtor><uniqueIdentifier><entityUniqueIdentifierType>F</entityUniqueIdentifierType><entityUniqueIdentifierValue>RSSMRA85T10A562S</entityUniqueIdentifierValue></uniqueIdentifier><fullName>MARIO ROSSI</fullName></debtor><transferList>{transfers}</transferList><idPSP>BCITITMM</idPSP><PSPCompanyName>Intesa Sanpaolo</PSPCompanyName><idChannel>BCITITMM_01</idChannel><channelDescription>app</channelDescription><fee>1.00</fee><paymentDateTime>2026-11-20T18:30:00</paymentDateTime><applicationDate>2026-11-20</applicationDate><transferDate>2026-11-21</transferDate><standIn>false</standIn></receipt></pafn:paSendRTV2Request>
            """);
    }

    /// <summary>Cents as an xs:decimal with two decimals (the only place money becomes text here).</summary>
    public static string Amount(long cents) => string.Create(CultureInfo.InvariantCulture, $"{cents / 100}.{cents % 100:00}");

    private static byte[] Envelope(string payload) => Encoding.UTF8.GetBytes(
        $"""<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pafn="{Namespace}"><soapenv:Header/><soapenv:Body>{payload}</soapenv:Body></soapenv:Envelope>""");
}
