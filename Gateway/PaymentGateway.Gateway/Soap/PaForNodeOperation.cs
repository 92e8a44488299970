namespace PaymentGateway.Gateway.Soap;

/// <summary>The paForNode operations, with the request and response element names of paForNode.xsd.</summary>
internal sealed record PaForNodeOperation(string Name, string RequestElement, string ResponseElement, bool IsReceipt)
{
    public static readonly PaForNodeOperation VerifyPaymentNotice = new("paVerifyPaymentNotice", "paVerifyPaymentNoticeReq", "paVerifyPaymentNoticeRes", false);
    public static readonly PaForNodeOperation GetPayment = new("paGetPayment", "paGetPaymentReq", "paGetPaymentRes", false);
    public static readonly PaForNodeOperation GetPaymentV2 = new("paGetPaymentV2", "paGetPaymentV2Request", "paGetPaymentV2Response", false);
    public static readonly PaForNodeOperation SendRT = new("paSendRT", "paSendRTReq", "paSendRTRes", true);
    public static readonly PaForNodeOperation SendRTV2 = new("paSendRTV2", "paSendRTV2Request", "paSendRTV2Response", true);
    public static readonly PaForNodeOperation DemandPaymentNotice = new("paDemandPaymentNotice", "paDemandPaymentNoticeRequest", "paDemandPaymentNoticeResponse", false);

    public static readonly IReadOnlyList<PaForNodeOperation> All = [VerifyPaymentNotice, GetPayment, GetPaymentV2, SendRT, SendRTV2, DemandPaymentNotice];

    private static readonly Dictionary<string, PaForNodeOperation> ByRequestElement = All.ToDictionary(o => o.RequestElement, StringComparer.Ordinal);
    private static readonly Dictionary<string, PaForNodeOperation> ByName = All.ToDictionary(o => o.Name, StringComparer.Ordinal);

    public static PaForNodeOperation? FromRequestElement(string localName) => ByRequestElement.GetValueOrDefault(localName);

    /// <summary>The operation a SOAPAction header names (quoted or not, with or without a namespace-like prefix).</summary>
    public static PaForNodeOperation? FromSoapAction(string? soapAction)
    {
        var action = soapAction?.Trim().Trim('"').Trim();
        if (string.IsNullOrEmpty(action))
        {
            return null;
        }
        var slash = action.LastIndexOfAny(['/', '#']);
        return ByName.GetValueOrDefault(slash >= 0 ? action[(slash + 1)..] : action);
    }
}
