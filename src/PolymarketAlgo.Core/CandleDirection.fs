namespace PolymarketAlgo.Core

open System.Collections.Generic
open System.Runtime.InteropServices
open System.Runtime.Intrinsics

/// The candle direction strategy of the original toolkit (seed-toolkit §3.2): bet with aligned EMA, MACD and
/// RSI, larger when the alignment is strong. Uses the intended RSI (see `Indicator.rsi`), not the packaged bug.
[<RequireQualifiedAccess>]
module CandleDirection =

    /// Registry name.
    [<Literal>]
    let Name = "candle-direction"

    /// One-line description (the original's).
    [<Literal>]
    let Description =
        "EMA/MACD/RSI alignment strategy with optional stronger position sizing"

    /// Size in shares of an ordinary signal.
    [<Literal>]
    let BaseSize = 15.0

    /// Size in shares of a strong signal.
    [<Literal>]
    let StrongSize = 20.0

    /// Writes the signals from precomputed indicator columns into `destination`, one pass (eight bars per step with
    /// AVX), no allocation:
    /// - long = emaFast > emaSlow ∧ macd > signal ∧ rsi > oversold; short = emaFast < emaSlow ∧ macd < signal ∧
    ///   rsi < overbought; signal +1 on long, −1 on short (short wins a tie), else 0; NaN compares false.
    /// - size 20 when strong (long ∧ histogram > 0 ∧ 50 ≤ rsi ≤ 65, or short ∧ histogram < 0 ∧ 35 ≤ rsi ≤ 50),
    ///   15 on other signals, 0 without a signal.
    let evaluateInto
        (emaFast: float[])
        (emaSlow: float[])
        (macd: float[])
        (macdSignal: float[])
        (histogram: float[])
        (rsi: float[])
        (overbought: float)
        (oversold: float)
        (destination: Signals)
        : unit =
        let signal = destination.Signal
        let sizeColumn = destination.Size
        let n = signal.Length

        for column in [ emaFast; emaSlow; macd; macdSignal; histogram; rsi ] do
            if column.Length <> n then
                invalidArg (nameof destination) "Every indicator column must have one value per bar."

        if sizeColumn.Length <> n then
            invalidArg (nameof destination) "Signal and size must have the same length."

        let sizes = [| 0.0; BaseSize; StrongSize |]
        let mutable t = 0

        if Vector256.IsHardwareAccelerated && n >= 8 then
            // Eight bars per step as two vectors of four: comparisons give all-ones masks (NaN compares false).
            let zero = Vector256<float>.Zero
            let overboughtV = Vector256.Create overbought
            let oversoldV = Vector256.Create oversold
            let fifty = Vector256.Create 50.0
            let baseSize = Vector256.Create BaseSize
            let strongSize = Vector256.Create StrongSize

            let inline load (column: float[]) (index: int) =
                Vector256.LoadUnsafe(&MemoryMarshal.GetArrayDataReference column, unativeint index)

            let inline four (index: int) =
                let fast = load emaFast index
                let slow = load emaSlow index
                let line = load macd index
                let trigger = load macdSignal index
                let strength = load rsi index
                let bar = load histogram index

                let long =
                    Vector256.GreaterThan(fast, slow)
                    &&& Vector256.GreaterThan(line, trigger)
                    &&& Vector256.GreaterThan(strength, oversoldV)

                let short =
                    Vector256.LessThan(fast, slow)
                    &&& Vector256.LessThan(line, trigger)
                    &&& Vector256.LessThan(strength, overboughtV)

                let strong =
                    (long
                     &&& Vector256.GreaterThan(bar, zero)
                     &&& Vector256.GreaterThanOrEqual(strength, fifty)
                     &&& Vector256.LessThanOrEqual(strength, Vector256.Create 65.0))
                    ||| (short
                         &&& Vector256.LessThan(bar, zero)
                         &&& Vector256.GreaterThanOrEqual(strength, Vector256.Create 35.0)
                         &&& Vector256.LessThanOrEqual(strength, fifty))

                let size =
                    Vector256.ConditionalSelect(strong, strongSize, baseSize &&& (long ||| short))

                Vector256.StoreUnsafe(size, &MemoryMarshal.GetArrayDataReference sizeColumn, unativeint index)
                // Masks as integers are −1 or 0: short gives −1, long gives +1, short wins a tie.
                Vector256.ConditionalSelect(short.AsInt64(), short.AsInt64(), -long.AsInt64())

            while t + 8 <= n do
                let signals = Vector256.Narrow(four t, four (t + 4))
                Vector256.StoreUnsafe(signals, &MemoryMarshal.GetArrayDataReference signal, unativeint t)
                t <- t + 8

        while t < n do
            let fast = emaFast[t]
            let slow = emaSlow[t]
            let line = macd[t]
            let trigger = macdSignal[t]
            let strength = rsi[t]
            let bar = histogram[t]

            // Branch-free: every comparison becomes a 0/1 flag (NaN compares false, so warm-up bars stay flat).
            let long =
                Branchless.flag (fast > slow)
                &&& Branchless.flag (line > trigger)
                &&& Branchless.flag (strength > oversold)

            let short =
                Branchless.flag (fast < slow)
                &&& Branchless.flag (line < trigger)
                &&& Branchless.flag (strength < overbought)

            let strong =
                (long
                 &&& Branchless.flag (bar > 0.0)
                 &&& Branchless.flag (strength >= 50.0)
                 &&& Branchless.flag (strength <= 65.0))
                ||| (short
                     &&& Branchless.flag (bar < 0.0)
                     &&& Branchless.flag (strength >= 35.0)
                     &&& Branchless.flag (strength <= 50.0))

            signal[t] <- long - short - long * short
            sizeColumn[t] <- sizes[(long ||| short) + strong]
            t <- t + 1

    let private defaults: IReadOnlyDictionary<string, float> =
        Dictionary<string, float>(
            dict
                [
                    "ema_fast", 12.0
                    "ema_slow", 26.0
                    "rsi_period", 14.0
                    "rsi_overbought", 70.0
                    "rsi_oversold", 30.0
                    "macd_fast", 12.0
                    "macd_slow", 26.0
                    "macd_signal", 9.0
                ]
        )
        :> _

    let private grid: IReadOnlyList<ParameterRange> =
        [|
            {
                Name = "ema_fast"
                Values = [| 8.0; 12.0; 16.0 |]
            }
            {
                Name = "ema_slow"
                Values = [| 21.0; 26.0; 34.0 |]
            }
            {
                Name = "rsi_period"
                Values = [| 10.0; 14.0; 21.0 |]
            }
            {
                Name = "rsi_overbought"
                Values = [| 65.0; 70.0; 75.0 |]
            }
            {
                Name = "rsi_oversold"
                Values = [| 25.0; 30.0; 35.0 |]
            }
            {
                Name = "macd_fast"
                Values = [| 8.0; 12.0 |]
            }
            {
                Name = "macd_slow"
                Values = [| 21.0; 26.0 |]
            }
            {
                Name = "macd_signal"
                Values = [| 7.0; 9.0 |]
            }
        |]
        :> _

    /// The registry strategy. Parameters (defaults merged with the given ones; periods int() truncated):
    /// ema_fast 12, ema_slow 26, rsi_period 14, rsi_overbought 70, rsi_oversold 30, macd_fast 12, macd_slow 26,
    /// macd_signal 9; the grid has 3⁵·2³ = 1,944 combinations in the original order. Indicators are read through
    /// `input.Indicators` (a fresh cache over the closes when it is null), so a sweep computes each one once.
    let strategy: IStrategy =
        { new IStrategy with
            member _.Name = Name
            member _.Description = Description
            member _.Timeframe = "5m"
            member _.DefaultParameters = defaults
            member _.ParameterGrid = grid

            member _.Evaluate(input, parameters, destination) =
                let read = Parameter.read defaults parameters
                let period key = float (int (read key))

                let cache =
                    if isNull input.Indicators then
                        IndicatorCache(input.Candles.Close) :> IIndicatorCache
                    else
                        input.Indicators

                let ema key =
                    cache.Get(Indicator.emaIndicator, Indicator.parameters [ "period", period key ], 0)

                let macdParameters =
                    Indicator.parameters
                        [
                            "fast_period", period "macd_fast"
                            "slow_period", period "macd_slow"
                            "signal_period", period "macd_signal"
                        ]

                let macd output =
                    cache.Get(Indicator.macdIndicator, macdParameters, output)

                evaluateInto
                    (ema "ema_fast")
                    (ema "ema_slow")
                    (macd 0)
                    (macd 1)
                    (macd 2)
                    (cache.Get(Indicator.rsiIndicator, Indicator.parameters [ "period", period "rsi_period" ], 0))
                    (read "rsi_overbought")
                    (read "rsi_oversold")
                    destination
        }
