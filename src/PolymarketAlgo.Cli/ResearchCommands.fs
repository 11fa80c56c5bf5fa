/// `indicators`, `strategies` and `backtest` (single run, sweep, walk-forward, HTML report).
module PolymarketAlgo.Cli.ResearchCommands

open System
open System.Globalization
open System.IO
open System.Text
open Argu
open PolymarketAlgo.Core
open PolymarketAlgo.Reports
open PolymarketAlgo.Cli.Arguments
open PolymarketAlgo.Cli.Output
open PolymarketAlgo.Cli.ParameterFlags

let private invariant = CultureInfo.InvariantCulture

/// Finds a strategy by name or raises a usage error listing the known ones.
let findStrategy (name: string) =
    let registry = PluginCatalog.registry ()

    match registry.TryFindStrategy name with
    | true, strategy -> strategy
    | false, _ ->
        let known =
            registry.Strategies |> Seq.map (fun r -> r.Strategy.Name) |> String.concat ", "

        usage $"unknown strategy '{name}' (strategies: {known})"

/// Evaluates a strategy, turning a strategy error into a usage error.
let evaluate (strategy: IStrategy) (candles: CandleColumns) (parameters: Map<string, float>) =
    match Strategy.evaluate strategy candles parameters with
    | Ok signals -> signals
    | Error(StrategyError.UnknownParameter(name, parameter)) -> usage $"strategy {name} has no parameter '{parameter}'"
    | Error(StrategyError.UnknownStrategy name) -> usage $"unknown strategy '{name}'"
    | Error(StrategyError.InvalidCandles error) -> usage $"invalid candles: {error}"

// ---------------------------------------------------------------- indicators

let private writeCsv (path: string) (times: DateTimeOffset[]) (columns: (string * float[]) list) =
    let text = StringBuilder()
    text.Append("time") |> ignore

    for name, _ in columns do
        text.Append(',').Append(name) |> ignore

    text.AppendLine() |> ignore

    for row in 0 .. times.Length - 1 do
        text.Append(times[row].UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", invariant))
        |> ignore

        for _, values in columns do
            text.Append(',') |> ignore

            if not (Double.IsNaN values[row]) then
                text.Append(values[row].ToString("R", invariant)) |> ignore

        text.AppendLine() |> ignore

    let directory = Path.GetDirectoryName(Path.GetFullPath path)
    Directory.CreateDirectory directory |> ignore

    let temporary =
        Path.Combine(directory, $".{Path.GetFileName path}.{Guid.NewGuid():N}.tmp")

    File.WriteAllText(temporary, text.ToString())
    File.Move(temporary, path, true)

/// `indicators`: computes an indicator over the close prices.
let indicators (args: ParseResults<IndicatorArgs>) (now: DateTimeOffset) =
    let name = (args.GetResult IndicatorArgs.Name).ToLowerInvariant()

    let indicator =
        match Indicator.tryFind name with
        | Some indicator -> indicator
        | None ->
            let known = Indicator.all |> List.map (fun i -> i.Name) |> String.concat ", "
            usage $"unknown indicator '{name}' (indicators: {known})"

    let parameters = parseParameters false (args.GetResults IndicatorArgs.Param)
    checkNames $"indicator {name}" indicator.DefaultParameters.Keys (List.map fst parameters)

    let candles =
        CandleSource.resolve
            (args.TryGetResult IndicatorArgs.Data)
            (args.TryGetResult IndicatorArgs.Symbol)
            (args.TryGetResult IndicatorArgs.Interval)
            (args.TryGetResult IndicatorArgs.Tz_Offset)
            now

    let resolved =
        indicator.DefaultParameters
        |> Seq.map (fun (KeyValue(key, fallback)) ->
            key,
            parameters
            |> List.tryFind (fst >> (=) key)
            |> Option.map (snd >> List.head)
            |> Option.defaultValue fallback)
        |> Map.ofSeq

    let outputs =
        try
            indicator.Compute(candles.Close, resolved)
        with :? ArgumentException as e ->
            usage e.Message

    let columns = List.zip (List.ofSeq indicator.OutputNames) (List.ofArray outputs)

    args.TryGetResult IndicatorArgs.Out
    |> Option.iter (fun path -> writeCsv path candles.Time columns)

    let last = candles.Length - 1

    if args.Contains IndicatorArgs.Json then
        printJson (
            Object
                [
                    "indicator", Text name
                    "params", parametersJson resolved
                    "bars", Integer(int64 candles.Length)
                    "time", Text(candles.Time[last].UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", invariant))
                    "last", Object [ for column, values in columns -> column, Number values[last] ]
                    "valid",
                    Object
                        [
                            for column, values in columns ->
                                column, Integer(values |> Array.filter (Double.IsNaN >> not) |> Array.length |> int64)
                        ]
                ]
        )
    else
        printfn "%s(%s) over %d bars" name (formatParameters resolved) candles.Length

        printTable
            ("time" :: List.map fst columns)
            [
                for row in max 0 (last - 9) .. last ->
                    candles.Time[row].UtcDateTime.ToString("yyyy-MM-dd HH:mm", invariant)
                    :: [ for _, values in columns -> fmt 6 values[row] ]
            ]

        args.TryGetResult IndicatorArgs.Out |> Option.iter (printfn "wrote %s")

// ---------------------------------------------------------------- strategies

/// `strategies`: every strategy with its parameters and grid.
let strategies (args: ParseResults<StrategiesArgs>) =
    if args.Contains StrategiesArgs.Json then
        printJson (
            Array
                [
                    for r in PluginCatalog.registry().Strategies ->
                        let s = r.Strategy

                        Object
                            [
                                "name", Text s.Name
                                "source", Text r.Source
                                "description", Text s.Description
                                "timeframe", Text s.Timeframe
                                "default_params", Object [ for KeyValue(k, v) in s.DefaultParameters -> k, Number v ]
                                "param_grid",
                                Object
                                    [
                                        for range in s.ParameterGrid ->
                                            range.Name, Array [ for v in range.Values -> Number v ]
                                    ]
                                "combinations",
                                Integer(s.ParameterGrid |> Seq.fold (fun n r -> n * int64 r.Values.Length) 1L)
                            ]
                ]
        )
    else
        for r in PluginCatalog.registry().Strategies do
            let s = r.Strategy
            let combinations = s.ParameterGrid |> Seq.fold (fun n r -> n * r.Values.Length) 1
            printfn "%s (%s) - %s" s.Name s.Timeframe s.Description

            if r.Source <> "built-in" then
                printfn "  source: %s" r.Source

            for range in s.ParameterGrid do
                let values = range.Values |> Array.map string |> String.concat ", "
                printfn "  %-16s default %-8s grid [%s]" range.Name (string s.DefaultParameters[range.Name]) values

            printfn "  %d combinations" combinations
            printfn ""

// ---------------------------------------------------------------- backtest

let private semanticsOf (text: string) =
    match text.ToLowerInvariant() with
    | "polymarket" -> Semantics.Polymarket
    | "seed" -> Semantics.Seed
    | other -> usage $"unknown --semantics '{other}': use polymarket or seed"

let private rankOf (text: string) =
    match text.ToLowerInvariant().Replace('-', '_') with
    | "win_rate" -> RankKey.WinRate
    | "total_pnl" -> RankKey.TotalPnl
    | "sharpe" -> RankKey.Sharpe
    | other -> usage $"unknown --rank '{other}': use win_rate, total_pnl or sharpe"

let private semanticsName (semantics: Semantics) =
    if semantics = Semantics.Seed then "seed" else "polymarket"

let private settingsOf (args: ParseResults<BacktestArgs>) (candles: CandleColumns) =
    let semantics =
        args.TryGetResult BacktestArgs.Semantics
        |> Option.map semanticsOf
        |> Option.defaultValue Semantics.Polymarket

    let baseline =
        if semantics = Semantics.Seed then
            Backtest.seedSettings
        else
            Backtest.defaultSettings

    let entryPrice =
        args.GetResult(BacktestArgs.Entry_Price, defaultValue = baseline.EntryPrice)

    if not (entryPrice > 0.0 && entryPrice < 1.0) then
        usage $"--entry-price {entryPrice} must be strictly between 0 and 1"

    let feeRate = args.GetResult(BacktestArgs.Fee_Rate, defaultValue = baseline.FeeRate)

    if feeRate < 0.0 then
        usage $"--fee-rate {feeRate} must not be negative"

    let barsPerYear =
        match Candles.validate candles with
        | { Interval = Some step } when step.TotalSeconds > 0.0 ->
            TimeSpan.FromDays(365.0).TotalSeconds / step.TotalSeconds
        | _ -> baseline.BarsPerYear

    { baseline with
        EntryPrice = entryPrice
        FeeRate = feeRate
        FeeExponent = args.GetResult(BacktestArgs.Fee_Exponent, defaultValue = baseline.FeeExponent)
        BarsPerYear = barsPerYear
    }

let private summaryFields
    (strategy: IStrategy)
    (parameters: Map<string, float>)
    (settings: BacktestSettings)
    (bars: int)
    (m: Metrics)
    =
    [
        "strategy", Text strategy.Name
        "params", parametersJson parameters
        "semantics", Text(semanticsName settings.Semantics)
        "bars", Integer(int64 bars)
    ]
    @ metricsFields m

let private printMetrics (m: Metrics) =
    printTable
        [ "metric"; "value" ]
        [
            [ "trades"; string m.TradeCount ]
            [ "win rate"; fmt 4 m.WinRate ]
            [ "total P&L"; fmt 2 m.TotalPnl ]
            [ "fees"; fmt 2 m.TotalFees ]
            [ "expectancy"; fmt 4 m.Expectancy ]
            [ "profit factor"; fmt 3 m.ProfitFactor ]
            [ "max drawdown"; fmt 2 m.MaxDrawdown ]
            [ "max drawdown %"; fmt 2 (100.0 * m.MaxDrawdownPct) ]
            [ "Sharpe (per trade, original)"; fmt 4 m.SharpePerTrade ]
            [ "Sharpe (annualised)"; fmt 4 m.SharpeAnnualized ]
            [ "Sortino"; fmt 4 m.Sortino ]
            [ "Calmar"; fmt 4 m.Calmar ]
            [ "longest losing streak"; string m.LongestLosingStreak ]
            [ "exposure"; fmt 4 m.Exposure ]
        ]

let private resolveParameters (strategy: IStrategy) (parameters: (string * float list) list) =
    strategy.DefaultParameters
    |> Seq.map (fun (KeyValue(name, fallback)) ->
        name,
        parameters
        |> List.tryFind (fst >> (=) name)
        |> Option.map (snd >> List.head)
        |> Option.defaultValue fallback)
    |> Map.ofSeq

/// The grid of a sweep: the strategy's grid with `--param` values replacing a parameter's list.
let private sweepGrid (strategy: IStrategy) (parameters: (string * float list) list) =
    [|
        for range in strategy.ParameterGrid ->
            match parameters |> List.tryFind (fst >> (=) range.Name) with
            | Some(_, values) ->
                { range with
                    Values = Array.ofList values
                }
            | None -> range
    |]

let private writeReport
    (args: ParseResults<BacktestArgs>)
    (strategy: IStrategy)
    (parameters: Map<string, float>)
    (settings: BacktestSettings)
    (candles: CandleColumns)
    (result: BacktestResult)
    (sweep: SweepResult option)
    (walkForward: WalkForwardResult option)
    =
    match args.TryGetResult BacktestArgs.Report with
    | None -> ()
    | Some path ->
        let sweepSection =
            sweep
            |> Option.bind (fun (sweep: SweepResult) ->
                let x, y =
                    match args.TryGetResult BacktestArgs.Heatmap, List.ofSeq strategy.ParameterGrid with
                    | Some(x, y), _ -> x, y
                    | None, first :: second :: _ -> first.Name, second.Name
                    | None, [ only ] -> only.Name, only.Name
                    | None, [] -> "", ""

                if x = "" then
                    None
                else
                    checkNames $"strategy {strategy.Name}" strategy.DefaultParameters.Keys [ x; y ]

                    Some
                        {
                            Result = sweep
                            XParameter = x
                            YParameter = y
                            Metric = SweepMetric.WinRate
                        })

        Report.write
            path
            {
                ReportContent.Title = $"{strategy.Name} backtest"
                Strategy = strategy.Name
                Parameters = parameters
                Semantics = settings.Semantics
                Backtest = result
                Times = candles.Time
                Sweep = sweepSection
                WalkForward = walkForward
            }

        eprintfn "report written to %s" path

/// `backtest`: one run, a sweep, or a walk-forward validation.
let backtest (args: ParseResults<BacktestArgs>) (now: DateTimeOffset) =
    if NativeBacktest.handled args then
        ()
    else
        let outcomes = NativeBacktest.outcomeSeries args

        let strategy =
            findStrategy (args.GetResult(BacktestArgs.Strategy, defaultValue = "streak-reversal"))
            |> NativeBacktest.strategyFor outcomes

        let sweep = args.Contains BacktestArgs.Sweep
        let walkForward = args.TryGetResult BacktestArgs.Walk_Forward

        let parameters =
            parseParameters (sweep || walkForward.IsSome) (args.GetResults BacktestArgs.Param)

        checkNames $"strategy {strategy.Name}" strategy.DefaultParameters.Keys (List.map fst parameters)
        let json = args.Contains BacktestArgs.Json

        let sweepSettings =
            { Sweep.defaultSettings with
                Rank =
                    args.TryGetResult BacktestArgs.Rank
                    |> Option.map rankOf
                    |> Option.defaultValue RankKey.WinRate
                MaxDegreeOfParallelism =
                    max 1 (args.GetResult(BacktestArgs.Threads, defaultValue = Environment.ProcessorCount))
            }

        let candles =
            NativeBacktest.candlesFor outcomes (fun () ->
                CandleSource.resolve
                    (args.TryGetResult BacktestArgs.Data)
                    (args.TryGetResult BacktestArgs.Symbol)
                    (args.TryGetResult BacktestArgs.Interval)
                    (args.TryGetResult BacktestArgs.Tz_Offset)
                    now)

        let settings = settingsOf args candles |> NativeBacktest.settingsFor outcomes

        match walkForward with
        | Some modeName ->
            let mode =
                match modeName.ToLowerInvariant() with
                | "single" -> WalkForwardMode.Single
                | "rolling" -> WalkForwardMode.Rolling
                | "anchored" -> WalkForwardMode.Anchored
                | other -> usage $"unknown --walk-forward '{other}': use single, rolling or anchored"

            let test =
                args.GetResult(BacktestArgs.Test, defaultValue = max 1 (candles.Length / 10))

            let train =
                args.GetResult(BacktestArgs.Train, defaultValue = max 1 (candles.Length * 3 / 10))

            let step = args.GetResult(BacktestArgs.Step, defaultValue = test)
            let ratio = args.GetResult(BacktestArgs.Train_Ratio, defaultValue = 0.75)

            let windows =
                try
                    WalkForward.windows mode candles.Length ratio train test step
                with :? ArgumentException as e ->
                    usage e.Message

            if windows.Length = 0 then
                usage $"no walk-forward window fits {candles.Length} bars with --train {train} --test {test}"

            let result =
                WalkForward.run settings sweepSettings strategy candles (sweepGrid strategy parameters) mode windows

            if json then
                printJson (
                    Object(
                        [
                            "strategy", Text strategy.Name
                            "semantics", Text(semanticsName settings.Semantics)
                            "mode", Text(modeName.ToLowerInvariant())
                            "bars", Integer(int64 candles.Length)
                            "windows",
                            Array
                                [
                                    for s in result.Steps ->
                                        Object
                                            [
                                                "train_start", Integer(int64 s.Window.TrainStart)
                                                "train_end", Integer(int64 s.Window.TrainEnd)
                                                "test_start", Integer(int64 s.Window.TestStart)
                                                "test_end", Integer(int64 s.Window.TestEnd)
                                                "params", parametersJson s.Parameters
                                                "in_sample", Object(metricsFields s.InSample)
                                                "out_of_sample", Object(metricsFields s.OutOfSample)
                                            ]
                                ]
                            "out_of_sample", Object(metricsFields result.OutOfSample)
                        ]
                    )
                )
            else
                printTable
                    [
                        "train"
                        "test"
                        "params"
                        "IS win"
                        "IS P&L"
                        "OOS trades"
                        "OOS win"
                        "OOS P&L"
                    ]
                    [
                        for s in result.Steps ->
                            [
                                $"{s.Window.TrainStart}-{s.Window.TrainEnd}"
                                $"{s.Window.TestStart}-{s.Window.TestEnd}"
                                formatParameters s.Parameters
                                fmt 4 s.InSample.WinRate
                                fmt 2 s.InSample.TotalPnl
                                string s.OutOfSample.TradeCount
                                fmt 4 s.OutOfSample.WinRate
                                fmt 2 s.OutOfSample.TotalPnl
                            ]
                    ]

                printfn ""
                printfn "aggregated out-of-sample:"
                printMetrics result.OutOfSample

            let last = result.Steps[result.Steps.Length - 1]

            let single =
                Backtest.run settings candles (evaluate strategy candles last.Parameters)

            writeReport args strategy last.Parameters settings candles single None (Some result)

        | None when sweep ->
            let result =
                Sweep.run settings sweepSettings strategy candles (sweepGrid strategy parameters)

            let top = max 1 (args.GetResult(BacktestArgs.Top, defaultValue = 10))
            let shown = result.Rows |> Array.truncate top

            let overfitting =
                match result.Overfitting with
                | Some pbo ->
                    Object
                        [
                            "pbo", Number pbo.Probability
                            "splits", Integer(int64 pbo.Splits)
                            "blocks", Integer(int64 pbo.Blocks)
                        ]
                | None -> Null

            let dsr = result.DeflatedSharpe

            if json then
                printJson (
                    Array
                        [
                            for row in shown ->
                                Object(
                                    summaryFields strategy row.Parameters settings candles.Length row.Metrics
                                    @ [
                                        "dsr", Number dsr.Probability
                                        "trials", Integer(int64 dsr.Trials)
                                        "overfitting", overfitting
                                    ]
                                )
                        ]
                )
            else
                let names = [ for range in strategy.ParameterGrid -> range.Name ]

                printTable
                    (names @ [ "trades"; "win rate"; "P&L"; "Sharpe"; "max DD" ])
                    [
                        for row in shown ->
                            [ for name in names -> string row.Parameters[name] ]
                            @ [
                                string row.Metrics.TradeCount
                                fmt 4 row.Metrics.WinRate
                                fmt 2 row.Metrics.TotalPnl
                                fmt 4 row.Metrics.SharpePerTrade
                                fmt 2 row.Metrics.MaxDrawdown
                            ]
                    ]

                printfn ""

                printfn
                    "%d combinations; deflated Sharpe of the best: %s (Sharpe per trade %s vs expected max of unskilled trials %s)"
                    dsr.Trials
                    (fmt 4 dsr.Probability)
                    (fmt 4 dsr.Sharpe)
                    (fmt 4 dsr.ExpectedMaxSharpe)

                match result.Overfitting with
                | Some pbo ->
                    printfn
                        "probability of backtest overfitting (CSCV, %d blocks, %d splits): %s"
                        pbo.Blocks
                        pbo.Splits
                        (fmt 4 pbo.Probability)
                | None -> printfn "probability of backtest overfitting: n/a (needs two or more combinations)"

            let best = result.Rows[0]

            let single =
                Backtest.run settings candles (evaluate strategy candles best.Parameters)

            writeReport args strategy best.Parameters settings candles single (Some result) None

        | None ->
            let resolved = resolveParameters strategy parameters
            let result = Backtest.run settings candles (evaluate strategy candles resolved)

            if json then
                printJson (Object(summaryFields strategy resolved settings candles.Length result.Metrics))
            else
                printfn
                    "%s (%s) on %d bars, %s semantics"
                    strategy.Name
                    (formatParameters resolved)
                    candles.Length
                    (semanticsName settings.Semantics)

                printMetrics result.Metrics

            writeReport args strategy resolved settings candles result None None
