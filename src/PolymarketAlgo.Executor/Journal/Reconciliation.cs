using PolymarketAlgo.Core;

namespace PolymarketAlgo.Executor.Journal;

/// <summary>An order the exchange reports as open (map the CLOB's <c>GET /data/orders</c> rows to this).</summary>
/// <param name="OrderId">The exchange order id (the order hash on Polymarket).</param>
/// <param name="TokenId">The outcome token.</param>
/// <param name="Side">"BUY" or "SELL".</param>
/// <param name="Price">The limit price.</param>
/// <param name="OriginalSize">Shares ordered.</param>
/// <param name="SizeMatched">Shares filled so far.</param>
public sealed record ExchangeOrder(
    string OrderId,
    string TokenId,
    string Side,
    decimal Price,
    decimal OriginalSize,
    decimal SizeMatched
);

/// <summary>
/// One fill the exchange reports for one of the account's orders (map the CLOB's <c>GET /data/trades</c> rows to
/// this: for a taker fill the order id is <c>taker_order_id</c>; for a maker fill it is the account's entry in
/// <c>maker_orders</c>, with its matched amount and price).
/// </summary>
/// <param name="TradeId">The exchange trade id (used as the fill id).</param>
/// <param name="OrderId">The account's order id in the trade.</param>
/// <param name="Price">The fill price.</param>
/// <param name="Size">Shares filled.</param>
/// <param name="Fee">The fee charged in pUSD (0 for a maker fill).</param>
/// <param name="MatchTime">When it matched.</param>
public sealed record ExchangeTrade(
    string TradeId,
    string OrderId,
    decimal Price,
    decimal Size,
    decimal Fee,
    DateTimeOffset MatchTime
);

/// <summary>A fill the exchange has and the journal lacks, with the order it belongs to.</summary>
/// <param name="ClientOrderId">The journal's order.</param>
/// <param name="Trade">The exchange's fill.</param>
public sealed record UnrecordedFill(string ClientOrderId, ExchangeTrade Trade);

/// <summary>The differences between the journal and the exchange.</summary>
/// <param name="UnknownOpenOrders">Open on the exchange, unknown to the journal (placed by another program, or lost).</param>
/// <param name="NotOpenOnExchange">Working in the journal but not open on the exchange (finished while we were away).</param>
/// <param name="UnrecordedFills">Fills of known orders that the journal lacks.</param>
/// <param name="UnknownTrades">Fills of orders the journal does not know.</param>
public sealed record ReconcileReport(
    IReadOnlyList<ExchangeOrder> UnknownOpenOrders,
    IReadOnlyList<TradeRecord> NotOpenOnExchange,
    IReadOnlyList<UnrecordedFill> UnrecordedFills,
    IReadOnlyList<ExchangeTrade> UnknownTrades
)
{
    /// <summary>True when the journal and the exchange agree.</summary>
    public bool IsClean =>
        UnknownOpenOrders.Count == 0
        && NotOpenOnExchange.Count == 0
        && UnrecordedFills.Count == 0
        && UnknownTrades.Count == 0;
}

/// <summary>
/// Reconciliation of the journal against the exchange, for a bot to run before it trades: compare, then record
/// what the exchange knows and the journal lacks (<see cref="Apply"/>). Orders are matched by exchange order id
/// or by the order hash recorded at placement, so an order posted just before a crash is still found; fills are
/// matched by trade id, or by shares when the journal recorded them from a reply without trade ids.
/// </summary>
public static class Reconciliation
{
    /// <summary>Compares the journal's orders with the exchange's open orders and trades.</summary>
    /// <param name="journal">The journal.</param>
    /// <param name="openOrders">The exchange's open orders of the account.</param>
    /// <param name="trades">The exchange's fills of the account (at least since the oldest working order).</param>
    /// <returns>The differences.</returns>
    public static ReconcileReport Compare(
        TradeJournal journal,
        IReadOnlyList<ExchangeOrder> openOrders,
        IReadOnlyList<ExchangeTrade> trades
    )
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(openOrders);
        ArgumentNullException.ThrowIfNull(trades);
        var state = journal.State;
        var records = journal.ReadTrades();
        var byExchangeId = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var record in records)
        {
            foreach (var id in new[] { record.ExchangeOrderId, record.OrderHash })
            {
                if (!string.IsNullOrEmpty(id))
                {
                    byExchangeId[id] = record.ClientOrderId;
                }
            }
        }

        var unknownOpen = openOrders.Where(o => !byExchangeId.ContainsKey(o.OrderId)).ToArray();
        var openIds = openOrders
            .Select(o => byExchangeId.GetValueOrDefault(o.OrderId))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var notOpen = records
            .Where(r =>
                state.Orders.TryGetValue(r.ClientOrderId, out var order)
                && order.Status.IsWorking
                && !openIds.Contains(r.ClientOrderId)
            )
            .ToArray();
        var unrecorded = new List<UnrecordedFill>();
        var unknownTrades = new List<ExchangeTrade>();
        var byOrder = new Dictionary<string, List<ExchangeTrade>>(StringComparer.Ordinal);
        foreach (var trade in trades)
        {
            if (!byExchangeId.TryGetValue(trade.OrderId, out var clientOrderId))
            {
                unknownTrades.Add(trade);
            }
            else if (byOrder.TryGetValue(clientOrderId, out var list))
            {
                list.Add(trade);
            }
            else
            {
                byOrder[clientOrderId] = [trade];
            }
        }

        foreach (var (clientOrderId, orderTrades) in byOrder)
        {
            state.Orders.TryGetValue(clientOrderId, out var order);
            unrecorded.AddRange(Unrecorded(clientOrderId, order, orderTrades));
        }

        return new ReconcileReport(unknownOpen, notOpen, unrecorded, unknownTrades);
    }

    /// <summary>
    /// The fills of one order the journal lacks. A fill recorded under the exchange's trade id is known; shares the
    /// journal recorded under other ids (from the post's reply or a status poll, which carry no trade id) cover the
    /// exchange's remaining fills oldest first, so a fill is never booked twice; what is left over is unrecorded.
    /// </summary>
    private static IEnumerable<UnrecordedFill> Unrecorded(string clientOrderId, OrderState? order, List<ExchangeTrade> trades)
    {
        if (order is null)
        {
            return trades.Select(t => new UnrecordedFill(clientOrderId, t));
        }

        var known = trades.Where(t => order.FillIds.Contains(t.TradeId)).Sum(t => t.Size);
        var covered = Math.Max(0m, order.FilledShares - known);
        var missing = new List<UnrecordedFill>();
        foreach (var trade in trades.Where(t => !order.FillIds.Contains(t.TradeId)).OrderBy(t => t.MatchTime))
        {
            if (covered >= trade.Size)
            {
                covered -= trade.Size;
                continue;
            }

            var size = trade.Size - covered;
            var fee = trade.Size > 0m ? trade.Fee * size / trade.Size : 0m;
            covered = 0m;
            missing.Add(new UnrecordedFill(clientOrderId, trade with { Size = size, Fee = fee }));
        }

        return missing;
    }

    /// <summary>
    /// Records what the exchange knows and the journal lacks: each unrecorded fill, then each working order that is
    /// not open on the exchange as closed (Filled if anything filled, else Cancelled). Unknown orders and trades
    /// are only reported: they are not this account's to book. Run it before trading, not while orders are in flight.
    /// </summary>
    /// <param name="journal">The journal.</param>
    /// <param name="report">The comparison.</param>
    /// <param name="now">The time of the closes.</param>
    /// <returns>The number of events recorded.</returns>
    public static int Apply(TradeJournal journal, ReconcileReport report, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(report);
        var recorded = 0;
        foreach (var fill in report.UnrecordedFills)
        {
            var t = fill.Trade;
            if (
                journal.Record(
                    TradingEvent.NewFilled(fill.ClientOrderId, t.TradeId, t.Size, t.Price, t.Fee, t.MatchTime)
                )
            )
            {
                recorded++;
            }
        }

        foreach (var record in report.NotOpenOnExchange)
        {
            var filled = journal.State.Orders.TryGetValue(record.ClientOrderId, out var order) && order.FilledShares > 0m;
            if (
                journal.Record(
                    TradingEvent.NewOrderClosed(
                        record.ClientOrderId,
                        filled ? OrderStatus.Filled : OrderStatus.Cancelled,
                        "not open on the exchange at reconciliation",
                        now
                    )
                )
            )
            {
                recorded++;
            }
        }

        return recorded;
    }
}
