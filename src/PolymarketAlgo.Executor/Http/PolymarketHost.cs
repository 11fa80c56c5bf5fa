namespace PolymarketAlgo.Executor.Http;

/// <summary>The Polymarket REST hosts this executor talks to; each has its own resilience pipeline.</summary>
public enum PolymarketHost
{
    /// <summary>The CLOB (order book, orders, trades): <c>https://clob.polymarket.com</c>.</summary>
    Clob,

    /// <summary>The Gamma market-metadata API: <c>https://gamma-api.polymarket.com</c>.</summary>
    Gamma,

    /// <summary>The Data API (wallet activity, trades, positions): <c>https://data-api.polymarket.com</c>.</summary>
    DataApi,
}
