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
    { TrainStart: int
      TrainEnd: int
      TestStart: int
      TestEnd: int }

/// Walk-forward window layouts over a history of `length` bars.
[<RequireQualifiedAccess>]
module WalkForward =
    /// The original `walk_forward_split`: train = the first floor(length × trainRatio) bars, test = the rest.
    let single (length: int) (trainRatio: float) : WalkForwardWindow =
        if length < 2 then
            invalidArg (nameof length) "a split needs at least two bars"

        if not (trainRatio > 0.0 && trainRatio < 1.0) then
            invalidArg (nameof trainRatio) "the train ratio must be strictly between 0 and 1"

        let split = int (float length * trainRatio)

        { TrainStart = 0
          TrainEnd = split
          TestStart = split
          TestEnd = length }

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

        [| for start in 0..step .. length - train - test ->
               { TrainStart = start
                 TrainEnd = start + train
                 TestStart = start + train
                 TestEnd = start + train + test } |]

    /// Anchored (expanding) windows: train [0, train + k·step), test right after it for `test` bars.
    let anchored (length: int) (train: int) (test: int) (step: int) : WalkForwardWindow[] =
        checkSizes train test step

        [| for trainEnd in train..step .. length - test ->
               { TrainStart = 0
                 TrainEnd = trainEnd
                 TestStart = trainEnd
                 TestEnd = trainEnd + test } |]

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

/// One walk-forward step: the parameters chosen on the train window and how they did on both windows.
type WalkForwardStep =
    { Window: WalkForwardWindow
      Parameters: Map<string, float>
      InSample: Metrics
      OutOfSample: Metrics }

/// A walk-forward validation: every step and the out-of-sample metrics over all test windows together.
type WalkForwardResult =
    { Mode: WalkForwardMode
      Steps: WalkForwardStep[]
      OutOfSample: Metrics }
