/// Realistic report inputs built as Core records: a streak-reversal rule over the real BTC 4h candles,
/// settled like a Polymarket up/down market (entry at 0.50, taker fee 0.072 × p(1 − p) per share).
module PolymarketAlgo.Reports.Tests.Fixture

open System
open System.Globalization
open System.IO
open PolymarketAlgo.Core
open PolymarketAlgo.Reports

/// The seed toolkit's BTC 4h candles (9,051 bars from 2022-01-01).
let candles =
    lazy
        (let rows =
            File.ReadAllLines(PolymarketAlgo.Tests.TestHelpers.sharedPath "data/seed_toolkit/btc_4h.csv")
            |> Array.skip 1
            |> Array.map (fun line -> line.Split ',')

         let column index =
             rows
             |> Array.map (fun row -> Double.Parse(row[index], CultureInfo.InvariantCulture))

         {
             Time =
                 rows
                 |> Array.map (fun row -> DateTimeOffset.FromUnixTimeMilliseconds(int64 row[0]))
             Open = column 1
             High = column 2
             Low = column 3
             Close = column 4
             Volume = column 5
         })

let private entryPrice = 0.5
let private feeRate = 0.072
let private initialCapital = 1000.0
let private barsPerYear = 2190.0

/// Metrics of trades over a run of bars whose cumulative P&L is `equity`.
let metricsOf (trades: Trade[]) (equity: float[]) : Metrics =
    let pnl = trades |> Array.map _.Pnl
    let wins = pnl |> Array.filter (fun value -> value > 0.0)
    let losses = pnl |> Array.filter (fun value -> value <= 0.0)

    let mean (values: float[]) =
        if values.Length = 0 then 0.0 else Array.average values

    let deviation (values: float[]) =
        let average = mean values

        if values.Length = 0 then
            0.0
        else
            sqrt (values |> Array.averageBy (fun value -> (value - average) ** 2.0))

    let perBar =
        equity
        |> Array.mapi (fun index value -> if index = 0 then value else value - equity[index - 1])

    let drawdowns =
        Array.scan max Double.NegativeInfinity equity
        |> Array.tail
        |> Array.map2 (-) equity

    let maxDrawdown =
        if drawdowns.Length = 0 then
            0.0
        else
            min 0.0 (Array.min drawdowns)

    let maxDrawdownPct =
        if equity.Length = 0 then
            0.0
        else
            Array.scan max Double.NegativeInfinity equity
            |> Array.tail
            |> Array.map2 (fun value peak -> (value - peak) / (initialCapital + peak)) equity
            |> Array.min
            |> min 0.0

    let ratio numerator denominator =
        if denominator = 0.0 then 0.0 else numerator / denominator

    let downside =
        sqrt (perBar |> Array.averageBy (fun value -> (min value 0.0) ** 2.0))

    let total = Array.sum pnl

    let longestLosingStreak =
        trades
        |> Array.fold
            (fun (current, longest) trade ->
                if trade.IsWin then
                    0, longest
                else
                    current + 1, max longest (current + 1))
            (0, 0)
        |> snd

    {
        TradeCount = trades.Length
        WinRate = ratio (float wins.Length) (float trades.Length)
        TotalPnl = total
        TotalFees = trades |> Array.sumBy _.Fee
        AverageWin = mean wins
        AverageLoss = mean losses
        Expectancy = mean pnl
        ProfitFactor =
            if losses.Length = 0 then
                (if wins.Length = 0 then 0.0 else Double.PositiveInfinity)
            else
                Array.sum wins / -(Array.sum losses)
        MaxDrawdown = maxDrawdown
        MaxDrawdownPct = maxDrawdownPct
        SharpePerTrade = ratio (mean pnl) (deviation pnl) * sqrt (float pnl.Length)
        SharpeAnnualized = ratio (mean perBar) (deviation perBar) * sqrt barsPerYear
        Sortino = ratio (mean perBar) downside * sqrt barsPerYear
        Calmar = ratio (total / (float equity.Length / barsPerYear)) (abs maxDrawdown)
        LongestLosingStreak = longestLosingStreak
        Exposure = ratio (float trades.Length) (float equity.Length)
    }

/// Streak reversal over bars [start, stop): after `trigger` bars in a row closing the same way with a
/// body of at least `bodyBps` basis points, bet `size` shares on the other direction for the next bar.
let backtest (parameters: Map<string, float>) (start: int) (stop: int) : BacktestResult =
    let bars = candles.Force()
    let trigger = int parameters["trigger"]
    let bodyBps = parameters["body_bps"]
    let size = parameters["size"]

    let direction index =
        let body = (bars.Close[index] - bars.Open[index]) / bars.Open[index] * 10_000.0

        if body >= bodyBps && body > 0.0 then 1
        elif -body >= bodyBps && body < 0.0 then -1
        else 0

    let trades = ResizeArray()
    let equity = Array.zeroCreate (stop - start)
    let mutable streak = 0
    let mutable last = 0
    let mutable cumulative = 0.0

    for index in start .. stop - 1 do
        let current = direction index

        streak <-
            if current <> 0 && current = last then streak + 1
            elif current <> 0 then 1
            else 0

        last <- current

        if streak >= trigger && index + 1 < bars.Length then
            let side = -current
            let outcome = if bars.Close[index + 1] >= bars.Close[index] then 1 else -1
            let fee = size * feeRate * entryPrice * (1.0 - entryPrice)
            let isWin = side = outcome

            let pnl =
                (if isWin then
                     size * (1.0 - entryPrice)
                 else
                     -size * entryPrice)
                - fee

            cumulative <- cumulative + pnl

            trades.Add
                {
                    Index = index
                    Time = bars.Time[index]
                    Side = side
                    Price = entryPrice
                    Size = size
                    Outcome = outcome
                    IsWin = isWin
                    Fee = fee
                    Pnl = pnl
                }

        equity[index - start] <- cumulative

    let trades = trades.ToArray()

    {
        Trades = trades
        Equity = equity
        Metrics = metricsOf trades equity
    }

/// The sweep grid: trigger × body × size.
let grid =
    [|
        for trigger in 2.0 .. 7.0 do
            for body in [ 0.0; 5.0; 10.0; 20.0; 40.0 ] do
                for size in [ 5.0; 10.0 ] -> Map.ofList [ "trigger", trigger; "body_bps", body; "size", size ]
    |]

/// The in-sample choice of a walk-forward step: the best win rate (then total P&L) among combinations
/// with at least 30 trades, so that a handful of lucky trades is not chosen.
let private choose (rows: (Map<string, float> * Metrics) seq) =
    rows
    |> Seq.filter (fun (_, metrics) -> metrics.TradeCount >= 30)
    |> Seq.sortByDescending (fun (_, metrics) -> metrics.WinRate, metrics.TotalPnl)
    |> Seq.head

/// The sweep over the whole history, ranked by win rate then total P&L, with DSR and PBO (8 blocks).
let sweep =
    lazy
        (let length = candles.Force().Length

         let results =
             grid |> Array.map (fun parameters -> parameters, backtest parameters 0 length)

         let rows =
             results
             |> Array.map (fun (parameters, result) ->
                 {
                     Parameters = parameters
                     Metrics = result.Metrics
                     TradeMoments = ReturnMoments.ofArray (result.Trades |> Array.map _.Pnl)
                 })
             |> Array.sortByDescending (fun row -> row.Metrics.WinRate, row.Metrics.TotalPnl)

         let blocks = 8

         let blockMoments =
             results
             |> Array.map (fun (_, result) ->
                 Array.init blocks (fun block ->
                     result.Trades
                     |> Array.filter (fun trade -> trade.Index * blocks / length = block)
                     |> Array.map _.Pnl
                     |> ReturnMoments.ofArray))

         {
             Strategy = "streak-reversal"
             Rows = rows
             DeflatedSharpe = Overfitting.deflatedSharpe (rows |> Array.map _.TradeMoments.Sharpe) rows[0].TradeMoments
             Overfitting = Some(Overfitting.probabilityOfOverfitting blockMoments)
         })

/// Rolling walk-forward (one year of train, a quarter of test): parameters chosen on train by win rate.
let walkForward =
    lazy
        (let length = candles.Force().Length

         let steps =
             WalkForward.rolling length 2190 540 540
             |> Array.map (fun window ->
                 let parameters, inSample =
                     grid
                     |> Seq.map (fun parameters ->
                         parameters, (backtest parameters window.TrainStart window.TrainEnd).Metrics)
                     |> choose

                 let outOfSample = backtest parameters window.TestStart window.TestEnd

                 window,
                 {
                     Window = window
                     Parameters = parameters
                     InSample = inSample
                     OutOfSample = outOfSample.Metrics
                 },
                 outOfSample)

         let trades = steps |> Array.collect (fun (_, _, result) -> result.Trades)

         let equity =
             steps
             |> Array.map (fun (_, _, result) -> result.Equity)
             |> Array.fold
                 (fun (acc: float[]) next ->
                     let offset = if acc.Length = 0 then 0.0 else acc[acc.Length - 1]
                     Array.append acc (next |> Array.map ((+) offset)))
                 [||]

         {
             Mode = WalkForwardMode.Rolling
             Steps = steps |> Array.map (fun (_, step, _) -> step)
             OutOfSample = metricsOf trades equity
         })

/// The original's default streak-reversal parameters (trigger 4, every bar counts, 10 shares).
let defaults = Map.ofList [ "trigger", 4.0; "body_bps", 0.0; "size", 10.0 ]

/// The full report content: the default parameters backtested over the whole history, with the sweep
/// and the walk-forward validation.
let content =
    lazy
        (let bars = candles.Force()

         {
             Title = "Streak reversal on BTC 4h"
             Strategy = "streak-reversal"
             Parameters = defaults
             Semantics = Semantics.Polymarket
             Backtest = backtest defaults 0 bars.Length
             Times = bars.Time
             Sweep =
                 Some
                     {
                         Result = sweep.Force()
                         XParameter = "trigger"
                         YParameter = "body_bps"
                         Metric = SweepMetric.WinRate
                     }
             WalkForward = Some(walkForward.Force())
         })
