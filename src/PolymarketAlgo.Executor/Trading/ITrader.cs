using PolymarketAlgo.Core;
using PolymarketAlgo.Executor.Journal;

namespace PolymarketAlgo.Executor.Trading;

/// <summary>An order for a trader: the Core intent, the outcome token it trades and the decision's context.</summary>
/// <param name="Intent">What to trade; its client order id makes placement idempotent.</param>
/// <param name="TokenId">The outcome token id of <c>Intent.Outcome</c> in the market.</param>
public sealed record TradeOrder(OrderIntent Intent, string TokenId)
{
    /// <summary>What the journal keeps about the decision (prices, copy-trade fields, a precomputed order hash).</summary>
    public OrderContext? Context { get; init; }

    /// <summary>The market's fee curve exponent (1 for crypto).</summary>
    public int FeeExponent { get; init; } = 1;
}

/// <summary>Where an order stands after a trader call, read back from the journal.</summary>
/// <param name="ClientOrderId">The order.</param>
/// <param name="Status">Working, Filled, Cancelled, Expired or Rejected.</param>
/// <param name="ExchangeOrderId">The exchange's (or the paper simulator's) order id, once accepted.</param>
/// <param name="OrderHash">The order hash, once accepted.</param>
/// <param name="FilledShares">Shares filled.</param>
/// <param name="FilledNotional">pUSD paid or received, fees excluded.</param>
/// <param name="Fees">Fees paid.</param>
/// <param name="Message">Why it closed, or empty.</param>
/// <param name="AlreadyPlaced">True when the client order id was already in the journal: nothing was sent.</param>
public sealed record PlacementResult(
    string ClientOrderId,
    OrderStatus Status,
    string ExchangeOrderId,
    string OrderHash,
    decimal FilledShares,
    decimal FilledNotional,
    decimal Fees,
    string Message,
    bool AlreadyPlaced
)
{
    /// <summary>The average fill price, or null before a fill.</summary>
    public decimal? AveragePrice => FilledShares > 0m ? FilledNotional / FilledShares : null;

    /// <summary>Builds the result of an order from the journal's state.</summary>
    /// <param name="order">The order.</param>
    /// <param name="alreadyPlaced">Whether the call found it already placed.</param>
    /// <returns>The result.</returns>
    public static PlacementResult From(OrderState order, bool alreadyPlaced)
    {
        ArgumentNullException.ThrowIfNull(order);
        return new PlacementResult(
            order.Intent.ClientOrderId,
            order.Status,
            order.ExchangeOrderId,
            order.OrderHash,
            order.FilledShares,
            order.FilledNotional,
            order.Fees,
            order.CloseReason,
            alreadyPlaced
        );
    }
}

/// <summary>
/// A trader: places, cancels and reports orders, recording every step in its journal, paper and live alike.
/// Placing an order whose client order id is already in the journal sends nothing and returns its status.
/// </summary>
public interface ITrader
{
    /// <summary>Paper or live.</summary>
    TradingMode Mode { get; }

    /// <summary>The journal this trader records into (the account's source of truth).</summary>
    TradeJournal Journal { get; }

    /// <summary>Places a market order (FOK or FAK): a buy spends up to <c>Amount</c> pUSD, a sell sells <c>Amount</c> shares, at prices no worse than <c>Price</c>.</summary>
    /// <param name="order">The order.</param>
    /// <param name="cancellationToken">Cancels the call (not the order once sent).</param>
    /// <returns>Where the order stands.</returns>
    Task<PlacementResult> PlaceMarketOrderAsync(TradeOrder order, CancellationToken cancellationToken = default);

    /// <summary>Places a limit order (GTC or GTD) at <c>Price</c>: a buy of <c>Amount / Price</c> shares, a sell of <c>Amount</c> shares.</summary>
    /// <param name="order">The order.</param>
    /// <param name="cancellationToken">Cancels the call (not the order once sent).</param>
    /// <returns>Where the order stands.</returns>
    Task<PlacementResult> PlaceLimitOrderAsync(TradeOrder order, CancellationToken cancellationToken = default);

    /// <summary>Cancels a working order.</summary>
    /// <param name="clientOrderId">The order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when it was working and is now cancelled.</returns>
    Task<bool> CancelAsync(string clientOrderId, CancellationToken cancellationToken = default);

    /// <summary>Cancels every working order of the journal.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many were cancelled.</returns>
    Task<int> CancelAllAsync(CancellationToken cancellationToken = default);

    /// <summary>Where an order stands, or null when the journal does not know it.</summary>
    /// <param name="clientOrderId">The order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The status.</returns>
    Task<PlacementResult?> GetStatusAsync(string clientOrderId, CancellationToken cancellationToken = default);
}
