using System.Diagnostics;
using PolymarketAlgo.Core;
using PolymarketAlgo.Executor.Journal;

namespace PolymarketAlgo.Executor.Trading;

/// <summary>The last risk check a trader runs before sending anything: Core limits and the operator's kill switch.</summary>
/// <param name="Limits">The limits.</param>
/// <param name="KillSwitch">True while the kill switch is engaged (for example while a file exists).</param>
public sealed record RiskGate(RiskLimits Limits, Func<bool> KillSwitch);

/// <summary>
/// The part every trader shares: argument checks, idempotency on the client order id, the risk gate, the
/// write-ahead <c>OrderPlaced</c> record, cancels and status from the journal. A subclass may prepare the order
/// (<see cref="PrepareAsync"/>: sign it, record its hash), sends it (<see cref="SubmitAsync"/>) and records what
/// the venue answers (<c>OrderAccepted</c>, <c>Filled</c>, <c>OrderClosed</c>, <c>Rejected</c>). A live trader
/// that cannot tell whether a post reached the venue (a timeout) records nothing and leaves the order working
/// for <see cref="Journal.Reconciliation"/> to settle, rather than booking a fill or a rejection it does not know.
/// </summary>
public abstract class JournalingTrader : ITrader
{
    private readonly RiskGate? _risk;
    private readonly SemaphoreSlim _placing = new(1, 1);

    /// <summary>Creates the trader.</summary>
    /// <param name="journal">The journal.</param>
    /// <param name="mode">Paper or live.</param>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    /// <param name="risk">The risk gate; none when null (the bot's decision already checked).</param>
    protected JournalingTrader(TradeJournal journal, TradingMode mode, TimeProvider? timeProvider, RiskGate? risk)
    {
        Journal = journal ?? throw new ArgumentNullException(nameof(journal));
        Mode = mode;
        Time = timeProvider ?? TimeProvider.System;
        _risk = risk;
    }

    /// <inheritdoc />
    public TradingMode Mode { get; }

    /// <inheritdoc />
    public TradeJournal Journal { get; }

    /// <summary>The clock.</summary>
    protected TimeProvider Time { get; }

    /// <inheritdoc />
    public Task<PlacementResult> PlaceMarketOrderAsync(
        TradeOrder order,
        CancellationToken cancellationToken = default
    ) => PlaceAsync(order, market: true, cancellationToken);

    /// <inheritdoc />
    public Task<PlacementResult> PlaceLimitOrderAsync(TradeOrder order, CancellationToken cancellationToken = default) =>
        PlaceAsync(order, market: false, cancellationToken);

    /// <inheritdoc />
    public async Task<bool> CancelAsync(string clientOrderId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clientOrderId);
        if (!Journal.State.Orders.TryGetValue(clientOrderId, out var order) || !order.Status.IsWorking)
        {
            return false;
        }

        if (!await CancelOnVenueAsync(order, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        return Journal.Record(
            TradingEvent.NewOrderClosed(clientOrderId, OrderStatus.Cancelled, "cancelled by the caller", Time.GetUtcNow())
        );
    }

    /// <inheritdoc />
    public virtual async Task<int> CancelAllAsync(CancellationToken cancellationToken = default)
    {
        var cancelled = 0;
        foreach (var order in Account.openOrders(Journal.State))
        {
            if (await CancelAsync(order.Intent.ClientOrderId, cancellationToken).ConfigureAwait(false))
            {
                cancelled++;
            }
        }

        return cancelled;
    }

    /// <inheritdoc />
    public Task<PlacementResult?> GetStatusAsync(string clientOrderId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clientOrderId);
        return Task.FromResult(
            Journal.State.Orders.TryGetValue(clientOrderId, out var order) ? PlacementResult.From(order, false) : null
        );
    }

    /// <summary>
    /// Runs before the write-ahead record: a live trader signs the order here and puts its hash into
    /// <see cref="TradeOrder.Context"/> (<see cref="OrderContext.OrderHash"/>), so reconciliation can find the order
    /// even if the process dies between posting it and hearing back. The default returns the order unchanged.
    /// </summary>
    /// <param name="order">The order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The order to record and submit.</returns>
    protected virtual ValueTask<TradeOrder> PrepareAsync(TradeOrder order, CancellationToken cancellationToken) =>
        ValueTask.FromResult(order);

    /// <summary>
    /// Sends a journaled order to the venue and records what it answers (<c>OrderAccepted</c>, <c>Filled</c>,
    /// <c>OrderClosed</c> or <c>Rejected</c>). Called after the <c>OrderPlaced</c> record is committed.
    /// </summary>
    /// <param name="order">The order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    protected abstract Task SubmitAsync(TradeOrder order, CancellationToken cancellationToken);

    /// <summary>Cancels a working order on the venue.</summary>
    /// <param name="order">The order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when the venue cancelled it.</returns>
    protected abstract Task<bool> CancelOnVenueAsync(OrderState order, CancellationToken cancellationToken);

    /// <summary>The order's current result from the journal.</summary>
    /// <param name="clientOrderId">The order.</param>
    /// <param name="alreadyPlaced">Whether it was found already placed.</param>
    /// <returns>The result.</returns>
    protected PlacementResult Result(string clientOrderId, bool alreadyPlaced) =>
        PlacementResult.From(Journal.State.Orders[clientOrderId], alreadyPlaced);

    private async Task<PlacementResult> PlaceAsync(TradeOrder order, bool market, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var intent = order.Intent ?? throw new ArgumentException("The order has no intent.", nameof(order));
        var now = Time.GetUtcNow();
        Check(order, market, now);

        // One placement at a time from the check to the write-ahead record: two calls with one id cannot sign two
        // different orders, and two with different ids cannot both pass a risk limit that only one fits in.
        await _placing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Journal.Contains(intent.ClientOrderId))
            {
                return Result(intent.ClientOrderId, alreadyPlaced: true);
            }

            if (_risk is not null)
            {
                var check = Risk.check(_risk.Limits, _risk.KillSwitch(), now, Journal.State, intent);
                if (check.IsError)
                {
                    var reason = Risk.describe(check.ErrorValue);
                    Journal.RecordDecision(now, intent.Strategy, intent.MarketId, "reject", reason, intent.ClientOrderId);
                    return new PlacementResult(intent.ClientOrderId, OrderStatus.Rejected, "", "", 0m, 0m, 0m, reason, false);
                }
            }

            order = await PrepareAsync(order, cancellationToken).ConfigureAwait(false);
            var context = (order.Context ?? new OrderContext()) with { Mode = Mode, TokenId = order.TokenId };
            var journalStarted = Stopwatch.GetTimestamp();
            if (!Journal.Record(TradingEvent.NewOrderPlaced(intent, now), context))
            {
                return Result(intent.ClientOrderId, alreadyPlaced: true);
            }

            if (order.Timing is { } timing)
            {
                timing.Journal = Stopwatch.GetElapsedTime(journalStarted);
            }
        }
        finally
        {
            _placing.Release();
        }

        await SubmitAsync(order, cancellationToken).ConfigureAwait(false);
        return Result(intent.ClientOrderId, alreadyPlaced: false);
    }

    private static void Check(TradeOrder order, bool market, DateTimeOffset now)
    {
        var intent = order.Intent;
        ArgumentException.ThrowIfNullOrEmpty(order.TokenId, nameof(order));
        ArgumentException.ThrowIfNullOrEmpty(intent.ClientOrderId, nameof(order));
        var isMarket = intent.TimeInForce.IsFok || intent.TimeInForce.IsFak;
        if (isMarket != market)
        {
            throw new ArgumentException(
                market
                    ? $"A market order is FOK or FAK, not {EventCodec.TimeInForceText(intent.TimeInForce)}."
                    : $"A limit order is GTC or GTD, not {EventCodec.TimeInForceText(intent.TimeInForce)}.",
                nameof(order)
            );
        }

        if (intent.Amount <= 0m)
        {
            throw new ArgumentException($"The amount must be positive, got {intent.Amount}.", nameof(order));
        }

        if (intent.Price is <= 0m or >= 1m)
        {
            throw new ArgumentException($"The price must lie in (0, 1), got {intent.Price}.", nameof(order));
        }

        if (intent.TimeInForce.IsGtd != (intent.Expiration > 0))
        {
            throw new ArgumentException("A GTD order needs an expiration; other orders must have none.", nameof(order));
        }

        if (intent.TimeInForce.IsGtd && intent.Expiration <= now.ToUnixTimeSeconds())
        {
            throw new ArgumentException($"The GTD expiration {intent.Expiration} has passed.", nameof(order));
        }
    }
}
