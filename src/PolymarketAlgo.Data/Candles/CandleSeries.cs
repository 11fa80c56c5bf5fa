using PolymarketAlgo.Core;

namespace PolymarketAlgo.Data;

/// <summary>Column operations on <see cref="CandleColumns"/>: empty, concatenate, slice, merge, validate.</summary>
public static class CandleSeries
{
    /// <summary>Candles with no bars.</summary>
    public static CandleColumns Empty { get; } = new([], [], [], [], [], []);

    /// <summary>Concatenates candle blocks in the order given (the caller guarantees time order).</summary>
    /// <param name="parts">Blocks to join.</param>
    /// <returns>One block holding every bar.</returns>
    public static CandleColumns Concat(IReadOnlyList<CandleColumns> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var total = parts.Sum(p => p.Length);
        var time = new DateTimeOffset[total];
        var open = new double[total];
        var high = new double[total];
        var low = new double[total];
        var close = new double[total];
        var volume = new double[total];
        var at = 0;
        foreach (var part in parts)
        {
            part.Time.CopyTo(time, at);
            part.Open.CopyTo(open, at);
            part.High.CopyTo(high, at);
            part.Low.CopyTo(low, at);
            part.Close.CopyTo(close, at);
            part.Volume.CopyTo(volume, at);
            at += part.Length;
        }

        return new CandleColumns(time, open, high, low, close, volume);
    }

    /// <summary>The bars whose open time lies in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    /// <param name="candles">Candles sorted by time.</param>
    /// <param name="from">Inclusive lower bound.</param>
    /// <param name="to">Exclusive upper bound.</param>
    /// <returns>A copy of the bars in range.</returns>
    public static CandleColumns Between(CandleColumns candles, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(candles);
        var start = LowerBound(candles.Time, from);
        var end = Math.Max(start, LowerBound(candles.Time, to));
        return Slice(candles, start, end - start);
    }

    /// <summary>Copies <paramref name="count"/> bars starting at index <paramref name="start"/>.</summary>
    /// <param name="candles">The source candles.</param>
    /// <param name="start">First index.</param>
    /// <param name="count">Number of bars.</param>
    /// <returns>The copied bars.</returns>
    public static CandleColumns Slice(CandleColumns candles, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(candles);
        return new CandleColumns(
            candles.Time.AsSpan(start, count).ToArray(),
            candles.Open.AsSpan(start, count).ToArray(),
            candles.High.AsSpan(start, count).ToArray(),
            candles.Low.AsSpan(start, count).ToArray(),
            candles.Close.AsSpan(start, count).ToArray(),
            candles.Volume.AsSpan(start, count).ToArray());
    }

    /// <summary>
    /// Merges two sorted candle sets into one sorted set; where both hold a bar with the same open time,
    /// the bar from <paramref name="newer"/> wins.
    /// </summary>
    /// <param name="older">Candles already held.</param>
    /// <param name="newer">Freshly fetched candles.</param>
    /// <returns>The union, strictly increasing in time.</returns>
    public static CandleColumns Merge(CandleColumns older, CandleColumns newer)
    {
        ArgumentNullException.ThrowIfNull(older);
        ArgumentNullException.ThrowIfNull(newer);
        if (newer.Length == 0)
        {
            return older;
        }

        if (older.Length == 0)
        {
            return newer;
        }

        if (older.Time[^1] < newer.Time[0])
        {
            return Concat([older, newer]);
        }

        if (newer.Time[^1] < older.Time[0])
        {
            return Concat([newer, older]);
        }

        var indexes = new List<(CandleColumns Source, int Index)>(older.Length + newer.Length);
        int i = 0, j = 0;
        while (i < older.Length || j < newer.Length)
        {
            if (j == newer.Length || (i < older.Length && older.Time[i] < newer.Time[j]))
            {
                indexes.Add((older, i++));
            }
            else
            {
                if (i < older.Length && older.Time[i] == newer.Time[j])
                {
                    i++;
                }

                indexes.Add((newer, j++));
            }
        }

        var n = indexes.Count;
        var result = new CandleColumns(new DateTimeOffset[n], new double[n], new double[n], new double[n], new double[n], new double[n]);
        for (var k = 0; k < n; k++)
        {
            var (source, index) = indexes[k];
            result.Time[k] = source.Time[index];
            result.Open[k] = source.Open[index];
            result.High[k] = source.High[index];
            result.Low[k] = source.Low[index];
            result.Close[k] = source.Close[index];
            result.Volume[k] = source.Volume[index];
        }

        return result;
    }

    /// <summary>Checks that all columns have the same length and times strictly increase.</summary>
    /// <param name="candles">The candles to check.</param>
    /// <param name="paramName">Parameter name used in the exception.</param>
    /// <exception cref="ArgumentException">The columns disagree in length or times are not strictly increasing.</exception>
    public static void Validate(CandleColumns candles, string paramName = "candles")
    {
        ArgumentNullException.ThrowIfNull(candles, paramName);
        var n = candles.Time.Length;
        if (candles.Open.Length != n || candles.High.Length != n || candles.Low.Length != n || candles.Close.Length != n
            || candles.Volume.Length != n)
        {
            throw new ArgumentException("all candle columns must have the same length", paramName);
        }

        for (var k = 1; k < n; k++)
        {
            if (candles.Time[k] <= candles.Time[k - 1])
            {
                throw new ArgumentException($"candle times must strictly increase: bar {k} at {candles.Time[k]:u} follows {candles.Time[k - 1]:u}", paramName);
            }
        }
    }

    private static int LowerBound(DateTimeOffset[] times, DateTimeOffset value)
    {
        int lo = 0, hi = times.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (times[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
