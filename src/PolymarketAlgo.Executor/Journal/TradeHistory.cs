using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PolymarketAlgo.Core;

namespace PolymarketAlgo.Executor.Journal;

/// <summary>How a market resolved, as an outcome source reports it.</summary>
/// <param name="Winner">The winning outcome.</param>
/// <param name="ResolvedAt">When it resolved (the settlement's time in the journal).</param>
public sealed record MarketResolution(StreakReversal.Outcome Winner, DateTimeOffset ResolvedAt);

/// <summary>Where backfill learns how markets resolved (the bots' Gamma client, or a recorded outcome history).</summary>
public interface IOutcomeSource
{
    /// <summary>How a market resolved, or null while it has not.</summary>
    /// <param name="marketId">The market slug.</param>
    /// <param name="windowStart">The start of its window.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The resolution, or null.</returns>
    Task<MarketResolution?> GetResolutionAsync(
        string marketId,
        DateTimeOffset windowStart,
        CancellationToken cancellationToken
    );
}

/// <summary>The result of a backfill.</summary>
/// <param name="Settled">Markets settled now.</param>
/// <param name="StillPending">Markets with positions that have not resolved.</param>
/// <param name="RealizedPnl">The P&amp;L the settlements realised.</param>
public sealed record BackfillResult(int Settled, int StillPending, decimal RealizedPnl);

/// <summary>Summary statistics of a journal (the original's <c>get_statistics</c>, seed-toolkit §6.5).</summary>
public sealed record TradeStatistics
{
    /// <summary>Orders placed.</summary>
    public int TotalTrades { get; init; }

    /// <summary>Orders with at least one fill.</summary>
    public int FilledTrades { get; init; }

    /// <summary>Filled buys settled by a resolution.</summary>
    public int SettledTrades { get; init; }

    /// <summary>Filled buys waiting for a resolution.</summary>
    public int PendingTrades { get; init; }

    /// <summary>Filled buys exited before the resolution.</summary>
    public int ForceExits { get; init; }

    /// <summary>Settled buys won.</summary>
    public int Wins { get; init; }

    /// <summary>Settled buys lost.</summary>
    public int Losses { get; init; }

    /// <summary>Wins / settled, as a fraction (0..1); 0 with nothing settled. The original printed a percentage.</summary>
    public double WinRate { get; init; }

    /// <summary>Realised P&amp;L after fees.</summary>
    public decimal RealizedPnl { get; init; }

    /// <summary>Fees paid.</summary>
    public decimal TotalFees { get; init; }

    /// <summary>Σ payout − cost of settled buys, before fees.</summary>
    public decimal GrossProfit { get; init; }

    /// <summary>Average net P&amp;L of a won settlement; 0 without wins.</summary>
    public decimal AverageWin { get; init; }

    /// <summary>Average net P&amp;L of a lost settlement (≤ 0); 0 without losses.</summary>
    public decimal AverageLoss { get; init; }

    /// <summary>The best settlement.</summary>
    public decimal LargestWin { get; init; }

    /// <summary>The worst settlement (≤ 0).</summary>
    public decimal LargestLoss { get; init; }

    /// <summary>Average slippage of the fills that report one, in percent.</summary>
    public decimal AverageSlippagePct { get; init; }

    /// <summary>Fees over filled notional, in percent.</summary>
    public decimal AverageFeePct { get; init; }

    /// <summary>Average copy-delay impact of the fills that report one, in percent.</summary>
    public decimal AverageDelayImpactPct { get; init; }

    /// <summary>The bankroll.</summary>
    public decimal Bankroll { get; init; }

    /// <summary>What is at risk in open positions and working orders.</summary>
    public decimal AtRisk { get; init; }

    /// <summary>Working orders.</summary>
    public int OpenOrders { get; init; }

    /// <summary>Open positions.</summary>
    public int OpenPositions { get; init; }

    /// <summary>The UTC day of the daily counters.</summary>
    public DateOnly Day { get; init; }

    /// <summary>Bets placed that day.</summary>
    public int DailyBets { get; init; }

    /// <summary>P&amp;L realised that day.</summary>
    public decimal DailyPnl { get; init; }
}

/// <summary>Statistics, CSV and JSON exports and backfill over a journal (what <c>history</c> prints).</summary>
public static class TradeHistory
{
    /// <summary>The export columns, in order: the placement time first.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "placed_at",
        "client_order_id",
        "market_id",
        "window_start",
        "strategy",
        "mode",
        "direction",
        "side",
        "order_type",
        "requested_amount",
        "filled_amount",
        "fill_pct",
        "shares",
        "price_at_signal",
        "execution_price",
        "limit_price",
        "best_bid",
        "best_ask",
        "spread",
        "slippage_pct",
        "delay_impact_pct",
        "fees",
        "status",
        "close_reason",
        "exchange_order_id",
        "order_hash",
        "settlement_status",
        "winner",
        "won",
        "payout",
        "gross_profit",
        "net_pnl",
        "settled_at",
        "force_exit_reason",
        "confidence",
        "streak_length",
        "copy_delay_ms",
        "copied_from",
        "trader_name",
        "trader_price",
        "trader_amount",
        "trade_number",
        "bankroll_before",
        "seconds_into_window",
        "reason",
    ];

    /// <summary>Summary statistics of the records and the state.</summary>
    /// <param name="trades">The journal's records.</param>
    /// <param name="state">The journal's state.</param>
    /// <returns>The statistics.</returns>
    public static TradeStatistics Statistics(IReadOnlyList<TradeRecord> trades, TradingState state)
    {
        ArgumentNullException.ThrowIfNull(trades);
        ArgumentNullException.ThrowIfNull(state);
        var settled = trades.Where(t => t.SettlementStatus == SettlementStatus.Settled).ToArray();
        var wins = settled.Where(t => t.Won == true).Select(t => t.NetPnl ?? 0m).ToArray();
        var losses = settled.Where(t => t.Won == false).Select(t => t.NetPnl ?? 0m).ToArray();
        var filled = trades.Where(t => t.FilledShares > 0m).ToArray();
        var notional = filled.Sum(t => t.FilledNotional);
        var slippages = filled.Select(t => t.Execution.SlippagePct).OfType<decimal>().ToArray();
        var impacts = filled.Select(t => t.Execution.DelayImpactPct).OfType<decimal>().ToArray();
        return new TradeStatistics
        {
            TotalTrades = trades.Count,
            FilledTrades = filled.Length,
            SettledTrades = settled.Length,
            PendingTrades = trades.Count(t => t.SettlementStatus == SettlementStatus.Pending),
            ForceExits = trades.Count(t => t.SettlementStatus == SettlementStatus.ForceExit),
            Wins = wins.Length,
            Losses = losses.Length,
            WinRate = settled.Length == 0 ? 0.0 : (double)wins.Length / settled.Length,
            RealizedPnl = state.RealizedPnl,
            TotalFees = state.FeesPaid,
            GrossProfit = settled.Sum(t => t.GrossProfit ?? 0m),
            AverageWin = wins.Length == 0 ? 0m : wins.Average(),
            AverageLoss = losses.Length == 0 ? 0m : losses.Average(),
            LargestWin = wins.Length == 0 ? 0m : wins.Max(),
            LargestLoss = losses.Length == 0 ? 0m : losses.Min(),
            AverageSlippagePct = slippages.Length == 0 ? 0m : slippages.Average(),
            AverageFeePct = notional == 0m ? 0m : filled.Sum(t => t.Fees) / notional * 100m,
            AverageDelayImpactPct = impacts.Length == 0 ? 0m : impacts.Average(),
            Bankroll = state.Bankroll,
            AtRisk = Account.atRisk(state),
            OpenOrders = Account.openOrderCount(state),
            OpenPositions = state.Positions.Count,
            Day = state.Day,
            DailyBets = state.DailyBets,
            DailyPnl = state.DailyPnl,
        };
    }

    /// <summary>
    /// The records as CSV: a header row of <see cref="Columns"/>, one row per order, times in ISO-8601 UTC (Z),
    /// money with full precision, empty cells for missing values.
    /// </summary>
    /// <param name="trades">The records.</param>
    /// <returns>The CSV text.</returns>
    public static string ToCsv(IReadOnlyList<TradeRecord> trades)
    {
        ArgumentNullException.ThrowIfNull(trades);
        var text = new StringBuilder();
        text.AppendJoin(',', Columns).Append('\n');
        foreach (var trade in trades)
        {
            text.AppendJoin(',', Values(trade).Select(v => Csv(v))).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The records as a JSON array of objects with the <see cref="Columns"/> as keys; numbers as numbers.</summary>
    /// <param name="trades">The records.</param>
    /// <returns>The JSON text (indented).</returns>
    public static string ToJson(IReadOnlyList<TradeRecord> trades)
    {
        ArgumentNullException.ThrowIfNull(trades);
        using var stream = new MemoryStream();
        var options = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var w = new Utf8JsonWriter(stream, options))
        {
            w.WriteStartArray();
            foreach (var trade in trades)
            {
                w.WriteStartObject();
                foreach (var (name, value) in Columns.Zip(Values(trade)))
                {
                    w.WritePropertyName(name);
                    switch (value)
                    {
                        case null:
                            w.WriteNullValue();
                            break;
                        case decimal d:
                            w.WriteNumberValue(d);
                            break;
                        case long l:
                            w.WriteNumberValue(l);
                            break;
                        case int i:
                            w.WriteNumberValue(i);
                            break;
                        case double x:
                            w.WriteNumberValue(x);
                            break;
                        case bool b:
                            w.WriteBooleanValue(b);
                            break;
                        default:
                            w.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                            break;
                    }
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// Settles the markets with open positions that have resolved, asking <paramref name="source"/> once per
    /// market; each settlement is recorded at the source's resolution time.
    /// </summary>
    /// <param name="journal">The journal.</param>
    /// <param name="source">Where resolutions come from.</param>
    /// <param name="cancellationToken">Cancels the lookups.</param>
    /// <returns>What was settled and what is still pending.</returns>
    public static async Task<BackfillResult> BackfillAsync(
        TradeJournal journal,
        IOutcomeSource source,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(source);
        var markets = Account
            .positions(journal.State)
            .GroupBy(p => p.MarketId)
            .Select(g => (MarketId: g.Key, g.First().WindowStart))
            .ToArray();
        var settled = 0;
        var before = journal.State.RealizedPnl;
        foreach (var (marketId, windowStart) in markets)
        {
            var resolution = await source
                .GetResolutionAsync(marketId, windowStart, cancellationToken)
                .ConfigureAwait(false);
            if (
                resolution is not null
                && journal.Record(TradingEvent.NewSettled(marketId, resolution.Winner, resolution.ResolvedAt))
            )
            {
                settled++;
            }
        }

        return new BackfillResult(settled, markets.Length - settled, journal.State.RealizedPnl - before);
    }

    private static object?[] Values(TradeRecord t) =>
        Array.ConvertAll(RawValues(t), v => v is decimal d ? Normalize(d) : v);

    /// <summary>The same value without trailing zeros (5.0 becomes 5), so exports show each amount once.</summary>
    private static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;

    private static object?[] RawValues(TradeRecord t) =>
        [
            Iso(t.PlacedAt),
            t.ClientOrderId,
            t.MarketId,
            Iso(t.WindowStart),
            t.Strategy,
            t.Mode == TradingMode.Live ? "live" : "paper",
            t.Outcome,
            t.Side,
            t.OrderType,
            t.RequestedAmount,
            t.FilledNotional,
            t.FillPct,
            t.FilledShares,
            t.Context.PriceAtSignal,
            t.ExecutionPrice,
            t.LimitPrice,
            t.Execution.BestBid ?? t.Context.BestBid,
            t.Execution.BestAsk ?? t.Context.BestAsk,
            t.Execution.Spread,
            t.Execution.SlippagePct,
            t.Execution.DelayImpactPct,
            t.Fees,
            t.Status,
            t.CloseReason,
            t.ExchangeOrderId,
            t.OrderHash,
            t.SettlementStatus switch
            {
                SettlementStatus.Pending => "pending",
                SettlementStatus.Settled => "settled",
                SettlementStatus.ForceExit => "force_exit",
                _ => "none",
            },
            t.Winner,
            t.Won,
            t.Payout,
            t.GrossProfit,
            t.NetPnl,
            t.SettledAt is { } at ? Iso(at) : null,
            t.ForceExitReason,
            t.Confidence,
            t.StreakLength,
            t.Context.CopyDelayMs,
            t.Context.CopiedFrom,
            t.Context.TraderName,
            t.Context.TraderPrice,
            t.Context.TraderAmount,
            t.TradeNumber,
            t.BankrollBefore,
            t.SecondsIntoWindow,
            t.Reason,
        ];

    /// <summary>ISO-8601 UTC with 7 fractional digits and a Z, e.g. 2026-04-16T07:15:00.0000000Z.</summary>
    private static string Iso(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static string Csv(object? value)
    {
        var text = value switch
        {
            null => "",
            bool b => b ? "true" : "false",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"") + "\"" : text;
    }
}
