using System.Globalization;

namespace PolymarketAlgo.Data;

/// <summary>Allocation-free parsing of UTF-8 fields: numbers, epoch times by magnitude and ISO-like date texts.</summary>
internal static class TextParsing
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    /// <summary>Parses a finite double written in invariant culture (e.g. <c>26962.57000000</c>).</summary>
    public static bool TryParseDouble(ReadOnlySpan<byte> field, out double value) =>
        double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>Whether the field is a non-empty run of ASCII digits.</summary>
    public static bool IsDigits(ReadOnlySpan<byte> field)
    {
        if (field.IsEmpty)
        {
            return false;
        }

        foreach (var b in field)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Converts a non-negative epoch number to UTC ticks, its unit chosen by magnitude:
    /// below 1e11 seconds, below 1e14 milliseconds, below 1e17 microseconds, else nanoseconds.
    /// </summary>
    public static bool TryEpochToTicks(long value, out long ticks)
    {
        ticks = 0;
        if (value < 0)
        {
            return false;
        }

        long delta;
        if (value < 100_000_000_000L)
        {
            delta = value * TimeSpan.TicksPerSecond;
        }
        else if (value < 100_000_000_000_000L)
        {
            delta = value * TimeSpan.TicksPerMillisecond;
        }
        else if (value < 100_000_000_000_000_000L)
        {
            delta = value * TicksPerMicrosecond;
        }
        else
        {
            delta = value / 100;
        }

        ticks = DateTimeOffset.UnixEpoch.Ticks + delta;
        return ticks <= DateTimeOffset.MaxValue.Ticks;
    }

    /// <summary>Parses an epoch field of digits (unit by magnitude) to UTC ticks.</summary>
    public static bool TryParseEpochTicks(ReadOnlySpan<byte> field, out long ticks)
    {
        ticks = 0;
        return IsDigits(field)
            && long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            && TryEpochToTicks(value, out ticks);
    }

    /// <summary>
    /// Parses <c>yyyy-MM-dd[ T]HH:mm[:ss[.fffffff]]</c> optionally followed by <c>Z</c> or <c>±HH:mm</c>
    /// to UTC ticks; without an explicit offset the text is read in <paramref name="localOffset"/>.
    /// </summary>
    public static bool TryParseDateTimeTicks(ReadOnlySpan<byte> s, TimeSpan localOffset, out long ticks)
    {
        ticks = 0;
        if (s.Length < 16 || s[4] != '-' || s[7] != '-' || (s[10] != ' ' && s[10] != 'T') || s[13] != ':')
        {
            return false;
        }

        if (!TryDigits(s, 0, 4, out var year) || !TryDigits(s, 5, 2, out var month) || !TryDigits(s, 8, 2, out var day)
            || !TryDigits(s, 11, 2, out var hour) || !TryDigits(s, 14, 2, out var minute))
        {
            return false;
        }

        var pos = 16;
        var second = 0;
        long fraction = 0;
        if (pos < s.Length && s[pos] == ':')
        {
            if (!TryDigits(s, pos + 1, 2, out second))
            {
                return false;
            }

            pos += 3;
            if (pos < s.Length && s[pos] == '.')
            {
                pos++;
                var digits = 0;
                while (pos < s.Length && s[pos] is >= (byte)'0' and <= (byte)'9')
                {
                    if (digits < 7)
                    {
                        fraction = fraction * 10 + (s[pos] - '0');
                    }

                    digits++;
                    pos++;
                }

                if (digits == 0)
                {
                    return false;
                }

                for (var d = Math.Min(digits, 7); d < 7; d++)
                {
                    fraction *= 10;
                }
            }
        }

        var offset = localOffset;
        if (pos < s.Length)
        {
            if (s[pos] == 'Z' && pos + 1 == s.Length)
            {
                offset = TimeSpan.Zero;
            }
            else if ((s[pos] == '+' || s[pos] == '-') && pos + 6 == s.Length && s[pos + 3] == ':'
                     && TryDigits(s, pos + 1, 2, out var offHours) && TryDigits(s, pos + 4, 2, out var offMinutes))
            {
                offset = new TimeSpan(offHours, offMinutes, 0);
                if (s[pos] == '-')
                {
                    offset = -offset;
                }
            }
            else
            {
                return false;
            }
        }

        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month) || hour > 23
            || minute > 59 || second > 59 || year < 1)
        {
            return false;
        }

        var local = new DateTime(year, month, day, hour, minute, second).Ticks + fraction;
        ticks = local - offset.Ticks;
        return ticks >= 0 && ticks <= DateTimeOffset.MaxValue.Ticks;
    }

    private static bool TryDigits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            var d = s[i] - '0';
            if (d is < 0 or > 9)
            {
                return false;
            }

            value = value * 10 + d;
        }

        return true;
    }

    /// <summary>Formats UTC ticks for error messages (e.g. <c>2024-01-01 00:05:00Z</c>).</summary>
    public static string Show(long ticks) =>
        new DateTimeOffset(ticks, TimeSpan.Zero).ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>Shows a field for an error message, shortened if long.</summary>
    public static string Quote(ReadOnlySpan<byte> field)
    {
        var text = System.Text.Encoding.UTF8.GetString(field.Length > 40 ? field[..40] : field);
        return field.Length > 40 ? $"'{text}…'" : $"'{text}'";
    }
}
