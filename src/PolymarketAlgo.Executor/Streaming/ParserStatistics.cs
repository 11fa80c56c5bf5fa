namespace PolymarketAlgo.Executor.Streaming;

/// <summary>
/// Counters kept by a <see cref="MarketMessageParser"/>. Written by the parsing thread only; reads
/// from other threads see recent, not necessarily exact, values.
/// </summary>
public sealed class ParserStatistics
{
    private readonly long[] _byType = new long[Enum.GetValues<MarketEventType>().Length];

    /// <summary>Frames handed to the parser.</summary>
    public long Frames { get; internal set; }

    /// <summary>Events dispatched (a <c>price_change</c> counts once per level change).</summary>
    public long Events { get; private set; }

    /// <summary>Frames that were not JSON, or not an object or array of objects; skipped.</summary>
    public long MalformedFrames { get; internal set; }

    /// <summary>Well-formed objects of a known type that lacked a required field or had a bad value; skipped.</summary>
    public long MalformedEvents { get; internal set; }

    /// <summary>Objects whose event type is missing or not known; skipped.</summary>
    public long UnknownEvents { get; internal set; }

    /// <summary>Everything skipped: malformed frames, malformed events and unknown events.</summary>
    public long Skipped => MalformedFrames + MalformedEvents + UnknownEvents;

    /// <summary>Events dispatched of one type.</summary>
    /// <param name="type">The type.</param>
    /// <returns>The count.</returns>
    public long CountOf(MarketEventType type) => _byType[(int)type];

    /// <summary>Events dispatched, by type (types never seen are left out).</summary>
    /// <returns>The counts.</returns>
    public IReadOnlyDictionary<MarketEventType, long> ByType()
    {
        var result = new Dictionary<MarketEventType, long>();
        for (var i = 0; i < _byType.Length; i++)
        {
            if (_byType[i] > 0)
            {
                result[(MarketEventType)i] = _byType[i];
            }
        }

        return result;
    }

    internal void Count(MarketEventType type, int n)
    {
        _byType[(int)type] += n;
        Events += n;
    }
}
