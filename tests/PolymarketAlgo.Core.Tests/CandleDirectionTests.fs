module PolymarketAlgo.Core.Tests.CandleDirectionTests

open System
open System.Threading
open System.Threading.Tasks
open Expecto
open PolymarketAlgo.Core
open PolymarketAlgo.Tests.TestHelpers

/// One bar of indicator values: (emaFast, emaSlow, macd, macdSignal, histogram, rsi).
let private evaluateBars (bars: (float * float * float * float * float * float) list) =
    let column f = bars |> List.map f |> Array.ofList
    let signals = Signals.Create bars.Length

    CandleDirection.evaluateInto
        (column (fun (a, _, _, _, _, _) -> a))
        (column (fun (_, b, _, _, _, _) -> b))
        (column (fun (_, _, c, _, _, _) -> c))
        (column (fun (_, _, _, d, _, _) -> d))
        (column (fun (_, _, _, _, e, _) -> e))
        (column (fun (_, _, _, _, _, f) -> f))
        70.0
        30.0
        signals

    List.zip (List.ofArray signals.Signal) (List.ofArray signals.Size)

/// The rules of seed-toolkit §3.2 bar by bar, as plainly as possible: (signal, size).
let private reference (ef: float) (es: float) (m: float) (s: float) (h: float) (r: float) =
    let long = ef > es && m > s && r > 30.0
    let short = ef < es && m < s && r < 70.0

    let signal =
        if short then -1
        elif long then 1
        else 0

    let strong =
        (long && h > 0.0 && 50.0 <= r && r <= 65.0)
        || (short && h < 0.0 && 35.0 <= r && r <= 50.0)

    signal,
    (if signal = 0 then 0.0
     elif strong then 20.0
     else 15.0)

/// A seeded random walk of `n` closes around 30,000.
let private randomWalk (seed: int) (n: int) =
    let random = Random(seed)
    let close = Array.zeroCreate n
    let mutable price = 30_000.0

    for i in 0 .. n - 1 do
        price <- price + (random.NextDouble() - 0.5) * 40.0
        close[i] <- price

    Candles.ofCloses (DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)) (TimeSpan.FromMinutes 5.0) close

[<Tests>]
let tests =
    testList
        "CandleDirection"
        [
            testList
                "signal rules of seed-toolkit §3.2"
                [
                    testCase
                        "goes long on aligned EMA, MACD and RSI above oversold; strong between 50 and 65 with a positive histogram"
                    <| fun () ->
                        Expect.equal
                            (evaluateBars
                                [
                                    2.0, 1.0, 1.0, 0.5, 0.5, 55.0
                                    2.0, 1.0, 1.0, 0.5, 0.5, 65.0
                                    2.0, 1.0, 1.0, 0.5, 0.5, 65.1
                                    2.0, 1.0, 1.0, 0.5, 0.0, 55.0
                                    2.0, 1.0, 1.0, 0.5, 0.5, 31.0
                                    2.0, 1.0, 1.0, 0.5, 0.5, 30.0
                                ])
                            [ 1, 20.0; 1, 20.0; 1, 15.0; 1, 15.0; 1, 15.0; 0, 0.0 ]
                            "long"

                    testCase
                        "goes short on aligned EMA, MACD and RSI below overbought; strong between 35 and 50 with a negative histogram"
                    <| fun () ->
                        Expect.equal
                            (evaluateBars
                                [
                                    1.0, 2.0, 0.5, 1.0, -0.5, 35.0
                                    1.0, 2.0, 0.5, 1.0, -0.5, 50.0
                                    1.0, 2.0, 0.5, 1.0, -0.5, 34.9
                                    1.0, 2.0, 0.5, 1.0, -0.5, 69.9
                                    1.0, 2.0, 0.5, 1.0, -0.5, 70.0
                                ])
                            [ -1, 20.0; -1, 20.0; -1, 15.0; -1, 15.0; 0, 0.0 ]
                            "short"

                    testCase "does nothing on disagreement, ties or NaN (warm-up)"
                    <| fun () ->
                        Expect.equal
                            (evaluateBars
                                [
                                    2.0, 1.0, 0.5, 1.0, -0.5, 50.0
                                    1.0, 1.0, 0.5, 1.0, -0.5, 50.0
                                    2.0, 1.0, 1.0, 1.0, 0.0, 50.0
                                    nan, 1.0, 1.0, 0.5, 0.5, 50.0
                                    2.0, 1.0, nan, nan, nan, 100.0
                                ])
                            [ 0, 0.0; 0, 0.0; 0, 0.0; 0, 0.0; 0, 0.0 ]
                            "flat"
                ]

            testProp "the vectorised pass agrees with the plain rules on any columns, NaN and any length included"
            <| fun (values: int[]) ->
                // Six columns drawn from the same integers; multiples of 7 become NaN; RSI spans 0..100.
                let column (shift: int) (scale: float) =
                    Array.init values.Length (fun i ->
                        let v = values[(i + shift) % values.Length]
                        if v % 7 = 0 then nan else float (abs v % 101) * scale)

                if values.Length = 0 then
                    true
                else
                    let ef, es, m, s = column 0 1.0, column 1 1.0, column 2 0.5, column 3 0.5
                    let h = column 4 0.1 |> Array.mapi (fun i v -> if i % 2 = 0 then -v else v)
                    let r = column 5 1.0
                    let signals = Signals.Create values.Length
                    CandleDirection.evaluateInto ef es m s h r 70.0 30.0 signals

                    Array.init values.Length (fun i -> reference ef[i] es[i] m[i] s[i] h[i] r[i])
                    |> Array.forall2
                        (fun (signal, size) (expected, expectedSize) -> signal = expected && size = expectedSize)
                        (Array.zip signals.Signal signals.Size)

            testList
                "the strategy object"
                [
                    testCase "describes itself like the original"
                    <| fun () ->
                        let s = CandleDirection.strategy
                        Expect.equal s.Name "candle-direction" "name"

                        Expect.equal
                            s.Description
                            "EMA/MACD/RSI alignment strategy with optional stronger position sizing"
                            "description"

                        Expect.equal s.Timeframe "5m" "timeframe"

                        Expect.equal
                            (s.DefaultParameters |> Seq.map (fun kv -> kv.Key, kv.Value) |> List.ofSeq)
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
                            "defaults"

                        Expect.equal
                            (s.ParameterGrid
                             |> Seq.map (fun r -> r.Name, List.ofArray r.Values)
                             |> List.ofSeq)
                            [
                                "ema_fast", [ 8.0; 12.0; 16.0 ]
                                "ema_slow", [ 21.0; 26.0; 34.0 ]
                                "rsi_period", [ 10.0; 14.0; 21.0 ]
                                "rsi_overbought", [ 65.0; 70.0; 75.0 ]
                                "rsi_oversold", [ 25.0; 30.0; 35.0 ]
                                "macd_fast", [ 8.0; 12.0 ]
                                "macd_slow", [ 21.0; 26.0 ]
                                "macd_signal", [ 7.0; 9.0 ]
                            ]
                            "grid"

                        Expect.equal (Strategy.gridCombinations s.ParameterGrid |> Array.length) 1944 "combinations"

                    testCase "reads its indicators through the shared cache (four distinct ones for the defaults)"
                    <| fun () ->
                        let candles = randomWalk 7 500
                        let cache = IndicatorCache(candles.Close)
                        let first = Signals.Create candles.Length
                        let second = Signals.Create candles.Length

                        let input =
                            {
                                Candles = candles
                                Indicators = cache
                            }

                        CandleDirection.strategy.Evaluate(input, null, first)

                        CandleDirection.strategy.Evaluate(
                            input,
                            Indicator.parameters [ "rsi_overbought", 75.0 ],
                            second
                        )

                        Expect.equal cache.Computations 4 "ema 12, ema 26, macd(12, 26, 9), rsi 14"
                        Expect.isGreaterThan (first.Signal |> Array.filter ((<>) 0) |> Array.length) 0 "some signals"

                    testCase "gives the same signals with and without a cache and truncates periods like int()"
                    <| fun () ->
                        let candles = randomWalk 11 800
                        let withCache = Signals.Create candles.Length
                        let without = Signals.Create candles.Length

                        CandleDirection.strategy.Evaluate(
                            {
                                Candles = candles
                                Indicators = IndicatorCache(candles.Close)
                            },
                            Indicator.parameters [ "ema_fast", 8.0; "rsi_period", 10.0 ],
                            withCache
                        )

                        CandleDirection.strategy.Evaluate(
                            { Candles = candles; Indicators = null },
                            Indicator.parameters [ "ema_fast", 8.9; "rsi_period", 10.2 ],
                            without
                        )

                        Expect.equal without withCache "same signals"
                ]
        ]
