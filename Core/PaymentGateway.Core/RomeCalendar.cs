namespace PaymentGateway.Core;

/// <summary>
/// The Europe/Rome civil calendar: pagoPA dates (due dates, "today", FdR operating days) are Italian dates,
/// whatever the server's time zone. Time always comes from an injected <see cref="TimeProvider"/>.
/// </summary>
public static class RomeCalendar
{
    /// <summary>The Europe/Rome time zone (CET/CEST).</summary>
    public static TimeZoneInfo TimeZone { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/Rome");

    /// <summary>Today's date in Rome according to <paramref name="timeProvider"/>.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>The Rome calendar date.</returns>
    public static DateOnly Today(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return DateOnly.FromDateTime(ToRome(timeProvider.GetUtcNow()).DateTime);
    }

    /// <summary>Converts an instant to Rome local time (offset +01:00 or +02:00).</summary>
    /// <param name="instant">The instant.</param>
    /// <returns>The same instant with the Rome offset.</returns>
    public static DateTimeOffset ToRome(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZone);
}
