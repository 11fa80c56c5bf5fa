namespace PolymarketAlgo.Core

open System
open System.Collections.Generic

/// How often Binance candles tell the real outcome of the windows they cover.
type OutcomeAgreement =
    {
        /// Resolved windows inside the candles' span.
        Windows: int
        /// Of those, windows with a candle opening at their start.
        Matched: int
        /// Matched windows whose candle colour (Up when close ≥ open) is the real outcome.
        ColourAgreements: int
        /// Windows with a candle at their start and one a window earlier: the close-to-close proxy the candle
        /// backtest resolves bets with (Up when close ≥ previous close).
        StepMatched: int
        /// Of those, windows where the close-to-close direction is the real outcome.
        StepAgreements: int
        /// Matched windows that resolved Up.
        UpOutcomes: int
        /// Matched windows whose candle is Up (close ≥ open).
        UpColours: int
    }

    /// ColourAgreements / Matched (0 without a match).
    member this.ColourRate =
        if this.Matched = 0 then
            0.0
        else
            float this.ColourAgreements / float this.Matched

    /// StepAgreements / StepMatched (0 without a match).
    member this.StepRate =
        if this.StepMatched = 0 then
            0.0
        else
            float this.StepAgreements / float this.StepMatched

/// The proxy (candle) backtest against the real (outcome) backtest of one strategy and parameter set over the
/// windows both cover.
type ProxyComparison =
    {
        /// Candle direction against real outcome over the overlap.
        Agreement: OutcomeAgreement
        /// Start of the first window of the overlap.
        First: DateTimeOffset
        /// Start of the last window of the overlap.
        Last: DateTimeOffset
        /// Candles in the proxy backtest (the candles opening from First to Last).
        Candles: int
        /// The real outcome series over the overlap (gaps and unresolved windows included).
        Series: OutcomeSeries
        /// The candle backtest over the overlap: bets resolved by the next candle's close (the proxy).
        Proxy: Metrics
        /// The outcome backtest over the same windows: streaks and bets on real outcomes.
        Real: Metrics
        /// The proxy's own bets resolved by the real outcome of the window they bet on; bets on windows without a
        /// resolved outcome are dropped.
        Rescored: Metrics
    }

    /// Real minus proxy total P&L: what the candle backtest got wrong for this strategy and parameter set.
    member this.PnlDifference = this.Real.TotalPnl - this.Proxy.TotalPnl

    /// Rescored minus proxy total P&L: the part of the difference due to resolving the same bets with candles.
    member this.ResolutionDifference = this.Rescored.TotalPnl - this.Proxy.TotalPnl

/// Why a proxy comparison could not run.
[<RequireQualifiedAccess>]
type AgreementError =
    /// No resolved window lies inside the candles' span.
    | NoOverlap
    /// The candles' interval differs from the window length.
    | IntervalMismatch of Candles: TimeSpan * Windows: TimeSpan
    /// The strategy or its parameters were rejected.
    | Strategy of StrategyError

/// The Binance-candle proxy against Polymarket's real outcomes: agreement of candle direction and outcome, and the
/// P&L difference between the candle backtest and the outcome backtest of the same strategy.
[<RequireQualifiedAccess>]
module Agreement =

    let private barByTime (candles: CandleColumns) =
        let bars = Dictionary<DateTimeOffset, int>(candles.Length)

        for t in 0 .. candles.Length - 1 do
            bars[candles.Time[t]] <- t

        bars

    /// Compares candle colour (close ≥ open) and close-to-close direction with the outcome of every resolved window
    /// whose start lies inside the candles' span. A candle "matches" a window when it opens at the window's start.
    let measure (candles: CandleColumns) (windowLength: TimeSpan) (windows: HistoryWindow[]) : OutcomeAgreement =
        let bars = barByTime candles
        let mutable inside = 0
        let mutable matched = 0
        let mutable colourAgree = 0
        let mutable stepMatched = 0
        let mutable stepAgree = 0
        let mutable upOutcomes = 0
        let mutable upColours = 0

        if candles.Length > 0 then
            let first = candles.Time[0]
            let last = candles.Time[candles.Length - 1]

            for window in windows do
                if window.Outcome <> 0 && window.Start >= first && window.Start <= last then
                    inside <- inside + 1

                    match bars.TryGetValue window.Start with
                    | true, t ->
                        let outcome = window.Outcome
                        let colour = if candles.Close[t] >= candles.Open[t] then 1 else -1
                        matched <- matched + 1

                        if colour = outcome then
                            colourAgree <- colourAgree + 1

                        if outcome = 1 then
                            upOutcomes <- upOutcomes + 1

                        if colour = 1 then
                            upColours <- upColours + 1

                        if t > 0 && candles.Time[t - 1] = window.Start - windowLength then
                            stepMatched <- stepMatched + 1
                            let step = if candles.Close[t] >= candles.Close[t - 1] then 1 else -1

                            if step = outcome then
                                stepAgree <- stepAgree + 1
                    | _ -> ()

        {
            Windows = inside
            Matched = matched
            ColourAgreements = colourAgree
            StepMatched = stepMatched
            StepAgreements = stepAgree
            UpOutcomes = upOutcomes
            UpColours = upColours
        }

    /// The candles opening from `first` to `last`, as a series of their own.
    let private between (candles: CandleColumns) (first: DateTimeOffset) (last: DateTimeOffset) : CandleColumns =
        let start = candles.Time |> Array.findIndex (fun t -> t >= first)
        let finish = candles.Time |> Array.findIndexBack (fun t -> t <= last)

        let take (column: 'T[]) =
            Array.sub column start (finish - start + 1)

        {
            Time = take candles.Time
            Open = take candles.Open
            High = take candles.High
            Low = take candles.Low
            Close = take candles.Close
            Volume = take candles.Volume
        }

    /// Runs `strategy` with `parameters` as a candle backtest (the proxy) and as an outcome backtest (the real one)
    /// over the windows both cover, and scores the proxy's own bets with the real outcomes. `settings` must use
    /// Polymarket semantics and a fixed entry price (no per-bar prices); both backtests use them.
    let compare
        (settings: BacktestSettings)
        (strategy: IStrategy)
        (parameters: Map<string, float>)
        (candles: CandleColumns)
        (windowLength: TimeSpan)
        (windows: HistoryWindow[])
        : Result<ProxyComparison, AgreementError> =
        if settings.Semantics <> Semantics.Polymarket || settings.EntryPrices.IsSome then
            invalidArg (nameof settings) "The comparison needs Polymarket semantics and a fixed entry price."

        let interval = (Candles.validate candles).Interval

        match interval with
        | Some step when step <> windowLength -> Error(AgreementError.IntervalMismatch(step, windowLength))
        | _ ->
            let resolved =
                if candles.Length = 0 then
                    [||]
                else
                    windows
                    |> Array.filter (fun w ->
                        w.Outcome <> 0
                        && w.Start >= candles.Time[0]
                        && w.Start <= candles.Time[candles.Length - 1])

            if resolved.Length = 0 then
                Error AgreementError.NoOverlap
            else
                let first = resolved[0].Start
                let last = resolved[resolved.Length - 1].Start

                let overlap = windows |> Array.filter (fun w -> w.Start >= first && w.Start <= last)

                let proxyCandles = between candles first last
                let series = OutcomeBacktest.series windowLength overlap

                match
                    Strategy.evaluate strategy proxyCandles parameters,
                    OutcomeBacktest.run settings series strategy parameters
                with
                | Error error, _
                | _, Error error -> Error(AgreementError.Strategy error)
                | Ok signals, Ok real ->
                    let proxy = Backtest.metrics settings proxyCandles signals
                    // The same bets on a close path that steps with the real outcome of the next bar's window.
                    let outcomeOf = Dictionary<DateTimeOffset, int>()

                    for window in overlap do
                        outcomeOf[window.Start] <- window.Outcome

                    let n = proxyCandles.Length
                    let close = Array.zeroCreate n
                    let prices = Array.create n settings.EntryPrice

                    for t in 1 .. n - 1 do
                        let outcome =
                            match outcomeOf.TryGetValue proxyCandles.Time[t] with
                            | true, outcome -> outcome
                            | _ -> 0

                        close[t] <- close[t - 1] + float outcome

                        if outcome = 0 then
                            prices[t - 1] <- Double.NaN

                    let rescored =
                        Backtest.metrics
                            { settings with
                                EntryPrices = Some prices
                            }
                            { proxyCandles with Close = close }
                            signals

                    Ok
                        {
                            Agreement = measure candles windowLength overlap
                            First = first
                            Last = last
                            Candles = n
                            Series = series
                            Proxy = proxy
                            Real = real.Metrics
                            Rescored = rescored
                        }
