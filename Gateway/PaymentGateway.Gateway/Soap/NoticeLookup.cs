using PaymentGateway.Core;
using PaymentGateway.Core.Outcomes;
using PaymentGateway.Core.Positions;
using PaymentGateway.Persistence.Positions;

namespace PaymentGateway.Gateway.Soap;

/// <summary>The shared first half of verify and activate: find the notice and decide whether it can be paid now.</summary>
internal sealed class NoticeLookup(PositionReader positions, TimeProvider time)
{
    /// <summary>The position and option for the request's qrCode, or the PAA fault the Node must get.</summary>
    public async Task<NodeOutcome<(StoredPosition Stored, PaymentOption Option)>> FindPayableAsync(SoapRequest request, CancellationToken cancellationToken)
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
        var stored = await positions.FindByNoticeAsync(creditor, notice, cancellationToken);
        if (stored is null)
        {
            return new PaaFault(PaaFaultCode.PagamentoSconosciuto, $"notice {noticeText} is unknown");
        }
        var today = RomeCalendar.Today(time);
        if (stored.Position.CheckPayable(notice, today, stored.Creditor.Expiry) is { } code)
        {
            return new PaaFault(code, Describe(code, noticeText!));
        }
        return (stored, stored.Position.FindOption(notice)!);
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
