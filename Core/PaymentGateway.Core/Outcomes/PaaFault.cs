namespace PaymentGateway.Core.Outcomes;

/// <summary>An EC-domain fault to return to the Node: the code plus a specific description (the faultBean <c>description</c>).</summary>
/// <param name="Code">The fault code.</param>
/// <param name="Description">What exactly went wrong (never a citizen's fiscal code).</param>
public sealed record PaaFault(PaaFaultCode Code, string Description)
{
    /// <summary>The wire <c>faultCode</c>, e.g. <c>PAA_PAGAMENTO_SCONOSCIUTO</c>.</summary>
    public string FaultCode => Code.ToWireCode();

    /// <summary>The standard <c>faultString</c> of the code.</summary>
    public string FaultString => Code.DefaultFaultString();

    /// <summary>A fault whose description is the standard fault string.</summary>
    /// <param name="code">The fault code.</param>
    /// <returns>The fault.</returns>
    public static PaaFault Of(PaaFaultCode code) => new(code, code.DefaultFaultString());
}
