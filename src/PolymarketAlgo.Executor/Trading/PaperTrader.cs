using System.Globalization;
using PolymarketAlgo.Core;
using PolymarketAlgo.Executor.Books;
using PolymarketAlgo.Executor.Crypto;
using PolymarketAlgo.Executor.Journal;

namespace PolymarketAlgo.Executor.Trading;

/// <summary>Settings of a <see cref="PaperTrader"/>.</summary>
public sealed record PaperTraderOptions
{
    /// <summary>The copy-delay impact model (the original's defaults: 0.8, 10 %, 0.02).</summary>
    public DelayImpactParameters DelayImpact { get; init; } = Core.DelayImpact.defaults;
}

/// <summary>
/// Paper trading against a live or replayed order book, journaled exactly like a live trade: the order is
/// recorded before it "goes out", then accepted under a paper order id, filled by walking the book
/// (<see cref="PaperFills"/>: one fill per level taken, limit price respected, copy-delay impact, Polymarket's
/// taker fee) and closed, all in one journal transaction.
/// A FOK that the book cannot fill in full, or a FAK that finds nothing, is rejected as the venue would.
/// A limit order takes what crosses at once and rests; <see cref="MatchRestingOrders"/> fills resting orders
/// (as maker, at their price, no fee) when the book later reaches them, and expires GTD orders.
/// </summary>
public sealed class PaperTrader : JournalingTrader
{
    private readonly IOrderBookSource _books;
    private readonly PaperTraderOptions _options;
    private readonly Lock _gate = new();

    /// <summary>Creates a paper trader.</summary>
    /// <param name="journal">The journal.</param>
    /// <param name="books">Where books come from.</param>
    /// <param name="options">Settings; defaults when null.</param>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    /// <param name="risk">An optional last risk check.</param>
    public PaperTrader(
        TradeJournal journal,
        IOrderBookSource books,
        PaperTraderOptions? options = null,
        TimeProvider? timeProvider = null,
        RiskGate? risk = null
    )
        : base(journal, TradingMode.Paper, timeProvider, risk)
    {
        _books = books ?? throw new ArgumentNullException(nameof(books));
        _options = options ?? new PaperTraderOptions();
    }

    /// <summary>The paper order id (and order hash) of a client order: <c>0x</c> + keccak256("paper:" + id).</summary>
    /// <param name="clientOrderId">The client order id.</param>
    /// <returns>The id.</returns>
    public static string PaperOrderId(string clientOrderId) =>
        "0x" + Convert.ToHexStringLower(Keccak256.Hash("paper:" + clientOrderId));

    /// <summary>
    /// Closes, as cancelled, the market (FOK/FAK) orders a previous run left working: that run stopped between
    /// journaling the order and its fill, so the paper order never filled. Resting limit orders stay working. Run it
    /// before trading.
    /// </summary>
    /// <returns>How many orders it closed.</returns>
    public int CloseInterruptedMarketOrders()
    {
        lock (_gate)
        {
            var closed = 0;
            foreach (var order in Account.openOrders(Journal.State))
            {
                var intent = order.Intent;
                if (
                    (intent.TimeInForce.IsFok || intent.TimeInForce.IsFak)
                    && Journal.Record(
                        TradingEvent.NewOrderClosed(
                            intent.ClientOrderId,
                            OrderStatus.Cancelled,
                            "interrupted before its paper fill",
                            Time.GetUtcNow()
                        )
                    )
                )
                {
                    closed++;
                }
            }

            return closed;
        }
    }

    /// <summary>
    /// Fills the working limit orders the current books reach (a buy when asks are at or below its price, a sell
    /// when bids are at or above it), at the order's price as maker, and expires GTD orders past their expiry.
    /// Each call fills against the books as they are; call it when books change.
    /// </summary>
    /// <returns>The number of orders that filled (in part or whole) or expired.</returns>
    public int MatchRestingOrders()
    {
        lock (_gate)
        {
            var now = Time.GetUtcNow();
            var touched = 0;
            foreach (var order in Account.openOrders(Journal.State))
            {
                var intent = order.Intent;
                if (!(intent.TimeInForce.IsGtc || intent.TimeInForce.IsGtd))
                {
                    continue;
                }

                var id = intent.ClientOrderId;
                if (intent.TimeInForce.IsGtd && now.ToUnixTimeSeconds() >= intent.Expiration)
                {
                    Journal.Record(TradingEvent.NewOrderClosed(id, OrderStatus.Expired, "GTD expired", now));
                    touched++;
                    continue;
                }

                var token = Journal.FindTrade(id)?.TokenId;
                var book = token is null ? null : Load(token);
                if (book is null)
                {
                    continue;
                }

                var buy = intent.Side.IsBuy;
                var remaining = LimitSize(intent) - order.FilledShares;
                var available = book.SizeWithin(buy ? BookSide.Ask : BookSide.Bid, intent.Price);
                var shares = Math.Min(remaining, available);
                if (shares <= 0m)
                {
                    continue;
                }

                var events = new List<TradingEvent>
                {
                    TradingEvent.NewFilled(id, FillId(order), shares, intent.Price, 0m, now),
                };
                if (shares == remaining)
                {
                    events.Add(TradingEvent.NewOrderClosed(id, OrderStatus.Filled, "filled as maker", now));
                }

                Journal.RecordAll(
                    events,
                    execution: new ExecutionReport
                    {
                        BestBid = book.BestBid?.Price,
                        BestAsk = book.BestAsk?.Price,
                        Spread = book.Spread,
                    }
                );
                touched++;
            }

            return touched;
        }
    }

    /// <inheritdoc />
    protected override Task SubmitAsync(TradeOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        lock (_gate)
        {
            var intent = order.Intent;
            var id = intent.ClientOrderId;
            var now = Time.GetUtcNow();
            var book = Load(order.TokenId);
            if (book is null)
            {
                Journal.Record(TradingEvent.NewRejected(id, $"no order book for token {order.TokenId}", now));
                return Task.CompletedTask;
            }

            var buy = intent.Side.IsBuy;
            var market = intent.TimeInForce.IsFok || intent.TimeInForce.IsFak;
            if (!market && LimitSize(intent) <= 0m)
            {
                Journal.Record(TradingEvent.NewRejected(id, "the limit order's size rounds to zero shares", now));
                return Task.CompletedTask;
            }

            var delay = market ? order.Context?.CopyDelayMs ?? 0L : 0L;
            var fill =
                market && buy
                    ? PaperFills.BuyDollars(
                        book,
                        intent.Amount,
                        intent.Price,
                        intent.FeeRate,
                        order.FeeExponent,
                        delay,
                        _options.DelayImpact
                    )
                    : PaperFills.TakeShares(
                        book,
                        buy,
                        market ? intent.Amount : LimitSize(intent),
                        intent.Price,
                        intent.FeeRate,
                        order.FeeExponent,
                        delay,
                        _options.DelayImpact
                    );
            var limit = Money(intent.Price);
            if (market && intent.TimeInForce.IsFok && !fill.Complete)
            {
                Journal.Record(
                    TradingEvent.NewRejected(id, $"FOK not filled: the book cannot fill the order at {limit} or better", now)
                );
                return Task.CompletedTask;
            }

            if (market && fill.Shares == 0m)
            {
                Journal.Record(TradingEvent.NewRejected(id, $"FAK not filled: no liquidity at {limit} or better", now));
                return Task.CompletedTask;
            }

            var paperId = PaperOrderId(id);
            var events = new List<TradingEvent> { TradingEvent.NewOrderAccepted(id, paperId, paperId, now) };
            for (var k = 0; k < fill.Parts.Count; k++)
            {
                var part = fill.Parts[k];
                var fillId = $"paper-{id}-{(k + 1).ToString(CultureInfo.InvariantCulture)}";
                events.Add(TradingEvent.NewFilled(id, fillId, part.Shares, part.Price, part.Fee, now));
            }

            if (market || fill.Complete)
            {
                var reason = fill.Complete ? "filled" : "FAK: the rest was cancelled";
                events.Add(TradingEvent.NewOrderClosed(id, OrderStatus.Filled, reason, now));
            }

            Journal.RecordAll(
                events,
                execution: new ExecutionReport
                {
                    BestBid = fill.BestBid,
                    BestAsk = fill.BestAsk,
                    Spread = fill.Spread,
                    SlippagePct = fill.SlippagePct,
                    DelayImpactPct = fill.DelayImpactPct,
                }
            );
            return Task.CompletedTask;
        }
    }

    /// <inheritdoc />
    protected override Task<bool> CancelOnVenueAsync(OrderState order, CancellationToken cancellationToken) =>
        Task.FromResult(true);

    /// <summary>A limit order's size in shares: a buy's Amount / Price to 2 decimals (rounded down), a sell's Amount.</summary>
    private static decimal LimitSize(OrderIntent intent) =>
        intent.Side.IsBuy ? Math.Round(intent.Amount / intent.Price, 2, MidpointRounding.ToZero) : intent.Amount;

    private static string FillId(OrderState order) =>
        $"paper-{order.Intent.ClientOrderId}-{(order.FillIds.Count + 1).ToString(CultureInfo.InvariantCulture)}";

    private static string Money(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private OrderBook? Load(string tokenId)
    {
        var snapshot = _books.GetBook(tokenId);
        if (snapshot is null)
        {
            return null;
        }

        var book = new OrderBook(tokenId);
        book.ApplySnapshot(snapshot);
        return book;
    }
}
