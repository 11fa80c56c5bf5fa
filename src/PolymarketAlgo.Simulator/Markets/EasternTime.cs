using System.Globalization;

namespace PolymarketAlgo.Simulator.Markets;

/// <summary>US Eastern time for market titles, computed from the US daylight-saving rule (no tz database needed).</summary>
public static class EasternTime
{
    private static readonly string[] Months =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    /// <summary>Converts a UTC instant to US Eastern local time (EDT from the second Sunday of March 2:00 to the first Sunday of November 2:00).</summary>
    /// <param name="unixSeconds">The instant.</param>
    /// <returns>The local time.</returns>
    public static DateTime ToEastern(long unixSeconds)
    {
        var utc = DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime;
        var year = utc.Year;
        var dstStart = NthSunday(year, 3, 2).AddHours(2 + 5);
        var dstEnd = NthSunday(year, 11, 1).AddHours(2 + 4);
        var offset = utc >= dstStart && utc < dstEnd ? -4 : -5;
        return utc.AddHours(offset);
    }

    /// <summary>A window's title range, e.g. <c>March 12, 5:20AM-5:25AM ET</c>.</summary>
    /// <param name="startUnixSeconds">The start.</param>
    /// <param name="endUnixSeconds">The end.</param>
    /// <returns>The text.</returns>
    public static string Range(long startUnixSeconds, long endUnixSeconds)
    {
        var start = ToEastern(startUnixSeconds);
        var end = ToEastern(endUnixSeconds);
        return $"{Months[start.Month - 1]} {start.Day.ToString(CultureInfo.InvariantCulture)}, {Clock(start)}-{Clock(end)} ET";
    }

    private static string Clock(DateTime time)
    {
        var hour = time.Hour % 12 == 0 ? 12 : time.Hour % 12;
        return string.Create(CultureInfo.InvariantCulture, $"{hour}:{time.Minute:00}{(time.Hour < 12 ? "AM" : "PM")}");
    }

    private static DateTime NthSunday(int year, int month, int n)
    {
        var first = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Utc);
        var offset = ((int)DayOfWeek.Sunday - (int)first.DayOfWeek + 7) % 7;
        return first.AddDays(offset + (7 * (n - 1)));
    }
}
