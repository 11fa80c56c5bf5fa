namespace PolymarketAlgo.Executor.Books;

/// <summary>
/// A local L2 order book for one asset: a snapshot plus deltas, where a delta carries the new
/// aggregate size at a price and size 0 removes the level.
/// </summary>
/// <remarks>
/// Levels are kept in arrays sorted so that the best level is last on each side (bids ascending,
/// asks descending), which is the order Polymarket sends them in: a snapshot in that order is a
/// block copy, and deltas near the top move few elements. Applying a delta does not allocate once
/// the arrays have grown to the book's depth. Not thread-safe: <see cref="BookManager"/> guards it.
/// </remarks>
public sealed class OrderBook
{
    private PriceLevel[] _bids;
    private PriceLevel[] _asks;
    private int _bidCount;
    private int _askCount;

    /// <summary>Creates an empty book.</summary>
    /// <param name="assetId">The outcome token id.</param>
    /// <param name="initialCapacity">Levels reserved per side.</param>
    public OrderBook(string assetId, int initialCapacity = 128)
    {
        ArgumentNullException.ThrowIfNull(assetId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initialCapacity);
        AssetId = assetId;
        _bids = new PriceLevel[initialCapacity];
        _asks = new PriceLevel[initialCapacity];
    }

    /// <summary>The outcome token id.</summary>
    public string AssetId { get; }

    /// <summary>The tick size, when known (from a snapshot or a <c>tick_size_change</c>).</summary>
    public decimal? TickSize { get; private set; }

    /// <summary>Exchange time (Unix ms) of the last applied snapshot or delta.</summary>
    public long TimestampMs { get; private set; }

    /// <summary>True once a snapshot has been applied.</summary>
    public bool HasSnapshot { get; private set; }

    /// <summary>The number of snapshots and deltas applied.</summary>
    public long UpdateCount { get; private set; }

    /// <summary>The number of bid levels.</summary>
    public int BidCount => _bidCount;

    /// <summary>The number of ask levels.</summary>
    public int AskCount => _askCount;

    /// <summary>True when both sides exist and the best bid is at or above the best ask.</summary>
    public bool IsCrossed =>
        _bidCount > 0 && _askCount > 0 && _bids[_bidCount - 1].Price >= _asks[_askCount - 1].Price;

    /// <summary>The best bid, if any.</summary>
    public PriceLevel? BestBid => _bidCount > 0 ? _bids[_bidCount - 1] : null;

    /// <summary>The best ask, if any.</summary>
    public PriceLevel? BestAsk => _askCount > 0 ? _asks[_askCount - 1] : null;

    /// <summary>(best bid + best ask) / 2 when both sides exist.</summary>
    public decimal? Mid =>
        _bidCount > 0 && _askCount > 0 ? (_bids[_bidCount - 1].Price + _asks[_askCount - 1].Price) / 2m : null;

    /// <summary>best ask − best bid when both sides exist.</summary>
    public decimal? Spread =>
        _bidCount > 0 && _askCount > 0 ? _asks[_askCount - 1].Price - _bids[_bidCount - 1].Price : null;

    /// <summary>The number of levels on one side.</summary>
    /// <param name="side">The side.</param>
    /// <returns>The level count.</returns>
    public int LevelCount(BookSide side) => side == BookSide.Bid ? _bidCount : _askCount;

    /// <summary>The level at a depth, 0 being the best.</summary>
    /// <param name="side">The side.</param>
    /// <param name="depth">0 for the best level, 1 for the next, and so on.</param>
    /// <returns>The level.</returns>
    public PriceLevel GetLevel(BookSide side, int depth)
    {
        var count = LevelCount(side);
        ArgumentOutOfRangeException.ThrowIfNegative(depth);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(depth, count);
        return (side == BookSide.Bid ? _bids : _asks)[count - 1 - depth];
    }

    /// <summary>Copies one side, best level first, into a new array.</summary>
    /// <param name="side">The side.</param>
    /// <returns>The levels, best first.</returns>
    public PriceLevel[] ToArray(BookSide side)
    {
        var count = LevelCount(side);
        var source = side == BookSide.Bid ? _bids : _asks;
        var result = new PriceLevel[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = source[count - 1 - i];
        }

        return result;
    }

    /// <summary>The top of the book.</summary>
    /// <param name="status">The status to report with it.</param>
    /// <returns>The top of book.</returns>
    public TopOfBook GetTop(BookStatus status) =>
        new(AssetId, status, BestBid, BestAsk, _bidCount, _askCount, TimestampMs);

    /// <summary>A copy of the whole book as a snapshot.</summary>
    /// <returns>The snapshot (levels best first).</returns>
    public BookSnapshot ToSnapshot() =>
        new(AssetId, ToArray(BookSide.Bid), ToArray(BookSide.Ask), TimestampMs, default, TickSize);

    /// <summary>Replaces the book with a snapshot. Levels may come in any order; non-positive sizes are dropped.</summary>
    /// <param name="bids">Bid levels.</param>
    /// <param name="asks">Ask levels.</param>
    /// <param name="timestampMs">Exchange time (Unix ms).</param>
    /// <param name="tickSize">The tick size, if the snapshot carries one.</param>
    public void ApplySnapshot(
        ReadOnlySpan<PriceLevel> bids,
        ReadOnlySpan<PriceLevel> asks,
        long timestampMs,
        decimal? tickSize = null
    )
    {
        _bidCount = Load(ref _bids, bids, descending: false);
        _askCount = Load(ref _asks, asks, descending: true);
        TimestampMs = timestampMs;
        if (tickSize is { } tick)
        {
            TickSize = tick;
        }

        HasSnapshot = true;
        UpdateCount++;
    }

    /// <summary>Replaces the book with a snapshot.</summary>
    /// <param name="snapshot">The snapshot.</param>
    public void ApplySnapshot(BookSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ApplySnapshot(AsSpan(snapshot.Bids), AsSpan(snapshot.Asks), snapshot.TimestampMs, snapshot.TickSize);
    }

    /// <summary>Sets the aggregate size at one price; size 0 (or less) removes the level.</summary>
    /// <param name="side">The side.</param>
    /// <param name="price">The level price.</param>
    /// <param name="size">The new aggregate size.</param>
    /// <param name="timestampMs">Exchange time (Unix ms).</param>
    /// <returns>True when the best level of that side changed (price or size).</returns>
    public bool ApplyDelta(BookSide side, decimal price, decimal size, long timestampMs)
    {
        if (timestampMs > TimestampMs)
        {
            TimestampMs = timestampMs;
        }

        UpdateCount++;
        return side == BookSide.Bid
            ? Set(ref _bids, ref _bidCount, price, size, descending: false)
            : Set(ref _asks, ref _askCount, price, size, descending: true);
    }

    /// <summary>Records a new tick size.</summary>
    /// <param name="tickSize">The tick size.</param>
    /// <param name="timestampMs">Exchange time (Unix ms).</param>
    public void SetTickSize(decimal tickSize, long timestampMs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tickSize);
        TickSize = tickSize;
        if (timestampMs > TimestampMs)
        {
            TimestampMs = timestampMs;
        }
    }

    /// <summary>Removes every level and forgets the snapshot.</summary>
    public void Clear()
    {
        _bidCount = 0;
        _askCount = 0;
        HasSnapshot = false;
    }

    /// <summary>
    /// Walks one side from the best level until <paramref name="size"/> is filled: walk the asks to
    /// price a buy and the bids to price a sell.
    /// </summary>
    /// <param name="side">The side to consume.</param>
    /// <param name="size">The size wanted (shares).</param>
    /// <returns>Filled size, notional, worst price and levels used.</returns>
    public DepthResult WalkSize(BookSide side, decimal size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var levels = side == BookSide.Bid ? _bids : _asks;
        var count = LevelCount(side);
        var remaining = size;
        var notional = 0m;
        var worst = 0m;
        var used = 0;
        for (var i = count - 1; i >= 0 && remaining > 0m; i--)
        {
            var take = Math.Min(remaining, levels[i].Size);
            notional += take * levels[i].Price;
            remaining -= take;
            worst = levels[i].Price;
            used++;
        }

        return new DepthResult(size, size - remaining, notional, worst, used);
    }

    /// <summary>The total size resting on one side at prices at least as good as a limit.</summary>
    /// <param name="side">The side.</param>
    /// <param name="limitPrice">Bids at or above it, asks at or below it, count.</param>
    /// <returns>The total size.</returns>
    public decimal SizeWithin(BookSide side, decimal limitPrice)
    {
        var levels = side == BookSide.Bid ? _bids : _asks;
        var total = 0m;
        for (var i = LevelCount(side) - 1; i >= 0; i--)
        {
            var price = levels[i].Price;
            if (side == BookSide.Bid ? price < limitPrice : price > limitPrice)
            {
                break;
            }

            total += levels[i].Size;
        }

        return total;
    }

    private static ReadOnlySpan<PriceLevel> AsSpan(IReadOnlyList<PriceLevel> levels) =>
        levels switch
        {
            PriceLevel[] array => array,
            List<PriceLevel> list => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list),
            _ => levels.ToArray(),
        };

    /// <summary>True when a sorts strictly before b in the side's storage order (best last).</summary>
    private static bool Before(decimal a, decimal b, bool descending) => descending ? a > b : a < b;

    private static int Load(ref PriceLevel[] target, ReadOnlySpan<PriceLevel> source, bool descending)
    {
        if (target.Length < source.Length)
        {
            target = new PriceLevel[Math.Max(source.Length, target.Length * 2)];
        }

        var count = 0;
        var ordered = true;
        for (var i = 0; i < source.Length; i++)
        {
            var level = source[i];
            if (level.Size <= 0m)
            {
                continue;
            }

            if (count > 0 && !Before(target[count - 1].Price, level.Price, descending))
            {
                ordered = false;
            }

            target[count++] = level;
        }

        if (ordered)
        {
            return count;
        }

        var span = target.AsSpan(0, count);
        if (descending)
        {
            span.Sort(static (x, y) => y.Price.CompareTo(x.Price));
        }
        else
        {
            span.Sort(static (x, y) => x.Price.CompareTo(y.Price));
        }

        var write = 0;
        for (var read = 0; read < count; read++)
        {
            if (write > 0 && target[write - 1].Price == target[read].Price)
            {
                target[write - 1] = target[read];
            }
            else
            {
                target[write++] = target[read];
            }
        }

        return write;
    }

    private static int Find(PriceLevel[] levels, int count, decimal price, bool descending)
    {
        // Most updates land near the top of the book, which is the end of the array.
        if (count > 0)
        {
            var top = levels[count - 1].Price;
            if (top == price)
            {
                return count - 1;
            }

            if (Before(top, price, descending))
            {
                return ~count;
            }
        }

        var lo = 0;
        var hi = count - 2;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var p = levels[mid].Price;
            if (p == price)
            {
                return mid;
            }

            if (Before(p, price, descending))
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }

    private static bool Set(ref PriceLevel[] levels, ref int count, decimal price, decimal size, bool descending)
    {
        var index = Find(levels, count, price, descending);
        if (index >= 0)
        {
            var wasTop = index == count - 1;
            if (size <= 0m)
            {
                Array.Copy(levels, index + 1, levels, index, count - index - 1);
                count--;
            }
            else
            {
                if (wasTop && levels[index].Size == size)
                {
                    return false;
                }

                levels[index] = new PriceLevel(price, size);
            }

            return wasTop;
        }

        if (size <= 0m)
        {
            return false;
        }

        index = ~index;
        if (count == levels.Length)
        {
            Array.Resize(ref levels, levels.Length * 2);
        }

        Array.Copy(levels, index, levels, index + 1, count - index);
        levels[index] = new PriceLevel(price, size);
        count++;
        return index == count - 1;
    }
}
