using PaymentGateway.Core;
using PaymentGateway.Core.Outcomes;
using PaymentGateway.Core.Positions;
using PaymentGateway.Persistence.Positions;

namespace PaymentGateway.Gateway.Soap;

/// <summary>The shared first half of verify and activate: find the notice and decide whether it can be paid now.</summary>
internal sealed class NoticeLookup(PositionReader positions, StationDirectory directory, TimeProvider time)
{
    /// <summary>For activate: the notice for the request's qrCode with its transfers and debtor, or the PAA fault the Node must get.</summary>
    public async Task<NodeOutcome<PayableNotice>> FindPayableAsync(SoapRequest request, CancellationToken cancellationToken)
    {
        var (creditor, notice, fault) = Parse(request);
        if (fault is not null)
        {
            return fault;
        }
        var found = await positions.FindPayableAsync(creditor, notice, cancellationToken);
        if (found is null)
        {
            return Unknown(notice);
        }
        var code = DebtPosition.CheckPayable(found.Option, found.OtherOptions, RomeCalendar.Today(time), found.Creditor.Expiry);
        return code is null ? found : new PaaFault(code.Value, Describe(code.Value, notice));
    }

    /// <summary>For verify: the option's own fields and its EC, or the PAA fault the Node must get.</summary>
    public async Task<NodeOutcome<(VerifiableNotice Notice, CreditorSummary Creditor)>> FindVerifiableAsync(SoapRequest request, CancellationToken cancellationToken)
    {
        var (creditor, notice, fault) = Parse(request);
        if (fault is not null)
        {
            return fault;
        }
        var found = await positions.FindVerifiableAsync(creditor, notice, cancellationToken);
        // The station check let idPA through, so the EC is one of ours; the cache only misses if it was removed meanwhile.
        if (found is null || await directory.CreditorAsync(creditor, cancellationToken) is not { } summary)
        {
            return Unknown(notice);
        }
        var code = DebtPosition.CheckPayable(found.Status, found.IsInstallment, found.DueDate, found.OtherOptions, RomeCalendar.Today(time), summary.Expiry);
        return code is null ? (found, summary) : new PaaFault(code.Value, Describe(code.Value, notice));
    }

    private static (OrganizationFiscalCode Creditor, NoticeNumber Notice, PaaFault? Fault) Parse(SoapRequest request)
    {
        var qrCode = request.Payload.Element("qrCode");
        var fiscalCode = qrCode?.Element("fiscalCode")?.Value;
        var noticeText = qrCode?.Element("noticeNumber")?.Value;
        if (fiscalCode != request.Child("idPA"))
        {
            return (default, default, new PaaFault(PaaFaultCode.IdDominioErrato, $"qrCode fiscalCode {fiscalCode} differs from idPA {request.Child("idPA")}"));
        }
        // Includes the Node's Stand-In probe 000000000000000000, which must get exactly this answer.
        if (!OrganizationFiscalCode.TryParse(fiscalCode, out var creditor) || !NoticeNumber.TryParse(noticeText, out var notice))
        {
            return (default, default, new PaaFault(PaaFaultCode.PagamentoSconosciuto, $"notice {noticeText} is unknown"));
        }
        return (creditor, notice, null);
    }

    private static PaaFault Unknown(NoticeNumber notice) => new(PaaFaultCode.PagamentoSconosciuto, $"notice {notice} is unknown");

    private static string Describe(PaaFaultCode code, NoticeNumber notice) => code switch
    {
        PaaFaultCode.PagamentoDuplicato => $"notice {notice} is already paid",
        PaaFaultCode.PagamentoScaduto => $"notice {notice} has expired",
        PaaFaultCode.PagamentoAnnullato => $"notice {notice} was cancelled",
        PaaFaultCode.PagamentoSconosciuto => $"notice {notice} is unknown",
        _ => code.DefaultFaultString(),
    };
}
