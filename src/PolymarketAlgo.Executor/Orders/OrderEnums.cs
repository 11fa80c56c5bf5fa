namespace PolymarketAlgo.Executor.Orders;

/// <summary>The side of an order; signed as <c>uint8</c> (BUY = 0, SELL = 1), posted as the text <c>"BUY"</c>/<c>"SELL"</c>.</summary>
public enum Side
{
    /// <summary>Buy outcome shares, paying pUSD.</summary>
    Buy = 0,

    /// <summary>Sell outcome shares, receiving pUSD.</summary>
    Sell = 1,
}

/// <summary>How the order's signature is checked on chain, which fixes who is <c>maker</c> and <c>signer</c>.</summary>
public enum SignatureType
{
    /// <summary>A plain EOA: maker = signer = the key's address.</summary>
    Eoa = 0,

    /// <summary>A Polymarket (Magic/email) proxy wallet: maker = the proxy, signer = the EOA.</summary>
    PolyProxy = 1,

    /// <summary>A Gnosis Safe (browser wallet accounts): maker = the Safe, signer = the EOA.</summary>
    PolyGnosisSafe = 2,

    /// <summary>
    /// An ERC-1271 deposit wallet: maker = signer = the deposit wallet; the owner EOA signs an ERC-7739
    /// <c>TypedDataSign</c> wrapper.
    /// </summary>
    Poly1271 = 3,
}

/// <summary>The time-in-force of a posted order.</summary>
public enum OrderType
{
    /// <summary>Good till cancelled (resting limit order).</summary>
    Gtc = 0,

    /// <summary>Good till a date: rests until its <c>expiration</c> (Unix seconds).</summary>
    Gtd = 1,

    /// <summary>Fill or kill: fill completely at once or cancel.</summary>
    Fok = 2,

    /// <summary>Fill and kill: fill what is possible at once, cancel the rest.</summary>
    Fak = 3,
}

/// <summary>Wire names of the order enums.</summary>
public static class OrderWireNames
{
    /// <summary><c>"BUY"</c> or <c>"SELL"</c>.</summary>
    /// <param name="side">The side.</param>
    /// <returns>The wire text.</returns>
    public static string ToWire(this Side side) => side switch
    {
        Side.Buy => "BUY",
        Side.Sell => "SELL",
        _ => throw new ArgumentOutOfRangeException(nameof(side)),
    };

    /// <summary><c>"GTC"</c>, <c>"GTD"</c>, <c>"FOK"</c> or <c>"FAK"</c>.</summary>
    /// <param name="orderType">The order type.</param>
    /// <returns>The wire text.</returns>
    public static string ToWire(this OrderType orderType) => orderType switch
    {
        OrderType.Gtc => "GTC",
        OrderType.Gtd => "GTD",
        OrderType.Fok => "FOK",
        OrderType.Fak => "FAK",
        _ => throw new ArgumentOutOfRangeException(nameof(orderType)),
    };

    /// <summary>Parses <c>"BUY"</c> or <c>"SELL"</c>.</summary>
    /// <param name="text">The wire text.</param>
    /// <returns>The side.</returns>
    /// <exception cref="FormatException">Any other text.</exception>
    public static Side ParseSide(string? text) => text switch
    {
        "BUY" => Side.Buy,
        "SELL" => Side.Sell,
        _ => throw new FormatException($"'{text}' is not an order side (BUY or SELL)."),
    };

    /// <summary>Parses <c>"GTC"</c>, <c>"GTD"</c>, <c>"FOK"</c> or <c>"FAK"</c>.</summary>
    /// <param name="text">The wire text.</param>
    /// <returns>The order type.</returns>
    /// <exception cref="FormatException">Any other text.</exception>
    public static OrderType ParseOrderType(string? text) => text switch
    {
        "GTC" => OrderType.Gtc,
        "GTD" => OrderType.Gtd,
        "FOK" => OrderType.Fok,
        "FAK" => OrderType.Fak,
        _ => throw new FormatException($"'{text}' is not an order type (GTC, GTD, FOK or FAK)."),
    };
}
