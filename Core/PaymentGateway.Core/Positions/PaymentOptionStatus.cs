namespace PaymentGateway.Core.Positions;

/// <summary>The state of one payment option (one notice). See <see cref="PaymentOptionLifecycle"/> for the transitions.</summary>
public enum PaymentOptionStatus
{
    /// <summary>Payable (subject to the EC's expiry policy).</summary>
    Valid,

    /// <summary>A receipt (paSendRT) was received.</summary>
    Paid,

    /// <summary>Paid and covered by a reporting flow (FdR) row.</summary>
    Reported,

    /// <summary>Expired under the EC's expiry policy; no longer payable.</summary>
    Expired,

    /// <summary>Cancelled by the EC (may be restored to <see cref="Valid"/>).</summary>
    Cancelled,
}
