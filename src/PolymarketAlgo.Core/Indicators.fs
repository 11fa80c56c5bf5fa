namespace PolymarketAlgo.Core

open System
open System.Collections.Concurrent
open System.Collections.Generic
open System.Threading

/// Technical indicators over price arrays, following the original toolkit's pandas formulas (seed-toolkit §2):
/// fast array kernels, `IIndicator` objects, Deedle series functions and a shared cache.
[<RequireQualifiedAccess>]
module Indicator =

    let private checkPeriod (name: string) (period: int) =
        if period < 1 then
            invalidArg name $"The period must be at least 1 (got {period})."

    /// pandas' smoothing factor for `ewm(span = span)`: α = 1 / (1 + (span − 1) / 2), which is 2 / (span + 1).
    let private alphaOfSpan (span: int) = 1.0 / (1.0 + (float span - 1.0) / 2.0)

    /// pandas' smoothing factor for `ewm(alpha = a)`, which goes through the centre of mass: 1 / (1 + (1 − a) / a).
    let private alphaOfAlpha (alpha: float) = 1.0 / (1.0 + (1.0 - alpha) / alpha)

    /// Whether the hardware fuses multiply-add (x64 FMA3 or Arm64), so `Math.FusedMultiplyAdd` is one instruction.
    let private fusedMultiplyAdd =
        Runtime.Intrinsics.X86.Fma.IsSupported
        || Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported

    /// pandas `ewm(adjust=False, ignore_na=False, min_periods).mean()` with a pre-computed α, written into `output`
    /// (which may be `input`). pandas updates w ← (oldWeight·w + α·x)/(oldWeight + α), skipped when w = x, with
    /// oldWeight = 1 − α after an observation; the denominator (1 − α) + α is exactly 1 for every span and RSI
    /// period, so the hot loop is w ← (1 − α)·w + α·x, fused into one multiply-add where the hardware has it
    /// (rounding then differs from pandas by at most an ulp per step). A NaN takes pandas' general update.
    let private ewmInto (alpha: float) (minPeriods: int) (input: float[]) (output: float[]) =
        let n = input.Length

        if output.Length <> n then
            invalidArg (nameof output) "The output must have the input's length."

        let beta = 1.0 - alpha
        let unitDenominator = (beta + alpha = 1.0)
        let fused = unitDenominator && fusedMultiplyAdd
        let mutable first = 0

        while first < n && Double.IsNaN input[first] do
            first <- first + 1

        if first < n then
            let mutable weighted = input[first]
            let mutable oldWeight = 1.0
            output[first] <- weighted
            let mutable i = first + 1

            while i < n do
                if fused then
                    while i < n && oldWeight = 1.0 && not (Double.IsNaN input[i]) do
                        let x = input[i]

                        if weighted <> x then
                            weighted <- Math.FusedMultiplyAdd(beta, weighted, alpha * x)

                        output[i] <- weighted
                        i <- i + 1
                elif unitDenominator then
                    while i < n && oldWeight = 1.0 && not (Double.IsNaN input[i]) do
                        let x = input[i]

                        if weighted <> x then
                            weighted <- beta * weighted + alpha * x

                        output[i] <- weighted
                        i <- i + 1

                if i < n then
                    let x = input[i]

                    if Double.IsNaN x then
                        oldWeight <- oldWeight * beta
                    else
                        let previous = oldWeight * beta

                        if weighted <> x then
                            weighted <- (previous * weighted + alpha * x) / (previous + alpha)

                        oldWeight <- 1.0

                    output[i] <- weighted
                    i <- i + 1

        // min_periods: NaN until the minPeriods-th observation (observations only accumulate, so this is a prefix).
        let mutable observations = 0
        let mutable i = 0

        while i < n && observations < minPeriods do
            if not (Double.IsNaN input[i]) then
                observations <- observations + 1

            if observations < minPeriods then
                output[i] <- Double.NaN

            i <- i + 1

    /// Simple moving average: the rolling mean over `period` values, NaN until a window holds `period` non-NaN
    /// values (pandas `rolling(period).mean()`, including its compensated running sum and constant-run rule).
    let sma (period: int) (input: float[]) : float[] =
        checkPeriod (nameof period) period
        let n = input.Length
        let output = Array.zeroCreate n
        let mutable sum = 0.0
        let mutable addCompensation = 0.0
        let mutable removeCompensation = 0.0
        let mutable observations = 0
        let mutable negatives = 0
        let mutable sameRun = 0
        let mutable previous = if n > 0 then input[0] else 0.0

        for i in 0 .. n - 1 do
            if i >= period then
                let old = input[i - period]

                if not (Double.IsNaN old) then
                    observations <- observations - 1
                    let y = -old - removeCompensation
                    let t = sum + y
                    removeCompensation <- t - sum - y
                    sum <- t

                    if Double.IsNegative old then
                        negatives <- negatives - 1

            let x = input[i]

            if not (Double.IsNaN x) then
                observations <- observations + 1
                let y = x - addCompensation
                let t = sum + y
                addCompensation <- t - sum - y
                sum <- t

                if Double.IsNegative x then
                    negatives <- negatives + 1

                sameRun <- if x = previous then sameRun + 1 else 1
                previous <- x

            output[i] <-
                if observations >= period then
                    let mean = sum / float observations

                    if sameRun >= observations then previous
                    elif negatives = 0 && mean < 0.0 then 0.0
                    elif negatives = observations && mean > 0.0 then 0.0
                    else mean
                else
                    Double.NaN

        output

    /// Exponential moving average as pandas `ewm(span=period, adjust=False, min_periods=period).mean()`:
    /// α = 2/(period+1), seeded with the first non-NaN value (not an SMA), NaN until `period` values were seen.
    /// Leading NaNs are skipped; a NaN inside the series carries the average and discounts the next update.
    /// About 1 ns per bar: the recursion is one fused multiply-add where the hardware has it, so values can differ
    /// from pandas in the last bits (rounding only).
    let ema (period: int) (input: float[]) : float[] =
        checkPeriod (nameof period) period
        let output = GC.AllocateUninitializedArray<float> input.Length
        ewmInto (alphaOfSpan period) period input output
        output

    /// `ema` written into a caller's buffer of the input's length (no allocation), for hot loops that reuse it.
    let emaInto (period: int) (input: float[]) (output: float[]) : unit =
        checkPeriod (nameof period) period

        if output.Length <> input.Length then
            invalidArg (nameof output) "the output must have the input's length"

        ewmInto (alphaOfSpan period) period input output

    /// Relative strength index, the INTENDED formula of the original toolkit (seed-toolkit §2.2), not the packaged
    /// version's bug (§2.3, which yields −inf): gain and loss are the positive and negative parts of the first
    /// difference; each is averaged by pandas `ewm(alpha=1/period, adjust=False, min_periods=period)` (seeded with
    /// the first difference, so not textbook Wilder); RSI = 100 − 100/(1 + gain/loss). Where both averages are 0
    /// the RSI is 50; where only the loss average is 0 it is 100; and the warm-up rows 0..period−1 are filled
    /// with 100 (the original's `fillna(100)`), so there is no NaN in the output.
    let rsi (period: int) (input: float[]) : float[] =
        checkPeriod (nameof period) period
        let n = input.Length
        let gain = Array.zeroCreate n
        let loss = Array.zeroCreate n

        if n > 0 then
            gain[0] <- Double.NaN
            loss[0] <- Double.NaN

        for i in 1 .. n - 1 do
            let delta = input[i] - input[i - 1]

            gain[i] <-
                if delta > 0.0 then delta
                elif Double.IsNaN delta then Double.NaN
                else 0.0

            loss[i] <-
                if delta < 0.0 then -delta
                elif Double.IsNaN delta then Double.NaN
                else 0.0

        let alpha = alphaOfAlpha (1.0 / float period)
        ewmInto alpha period gain gain
        ewmInto alpha period loss loss
        let output = gain

        for i in 0 .. n - 1 do
            let averageGain = gain[i]
            let averageLoss = loss[i]

            output[i] <-
                if Double.IsNaN averageLoss || Double.IsNaN averageGain then
                    100.0
                elif averageLoss = 0.0 then
                    (if averageGain = 0.0 then 50.0 else 100.0)
                else
                    100.0 - 100.0 / (1.0 + averageGain / averageLoss)

        output

    /// MACD: macd = ema(fast) − ema(slow); signal = ema(macd, signalPeriod) seeded at the first non-NaN macd value;
    /// histogram = macd − signal. Returns (macd, signal, histogram).
    let macd (fastPeriod: int) (slowPeriod: int) (signalPeriod: int) (input: float[]) : float[] * float[] * float[] =
        checkPeriod (nameof signalPeriod) signalPeriod
        let fast = ema fastPeriod input
        let slow = ema slowPeriod input
        let line = Array.init input.Length (fun i -> fast[i] - slow[i])
        let signal = ema signalPeriod line
        let histogram = Array.init input.Length (fun i -> line[i] - signal[i])
        line, signal, histogram

    /// Bollinger bands: middle = sma(period); sd = rolling population standard deviation (ddof = 0, pandas
    /// `rolling(period).std(ddof=0)` by Welford's online update); upper/lower = middle ± stdDev·sd.
    /// Returns (middle, upper, lower).
    let bollinger (period: int) (stdDev: float) (input: float[]) : float[] * float[] * float[] =
        checkPeriod (nameof period) period
        let n = input.Length
        let middle = sma period input
        let upper = Array.zeroCreate n
        let lower = Array.zeroCreate n
        let mutable observations = 0
        let mutable mean = 0.0
        let mutable squares = 0.0
        let mutable sameRun = 0
        let mutable previous = if n > 0 then input[0] else 0.0

        for i in 0 .. n - 1 do
            if i >= period then
                let old = input[i - period]

                if not (Double.IsNaN old) then
                    observations <- observations - 1

                    if observations = 0 then
                        mean <- 0.0
                        squares <- 0.0
                    else
                        let delta = old - mean
                        mean <- mean - delta / float observations
                        squares <- squares - delta * (old - mean)

            let x = input[i]

            if not (Double.IsNaN x) then
                observations <- observations + 1
                sameRun <- if x = previous then sameRun + 1 else 1
                previous <- x
                let delta = x - mean
                mean <- mean + delta / float observations
                squares <- squares + delta * (x - mean)

            if observations >= period then
                let variance =
                    if observations = 1 || sameRun >= observations then
                        0.0
                    else
                        max 0.0 (squares / float observations)

                let width = stdDev * sqrt variance
                upper[i] <- middle[i] + width
                lower[i] <- middle[i] - width
            else
                upper[i] <- Double.NaN
                lower[i] <- Double.NaN

        middle, upper, lower

    let private emptyParameters: IReadOnlyDictionary<string, float> =
        Dictionary<string, float>()

    /// An indicator defined by its defaults, output names and a kernel over resolved parameters.
    [<Sealed>]
    type private ArrayIndicator
        (
            name: string,
            defaults: (string * float) list,
            outputs: string list,
            kernel: Map<string, float> -> float[] -> float[][]
        ) =
        let defaultParameters: IReadOnlyDictionary<string, float> =
            Dictionary<string, float>(dict defaults) :> _

        let outputNames: IReadOnlyList<string> = Array.ofList outputs :> _

        interface IIndicator with
            member _.Name = name
            member _.DefaultParameters = defaultParameters
            member _.OutputNames = outputNames

            member _.Compute(input, parameters) =
                let parameters = if isNull parameters then emptyParameters else parameters

                for kv in parameters do
                    if not (defaultParameters.ContainsKey kv.Key) then
                        invalidArg (nameof parameters) $"Indicator {name} has no parameter '{kv.Key}'."

                let resolved =
                    defaults
                    |> List.map (fun (key, fallback) ->
                        match parameters.TryGetValue key with
                        | true, value -> key, value
                        | _ -> key, fallback)
                    |> Map.ofList

                kernel resolved input

    /// Python's int(): truncation toward zero.
    let private integer (parameters: Map<string, float>) (key: string) = int parameters[key]

    /// The SMA indicator ("sma"; parameter period = 20; output "sma").
    let smaIndicator: IIndicator =
        ArrayIndicator("sma", [ "period", 20.0 ], [ "sma" ], fun p x -> [| sma (integer p "period") x |])

    /// The EMA indicator ("ema"; parameter period = 20; output "ema").
    let emaIndicator: IIndicator =
        ArrayIndicator("ema", [ "period", 20.0 ], [ "ema" ], fun p x -> [| ema (integer p "period") x |])

    /// The RSI indicator ("rsi"; parameter period = 14; output "rsi"), the intended formula (see `rsi`).
    let rsiIndicator: IIndicator =
        ArrayIndicator("rsi", [ "period", 14.0 ], [ "rsi" ], fun p x -> [| rsi (integer p "period") x |])

    /// The MACD indicator ("macd"; fast_period 12, slow_period 26, signal_period 9; outputs macd, signal, histogram).
    let macdIndicator: IIndicator =
        ArrayIndicator(
            "macd",
            [ "fast_period", 12.0; "slow_period", 26.0; "signal_period", 9.0 ],
            [ "macd"; "signal"; "histogram" ],
            fun p x ->
                let line, signal, histogram =
                    macd (integer p "fast_period") (integer p "slow_period") (integer p "signal_period") x

                [| line; signal; histogram |]
        )

    /// The Bollinger indicator ("bollinger"; period 20, std_dev 2.0; outputs middle, upper, lower).
    let bollingerIndicator: IIndicator =
        ArrayIndicator(
            "bollinger",
            [ "period", 20.0; "std_dev", 2.0 ],
            [ "middle"; "upper"; "lower" ],
            fun p x ->
                let middle, upper, lower = bollinger (integer p "period") p["std_dev"] x
                [| middle; upper; lower |]
        )

    /// Every built-in indicator.
    let all: IIndicator list =
        [ smaIndicator; emaIndicator; rsiIndicator; macdIndicator; bollingerIndicator ]

    /// The built-in indicator with this name, if any.
    let tryFind (name: string) : IIndicator option =
        all |> List.tryFind (fun indicator -> indicator.Name = name)

    /// A parameter dictionary from name/value pairs.
    let parameters (pairs: (string * float) list) : IReadOnlyDictionary<string, float> =
        Dictionary<string, float>(dict pairs) :> _

    let private mapSeries (kernel: float[] -> float[]) (series: Deedle.Series<'K, float>) : Deedle.Series<'K, float> =
        Deedle.Series(SeriesArray.keys series, kernel (SeriesArray.values series))

    /// `sma` over a Deedle series (missing values count as NaN; NaN results are missing).
    let smaSeries (period: int) (series: Deedle.Series<'K, float>) : Deedle.Series<'K, float> =
        mapSeries (sma period) series

    /// `ema` over a Deedle series.
    let emaSeries (period: int) (series: Deedle.Series<'K, float>) : Deedle.Series<'K, float> =
        mapSeries (ema period) series

    /// `rsi` (the intended formula) over a Deedle series.
    let rsiSeries (period: int) (series: Deedle.Series<'K, float>) : Deedle.Series<'K, float> =
        mapSeries (rsi period) series

    /// `macd` over a Deedle series: a frame with columns macd, signal, histogram.
    let macdFrame
        (fastPeriod: int)
        (slowPeriod: int)
        (signalPeriod: int)
        (series: Deedle.Series<'K, float>)
        : Deedle.Frame<'K, string> =
        let line, signal, histogram =
            macd fastPeriod slowPeriod signalPeriod (SeriesArray.values series)

        SeriesArray.frame (SeriesArray.keys series) [ "macd", line; "signal", signal; "histogram", histogram ]

    /// `bollinger` over a Deedle series: a frame with columns middle, upper, lower.
    let bollingerFrame (period: int) (stdDev: float) (series: Deedle.Series<'K, float>) : Deedle.Frame<'K, string> =
        let middle, upper, lower = bollinger period stdDev (SeriesArray.values series)
        SeriesArray.frame (SeriesArray.keys series) [ "middle", middle; "upper", upper; "lower", lower ]

    /// Any indicator over a Deedle series: a frame with one column per output name.
    let computeFrame
        (indicator: IIndicator)
        (parameters: IReadOnlyDictionary<string, float>)
        (series: Deedle.Series<'K, float>)
        : Deedle.Frame<'K, string> =
        let outputs = indicator.Compute(SeriesArray.values series, parameters)
        SeriesArray.frame (SeriesArray.keys series) (List.zip (List.ofSeq indicator.OutputNames) (List.ofArray outputs))

/// Computes each distinct indicator over `close` at most once, keyed by indicator name and its parameters
/// (defaults filled in, sorted by name), even when a parallel sweep asks for it concurrently.
/// Indicators are identified by name, so two indicators with the same name share entries.
[<Sealed>]
type IndicatorCache(close: float[]) =
    let entries =
        ConcurrentDictionary<string * (string * float) list, Lazy<float[][]>>(HashIdentity.Structural)

    let mutable computations = 0

    /// The close prices the indicators are computed over.
    member _.Close = close

    /// How many indicator computations actually ran (each distinct key once).
    member _.Computations = Volatile.Read &computations

    /// The output column `output` of `indicator` with `parameters`, computed at most once per key.
    member this.Get(indicator: IIndicator, parameters: IReadOnlyDictionary<string, float>, output: int) : float[] =
        let supplied =
            if isNull parameters then
                Map.empty
            else
                parameters |> Seq.map (|KeyValue|) |> Map.ofSeq

        let resolved =
            indicator.DefaultParameters
            |> Seq.fold
                (fun (acc: Map<string, float>) kv ->
                    if acc.ContainsKey kv.Key then
                        acc
                    else
                        acc.Add(kv.Key, kv.Value))
                supplied

        let key = indicator.Name, Map.toList resolved

        let entry =
            entries.GetOrAdd(
                key,
                fun _ ->
                    Lazy<float[][]>(
                        (fun () ->
                            Interlocked.Increment &computations |> ignore
                            indicator.Compute(close, parameters)),
                        LazyThreadSafetyMode.ExecutionAndPublication
                    )
            )

        let outputs = entry.Value

        if output < 0 || output >= outputs.Length then
            invalidArg (nameof output) $"Indicator {indicator.Name} has {outputs.Length} outputs (asked for {output})."

        outputs[output]

    interface IIndicatorCache with
        member this.Get(indicator, parameters, output) = this.Get(indicator, parameters, output)
