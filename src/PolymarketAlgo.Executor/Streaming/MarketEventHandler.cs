namespace PolymarketAlgo.Executor.Streaming;

/// <summary>
/// Receives parsed market- and user-channel events. Override what you need; the defaults ignore the
/// event. Calls come synchronously from the parser, on the receiving thread, in wire order.
/// </summary>
public abstract class MarketEventHandler
{
    /// <summary>A <c>book</c> snapshot. The message object is reused: copy what you keep.</summary>
    /// <param name="book">The snapshot.</param>
    public virtual void OnBook(BookMessage book) { }

    /// <summary>One level change of a <c>price_change</c> message (called once per change).</summary>
    /// <param name="change">The change.</param>
    public virtual void OnPriceChange(PriceChange change) { }

    /// <summary>A <c>last_trade_price</c> event.</summary>
    /// <param name="trade">The trade.</param>
    public virtual void OnLastTradePrice(LastTradePrice trade) { }

    /// <summary>A <c>tick_size_change</c> event.</summary>
    /// <param name="change">The change.</param>
    public virtual void OnTickSizeChange(TickSizeChange change) { }

    /// <summary>A <c>best_bid_ask</c> event.</summary>
    /// <param name="quote">The quote.</param>
    public virtual void OnBestBidAsk(BestBidAsk quote) { }

    /// <summary>A <c>new_market</c> event.</summary>
    /// <param name="market">The market.</param>
    public virtual void OnNewMarket(NewMarketEvent market) { }

    /// <summary>A <c>market_resolved</c> event.</summary>
    /// <param name="resolution">The resolution.</param>
    public virtual void OnMarketResolved(MarketResolvedEvent resolution) { }

    /// <summary>A user-channel <c>order</c> event.</summary>
    /// <param name="order">The order event.</param>
    public virtual void OnOrder(UserOrderEvent order) { }

    /// <summary>A user-channel <c>trade</c> event.</summary>
    /// <param name="trade">The trade event.</param>
    public virtual void OnTrade(UserTradeEvent trade) { }
}

/// <summary>Forwards every event to several handlers, in order.</summary>
public sealed class MarketEventFanout : MarketEventHandler
{
    private readonly MarketEventHandler[] _handlers;

    /// <summary>Creates a fan-out.</summary>
    /// <param name="handlers">The handlers, called in this order.</param>
    public MarketEventFanout(IEnumerable<MarketEventHandler> handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        _handlers = handlers.ToArray();
    }

    /// <inheritdoc />
    public override void OnBook(BookMessage book)
    {
        foreach (var h in _handlers)
        {
            h.OnBook(book);
        }
    }

    /// <inheritdoc />
    public override void OnPriceChange(PriceChange change)
    {
        foreach (var h in _handlers)
        {
            h.OnPriceChange(change);
        }
    }

    /// <inheritdoc />
    public override void OnLastTradePrice(LastTradePrice trade)
    {
        foreach (var h in _handlers)
        {
            h.OnLastTradePrice(trade);
        }
    }

    /// <inheritdoc />
    public override void OnTickSizeChange(TickSizeChange change)
    {
        foreach (var h in _handlers)
        {
            h.OnTickSizeChange(change);
        }
    }

    /// <inheritdoc />
    public override void OnBestBidAsk(BestBidAsk quote)
    {
        foreach (var h in _handlers)
        {
            h.OnBestBidAsk(quote);
        }
    }

    /// <inheritdoc />
    public override void OnNewMarket(NewMarketEvent market)
    {
        foreach (var h in _handlers)
        {
            h.OnNewMarket(market);
        }
    }

    /// <inheritdoc />
    public override void OnMarketResolved(MarketResolvedEvent resolution)
    {
        foreach (var h in _handlers)
        {
            h.OnMarketResolved(resolution);
        }
    }

    /// <inheritdoc />
    public override void OnOrder(UserOrderEvent order)
    {
        foreach (var h in _handlers)
        {
            h.OnOrder(order);
        }
    }

    /// <inheritdoc />
    public override void OnTrade(UserTradeEvent trade)
    {
        foreach (var h in _handlers)
        {
            h.OnTrade(trade);
        }
    }
}
