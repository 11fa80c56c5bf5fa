using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PolymarketAlgo.Core;
using PolymarketAlgo.Executor.Http;
using PolymarketAlgo.Executor.Journal;
using PolymarketAlgo.Executor.Orders;
using PolymarketAlgo.Executor.Rest;
using PolymarketAlgo.Executor.Streaming;

namespace PolymarketAlgo.Executor.Trading;

/// <summary>Settings of a <see cref="LiveTrader"/>.</summary>
public sealed record LiveTraderOptions
{
    /// <summary>The API key that owns the orders (the <c>owner</c> field of <c>POST /order</c>).</summary>
    public string Owner { get; init; } = "";

    /// <summary>How often the REST fallback asks for a market order's status when the post did not settle it.</summary>
    public TimeSpan StatusPollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How many times the REST fallback asks (the original's 5 × 0.5 s).</summary>
    public int StatusPolls { get; init; } = 5;

    /// <summary>The heartbeat interval while limit orders rest (the exchange cancels them if heartbeats stop).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = ClobHeartbeat.DefaultInterval;
}

/// <summary>
/// Real orders through the CLOB: FOK/FAK market orders and GTC/GTD limit orders are signed before the
/// write-ahead record (the hash is journaled first), posted, and their status taken from the post's reply, the
/// user channel (<see cref="Attach"/>) or, failing both, a few REST polls. A post whose outcome is unknown (a
/// timeout, a 5xx) stays working for reconciliation; a rejection is journaled as such and never as a position
/// (the original recorded a phantom trade, seed-toolkit §6.7). Heartbeats run while limit orders rest, and
/// <see cref="ShutdownAsync"/> cancels everything.
/// </summary>
public sealed class LiveTrader : JournalingTrader, IAsyncDisposable
{
    private readonly ClobClient _clob;
    private readonly OrderBuilder _builder;
    private readonly Func<string, CancellationToken, Task<MarketInfo>> _marketInfo;
    private readonly LiveTraderOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, SignedOrder> _signed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _byExchangeId = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, decimal> _tradedShares = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, OrderContext> _contexts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _tradeIds = new(StringComparer.Ordinal);
    private readonly Lock _fills = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _heartbeat;

    /// <summary>Creates a live trader.</summary>
    /// <param name="journal">The journal.</param>
    /// <param name="clob">An authenticated CLOB client.</param>
    /// <param name="builder">Builds and signs orders with the account's key.</param>
    /// <param name="marketInfo">The tick size, neg-risk flag and minimum size of a token's market.</param>
    /// <param name="options">Settings.</param>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    /// <param name="risk">An optional last risk check.</param>
    /// <param name="logger">The logger; none when null.</param>
    public LiveTrader(
        TradeJournal journal,
        ClobClient clob,
        OrderBuilder builder,
        Func<string, CancellationToken, Task<MarketInfo>> marketInfo,
        LiveTraderOptions options,
        TimeProvider? timeProvider = null,
        RiskGate? risk = null,
        ILogger? logger = null
    )
        : base(journal, TradingMode.Live, timeProvider, risk)
    {
        _clob = clob ?? throw new ArgumentNullException(nameof(clob));
        _builder = builder ?? throw new ArgumentNullException(nameof(builder));
        _marketInfo = marketInfo ?? throw new ArgumentNullException(nameof(marketInfo));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        ArgumentException.ThrowIfNullOrEmpty(options.Owner, nameof(options));
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Takes fills and order statuses from the user channel as they arrive: fills from its <c>trade</c> events (at
    /// their trade prices), cancellations and resting-order fills from its <c>order</c> events.
    /// </summary>
    /// <param name="channel">The user channel client.</param>
    public void Attach(UserChannelClient channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        channel.OrderReceived += (_, update) => OnOrderUpdate(update);
        channel.TradeReceived += (_, trade) => OnTrade(trade);
    }

    /// <summary>
    /// Applies a user-channel order update: a cancellation closes the order; a resting (GTC/GTD) order's matched
    /// size is recorded at its limit price, where a maker fills. A market order's fills come from trade events or
    /// the post's reply instead, since the update carries the order's limit price, not the prices it filled at.
    /// </summary>
    /// <param name="update">The update.</param>
    public void OnOrderUpdate(UserOrderEvent update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (!_byExchangeId.TryGetValue(update.Id, out var clientOrderId)
            || !Journal.State.Orders.TryGetValue(clientOrderId, out var order))
        {
            return;
        }

        var status = update.Status ?? "";
        var market = order.Intent.TimeInForce.IsFok || order.Intent.TimeInForce.IsFak;
        if (!market)
        {
            ApplyStatus(clientOrderId, status, update.SizeMatched ?? 0m, update.Price, "user channel");
        }
        else if (status.StartsWith("CANCEL", StringComparison.OrdinalIgnoreCase))
        {
            Close(clientOrderId, order.FilledShares > 0m ? OrderStatus.Filled : OrderStatus.Cancelled, status + " (user channel)");
        }
    }

    /// <summary>
    /// Records the account's fills in a user-channel trade (its taker order, or its maker orders) under the trade's
    /// id and price. A trade re-sent with a later status is recorded once, and shares the journal already holds from
    /// the post's reply are not recorded again.
    /// </summary>
    /// <param name="trade">The trade.</param>
    public void OnTrade(UserTradeEvent trade)
    {
        ArgumentNullException.ThrowIfNull(trade);
        if (trade.TakerOrderId is { } takerOrderId
            && trade.Size is { } size
            && trade.Price is { } price
            && _byExchangeId.TryGetValue(takerOrderId, out var takerClientOrderId))
        {
            RecordTradeFill(takerClientOrderId, trade.Id, size, price);
        }

        foreach (var maker in trade.MakerOrders)
        {
            if (maker is { OrderId: { } makerOrderId, MatchedAmount: { } matched, Price: { } makerPrice }
                && _byExchangeId.TryGetValue(makerOrderId, out var makerClientOrderId))
            {
                RecordTradeFill(makerClientOrderId, trade.Id + ":" + makerOrderId, matched, makerPrice);
            }
        }
    }

    /// <summary>Stops heartbeats and cancels every open order of the account (<see cref="CancelAllAsync"/>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many orders the journal closed.</returns>
    public async Task<int> ShutdownAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        return await CancelAllAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Brings the journal up to date with the account's open orders and trades on the exchange
    /// (<see cref="ExchangeReconciler"/>); run it before trading again after a crash.
    /// </summary>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The differences found (and applied).</returns>
    public Task<ReconcileReport> ReconcileAsync(CancellationToken cancellationToken) =>
        ExchangeReconciler.ReconcileAsync(Journal, _clob, _options.Owner, Time, _logger, cancellationToken);

    /// <summary>
    /// Cancels every open order of the account on the exchange with one <c>DELETE /cancel-all</c> (orders the
    /// journal does not know included), then reconciles the journal with the exchange
    /// (<see cref="ExchangeReconciler"/>): fills that happened before the cancel are recorded and each working order
    /// is closed as filled or cancelled as the exchange says, so an order whose reply was lost is not booked as
    /// cancelled when it filled. A failed call is logged and closes nothing.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many working orders the journal closed.</returns>
    public override async Task<int> CancelAllAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _clob.CancelAllAsync(cancellationToken).ConfigureAwait(false);
            var report = await ReconcileAsync(cancellationToken).ConfigureAwait(false);
            return report.NotOpenOnExchange.Count;
        }
        catch (PolymarketApiException e)
        {
            _logger.LogError("cancel-all failed: {Error}", e.Message);
            return 0;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_heartbeat is not null)
        {
            try
            {
                await _heartbeat.ConfigureAwait(false);
            }
            catch (OperationCanceledException) { }
        }

        _stop.Dispose();
    }

    /// <inheritdoc />
    protected override async ValueTask<TradeOrder> PrepareAsync(TradeOrder order, CancellationToken cancellationToken)
    {
        var intent = order.Intent;
        var lookupStarted = Stopwatch.GetTimestamp();
        var market = await _marketInfo(order.TokenId, cancellationToken).ConfigureAwait(false);
        if (order.Timing is { } timing)
        {
            timing.MarketInfo = Stopwatch.GetElapsedTime(lookupStarted);
        }

        var token = TokenId.Parse(order.TokenId);
        var side = intent.Side.IsBuy ? Side.Buy : Side.Sell;
        var built = intent.TimeInForce.IsFok || intent.TimeInForce.IsFak
            ? _builder.CreateMarketOrder(
                new MarketOrderRequest(token, side, intent.Amount, intent.Price) { OrderType = OrderTypeOf(intent) },
                market
            )
            : _builder.CreateLimitOrder(
                new LimitOrderRequest(
                    token,
                    side,
                    intent.Price,
                    intent.Side.IsBuy ? Math.Round(intent.Amount / intent.Price, 2, MidpointRounding.ToZero) : intent.Amount
                )
                {
                    OrderType = OrderTypeOf(intent),
                    Expiration = intent.Expiration,
                },
                market
            );
        if (!built.TryGetValue(out var signed))
        {
            throw new ArgumentException($"The order cannot be built: {built.Error!.Message}", nameof(order));
        }

        _signed[intent.ClientOrderId] = signed;
        if (order.Context is { } context)
        {
            _contexts[intent.ClientOrderId] = context;
        }

        return order with { Context = (order.Context ?? new OrderContext()) with { OrderHash = signed.OrderId } };
    }

    /// <inheritdoc />
    protected override async Task SubmitAsync(TradeOrder order, CancellationToken cancellationToken)
    {
        var intent = order.Intent;
        var id = intent.ClientOrderId;
        if (!_signed.TryRemove(id, out var signed))
        {
            throw new InvalidOperationException($"Order {id} was not prepared.");
        }

        _byExchangeId[signed.OrderId] = id;
        var submission = OrderSubmission.Create(signed, _options.Owner, OrderTypeOf(intent));
        if (!submission.TryGetValue(out var body))
        {
            Journal.Record(TradingEvent.NewRejected(id, submission.Error!.Message, Time.GetUtcNow()));
            return;
        }

        var json = OrderSerializer.Serialize(body);
        var started = Stopwatch.GetTimestamp();
        if (order.Timing is { } timing)
        {
            timing.Wire = started;
        }

        OrderPostResponse reply;
        try
        {
            var post = _clob.PostOrderAsync(json, cancellationToken);
            _logger.LogInformation(
                "timing {ClientOrderId} signed_to_wire_us={Micros:0}",
                id,
                Stopwatch.GetElapsedTime(started).TotalMicroseconds
            );
            reply = await post.ConfigureAwait(false);
        }
        catch (PolymarketApiException e) when (e.Kind == PolymarketApiErrorKind.HttpStatus && e.StatusCode is >= 400 and < 500 and not 429)
        {
            Journal.Record(TradingEvent.NewRejected(id, e.Message, Time.GetUtcNow()));
            return;
        }
        catch (PolymarketApiException e)
        {
            _logger.LogWarning("order {ClientOrderId} outcome unknown ({Error}); left for reconciliation", id, e.Message);
            return;
        }

        if (!reply.Success || !string.IsNullOrEmpty(reply.ErrorMsg))
        {
            Journal.Record(TradingEvent.NewRejected(id, reply.ErrorMsg ?? "rejected", Time.GetUtcNow()));
            return;
        }

        var exchangeId = string.IsNullOrEmpty(reply.OrderId) ? signed.OrderId : reply.OrderId;
        _byExchangeId[exchangeId] = id;
        Journal.Record(TradingEvent.NewOrderAccepted(id, exchangeId, signed.OrderId, Time.GetUtcNow()));
        var status = (reply.Status ?? "").ToUpperInvariant();
        if (status == "MATCHED")
        {
            // A buy makes pUSD and takes shares; a sell makes shares and takes pUSD.
            var shares = intent.Side.IsBuy ? reply.TakingAmount : reply.MakingAmount;
            var notional = intent.Side.IsBuy ? reply.MakingAmount : reply.TakingAmount;
            RecordFillUpTo(id, shares, shares > 0m ? notional / shares : intent.Price, "post");
            Close(id, order.Intent.TimeInForce.IsFok || shares > 0m ? OrderStatus.Filled : OrderStatus.Cancelled, "matched");
        }
        else if (intent.TimeInForce.IsGtc || intent.TimeInForce.IsGtd)
        {
            EnsureHeartbeat();
        }
        else
        {
            await PollStatusAsync(id, exchangeId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    protected override async Task<bool> CancelOnVenueAsync(OrderState order, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(order.ExchangeOrderId))
        {
            return false;
        }

        var reply = await _clob.CancelOrderAsync(order.ExchangeOrderId, cancellationToken).ConfigureAwait(false);
        return reply.Canceled?.Contains(order.ExchangeOrderId, StringComparer.OrdinalIgnoreCase) == true;
    }

    private static OrderType OrderTypeOf(OrderIntent intent) =>
        intent.TimeInForce.IsFok ? OrderType.Fok
        : intent.TimeInForce.IsFak ? OrderType.Fak
        : intent.TimeInForce.IsGtd ? OrderType.Gtd
        : OrderType.Gtc;

    private async Task PollStatusAsync(string clientOrderId, string exchangeId, CancellationToken cancellationToken)
    {
        for (var i = 0; i < _options.StatusPolls && IsWorking(clientOrderId); i++)
        {
            await Task.Delay(_options.StatusPollInterval, Time, cancellationToken).ConfigureAwait(false);
            try
            {
                var open = await _clob.GetOpenOrderAsync(exchangeId, cancellationToken).ConfigureAwait(false);
                ApplyStatus(clientOrderId, open.Status, open.SizeMatched, open.Price, "rest");
            }
            catch (PolymarketApiException e)
            {
                _logger.LogWarning("status of {ClientOrderId}: {Error}", clientOrderId, e.Message);
            }
        }
    }

    private bool IsWorking(string clientOrderId) =>
        Journal.State.Orders.TryGetValue(clientOrderId, out var order) && order.Status.IsWorking;

    private void ApplyStatus(string clientOrderId, string status, decimal sizeMatched, decimal? price, string source)
    {
        if (!Journal.State.Orders.TryGetValue(clientOrderId, out var order) || !order.Status.IsWorking)
        {
            return;
        }

        RecordFillUpTo(clientOrderId, sizeMatched, price ?? order.Intent.Price, source + ":" + sizeMatched.ToString(CultureInfo.InvariantCulture));

        var upper = status.ToUpperInvariant();
        if (upper == "MATCHED")
        {
            Close(clientOrderId, OrderStatus.Filled, "matched (" + source + ")");
        }
        else if (upper.StartsWith("CANCEL", StringComparison.Ordinal) || upper == "INVALID")
        {
            Close(clientOrderId, OrderStatus.Cancelled, status + " (" + source + ")");
        }
    }

    /// <summary>Records the shares beyond those the journal holds, when a source reports <paramref name="matched"/> in all.</summary>
    private void RecordFillUpTo(string clientOrderId, decimal matched, decimal price, string fillId)
    {
        lock (_fills)
        {
            var missing = matched - Journal.State.Orders[clientOrderId].FilledShares;
            if (missing > 0m)
            {
                RecordFill(clientOrderId, missing, price, fillId);
            }
        }
    }

    /// <summary>Records a trade's fill once per trade id, for the shares the journal lacks once it is counted.</summary>
    private void RecordTradeFill(string clientOrderId, string tradeId, decimal size, decimal price)
    {
        lock (_fills)
        {
            if (!_tradeIds.TryAdd(clientOrderId + "|" + tradeId, 0))
            {
                return;
            }

            var traded = _tradedShares.AddOrUpdate(clientOrderId, size, (_, total) => total + size);
            var missing = Math.Min(size, traded - Journal.State.Orders[clientOrderId].FilledShares);
            if (missing > 0m)
            {
                RecordFill(clientOrderId, missing, price, tradeId);
            }
        }
    }

    private void RecordFill(string clientOrderId, decimal shares, decimal price, string fillId)
    {
        var intent = Journal.State.Orders[clientOrderId].Intent;
        var fee = Fees.takerDecimal(shares, intent.FeeRate, price, Fees.cryptoExponentDecimal);
        Journal.Record(
            TradingEvent.NewFilled(clientOrderId, fillId, shares, price, fee, Time.GetUtcNow()),
            execution: _contexts.TryGetValue(clientOrderId, out var context)
                ? ExecutionOf(context, intent.Side.IsBuy, price)
                : null
        );
    }

    /// <summary>
    /// How a live fill went against the book the decision saw: its spread, and how far the fill price is from that
    /// book's best price (above the ask for a buy, below the bid for a sell), in percent, as the paper trader
    /// reports its walk.
    /// </summary>
    private static ExecutionReport ExecutionOf(OrderContext context, bool buy, decimal price)
    {
        var best = buy ? context.BestAsk : context.BestBid;
        return new ExecutionReport
        {
            BestBid = context.BestBid,
            BestAsk = context.BestAsk,
            Spread = context.BestAsk - context.BestBid,
            SlippagePct = best is > 0m and var b
                ? Math.Max(0m, (buy ? price - b : b - price) / b * 100m)
                : null,
        };
    }

    private void Close(string clientOrderId, OrderStatus status, string reason) =>
        Journal.Record(TradingEvent.NewOrderClosed(clientOrderId, status, reason, Time.GetUtcNow()));

    private void EnsureHeartbeat()
    {
        if (_heartbeat is not null)
        {
            return;
        }

        var beat = new ClobHeartbeat(_clob, Time, NullLogger<ClobHeartbeat>.Instance);
        _heartbeat = Task.Run(() => beat.RunAsync(_options.HeartbeatInterval, _stop.Token));
    }
}
