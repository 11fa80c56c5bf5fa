namespace PolymarketAlgo.Executor.Orders;

/// <summary>The trading rules of one market that an order must respect.</summary>
/// <param name="TickSize">The market's tick (CLOB <c>minimum_tick_size</c>).</param>
/// <param name="NegRisk">Whether the market is neg-risk (signs against the NegRisk exchange).</param>
/// <param name="MinimumOrderSize">The smallest resting order in shares (CLOB <c>minimum_order_size</c>, typically 5).</param>
public sealed record MarketInfo(TickSize TickSize, bool NegRisk, decimal MinimumOrderSize)
{
    /// <summary>Whether this is a Protocol-V2 market (Gamma <c>version:"v2"</c>), which signs against ExchangeV3.</summary>
    public bool ProtocolV2 { get; init; }

    /// <summary>The smallest notional in pUSD of a marketable (FOK/FAK) order; the venue's rule is $1.</summary>
    public decimal MinimumMarketNotional { get; init; } = 1m;
}

/// <summary>A limit order to build: shares at a price.</summary>
/// <param name="TokenId">The outcome token.</param>
/// <param name="Side">BUY or SELL.</param>
/// <param name="Price">The limit price, on the market's tick grid.</param>
/// <param name="Size">The number of shares (rounded down to 2 decimals).</param>
public sealed record LimitOrderRequest(TokenId TokenId, Side Side, decimal Price, decimal Size)
{
    /// <summary>The time-in-force; GTC unless set.</summary>
    public OrderType OrderType { get; init; } = OrderType.Gtc;

    /// <summary>Expiration in Unix seconds, required for GTD (at least 180 s ahead) and 0 otherwise.</summary>
    public long Expiration { get; init; }
}

/// <summary>A market order to build: an amount at a worst acceptable price.</summary>
/// <param name="TokenId">The outcome token.</param>
/// <param name="Side">BUY or SELL.</param>
/// <param name="Amount">pUSD to spend for a BUY, shares to sell for a SELL (rounded down to 2 decimals).</param>
/// <param name="Price">The worst acceptable price, e.g. from <see cref="MarketPrice"/>; on the tick grid.</param>
public sealed record MarketOrderRequest(TokenId TokenId, Side Side, decimal Amount, decimal Price)
{
    /// <summary>FOK (default) or FAK.</summary>
    public OrderType OrderType { get; init; } = OrderType.Fok;

    /// <summary>Round the received amount up rather than down (ts-sdk's price-protected market order).</summary>
    public bool ProtectPrice { get; init; }
}
