using PolymarketAlgo.Executor.Orders;
using PolymarketAlgo.Simulator.Markets;

namespace PolymarketAlgo.Simulator.Exchange;

/// <summary>An order the simulated exchange accepted. Mutable; guarded by the exchange lock.</summary>
public sealed class SimOrder
{
    internal SimOrder(
        string id,
        string owner,
        string makerAddress,
        MarketWindow window,
        string tokenId,
        Side side,
        decimal price,
        decimal originalSize,
        OrderType orderType,
        long expiration,
        long createdAt)
    {
        Id = id;
        Owner = owner;
        MakerAddress = makerAddress;
        Window = window;
        TokenId = tokenId;
        Side = side;
        Price = price;
        OriginalSize = originalSize;
        OrderType = orderType;
        Expiration = expiration;
        CreatedAt = createdAt;
    }

    /// <summary>The order hash.</summary>
    public string Id { get; }

    /// <summary>The API key that placed it.</summary>
    public string Owner { get; }

    /// <summary>The funder address (the signed <c>maker</c>).</summary>
    public string MakerAddress { get; }

    /// <summary>The market.</summary>
    public MarketWindow Window { get; }

    /// <summary>The outcome token.</summary>
    public string TokenId { get; }

    /// <summary>BUY or SELL.</summary>
    public Side Side { get; }

    /// <summary>The limit price (maker amount over taker amount for a BUY, the reverse for a SELL).</summary>
    public decimal Price { get; }

    /// <summary>The size in shares (for a market BUY, the shares its pUSD bought).</summary>
    public decimal OriginalSize { get; internal set; }

    /// <summary>The shares matched so far.</summary>
    public decimal SizeMatched { get; internal set; }

    /// <summary>The time-in-force.</summary>
    public OrderType OrderType { get; }

    /// <summary>The GTD expiration (Unix seconds), 0 for none.</summary>
    public long Expiration { get; }

    /// <summary>Creation time, Unix seconds (simulated).</summary>
    public long CreatedAt { get; }

    /// <summary><c>LIVE</c>, <c>MATCHED</c> or <c>CANCELED</c>.</summary>
    public string Status { get; internal set; } = "LIVE";

    /// <summary>The trades the order took part in.</summary>
    public List<string> TradeIds { get; } = [];

    /// <summary>The unmatched size.</summary>
    public decimal Remaining => OriginalSize - SizeMatched;

    /// <summary>Whether the order rests on the book.</summary>
    public bool IsLive => Status == "LIVE";
}

/// <summary>A maker leg of a trade.</summary>
/// <param name="OrderId">The maker order.</param>
/// <param name="Owner">Its API key (<c>replay</c> for the recorded book).</param>
/// <param name="MakerAddress">Its funder.</param>
/// <param name="MatchedAmount">Shares matched.</param>
/// <param name="Price">The price.</param>
/// <param name="Side">The maker's side.</param>
public sealed record MakerLeg(string OrderId, string Owner, string MakerAddress, decimal MatchedAmount, decimal Price, Side Side);

/// <summary>One fill of a simulated account's order (against the replayed book).</summary>
/// <param name="Id">The trade id.</param>
/// <param name="TakerOrderId">The taker order.</param>
/// <param name="Window">The market.</param>
/// <param name="TokenId">The asset.</param>
/// <param name="Side">The taker's side.</param>
/// <param name="Size">Shares.</param>
/// <param name="Price">The price.</param>
/// <param name="FeeRateBps">The fee rate charged to the account, in bps of the fee-curve rate.</param>
/// <param name="Fee">The fee charged to the account, pUSD.</param>
/// <param name="MatchTime">Unix seconds (simulated).</param>
/// <param name="Owner">The account's API key.</param>
/// <param name="MakerAddress">The account's funder.</param>
/// <param name="TraderSide"><c>TAKER</c> or <c>MAKER</c>.</param>
/// <param name="MakerOrders">The maker legs.</param>
/// <param name="TransactionHash">The (fake) settlement transaction.</param>
public sealed record SimTrade(
    string Id,
    string TakerOrderId,
    MarketWindow Window,
    string TokenId,
    Side Side,
    decimal Size,
    decimal Price,
    decimal FeeRateBps,
    decimal Fee,
    long MatchTime,
    string Owner,
    string MakerAddress,
    string TraderSide,
    IReadOnlyList<MakerLeg> MakerOrders,
    string TransactionHash);
