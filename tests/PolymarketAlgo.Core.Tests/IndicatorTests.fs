module PolymarketAlgo.Core.Tests.IndicatorTests

open System
open System.Threading.Tasks
open Deedle
open Expecto
open FsCheck
open PolymarketAlgo.Core
open PolymarketAlgo.Tests.TestHelpers

/// Naive reference implementations, written from the definitions (seed-toolkit §2), used as oracles.
module Reference =

    /// Rolling mean: NaN unless the window of `period` values ending at t holds no NaN.
    let sma (period: int) (x: float[]) =
        Array.init x.Length (fun t ->
            if t < period - 1 then
                nan
            else
                let window = x[t - period + 1 .. t]

                if window |> Array.exists Double.IsNaN then
                    nan
                else
                    Array.average window)

    /// pandas ewm(alpha, adjust=False, ignore_na=False, min_periods) straight from its recursion.
    let ewm (alpha: float) (minPeriods: int) (x: float[]) =
        let mutable weighted = nan
        let mutable oldWeight = 1.0
        let mutable seen = 0

        x
        |> Array.map (fun value ->
            if not (Double.IsNaN value) then
                seen <- seen + 1

            if Double.IsNaN weighted then
                weighted <- value
            else
                oldWeight <- oldWeight * (1.0 - alpha)

                if not (Double.IsNaN value) then
                    weighted <- (oldWeight * weighted + alpha * value) / (oldWeight + alpha)
                    oldWeight <- 1.0

            if seen >= minPeriods then weighted else nan)

    let ema (period: int) (x: float[]) =
        ewm (2.0 / (float period + 1.0)) period x

    /// The intended RSI (§2.2) with the 50 rule and fillna(100).
    let rsi (period: int) (x: float[]) =
        let delta = Array.init x.Length (fun t -> if t = 0 then nan else x[t] - x[t - 1])

        let part sign =
            delta |> Array.map (fun d -> if Double.IsNaN d then nan else max (sign * d) 0.0)

        let gain = ewm (1.0 / float period) period (part 1.0)
        let loss = ewm (1.0 / float period) period (part -1.0)

        Array.map2
            (fun g l ->
                if Double.IsNaN g || Double.IsNaN l then 100.0
                elif g = 0.0 && l = 0.0 then 50.0
                elif l = 0.0 then 100.0
                else 100.0 - 100.0 / (1.0 + g / l))
            gain
            loss

    /// Rolling mean ± k · population standard deviation, two passes per window.
    let bollinger (period: int) (k: float) (x: float[]) =
        let middle = sma period x

        let sd =
            Array.init x.Length (fun t ->
                if Double.IsNaN middle[t] then
                    nan
                else
                    let window = x[t - period + 1 .. t]
                    sqrt (window |> Array.averageBy (fun v -> (v - middle[t]) ** 2.0)))

        middle, Array.map2 (fun m s -> m + k * s) middle sd, Array.map2 (fun m s -> m - k * s) middle sd

/// The input of seed-toolkit §2.1.
let private x =
    [| 10.0; 11.0; 12.0; 11.0; 10.0; 11.0; 13.0; 14.0; 13.0; 15.0; 16.0; 15.0 |]

/// Asserts values at indices: (index, expected, tolerance).
let private expectAt (actual: float[]) (expected: (int * float * float) list) (name: string) =
    for index, value, tolerance in expected do
        close tolerance actual[index] value $"{name}[{index}]"

/// Prices from small integers (FsCheck shrinks them well), around 100.
let private prices (values: int[]) =
    values |> Array.map (fun v -> 100.0 + float v / 8.0)

/// Both arrays agree element by element (NaN where the other is NaN) within a relative tolerance.
let private agree (actual: float[]) (expected: float[]) =
    actual.Length = expected.Length
    && Array.forall2
        (fun (a: float) (e: float) -> (Double.IsNaN a && Double.IsNaN e) || abs (a - e) <= 1e-9 * max 1.0 (abs e))
        actual
        expected

/// Both arrays hold the same values, NaN equal to NaN.
let private identical (actual: float[]) (expected: float[]) =
    actual.Length = expected.Length
    && Array.forall2 (fun (a: float) (e: float) -> a.Equals e) actual expected

/// Both lists of columns hold the same values, NaN equal to NaN.
let private expectColumns (actual: float[][]) (expected: float[][]) (message: string) =
    Expect.equal actual.Length expected.Length $"{message}: column count"
    Expect.isTrue (Array.forall2 identical actual expected) message

/// The kernel's output on bars 0..t is unchanged when the bars after t change.
let private causal (kernel: float[] -> float[]) (values: int[]) (cut: int) (replacement: int[]) =
    let input = prices values

    if input.Length = 0 then
        true
    else
        let t = ((cut % input.Length) + input.Length) % input.Length
        let changed = Array.append input[0..t] (prices replacement)
        let before = kernel input
        let after = kernel changed
        identical before[0..t] after[0..t]

let private period (p: PositiveInt) = 1 + p.Get % 30

let private parameters pairs = Indicator.parameters pairs

[<Tests>]
let tests =
    testList
        "Indicator"
        [
            testList
                "reference values of seed-toolkit §2.1"
                [
                    testCase "ema(3) seeds with the first value"
                    <| fun () ->
                        let ema = Indicator.ema 3 x
                        Expect.isTrue (Double.IsNaN ema[0] && Double.IsNaN ema[1]) "warm-up"

                        expectAt
                            ema
                            [
                                2, 11.25, 1e-9
                                4, 10.5625, 1e-9
                                5, 10.78125, 1e-9
                                6, 11.890625, 1e-9
                                7, 12.9453125, 1e-9
                                9, 13.986328125, 1e-9
                                11, 14.99658203125, 1e-9
                            ]
                            "ema"

                    testCase "sma(3) is the rolling mean"
                    <| fun () ->
                        let sma = Indicator.sma 3 x
                        Expect.isTrue (Double.IsNaN sma[1]) "warm-up"

                        expectAt
                            sma
                            [
                                2, 11.0, 1e-9
                                4, 11.0, 1e-9
                                5, 32.0 / 3.0, 1e-9
                                6, 34.0 / 3.0, 1e-9
                                7, 38.0 / 3.0, 1e-9
                                9, 14.0, 1e-9
                                11, 46.0 / 3.0, 1e-9
                            ]
                            "sma"

                    testCase "rsi(5) is the intended formula with the warm-up filled with 100"
                    <| fun () ->
                        let rsi = Indicator.rsi 5 x

                        expectAt
                            rsi
                            [
                                0, 100.0, 0.0
                                2, 100.0, 0.0
                                4, 100.0, 0.0
                                5, 71.2, 1e-9
                                6, 80.8, 1e-9
                                7, 84.110345, 5e-7
                                9, 78.657494, 5e-7
                                11, 68.337991, 5e-7
                            ]
                            "rsi"

                    testCase "macd(3,6,2) seeds its signal at the first macd value"
                    <| fun () ->
                        let line, signal, histogram = Indicator.macd 3 6 2 x
                        Expect.isTrue (Double.IsNaN line[4]) "macd warm-up"
                        Expect.isTrue (Double.IsNaN signal[5] && Double.IsNaN histogram[5]) "signal warm-up"

                        expectAt
                            line
                            [
                                5, 0.067143, 5e-7
                                6, 0.523406, 5e-7
                                7, 0.825870, 5e-7
                                9, 0.864164, 5e-7
                                11, 0.750580, 5e-7
                            ]
                            "macd"

                        expectAt
                            signal
                            [ 6, 0.371318, 5e-7; 7, 0.674353, 5e-7; 9, 0.784732, 5e-7; 11, 0.820637, 5e-7 ]
                            "signal"

                        expectAt
                            histogram
                            [ 6, 0.152088, 5e-7; 7, 0.151517, 5e-7; 9, 0.079432, 5e-7; 11, -0.070057, 5e-7 ]
                            "histogram"

                    testCase "bollinger(5, 2) uses the population standard deviation"
                    <| fun () ->
                        let middle, upper, lower = Indicator.bollinger 5 2.0 x

                        Expect.isTrue
                            (Double.IsNaN middle[3] && Double.IsNaN upper[3] && Double.IsNaN lower[3])
                            "warm-up"

                        expectAt
                            middle
                            [
                                4, 10.8, 1e-9
                                5, 11.0, 1e-9
                                6, 11.4, 1e-9
                                7, 11.8, 1e-9
                                9, 13.2, 1e-9
                                11, 14.6, 1e-9
                            ]
                            "middle"

                        expectAt
                            upper
                            [
                                4, 12.296663, 5e-7
                                5, 12.264911, 5e-7
                                6, 13.439608, 5e-7
                                7, 14.739388, 5e-7
                                9, 15.853300, 5e-7
                                11, 16.639608, 5e-7
                            ]
                            "upper"

                        expectAt
                            lower
                            [
                                4, 9.303337, 5e-7
                                5, 9.735089, 5e-7
                                6, 9.360392, 5e-7
                                7, 8.860612, 5e-7
                                9, 10.546700, 5e-7
                                11, 12.560392, 5e-7
                            ]
                            "lower"
                ]

            testList
                "edge cases"
                [
                    testCase "rsi of a flat series is 100 during warm-up and 50 after (the repo test)"
                    <| fun () ->
                        let rsi = Indicator.rsi 14 (Array.create 30 100.0)
                        Expect.equal rsi (Array.append (Array.create 14 100.0) (Array.create 16 50.0)) "rsi"

                    testCase "rsi of a rising series is 100 and of a falling one 0"
                    <| fun () ->
                        Expect.equal (Indicator.rsi 3 [| 1.0 .. 10.0 |]) (Array.create 10 100.0) "rising"
                        let falling = Indicator.rsi 3 [| 10.0 .. -1.0 .. 1.0 |]
                        Expect.equal falling[3..] (Array.create 7 0.0) "falling"

                    testCase "ema skips leading NaNs and starts counting at the first value"
                    <| fun () ->
                        let ema = Indicator.ema 2 [| nan; nan; 1.0; 4.0; 4.0 |]
                        Expect.isTrue (ema[0..2] |> Array.forall Double.IsNaN) "warm-up"
                        expectAt ema [ 3, 3.0, 1e-12; 4, 11.0 / 3.0, 1e-12 ] "ema"

                    testCase "ema carries over a NaN inside the series like pandas"
                    <| fun () ->
                        let input = [| 1.0; 2.0; nan; 4.0; 5.0 |]
                        let ema = Indicator.ema 2 input
                        Expect.isTrue (agree ema (Reference.ema 2 input)) $"%A{ema}"
                        close 1e-12 ema[2] ema[1] "carried"

                    testCase "sma is NaN while a NaN is in the window"
                    <| fun () ->
                        let sma = Indicator.sma 2 [| 1.0; 3.0; nan; 5.0; 7.0 |]
                        Expect.isTrue (Double.IsNaN sma[2] && Double.IsNaN sma[3]) "NaN window"
                        expectAt sma [ 1, 2.0, 0.0; 4, 6.0, 0.0 ] "sma"

                    testCase "a constant window has exactly zero width"
                    <| fun () ->
                        let _, upper, lower = Indicator.bollinger 3 2.0 [| 0.1; 0.2; 0.3; 0.3; 0.3; 0.3 |]
                        Expect.equal upper[5] 0.3 "upper"
                        Expect.equal lower[5] 0.3 "lower"

                    testCase "a period below 1 is misuse"
                    <| fun () -> Expect.throwsT<ArgumentException> (fun () -> Indicator.ema 0 x |> ignore) "period 0"

                    testCase "empty input gives empty output"
                    <| fun () ->
                        Expect.isEmpty (Indicator.ema 3 [||]) "ema"
                        Expect.isEmpty (Indicator.rsi 3 [||]) "rsi"
                        Expect.isEmpty (Indicator.sma 3 [||]) "sma"
                ]

            testList
                "oracle properties: the kernels equal the naive references"
                [
                    testProp "sma"
                    <| fun (values: int[]) (p: PositiveInt) ->
                        agree (Indicator.sma (period p) (prices values)) (Reference.sma (period p) (prices values))
                    testProp "ema"
                    <| fun (values: int[]) (p: PositiveInt) ->
                        agree (Indicator.ema (period p) (prices values)) (Reference.ema (period p) (prices values))
                    testProp "ema with leading NaNs"
                    <| fun (values: int[]) (p: PositiveInt) (leading: byte) ->
                        let input = Array.append (Array.create (int leading % 20) nan) (prices values)
                        agree (Indicator.ema (period p) input) (Reference.ema (period p) input)
                    testProp "rsi"
                    <| fun (values: int[]) (p: PositiveInt) ->
                        agree (Indicator.rsi (period p) (prices values)) (Reference.rsi (period p) (prices values))
                    testProp "macd"
                    <| fun (values: int[]) (a: PositiveInt) (b: PositiveInt) (c: PositiveInt) ->
                        let input = prices values
                        let line, signal, histogram = Indicator.macd (period a) (period b) (period c) input

                        let expectedLine =
                            Array.map2 (-) (Reference.ema (period a) input) (Reference.ema (period b) input)

                        let expectedSignal = Reference.ema (period c) expectedLine

                        agree line expectedLine
                        && agree signal expectedSignal
                        && agree histogram (Array.map2 (-) expectedLine expectedSignal)
                    testProp "bollinger"
                    <| fun (values: int[]) (p: PositiveInt) (k: byte) ->
                        let input = prices values
                        let stdDev = float k / 50.0
                        let m, u, l = Indicator.bollinger (period p) stdDev input
                        let em, eu, el = Reference.bollinger (period p) stdDev input
                        agree m em && agree u eu && agree l el
                ]

            testList
                "no look-ahead: outputs up to t ignore bars after t"
                [
                    testProp "sma"
                    <| fun values p cut rest -> causal (Indicator.sma (period p)) values cut rest
                    testProp "ema"
                    <| fun values p cut rest -> causal (Indicator.ema (period p)) values cut rest
                    testProp "rsi"
                    <| fun values p cut rest -> causal (Indicator.rsi (period p)) values cut rest
                    testProp "macd histogram"
                    <| fun values cut rest ->
                        causal
                            (fun input ->
                                let _, _, histogram = Indicator.macd 3 7 4 input
                                histogram)
                            values
                            cut
                            rest
                    testProp "bollinger upper"
                    <| fun values p cut rest ->
                        causal
                            (fun input ->
                                let _, upper, _ = Indicator.bollinger (period p) 2.0 input
                                upper)
                            values
                            cut
                            rest
                ]

            testList
                "IIndicator objects"
                [
                    testCase "are registered under the original names with the original defaults"
                    <| fun () ->
                        let describe (indicator: IIndicator) =
                            indicator.Name,
                            (indicator.DefaultParameters
                             |> Seq.map (fun kv -> kv.Key, kv.Value)
                             |> List.ofSeq
                             |> List.sort),
                            List.ofSeq indicator.OutputNames

                        Expect.equal
                            (Indicator.all |> List.map describe)
                            [
                                "sma", [ "period", 20.0 ], [ "sma" ]
                                "ema", [ "period", 20.0 ], [ "ema" ]
                                "rsi", [ "period", 14.0 ], [ "rsi" ]
                                "macd",
                                [ "fast_period", 12.0; "signal_period", 9.0; "slow_period", 26.0 ],
                                [ "macd"; "signal"; "histogram" ]
                                "bollinger", [ "period", 20.0; "std_dev", 2.0 ], [ "middle"; "upper"; "lower" ]
                            ]
                            "registry"

                    testCase "compute with defaults for missing parameters"
                    <| fun () ->
                        let input = prices [| 0..99 |]

                        let outputs =
                            Indicator.macdIndicator.Compute(input, parameters [ "fast_period", 5.0 ])

                        let line, signal, histogram = Indicator.macd 5 26 9 input
                        expectColumns outputs [| line; signal; histogram |] "macd"

                    testCase "truncate integer parameters like Python's int()"
                    <| fun () ->
                        expectColumns
                            (Indicator.emaIndicator.Compute(x, parameters [ "period", 3.9 ]))
                            [| Indicator.ema 3 x |]
                            "period 3.9 is 3"

                        expectColumns
                            (Indicator.bollingerIndicator.Compute(x, parameters [ "period", 5.5; "std_dev", 1.5 ]))
                            (let m, u, l = Indicator.bollinger 5 1.5 x in [| m; u; l |])
                            "std_dev stays a float"

                    testCase "reject an unknown parameter name"
                    <| fun () ->
                        Expect.throwsT<ArgumentException>
                            (fun () -> Indicator.rsiIndicator.Compute(x, parameters [ "length", 5.0 ]) |> ignore)
                            "unknown"

                    testCase "are found by name"
                    <| fun () ->
                        Expect.equal (Indicator.tryFind "rsi" |> Option.map (fun i -> i.Name)) (Some "rsi") "rsi"
                        Expect.isNone (Indicator.tryFind "vwap") "vwap"
                ]

            testList
                "Deedle series"
                [
                    testCase "ema over a series keeps the keys and the values of the kernel"
                    <| fun () ->
                        let keys =
                            [|
                                for i in 0 .. x.Length - 1 -> DateTimeOffset(2024, 1, 1, 0, 5 * i, 0, TimeSpan.Zero)
                            |]

                        let series = Indicator.emaSeries 3 (Series(keys, x))
                        Expect.equal (Array.ofSeq series.Keys) keys "keys"
                        Expect.equal (series.Get(keys[6])) 11.890625 "value"
                        Expect.isFalse (series.TryGet(keys[1])).HasValue "warm-up is missing"

                    testCase "macd over a series is a frame of macd, signal and histogram"
                    <| fun () ->
                        let frame = Indicator.macdFrame 3 6 2 (Series([ 0 .. x.Length - 1 ], x))
                        Expect.equal (List.ofSeq frame.ColumnKeys) [ "macd"; "signal"; "histogram" ] "columns"
                        close 5e-7 (frame.GetColumn<float>("signal").Get 6) 0.371318 "signal"

                    testCase "bollinger over a series is a frame of middle, upper and lower"
                    <| fun () ->
                        let frame = Indicator.bollingerFrame 5 2.0 (Series([ 0 .. x.Length - 1 ], x))
                        Expect.equal (List.ofSeq frame.ColumnKeys) [ "middle"; "upper"; "lower" ] "columns"
                        close 5e-7 (frame.GetColumn<float>("upper").Get 4) 12.296663 "upper"

                    testCase "a missing value in the series counts as NaN without shifting the rest"
                    <| fun () ->
                        let series = Series([ 0..4 ], [ 1.0; 2.0; nan; 4.0; 5.0 ]) |> Indicator.smaSeries 1
                        Expect.equal (series.Get 3) 4.0 "aligned"
                        Expect.isFalse (series.TryGet 2).HasValue "missing"

                    testCase "rsi and sma over a series match the kernels"
                    <| fun () ->
                        let series = Series([ 0 .. x.Length - 1 ], x)
                        let rsi = Indicator.rsi 5 x
                        let sma = Indicator.sma 3 x
                        Expect.equal ((Indicator.rsiSeries 5 series).Get 7) rsi[7] "rsi"
                        Expect.equal ((Indicator.smaSeries 3 series).Get 7) sma[7] "sma"

                    testCase "any indicator computes into a frame named by its outputs"
                    <| fun () ->
                        let frame =
                            Indicator.computeFrame
                                Indicator.rsiIndicator
                                (parameters [ "period", 5.0 ])
                                (Series([ 0 .. x.Length - 1 ], x))

                        Expect.equal (List.ofSeq frame.ColumnKeys) [ "rsi" ] "columns"
                        close 1e-9 (frame.GetColumn<float>("rsi").Get 5) 71.2 "rsi"
                ]

            testList
                "IndicatorCache"
                [
                    testCase "computes each distinct indicator once, even under concurrent requests"
                    <| fun () ->
                        let cache = IndicatorCache(prices [| 0..499 |])

                        let requests =
                            [|
                                for i in 0..199 ->
                                    match i % 4 with
                                    | 0 -> Indicator.emaIndicator, parameters [ "period", 12.0 ], 0
                                    | 1 -> Indicator.emaIndicator, parameters [ "period", 26.0 ], 0
                                    | 2 -> Indicator.macdIndicator, parameters [], 1
                                    | _ ->
                                        Indicator.macdIndicator,
                                        parameters [ "slow_period", 26.0; "fast_period", 12.0 ],
                                        2
                            |]

                        let results = Array.zeroCreate requests.Length

                        Parallel.For(
                            0,
                            requests.Length,
                            fun i ->
                                let indicator, parameters, output = requests[i]
                                results[i] <- cache.Get(indicator, parameters, output)
                        )
                        |> ignore

                        Expect.equal cache.Computations 3 "ema 12, ema 26 and macd with defaults"
                        Expect.isTrue (obj.ReferenceEquals(results[0], results[4])) "the same array is shared"
                        Expect.isTrue (identical results[1] (Indicator.ema 26 cache.Close)) "values"

                    testCase "rejects an output index the indicator does not have"
                    <| fun () ->
                        let cache = IndicatorCache(x)

                        Expect.throwsT<ArgumentException>
                            (fun () -> cache.Get(Indicator.emaIndicator, parameters [], 1) |> ignore)
                            "ema has one output"
                ]
        ]

[<Tests>]
let emaIntoTests =
    testList
        "Indicator.emaInto"
        [
            testProp "writes exactly what ema returns"
            <| fun (values: NormalFloat list) (period: PositiveInt) ->
                let input = values |> List.map (fun v -> v.Get) |> Array.ofList
                let period = 1 + period.Get % 30
                let output = Array.zeroCreate input.Length
                Indicator.emaInto period input output
                let expected = Indicator.ema period input
                Array.forall2 (fun (a: float) b -> a = b || (Double.IsNaN a && Double.IsNaN b)) output expected

            testCase "rejects a buffer of another length"
            <| fun () ->
                Expect.throwsT<ArgumentException>
                    (fun () -> Indicator.emaInto 3 [| 1.0; 2.0 |] (Array.zeroCreate 3))
                    "length mismatch"
        ]
