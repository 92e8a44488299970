using PaymentGateway.Core;
using PaymentGateway.Core.Outcomes;
using PaymentGateway.Core.Positions;
using PaymentGateway.Persistence.Positions;

namespace PaymentGateway.Gateway.Soap;

/// <summary>The shared first half of verify and activate: find the notice and decide whether it can be paid now.</summary>
internal sealed class NoticeLookup(PositionReader positions, TimeProvider time)
{
    /// <summary>The notice for the request's qrCode, or the PAA fault the Node must get.</summary>
    public async Task<NodeOutcome<PayableNotice>> FindPayableAsync(SoapRequest request, CancellationToken cancellationToken)
    {
        var qrCode = request.Payload.Element("qrCode");
        var fiscalCode = qrCode?.Element("fiscalCode")?.Value;
        var noticeText = qrCode?.Element("noticeNumber")?.Value;
        if (fiscalCode != request.Child("idPA"))
        {
            return new PaaFault(PaaFaultCode.IdDominioErrato, $"qrCode fiscalCode {fiscalCode} differs from idPA {request.Child("idPA")}");
        }
        // Includes the Node's Stand-In probe 000000000000000000, which must get exactly this answer.
        if (!OrganizationFiscalCode.TryParse(fiscalCode, out var creditor) || !NoticeNumber.TryParse(noticeText, out var notice))
        {
            return new PaaFault(PaaFaultCode.PagamentoSconosciuto, $"notice {noticeText} is unknown");
        }
        var found = await positions.FindPayableAsync(creditor, notice, cancellationToken);
        if (found is null)
        {
            return new PaaFault(PaaFaultCode.PagamentoSconosciuto, $"notice {noticeText} is unknown");
        }
        var today = RomeCalendar.Today(time);
        if (DebtPosition.CheckPayable(found.Option, found.OtherOptions, today, found.Creditor.Expiry) is { } code)
        {
            return new PaaFault(code, Describe(code, noticeText!));
        }
        return found;
    }

    private static string Describe(PaaFaultCode code, string notice) => code switch
    {
        PaaFaultCode.PagamentoDuplicato => $"notice {notice} is already paid",
        PaaFaultCode.PagamentoScaduto => $"notice {notice} has expired",
        PaaFaultCode.PagamentoAnnullato => $"notice {notice} was cancelled",
        PaaFaultCode.PagamentoSconosciuto => $"notice {notice} is unknown",
        _ => code.DefaultFaultString(),
    };
}
