using System.ServiceModel;
using PaymentGateway.Contracts;
using PaymentGateway.Contracts.PaForNode;

namespace PaymentGateway.Gateway.Tests.Soap;

/// <summary>
/// The paForNode port type as a WCF client sees it, written the way svcutil writes document/literal "bare" contracts:
/// XmlSerializer, one unwrapped message contract per message whose single body member is the XSD root element, and
/// SOAPAction = operation name (as paForNode.wsdl's soap:operation says). It lives in the tests because Contracts is
/// BCL-only; the payload classes are Contracts' own.
/// </summary>
[ServiceContract(Namespace = PaForNodeSchemas.Namespace, Name = "paForNode_PortType")]
[XmlSerializerFormat(Style = OperationFormatStyle.Document, Use = OperationFormatUse.Literal, SupportFaults = true)]
public interface IPaForNode
{
    /// <summary>paVerifyPaymentNotice.</summary>
    [OperationContract(Action = "paVerifyPaymentNotice", ReplyAction = "*")]
    Task<PaVerifyPaymentNoticeResponseMessage> PaVerifyPaymentNoticeAsync(PaVerifyPaymentNoticeRequestMessage request);

    /// <summary>paGetPayment.</summary>
    [OperationContract(Action = "paGetPayment", ReplyAction = "*")]
    Task<PaGetPaymentResponseMessage> PaGetPaymentAsync(PaGetPaymentRequestMessage request);

    /// <summary>paGetPaymentV2.</summary>
    [OperationContract(Action = "paGetPaymentV2", ReplyAction = "*")]
    Task<PaGetPaymentV2ResponseMessage> PaGetPaymentV2Async(PaGetPaymentV2RequestMessage request);

    /// <summary>paSendRT.</summary>
    [OperationContract(Action = "paSendRT", ReplyAction = "*")]
    Task<PaSendRTResponseMessage> PaSendRTAsync(PaSendRTRequestMessage request);

    /// <summary>paSendRTV2.</summary>
    [OperationContract(Action = "paSendRTV2", ReplyAction = "*")]
    Task<PaSendRTV2ResponseMessage> PaSendRTV2Async(PaSendRTV2RequestMessage request);

    /// <summary>paDemandPaymentNotice.</summary>
    [OperationContract(Action = "paDemandPaymentNotice", ReplyAction = "*")]
    Task<PaDemandPaymentNoticeResponseMessage> PaDemandPaymentNoticeAsync(PaDemandPaymentNoticeRequestMessage request);
}

/// <summary>The paVerifyPaymentNotice request message: its body is exactly &lt;paVerifyPaymentNoticeReq&gt;.</summary>
[MessageContract(IsWrapped = false)]
public sealed class PaVerifyPaymentNoticeRequestMessage
{
    /// <summary>The body element.</summary>
    [MessageBodyMember(Name = "paVerifyPaymentNoticeReq", Namespace = PaForNodeSchemas.Namespace, Order = 0)]
    public PaVerifyPaymentNoticeReq Body { get; set; } = new();
}

/// <summary>The paVerifyPaymentNotice response message: its body is exactly &lt;paVerifyPaymentNoticeRes&gt;.</summary>
[MessageContract(IsWrapped = false)]
public sealed class PaVerifyPaymentNoticeResponseMessage
{
    /// <summary>The body element.</summary>
    [MessageBodyMember(Name = "paVerifyPaymentNoticeRes", Namespace = PaForNodeSchemas.Namespace, Order = 0)]
    public PaVerifyPaymentNoticeRes Body { get; set; } = new();
}

/// <summary>The paGetPayment request message: its body is exactly &lt;paGetPaymentReq&gt;.</summary>
[MessageContract(IsWrapped = false)]
public sealed class PaGetPaymentRequestMessage
{
    /// <summary>The body element.</summary>
    [MessageBodyMember(Name = "paGetPaymentReq", Namespace = PaForNodeSchemas.Namespace, Order = 0)]
    public PaGetPaymentReq Body { get; set; } = new();
}

/// <summary>The paGetPayment response message: its body is exactly &lt;paGetPaymentRes&gt;.</summary>
[MessageContract(IsWrapped = false)]
public sealed class PaGetPaymentResponseMessage
{
    /// <summary>The body element.</summary>
    [MessageBodyMember(Name = "paGetPaymentRes", Namespace = PaForNodeSchemas.Namespace, Order = 0)]
    public PaGetPaymentRes Body { get; set; } = new();
}

/// <summary>The paGetPaymentV2 request message: its body is exactly &lt;paGetPaymentV2Request&gt;.</summary>
[MessageContract(IsWrapped = false)]
public sealed class PaGetPaymentV2RequestMessage
{
    /// <summary>The body element.</summary>
    [MessageBodyMember(Name = "paGetPaymentV2Request", Namespace = PaForNodeSchemas.Namespace, Order = 0)]
    public PaGetPaymentV2Request Body { get; set; } = new();
}

/// <summary>The paGetPaymentV2 response message: its body is exactly &lt;paGetPaymentV2Response&gt;.</summary>
[MessageContract(IsWrapped = false)]
public sealed class PaGetPaymentV2ResponseMessage
{
    /// <summary>The body element.</summary>
    [MessageBodyMember(Name = "paGetPaymentV2Response", Namespace = PaForNodeSchemas.Namespace, Order = 0)]
    public PaGetPaymentV2Response Body { get; set; } = new();
}

/// <summary>The paSendRT request message: its body is exactly &lt;paSendRTReq&gt;.</summary>
[MessageContract(IsWrapped = false)]
public sealed class PaSendRTRequestMessage
{
    /// <summary>The body element.</summary>
    [MessageBodyMember(Name = "paSendRTReq", Namespace = PaForNodeSchemas.Namespace, Order = 0)]
    public PaSendRTReq Body { get; set; } = new();
}

/// <summary>The paSendRT response message: its body is exactly &lt;paSendRTRes&gt;.</summary>
[MessageContract(IsWrapped = false)]
public sealed class PaSendRTResponseMessage
{
    /// <summary>The body element.</summary>
    [MessageBodyMember(Name = "paSendRTRes", Namespace = PaForNodeSchemas.Namespace, Order = 0)]
    public PaSendRTRes Body { get; set; } = new();
}

/// <summary>The paSendRTV2 request message: its body is exactly &lt;paSendRTV2Request&gt;.</summary>
[MessageContract(IsWrapped = false)]
public sealed class PaSendRTV2RequestMessage
{
    /// <summary>The body element.</summary>
    [MessageBodyMember(Name = "paSendRTV2Request", Namespace = PaForNodeSchemas.Namespace, Order = 0)]
    public PaSendRTV2Request Body { get; set; } = new();
}

/// <summary>The paSendRTV2 response message: its body is exactly &lt;paSendRTV2Response&gt;.</summary>
[MessageContract(IsWrapped = false)]
public sealed class PaSendRTV2ResponseMessage
{
    /// <summary>The body element.</summary>
    [MessageBodyMember(Name = "paSendRTV2Response", Namespace = PaForNodeSchemas.Namespace, Order = 0)]
    public PaSendRTV2Response Body { get; set; } = new();
}

/// <summary>The paDemandPaymentNotice request message: its body is exactly &lt;paDemandPaymentNoticeRequest&gt;.</summary>
[MessageContract(IsWrapped = false)]
public sealed class PaDemandPaymentNoticeRequestMessage
{
    /// <summary>The body element.</summary>
    [MessageBodyMember(Name = "paDemandPaymentNoticeRequest", Namespace = PaForNodeSchemas.Namespace, Order = 0)]
    public PaDemandPaymentNoticeRequest Body { get; set; } = new();
}

/// <summary>The paDemandPaymentNotice response message: its body is exactly &lt;paDemandPaymentNoticeResponse&gt;.</summary>
[MessageContract(IsWrapped = false)]
public sealed class PaDemandPaymentNoticeResponseMessage
{
    /// <summary>The body element.</summary>
    [MessageBodyMember(Name = "paDemandPaymentNoticeResponse", Namespace = PaForNodeSchemas.Namespace, Order = 0)]
    public PaDemandPaymentNoticeResponse Body { get; set; } = new();
}
