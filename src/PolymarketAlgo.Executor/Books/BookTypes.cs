using System.Globalization;

namespace PolymarketAlgo.Executor.Books;

/// <summary>The side of an order book: bids (resting buy orders) or asks (resting sell orders).</summary>
public enum BookSide : byte
{
    /// <summary>Resting buy orders; a <c>price_change</c> with side <c>BUY</c> updates this side.</summary>
    Bid = 0,

    /// <summary>Resting sell orders; a <c>price_change</c> with side <c>SELL</c> updates this side.</summary>
    Ask = 1,
}

/// <summary>One price level: a price and the aggregate size resting at it.</summary>
/// <param name="Price">The level price (a probability in (0, 1) on Polymarket).</param>
/// <param name="Size">The aggregate size in shares; zero means the level is gone.</param>
public readonly record struct PriceLevel(decimal Price, decimal Size);

/// <summary>How far a local book can be trusted.</summary>
public enum BookStatus : byte
{
    /// <summary>No snapshot has been applied yet.</summary>
    Empty = 0,

    /// <summary>Built from a snapshot and every delta since; consistent.</summary>
    Live = 1,

    /// <summary>
    /// Crossed, or disagreeing with the best bid/ask the server sent with a delta, inside the grace
    /// allowed for a burst of fragments that share one exchange timestamp.
    /// </summary>
    Suspect = 2,

    /// <summary>Known to be wrong or incomplete (crossed past the grace, disconnected, tick size changed); a snapshot was requested.</summary>
    Stale = 3,
}

/// <summary>Why a book was marked stale.</summary>
public enum StaleReason : byte
{
    /// <summary>The book has never had a snapshot.</summary>
    NoSnapshot = 0,

    /// <summary>The best bid reached or passed the best ask past the grace period.</summary>
    Crossed = 1,

    /// <summary>The best bid/ask the server sent with a delta disagreed with the local book past the grace period.</summary>
    ServerBestMismatch = 2,

    /// <summary>The connection dropped; deltas may have been missed.</summary>
    Disconnected = 3,

    /// <summary>The tick size changed; the protocol asks for a re-sync.</summary>
    TickSizeChanged = 4,

    /// <summary>A caller asked for a re-sync.</summary>
    Requested = 5,
}

/// <summary>A 20-byte book hash as sent by the CLOB (40 hex digits, optionally prefixed by 0x).</summary>
/// <remarks>
/// The server computes it over its own serialisation of the book; it cannot be reproduced locally
/// (checked against the recorded messages), so it is carried for identification only.
/// </remarks>
public readonly record struct BookHash(ulong High, ulong Middle, uint Low)
{
    /// <summary>True when a 40-hex-digit hash was present.</summary>
    public bool HasValue => (High | Middle | Low) != 0;

    /// <summary>Parses 40 hex digits (an optional 0x prefix is allowed) from UTF-8 bytes.</summary>
    /// <param name="utf8">The text.</param>
    /// <param name="hash">The hash, or default when the text is not 40 hex digits.</param>
    /// <returns>True when the text was a hash.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out BookHash hash)
    {
        hash = default;
        if (utf8.Length == 42 && utf8[0] == (byte)'0' && (utf8[1] == (byte)'x' || utf8[1] == (byte)'X'))
        {
            utf8 = utf8[2..];
        }

        if (utf8.Length != 40)
        {
            return false;
        }

        ulong high = 0,
            middle = 0;
        uint low = 0;
        for (var i = 0; i < 40; i++)
        {
            var nibble = HexValue(utf8[i]);
            if (nibble < 0)
            {
                return false;
            }

            if (i < 16)
            {
                high = (high << 4) | (uint)nibble;
            }
            else if (i < 32)
            {
                middle = (middle << 4) | (uint)nibble;
            }
            else
            {
                low = (low << 4) | (uint)nibble;
            }
        }

        hash = new BookHash(high, middle, low);
        return true;
    }

    /// <summary>Parses 40 hex digits (an optional 0x prefix is allowed).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The hash, or default when the text is not a hash.</returns>
    public static BookHash Parse(string? text)
    {
        if (text is null)
        {
            return default;
        }

        Span<byte> buffer = stackalloc byte[64];
        if (text.Length > buffer.Length)
        {
            return default;
        }

        for (var i = 0; i < text.Length; i++)
        {
            buffer[i] = text[i] < 128 ? (byte)text[i] : (byte)'?';
        }

        return TryParse(buffer[..text.Length], out var hash) ? hash : default;
    }

    /// <summary>The 40 lower-case hex digits, or an empty string when absent.</summary>
    /// <returns>The hex text.</returns>
    public override string ToString() =>
        HasValue
            ? High.ToString("x16", CultureInfo.InvariantCulture)
                + Middle.ToString("x16", CultureInfo.InvariantCulture)
                + Low.ToString("x8", CultureInfo.InvariantCulture)
            : string.Empty;

    private static int HexValue(byte c) =>
        c switch
        {
            >= (byte)'0' and <= (byte)'9' => c - '0',
            >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
            >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
            _ => -1,
        };
}

/// <summary>The top of one asset's book.</summary>
/// <param name="AssetId">The outcome token id.</param>
/// <param name="Status">How far the book can be trusted.</param>
/// <param name="BestBid">The best bid level, if any.</param>
/// <param name="BestAsk">The best ask level, if any.</param>
/// <param name="BidLevels">The number of bid levels.</param>
/// <param name="AskLevels">The number of ask levels.</param>
/// <param name="TimestampMs">Exchange time (Unix ms) of the last applied update.</param>
public readonly record struct TopOfBook(
    string AssetId,
    BookStatus Status,
    PriceLevel? BestBid,
    PriceLevel? BestAsk,
    int BidLevels,
    int AskLevels,
    long TimestampMs
)
{
    /// <summary>(best bid + best ask) / 2 when both sides exist.</summary>
    public decimal? Mid => BestBid is { } b && BestAsk is { } a ? (b.Price + a.Price) / 2m : null;

    /// <summary>best ask − best bid when both sides exist.</summary>
    public decimal? Spread => BestBid is { } b && BestAsk is { } a ? a.Price - b.Price : null;
}

/// <summary>The result of walking one side of a book for a size.</summary>
/// <param name="RequestedSize">The size asked for.</param>
/// <param name="FilledSize">The size available, at most the requested size.</param>
/// <param name="Notional">Σ price × size over the consumed levels.</param>
/// <param name="WorstPrice">The price of the last level touched, or 0 when nothing was available.</param>
/// <param name="LevelsUsed">How many levels were touched.</param>
public readonly record struct DepthResult(
    decimal RequestedSize,
    decimal FilledSize,
    decimal Notional,
    decimal WorstPrice,
    int LevelsUsed
)
{
    /// <summary>The volume-weighted average price of the filled size, or null when nothing filled.</summary>
    public decimal? AveragePrice => FilledSize > 0m ? Notional / FilledSize : null;

    /// <summary>True when the whole requested size was available.</summary>
    public bool IsComplete => FilledSize >= RequestedSize;
}

/// <summary>A full book for one asset, e.g. from REST <c>GET /book</c> or a WebSocket <c>book</c> message.</summary>
/// <param name="AssetId">The outcome token id.</param>
/// <param name="Bids">Bid levels, in any order.</param>
/// <param name="Asks">Ask levels, in any order.</param>
/// <param name="TimestampMs">Exchange time (Unix ms) of the snapshot.</param>
/// <param name="Hash">The server's book hash, if sent.</param>
/// <param name="TickSize">The market's tick size, if sent.</param>
public sealed record BookSnapshot(
    string AssetId,
    IReadOnlyList<PriceLevel> Bids,
    IReadOnlyList<PriceLevel> Asks,
    long TimestampMs,
    BookHash Hash = default,
    decimal? TickSize = null
);

/// <summary>Where a fresh book snapshot comes from when the local book is stale (the REST <c>GET /book</c>).</summary>
public interface IBookSnapshotSource
{
    /// <summary>Fetches the current book of one asset.</summary>
    /// <param name="assetId">The outcome token id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The snapshot.</returns>
    Task<BookSnapshot> GetBookAsync(string assetId, CancellationToken cancellationToken);
}
