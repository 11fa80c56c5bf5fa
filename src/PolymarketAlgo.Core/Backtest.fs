namespace PolymarketAlgo.Core

open System
open System.Buffers

/// Why a Deedle backtest could not run.
[<RequireQualifiedAccess>]
type BacktestError =
    /// The candle frame was rejected.
    | InvalidCandles of CandleError
    /// The signal frame has no `signal` column.
    | MissingSignalColumn

/// Backtests of up/down bets: each bar with a signal bets on the direction of the next bar's close.
[<RequireQualifiedAccess>]
module Backtest =

    /// Polymarket semantics at a fixed 0.50 entry with the crypto taker fee (rate 0.072, exponent 1), payout 0.95
    /// (unused here), 105,120 five-minute bars per year and $1,000 starting capital.
    let defaultSettings: BacktestSettings =
        {
            Semantics = Semantics.Polymarket
            EntryPrice = 0.5
            EntryPrices = None
            FeeRate = Fees.CryptoTakerRate
            FeeExponent = Fees.CryptoExponent
            WinPayout = 0.95
            BarsPerYear = 105120.0
            InitialCapital = 1000.0
        }

    /// The original Python engine: buy at 0.50, payout 0.95, no fee (seed-toolkit §5.1).
    let seedSettings: BacktestSettings =
        { defaultSettings with
            Semantics = Semantics.Seed
            FeeRate = 0.0
        }

    let private checkInputs
        (settings: BacktestSettings)
        (candles: CandleColumns)
        (signals: Signals)
        (start: int)
        (finish: int)
        =
        let n = candles.Length

        if start < 0 || finish > n || start > finish then
            invalidArg (nameof start) $"The range [{start}, {finish}) does not fit {n} candles."

        if signals.Signal.Length <> n || signals.Size.Length <> n then
            invalidArg (nameof signals) $"Signals cover {signals.Signal.Length} bars but there are {n} candles."

        match settings.EntryPrices with
        | Some prices when prices.Length <> n ->
            invalidArg (nameof settings) $"EntryPrices has {prices.Length} values but there are {n} candles."
        | _ -> ()

        if
            settings.Semantics = Semantics.Polymarket
            && settings.EntryPrices.IsNone
            && not (settings.EntryPrice > 0.0 && settings.EntryPrice < 1.0)
        then
            invalidArg (nameof settings) $"EntryPrice must be in (0, 1) (got {settings.EntryPrice})."

    /// The bet loop over bars [start, finish) as if they were the whole data: calls
    /// `onBet index side price shares up win fee pnl` for every resolved bet, in bar order.
    let inline private simulateBetween
        (settings: BacktestSettings)
        (candles: CandleColumns)
        (signals: Signals)
        (start: int)
        (finish: int)
        ([<InlineIfLambda>] onBet: int -> int -> float -> float -> bool -> bool -> float -> float -> unit)
        =
        checkInputs settings candles signals start finish
        let close = candles.Close

        for t in start .. finish - 1 do
            let side = signals.Signal[t]
            let shares = signals.Size[t]

            if settings.Semantics = Semantics.Seed then
                if side <> 0 then
                    let up = t + 1 < finish && close[t + 1] > close[t]
                    let win = (side = 1 && up) || (side = -1 && not up)

                    let perShare =
                        if win then
                            settings.WinPayout - settings.EntryPrice
                        else
                            -settings.EntryPrice

                    onBet t side settings.EntryPrice shares up win 0.0 (perShare * shares)
            else
                let upPrice =
                    match settings.EntryPrices with
                    | Some prices -> prices[t]
                    | None -> settings.EntryPrice

                if side <> 0 && t + 1 < finish && not (Double.IsNaN upPrice) then
                    let up = close[t + 1] >= close[t]
                    let bet = sign side
                    let price = if bet = 1 then upPrice else 1.0 - upPrice
                    let fee = Fees.taker shares settings.FeeRate price settings.FeeExponent
                    let win = (bet = 1) = up
                    let perShare = if win then 1.0 - price else -price
                    onBet t bet price shares up win fee (perShare * shares - fee)

    /// `run` over the bars [start, finish) only, as if they were the whole data (the range's last bar is the last
    /// bar): trades keep their absolute bar index; the equity curve covers the range.
    let runBetween
        (settings: BacktestSettings)
        (candles: CandleColumns)
        (signals: Signals)
        (start: int)
        (finish: int)
        : BacktestResult =
        let n = max 0 (finish - start)
        let barPnl = Array.zeroCreate n
        let trades = ResizeArray()

        simulateBetween settings candles signals start finish (fun index side price shares up win fee pnl ->
            barPnl[index - start] <- pnl

            trades.Add
                {
                    Index = index
                    Time = candles.Time[index]
                    Side = side
                    Price = price
                    Size = shares
                    Outcome = (if up then 1 else -1)
                    IsWin = win
                    Fee = fee
                    Pnl = pnl
                })

        let equity = Array.zeroCreate n
        let mutable cumulative = 0.0

        for i in 0 .. n - 1 do
            cumulative <- cumulative + barPnl[i]
            equity[i] <- cumulative

        let trades = trades.ToArray()

        {
            Trades = trades
            Equity = equity
            Metrics = Metrics.compute settings trades barPnl
        }

    /// What a sweep needs of one combination beyond its metrics: the moments of its trade P&L (for the Deflated
    /// Sharpe Ratio) and the moments of its per-bar P&L in `blocks` contiguous, equal time blocks (for CSCV).
    /// Bars without a bet count as a 0 return. No allocation but the block array.
    let momentsBetween
        (settings: BacktestSettings)
        (candles: CandleColumns)
        (signals: Signals)
        (start: int)
        (finish: int)
        (blocks: int)
        : ReturnMoments * ReturnMoments[] =
        if blocks < 0 then
            invalidArg (nameof blocks) "the block count must not be negative"

        let length = max 1 (finish - start)

        let blockOf (t: int) =
            int (int64 (t - start) * int64 blocks / int64 length)

        let mutable trades = ReturnMoments.empty
        let blockMoments = Array.create blocks ReturnMoments.empty
        let betsPerBlock = Array.zeroCreate blocks

        simulateBetween settings candles signals start finish (fun index _ _ _ _ _ _ pnl ->
            trades <- ReturnMoments.add trades pnl

            if blocks > 0 then
                let block = blockOf index
                blockMoments[block] <- ReturnMoments.add blockMoments[block] pnl
                betsPerBlock[block] <- betsPerBlock[block] + 1)

        // Bars without a bet are zero returns: they add to the count only.
        for block in 0 .. blocks - 1 do
            let first =
                start + int ((int64 block * int64 length + int64 blocks - 1L) / int64 blocks)

            let next =
                start
                + int ((int64 (block + 1) * int64 length + int64 blocks - 1L) / int64 blocks)

            let idle = float (min next finish - first - betsPerBlock[block])

            blockMoments[block] <-
                { blockMoments[block] with
                    Count = blockMoments[block].Count + idle
                }

        trades, blockMoments

    /// Runs a backtest over array columns; `signals` must cover every candle (sizes finite).
    /// - `Semantics.Polymarket`: a signal at bar t bets on bar t+1, which resolves Up when close[t+1] ≥ close[t]
    ///   (a tie is Up); the last bar is never traded; the Up share costs `EntryPrices[t]` (a NaN price skips the
    ///   bar) or `EntryPrice`, a Down share 1 − that; per share a win makes 1 − p and a loss −p, and the taker fee
    ///   shares × rate × (p(1−p))^exponent is paid at entry, so P&L is net of fees. A positive signal bets Up,
    ///   a negative one Down.
    /// - `Semantics.Seed`: the original engine bit for bit: Up when close[t+1] > close[t] (flat is Down), the last
    ///   bar is traded and resolves Down, a win makes WinPayout − EntryPrice per share, a loss −EntryPrice, no fee;
    ///   only signals 1 and −1 can win.
    let run (settings: BacktestSettings) (candles: CandleColumns) (signals: Signals) : BacktestResult =
        runBetween settings candles signals 0 candles.Length

    /// The statistics pass of `metrics` over bars start..limit−1 of a range [start, finish): `bar t` resolves a bar
    /// with a signal into
    /// (traded 0/1, won 0/1, P&L, fee), P&L and fee 0 when it is not traded. Bars without a signal add nothing:
    /// a first branch-free pass lists the bars with a signal (in a pooled buffer), and the second pass over them is
    /// one straight block, so the JIT keeps every running value in a register and a bet's random outcome never
    /// causes a misprediction.
    let inline private accumulate
        (settings: BacktestSettings)
        (signal: int[])
        (start: int)
        (finish: int)
        (limit: int)
        ([<InlineIfLambda>] bar: int -> struct (int * int * float * float))
        : Metrics =
        let n = finish - start
        let bets = ArrayPool<int>.Shared.Rent(Math.Max(limit - start, 1))
        let mutable count = 0

        for t in start .. limit - 1 do
            bets[count] <- t
            count <- count + Branchless.flag (signal[t] <> 0)

        let mutable trades = 0
        let mutable wins = 0
        let mutable total = 0.0
        let mutable squares = 0.0
        let mutable fees = 0.0
        let mutable winSum = 0.0
        let mutable downsideSquares = 0.0
        let mutable losingStreak = 0
        let mutable longestLosingStreak = 0
        // The seed curve's running peak starts at its first value: 0 when the first bar has no bet.
        let mutable peak =
            if n > 0 && signal[start] <> 0 then
                Metrics.initialPeak settings.Semantics
            else
                0.0

        let mutable maxDrawdown = 0.0
        let mutable peakAtMaxDrawdown = 0.0

        for j in 0 .. count - 1 do
            let struct (active, win, pnl, fee) = bar bets[j]
            let winning = active * win
            let square = pnl * pnl
            trades <- trades + active
            wins <- wins + winning
            total <- total + pnl
            squares <- squares + square
            fees <- fees + fee
            winSum <- winSum + float winning * pnl
            downsideSquares <- downsideSquares + float (Branchless.flag (pnl < 0.0)) * square
            losingStreak <- (losingStreak + active - winning) &&& -(1 - winning)
            longestLosingStreak <- Branchless.larger longestLosingStreak losingStreak
            peak <- Branchless.maximum peak total
            let drawdown = total - peak
            peakAtMaxDrawdown <- Branchless.selectLess drawdown maxDrawdown peak peakAtMaxDrawdown
            maxDrawdown <- Branchless.minimum maxDrawdown drawdown

        // Return the buffer after the last use of the running values: a call while they are live makes the JIT
        // keep them in memory for the whole loop.
        let metrics =
            Metrics.ofSums
                settings
                {
                    Bars = n
                    Trades = trades
                    Wins = wins
                    TradeSum = total
                    TradeSquares = squares
                    Fees = fees
                    WinSum = winSum
                    LongestLosingStreak = longestLosingStreak
                    BarSquares = squares
                    DownsideSquares = downsideSquares
                    Equity = total
                    MaxDrawdown = maxDrawdown
                    PeakAtMaxDrawdown = peakAtMaxDrawdown
                }

        ArrayPool<int>.Shared.Return bets
        metrics

    /// The same metrics as `runBetween` (identical values) without building trades or curves: the fast path for
    /// sweeps and walk-forward windows, one pass over the range with no allocation but the result.
    let metricsBetween
        (settings: BacktestSettings)
        (candles: CandleColumns)
        (signals: Signals)
        (start: int)
        (finish: int)
        : Metrics =
        checkInputs settings candles signals start finish
        let close = candles.Close
        let signal = signals.Signal
        let size = signals.Size
        let last = finish - 1

        if settings.Semantics = Semantics.Seed then
            let winPnl = settings.WinPayout - settings.EntryPrice
            let lossPnl = -settings.EntryPrice

            accumulate settings signal start finish finish (fun t ->
                let side = signal[t]
                // The last bar compares its close with itself: not Up, so it resolves Down like the original.
                let up = Branchless.flag (close[t + 1 - Branchless.flag (t = last)] > close[t])
                let win = Branchless.flag (side = 1) * up + Branchless.flag (side = -1) * (1 - up)
                let winning = float win
                struct (1, win, (winning * winPnl + (1.0 - winning) * lossPnl) * size[t], 0.0))
        else
            let rate = settings.FeeRate
            let exponent = settings.FeeExponent

            // Resolves the bet on bar t (never the last bar) with the Up share at `upPrice`; `curveUp`/`curveDown`
            // are the fee curves of the Up and Down prices; `active` is 0 when the bar has no price.
            let inline resolve (t: int) (active: int) (upPrice: float) (curveUp: float) (curveDown: float) =
                let bet = Math.Sign signal[t]
                let shares = size[t]
                let up = Branchless.flag (close[t + 1] >= close[t])
                let isUp = float (Branchless.flag (bet > 0))
                let win = Branchless.flag (bet > 0) * up + Branchless.flag (bet < 0) * (1 - up)
                let price = isUp * upPrice + (1.0 - isUp) * (1.0 - upPrice)
                let fee = shares * rate * (isUp * curveUp + (1.0 - isUp) * curveDown)
                let factor = float active
                struct (active, win, factor * ((float win - price) * shares - fee), factor * fee)

            // The last bar is never traded.
            let limit = Math.Max(last, start)

            match settings.EntryPrices with
            | None ->
                let upPrice = settings.EntryPrice
                let curveUp = Fees.curve upPrice exponent
                let curveDown = Fees.curve (1.0 - upPrice) exponent
                accumulate settings signal start finish limit (fun t -> resolve t 1 upPrice curveUp curveDown)
            | Some prices ->
                accumulate settings signal start finish limit (fun t ->
                    let price = prices[t]
                    let priced = Branchless.flag (not (Double.IsNaN price))
                    let upPrice = if priced = 1 then price else 0.5
                    resolve t priced upPrice (Fees.curve upPrice exponent) (Fees.curve (1.0 - upPrice) exponent))

    /// The same metrics as `run` (identical values) without building trades or curves: the fast path for parameter
    /// sweeps.
    let metrics (settings: BacktestSettings) (candles: CandleColumns) (signals: Signals) : Metrics =
        metricsBetween settings candles signals 0 candles.Length

    /// The metrics of several backtests taken together, as one run over their bars in order (for example every
    /// out-of-sample window of a walk-forward): trades are pooled, and each result's equity curve continues from
    /// where the previous one ended.
    let combine (settings: BacktestSettings) (results: BacktestResult[]) : Metrics =
        let trades = results |> Array.collect (fun result -> result.Trades)

        let barPnl =
            results
            |> Array.collect (fun result ->
                result.Equity
                |> Array.mapi (fun i e -> if i = 0 then e else e - result.Equity[i - 1]))

        Metrics.compute settings trades barPnl

    /// Signals read from a frame with a `signal` column and an optional `size` column (15 where absent, like the
    /// original), aligned to `keys`; rows the frame lacks, or missing values, are no bet.
    let signalsOfFrame
        (keys: DateTimeOffset[])
        (frame: Deedle.Frame<DateTimeOffset, string>)
        : Result<Signals, BacktestError> =
        let aligned (name: string) =
            frame.GetColumn<float>(name) |> Deedle.Series.realign keys |> SeriesArray.values

        if not (frame.ColumnKeys |> Seq.contains "signal") then
            Error BacktestError.MissingSignalColumn
        else
            let signal = aligned "signal"

            let size =
                if frame.ColumnKeys |> Seq.contains "size" then
                    aligned "size"
                else
                    Array.create keys.Length 15.0

            Ok
                {
                    Signal = signal |> Array.map (fun s -> if Double.IsNaN s then 0 else int s)
                    Size =
                        Array.init keys.Length (fun i ->
                            if Double.IsNaN signal[i] || Double.IsNaN size[i] then
                                0.0
                            else
                                size[i])
                }

    /// Runs a backtest from a candle frame (open, high, low, close, volume) and a signal frame (`signal`, optional
    /// `size`) on the same time index.
    let runFrame
        (settings: BacktestSettings)
        (candles: Deedle.Frame<DateTimeOffset, string>)
        (signals: Deedle.Frame<DateTimeOffset, string>)
        : Result<BacktestResult, BacktestError> =
        match Candles.ofFrame candles with
        | Error error -> Error(BacktestError.InvalidCandles error)
        | Ok columns -> signalsOfFrame columns.Time signals |> Result.map (run settings columns)

    /// The trades as a frame indexed by decision time, with columns side, price, size, outcome, is_win, fee, pnl.
    let tradesFrame (result: BacktestResult) : Deedle.Frame<DateTimeOffset, string> =
        let column (value: Trade -> float) = result.Trades |> Array.map value

        SeriesArray.frame
            (result.Trades |> Array.map (fun trade -> trade.Time))
            [
                "side", column (fun trade -> float trade.Side)
                "price", column (fun trade -> trade.Price)
                "size", column (fun trade -> trade.Size)
                "outcome", column (fun trade -> float trade.Outcome)
                "is_win", column (fun trade -> if trade.IsWin then 1.0 else 0.0)
                "fee", column (fun trade -> trade.Fee)
                "pnl", column (fun trade -> trade.Pnl)
            ]

    /// The cumulative P&L after each bar as a series over the candle times.
    let equitySeries (candles: CandleColumns) (result: BacktestResult) : Deedle.Series<DateTimeOffset, float> =
        Deedle.Series(candles.Time, result.Equity)
