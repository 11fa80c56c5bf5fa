using Microsoft.Extensions.Logging;
using PolymarketAlgo.Core;
using PolymarketAlgo.Executor.Journal;
using PolymarketAlgo.Executor.Rest;

namespace PolymarketAlgo.Executor.Trading;

/// <summary>
/// Brings the journal up to date with the exchange before a live bot trades again (after a crash, a kill or a
/// network loss): reads the account's open orders and its trades since the oldest order still working in the
/// journal, records the fills the journal lacks and closes the orders that are no longer open
/// (<see cref="Reconciliation"/>). Orders and trades the journal does not know are reported, never booked.
/// </summary>
public static class ExchangeReconciler
{
    /// <summary>How far before the oldest working order the trade history is read (clock skew, slow acknowledgements).</summary>
    public static readonly TimeSpan TradeLookback = TimeSpan.FromMinutes(10);

    /// <summary>Reconciles the journal with the exchange and applies the differences.</summary>
    /// <param name="journal">The journal.</param>
    /// <param name="clob">An L2-authenticated CLOB client of the journal's account.</param>
    /// <param name="apiKey">The account's API key (the owner of its orders and trades).</param>
    /// <param name="timeProvider">The clock the closes are stamped with.</param>
    /// <param name="logger">Where the differences are logged.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The differences found (before they were applied).</returns>
    public static async Task<ReconcileReport> ReconcileAsync(
        TradeJournal journal,
        ClobClient clob,
        string apiKey,
        TimeProvider timeProvider,
        ILogger logger,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(clob);
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        var working = Account.openOrders(journal.State);
        var open = new List<ExchangeOrder>();
        await foreach (var order in clob.GetAllOpenOrdersAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (order.IsLive)
            {
                open.Add(new ExchangeOrder(order.Id, order.AssetId, order.Side, order.Price, order.OriginalSize, order.SizeMatched));
            }
        }

        var trades = new List<ExchangeTrade>();
        if (working.Length > 0)
        {
            var feeRates = FeeRatesByExchangeId(journal);
            var query = new TradesQuery(After: working[0].PlacedAt - TradeLookback);
            await foreach (var trade in clob.GetAllTradesAsync(query, cancellationToken).ConfigureAwait(false))
            {
                trades.AddRange(AccountFills(trade, apiKey, feeRates));
            }
        }

        var report = Reconciliation.Compare(journal, open, trades);
        var applied = Reconciliation.Apply(journal, report, timeProvider.GetUtcNow());
        logger.LogInformation(
            "reconcile: {Working} working in the journal, {Open} open on the exchange; recorded {Fills} fills, closed {Closed} orders ({Applied} events); {UnknownOrders} unknown open orders, {UnknownTrades} unknown trades",
            working.Length,
            open.Count,
            report.UnrecordedFills.Count,
            report.NotOpenOnExchange.Count,
            applied,
            report.UnknownOpenOrders.Count,
            report.UnknownTrades.Count
        );
        foreach (var unknown in report.UnknownOpenOrders)
        {
            logger.LogWarning(
                "reconcile: open order {OrderId} ({Side} {Size} @ {Price}) is not in the journal; left alone",
                unknown.OrderId,
                unknown.Side,
                unknown.OriginalSize,
                unknown.Price
            );
        }

        return report;
    }

    /// <summary>The fee rate of each journaled order, by its exchange order id and its order hash.</summary>
    private static Dictionary<string, decimal> FeeRatesByExchangeId(TradeJournal journal)
    {
        var rates = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
        foreach (var record in journal.ReadTrades())
        {
            foreach (var id in new[] { record.ExchangeOrderId, record.OrderHash })
            {
                if (!string.IsNullOrEmpty(id))
                {
                    rates[id] = record.FeeRate;
                }
            }
        }

        return rates;
    }

    /// <summary>
    /// The account's fills in one exchange trade: the taker order when the account took, and each maker order the
    /// account owns (makers pay no fee). The taker fee is charged at the order's journaled fee rate.
    /// </summary>
    private static IEnumerable<ExchangeTrade> AccountFills(ClobTrade trade, string apiKey, Dictionary<string, decimal> feeRates)
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(trade.MatchTime);
        var taker = string.Equals(trade.TraderSide, "TAKER", StringComparison.OrdinalIgnoreCase)
            || (trade.TraderSide is null && string.Equals(trade.Owner, apiKey, StringComparison.Ordinal));
        if (taker && !string.IsNullOrEmpty(trade.TakerOrderId))
        {
            var rate = feeRates.GetValueOrDefault(trade.TakerOrderId);
            var fee = Fees.takerDecimal(trade.Size, rate, trade.Price, Fees.cryptoExponentDecimal);
            yield return new ExchangeTrade(trade.Id, trade.TakerOrderId, trade.Price, trade.Size, fee, at);
        }

        foreach (var maker in trade.MakerOrders)
        {
            if (string.Equals(maker.Owner, apiKey, StringComparison.Ordinal))
            {
                yield return new ExchangeTrade(trade.Id + ":" + maker.OrderId, maker.OrderId, maker.Price, maker.MatchedAmount, 0m, at);
            }
        }
    }
}
