using System.Xml;
using PaymentGateway.Core.Outcomes;

namespace PaymentGateway.Gateway.Soap.VerifyPaymentNotice;

/// <summary>
/// paVerifyPaymentNotice: tells the Node (and through it the PSP) whether a notice can be paid and for how much.
/// Read-only: nothing is locked or written. The amount is always the option's current amount.
/// </summary>
internal sealed class VerifyPaymentNoticeHandler(NoticeLookup lookup)
{
    public async Task<NodeOutcome<Action<XmlWriter>>> HandleAsync(SoapRequest request, CancellationToken cancellationToken)
    {
        var found = await lookup.FindVerifiableAsync(request, cancellationToken);
        if (!found.IsOk)
        {
            return found.Fault;
        }
        var (option, creditor) = found.Value;
        return new Action<XmlWriter>(w =>
        {
            w.WriteStartElement("paymentList");
            w.WriteStartElement("paymentOptionDescription");
            w.Amount("amount", option.Amount);
            // The platform only supports EQ today: the PSP must collect exactly this amount.
            w.WriteElementString("options", "EQ");
            w.Date("dueDate", option.DueDate);
            w.OptionalText("detailDescription", option.Description, 140);
            w.Boolean("allCCP", option.AllPostal);
            w.WriteEndElement();
            w.WriteEndElement();
            // Optional in the XSD but required by the Node on OK (SANP): description, EC fiscal code and name.
            w.WriteElementString("paymentDescription", option.Description);
            w.WriteElementString("fiscalCodePA", creditor.FiscalCode.ToString());
            w.WriteElementString("companyName", creditor.Name);
            w.OptionalText("officeName", creditor.OfficeName, 140);
        });
    }
}
