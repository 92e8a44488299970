namespace PaymentGateway.Core.Positions;

/// <summary>
/// An EC's choice about due dates. pagoPA blocks nothing on <c>dueDate</c>; whether an option stops being payable is
/// the EC's policy: with <see cref="ExpiresAfterDueDate"/> an option is no longer payable from the day after
/// due date + <see cref="GraceDays"/> (Rome calendar).
/// </summary>
/// <param name="ExpiresAfterDueDate">Whether options expire at all.</param>
/// <param name="GraceDays">Days after the due date during which payment is still accepted (≥ 0).</param>
public sealed record ExpiryPolicy(bool ExpiresAfterDueDate, int GraceDays)
{
    /// <summary>Options never expire by date (the default for most ECs, e.g. TARI: late payment is still welcome).</summary>
    public static ExpiryPolicy Never { get; } = new(false, 0);

    /// <summary>The policy stored as nullable grace days: null means options never expire.</summary>
    /// <param name="graceDays">Days of grace after the due date, or null.</param>
    /// <returns>The policy.</returns>
    public static ExpiryPolicy FromGraceDays(int? graceDays) => graceDays is { } grace ? new ExpiryPolicy(true, grace) : Never;

    /// <summary>The grace days (≥ 0).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative grace days.</exception>
    public int GraceDays { get; init; } = GraceDays >= 0
        ? GraceDays
        : throw new ArgumentOutOfRangeException(nameof(GraceDays), GraceDays, "grace days must not be negative");

    /// <summary>True when an option due on <paramref name="dueDate"/> is past its grace period on <paramref name="today"/>.</summary>
    /// <param name="dueDate">The option's due date.</param>
    /// <param name="today">Today in Rome.</param>
    /// <returns>True when the policy makes it expired.</returns>
    public bool IsPastDue(DateOnly dueDate, DateOnly today) =>
        ExpiresAfterDueDate && today > dueDate.AddDays(GraceDays);
}
