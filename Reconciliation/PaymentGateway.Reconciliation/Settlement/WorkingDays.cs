using PaymentGateway.Core;

namespace PaymentGateway.Reconciliation.Settlement;

/// <summary>
/// Italian working days and the Node's operating day (NOTES.md §d.3). Saturdays, Sundays and the national holidays
/// (1 and 6 January, Easter Monday, 25 April, 1 May, 2 June, 15 August, 4 October from 2026, 1 November, 8, 25 and
/// 26 December) are not working days; local patron saints' days are not national holidays and count as working days.
/// </summary>
public static class WorkingDays
{
    /// <summary>The Node's operating day D ends at 13:00 Italian time: a payment at 13:00 or later belongs to the next day.</summary>
    public static readonly TimeOnly OperatingDayCutOff = new(13, 0);

    /// <summary>True when <paramref name="day"/> is an Italian working day.</summary>
    /// <param name="day">A calendar date.</param>
    public static bool IsWorkingDay(DateOnly day) =>
        day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !IsNationalHoliday(day);

    /// <summary>True on an Italian national holiday.</summary>
    /// <param name="day">A calendar date.</param>
    public static bool IsNationalHoliday(DateOnly day) => (day.Month, day.Day) switch
    {
        (1, 1) or (1, 6) or (4, 25) or (5, 1) or (6, 2) or (8, 15) or (11, 1) or (12, 8) or (12, 25) or (12, 26) => true,
        // San Francesco d'Assisi, a national holiday again from 2026 (legge 151/2025).
        (10, 4) => day.Year >= 2026,
        _ => day == EasterSunday(day.Year).AddDays(1),
    };

    /// <summary>The <paramref name="count"/>-th working day after <paramref name="day"/> (1: the next working day).</summary>
    /// <param name="day">The day counted from (working or not).</param>
    /// <param name="count">Working days to add, at least 1.</param>
    public static DateOnly AddWorkingDays(DateOnly day, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var result = day;
        while (count > 0)
        {
            result = result.AddDays(1);
            if (IsWorkingDay(result))
            {
                count--;
            }
        }
        return result;
    }

    /// <summary>The Node operating day a payment belongs to: its Italian date, or the next date from 13:00 on.</summary>
    /// <param name="paymentDateTime">The receipt's paymentDateTime.</param>
    public static DateOnly OperatingDay(DateTimeOffset paymentDateTime)
    {
        var rome = RomeCalendar.ToRome(paymentDateTime);
        var date = DateOnly.FromDateTime(rome.DateTime);
        return TimeOnly.FromDateTime(rome.DateTime) >= OperatingDayCutOff ? date.AddDays(1) : date;
    }

    /// <summary>The instant an Italian calendar day ends (24:00 Europe/Rome, i.e. 00:00 of the next day).</summary>
    /// <param name="day">The day.</param>
    public static DateTimeOffset EndOf(DateOnly day) => StartOf(day.AddDays(1));

    /// <summary>The instant an Italian calendar day starts (00:00 Europe/Rome).</summary>
    /// <param name="day">The day.</param>
    public static DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, RomeCalendar.TimeZone.GetUtcOffset(local));
    }

    /// <summary>Easter Sunday of <paramref name="year"/> (Gregorian calendar; the anonymous Gregorian algorithm).</summary>
    /// <param name="year">The year.</param>
    public static DateOnly EasterSunday(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, day);
    }
}
