using PolymarketAlgo.Executor.Books;

namespace PolymarketAlgo.Simulator.Data;

/// <summary>One recorded <c>book</c> message of a window's asset, its time taken relative to the window start.</summary>
/// <param name="OffsetMs">Receive time minus the window start, in milliseconds.</param>
/// <param name="Bids">The bid levels as recorded (Polymarket sends them ascending, best last).</param>
/// <param name="Asks">The ask levels as recorded (descending, best last).</param>
/// <param name="Hash">The server's book hash.</param>
public sealed record RecordedBookSnapshot(long OffsetMs, PriceLevel[] Bids, PriceLevel[] Asks, string Hash);

/// <summary>
/// The recorded market-channel <c>book</c> messages of one btc-updown-5m window (CronosVirus00 recordings). The
/// recordings hold one asset per market; the other outcome's book is its mirror (a bid for one outcome at p is an
/// ask for the other at 1 − p).
/// </summary>
public sealed class RecordedBookWindow
{
    /// <summary>Creates a recorded window.</summary>
    /// <param name="slug">The market slug, <c>btc-updown-5m-&lt;start&gt;</c>.</param>
    /// <param name="startUnixSeconds">The window start.</param>
    /// <param name="conditionId">The market's condition id (the messages' <c>market</c>).</param>
    /// <param name="assetId">The recorded asset.</param>
    /// <param name="snapshots">The snapshots in receive order; at least one.</param>
    public RecordedBookWindow(string slug, long startUnixSeconds, string conditionId, string assetId, IReadOnlyList<RecordedBookSnapshot> snapshots)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        if (snapshots.Count == 0)
        {
            throw new ArgumentException("A recorded window needs at least one book.", nameof(snapshots));
        }

        Slug = slug;
        StartUnixSeconds = startUnixSeconds;
        ConditionId = conditionId;
        AssetId = assetId;
        Snapshots = snapshots;
        FinalPrice = FinalPriceOf(snapshots);
    }

    /// <summary>The market slug.</summary>
    public string Slug { get; }

    /// <summary>The window start, Unix seconds.</summary>
    public long StartUnixSeconds { get; }

    /// <summary>The condition id.</summary>
    public string ConditionId { get; }

    /// <summary>The recorded asset (token) id.</summary>
    public string AssetId { get; }

    /// <summary>The snapshots in receive order.</summary>
    public IReadOnlyList<RecordedBookSnapshot> Snapshots { get; }

    /// <summary>
    /// The recorded asset's price at the end of the recording: the mid of the last book with both sides, or the
    /// only side's best price when one side is empty.
    /// </summary>
    public decimal FinalPrice { get; }

    /// <summary>Whether the recorded asset won, as implied by <see cref="FinalPrice"/> (at least 0.5).</summary>
    public bool AssetWon => FinalPrice >= 0.5m;

    private static decimal FinalPriceOf(IReadOnlyList<RecordedBookSnapshot> snapshots)
    {
        var last = snapshots[^1];
        var bestBid = last.Bids.Length > 0 ? last.Bids.Max(l => l.Price) : (decimal?)null;
        var bestAsk = last.Asks.Length > 0 ? last.Asks.Min(l => l.Price) : (decimal?)null;
        return (bestBid, bestAsk) switch
        {
            ({ } b, { } a) => (a + b) / 2m,
            ({ } b, null) => b,
            (null, { } a) => a,
            _ => 0.5m,
        };
    }
}
