using System.Xml.Schema;
using System.Xml.Serialization;

namespace PaymentGateway.Contracts.PaForNode;

// Hand-written XmlSerializer classes for the complex types of paForNode.xsd and sac-common-types-1.0.xsd.
//
// Rules every class here follows, so that what XmlSerializer writes is valid against the vendored XSD:
// - every child element is unqualified (Form = Unqualified): only the root elements carry the paForNode namespace;
// - Order mirrors the xsd:sequence exactly (XmlSerializer writes members in Order);
// - an optional element of a reference type is omitted when null; an optional value-type element has an
//   XxxSpecified companion (XmlSerializer's convention), false = omitted;
// - amounts (stAmount, stAmountNotZero) are strings in the XSD's lexical form "\d+\.\d{2}" (e.g. "210.00"): money is
//   never double or decimal in this codebase; Core's EuroCents.ToXsdAmount/ParseXsdAmount convert at the edge;
// - dates (stISODate, xsd:date) are strings "yyyy-MM-dd" and date-times (stISODateTime, xsd:dateTime) strings as
//   received, so a value round-trips byte for byte (XmlSerializer's DateTime handling would add or drop offsets);
// - an xsd:choice is two nullable members in the choice's position: set exactly one.
// Facets (lengths, patterns) are not enforced by these classes; validate against PaForNodeSchemas.SchemaSet.

/// <summary>stOutcome: the result of a paForNode call.</summary>
[XmlType("stOutcome", Namespace = PaForNodeSchemas.CommonTypesNamespace)]
public enum StOutcome
{
    /// <summary>The call succeeded.</summary>
    OK,

    /// <summary>The call failed: the response carries a <see cref="CtFaultBean"/>.</summary>
    KO,
}

/// <summary>stAmountOption: how the amount of a payment option may be paid (the gateway only ever answers EQ).</summary>
[XmlType("stAmountOption", Namespace = PaForNodeSchemas.Namespace)]
public enum StAmountOption
{
    /// <summary>Exactly the amount.</summary>
    EQ,

    /// <summary>Less than the amount.</summary>
    LS,

    /// <summary>Greater than the amount.</summary>
    GT,

    /// <summary>Any amount.</summary>
    ANY,
}

/// <summary>stTransferType: the kind of transfer the PSP asks for in paGetPayment[V2].</summary>
[XmlType("stTransferType", Namespace = PaForNodeSchemas.Namespace)]
public enum StTransferType
{
    /// <summary>The PSP is Poste Italiane: a postal IBAN is wanted where the creditor has one.</summary>
    POSTAL,

    /// <summary>A pagoPA payment.</summary>
    PAGOPA,
}

/// <summary>stEntityUniqueIdentifierType: natural (F) or legal (G) person.</summary>
[XmlType("stEntityUniqueIdentifierType", Namespace = PaForNodeSchemas.Namespace)]
public enum StEntityUniqueIdentifierType
{
    /// <summary>Persona fisica: the value is a personal fiscal code.</summary>
    F,

    /// <summary>Persona giuridica: the value is a company fiscal code / VAT number.</summary>
    G,
}

/// <summary>ctFaultBean: why a call answered <c>outcome=KO</c> (faultCode is a PAA_* code).</summary>
[XmlType("ctFaultBean", Namespace = PaForNodeSchemas.CommonTypesNamespace)]
public sealed class CtFaultBean
{
    /// <summary>faultCode, e.g. PAA_PAGAMENTO_SCONOSCIUTO.</summary>
    [XmlElement("faultCode", Form = XmlSchemaForm.Unqualified, Order = 0)]
    public string FaultCode { get; set; } = "";

    /// <summary>faultString: the short standard text of the code.</summary>
    [XmlElement("faultString", Form = XmlSchemaForm.Unqualified, Order = 1)]
    public string FaultString { get; set; } = "";

    /// <summary>id: who raised the fault (the broker's or EC's fiscal code).</summary>
    [XmlElement("id", Form = XmlSchemaForm.Unqualified, Order = 2)]
    public string Id { get; set; } = "";

    /// <summary>description: free text detail (optional).</summary>
    [XmlElement("description", Form = XmlSchemaForm.Unqualified, Order = 3)]
    public string? Description { get; set; }

    /// <summary>serial (optional; see <see cref="SerialSpecified"/>).</summary>
    [XmlElement("serial", Form = XmlSchemaForm.Unqualified, Order = 4)]
    public int Serial { get; set; }

    /// <summary>Whether <see cref="Serial"/> is present.</summary>
    [XmlIgnore]
    public bool SerialSpecified { get; set; }

    /// <summary>originalFaultCode (optional).</summary>
    [XmlElement("originalFaultCode", Form = XmlSchemaForm.Unqualified, Order = 5)]
    public string? OriginalFaultCode { get; set; }

    /// <summary>originalFaultString (optional).</summary>
    [XmlElement("originalFaultString", Form = XmlSchemaForm.Unqualified, Order = 6)]
    public string? OriginalFaultString { get; set; }

    /// <summary>originalDescription (optional).</summary>
    [XmlElement("originalDescription", Form = XmlSchemaForm.Unqualified, Order = 7)]
    public string? OriginalDescription { get; set; }
}

/// <summary>
/// ctResponse: the base of every paForNode response — <c>outcome</c>, then <c>fault</c> when KO. XmlSerializer writes
/// base-class members before the derived ones, which is the order of the XSD's extension.
/// </summary>
[XmlType("ctResponse", Namespace = PaForNodeSchemas.CommonTypesNamespace)]
public abstract class CtResponse
{
    /// <summary>outcome.</summary>
    [XmlElement("outcome", Form = XmlSchemaForm.Unqualified, Order = 0)]
    public StOutcome Outcome { get; set; }

    /// <summary>fault: present when <see cref="Outcome"/> is KO.</summary>
    [XmlElement("fault", Form = XmlSchemaForm.Unqualified, Order = 1)]
    public CtFaultBean? Fault { get; set; }
}

/// <summary>ctMapEntry: one key/value pair of a ctMetadata list.</summary>
[XmlType("ctMapEntry", Namespace = PaForNodeSchemas.CommonTypesNamespace)]
public sealed class CtMapEntry
{
    /// <summary>key (stText140).</summary>
    [XmlElement("key", Form = XmlSchemaForm.Unqualified, Order = 0)]
    public string Key { get; set; } = "";

    /// <summary>value (stText140).</summary>
    [XmlElement("value", Form = XmlSchemaForm.Unqualified, Order = 1)]
    public string Value { get; set; } = "";
}

/// <summary>
/// ctMetadata: 1..15 <c>mapEntry</c>. Members of this type are optional: leave them null rather than empty (an empty
/// <c>metadata</c> element is not valid).
/// </summary>
[XmlType("ctMetadata", Namespace = PaForNodeSchemas.CommonTypesNamespace)]
public sealed class CtMetadata
{
    /// <summary>mapEntry, 1..15.</summary>
    [XmlElement("mapEntry", Form = XmlSchemaForm.Unqualified, Order = 0)]
    public CtMapEntry[] MapEntry { get; set; } = [];
}

/// <summary>ctRichiestaMarcaDaBollo: a digital stamp (marca da bollo digitale) the PSP must sell with the payment.</summary>
[XmlType("ctRichiestaMarcaDaBollo", Namespace = PaForNodeSchemas.CommonTypesNamespace)]
public sealed class CtRichiestaMarcaDaBollo
{
    /// <summary>hashDocumento: base64 of the SHA-256 of the stamped document, kept in its lexical form (stBase64Binary72).</summary>
    [XmlElement("hashDocumento", Form = XmlSchemaForm.Unqualified, Order = 0)]
    public string HashDocumento { get; set; } = "";

    /// <summary>tipoBollo: "01" (the only stTipoBolloDigitale).</summary>
    [XmlElement("tipoBollo", Form = XmlSchemaForm.Unqualified, Order = 1)]
    public string TipoBollo { get; set; } = "01";

    /// <summary>provinciaResidenza: two upper-case letters (stNazioneProvincia).</summary>
    [XmlElement("provinciaResidenza", Form = XmlSchemaForm.Unqualified, Order = 2)]
    public string ProvinciaResidenza { get; set; } = "";
}

/// <summary>ctQrCode: the creditor and notice number printed on the payment notice.</summary>
[XmlType("ctQrCode", Namespace = PaForNodeSchemas.Namespace)]
public sealed class CtQrCode
{
    /// <summary>fiscalCode: the creditor's 11-digit fiscal code (stFiscalCodePA).</summary>
    [XmlElement("fiscalCode", Form = XmlSchemaForm.Unqualified, Order = 0)]
    public string FiscalCode { get; set; } = "";

    /// <summary>noticeNumber: 18 digits (stNoticeNumber).</summary>
    [XmlElement("noticeNumber", Form = XmlSchemaForm.Unqualified, Order = 1)]
    public string NoticeNumber { get; set; } = "";
}

/// <summary>ctEntityUniqueIdentifier: a person's type and fiscal code.</summary>
[XmlType("ctEntityUniqueIdentifier", Namespace = PaForNodeSchemas.Namespace)]
public sealed class CtEntityUniqueIdentifier
{
    /// <summary>entityUniqueIdentifierType: F or G.</summary>
    [XmlElement("entityUniqueIdentifierType", Form = XmlSchemaForm.Unqualified, Order = 0)]
    public StEntityUniqueIdentifierType EntityUniqueIdentifierType { get; set; }

    /// <summary>entityUniqueIdentifierValue: the fiscal code (2..16 characters).</summary>
    [XmlElement("entityUniqueIdentifierValue", Form = XmlSchemaForm.Unqualified, Order = 1)]
    public string EntityUniqueIdentifierValue { get; set; } = "";
}

/// <summary>ctSubject: a debtor or payer.</summary>
[XmlType("ctSubject", Namespace = PaForNodeSchemas.Namespace)]
public sealed class CtSubject
{
    /// <summary>uniqueIdentifier.</summary>
    [XmlElement("uniqueIdentifier", Form = XmlSchemaForm.Unqualified, Order = 0)]
    public CtEntityUniqueIdentifier UniqueIdentifier { get; set; } = new();

    /// <summary>fullName (stText70).</summary>
    [XmlElement("fullName", Form = XmlSchemaForm.Unqualified, Order = 1)]
    public string FullName { get; set; } = "";

    /// <summary>streetName (optional).</summary>
    [XmlElement("streetName", Form = XmlSchemaForm.Unqualified, Order = 2)]
    public string? StreetName { get; set; }

    /// <summary>civicNumber (optional).</summary>
    [XmlElement("civicNumber", Form = XmlSchemaForm.Unqualified, Order = 3)]
    public string? CivicNumber { get; set; }

    /// <summary>postalCode (optional).</summary>
    [XmlElement("postalCode", Form = XmlSchemaForm.Unqualified, Order = 4)]
    public string? PostalCode { get; set; }

    /// <summary>city (optional).</summary>
    [XmlElement("city", Form = XmlSchemaForm.Unqualified, Order = 5)]
    public string? City { get; set; }

    /// <summary>stateProvinceRegion (optional).</summary>
    [XmlElement("stateProvinceRegion", Form = XmlSchemaForm.Unqualified, Order = 6)]
    public string? StateProvinceRegion { get; set; }

    /// <summary>country: two upper-case letters (optional).</summary>
    [XmlElement("country", Form = XmlSchemaForm.Unqualified, Order = 7)]
    public string? Country { get; set; }

    /// <summary>e-mail (optional).</summary>
    [XmlElement("e-mail", Form = XmlSchemaForm.Unqualified, Order = 8)]
    public string? EMail { get; set; }
}

/// <summary>ctPaymentOptionDescriptionPA: the payment option a verify (or demand) answers with.</summary>
[XmlType("ctPaymentOptionDescriptionPA", Namespace = PaForNodeSchemas.Namespace)]
public sealed class CtPaymentOptionDescriptionPA
{
    /// <summary>amount: stAmountNotZero as text, e.g. "210.00".</summary>
    [XmlElement("amount", Form = XmlSchemaForm.Unqualified, Order = 0)]
    public string Amount { get; set; } = "";

    /// <summary>options.</summary>
    [XmlElement("options", Form = XmlSchemaForm.Unqualified, Order = 1)]
    public StAmountOption Options { get; set; }

    /// <summary>dueDate: "yyyy-MM-dd" (optional).</summary>
    [XmlElement("dueDate", Form = XmlSchemaForm.Unqualified, Order = 2)]
    public string? DueDate { get; set; }

    /// <summary>detailDescription (optional).</summary>
    [XmlElement("detailDescription", Form = XmlSchemaForm.Unqualified, Order = 3)]
    public string? DetailDescription { get; set; }

    /// <summary>allCCP: whether every transfer can be credited to a postal account.</summary>
    [XmlElement("allCCP", Form = XmlSchemaForm.Unqualified, Order = 4)]
    public bool AllCcp { get; set; }
}

/// <summary>ctTransferPA: one transfer of a paGetPayment answer or a paSendRT receipt.</summary>
[XmlType("ctTransferPA", Namespace = PaForNodeSchemas.Namespace)]
public sealed class CtTransferPA
{
    /// <summary>idTransfer: 1..5.</summary>
    [XmlElement("idTransfer", Form = XmlSchemaForm.Unqualified, Order = 0)]
    public int IdTransfer { get; set; }

    /// <summary>transferAmount: stAmountNotZero as text.</summary>
    [XmlElement("transferAmount", Form = XmlSchemaForm.Unqualified, Order = 1)]
    public string TransferAmount { get; set; } = "";

    /// <summary>fiscalCodePA: the beneficiary creditor.</summary>
    [XmlElement("fiscalCodePA", Form = XmlSchemaForm.Unqualified, Order = 2)]
    public string FiscalCodePA { get; set; } = "";

    /// <summary>IBAN credited.</summary>
    [XmlElement("IBAN", Form = XmlSchemaForm.Unqualified, Order = 3)]
    public string Iban { get; set; } = "";

    /// <summary>remittanceInformation (causale).</summary>
    [XmlElement("remittanceInformation", Form = XmlSchemaForm.Unqualified, Order = 4)]
    public string RemittanceInformation { get; set; } = "";

    /// <summary>transferCategory (tassonomia), e.g. "9/0201102IM/".</summary>
    [XmlElement("transferCategory", Form = XmlSchemaForm.Unqualified, Order = 5)]
    public string TransferCategory { get; set; } = "";

    /// <summary>metadata (optional).</summary>
    [XmlElement("metadata", Form = XmlSchemaForm.Unqualified, Order = 6)]
    public CtMetadata? Metadata { get; set; }
}

/// <summary>ctTransferPAV2: one transfer of a paGetPaymentV2 answer; exactly one of IBAN and richiestaMarcaDaBollo.</summary>
[XmlType("ctTransferPAV2", Namespace = PaForNodeSchemas.Namespace)]
public sealed class CtTransferPAV2
{
    /// <summary>idTransfer: 1..5.</summary>
    [XmlElement("idTransfer", Form = XmlSchemaForm.Unqualified, Order = 0)]
    public int IdTransfer { get; set; }

    /// <summary>transferAmount: stAmountNotZero as text.</summary>
    [XmlElement("transferAmount", Form = XmlSchemaForm.Unqualified, Order = 1)]
    public string TransferAmount { get; set; } = "";

    /// <summary>fiscalCodePA: the beneficiary creditor.</summary>
    [XmlElement("fiscalCodePA", Form = XmlSchemaForm.Unqualified, Order = 2)]
    public string FiscalCodePA { get; set; } = "";

    /// <summary>companyName of the beneficiary (optional).</summary>
    [XmlElement("companyName", Form = XmlSchemaForm.Unqualified, Order = 3)]
    public string? CompanyName { get; set; }

    /// <summary>IBAN credited (choice with <see cref="RichiestaMarcaDaBollo"/>).</summary>
    [XmlElement("IBAN", Form = XmlSchemaForm.Unqualified, Order = 4)]
    public string? Iban { get; set; }

    /// <summary>richiestaMarcaDaBollo: a digital stamp instead of an IBAN (choice with <see cref="Iban"/>).</summary>
    [XmlElement("richiestaMarcaDaBollo", Form = XmlSchemaForm.Unqualified, Order = 5)]
    public CtRichiestaMarcaDaBollo? RichiestaMarcaDaBollo { get; set; }

    /// <summary>remittanceInformation (causale).</summary>
    [XmlElement("remittanceInformation", Form = XmlSchemaForm.Unqualified, Order = 6)]
    public string RemittanceInformation { get; set; } = "";

    /// <summary>transferCategory (tassonomia).</summary>
    [XmlElement("transferCategory", Form = XmlSchemaForm.Unqualified, Order = 7)]
    public string TransferCategory { get; set; } = "";

    /// <summary>metadata (optional).</summary>
    [XmlElement("metadata", Form = XmlSchemaForm.Unqualified, Order = 8)]
    public CtMetadata? Metadata { get; set; }
}

/// <summary>ctTransferPAReceiptV2: one transfer of a paSendRTV2 receipt; exactly one of IBAN and MBDAttachment.</summary>
[XmlType("ctTransferPAReceiptV2", Namespace = PaForNodeSchemas.Namespace)]
public sealed class CtTransferPAReceiptV2
{
    /// <summary>idTransfer: 1..5.</summary>
    [XmlElement("idTransfer", Form = XmlSchemaForm.Unqualified, Order = 0)]
    public int IdTransfer { get; set; }

    /// <summary>transferAmount: stAmountNotZero as text.</summary>
    [XmlElement("transferAmount", Form = XmlSchemaForm.Unqualified, Order = 1)]
    public string TransferAmount { get; set; } = "";

    /// <summary>fiscalCodePA: the beneficiary creditor.</summary>
    [XmlElement("fiscalCodePA", Form = XmlSchemaForm.Unqualified, Order = 2)]
    public string FiscalCodePA { get; set; } = "";

    /// <summary>companyName of the beneficiary (optional).</summary>
    [XmlElement("companyName", Form = XmlSchemaForm.Unqualified, Order = 3)]
    public string? CompanyName { get; set; }

    /// <summary>IBAN credited (choice with <see cref="MbdAttachment"/>).</summary>
    [XmlElement("IBAN", Form = XmlSchemaForm.Unqualified, Order = 4)]
    public string? Iban { get; set; }

    /// <summary>MBDAttachment: the digital stamp document sold by the PSP (choice with <see cref="Iban"/>).</summary>
    [XmlElement("MBDAttachment", Form = XmlSchemaForm.Unqualified, DataType = "base64Binary", Order = 5)]
    public byte[]? MbdAttachment { get; set; }

    /// <summary>remittanceInformation (causale).</summary>
    [XmlElement("remittanceInformation", Form = XmlSchemaForm.Unqualified, Order = 6)]
    public string RemittanceInformation { get; set; } = "";

    /// <summary>transferCategory (tassonomia).</summary>
    [XmlElement("transferCategory", Form = XmlSchemaForm.Unqualified, Order = 7)]
    public string TransferCategory { get; set; } = "";

    /// <summary>metadata (optional).</summary>
    [XmlElement("metadata", Form = XmlSchemaForm.Unqualified, Order = 8)]
    public CtMetadata? Metadata { get; set; }
}

/// <summary>ctPaymentPA: the payment data of a paGetPayment answer.</summary>
[XmlType("ctPaymentPA", Namespace = PaForNodeSchemas.Namespace)]
public sealed class CtPaymentPA
{
    /// <summary>creditorReferenceId: the IUV.</summary>
    [XmlElement("creditorReferenceId", Form = XmlSchemaForm.Unqualified, Order = 0)]
    public string CreditorReferenceId { get; set; } = "";

    /// <summary>paymentAmount: stAmountNotZero as text; equals the sum of the transfers.</summary>
    [XmlElement("paymentAmount", Form = XmlSchemaForm.Unqualified, Order = 1)]
    public string PaymentAmount { get; set; } = "";

    /// <summary>dueDate: "yyyy-MM-dd".</summary>
    [XmlElement("dueDate", Form = XmlSchemaForm.Unqualified, Order = 2)]
    public string DueDate { get; set; } = "";

    /// <summary>retentionDate: xsd:dateTime text (optional).</summary>
    [XmlElement("retentionDate", Form = XmlSchemaForm.Unqualified, Order = 3)]
    public string? RetentionDate { get; set; }

    /// <summary>lastPayment (optional; see <see cref="LastPaymentSpecified"/>).</summary>
    [XmlElement("lastPayment", Form = XmlSchemaForm.Unqualified, Order = 4)]
    public bool LastPayment { get; set; }

    /// <summary>Whether <see cref="LastPayment"/> is present.</summary>
    [XmlIgnore]
    public bool LastPaymentSpecified { get; set; }

    /// <summary>description.</summary>
    [XmlElement("description", Form = XmlSchemaForm.Unqualified, Order = 5)]
    public string Description { get; set; } = "";

    /// <summary>companyName (optional in V1).</summary>
    [XmlElement("companyName", Form = XmlSchemaForm.Unqualified, Order = 6)]
    public string? CompanyName { get; set; }

    /// <summary>officeName (optional).</summary>
    [XmlElement("officeName", Form = XmlSchemaForm.Unqualified, Order = 7)]
    public string? OfficeName { get; set; }

    /// <summary>debtor.</summary>
    [XmlElement("debtor", Form = XmlSchemaForm.Unqualified, Order = 8)]
    public CtSubject Debtor { get; set; } = new();

    /// <summary>transferList: 1..5 transfers.</summary>
    [XmlArray("transferList", Form = XmlSchemaForm.Unqualified, Order = 9)]
    [XmlArrayItem("transfer", Form = XmlSchemaForm.Unqualified)]
    public CtTransferPA[] TransferList { get; set; } = [];

    /// <summary>metadata (optional).</summary>
    [XmlElement("metadata", Form = XmlSchemaForm.Unqualified, Order = 10)]
    public CtMetadata? Metadata { get; set; }
}

/// <summary>ctPaymentPAV2: the payment data of a paGetPaymentV2 answer.</summary>
[XmlType("ctPaymentPAV2", Namespace = PaForNodeSchemas.Namespace)]
public sealed class CtPaymentPAV2
{
    /// <summary>creditorReferenceId: the IUV.</summary>
    [XmlElement("creditorReferenceId", Form = XmlSchemaForm.Unqualified, Order = 0)]
    public string CreditorReferenceId { get; set; } = "";

    /// <summary>paymentAmount: stAmountNotZero as text; equals the sum of the transfers.</summary>
    [XmlElement("paymentAmount", Form = XmlSchemaForm.Unqualified, Order = 1)]
    public string PaymentAmount { get; set; } = "";

    /// <summary>dueDate: "yyyy-MM-dd".</summary>
    [XmlElement("dueDate", Form = XmlSchemaForm.Unqualified, Order = 2)]
    public string DueDate { get; set; } = "";

    /// <summary>retentionDate: xsd:dateTime text (optional).</summary>
    [XmlElement("retentionDate", Form = XmlSchemaForm.Unqualified, Order = 3)]
    public string? RetentionDate { get; set; }

    /// <summary>lastPayment (optional; see <see cref="LastPaymentSpecified"/>).</summary>
    [XmlElement("lastPayment", Form = XmlSchemaForm.Unqualified, Order = 4)]
    public bool LastPayment { get; set; }

    /// <summary>Whether <see cref="LastPayment"/> is present.</summary>
    [XmlIgnore]
    public bool LastPaymentSpecified { get; set; }

    /// <summary>description.</summary>
    [XmlElement("description", Form = XmlSchemaForm.Unqualified, Order = 5)]
    public string Description { get; set; } = "";

    /// <summary>companyName (required in V2).</summary>
    [XmlElement("companyName", Form = XmlSchemaForm.Unqualified, Order = 6)]
    public string CompanyName { get; set; } = "";

    /// <summary>officeName (optional).</summary>
    [XmlElement("officeName", Form = XmlSchemaForm.Unqualified, Order = 7)]
    public string? OfficeName { get; set; }

    /// <summary>debtor.</summary>
    [XmlElement("debtor", Form = XmlSchemaForm.Unqualified, Order = 8)]
    public CtSubject Debtor { get; set; } = new();

    /// <summary>transferList: 1..5 transfers.</summary>
    [XmlArray("transferList", Form = XmlSchemaForm.Unqualified, Order = 9)]
    [XmlArrayItem("transfer", Form = XmlSchemaForm.Unqualified)]
    public CtTransferPAV2[] TransferList { get; set; } = [];

    /// <summary>metadata (optional).</summary>
    [XmlElement("metadata", Form = XmlSchemaForm.Unqualified, Order = 10)]
    public CtMetadata? Metadata { get; set; }
}
