using PolymarketAlgo.Core;

namespace PolymarketAlgo.Executor.Journal;

/// <summary>Whether orders go to the exchange or to the paper simulator. Both journal the same way.</summary>
public enum TradingMode
{
    /// <summary>Simulated fills against a live or replayed order book.</summary>
    Paper = 0,

    /// <summary>Real orders on the exchange.</summary>
    Live = 1,
}

/// <summary>
/// What the journal keeps about an order beyond the Core event: the market data at the decision, the token, the
/// precomputed order hash, and for copy trades the copied trader. Every field is optional. Recorded with the
/// <c>OrderPlaced</c> event; never holds secrets.
/// </summary>
public sealed record OrderContext
{
    /// <summary>Paper or live.</summary>
    public TradingMode Mode { get; init; } = TradingMode.Paper;

    /// <summary>The outcome token id.</summary>
    public string? TokenId { get; init; }

    /// <summary>
    /// The order hash (EIP-712 digest, the Polymarket order id) when known before posting, so reconciliation can
    /// find an order the process posted but did not live to see acknowledged.
    /// </summary>
    public string? OrderHash { get; init; }

    /// <summary>The price of the side at the decision (the original's <c>entry_price</c>/<c>price_at_signal</c>).</summary>
    public decimal? PriceAtSignal { get; init; }

    /// <summary>The price of the other side at the decision.</summary>
    public decimal? OppositePrice { get; init; }

    /// <summary>The best bid at the decision.</summary>
    public decimal? BestBid { get; init; }

    /// <summary>The best ask at the decision.</summary>
    public decimal? BestAsk { get; init; }

    /// <summary>Copy trades: milliseconds between the copied trade and our order.</summary>
    public long? CopyDelayMs { get; init; }

    /// <summary>Copy trades: the copied wallet.</summary>
    public string? CopiedFrom { get; init; }

    /// <summary>Copy trades: the copied trader's display name.</summary>
    public string? TraderName { get; init; }

    /// <summary>Copy trades: the price the copied trader paid.</summary>
    public decimal? TraderPrice { get; init; }

    /// <summary>Copy trades: the pUSD the copied trader spent.</summary>
    public decimal? TraderAmount { get; init; }

    /// <summary>Copy trades: when the copied trade happened (Unix ms).</summary>
    public long? TraderTimestampMs { get; init; }
}

/// <summary>How a fill went compared with the book at the decision; recorded with a <c>Filled</c> event.</summary>
public sealed record ExecutionReport
{
    /// <summary>Best ask − best bid when the order executed.</summary>
    public decimal? Spread { get; init; }

    /// <summary>How far the average fill is from the best price, in percent.</summary>
    public decimal? SlippagePct { get; init; }

    /// <summary>The copy-delay price impact applied, in percent.</summary>
    public decimal? DelayImpactPct { get; init; }

    /// <summary>The best bid when the order executed.</summary>
    public decimal? BestBid { get; init; }

    /// <summary>The best ask when the order executed.</summary>
    public decimal? BestAsk { get; init; }
}

/// <summary>Where a filled buy stands: waiting for the market to resolve, settled, or exited early.</summary>
public enum SettlementStatus
{
    /// <summary>Nothing filled, or a sell: there is nothing to settle.</summary>
    None = 0,

    /// <summary>Shares held; the market has not resolved in the journal.</summary>
    Pending = 1,

    /// <summary>The market resolved.</summary>
    Settled = 2,

    /// <summary>The position was closed before the resolution.</summary>
    ForceExit = 3,
}

/// <summary>
/// One order as the journal's history shows it: the fields of the original toolkit's <c>Trade</c> that matter
/// (seed-toolkit §6.4), kept up to date by every event. Money in pUSD.
/// </summary>
public sealed record TradeRecord
{
    /// <summary>The caller's order id.</summary>
    public required string ClientOrderId { get; init; }

    /// <summary>The strategy ("streak", "copytrade", ...).</summary>
    public required string Strategy { get; init; }

    /// <summary>Paper or live.</summary>
    public TradingMode Mode { get; init; }

    /// <summary>The market slug.</summary>
    public required string MarketId { get; init; }

    /// <summary>The start of the market's window.</summary>
    public DateTimeOffset WindowStart { get; init; }

    /// <summary>The outcome token id, when known.</summary>
    public string? TokenId { get; init; }

    /// <summary>"up" or "down".</summary>
    public required string Outcome { get; init; }

    /// <summary>"buy" or "sell".</summary>
    public required string Side { get; init; }

    /// <summary>"FOK", "FAK", "GTC" or "GTD".</summary>
    public required string OrderType { get; init; }

    /// <summary>pUSD asked to spend (a buy) or shares to sell.</summary>
    public decimal RequestedAmount { get; init; }

    /// <summary>The worst or limit price.</summary>
    public decimal LimitPrice { get; init; }

    /// <summary>The fee rate reserved.</summary>
    public decimal FeeRate { get; init; }

    /// <summary>The strategy's win probability.</summary>
    public decimal Confidence { get; init; }

    /// <summary>The streak behind a streak bet.</summary>
    public int StreakLength { get; init; }

    /// <summary>Why the strategy placed it.</summary>
    public string Reason { get; init; } = "";

    /// <summary>The decision's context (prices, copy-trade fields).</summary>
    public OrderContext Context { get; init; } = new();

    /// <summary>The last execution report.</summary>
    public ExecutionReport Execution { get; init; } = new();

    /// <summary>The exchange's order id, when accepted.</summary>
    public string? ExchangeOrderId { get; init; }

    /// <summary>The order hash.</summary>
    public string? OrderHash { get; init; }

    /// <summary>"working", "filled", "cancelled", "expired" or "rejected".</summary>
    public required string Status { get; init; }

    /// <summary>Why it closed.</summary>
    public string CloseReason { get; init; } = "";

    /// <summary>Shares filled.</summary>
    public decimal FilledShares { get; init; }

    /// <summary>pUSD paid or received for them, fees excluded.</summary>
    public decimal FilledNotional { get; init; }

    /// <summary>Fees paid.</summary>
    public decimal Fees { get; init; }

    /// <summary>The average fill price (the original's <c>execution_price</c>); null before a fill.</summary>
    public decimal? ExecutionPrice => FilledShares > 0m ? FilledNotional / FilledShares : null;

    /// <summary>Share of the request filled, in percent.</summary>
    public decimal FillPct =>
        RequestedAmount > 0m ? (Side == "buy" ? FilledNotional : FilledShares) / RequestedAmount * 100m : 0m;

    /// <summary>When it was placed.</summary>
    public DateTimeOffset PlacedAt { get; init; }

    /// <summary>When the record last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>1-based number of the order in the journal.</summary>
    public int TradeNumber { get; init; }

    /// <summary>Settled wins before it.</summary>
    public int WinsBefore { get; init; }

    /// <summary>Settled losses before it.</summary>
    public int LossesBefore { get; init; }

    /// <summary>Realised P&amp;L before it.</summary>
    public decimal PnlBefore { get; init; }

    /// <summary>The bankroll before it.</summary>
    public decimal BankrollBefore { get; init; }

    /// <summary>Wins in a row before it.</summary>
    public int ConsecutiveWins { get; init; }

    /// <summary>Losses in a row before it.</summary>
    public int ConsecutiveLosses { get; init; }

    /// <summary>Seconds between the window start and the placement.</summary>
    public double SecondsIntoWindow { get; init; }

    /// <summary>Whether it waits for a resolution, settled, or exited early.</summary>
    public SettlementStatus SettlementStatus { get; init; }

    /// <summary>The winning outcome ("up"/"down") once settled.</summary>
    public string? Winner { get; init; }

    /// <summary>Whether it won (settled buys only).</summary>
    public bool? Won { get; init; }

    /// <summary>What the settlement or exit paid.</summary>
    public decimal? Payout { get; init; }

    /// <summary>Payout − cost.</summary>
    public decimal? GrossProfit { get; init; }

    /// <summary>Realised P&amp;L after fees (settlements, exits and sells).</summary>
    public decimal? NetPnl { get; init; }

    /// <summary>When it settled or exited.</summary>
    public DateTimeOffset? SettledAt { get; init; }

    /// <summary>Why it was exited early.</summary>
    public string? ForceExitReason { get; init; }
}

/// <summary>One recorded decision (place, skip or reject) of a bot.</summary>
/// <param name="Sequence">Journal order.</param>
/// <param name="At">When it was taken.</param>
/// <param name="Strategy">The strategy.</param>
/// <param name="MarketId">The market it was about.</param>
/// <param name="Kind">"place", "skip" or "reject".</param>
/// <param name="Reason">One line saying why.</param>
/// <param name="ClientOrderId">The order it placed, if any.</param>
public sealed record DecisionRecord(
    long Sequence,
    DateTimeOffset At,
    string Strategy,
    string MarketId,
    string Kind,
    string Reason,
    string? ClientOrderId
);

/// <summary>One stored event with its journal sequence number and idempotency key.</summary>
/// <param name="Sequence">Journal order (1, 2, ...).</param>
/// <param name="Key">The idempotency key.</param>
/// <param name="Event">The event.</param>
public sealed record JournalEntry(long Sequence, string Key, TradingEvent Event);
