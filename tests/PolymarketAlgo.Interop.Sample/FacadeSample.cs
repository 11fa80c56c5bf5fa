using PolymarketAlgo.Core;
using PolymarketAlgo.Core.Interop;

namespace PolymarketAlgo.Interop.Sample;

/// <summary>
/// A C# consumer of the Core facade: it uses only C#-friendly types (arrays, IReadOnlyList,
/// IReadOnlyDictionary, records, enums), so the facade stays honest. The Core tests call it and check
/// the numbers against the original toolkit's published values.
/// </summary>
public static class FacadeSample
{
    /// <summary>Five-minute candles whose open, high, low and close are all <paramref name="closes"/>.</summary>
    public static CandleColumns CandlesFromCloses(double[] closes)
    {
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var times = closes.Select((_, i) => start.AddMinutes(5 * i)).ToArray();
        return new CandleColumns(times, closes, closes, closes, closes, new double[closes.Length]);
    }

    /// <summary>The original engine's backtest of streak-reversal with default parameters.</summary>
    public static Metrics SeedStreakBacktest(double[] closes)
    {
        var candles = CandlesFromCloses(closes);
        var strategy = Research.FindStrategy("streak-reversal")
            ?? throw new InvalidOperationException("streak-reversal is not registered");
        var signals = Research.Evaluate(strategy, candles);
        return Research.Backtest(candles, signals, Research.SeedSettings).Metrics;
    }

    /// <summary>Signals of streak-reversal with a custom trigger, to show parameters from C#.</summary>
    public static int[] StreakSignals(double[] closes, int trigger)
    {
        var strategy = Research.FindStrategy("streak-reversal")!;
        var parameters = new Dictionary<string, double> { ["trigger"] = trigger };
        return Research.Evaluate(strategy, CandlesFromCloses(closes), parameters).Signal;
    }

    /// <summary>The best combination of a streak-reversal sweep under Polymarket semantics.</summary>
    public static IReadOnlyDictionary<string, double> BestStreakParameters(double[] closes)
    {
        var strategy = Research.FindStrategy("streak-reversal")!;
        var sweep = Research.Sweep(strategy, CandlesFromCloses(closes), maxDegreeOfParallelism: 2);
        return sweep.Rows[0].Parameters;
    }

    /// <summary>The Probability of Backtest Overfitting of a streak-reversal sweep, or null when it was not computed.</summary>
    public static double? StreakOverfitting(double[] closes, int blocks)
    {
        var strategy = Research.FindStrategy("streak-reversal")!;
        var sweep = Research.Sweep(strategy, CandlesFromCloses(closes), maxDegreeOfParallelism: 2, overfittingBlocks: blocks);
        return sweep.TryGetOverfitting(out var overfitting) ? overfitting.Probability : null;
    }

    /// <summary>EMA(3) of a series through the facade.</summary>
    public static double[] Ema3(double[] values) => Indicators.Ema(values, 3);

    /// <summary>Quarter Kelly of the original's worked example (0.667 at even odds on $100 gives 8.35).</summary>
    public static decimal KellyExample() => Trading.Kelly(0.667m, 2m, 100m);

    /// <summary>The original's book-walking example: asks 0.50×10 and 0.52×20, buy $10.</summary>
    public static double BookWalkExample()
    {
        var asks = new[] { new BookLevel(0.50, 10), new BookLevel(0.52, 20) };
        var bids = new[] { new BookLevel(0.48, 10) };
        return Trading.WalkBook(bids, asks, isBuy: true, amountUsd: 10).ExecutionPrice;
    }

    /// <summary>Polymarket's crypto taker fee on 100 shares at 0.50 (1.8 dollars).</summary>
    public static decimal FeeExample() => Trading.TakerFee(100m, 0.5m);
}
