namespace PolymarketAlgo.Core

open System
open System.Collections.Generic

/// One window of a resolved-outcome history (for example one `btc-updown-5m-<T>` market).
type HistoryWindow =
    {
        /// The window's start (UTC): the unix time in its slug.
        Start: DateTimeOffset
        /// +1 resolved Up, −1 resolved Down, 0 not resolved (the window is skipped and splits the history).
        Outcome: int
        /// The recorded price of the Up share when a bet on this window is placed; NaN when none was recorded.
        /// Final settlement prices (1 or 0) are not entry prices and must not be passed here.
        UpPrice: float
    }

/// A run of consecutive resolved windows, laid out as bars [AnchorBar, EndBar) of the synthetic candles.
type OutcomeSegment =
    {
        /// The anchor bar: the level before the segment's first window, timed one window earlier. It has no
        /// outcome of its own.
        AnchorBar: int
        /// One past the segment's last bar; bar AnchorBar + 1 + i is the segment's window i.
        EndBar: int
        /// Start of the segment's first window.
        FirstWindow: DateTimeOffset
        /// Start of the segment's last window.
        LastWindow: DateTimeOffset
    }

    /// The number of windows in the segment.
    member this.Windows = this.EndBar - this.AnchorBar - 1

/// Window slots missing between two windows of a history.
type WindowGap =
    {
        /// Start of the last window before the hole.
        After: DateTimeOffset
        /// Start of the first window after the hole.
        Before: DateTimeOffset
        /// Window starts missing in between.
        MissingWindows: int
    }

/// A resolved-outcome history as synthetic candles, so that every close-based strategy, the backtest, sweeps and
/// walk-forward validation run on it unchanged. Each segment of consecutive resolved windows is an anchor bar
/// followed by one bar per window whose close steps +1 on Up and −1 on Down (open = previous close), so
/// close[t+1] ≥ close[t] exactly when the window of bar t+1 resolved Up. Missing and unresolved windows are
/// never bridged: they end a segment, and the next one starts with a fresh anchor.
type OutcomeSeries =
    {
        /// The synthetic candles: bar times are window starts (the anchor one window before its segment).
        Candles: CandleColumns
        /// The segments in time order; together they cover every bar.
        Segments: OutcomeSegment[]
        /// Missing window slots, in time order.
        Gaps: WindowGap[]
        /// Starts of the windows that were present but not resolved (skipped), in time order.
        Unresolved: DateTimeOffset[]
        /// Per bar, the recorded Up price of the window that bar bets on (the next bar's window); NaN where none
        /// was recorded and on the last bar of each segment.
        UpPrices: float[]
        /// The window length.
        WindowLength: TimeSpan
        /// Windows that resolved Up.
        UpWindows: int
        /// Windows that resolved Down.
        DownWindows: int
        /// Resolved windows with a recorded Up price.
        PricedWindows: int
    }

    /// The resolved windows (one bar each).
    member this.Windows = this.UpWindows + this.DownWindows

    /// Window slots missing over all gaps.
    member this.MissingWindows = this.Gaps |> Array.sumBy (fun gap -> gap.MissingWindows)

/// Backtests on what Polymarket really did: a resolved-outcome history turned into an `OutcomeSeries`, strategies
/// evaluated segment by segment (a streak never spans a gap), bets priced from recorded prices where they exist.
[<RequireQualifiedAccess>]
module OutcomeBacktest =

    /// Builds the series from windows sorted by start, each a whole number of `windowLength` after the previous
    /// one. Raises for unsorted or misaligned windows, an outcome other than −1, 0 or +1, or an Up price that is
    /// neither NaN nor strictly between 0 and 1.
    let series (windowLength: TimeSpan) (windows: HistoryWindow[]) : OutcomeSeries =
        if windowLength <= TimeSpan.Zero then
            invalidArg (nameof windowLength) "The window length must be positive."

        for i in 0 .. windows.Length - 1 do
            if abs windows[i].Outcome > 1 then
                invalidArg
                    (nameof windows)
                    $"Window {windows[i].Start:o} has outcome {windows[i].Outcome}, not −1, 0 or +1."

            let price = windows[i].UpPrice

            if not (Double.IsNaN price || (price > 0.0 && price < 1.0)) then
                invalidArg
                    (nameof windows)
                    $"Window {windows[i].Start:o} has Up price {price}: an entry price is strictly between 0 and 1 (settlement prices are not entry prices)."

            if i > 0 then
                let step = windows[i].Start - windows[i - 1].Start

                if step <= TimeSpan.Zero || step.Ticks % windowLength.Ticks <> 0L then
                    invalidArg
                        (nameof windows)
                        $"Windows {windows[i - 1].Start:o} and {windows[i].Start:o} are not a positive whole number of windows apart."

        let time = ResizeArray<DateTimeOffset>(windows.Length + 16)
        let close = ResizeArray<float>(windows.Length + 16)
        let upPrices = ResizeArray<float>(windows.Length + 16)
        let segments = ResizeArray()
        let gaps = ResizeArray()
        let unresolved = ResizeArray()
        let mutable level = 0.0
        let mutable anchor = -1
        let mutable up = 0
        let mutable down = 0
        let mutable priced = 0

        let closeSegment () =
            if anchor >= 0 then
                segments.Add
                    {
                        AnchorBar = anchor
                        EndBar = time.Count
                        FirstWindow = time[anchor + 1]
                        LastWindow = time[time.Count - 1]
                    }

                anchor <- -1

        for i in 0 .. windows.Length - 1 do
            let window = windows[i]

            if i > 0 then
                let missing =
                    int ((window.Start - windows[i - 1].Start).Ticks / windowLength.Ticks) - 1

                if missing > 0 then
                    gaps.Add
                        {
                            After = windows[i - 1].Start
                            Before = window.Start
                            MissingWindows = missing
                        }

                    closeSegment ()

            if window.Outcome = 0 then
                unresolved.Add window.Start
                closeSegment ()
            else
                if anchor < 0 then
                    anchor <- time.Count
                    time.Add(window.Start - windowLength)
                    close.Add level
                    upPrices.Add Double.NaN

                // The bar before this window bets on it.
                upPrices[upPrices.Count - 1] <- window.UpPrice
                level <- level + float window.Outcome
                time.Add window.Start
                close.Add level
                upPrices.Add Double.NaN

                if window.Outcome > 0 then
                    up <- up + 1
                else
                    down <- down + 1

                if not (Double.IsNaN window.UpPrice) then
                    priced <- priced + 1

        closeSegment ()
        let close = close.ToArray()

        // Open = previous close inside a segment; an anchor opens at its own level.
        let openPrice =
            Array.init close.Length (fun t -> if t = 0 then close[t] else close[t - 1])

        for segment in segments do
            openPrice[segment.AnchorBar] <- close[segment.AnchorBar]

        {
            Candles =
                {
                    Time = time.ToArray()
                    Open = openPrice
                    High = Array.map2 max openPrice close
                    Low = Array.map2 min openPrice close
                    Close = close
                    Volume = Array.zeroCreate close.Length
                }
            Segments = segments.ToArray()
            Gaps = gaps.ToArray()
            Unresolved = unresolved.ToArray()
            UpPrices = upPrices.ToArray()
            WindowLength = windowLength
            UpWindows = up
            DownWindows = down
            PricedWindows = priced
        }

    /// The per-bar Up price a backtest pays: the recorded price where there is one, else `fallback`; NaN (never
    /// traded) on the last bar of every segment, whose next bar belongs to another segment.
    let entryPrices (series: OutcomeSeries) (fallback: float) : float[] =
        let prices =
            series.UpPrices
            |> Array.map (fun price -> if Double.IsNaN price then fallback else price)

        for segment in series.Segments do
            prices[segment.EndBar - 1] <- Double.NaN

        prices

    /// Backtest settings for the series: Polymarket semantics (ties resolve Up) with per-window entry prices from
    /// `entryPrices series settings.EntryPrice`. Raises for seed semantics, which would trade across segments.
    let settings (series: OutcomeSeries) (settings: BacktestSettings) : BacktestSettings =
        if settings.Semantics <> Semantics.Polymarket then
            invalidArg (nameof settings) "Outcome backtests use Polymarket semantics."

        { settings with
            EntryPrices = Some(entryPrices series settings.EntryPrice)
        }

    /// One segment's bars as a candle series of its own, preceded by a bar closing at `previous`, so that the anchor
    /// looks like an Up step (previous below the anchor's level) or a Down step (above).
    let private segmentCandles (series: OutcomeSeries) (segment: OutcomeSegment) (previous: float) : CandleColumns =
        let candles = series.Candles
        let first = segment.AnchorBar
        let count = segment.EndBar - first
        let close = Array.append [| previous |] (Array.sub candles.Close first count)

        let openPrice =
            Array.init close.Length (fun t -> if t = 0 then previous else close[t - 1])

        {
            Time = Array.append [| candles.Time[first] - series.WindowLength |] (Array.sub candles.Time first count)
            Open = openPrice
            High = Array.map2 max openPrice close
            Low = Array.map2 min openPrice close
            Close = close
            Volume = Array.zeroCreate close.Length
        }

    /// `inner` evaluated segment by segment, so that no signal depends on anything before its segment's first
    /// window. Each segment is evaluated twice, once as if the window before it (unknown) had resolved Up and once
    /// Down; a bar keeps its signal only when both agree (so a streak never spans a gap), and the last bar of each
    /// segment, whose next bar lies beyond a gap, never signals. The strategy only accepts `series.Candles`.
    let strategy (series: OutcomeSeries) (inner: IStrategy) : IStrategy =
        let variants =
            series.Segments
            |> Array.map (fun segment ->
                let level = series.Candles.Close[segment.AnchorBar]

                [|
                    for previous in [ level - 1.0; level + 1.0 ] ->
                        let candles = segmentCandles series segment previous

                        {
                            Candles = candles
                            Indicators = IndicatorCache(candles.Close)
                        }
                |])

        { new IStrategy with
            member _.Name = inner.Name
            member _.Description = inner.Description
            member _.Timeframe = inner.Timeframe
            member _.DefaultParameters = inner.DefaultParameters
            member _.ParameterGrid = inner.ParameterGrid

            member _.Evaluate(input, parameters, destination) =
                if not (obj.ReferenceEquals(input.Candles, series.Candles)) then
                    invalidArg (nameof input) "This strategy evaluates the candles of its own outcome series only."

                for k in 0 .. series.Segments.Length - 1 do
                    let segment = series.Segments[k]
                    let inputs = variants[k]
                    let length = inputs[0].Candles.Length
                    let asUp = Signals.Create length
                    let asDown = Signals.Create length
                    inner.Evaluate(inputs[0], parameters, asUp)
                    inner.Evaluate(inputs[1], parameters, asDown)

                    for j in 1 .. length - 1 do
                        let bar = segment.AnchorBar + j - 1

                        if
                            bar < segment.EndBar - 1
                            && asUp.Signal[j] = asDown.Signal[j]
                            && asUp.Size[j] = asDown.Size[j]
                        then
                            destination.Signal[bar] <- asUp.Signal[j]
                            destination.Size[bar] <- asUp.Size[j]
                        else
                            destination.Signal[bar] <- 0
                            destination.Size[bar] <- 0.0
        }

    /// Runs `inner` with `parameters` over the series (see `strategy` and `settings`); an unknown parameter is an
    /// error.
    let run
        (backtest: BacktestSettings)
        (series: OutcomeSeries)
        (inner: IStrategy)
        (parameters: Map<string, float>)
        : Result<BacktestResult, StrategyError> =
        let wrapped = strategy series inner

        Strategy.evaluate wrapped series.Candles parameters
        |> Result.map (Backtest.run (settings series backtest) series.Candles)

    /// `Sweep.run` of `inner` over the series (see `strategy` and `settings`).
    let sweep
        (backtest: BacktestSettings)
        (sweepSettings: SweepSettings)
        (series: OutcomeSeries)
        (inner: IStrategy)
        (grid: ParameterRange seq)
        : SweepResult =
        Sweep.run (settings series backtest) sweepSettings (strategy series inner) series.Candles grid

    /// `WalkForward.run` of `inner` over the series (see `strategy` and `settings`); windows are bar ranges of
    /// `series.Candles`.
    let walkForward
        (backtest: BacktestSettings)
        (sweepSettings: SweepSettings)
        (series: OutcomeSeries)
        (inner: IStrategy)
        (grid: ParameterRange seq)
        (mode: WalkForwardMode)
        (windows: WalkForwardWindow[])
        : WalkForwardResult =
        WalkForward.run
            (settings series backtest)
            sweepSettings
            (strategy series inner)
            series.Candles
            grid
            mode
            windows

    /// The outcome (+1 Up, −1 Down) of the window of every bar; 0 on anchor bars.
    let outcomes (series: OutcomeSeries) : int[] =
        let close = series.Candles.Close
        let result = Array.zeroCreate close.Length

        for segment in series.Segments do
            for t in segment.AnchorBar + 1 .. segment.EndBar - 1 do
                result[t] <- Math.Sign(close[t] - close[t - 1])

        result

    /// The bar of each window start (anchors excluded), for aligning other data with the series.
    let barsByStart (series: OutcomeSeries) : IReadOnlyDictionary<DateTimeOffset, int> =
        let bars = Dictionary<DateTimeOffset, int>()

        for segment in series.Segments do
            for t in segment.AnchorBar + 1 .. segment.EndBar - 1 do
                bars[series.Candles.Time[t]] <- t

        bars
