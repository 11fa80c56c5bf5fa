namespace PolymarketAlgo.Core

open System

/// The sums a backtest gathers in one pass over its bars; `Metrics.ofSums` turns them into `Metrics`.
/// The fast backtest loop and `Metrics.compute` gather them in the same order, so both give identical metrics.
[<Struct>]
type internal MetricSums =
    {
        Bars: int
        Trades: int
        Wins: int
        TradeSum: float
        TradeSquares: float
        Fees: float
        /// Σ P&L of winning trades (the losing trades' sum is TradeSum − WinSum).
        WinSum: float
        LongestLosingStreak: int
        BarSquares: float
        DownsideSquares: float
        Equity: float
        MaxDrawdown: float
        PeakAtMaxDrawdown: float
    }

/// Performance metrics of a backtest (see `Metrics` for the definitions).
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Metrics =

    /// Where the running peak of the equity curve starts: the first bar (the original) or the starting equity 0.
    let internal initialPeak (semantics: Semantics) =
        if semantics = Semantics.Seed then
            Double.NegativeInfinity
        else
            0.0

    /// A variance from a sum of squares and a mean over `count` values; one lost in rounding counts as 0.
    let private variance (squares: float) (mean: float) (count: int) =
        let value = squares / float count - mean * mean
        if value <= 1e-12 * mean * mean then 0.0 else value

    /// The metrics of the gathered sums.
    let internal ofSums (settings: BacktestSettings) (sums: MetricSums) : Metrics =
        let ratio (numerator: float) (count: int) =
            if count = 0 then 0.0 else numerator / float count

        let tradeMean = ratio sums.TradeSum sums.Trades

        let tradeStd =
            if sums.Trades = 0 then
                0.0
            else
                sqrt (variance sums.TradeSquares tradeMean sums.Trades)

        let barMean = ratio sums.Equity sums.Bars

        let barStd =
            if sums.Bars = 0 then
                0.0
            else
                sqrt (variance sums.BarSquares barMean sums.Bars)

        let downside = sqrt (ratio sums.DownsideSquares sums.Bars)
        let yearScale = sqrt settings.BarsPerYear

        {
            TradeCount = sums.Trades
            WinRate = ratio (float sums.Wins) sums.Trades
            TotalPnl = sums.TradeSum
            TotalFees = sums.Fees
            AverageWin = ratio sums.WinSum sums.Wins
            AverageLoss = ratio (sums.TradeSum - sums.WinSum) (sums.Trades - sums.Wins)
            Expectancy = tradeMean
            ProfitFactor =
                let grossLoss = sums.WinSum - sums.TradeSum

                if grossLoss > 0.0 then sums.WinSum / grossLoss
                elif sums.WinSum > 0.0 then Double.PositiveInfinity
                else 0.0
            MaxDrawdown = sums.MaxDrawdown
            MaxDrawdownPct =
                let peakEquity = settings.InitialCapital + sums.PeakAtMaxDrawdown

                if peakEquity > 0.0 then
                    sums.MaxDrawdown / peakEquity
                else
                    0.0
            SharpePerTrade =
                if tradeStd = 0.0 then
                    0.0
                else
                    tradeMean / tradeStd * sqrt (float sums.Trades)
            SharpeAnnualized = if barStd = 0.0 then 0.0 else barMean / barStd * yearScale
            Sortino =
                if downside = 0.0 then
                    0.0
                else
                    barMean / downside * yearScale
            Calmar =
                if sums.MaxDrawdown = 0.0 || sums.Bars = 0 then
                    0.0
                else
                    sums.TradeSum * settings.BarsPerYear / float sums.Bars / abs sums.MaxDrawdown
            LongestLosingStreak = sums.LongestLosingStreak
            Exposure = ratio (float sums.Trades) sums.Bars
        }

    /// Computes the metrics from the trades and the per-bar P&L (one value per candle, 0 where there is no bet).
    /// - Sharpe per trade is the original's: mean / population std of the trades' P&L × √(trade count), not
    ///   annualised; 0 with no trades or zero deviation.
    /// - Max drawdown: with `Semantics.Seed` it is exactly the original's min(curve − cummax(curve)) over the per-bar
    ///   cumulative curve without a leading 0, so a first-bar loss is not a drawdown; with `Semantics.Polymarket`
    ///   the starting equity 0 counts as a peak. The percentage divides by InitialCapital + the peak P&L.
    /// - Annualised Sharpe and Sortino use the per-bar P&L (population deviation; downside deviation against 0)
    ///   × √BarsPerYear; Calmar = total P&L per year / |max drawdown|; exposure = trades / bars.
    /// Deviations come from sums of squares (one pass); a deviation lost in rounding counts as 0.
    let compute (settings: BacktestSettings) (trades: Trade[]) (barPnl: float[]) : Metrics =
        let mutable barSquares = 0.0
        let mutable downsideSquares = 0.0
        let mutable equity = 0.0
        let mutable peak = initialPeak settings.Semantics
        let mutable maxDrawdown = 0.0
        let mutable peakAtMaxDrawdown = 0.0

        for pnl in barPnl do
            barSquares <- barSquares + pnl * pnl

            if pnl < 0.0 then
                downsideSquares <- downsideSquares + pnl * pnl

            equity <- equity + pnl
            peak <- Math.Max(peak, equity)

            if equity - peak < maxDrawdown then
                maxDrawdown <- equity - peak
                peakAtMaxDrawdown <- peak

        let mutable wins = 0
        let mutable tradeSum = 0.0
        let mutable tradeSquares = 0.0
        let mutable fees = 0.0
        let mutable winSum = 0.0
        let mutable losingStreak = 0
        let mutable longestLosingStreak = 0

        for trade in trades do
            let pnl = trade.Pnl
            tradeSum <- tradeSum + pnl
            tradeSquares <- tradeSquares + pnl * pnl
            fees <- fees + trade.Fee

            if trade.IsWin then
                wins <- wins + 1
                winSum <- winSum + pnl
                losingStreak <- 0
            else
                losingStreak <- losingStreak + 1
                longestLosingStreak <- max longestLosingStreak losingStreak

        ofSums
            settings
            {
                Bars = barPnl.Length
                Trades = trades.Length
                Wins = wins
                TradeSum = tradeSum
                TradeSquares = tradeSquares
                Fees = fees
                WinSum = winSum
                LongestLosingStreak = longestLosingStreak
                BarSquares = barSquares
                DownsideSquares = downsideSquares
                Equity = equity
                MaxDrawdown = maxDrawdown
                PeakAtMaxDrawdown = peakAtMaxDrawdown
            }

    /// The drawdown curve of per-bar P&L: cumulative P&L minus its running peak (≤ 0). With `Semantics.Seed`
    /// the running peak starts at the first bar (the original); otherwise at 0.
    let drawdownCurve (semantics: Semantics) (barPnl: float[]) : float[] =
        let curve = Array.zeroCreate barPnl.Length
        let mutable equity = 0.0
        let mutable peak = initialPeak semantics

        for i in 0 .. barPnl.Length - 1 do
            equity <- equity + barPnl[i]
            peak <- Math.Max(peak, equity)
            curve[i] <- equity - peak

        curve
