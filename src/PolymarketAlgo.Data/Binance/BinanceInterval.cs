namespace PolymarketAlgo.Data;

/// <summary>
/// A Binance kline interval: <c>1s, 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w, 1M</c>.
/// Fixed intervals step by their duration; <c>1M</c> steps by calendar month (UTC).
/// </summary>
public readonly record struct BinanceInterval
{
    private static readonly string[] Known = ["1s", "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1M"];

    private BinanceInterval(string name, TimeSpan duration)
    {
        Name = name;
        Duration = duration;
    }

    /// <summary>The interval as Binance spells it (e.g. <c>5m</c>).</summary>
    public string Name { get; }

    /// <summary>The bar length; for <c>1M</c> the longest month (31 days), used only for estimates.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Whether bars step by calendar month (<c>1M</c>) rather than a fixed duration.</summary>
    public bool IsMonthly => Name == "1M";

    /// <summary>Every interval Binance accepts.</summary>
    public static IReadOnlyList<string> Names => Known;

    /// <summary>Parses a Binance interval name (case-sensitive: <c>1m</c> is a minute, <c>1M</c> a month).</summary>
    /// <param name="name">The interval, e.g. <c>5m</c>.</param>
    /// <returns>The interval.</returns>
    /// <exception cref="ArgumentException">The name is not a Binance interval.</exception>
    public static BinanceInterval Parse(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (Array.IndexOf(Known, name) < 0)
        {
            throw new ArgumentException($"'{name}' is not a Binance interval; use one of {string.Join(", ", Known)}", nameof(name));
        }

        var count = int.Parse(name.AsSpan(0, name.Length - 1), System.Globalization.CultureInfo.InvariantCulture);
        var duration = name[^1] switch
        {
            's' => TimeSpan.FromSeconds(count),
            'm' => TimeSpan.FromMinutes(count),
            'h' => TimeSpan.FromHours(count),
            'd' => TimeSpan.FromDays(count),
            'w' => TimeSpan.FromDays(7 * count),
            _ => TimeSpan.FromDays(31),
        };
        return new BinanceInterval(name, duration);
    }

    /// <summary>The open time of the bar after the one opening at <paramref name="openTime"/>.</summary>
    /// <param name="openTime">A bar's open time.</param>
    /// <returns>The next bar's open time.</returns>
    public DateTimeOffset Next(DateTimeOffset openTime) => Step(openTime, 1);

    /// <summary>Moves <paramref name="bars"/> bars forward (negative: backward) from <paramref name="time"/>.</summary>
    /// <param name="time">The starting time.</param>
    /// <param name="bars">How many bars to move.</param>
    /// <returns>The moved time.</returns>
    public DateTimeOffset Step(DateTimeOffset time, int bars) =>
        IsMonthly ? time.ToUniversalTime().AddMonths(bars) : time + Duration * bars;

    /// <summary>The number of bar starts in [<paramref name="from"/>, <paramref name="to"/>), an estimate for progress reports.</summary>
    /// <param name="from">Inclusive start.</param>
    /// <param name="to">Exclusive end.</param>
    /// <returns>The bar count, 0 when the range is empty.</returns>
    public long CountBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return 0;
        }

        if (IsMonthly)
        {
            var a = from.UtcDateTime;
            var b = to.UtcDateTime;
            return Math.Max(1, (b.Year - a.Year) * 12L + b.Month - a.Month);
        }

        return (to - from).Ticks / Duration.Ticks + ((to - from).Ticks % Duration.Ticks == 0 ? 0 : 1);
    }

    /// <inheritdoc/>
    public override string ToString() => Name ?? "";
}
