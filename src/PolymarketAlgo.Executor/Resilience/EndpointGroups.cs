namespace PolymarketAlgo.Executor.Resilience;

/// <summary>
/// Names of the endpoint groups that share a client-side rate limit (protocol reference §9.1).
/// Each request names its group; a <see cref="RateLimitBucket"/> applies to the groups it lists.
/// </summary>
public static class EndpointGroups
{
    /// <summary>A request with no endpoint-specific limit: only the host-wide buckets apply.</summary>
    public const string General = "general";

    /// <summary>CLOB <c>GET /book</c>.</summary>
    public const string ClobBook = "clob.book";

    /// <summary>CLOB <c>POST /books</c>.</summary>
    public const string ClobBooks = "clob.books";

    /// <summary>CLOB <c>GET /price</c>.</summary>
    public const string ClobPrice = "clob.price";

    /// <summary>CLOB <c>POST /prices</c>.</summary>
    public const string ClobPrices = "clob.prices";

    /// <summary>CLOB <c>GET /midpoint</c>.</summary>
    public const string ClobMidpoint = "clob.midpoint";

    /// <summary>CLOB <c>POST /midpoints</c>.</summary>
    public const string ClobMidpoints = "clob.midpoints";

    /// <summary>CLOB <c>GET /prices-history</c>.</summary>
    public const string ClobPricesHistory = "clob.prices-history";

    /// <summary>CLOB <c>GET /tick-size</c>.</summary>
    public const string ClobTickSize = "clob.tick-size";

    /// <summary>CLOB <c>GET /balance-allowance</c>.</summary>
    public const string ClobBalanceAllowance = "clob.balance-allowance";

    /// <summary>CLOB <c>GET /balance-allowance/update</c>.</summary>
    public const string ClobBalanceAllowanceUpdate = "clob.balance-allowance-update";

    /// <summary>CLOB ledger reads other than the two below, e.g. <c>GET /data/order/{id}</c>.</summary>
    public const string ClobLedger = "clob.ledger";

    /// <summary>CLOB <c>GET /data/orders</c>.</summary>
    public const string ClobDataOrders = "clob.data-orders";

    /// <summary>CLOB <c>GET /data/trades</c>.</summary>
    public const string ClobDataTrades = "clob.data-trades";

    /// <summary>CLOB <c>POST /order</c>.</summary>
    public const string ClobPostOrder = "clob.post-order";

    /// <summary>CLOB <c>POST /orders</c>.</summary>
    public const string ClobPostOrders = "clob.post-orders";

    /// <summary>CLOB <c>DELETE /order</c>.</summary>
    public const string ClobCancelOrder = "clob.cancel-order";

    /// <summary>CLOB <c>DELETE /orders</c>, <c>/cancel-all</c> and <c>/cancel-market-orders</c>.</summary>
    public const string ClobCancelOrders = "clob.cancel-orders";

    /// <summary>Gamma <c>/events</c>.</summary>
    public const string GammaEvents = "gamma.events";

    /// <summary>Gamma <c>/markets</c>.</summary>
    public const string GammaMarkets = "gamma.markets";

    /// <summary>Data API <c>/trades</c>.</summary>
    public const string DataTrades = "data.trades";

    /// <summary>Data API <c>/positions</c>.</summary>
    public const string DataPositions = "data.positions";
}
