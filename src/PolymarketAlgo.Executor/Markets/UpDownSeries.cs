using System.Globalization;

namespace PolymarketAlgo.Executor.Markets;

/// <summary>
/// A family of recurring crypto up/down markets, e.g. <c>btc-updown-5m</c> (protocol reference §10):
/// one market per window, slug <c>{asset}-updown-{interval}-{T}</c> with <c>T</c> the window start in
/// Unix seconds, a multiple of the interval.
/// </summary>
public sealed record UpDownSeries
{
    /// <summary>Bitcoin, five-minute windows: <c>btc-updown-5m-{T}</c>, 288 a day.</summary>
    public static readonly UpDownSeries Btc5m = new("btc", TimeSpan.FromMinutes(5));

    /// <summary>Bitcoin, fifteen-minute windows: <c>btc-updown-15m-{T}</c>.</summary>
    public static readonly UpDownSeries Btc15m = new("btc", TimeSpan.FromMinutes(15));

    /// <summary>Creates a series for <paramref name="asset"/> (lower case, e.g. <c>eth</c>) and a whole-minute interval.</summary>
    public UpDownSeries(string asset, TimeSpan interval)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(asset);
        if (interval <= TimeSpan.Zero || interval.Ticks % TimeSpan.TicksPerMinute != 0 || interval.TotalMinutes >= 60)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "the interval must be a whole number of minutes below one hour");
        }

        Asset = asset.ToLowerInvariant();
        Interval = interval;
    }

    /// <summary>The asset, lower case.</summary>
    public string Asset { get; }

    /// <summary>The window length.</summary>
    public TimeSpan Interval { get; }

    /// <summary>The window length in seconds (300 for 5m).</summary>
    public long IntervalSeconds => (long)Interval.TotalSeconds;

    /// <summary>The slug before the window start, e.g. <c>btc-updown-5m-</c>.</summary>
    public string SlugPrefix => $"{Asset}-updown-{(int)Interval.TotalMinutes}m-";

    /// <summary>The window containing <paramref name="time"/> (start = floor to a multiple of the interval).</summary>
    public UpDownWindow WindowAt(DateTimeOffset time)
    {
        var unix = time.ToUnixTimeSeconds();
        var start = unix - (((unix % IntervalSeconds) + IntervalSeconds) % IntervalSeconds);
        return new UpDownWindow(this, start);
    }

    /// <summary>The window starting at <paramref name="unixStart"/>, which must be a multiple of the interval.</summary>
    public UpDownWindow WindowStartingAt(long unixStart)
    {
        if (unixStart % IntervalSeconds != 0)
        {
            throw new ArgumentException($"{unixStart} is not a multiple of {IntervalSeconds} s", nameof(unixStart));
        }

        return new UpDownWindow(this, unixStart);
    }

    /// <summary>The window running now.</summary>
    public UpDownWindow Current(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return WindowAt(timeProvider.GetUtcNow());
    }

    /// <summary>The window after the current one.</summary>
    public UpDownWindow Next(TimeProvider timeProvider) => Current(timeProvider).Next;

    /// <summary>The <paramref name="count"/> windows after the current one, in order.</summary>
    public IReadOnlyList<UpDownWindow> Upcoming(TimeProvider timeProvider, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var current = Current(timeProvider);
        return Enumerable.Range(1, count).Select(i => new UpDownWindow(this, current.StartUnixSeconds + (i * IntervalSeconds))).ToArray();
    }

    /// <summary>Reads the window of a slug of this series; false for another series or a misaligned start.</summary>
    public bool TryParseSlug(string? slug, out UpDownWindow window)
    {
        window = default;
        if (slug is null || !slug.StartsWith(SlugPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var tail = slug.AsSpan(SlugPrefix.Length);
        if (!long.TryParse(tail, NumberStyles.None, CultureInfo.InvariantCulture, out var start) || start % IntervalSeconds != 0)
        {
            return false;
        }

        window = new UpDownWindow(this, start);
        return true;
    }

    /// <summary>Reads the series and window of any <c>{asset}-updown-{N}m-{T}</c> slug.</summary>
    public static bool TryParse(string? slug, out UpDownWindow window)
    {
        window = default;
        if (slug is null)
        {
            return false;
        }

        var parts = slug.Split('-');
        if (parts.Length != 4 || parts[1] != "updown" || parts[0].Length == 0 || !parts[2].EndsWith('m')
            || !int.TryParse(parts[2].AsSpan(0, parts[2].Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            || minutes is <= 0 or >= 60)
        {
            return false;
        }

        return new UpDownSeries(parts[0], TimeSpan.FromMinutes(minutes)).TryParseSlug(slug, out window);
    }
}

/// <summary>One window of an up/down series.</summary>
/// <param name="Series">The series.</param>
/// <param name="StartUnixSeconds">The window start, Unix seconds (a multiple of the interval).</param>
public readonly record struct UpDownWindow(UpDownSeries Series, long StartUnixSeconds)
{
    /// <summary>The window start (the slug's <c>T</c>; Gamma <c>eventStartTime</c>).</summary>
    public DateTimeOffset Start => DateTimeOffset.FromUnixTimeSeconds(StartUnixSeconds);

    /// <summary>The window end (Gamma <c>endDate</c>).</summary>
    public DateTimeOffset End => Start + Series.Interval;

    /// <summary>The market slug, e.g. <c>btc-updown-5m-1773307200</c>.</summary>
    public string Slug => Series.SlugPrefix + StartUnixSeconds.ToString(CultureInfo.InvariantCulture);

    /// <summary>The following window.</summary>
    public UpDownWindow Next => this with { StartUnixSeconds = StartUnixSeconds + Series.IntervalSeconds };

    /// <summary>The preceding window.</summary>
    public UpDownWindow Previous => this with { StartUnixSeconds = StartUnixSeconds - Series.IntervalSeconds };

    /// <summary>True when <paramref name="time"/> falls in [Start, End).</summary>
    public bool Contains(DateTimeOffset time) => time >= Start && time < End;

    /// <summary>The slug.</summary>
    public override string ToString() => Slug;
}
