namespace PolymarketAlgo.Simulator.Exchange;

/// <summary>Receives the WebSocket messages the exchange produces. Calls must not block (they happen under the exchange lock).</summary>
public interface ISimEventSink
{
    /// <summary>A market-channel message about one asset (<c>book</c>, <c>price_change</c>, <c>last_trade_price</c>, <c>market_resolved</c>).</summary>
    /// <param name="assetIds">The assets the message concerns; subscribers of any of them receive it.</param>
    /// <param name="json">The message text.</param>
    void Market(IReadOnlyList<string> assetIds, string json);

    /// <summary>Whether any market-channel connection follows an asset (so book messages need not be built otherwise).</summary>
    /// <param name="assetId">The asset.</param>
    /// <returns>True when someone subscribed to it.</returns>
    bool IsFollowed(string assetId);

    /// <summary>A user-channel message (<c>order</c> or <c>trade</c>) for one API key.</summary>
    /// <param name="apiKey">The API key that owns the order.</param>
    /// <param name="conditionId">The market's condition id.</param>
    /// <param name="json">The message text.</param>
    void User(string apiKey, string conditionId, string json);
}
