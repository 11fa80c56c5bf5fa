using PolymarketAlgo.Executor.Books;

namespace PolymarketAlgo.Executor.Streaming;

/// <summary>The event types of the CLOB market and user channels.</summary>
public enum MarketEventType
{
    /// <summary>A full book snapshot (<c>book</c>).</summary>
    Book = 0,

    /// <summary>One level changed (<c>price_change</c>); counted once per change, not per message.</summary>
    PriceChange = 1,

    /// <summary>A trade printed (<c>last_trade_price</c>).</summary>
    LastTradePrice = 2,

    /// <summary>The tick size changed (<c>tick_size_change</c>).</summary>
    TickSizeChange = 3,

    /// <summary>The top of book changed (<c>best_bid_ask</c>, custom feature).</summary>
    BestBidAsk = 4,

    /// <summary>A market was created (<c>new_market</c>, custom feature).</summary>
    NewMarket = 5,

    /// <summary>A market resolved (<c>market_resolved</c>, custom feature).</summary>
    MarketResolved = 6,

    /// <summary>User channel: one of our orders was placed, updated or cancelled (<c>order</c>).</summary>
    Order = 7,

    /// <summary>User channel: one of our trades advanced (<c>trade</c>).</summary>
    Trade = 8,
}

/// <summary>The aggressor (or order) side of a trade.</summary>
public enum TradeSide : byte
{
    /// <summary>BUY.</summary>
    Buy = 0,

    /// <summary>SELL.</summary>
    Sell = 1,
}

/// <summary>One level change from a <c>price_change</c> message (either wire format).</summary>
/// <param name="AssetId">The outcome token id.</param>
/// <param name="Market">The condition id, when sent.</param>
/// <param name="Side">Bid for <c>BUY</c>, ask for <c>SELL</c>.</param>
/// <param name="Price">The level price.</param>
/// <param name="Size">The new aggregate size at that price; 0 removes the level.</param>
/// <param name="BestBid">The server's best bid after the change (batched format only).</param>
/// <param name="BestAsk">The server's best ask after the change (batched format only).</param>
/// <param name="Hash">The server's book hash after the change, when sent.</param>
/// <param name="TimestampMs">Exchange time (Unix ms).</param>
public readonly record struct PriceChange(
    string AssetId,
    string? Market,
    BookSide Side,
    decimal Price,
    decimal Size,
    decimal? BestBid,
    decimal? BestAsk,
    BookHash Hash,
    long TimestampMs
);

/// <summary>A <c>last_trade_price</c> event: a trade printed on the market.</summary>
/// <param name="AssetId">The outcome token id.</param>
/// <param name="Market">The condition id.</param>
/// <param name="Price">The trade price.</param>
/// <param name="Size">The trade size, when sent.</param>
/// <param name="Side">The aggressor side, when sent.</param>
/// <param name="FeeRateBps">The fee rate in basis points, when sent.</param>
/// <param name="TimestampMs">Exchange time (Unix ms).</param>
public readonly record struct LastTradePrice(
    string AssetId,
    string? Market,
    decimal Price,
    decimal? Size,
    TradeSide? Side,
    decimal? FeeRateBps,
    long TimestampMs
);

/// <summary>A <c>tick_size_change</c> event.</summary>
/// <param name="AssetId">The outcome token id.</param>
/// <param name="Market">The condition id.</param>
/// <param name="OldTickSize">The previous tick size, when sent.</param>
/// <param name="NewTickSize">The new tick size.</param>
/// <param name="TimestampMs">Exchange time (Unix ms).</param>
public readonly record struct TickSizeChange(
    string AssetId,
    string? Market,
    decimal? OldTickSize,
    decimal NewTickSize,
    long TimestampMs
);

/// <summary>A <c>best_bid_ask</c> event (custom feature).</summary>
/// <param name="AssetId">The outcome token id.</param>
/// <param name="Market">The condition id.</param>
/// <param name="BestBid">The best bid.</param>
/// <param name="BestAsk">The best ask.</param>
/// <param name="Spread">The spread, when sent.</param>
/// <param name="TimestampMs">Exchange time (Unix ms).</param>
public readonly record struct BestBidAsk(
    string AssetId,
    string? Market,
    decimal? BestBid,
    decimal? BestAsk,
    decimal? Spread,
    long TimestampMs
);

/// <summary>
/// A <c>book</c> message. The parser reuses one instance per parser: its contents are valid only
/// during the <see cref="MarketEventHandler.OnBook"/> call; copy what you keep (e.g. <see cref="ToSnapshot"/>).
/// </summary>
public sealed class BookMessage
{
    private PriceLevel[] _bids = new PriceLevel[128];
    private PriceLevel[] _asks = new PriceLevel[128];

    /// <summary>The outcome token id.</summary>
    public string AssetId { get; internal set; } = string.Empty;

    /// <summary>The condition id.</summary>
    public string? Market { get; internal set; }

    /// <summary>Exchange time (Unix ms).</summary>
    public long TimestampMs { get; internal set; }

    /// <summary>The server's book hash.</summary>
    public BookHash Hash { get; internal set; }

    /// <summary>The tick size, when sent.</summary>
    public decimal? TickSize { get; internal set; }

    /// <summary>The minimum order size, when sent.</summary>
    public decimal? MinOrderSize { get; internal set; }

    /// <summary>The last trade price, when sent.</summary>
    public decimal? LastTradePrice { get; internal set; }

    /// <summary>Whether the market is neg-risk, when sent.</summary>
    public bool? NegRisk { get; internal set; }

    /// <summary>The number of bid levels.</summary>
    public int BidCount { get; private set; }

    /// <summary>The number of ask levels.</summary>
    public int AskCount { get; private set; }

    /// <summary>The bid levels in the order received.</summary>
    public ReadOnlySpan<PriceLevel> Bids => _bids.AsSpan(0, BidCount);

    /// <summary>The ask levels in the order received.</summary>
    public ReadOnlySpan<PriceLevel> Asks => _asks.AsSpan(0, AskCount);

    /// <summary>Copies the message into a snapshot.</summary>
    /// <returns>The snapshot.</returns>
    public BookSnapshot ToSnapshot() =>
        new(AssetId, Bids.ToArray(), Asks.ToArray(), TimestampMs, Hash, TickSize);

    internal void Reset()
    {
        AssetId = string.Empty;
        Market = null;
        TimestampMs = 0;
        Hash = default;
        TickSize = null;
        MinOrderSize = null;
        LastTradePrice = null;
        NegRisk = null;
        BidCount = 0;
        AskCount = 0;
    }

    internal void Add(BookSide side, PriceLevel level)
    {
        if (side == BookSide.Bid)
        {
            if (BidCount == _bids.Length)
            {
                Array.Resize(ref _bids, _bids.Length * 2);
            }

            _bids[BidCount++] = level;
        }
        else
        {
            if (AskCount == _asks.Length)
            {
                Array.Resize(ref _asks, _asks.Length * 2);
            }

            _asks[AskCount++] = level;
        }
    }
}

/// <summary>A <c>new_market</c> event (custom feature).</summary>
/// <param name="Id">The Gamma market id.</param>
/// <param name="Question">The question.</param>
/// <param name="Market">The condition id.</param>
/// <param name="Slug">The market slug.</param>
/// <param name="AssetIds">The outcome token ids.</param>
/// <param name="Outcomes">The outcome names.</param>
/// <param name="Active">Whether the market is active.</param>
/// <param name="TickSize">The minimum tick size, when sent.</param>
/// <param name="EventSlug">The parent event's slug, when sent.</param>
/// <param name="Tags">The tags.</param>
/// <param name="TimestampMs">Exchange time (Unix ms).</param>
public sealed record NewMarketEvent(
    string? Id,
    string? Question,
    string? Market,
    string? Slug,
    IReadOnlyList<string> AssetIds,
    IReadOnlyList<string> Outcomes,
    bool? Active,
    decimal? TickSize,
    string? EventSlug,
    IReadOnlyList<string> Tags,
    long TimestampMs
);

/// <summary>A <c>market_resolved</c> event (custom feature).</summary>
/// <param name="Id">The Gamma market id.</param>
/// <param name="Market">The condition id.</param>
/// <param name="AssetIds">The outcome token ids.</param>
/// <param name="WinningAssetId">The winning token id.</param>
/// <param name="WinningOutcome">The winning outcome name.</param>
/// <param name="TimestampMs">Exchange time (Unix ms).</param>
public sealed record MarketResolvedEvent(
    string? Id,
    string? Market,
    IReadOnlyList<string> AssetIds,
    string? WinningAssetId,
    string? WinningOutcome,
    long TimestampMs
);

/// <summary>The <c>type</c> of a user-channel <c>order</c> event.</summary>
public enum OrderEventKind
{
    /// <summary>Not one of the documented values.</summary>
    Unknown = 0,

    /// <summary>PLACEMENT.</summary>
    Placement = 1,

    /// <summary>UPDATE (a partial or complete fill).</summary>
    Update = 2,

    /// <summary>CANCELLATION.</summary>
    Cancellation = 3,
}

/// <summary>The lifecycle status of a user-channel <c>trade</c>.</summary>
public enum TradeStatus
{
    /// <summary>Not one of the documented values.</summary>
    Unknown = 0,

    /// <summary>MATCHED: sent to the executor.</summary>
    Matched = 1,

    /// <summary>MINED: in a block, not yet final.</summary>
    Mined = 2,

    /// <summary>CONFIRMED: final and successful.</summary>
    Confirmed = 3,

    /// <summary>RETRYING: reverted or reorged; being resubmitted.</summary>
    Retrying = 4,

    /// <summary>FAILED: terminal, not retried.</summary>
    Failed = 5,
}

/// <summary>A user-channel <c>order</c> event.</summary>
/// <param name="Id">The order id (0x hash).</param>
/// <param name="Kind">PLACEMENT, UPDATE or CANCELLATION.</param>
/// <param name="Status">The raw status (LIVE, MATCHED, CANCELED, INVALID, or a longer CANCELED_… text).</param>
/// <param name="Market">The condition id.</param>
/// <param name="AssetId">The outcome token id.</param>
/// <param name="Side">The order side.</param>
/// <param name="Price">The limit price.</param>
/// <param name="OriginalSize">The original size.</param>
/// <param name="SizeMatched">The size matched so far.</param>
/// <param name="Outcome">The outcome name.</param>
/// <param name="OrderType">GTC, GTD, FOK or FAK.</param>
/// <param name="Owner">The API key owning the order.</param>
/// <param name="MakerAddress">The maker (funder) address.</param>
/// <param name="AssociateTrades">Trade ids linked to the order.</param>
/// <param name="TimestampMs">Event time in Unix ms (a seconds value is scaled to ms).</param>
public sealed record UserOrderEvent(
    string Id,
    OrderEventKind Kind,
    string? Status,
    string? Market,
    string? AssetId,
    TradeSide? Side,
    decimal? Price,
    decimal? OriginalSize,
    decimal? SizeMatched,
    string? Outcome,
    string? OrderType,
    string? Owner,
    string? MakerAddress,
    IReadOnlyList<string> AssociateTrades,
    long TimestampMs
);

/// <summary>One maker order filled by a user-channel trade.</summary>
/// <param name="OrderId">The maker order id.</param>
/// <param name="Owner">The maker's API key.</param>
/// <param name="MakerAddress">The maker address.</param>
/// <param name="AssetId">The outcome token id.</param>
/// <param name="MatchedAmount">The size matched against this order.</param>
/// <param name="Price">The maker order price.</param>
/// <param name="FeeRateBps">The fee rate in basis points, when sent.</param>
/// <param name="Outcome">The outcome name.</param>
public sealed record MakerOrderFill(
    string? OrderId,
    string? Owner,
    string? MakerAddress,
    string? AssetId,
    decimal? MatchedAmount,
    decimal? Price,
    decimal? FeeRateBps,
    string? Outcome
);

/// <summary>A user-channel <c>trade</c> event; one trade id gets one event per status it reaches.</summary>
/// <param name="Id">The trade id.</param>
/// <param name="Status">The lifecycle status.</param>
/// <param name="RawStatus">The status text as sent.</param>
/// <param name="TakerOrderId">The taker order id.</param>
/// <param name="Market">The condition id.</param>
/// <param name="AssetId">The outcome token id.</param>
/// <param name="Side">The taker side.</param>
/// <param name="Size">The trade size.</param>
/// <param name="Price">The trade price.</param>
/// <param name="FeeRateBps">The fee rate in basis points.</param>
/// <param name="Outcome">The outcome name.</param>
/// <param name="Owner">The API key the event is for.</param>
/// <param name="TraderSide">TAKER or MAKER.</param>
/// <param name="TransactionHash">The settlement transaction hash, when known.</param>
/// <param name="MatchTime">Match time in Unix seconds.</param>
/// <param name="LastUpdate">Last update in Unix seconds.</param>
/// <param name="MakerOrders">The maker orders filled.</param>
/// <param name="TimestampMs">Event time in Unix ms (a seconds value is scaled to ms; 0 when absent).</param>
public sealed record UserTradeEvent(
    string Id,
    TradeStatus Status,
    string? RawStatus,
    string? TakerOrderId,
    string? Market,
    string? AssetId,
    TradeSide? Side,
    decimal? Size,
    decimal? Price,
    decimal? FeeRateBps,
    string? Outcome,
    string? Owner,
    string? TraderSide,
    string? TransactionHash,
    long? MatchTime,
    long? LastUpdate,
    IReadOnlyList<MakerOrderFill> MakerOrders,
    long TimestampMs
);
