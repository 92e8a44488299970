using System.Xml.Schema;
using System.Xml.Serialization;

namespace PaymentGateway.Contracts.PaForNode;

// The receipts of paSendRT and paSendRTV2. Same conventions as PaForNodeTypes.cs: unqualified children in XSD order,
// amounts and dates as strings in their XSD lexical form, XxxSpecified for optional value types.

/// <summary>ctReceipt: the receipt of a paSendRT (it has legal value: keep what was received).</summary>
[XmlType("ctReceipt", Namespace = PaForNodeSchemas.Namespace)]
public sealed class CtReceipt
{
    /// <summary>receiptId: the PSP's unique receipt id (with the EC, the idempotency key).</summary>
    [XmlElement("receiptId", Form = XmlSchemaForm.Unqualified, Order = 0)]
    public string ReceiptId { get; set; } = "";

    /// <summary>noticeNumber: 18 digits.</summary>
    [XmlElement("noticeNumber", Form = XmlSchemaForm.Unqualified, Order = 1)]
    public string NoticeNumber { get; set; } = "";

    /// <summary>fiscalCode: the creditor's fiscal code.</summary>
    [XmlElement("fiscalCode", Form = XmlSchemaForm.Unqualified, Order = 2)]
    public string FiscalCode { get; set; } = "";

    /// <summary>outcome of the payment.</summary>
    [XmlElement("outcome", Form = XmlSchemaForm.Unqualified, Order = 3)]
    public StOutcome Outcome { get; set; }

    /// <summary>creditorReferenceId: the IUV.</summary>
    [XmlElement("creditorReferenceId", Form = XmlSchemaForm.Unqualified, Order = 4)]
    public string CreditorReferenceId { get; set; } = "";

    /// <summary>paymentAmount: stAmount as text, e.g. "210.00".</summary>
    [XmlElement("paymentAmount", Form = XmlSchemaForm.Unqualified, Order = 5)]
    public string PaymentAmount { get; set; } = "";

    /// <summary>description.</summary>
    [XmlElement("description", Form = XmlSchemaForm.Unqualified, Order = 6)]
    public string Description { get; set; } = "";

    /// <summary>companyName.</summary>
    [XmlElement("companyName", Form = XmlSchemaForm.Unqualified, Order = 7)]
    public string CompanyName { get; set; } = "";

    /// <summary>officeName (optional).</summary>
    [XmlElement("officeName", Form = XmlSchemaForm.Unqualified, Order = 8)]
    public string? OfficeName { get; set; }

    /// <summary>debtor.</summary>
    [XmlElement("debtor", Form = XmlSchemaForm.Unqualified, Order = 9)]
    public CtSubject Debtor { get; set; } = new();

    /// <summary>transferList: 1..5 transfers.</summary>
    [XmlArray("transferList", Form = XmlSchemaForm.Unqualified, Order = 10)]
    [XmlArrayItem("transfer", Form = XmlSchemaForm.Unqualified)]
    public CtTransferPA[] TransferList { get; set; } = [];

    /// <summary>idPSP: the PSP that collected the payment.</summary>
    [XmlElement("idPSP", Form = XmlSchemaForm.Unqualified, Order = 11)]
    public string IdPsp { get; set; } = "";

    /// <summary>pspFiscalCode (optional).</summary>
    [XmlElement("pspFiscalCode", Form = XmlSchemaForm.Unqualified, Order = 12)]
    public string? PspFiscalCode { get; set; }

    /// <summary>pspPartitaIVA (optional).</summary>
    [XmlElement("pspPartitaIVA", Form = XmlSchemaForm.Unqualified, Order = 13)]
    public string? PspPartitaIva { get; set; }

    /// <summary>PSPCompanyName.</summary>
    [XmlElement("PSPCompanyName", Form = XmlSchemaForm.Unqualified, Order = 14)]
    public string PspCompanyName { get; set; } = "";

    /// <summary>idChannel.</summary>
    [XmlElement("idChannel", Form = XmlSchemaForm.Unqualified, Order = 15)]
    public string IdChannel { get; set; } = "";

    /// <summary>channelDescription.</summary>
    [XmlElement("channelDescription", Form = XmlSchemaForm.Unqualified, Order = 16)]
    public string ChannelDescription { get; set; } = "";

    /// <summary>payer, when not the debtor (optional).</summary>
    [XmlElement("payer", Form = XmlSchemaForm.Unqualified, Order = 17)]
    public CtSubject? Payer { get; set; }

    /// <summary>paymentMethod (optional).</summary>
    [XmlElement("paymentMethod", Form = XmlSchemaForm.Unqualified, Order = 18)]
    public string? PaymentMethod { get; set; }

    /// <summary>fee: stAmount as text (optional).</summary>
    [XmlElement("fee", Form = XmlSchemaForm.Unqualified, Order = 19)]
    public string? Fee { get; set; }

    /// <summary>paymentDateTime: xsd:dateTime text as sent (optional).</summary>
    [XmlElement("paymentDateTime", Form = XmlSchemaForm.Unqualified, Order = 20)]
    public string? PaymentDateTime { get; set; }

    /// <summary>applicationDate: "yyyy-MM-dd" (optional).</summary>
    [XmlElement("applicationDate", Form = XmlSchemaForm.Unqualified, Order = 21)]
    public string? ApplicationDate { get; set; }

    /// <summary>transferDate: "yyyy-MM-dd" (optional).</summary>
    [XmlElement("transferDate", Form = XmlSchemaForm.Unqualified, Order = 22)]
    public string? TransferDate { get; set; }

    /// <summary>metadata (optional).</summary>
    [XmlElement("metadata", Form = XmlSchemaForm.Unqualified, Order = 23)]
    public CtMetadata? Metadata { get; set; }

    /// <summary>standIn: paid while the Node was in Stand-In (optional; see <see cref="StandInSpecified"/>).</summary>
    [XmlElement("standIn", Form = XmlSchemaForm.Unqualified, Order = 24)]
    public bool StandIn { get; set; }

    /// <summary>Whether <see cref="StandIn"/> is present.</summary>
    [XmlIgnore]
    public bool StandInSpecified { get; set; }
}

/// <summary>ctReceiptV2: the receipt of a paSendRTV2 (it has legal value: keep what was received).</summary>
[XmlType("ctReceiptV2", Namespace = PaForNodeSchemas.Namespace)]
public sealed class CtReceiptV2
{
    /// <summary>receiptId: the PSP's unique receipt id (with the EC, the idempotency key).</summary>
    [XmlElement("receiptId", Form = XmlSchemaForm.Unqualified, Order = 0)]
    public string ReceiptId { get; set; } = "";

    /// <summary>noticeNumber: 18 digits.</summary>
    [XmlElement("noticeNumber", Form = XmlSchemaForm.Unqualified, Order = 1)]
    public string NoticeNumber { get; set; } = "";

    /// <summary>fiscalCode: the creditor's fiscal code.</summary>
    [XmlElement("fiscalCode", Form = XmlSchemaForm.Unqualified, Order = 2)]
    public string FiscalCode { get; set; } = "";

    /// <summary>outcome of the payment.</summary>
    [XmlElement("outcome", Form = XmlSchemaForm.Unqualified, Order = 3)]
    public StOutcome Outcome { get; set; }

    /// <summary>creditorReferenceId: the IUV.</summary>
    [XmlElement("creditorReferenceId", Form = XmlSchemaForm.Unqualified, Order = 4)]
    public string CreditorReferenceId { get; set; } = "";

    /// <summary>paymentAmount: stAmount as text, e.g. "210.00".</summary>
    [XmlElement("paymentAmount", Form = XmlSchemaForm.Unqualified, Order = 5)]
    public string PaymentAmount { get; set; } = "";

    /// <summary>description.</summary>
    [XmlElement("description", Form = XmlSchemaForm.Unqualified, Order = 6)]
    public string Description { get; set; } = "";

    /// <summary>companyName.</summary>
    [XmlElement("companyName", Form = XmlSchemaForm.Unqualified, Order = 7)]
    public string CompanyName { get; set; } = "";

    /// <summary>officeName (optional).</summary>
    [XmlElement("officeName", Form = XmlSchemaForm.Unqualified, Order = 8)]
    public string? OfficeName { get; set; }

    /// <summary>debtor.</summary>
    [XmlElement("debtor", Form = XmlSchemaForm.Unqualified, Order = 9)]
    public CtSubject Debtor { get; set; } = new();

    /// <summary>transferList: 1..5 transfers.</summary>
    [XmlArray("transferList", Form = XmlSchemaForm.Unqualified, Order = 10)]
    [XmlArrayItem("transfer", Form = XmlSchemaForm.Unqualified)]
    public CtTransferPAReceiptV2[] TransferList { get; set; } = [];

    /// <summary>idPSP: the PSP that collected the payment.</summary>
    [XmlElement("idPSP", Form = XmlSchemaForm.Unqualified, Order = 11)]
    public string IdPsp { get; set; } = "";

    /// <summary>pspFiscalCode (optional).</summary>
    [XmlElement("pspFiscalCode", Form = XmlSchemaForm.Unqualified, Order = 12)]
    public string? PspFiscalCode { get; set; }

    /// <summary>pspPartitaIVA (optional).</summary>
    [XmlElement("pspPartitaIVA", Form = XmlSchemaForm.Unqualified, Order = 13)]
    public string? PspPartitaIva { get; set; }

    /// <summary>PSPCompanyName.</summary>
    [XmlElement("PSPCompanyName", Form = XmlSchemaForm.Unqualified, Order = 14)]
    public string PspCompanyName { get; set; } = "";

    /// <summary>idChannel.</summary>
    [XmlElement("idChannel", Form = XmlSchemaForm.Unqualified, Order = 15)]
    public string IdChannel { get; set; } = "";

    /// <summary>channelDescription.</summary>
    [XmlElement("channelDescription", Form = XmlSchemaForm.Unqualified, Order = 16)]
    public string ChannelDescription { get; set; } = "";

    /// <summary>payer, when not the debtor (optional).</summary>
    [XmlElement("payer", Form = XmlSchemaForm.Unqualified, Order = 17)]
    public CtSubject? Payer { get; set; }

    /// <summary>paymentMethod (optional).</summary>
    [XmlElement("paymentMethod", Form = XmlSchemaForm.Unqualified, Order = 18)]
    public string? PaymentMethod { get; set; }

    /// <summary>paymentNote (optional, stText210).</summary>
    [XmlElement("paymentNote", Form = XmlSchemaForm.Unqualified, Order = 19)]
    public string? PaymentNote { get; set; }

    /// <summary>fee: stAmount as text (optional).</summary>
    [XmlElement("fee", Form = XmlSchemaForm.Unqualified, Order = 20)]
    public string? Fee { get; set; }

    /// <summary>primaryCiIncurredFee: stAmount as text (optional).</summary>
    [XmlElement("primaryCiIncurredFee", Form = XmlSchemaForm.Unqualified, Order = 21)]
    public string? PrimaryCiIncurredFee { get; set; }

    /// <summary>idBundle (optional).</summary>
    [XmlElement("idBundle", Form = XmlSchemaForm.Unqualified, Order = 22)]
    public string? IdBundle { get; set; }

    /// <summary>idCiBundle (optional).</summary>
    [XmlElement("idCiBundle", Form = XmlSchemaForm.Unqualified, Order = 23)]
    public string? IdCiBundle { get; set; }

    /// <summary>paymentDateTime: xsd:dateTime text as sent (optional).</summary>
    [XmlElement("paymentDateTime", Form = XmlSchemaForm.Unqualified, Order = 24)]
    public string? PaymentDateTime { get; set; }

    /// <summary>applicationDate: "yyyy-MM-dd" (optional).</summary>
    [XmlElement("applicationDate", Form = XmlSchemaForm.Unqualified, Order = 25)]
    public string? ApplicationDate { get; set; }

    /// <summary>transferDate: "yyyy-MM-dd" (optional).</summary>
    [XmlElement("transferDate", Form = XmlSchemaForm.Unqualified, Order = 26)]
    public string? TransferDate { get; set; }

    /// <summary>metadata (optional).</summary>
    [XmlElement("metadata", Form = XmlSchemaForm.Unqualified, Order = 27)]
    public CtMetadata? Metadata { get; set; }

    /// <summary>standIn: paid while the Node was in Stand-In (optional; see <see cref="StandInSpecified"/>).</summary>
    [XmlElement("standIn", Form = XmlSchemaForm.Unqualified, Order = 28)]
    public bool StandIn { get; set; }

    /// <summary>Whether <see cref="StandIn"/> is present.</summary>
    [XmlIgnore]
    public bool StandInSpecified { get; set; }
}
