using System.Diagnostics;
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

    /// <summary>Where the bot and the trader stamp the order's way to the venue; not journaled. None when null.</summary>
    public OrderTiming? Timing { get; init; }
}

/// <summary>
/// The <see cref="Stopwatch"/> stamps of one order on its way from the bot's signal to the signed body handed to
/// the HTTP client: the bot creates it at detection and records its book fetch, the live trader records its market
/// lookup, the journal's write-ahead record and the hand-over. Network and disk waits are kept apart so that the
/// in-process part shows.
/// </summary>
/// <param name="detected">The <see cref="Stopwatch"/> timestamp at which the signal was detected.</param>
public sealed class OrderTiming(long detected)
{
    /// <summary>The <see cref="Stopwatch"/> timestamp at which the signal was detected.</summary>
    public long Detected { get; } = detected;

    /// <summary>Network time the bot spent fetching the book after the detection.</summary>
    public TimeSpan BookFetch { get; set; }

    /// <summary>Network time the trader spent looking up the market's tick size and neg-risk flag.</summary>
    public TimeSpan MarketInfo { get; set; }

    /// <summary>Disk time of the journal's write-ahead record.</summary>
    public TimeSpan Journal { get; set; }

    /// <summary>The <see cref="Stopwatch"/> timestamp at which the signed body went to the HTTP client; 0 until then.</summary>
    public long Wire { get; set; }

    /// <summary>From the detection to the hand-over, or null when the order was never handed over.</summary>
    public TimeSpan? DetectedToWire => Wire == 0 ? null : Stopwatch.GetElapsedTime(Detected, Wire);

    /// <summary>
    /// <see cref="DetectedToWire"/> without the book fetch, the market lookup and the journal write: the time spent
    /// computing (parse, decide, sign, serialise); null when the order was never handed over.
    /// </summary>
    public TimeSpan? InProcess => DetectedToWire - BookFetch - MarketInfo - Journal;
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
