using Microsoft.Extensions.Time.Testing;

namespace PaymentGateway.Core.Tests;

public class RomeCalendarTests
{
    [Theory]
    [InlineData("2025-01-14T22:59:59Z", "2025-01-14")] // winter, CET = UTC+1
    [InlineData("2025-01-14T23:00:00Z", "2025-01-15")]
    [InlineData("2025-07-14T21:59:59Z", "2025-07-14")] // summer, CEST = UTC+2
    [InlineData("2025-07-14T22:00:00Z", "2025-07-15")]
    [InlineData("2025-12-31T23:30:00Z", "2026-01-01")]
    public void Today_AroundMidnightUtc_UsesRomeDate(string utc, string expected)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), RomeCalendar.Today(clock));
    }

    [Fact]
    public void Today_AcrossDstSwitch_FollowsOffsetChange()
    {
        // DST starts 2025-03-30 at 01:00 UTC (02:00 CET -> 03:00 CEST).
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 29, 22, 59, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2025, 3, 29), RomeCalendar.Today(clock));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(new DateOnly(2025, 3, 30), RomeCalendar.Today(clock));
        clock.Advance(TimeSpan.FromHours(23)); // 2025-03-30T22:00Z = midnight CEST
        Assert.Equal(new DateOnly(2025, 3, 31), RomeCalendar.Today(clock));
    }

    [Theory]
    [InlineData("2025-03-30T00:59:00Z", 1)]
    [InlineData("2025-03-30T01:00:00Z", 2)]
    [InlineData("2025-10-26T00:59:00Z", 2)]
    [InlineData("2025-10-26T01:00:00Z", 1)]
    public void ToRome_AroundDst_HasRomeOffset(string utc, int offsetHours)
    {
        var instant = DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture);
        var rome = RomeCalendar.ToRome(instant);
        Assert.Equal(TimeSpan.FromHours(offsetHours), rome.Offset);
        Assert.Equal(instant, rome);
    }

    [Fact]
    public void Today_NullProvider_Throws() => Assert.Throws<ArgumentNullException>(() => RomeCalendar.Today(null!));
}
