namespace PaymentGateway.Core.Positions;

/// <summary>What happens to a payment option.</summary>
public enum OptionEvent
{
    /// <summary>A receipt (paSendRT/paSendRTV2) arrived for the option.</summary>
    ReceiptReceived,

    /// <summary>An FdR row reports the option as paid.</summary>
    ReportedInFdr,

    /// <summary>The EC's expiry policy expires the option.</summary>
    Expire,

    /// <summary>The EC cancels the option.</summary>
    Cancel,

    /// <summary>The EC restores a cancelled option.</summary>
    Restore,
}

/// <summary>Something about a transition that needs a human (refund, reconciliation, operator error).</summary>
public enum LifecycleAnomaly
{
    /// <summary>A second receipt for an option already paid: money collected twice (refund case).</summary>
    DuplicatePayment,

    /// <summary>A receipt for a cancelled option: stored, option marked paid (refund or reinstatement case).</summary>
    PaidAfterCancel,

    /// <summary>A receipt for an expired option: stored, option marked paid.</summary>
    PaidAfterExpiry,

    /// <summary>An FdR row for an option without a receipt (receipt late, lost, or FdR codes 8/9).</summary>
    ReportedWithoutReceipt,

    /// <summary>The event makes no sense in this state (e.g. cancelling a paid option); nothing changes.</summary>
    InvalidTransition,
}

/// <summary>The result of applying an <see cref="OptionEvent"/>.</summary>
/// <param name="To">The resulting state (equal to the starting state when nothing changed).</param>
/// <param name="Changed">Whether the state changed.</param>
/// <param name="Anomaly">An anomaly to record, if any.</param>
public readonly record struct LifecycleTransition(PaymentOptionStatus To, bool Changed, LifecycleAnomaly? Anomaly);

/// <summary>
/// The payment option state machine (DESIGN.md "Lifecycle"). Valid →ReceiptReceived→ Paid →ReportedInFdr→ Reported;
/// Valid →Expire→ Expired; Valid →Cancel→ Cancelled →Restore→ Valid.
/// A receipt is never refused for state: on Paid/Reported nothing changes (DuplicatePayment); on Cancelled/Expired
/// the option becomes Paid (PaidAfterCancel/PaidAfterExpiry). An FdR row on an option without a receipt changes
/// nothing (ReportedWithoutReceipt); an FdR row on an already reported option (e.g. a flow revision) changes nothing
/// and is not an anomaly. Every other combination changes nothing and is an InvalidTransition.
/// </summary>
public static class PaymentOptionLifecycle
{
    /// <summary>Applies an event to a state.</summary>
    /// <param name="from">The current state.</param>
    /// <param name="e">The event.</param>
    /// <returns>The transition.</returns>
    public static LifecycleTransition Apply(PaymentOptionStatus from, OptionEvent e) => (from, e) switch
    {
        (PaymentOptionStatus.Valid, OptionEvent.ReceiptReceived) => Move(PaymentOptionStatus.Paid),
        (PaymentOptionStatus.Paid or PaymentOptionStatus.Reported, OptionEvent.ReceiptReceived) =>
            Stay(from, LifecycleAnomaly.DuplicatePayment),
        (PaymentOptionStatus.Cancelled, OptionEvent.ReceiptReceived) =>
            Move(PaymentOptionStatus.Paid, LifecycleAnomaly.PaidAfterCancel),
        (PaymentOptionStatus.Expired, OptionEvent.ReceiptReceived) =>
            Move(PaymentOptionStatus.Paid, LifecycleAnomaly.PaidAfterExpiry),

        (PaymentOptionStatus.Paid, OptionEvent.ReportedInFdr) => Move(PaymentOptionStatus.Reported),
        (PaymentOptionStatus.Reported, OptionEvent.ReportedInFdr) => Stay(from, null),
        (_, OptionEvent.ReportedInFdr) => Stay(from, LifecycleAnomaly.ReportedWithoutReceipt),

        (PaymentOptionStatus.Valid, OptionEvent.Expire) => Move(PaymentOptionStatus.Expired),
        (PaymentOptionStatus.Valid, OptionEvent.Cancel) => Move(PaymentOptionStatus.Cancelled),
        (PaymentOptionStatus.Cancelled, OptionEvent.Restore) => Move(PaymentOptionStatus.Valid),

        _ when Enum.IsDefined(from) && Enum.IsDefined(e) => Stay(from, LifecycleAnomaly.InvalidTransition),
        _ => throw new ArgumentOutOfRangeException(nameof(e), $"undefined state {from} or event {e}"),
    };

    private static LifecycleTransition Move(PaymentOptionStatus to, LifecycleAnomaly? anomaly = null) => new(to, true, anomaly);

    private static LifecycleTransition Stay(PaymentOptionStatus from, LifecycleAnomaly? anomaly) => new(from, false, anomaly);
}
