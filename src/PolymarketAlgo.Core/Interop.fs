namespace PolymarketAlgo.Core.Interop

open System
open System.Collections.Generic
open System.Runtime.InteropServices
open PolymarketAlgo.Core

/// MACD output columns.
type MacdColumns =
    {
        Macd: float[]
        Signal: float[]
        Histogram: float[]
    }

/// Bollinger band output columns.
type BollingerColumns =
    {
        Middle: float[]
        Upper: float[]
        Lower: float[]
    }

/// The selective filter's verdict in C# form.
type FilterVerdict =
    {
        Accepted: bool
        /// "all checks OK" when accepted, else the first failed check worded like the original.
        Reason: string
    }

/// Indicator kernels and the indicator registry for C# callers.
[<AbstractClass; Sealed>]
type Indicators =
    /// Simple moving average (NaN during the first period − 1 bars).
    static member Sma(input: float[], [<Optional; DefaultParameterValue(20)>] period: int) : float[] =
        Indicator.sma period input

    /// Exponential moving average, α = 2/(period+1), seeded with the first value (NaN before period − 1).
    static member Ema(input: float[], [<Optional; DefaultParameterValue(20)>] period: int) : float[] =
        Indicator.ema period input

    /// RSI with the original's intended formula (warm-up bars are 100; flat stretches 50).
    static member Rsi(input: float[], [<Optional; DefaultParameterValue(14)>] period: int) : float[] =
        Indicator.rsi period input

    /// MACD line, signal line and histogram.
    static member Macd
        (
            input: float[],
            [<Optional; DefaultParameterValue(12)>] fastPeriod: int,
            [<Optional; DefaultParameterValue(26)>] slowPeriod: int,
            [<Optional; DefaultParameterValue(9)>] signalPeriod: int
        ) : MacdColumns =
        let line, signal, histogram =
            Indicator.macd fastPeriod slowPeriod signalPeriod input

        {
            Macd = line
            Signal = signal
            Histogram = histogram
        }

    /// Bollinger bands with a population standard deviation.
    static member Bollinger
        (
            input: float[],
            [<Optional; DefaultParameterValue(20)>] period: int,
            [<Optional; DefaultParameterValue(2.0)>] standardDeviations: float
        ) : BollingerColumns =
        let middle, upper, lower = Indicator.bollinger period standardDeviations input

        {
            Middle = middle
            Upper = upper
            Lower = lower
        }

    /// Every built-in indicator.
    static member All: IReadOnlyList<IIndicator> = Indicator.all |> Array.ofList :> _

    /// The built-in indicator with this name, or null.
    static member Find(name: string) : IIndicator = Indicator.tryFind name |> Option.toObj

/// Strategies, backtests, sweeps and walk-forward validation for C# callers.
[<AbstractClass; Sealed>]
type Research =
    /// The built-in strategies.
    static member Strategies: IReadOnlyList<IStrategy> = Strategy.builtIn |> Array.ofList :> _

    /// The built-in strategy with this name, or null.
    static member FindStrategy(name: string) : IStrategy = Strategy.tryFind name |> Option.toObj

    /// Evaluates a strategy (missing parameters take their defaults; null means all defaults).
    /// Throws ArgumentException for a parameter the strategy does not have.
    static member Evaluate
        (
            strategy: IStrategy,
            candles: CandleColumns,
            [<Optional; DefaultParameterValue(null: IReadOnlyDictionary<string, float>)>] parameters:
                IReadOnlyDictionary<string, float>
        ) : Signals =
        let parameters =
            if isNull parameters then
                Map.empty
            else
                parameters |> Seq.map (fun kv -> kv.Key, kv.Value) |> Map.ofSeq

        match Strategy.evaluate strategy candles parameters with
        | Ok signals -> signals
        | Error error -> invalidArg (nameof parameters) $"%A{error}"

    /// Polymarket semantics: tie resolves Up, entry 0.50, crypto taker fee 0.072, exponent 1.
    static member PolymarketSettings: BacktestSettings = Backtest.defaultSettings

    /// The original Python engine's semantics, for reproducing its published numbers.
    static member SeedSettings: BacktestSettings = Backtest.seedSettings

    /// Runs one backtest; settings default to Polymarket semantics.
    static member Backtest
        (candles: CandleColumns, signals: Signals, [<Optional>] settings: BacktestSettings)
        : BacktestResult =
        let settings =
            if obj.ReferenceEquals(settings, null) then
                Backtest.defaultSettings
            else
                settings

        Backtest.run settings candles signals

    /// Sweeps the strategy's whole grid, ranked by `rank`, on `maxDegreeOfParallelism` threads (0 = all cores),
    /// with the overfitting estimate over `overfittingBlocks` CSCV blocks (even, at least 2; 0 turns it off; read
    /// it with `SweepResult.TryGetOverfitting`).
    static member Sweep
        (
            strategy: IStrategy,
            candles: CandleColumns,
            [<Optional>] settings: BacktestSettings,
            [<Optional; DefaultParameterValue(RankKey.WinRate)>] rank: RankKey,
            [<Optional; DefaultParameterValue(0)>] maxDegreeOfParallelism: int,
            [<Optional; DefaultParameterValue(16)>] overfittingBlocks: int
        ) : SweepResult =
        let settings =
            if obj.ReferenceEquals(settings, null) then
                Backtest.defaultSettings
            else
                settings

        let threads =
            if maxDegreeOfParallelism <= 0 then
                Environment.ProcessorCount
            else
                maxDegreeOfParallelism

        Sweep.run
            settings
            { Sweep.defaultSettings with
                Rank = rank
                MaxDegreeOfParallelism = threads
                OverfittingBlocks = overfittingBlocks
            }
            strategy
            candles
            strategy.ParameterGrid

    /// Walk-forward validation over the strategy's grid with the given window layout.
    static member WalkForward
        (
            strategy: IStrategy,
            candles: CandleColumns,
            mode: WalkForwardMode,
            trainBars: int,
            testBars: int,
            stepBars: int,
            [<Optional>] settings: BacktestSettings,
            [<Optional; DefaultParameterValue(0.75)>] trainRatio: float
        ) : WalkForwardResult =
        let settings =
            if obj.ReferenceEquals(settings, null) then
                Backtest.defaultSettings
            else
                settings

        let windows =
            WalkForward.windows mode candles.Length trainRatio trainBars testBars stepBars

        WalkForward.run
            settings
            { Sweep.defaultSettings with
                MaxDegreeOfParallelism = Environment.ProcessorCount
            }
            strategy
            candles
            strategy.ParameterGrid
            mode
            windows

/// Sizing, fees and copytrade math for C# callers.
[<AbstractClass; Sealed>]
type Trading =
    /// Fractional Kelly like the original `kelly_size` (0 without an edge, else at least $1, rounded to cents).
    static member Kelly
        (
            confidence: decimal,
            odds: decimal,
            bankroll: decimal,
            [<Optional; DefaultParameterValue(0.25)>] fraction: float
        ) : decimal =
        Sizing.kelly confidence odds bankroll (decimal fraction)

    /// Polymarket's taker fee in dollars, shares × rate × (p(1−p))^exponent, unrounded.
    static member TakerFee
        (
            shares: decimal,
            price: decimal,
            [<Optional; DefaultParameterValue(0.072)>] rate: float,
            [<Optional; DefaultParameterValue(1.0)>] exponent: float
        ) : decimal =
        Fees.takerDecimal shares (decimal rate) price (decimal exponent)

    /// The copy-delay impact in percent with the original's default parameters.
    static member DelayImpact
        (delayMs: int64, orderSize: float, depthAtBest: float, spread: float)
        : DelayImpactEstimate =
        DelayImpact.calculate DelayImpact.defaults delayMs orderSize depthAtBest spread

    /// Walks a book for `amountUsd` dollars (asks for a buy, bids for a sell). Throws InvalidOperationException
    /// when the side to walk is empty.
    static member WalkBook
        (
            bids: IReadOnlyList<BookLevel>,
            asks: IReadOnlyList<BookLevel>,
            isBuy: bool,
            amountUsd: float,
            [<Optional; DefaultParameterValue(0L)>] copyDelayMs: int64
        ) : ExecutionEstimate =
        let book =
            {
                Bids = Array.ofSeq bids
                Asks = Array.ofSeq asks
            }

        match BookWalk.estimate DelayImpact.defaults book (if isBuy then Buy else Sell) amountUsd copyDelayMs with
        | Ok estimate -> estimate
        | Error NoBids -> invalidOp "the book has no bids"
        | Error NoAsks -> invalidOp "the book has no asks"

    /// The selective copytrade filter with the original's default thresholds.
    static member Filter(candidate: CopyCandidate) : FilterVerdict =
        match SelectiveFilter.evaluate SelectiveFilter.defaults candidate with
        | Accept ->
            {
                Accepted = true
                Reason = "all checks OK"
            }
        | Reject reason -> { Accepted = false; Reason = reason }
