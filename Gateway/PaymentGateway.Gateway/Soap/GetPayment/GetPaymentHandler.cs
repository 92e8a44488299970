using System.Xml;
using PaymentGateway.Core;
using PaymentGateway.Core.Outcomes;
using PaymentGateway.Core.Positions;
using PaymentGateway.Persistence.Node;
using PaymentGateway.Persistence.Positions;

namespace PaymentGateway.Gateway.Soap.GetPayment;

/// <summary>
/// paGetPayment / paGetPaymentV2 (activation): returns the payment data with its transfers so the Node can take the
/// payment. The position stays open — the Node itself prevents concurrent payments of one notice, and a token may
/// expire and the notice be activated again — so nothing is locked; the attempt is journaled in the background.
/// </summary>
internal sealed partial class GetPaymentHandler(NoticeLookup lookup, PositionReader positions, NodeCallJournal journal, TimeProvider time)
{
    /// <summary>Metadata key of the "conto di appoggio" (alternative postal account) per SANP.</summary>
    public const string PostalAlternativeKey = "IBANAPPOGGIO";

    public async Task<NodeOutcome<Action<XmlWriter>>> HandleAsync(SoapRequest request, bool v2, CancellationToken cancellationToken)
    {
        var found = await lookup.FindPayableAsync(request, cancellationToken);
        var transferType = request.Child("transferType");
        NodeOutcome<Action<XmlWriter>> answer;
        long? optionId = null;
        long? amount = null;
        if (!found.IsOk)
        {
            answer = found.Fault;
        }
        else
        {
            var notice = found.Value;
            var option = notice.Option;
            optionId = notice.OptionId;
            amount = option.Amount.Cents;
            // Postal alternatives only matter for POSTAL / PAGOPA: the common case costs no extra query.
            var postal = transferType is null
                ? new Dictionary<OrganizationFiscalCode, Iban>()
                : await positions.FindPostalIbansAsync(option.Transfers.Select(t => t.Beneficiary), cancellationToken);
            var transfers = BuildTransfers(option, postal, transferType, v2);
            answer = transfers.IsOk ? Write(notice, transfers.Value) : transfers.Fault;
        }
        // Journaled in the background with the node calls (see NodeCallJournal): no commit on the Node's clock.
        journal.Record(new PaymentAttemptRecord(request.Child("idPA")!, request.Payload.Element("qrCode")!.Element("noticeNumber")!.Value, optionId,
            request.Child("idStation")!, request.Operation.Name, transferType, amount, answer.IsOk ? "OK" : "KO",
            answer.IsOk ? null : answer.Fault.FaultCode, time.GetUtcNow()));
        return answer;
    }

    /// <summary>The transfers as they must be sent for <paramref name="transferType"/> (SANP best practice for EC).</summary>
    internal static NodeOutcome<IReadOnlyList<OutgoingTransfer>> BuildTransfers(PaymentOption option, IReadOnlyDictionary<OrganizationFiscalCode, Iban> postalIbans, string? transferType, bool v2)
    {
        var result = new List<OutgoingTransfer>(option.Transfers.Count);
        foreach (var t in option.Transfers)
        {
            var metadata = (t.Metadata ?? []).ToList();
            string? iban;
            DigitalStamp? stamp = null;
            switch (t.Account)
            {
                case DigitalStamp when !v2:
                    return new PaaFault(PaaFaultCode.Semantica, "a digital stamp (marca da bollo) can only be paid through paGetPaymentV2");
                case DigitalStamp s:
                    stamp = s;
                    iban = null;
                    break;
                case PostalAccount p:
                    iban = p.Iban.ToString();
                    break;
                case BankAccount b:
                    iban = b.Iban.ToString();
                    var alternative = metadata.FirstOrDefault(m => m.Key == PostalAlternativeKey).Value
                        ?? (postalIbans.TryGetValue(t.Beneficiary, out var registered) ? registered.ToString() : null);
                    if (transferType == "POSTAL" && t.Index == 1)
                    {
                        // Paid at Poste: the first transfer must credit a postal account.
                        iban = alternative;
                        if (iban is null)
                        {
                            return new PaaFault(PaaFaultCode.Semantica, $"transferType POSTAL but {t.Beneficiary} has no postal account");
                        }
                    }
                    else if (transferType == "PAGOPA" && alternative is not null && metadata.All(m => m.Key != PostalAlternativeKey) && metadata.Count < 15)
                    {
                        // Other channels: the postal alternative travels as IBANAPPOGGIO metadata.
                        metadata.Add(new(PostalAlternativeKey, alternative));
                    }
                    break;
                default:
                    throw new InvalidOperationException($"unknown account {t.Account.GetType().Name}");
            }
            result.Add(new OutgoingTransfer(t, iban, stamp, metadata));
        }
        return result;
    }

    // V1 and V2 share this shape for everything we emit: V2 only adds stamps (rejected above for V1).
    private static Action<XmlWriter> Write(PayableNotice notice, IReadOnlyList<OutgoingTransfer> transfers) => w =>
    {
        var option = notice.Option;
        w.WriteStartElement("data");
        w.WriteElementString("creditorReferenceId", option.Iuv.ToString());
        // Σ transfers = paymentAmount is a PaymentOption invariant; the Node checks it too.
        w.Amount("paymentAmount", option.Amount);
        w.Date("dueDate", option.DueDate);
        w.WriteElementString("description", option.Description);
        w.WriteElementString("companyName", notice.Creditor.Name);
        w.OptionalText("officeName", notice.Creditor.OfficeName, 140);
        w.WriteStartElement("debtor");
        w.WriteStartElement("uniqueIdentifier");
        w.WriteElementString("entityUniqueIdentifierType", ((char)notice.Debtor.Type).ToString());
        w.WriteElementString("entityUniqueIdentifierValue", notice.Debtor.Value);
        w.WriteEndElement();
        w.WriteElementString("fullName", notice.DebtorName);
        if (notice.DebtorEmail is { } email && EmailPattern().IsMatch(email))
        {
            w.WriteElementString("e-mail", email);
        }
        w.WriteEndElement();
        w.WriteStartElement("transferList");
        foreach (var t in transfers)
        {
            w.WriteStartElement("transfer");
            w.WriteElementString("idTransfer", t.Transfer.Index.ToString(System.Globalization.CultureInfo.InvariantCulture));
            w.Amount("transferAmount", t.Transfer.Amount);
            w.WriteElementString("fiscalCodePA", t.Transfer.Beneficiary.ToString());
            if (t.Stamp is { } stamp)
            {
                w.WriteStartElement("richiestaMarcaDaBollo");
                w.WriteElementString("hashDocumento", stamp.DocumentHashBase64);
                w.WriteElementString("tipoBollo", stamp.StampType);
                w.WriteElementString("provinciaResidenza", stamp.Province);
                w.WriteEndElement();
            }
            else
            {
                w.WriteElementString("IBAN", t.Iban);
            }
            w.WriteElementString("remittanceInformation", t.Transfer.RemittanceInformation);
            w.WriteElementString("transferCategory", t.Transfer.Category.ToString());
            w.Metadata(t.Metadata);
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
    };

    [System.Text.RegularExpressions.GeneratedRegex(@"^[a-zA-Z0-9_\.\+\-]+@[a-zA-Z0-9\-]+(\.[a-zA-Z0-9\-]+)*$")]
    private static partial System.Text.RegularExpressions.Regex EmailPattern();
}

/// <summary>A transfer as sent in the activation answer.</summary>
internal sealed record OutgoingTransfer(Transfer Transfer, string? Iban, DigitalStamp? Stamp, IReadOnlyList<KeyValuePair<string, string>> Metadata);
