using System.Xml.Schema;
using System.Xml.Serialization;

namespace PaymentGateway.Contracts.PaForNode;

// The request and response root elements of paForNode.xsd: the only elements in the paForNode namespace (XmlRoot);
// every child is unqualified. Same conventions as PaForNodeTypes.cs.

/// <summary>paVerifyPaymentNoticeReq: the Node asks whether a notice can be paid and for how much.</summary>
[XmlType("paVerifyPaymentNoticeReq", Namespace = PaForNodeSchemas.Namespace)]
[XmlRoot("paVerifyPaymentNoticeReq", Namespace = PaForNodeSchemas.Namespace)]
public sealed class PaVerifyPaymentNoticeReq
{
    /// <summary>idPA: the creditor (EC) fiscal code.</summary>
    [XmlElement("idPA", Form = XmlSchemaForm.Unqualified, Order = 0)]
    public string IdPA { get; set; } = "";

    /// <summary>idBrokerPA: the broker (intermediario) fiscal code.</summary>
    [XmlElement("idBrokerPA", Form = XmlSchemaForm.Unqualified, Order = 1)]
    public string IdBrokerPA { get; set; } = "";

    /// <summary>idStation: the broker's station.</summary>
    [XmlElement("idStation", Form = XmlSchemaForm.Unqualified, Order = 2)]
    public string IdStation { get; set; } = "";

    /// <summary>qrCode: which notice.</summary>
    [XmlElement("qrCode", Form = XmlSchemaForm.Unqualified, Order = 3)]
    public CtQrCode QrCode { get; set; } = new();
}

/// <summary>paVerifyPaymentNoticeRes: the payable option (OK) or why not (KO + fault).</summary>
[XmlType("paVerifyPaymentNoticeRes", Namespace = PaForNodeSchemas.Namespace)]
[XmlRoot("paVerifyPaymentNoticeRes", Namespace = PaForNodeSchemas.Namespace)]
public sealed class PaVerifyPaymentNoticeRes : CtResponse
{
    /// <summary>paymentList: exactly one paymentOptionDescription when OK.</summary>
    [XmlArray("paymentList", Form = XmlSchemaForm.Unqualified, Order = 2)]
    [XmlArrayItem("paymentOptionDescription", Form = XmlSchemaForm.Unqualified)]
    public CtPaymentOptionDescriptionPA[]? PaymentList { get; set; }

    /// <summary>paymentDescription (optional).</summary>
    [XmlElement("paymentDescription", Form = XmlSchemaForm.Unqualified, Order = 3)]
    public string? PaymentDescription { get; set; }

    /// <summary>fiscalCodePA (optional).</summary>
    [XmlElement("fiscalCodePA", Form = XmlSchemaForm.Unqualified, Order = 4)]
    public string? FiscalCodePA { get; set; }

    /// <summary>companyName (optional).</summary>
    [XmlElement("companyName", Form = XmlSchemaForm.Unqualified, Order = 5)]
    public string? CompanyName { get; set; }

    /// <summary>officeName (optional).</summary>
    [XmlElement("officeName", Form = XmlSchemaForm.Unqualified, Order = 6)]
    public string? OfficeName { get; set; }
}

/// <summary>paGetPaymentReq: the Node activates a payment and asks for its transfers (V1 transfers: IBAN only).</summary>
[XmlType("paGetPaymentReq", Namespace = PaForNodeSchemas.Namespace)]
[XmlRoot("paGetPaymentReq", Namespace = PaForNodeSchemas.Namespace)]
public sealed class PaGetPaymentReq
{
    /// <summary>idPA: the creditor (EC) fiscal code.</summary>
    [XmlElement("idPA", Form = XmlSchemaForm.Unqualified, Order = 0)]
    public string IdPA { get; set; } = "";

    /// <summary>idBrokerPA: the broker fiscal code.</summary>
    [XmlElement("idBrokerPA", Form = XmlSchemaForm.Unqualified, Order = 1)]
    public string IdBrokerPA { get; set; } = "";

    /// <summary>idStation: the broker's station.</summary>
    [XmlElement("idStation", Form = XmlSchemaForm.Unqualified, Order = 2)]
    public string IdStation { get; set; } = "";

    /// <summary>qrCode: which notice.</summary>
    [XmlElement("qrCode", Form = XmlSchemaForm.Unqualified, Order = 3)]
    public CtQrCode QrCode { get; set; } = new();

    /// <summary>amount: stAmount as text (optional).</summary>
    [XmlElement("amount", Form = XmlSchemaForm.Unqualified, Order = 4)]
    public string? Amount { get; set; }

    /// <summary>paymentNote (optional).</summary>
    [XmlElement("paymentNote", Form = XmlSchemaForm.Unqualified, Order = 5)]
    public string? PaymentNote { get; set; }

    /// <summary>transferType (optional; see <see cref="TransferTypeSpecified"/>).</summary>
    [XmlElement("transferType", Form = XmlSchemaForm.Unqualified, Order = 6)]
    public StTransferType TransferType { get; set; }

    /// <summary>Whether <see cref="TransferType"/> is present.</summary>
    [XmlIgnore]
    public bool TransferTypeSpecified { get; set; }

    /// <summary>dueDate: "yyyy-MM-dd" (optional).</summary>
    [XmlElement("dueDate", Form = XmlSchemaForm.Unqualified, Order = 7)]
    public string? DueDate { get; set; }
}

/// <summary>paGetPaymentRes: the payment data (OK) or why not (KO + fault).</summary>
[XmlType("paGetPaymentRes", Namespace = PaForNodeSchemas.Namespace)]
[XmlRoot("paGetPaymentRes", Namespace = PaForNodeSchemas.Namespace)]
public sealed class PaGetPaymentRes : CtResponse
{
    /// <summary>data: present when OK.</summary>
    [XmlElement("data", Form = XmlSchemaForm.Unqualified, Order = 2)]
    public CtPaymentPA? Data { get; set; }
}

/// <summary>paGetPaymentV2Request: as <see cref="PaGetPaymentReq"/>, answered with V2 transfers (IBAN or digital stamp).</summary>
[XmlType("paGetPaymentV2Request", Namespace = PaForNodeSchemas.Namespace)]
[XmlRoot("paGetPaymentV2Request", Namespace = PaForNodeSchemas.Namespace)]
public sealed class PaGetPaymentV2Request
{
    /// <summary>idPA: the creditor (EC) fiscal code.</summary>
    [XmlElement("idPA", Form = XmlSchemaForm.Unqualified, Order = 0)]
    public string IdPA { get; set; } = "";

    /// <summary>idBrokerPA: the broker fiscal code.</summary>
    [XmlElement("idBrokerPA", Form = XmlSchemaForm.Unqualified, Order = 1)]
    public string IdBrokerPA { get; set; } = "";

    /// <summary>idStation: the broker's station.</summary>
    [XmlElement("idStation", Form = XmlSchemaForm.Unqualified, Order = 2)]
    public string IdStation { get; set; } = "";

    /// <summary>qrCode: which notice.</summary>
    [XmlElement("qrCode", Form = XmlSchemaForm.Unqualified, Order = 3)]
    public CtQrCode QrCode { get; set; } = new();

    /// <summary>amount: stAmount as text (optional).</summary>
    [XmlElement("amount", Form = XmlSchemaForm.Unqualified, Order = 4)]
    public string? Amount { get; set; }

    /// <summary>paymentNote (optional).</summary>
    [XmlElement("paymentNote", Form = XmlSchemaForm.Unqualified, Order = 5)]
    public string? PaymentNote { get; set; }

    /// <summary>transferType (optional; see <see cref="TransferTypeSpecified"/>).</summary>
    [XmlElement("transferType", Form = XmlSchemaForm.Unqualified, Order = 6)]
    public StTransferType TransferType { get; set; }

    /// <summary>Whether <see cref="TransferType"/> is present.</summary>
    [XmlIgnore]
    public bool TransferTypeSpecified { get; set; }

    /// <summary>dueDate: "yyyy-MM-dd" (optional).</summary>
    [XmlElement("dueDate", Form = XmlSchemaForm.Unqualified, Order = 7)]
    public string? DueDate { get; set; }
}

/// <summary>paGetPaymentV2Response: the payment data (OK) or why not (KO + fault).</summary>
[XmlType("paGetPaymentV2Response", Namespace = PaForNodeSchemas.Namespace)]
[XmlRoot("paGetPaymentV2Response", Namespace = PaForNodeSchemas.Namespace)]
public sealed class PaGetPaymentV2Response : CtResponse
{
    /// <summary>data: present when OK.</summary>
    [XmlElement("data", Form = XmlSchemaForm.Unqualified, Order = 2)]
    public CtPaymentPAV2? Data { get; set; }
}

/// <summary>paSendRTReq: the Node delivers a receipt (V1).</summary>
[XmlType("paSendRTReq", Namespace = PaForNodeSchemas.Namespace)]
[XmlRoot("paSendRTReq", Namespace = PaForNodeSchemas.Namespace)]
public sealed class PaSendRTReq
{
    /// <summary>idPA: the creditor (EC) fiscal code.</summary>
    [XmlElement("idPA", Form = XmlSchemaForm.Unqualified, Order = 0)]
    public string IdPA { get; set; } = "";

    /// <summary>idBrokerPA: the broker fiscal code.</summary>
    [XmlElement("idBrokerPA", Form = XmlSchemaForm.Unqualified, Order = 1)]
    public string IdBrokerPA { get; set; } = "";

    /// <summary>idStation: the broker's station.</summary>
    [XmlElement("idStation", Form = XmlSchemaForm.Unqualified, Order = 2)]
    public string IdStation { get; set; } = "";

    /// <summary>receipt.</summary>
    [XmlElement("receipt", Form = XmlSchemaForm.Unqualified, Order = 3)]
    public CtReceipt Receipt { get; set; } = new();
}

/// <summary>paSendRTRes: outcome only (plus the fault when KO).</summary>
[XmlType("paSendRTRes", Namespace = PaForNodeSchemas.Namespace)]
[XmlRoot("paSendRTRes", Namespace = PaForNodeSchemas.Namespace)]
public sealed class PaSendRTRes : CtResponse;

/// <summary>paSendRTV2Request: the Node delivers a receipt (V2).</summary>
[XmlType("paSendRTV2Request", Namespace = PaForNodeSchemas.Namespace)]
[XmlRoot("paSendRTV2Request", Namespace = PaForNodeSchemas.Namespace)]
public sealed class PaSendRTV2Request
{
    /// <summary>idPA: the creditor (EC) fiscal code.</summary>
    [XmlElement("idPA", Form = XmlSchemaForm.Unqualified, Order = 0)]
    public string IdPA { get; set; } = "";

    /// <summary>idBrokerPA: the broker fiscal code.</summary>
    [XmlElement("idBrokerPA", Form = XmlSchemaForm.Unqualified, Order = 1)]
    public string IdBrokerPA { get; set; } = "";

    /// <summary>idStation: the broker's station.</summary>
    [XmlElement("idStation", Form = XmlSchemaForm.Unqualified, Order = 2)]
    public string IdStation { get; set; } = "";

    /// <summary>receipt.</summary>
    [XmlElement("receipt", Form = XmlSchemaForm.Unqualified, Order = 3)]
    public CtReceiptV2 Receipt { get; set; } = new();
}

/// <summary>paSendRTV2Response: outcome only (plus the fault when KO).</summary>
[XmlType("paSendRTV2Response", Namespace = PaForNodeSchemas.Namespace)]
[XmlRoot("paSendRTV2Response", Namespace = PaForNodeSchemas.Namespace)]
public sealed class PaSendRTV2Response : CtResponse;

/// <summary>paDemandPaymentNoticeRequest: the Node asks the EC to issue a notice for a spontaneous service.</summary>
[XmlType("paDemandPaymentNoticeRequest", Namespace = PaForNodeSchemas.Namespace)]
[XmlRoot("paDemandPaymentNoticeRequest", Namespace = PaForNodeSchemas.Namespace)]
public sealed class PaDemandPaymentNoticeRequest
{
    /// <summary>idPA: the creditor (EC) fiscal code.</summary>
    [XmlElement("idPA", Form = XmlSchemaForm.Unqualified, Order = 0)]
    public string IdPA { get; set; } = "";

    /// <summary>idBrokerPA: the broker fiscal code.</summary>
    [XmlElement("idBrokerPA", Form = XmlSchemaForm.Unqualified, Order = 1)]
    public string IdBrokerPA { get; set; } = "";

    /// <summary>idStation: the broker's station.</summary>
    [XmlElement("idStation", Form = XmlSchemaForm.Unqualified, Order = 2)]
    public string IdStation { get; set; } = "";

    /// <summary>idServizio: the 5-character service code.</summary>
    [XmlElement("idServizio", Form = XmlSchemaForm.Unqualified, Order = 3)]
    public string IdServizio { get; set; } = "";

    /// <summary>idSoggettoServizio: the 5-character code of the service provider.</summary>
    [XmlElement("idSoggettoServizio", Form = XmlSchemaForm.Unqualified, Order = 4)]
    public string IdSoggettoServizio { get; set; } = "";

    /// <summary>datiSpecificiServizioRequest: the service's own XML request, base64-encoded.</summary>
    [XmlElement("datiSpecificiServizioRequest", Form = XmlSchemaForm.Unqualified, DataType = "base64Binary", Order = 5)]
    public byte[] DatiSpecificiServizioRequest { get; set; } = [];
}

/// <summary>paDemandPaymentNoticeResponse: the issued notice and its option (OK) or why not (KO + fault).</summary>
[XmlType("paDemandPaymentNoticeResponse", Namespace = PaForNodeSchemas.Namespace)]
[XmlRoot("paDemandPaymentNoticeResponse", Namespace = PaForNodeSchemas.Namespace)]
public sealed class PaDemandPaymentNoticeResponse : CtResponse
{
    /// <summary>qrCode of the issued notice (optional).</summary>
    [XmlElement("qrCode", Form = XmlSchemaForm.Unqualified, Order = 2)]
    public CtQrCode? QrCode { get; set; }

    /// <summary>paymentList: one paymentOptionDescription (optional).</summary>
    [XmlArray("paymentList", Form = XmlSchemaForm.Unqualified, Order = 3)]
    [XmlArrayItem("paymentOptionDescription", Form = XmlSchemaForm.Unqualified)]
    public CtPaymentOptionDescriptionPA[]? PaymentList { get; set; }

    /// <summary>paymentDescription (optional).</summary>
    [XmlElement("paymentDescription", Form = XmlSchemaForm.Unqualified, Order = 4)]
    public string? PaymentDescription { get; set; }

    /// <summary>fiscalCodePA (optional).</summary>
    [XmlElement("fiscalCodePA", Form = XmlSchemaForm.Unqualified, Order = 5)]
    public string? FiscalCodePA { get; set; }

    /// <summary>companyName (optional).</summary>
    [XmlElement("companyName", Form = XmlSchemaForm.Unqualified, Order = 6)]
    public string? CompanyName { get; set; }

    /// <summary>officeName (optional).</summary>
    [XmlElement("officeName", Form = XmlSchemaForm.Unqualified, Order = 7)]
    public string? OfficeName { get; set; }
}
