namespace PolymarketAlgo.Executor.Auth;

/// <summary>The chain ids Polymarket signs for.</summary>
public static class ChainIds
{
    /// <summary>Polygon mainnet.</summary>
    public const long Polygon = 137;

    /// <summary>Polygon Amoy testnet (used by the official signing vectors).</summary>
    public const long Amoy = 80002;
}
