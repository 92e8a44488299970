namespace PaymentGateway.Gateway.Settlement;

/// <summary>The <c>Settlement</c> section: where the settlement calendar's alerts go.</summary>
public sealed class SettlementOptions
{
    public const string Section = "Settlement";

    /// <summary>
    /// Optional: an http(s) URL that receives a JSON POST (<c>settlement.late</c>) whenever a flow or credit becomes late
    /// that the previous notification did not name. Unset: no webhook, the gauges and the log only.
    /// </summary>
    public Uri? WebhookUrl { get; set; }
}
