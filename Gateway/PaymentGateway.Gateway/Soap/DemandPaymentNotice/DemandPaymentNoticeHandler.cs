using System.Xml;
using System.Xml.Linq;
using PaymentGateway.Core;
using PaymentGateway.Core.Outcomes;
using PaymentGateway.Core.Positions;
using PaymentGateway.Persistence.Creditors;
using PaymentGateway.Persistence.Positions;

namespace PaymentGateway.Gateway.Soap.DemandPaymentNotice;

/// <summary>
/// paDemandPaymentNotice: a citizen asks (through a PSP) to pay a spontaneous service; we issue a notice on the fly
/// and answer with its number and amount. The service-specific data (<c>datiSpecificiServizioRequest</c>, base64 XML)
/// identifies the payer:
/// <code>
/// &lt;datiSpecificiServizio&gt;
///   &lt;tipoIdentificativo&gt;F&lt;/tipoIdentificativo&gt;          F = person, G = legal entity
///   &lt;codiceIdentificativo&gt;RSSMRA85T10A562S&lt;/codiceIdentificativo&gt;
///   &lt;anagrafica&gt;MARIO ROSSI&lt;/anagrafica&gt;
/// &lt;/datiSpecificiServizio&gt;
/// </code>
/// </summary>
internal sealed class DemandPaymentNoticeHandler(SpontaneousServiceStore services, IuvCounterStore iuvs, PositionBulkWriter writer,
    StationDirectory directory, TimeProvider time)
{
    public async Task<NodeOutcome<Action<XmlWriter>>> HandleAsync(SoapRequest request, CancellationToken cancellationToken)
    {
        var creditor = OrganizationFiscalCode.Parse(request.Child("idPA")!); // the station check accepted it, so it is one of ours
        var serviceId = request.Child("idServizio")!;
        if (await services.FindAsync(creditor, serviceId, cancellationToken) is not { } found)
        {
            return new PaaFault(PaaFaultCode.Semantica, $"service {serviceId} is not offered by {creditor}");
        }
        var payer = ReadPayer(request.Child("datiSpecificiServizioRequest")!);
        if (!payer.IsOk)
        {
            return payer.Fault;
        }
        var (service, segregation) = found;
        var iuvBase = await iuvs.ReserveAsync(creditor, segregation, 1, cancellationToken);
        var notice = NoticeNumber.Create(segregation, iuvBase);
        var due = RomeCalendar.Today(time).AddDays(service.DueInDays);
        var transfer = new Transfer(1, creditor, new BankAccount(service.Iban), service.Amount, service.Taxonomy, service.Description);
        var option = PaymentOption.Create(notice, service.Amount, due, service.Description, null, [transfer]);
        if (!option.IsSuccess)
        {
            throw new InvalidOperationException($"spontaneous service {serviceId} is misconfigured: {string.Join("; ", option.Errors)}");
        }
        var position = DebtPosition.Create(creditor, $"{serviceId}-{notice.Iuv}", payer.Value.Id, payer.Value.Name, service.Description, [option.Value]);
        if (!position.IsSuccess)
        {
            return new PaaFault(PaaFaultCode.SintassiExtraXsd, string.Join("; ", position.Errors.Select(e => e.Message)));
        }
        await writer.WriteAsync([position.Value], null, serviceId, cancellationToken);
        var companyName = (await directory.CreditorAsync(creditor, cancellationToken))?.Name
            ?? throw new InvalidOperationException($"creditor {creditor} left the station directory during the call");

        return new Action<XmlWriter>(w =>
        {
            w.WriteStartElement("qrCode");
            w.WriteElementString("fiscalCode", creditor.ToString());
            w.WriteElementString("noticeNumber", notice.ToString());
            w.WriteEndElement();
            w.WriteStartElement("paymentList");
            w.WriteStartElement("paymentOptionDescription");
            w.Amount("amount", service.Amount);
            w.WriteElementString("options", "EQ");
            w.Date("dueDate", due);
            w.OptionalText("detailDescription", service.Description, 140);
            w.Boolean("allCCP", option.Value.AllPostal);
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteElementString("paymentDescription", service.Description);
            w.WriteElementString("fiscalCodePA", creditor.ToString());
            w.WriteElementString("companyName", companyName);
        });
    }

    /// <summary>The payer from the service data, or PAA_SINTASSI_EXTRAXSD saying what is wrong.</summary>
    internal static NodeOutcome<(DebtorIdentifier Id, string Name)> ReadPayer(string base64)
    {
        XElement data;
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 64 * 1024 };
            using var reader = XmlReader.Create(new MemoryStream(Convert.FromBase64String(base64)), settings);
            data = XElement.Load(reader);
        }
        catch (Exception e) when (e is XmlException or FormatException)
        {
            return new PaaFault(PaaFaultCode.SintassiExtraXsd, $"datiSpecificiServizioRequest is not base64 XML: {e.Message}");
        }
        var type = data.Element("tipoIdentificativo")?.Value;
        var name = data.Element("anagrafica")?.Value.Trim();
        if (type is not ("F" or "G"))
        {
            return new PaaFault(PaaFaultCode.SintassiExtraXsd, "datiSpecificiServizio/tipoIdentificativo must be F or G");
        }
        if (!DebtorIdentifier.TryCreate((EntityType)type[0], data.Element("codiceIdentificativo")?.Value, out var id, out var error))
        {
            return new PaaFault(PaaFaultCode.SintassiExtraXsd, $"datiSpecificiServizio/codiceIdentificativo: {error}");
        }
        if (string.IsNullOrEmpty(name) || name.Length > 70)
        {
            return new PaaFault(PaaFaultCode.SintassiExtraXsd, "datiSpecificiServizio/anagrafica must be 1 to 70 characters");
        }
        return (id, name);
    }
}
