using PaymentGateway.Reconciliation.Settlement;

namespace PaymentGateway.Reconciliation.Tests.Settlement;

public sealed class WorkingDaysTests
{
    [Theory]
    [InlineData(2026, "2026-04-05")]
    [InlineData(2027, "2027-03-28")]
    [InlineData(2028, "2028-04-16")]
    [InlineData(2030, "2030-04-21")]
    public void EasterSunday_KnownYears_MatchesTheCalendar(int year, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), WorkingDays.EasterSunday(year));

    [Theory]
    [InlineData("2026-11-20", true)]   // Friday
    [InlineData("2026-11-21", false)]  // Saturday
    [InlineData("2026-11-22", false)]  // Sunday
    [InlineData("2026-12-08", false)]  // Immacolata, a Tuesday
    [InlineData("2026-04-06", false)]  // Easter Monday
    [InlineData("2027-03-29", false)]  // Easter Monday
    [InlineData("2026-04-07", true)]   // the Tuesday after
    [InlineData("2026-06-02", false)]  // Festa della Repubblica
    [InlineData("2026-10-05", true)]   // Monday after San Francesco (a Sunday in 2026)
    [InlineData("2027-10-04", false)]  // San Francesco, a Monday in 2027
    [InlineData("2025-10-03", true)]
    [InlineData("2026-12-07", true)]   // Sant'Ambrogio: Milan's patron saint, not a national holiday
    public void IsWorkingDay_WeekendsAndNationalHolidays_AreNot(string day, bool working) =>
        Assert.Equal(working, WorkingDays.IsWorkingDay(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("2026-11-19", 2, "2026-11-23")]  // Thursday + 2: over the weekend
    [InlineData("2026-11-20", 2, "2026-11-24")]  // Friday + 2
    [InlineData("2026-11-21", 2, "2026-11-24")]  // Saturday + 2: Monday, Tuesday
    [InlineData("2026-12-04", 2, "2026-12-09")]  // Friday + 2, over the weekend and 8 December
    [InlineData("2026-12-24", 1, "2026-12-28")]  // Christmas, Santo Stefano, Sunday
    [InlineData("2026-04-03", 1, "2026-04-07")]  // Good Friday is a working day; Easter Monday is not
    public void AddWorkingDays_SkipsWeekendsAndHolidays(string from, int count, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            WorkingDays.AddWorkingDays(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), count));

    [Theory]
    [InlineData("2026-11-19T12:59:59+01:00", "2026-11-19")]
    [InlineData("2026-11-19T13:00:00+01:00", "2026-11-20")]
    [InlineData("2026-11-19T11:59:59Z", "2026-11-19")]       // 12:59:59 in Rome
    [InlineData("2026-11-19T23:30:00Z", "2026-11-20")]       // 00:30 of the 20th in Rome
    [InlineData("2026-07-01T11:00:00Z", "2026-07-02")]       // 13:00 summer time
    [InlineData("2026-07-01T10:59:00Z", "2026-07-01")]
    public void OperatingDay_CutOffAt13ItalianTime(string paid, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            WorkingDays.OperatingDay(DateTimeOffset.Parse(paid, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void EndOf_IsMidnightItalianTime() =>
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 23, 0, 0, TimeSpan.Zero), WorkingDays.EndOf(new DateOnly(2026, 11, 24)));
}
