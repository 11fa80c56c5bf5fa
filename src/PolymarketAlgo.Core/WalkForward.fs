namespace PolymarketAlgo.Core

/// How walk-forward windows are laid out.
type WalkForwardMode =
    /// The original's single chronological split (train = the first 75% by default).
    | Single = 0
    /// Fixed-size train windows that move forward by `step` bars.
    | Rolling = 1
    /// Train windows that all start at bar 0 and grow by `step` bars (expanding).
    | Anchored = 2

/// One train/test split as half-open bar ranges [start, end).
type WalkForwardWindow =
    {
        TrainStart: int
        TrainEnd: int
        TestStart: int
        TestEnd: int
    }

/// One walk-forward step: the parameters chosen on the train window and how they did on both windows.
type WalkForwardStep =
    {
        Window: WalkForwardWindow
        Parameters: Map<string, float>
        InSample: Metrics
        OutOfSample: Metrics
    }

/// A walk-forward validation: every step and the out-of-sample metrics over all test windows together.
type WalkForwardResult =
    {
        Mode: WalkForwardMode
        Steps: WalkForwardStep[]
        OutOfSample: Metrics
    }

/// Walk-forward validation: window layouts over a history of `length` bars, and the run that tunes on
/// each train window and scores the chosen parameters on the test window that follows.
[<RequireQualifiedAccess>]
module WalkForward =
    /// The original `walk_forward_split`: train = the first floor(length × trainRatio) bars, test = the rest.
    let single (length: int) (trainRatio: float) : WalkForwardWindow =
        if length < 2 then
            invalidArg (nameof length) "a split needs at least two bars"

        if not (trainRatio > 0.0 && trainRatio < 1.0) then
            invalidArg (nameof trainRatio) "the train ratio must be strictly between 0 and 1"

        let split = int (float length * trainRatio)

        {
            TrainStart = 0
            TrainEnd = split
            TestStart = split
            TestEnd = length
        }

    let private checkSizes (train: int) (test: int) (step: int) =
        if train < 1 then
            invalidArg (nameof train) "the train window needs at least one bar"

        if test < 1 then
            invalidArg (nameof test) "the test window needs at least one bar"

        if step < 1 then
            invalidArg (nameof step) "the step must be at least one bar"

    /// Rolling windows: train [k·step, k·step + train), test right after it for `test` bars; windows
    /// whose test would pass the end of the history are dropped.
    let rolling (length: int) (train: int) (test: int) (step: int) : WalkForwardWindow[] =
        checkSizes train test step

        [|
            for start in 0..step .. length - train - test ->
                {
                    TrainStart = start
                    TrainEnd = start + train
                    TestStart = start + train
                    TestEnd = start + train + test
                }
        |]

    /// Anchored (expanding) windows: train [0, train + k·step), test right after it for `test` bars.
    let anchored (length: int) (train: int) (test: int) (step: int) : WalkForwardWindow[] =
        checkSizes train test step

        [|
            for trainEnd in train..step .. length - test ->
                {
                    TrainStart = 0
                    TrainEnd = trainEnd
                    TestStart = trainEnd
                    TestEnd = trainEnd + test
                }
        |]

    /// The windows of a mode. `Single` uses `trainRatio`; the others use train, test and step sizes.
    let windows
        (mode: WalkForwardMode)
        (length: int)
        (trainRatio: float)
        (train: int)
        (test: int)
        (step: int)
        : WalkForwardWindow[] =
        match mode with
        | WalkForwardMode.Single -> [| single length trainRatio |]
        | WalkForwardMode.Rolling -> rolling length train test step
        | WalkForwardMode.Anchored -> anchored length train test step
        | _ -> invalidArg (nameof mode) $"unknown walk-forward mode {mode}"

    /// Runs a walk-forward validation. Each combination of `grid` is evaluated once over the whole history
    /// (strategies never look ahead, so bars after a window cannot change its signals) and backtested on
    /// every train and test range as if that range were the whole data (the last bar of a range is never
    /// traded under Polymarket semantics). On each train window the best combination by `sweep.Rank` is
    /// chosen and scored on its test window; the out-of-sample metrics aggregate every test window's bets.
    let run
        (settings: BacktestSettings)
        (sweep: SweepSettings)
        (strategy: IStrategy)
        (candles: CandleColumns)
        (grid: ParameterRange seq)
        (mode: WalkForwardMode)
        (windows: WalkForwardWindow[])
        : WalkForwardResult =
        if windows.Length = 0 then
            invalidArg (nameof windows) "at least one window is needed"

        for window in windows do
            if
                window.TrainStart < 0
                || window.TestEnd > candles.Length
                || window.TrainEnd > window.TestStart
            then
                invalidArg (nameof windows) $"window {window} does not fit {candles.Length} bars"

        let combinations = Strategy.gridCombinations (Array.ofSeq grid)

        if combinations.Length = 0 then
            invalidArg (nameof grid) "the grid has no combination"

        let scored =
            Sweep.evaluateAll sweep.MaxDegreeOfParallelism strategy candles combinations (fun _ signals ->
                windows
                |> Array.map (fun w ->
                    Backtest.metricsBetween settings candles signals w.TrainStart w.TrainEnd,
                    Backtest.metricsBetween settings candles signals w.TestStart w.TestEnd))

        let steps =
            windows
            |> Array.mapi (fun k window ->
                let best =
                    (Sweep.rankOrder sweep.Rank (scored |> Array.map (fun perWindow -> fst perWindow[k])))[0]

                let inSample, outOfSample = scored[best][k]

                {
                    Window = window
                    Parameters = combinations[best]
                    InSample = inSample
                    OutOfSample = outOfSample
                })

        let outOfSample =
            steps
            |> Array.map (fun step ->
                let signals = Signals.Create candles.Length

                strategy.Evaluate(
                    {
                        Candles = candles
                        Indicators = IndicatorCache(candles.Close)
                    },
                    step.Parameters :> System.Collections.Generic.IReadOnlyDictionary<string, float>,
                    signals
                )

                Backtest.runBetween settings candles signals step.Window.TestStart step.Window.TestEnd)

        {
            Mode = mode
            Steps = steps
            OutOfSample = Backtest.combine settings outOfSample
        }
