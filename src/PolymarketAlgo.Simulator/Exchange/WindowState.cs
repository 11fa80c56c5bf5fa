using PolymarketAlgo.Executor.Books;
using PolymarketAlgo.Simulator.Data;
using PolymarketAlgo.Simulator.Markets;

namespace PolymarketAlgo.Simulator.Exchange;

/// <summary>
/// The replayed books of one market: the recorded token's book follows the recorded snapshots (minus what
/// simulated accounts took from it until the next snapshot), and the other token's book is its mirror, so both
/// outcomes share one pool of liquidity. Guarded by the exchange lock.
/// </summary>
internal sealed class WindowState
{
    public WindowState(MarketWindow window)
    {
        Window = window;
        Recorded = new OrderBook(window.RecordedTokenId);
        Mirror = new OrderBook(window.OppositeOf(window.RecordedTokenId));
    }

    public MarketWindow Window { get; }

    public OrderBook Recorded { get; }

    public OrderBook Mirror { get; }

    /// <summary>The index of the next recorded snapshot to apply.</summary>
    public int Next { get; set; }

    /// <summary>The hash of the last applied recorded snapshot.</summary>
    public string Hash { get; private set; } = "";

    /// <summary>The last trade per token: price, size and taker side.</summary>
    public Dictionary<string, (decimal Price, decimal Size, string Side)> LastTrade { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether trading has stopped (the window ended; resting orders were cancelled).</summary>
    public bool Closed { get; set; }

    /// <summary>Whether the outcome was published and positions settled.</summary>
    public bool Resolved { get; set; }

    /// <summary>Leaders that already traded this window.</summary>
    public HashSet<string> LeadersDone { get; } = new(StringComparer.OrdinalIgnoreCase);

    public OrderBook BookOf(string tokenId) => tokenId == Window.RecordedTokenId ? Recorded : Mirror;

    /// <summary>The simulated time (Unix ms) of a recorded snapshot.</summary>
    public long TimeOf(int index) => (Window.StartUnixSeconds * 1000) + Window.Books.Snapshots[index].OffsetMs;

    public void Apply(RecordedBookSnapshot snapshot, long timestampMs)
    {
        Recorded.ApplySnapshot(snapshot.Bids, snapshot.Asks, timestampMs, Window.TickSize);
        Hash = snapshot.Hash;
        RebuildMirror();
    }

    /// <summary>Sets the size left at one level of a token's book after a fill (the mirror follows).</summary>
    public void Consume(string tokenId, BookSide side, decimal price, decimal remainingSize)
    {
        if (tokenId == Window.RecordedTokenId)
        {
            Recorded.ApplyDelta(side, price, remainingSize, Recorded.TimestampMs);
        }
        else
        {
            Recorded.ApplyDelta(side == BookSide.Bid ? BookSide.Ask : BookSide.Bid, 1m - price, remainingSize, Recorded.TimestampMs);
        }

        RebuildMirror();
    }

    private void RebuildMirror()
    {
        var asks = Mirrored(Recorded, BookSide.Bid);
        var bids = Mirrored(Recorded, BookSide.Ask);
        Mirror.ApplySnapshot(bids, asks, Recorded.TimestampMs, Window.TickSize);
    }

    private static PriceLevel[] Mirrored(OrderBook book, BookSide side)
    {
        var levels = new PriceLevel[book.LevelCount(side)];
        for (var i = 0; i < levels.Length; i++)
        {
            var level = book.GetLevel(side, i);
            levels[i] = new PriceLevel(1m - level.Price, level.Size);
        }

        return levels;
    }
}
