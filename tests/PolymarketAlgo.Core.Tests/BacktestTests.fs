module PolymarketAlgo.Core.Tests.BacktestTests

open System
open System.Globalization
open System.IO
open Deedle
open Expecto
open PolymarketAlgo.Core
open PolymarketAlgo.Tests.TestHelpers

let private start = DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)

let private candles (close: float[]) =
    Candles.ofCloses start (TimeSpan.FromHours 1.0) close

/// Reads a seed-toolkit CSV (open_time in ms, open, high, low, close, volume, close_time) from the shared data.
let seedCandles (file: string) =
    let rows =
        File.ReadAllLines(sharedPath $"data/seed_toolkit/{file}")
        |> Array.skip 1
        |> Array.map (fun line -> line.Split ',')

    let column (i: int) =
        rows
        |> Array.map (fun row -> Double.Parse(row[i], CultureInfo.InvariantCulture))

    Candles.ofArrays
        (rows
         |> Array.map (fun row -> DateTimeOffset.FromUnixTimeMilliseconds(Int64.Parse row[0])))
        (column 1)
        (column 2)
        (column 3)
        (column 4)
        (column 5)

let private btc = lazy (seedCandles "btc_4h.csv")
let private eth = lazy (seedCandles "eth_4h.csv")

/// Signals of one strategy with parameters, through the registry.
let private signalsOf (strategy: IStrategy) (candles: CandleColumns) (parameters: (string * float) list) =
    match Strategy.evaluate strategy candles (Map.ofList parameters) with
    | Ok signals -> signals
    | Result.Error error -> failwith $"{error}"

let private constant (n: int) (signal: int) (size: float) =
    {
        Signal = Array.create n signal
        Size = Array.create n size
    }

/// The original's metrics dict: win_rate, total_pnl, max_drawdown, sharpe_ratio, trade_count.
let private expectSeed (m: Metrics) winRate totalPnl maxDrawdown sharpe trades (tolerance: float) =
    Expect.equal m.TradeCount trades "trade_count"
    close tolerance m.WinRate winRate "win_rate"
    close 1e-9 m.TotalPnl totalPnl "total_pnl"
    close 1e-9 m.MaxDrawdown maxDrawdown "max_drawdown"
    close tolerance m.SharpePerTrade sharpe "sharpe_ratio"

/// Closes from small integers: a walk that moves by the integer (0 is a flat bar).
let private walk (steps: int[]) =
    steps |> Array.scan (fun price step -> price + float (step % 5)) 100.0

/// Signals from integers: −1, 0 or +1 with a size of 1..10.
let private randomSignals (n: int) (seeds: int[]) =
    let pick i =
        if seeds.Length = 0 then 0 else seeds[i % seeds.Length]

    {
        Signal = Array.init n (fun i -> (abs (pick i) % 3) - 1)
        Size = Array.init n (fun i -> float (1 + abs (pick (i + 1)) % 10))
    }

let private polymarket = Backtest.defaultSettings

[<Tests>]
let tests =
    testList
        "Backtest"
        [
            testList
                "seed semantics: reference results of seed-toolkit §5.5"
                [
                    testCase "the repo test: always up, size 10, on closes 100..149"
                    <| fun () ->
                        let result =
                            Backtest.run Backtest.seedSettings (candles [| 100.0 .. 149.0 |]) (constant 50 1 10.0)

                        expectSeed result.Metrics 0.98 215.5 -5.0 22.91451298431594 50 1e-12
                        Expect.isFalse result.Trades[49].IsWin "the last bar is traded and resolves Down"

                    testCase "streak reversal with defaults on the closes 0..19"
                    <| fun () ->
                        let c = candles [| 0.0 .. 19.0 |]

                        let m =
                            Backtest.metrics Backtest.seedSettings c (signalsOf StreakReversal.strategy c [])

                        expectSeed m 0.0625 -105.75 -112.5 -7.664430200915731 16 1e-12

                ]

            testSequenced
            <| testList
                "seed semantics on the seed toolkit's BTC and ETH 4h files (seed-toolkit §5.5)"
                [
                    for trigger, winRate, pnl, maxDrawdown, sharpe, trades in
                        [
                            3, 0.5658956428, 1048.5, -167.25, 3.443092006, 1859
                            4, 0.5620347395, 410.25, -136.5, 2.043924232, 806
                            5, 0.5580736544, 159.75, -84.75, 1.201483865, 353
                        ] do
                        testCase $"streak reversal trigger {trigger} on btc_4h.csv"
                        <| fun () ->
                            let c = btc.Force()
                            Expect.equal c.Length 9051 "bars"
                            let signals = signalsOf StreakReversal.strategy c [ "trigger", float trigger ]

                            expectSeed
                                (Backtest.metrics Backtest.seedSettings c signals)
                                winRate
                                pnl
                                maxDrawdown
                                sharpe
                                trades
                                1e-9

                    testCase "streak reversal trigger 4, size 20 on the btc_4h.csv train split (6788 rows)"
                    <| fun () ->
                        let c = btc.Force()

                        let train =
                            {
                                Time = c.Time[..6787]
                                Open = c.Open[..6787]
                                High = c.High[..6787]
                                Low = c.Low[..6787]
                                Close = c.Close[..6787]
                                Volume = c.Volume[..6787]
                            }

                        let signals =
                            signalsOf StreakReversal.strategy train [ "trigger", 4.0; "size", 20.0 ]

                        let m = Backtest.metrics Backtest.seedSettings train signals
                        Expect.equal m.TradeCount 582 "trades"
                        close 5e-7 m.WinRate 0.582474 "win_rate"
                        close 1e-9 m.TotalPnl 621.0 "total_pnl"
                        close 5e-7 m.SharpePerTrade 2.747239 "sharpe"

                    testCase "streak reversal with defaults on eth_4h.csv"
                    <| fun () ->
                        let c = eth.Force()
                        let signals = signalsOf StreakReversal.strategy c []

                        expectSeed
                            (Backtest.metrics Backtest.seedSettings c signals)
                            0.5452513966
                            241.5
                            -249.0
                            1.1376447652
                            895
                            1e-9

                    testCase "candle direction with defaults and the intended RSI on btc_4h.csv"
                    <| fun () ->
                        let c = btc.Force()
                        let signals = signalsOf CandleDirection.strategy c []

                        let count predicate =
                            signals.Signal |> Array.indexed |> Array.filter predicate |> Array.length

                        Expect.equal (count (fun (_, s) -> s = 1)) 2572 "long"
                        Expect.equal (count (fun (_, s) -> s = -1)) 2534 "short"
                        Expect.equal (count (fun (i, s) -> s <> 0 && signals.Size[i] = 20.0)) 2949 "size 20"
                        Expect.equal (count (fun (i, s) -> s <> 0 && signals.Size[i] = 15.0)) 2157 "size 15"
                        let result = Backtest.run Backtest.seedSettings c signals
                        expectSeed result.Metrics 0.4954955 -2637.25 -2735.25 -4.3030631 5106 5e-8
                ]

            testList
                "Polymarket semantics: hand-computed cases"
                [
                    testCase "a tie resolves Up, the last bar is never traded and the fee is paid at entry"
                    <| fun () ->
                        let result =
                            Backtest.run polymarket (candles [| 1.0; 2.0; 2.0; 1.0; 3.0 |]) (constant 5 1 10.0)
                        // fee = 10 × 0.072 × 0.5 × 0.5 = 0.18; a win makes 10 × 0.5 − 0.18, a loss −10 × 0.5 − 0.18.
                        Expect.equal (result.Trades |> Array.map (fun t -> t.Index)) [| 0; 1; 2; 3 |] "bars traded"
                        Expect.equal (result.Trades |> Array.map (fun t -> t.Outcome)) [| 1; 1; -1; 1 |] "outcomes"

                        for t in result.Trades do
                            close 1e-12 t.Fee 0.18 $"fee at bar {t.Index}"

                        close 1e-12 result.Trades[1].Pnl 4.82 "tie wins for Up"
                        close 1e-12 result.Trades[2].Pnl -5.18 "loss"
                        close 1e-12 result.Metrics.TotalPnl 9.28 "total"
                        close 1e-12 result.Metrics.TotalFees 0.72 "fees"
                        close 1e-12 result.Equity[4] 9.28 "equity after the last bar"
                        close 1e-12 result.Metrics.MaxDrawdown -5.18 "drawdown"

                    testCase "a Down bet costs 1 − the Up price and a NaN price skips the bar"
                    <| fun () ->
                        let settings =
                            { polymarket with
                                EntryPrices = Some [| 0.6; nan; 0.6; 0.6; 0.6 |]
                            }

                        let result =
                            Backtest.run settings (candles [| 1.0; 2.0; 2.0; 1.0; 3.0 |]) (constant 5 -1 10.0)
                        // Down costs 0.4; fee = 10 × 0.072 × 0.4 × 0.6 = 0.1728.
                        Expect.equal (result.Trades |> Array.map (fun t -> t.Index)) [| 0; 2; 3 |] "bars traded"
                        Expect.equal (result.Trades |> Array.map (fun t -> t.Price)) [| 0.4; 0.4; 0.4 |] "price"
                        close 1e-12 result.Trades[0].Pnl -4.1728 "loss"
                        close 1e-12 result.Trades[1].Pnl 5.8272 "win"
                        close 1e-12 result.Metrics.TotalPnl -2.5184 "total"

                    testCase "a first-bar loss is a drawdown from the starting equity"
                    <| fun () ->
                        let result =
                            Backtest.run polymarket (candles [| 2.0; 1.0; 2.0 |]) (constant 3 1 10.0)

                        close 1e-12 result.Metrics.MaxDrawdown -5.18 "drawdown"
                        close 1e-12 result.Metrics.MaxDrawdownPct -0.00518 "percentage of 1000"

                    testCase "the seed settings buy at 0.50 and pay 0.95 without fee"
                    <| fun () ->
                        let s = Backtest.seedSettings

                        Expect.equal
                            (s.Semantics, s.EntryPrice, s.WinPayout, s.FeeRate)
                            (Semantics.Seed, 0.5, 0.95, 0.0)
                            "seed"

                        let d = Backtest.defaultSettings

                        Expect.equal
                            (d.Semantics, d.EntryPrice, d.FeeRate, d.FeeExponent)
                            (Semantics.Polymarket, 0.5, 0.072, 1.0)
                            "default"

                        Expect.equal (d.BarsPerYear, d.InitialCapital) (105120.0, 1000.0) "scale"

                    testCase "a range outside the candles is misuse"
                    <| fun () ->
                        Expect.throwsT<ArgumentException>
                            (fun () ->
                                Backtest.metricsBetween polymarket (candles [| 1.0; 2.0 |]) (constant 2 1 1.0) 1 3
                                |> ignore)
                            "range"

                    testCase "signals of the wrong length are misuse"
                    <| fun () ->
                        Expect.throwsT<ArgumentException>
                            (fun () -> Backtest.run polymarket (candles [| 1.0; 2.0 |]) (constant 3 1 1.0) |> ignore)
                            "length"
                ]

            testList
                "laws"
                [
                    testProp "P&L is the sum of the trades' P&L and the equity ends there"
                    <| fun (steps: int[]) (seeds: int[]) ->
                        let c = candles (walk steps)
                        let result = Backtest.run polymarket c (randomSignals c.Length seeds)
                        let sum = result.Trades |> Array.sumBy (fun t -> t.Pnl)

                        abs (result.Metrics.TotalPnl - sum) <= 1e-9
                        && abs (result.Equity[result.Equity.Length - 1] - sum) <= 1e-9

                    testProp "fees are never negative, and zero under the seed semantics"
                    <| fun (steps: int[]) (seeds: int[]) ->
                        let c = candles (walk steps)
                        let signals = randomSignals c.Length seeds
                        let polymarketTrades = (Backtest.run polymarket c signals).Trades
                        let seedTrades = (Backtest.run Backtest.seedSettings c signals).Trades

                        polymarketTrades |> Array.forall (fun t -> t.Fee >= 0.0)
                        && seedTrades |> Array.forall (fun t -> t.Fee = 0.0)

                    testProp "the last bar is never traded under Polymarket semantics and always under the seed's"
                    <| fun (steps: int[]) ->
                        let c = candles (walk steps)
                        let signals = constant c.Length 1 1.0
                        let last = c.Length - 1
                        let polymarketTrades = (Backtest.run polymarket c signals).Trades
                        let seedTrades = (Backtest.run Backtest.seedSettings c signals).Trades

                        polymarketTrades |> Array.forall (fun t -> t.Index < last)
                        && seedTrades[seedTrades.Length - 1].Index = last

                    testProp "the fast metrics equal the full run's, with fixed, per-bar and missing prices"
                    <| fun (steps: int[]) (seeds: int[]) ->
                        let c = candles (walk steps)
                        let signals = randomSignals c.Length seeds

                        let prices =
                            Array.init c.Length (fun i ->
                                let v = if seeds.Length = 0 then 1 else seeds[i % seeds.Length]
                                if v % 5 = 0 then nan else float (1 + abs v % 99) / 100.0)

                        [
                            polymarket
                            { polymarket with
                                EntryPrices = Some prices
                            }
                            { polymarket with
                                FeeExponent = 2.0
                                FeeRate = 0.25
                                EntryPrice = 0.3
                            }
                            Backtest.seedSettings
                        ]
                        |> List.forall (fun settings ->
                            Backtest.metrics settings c signals = (Backtest.run settings c signals).Metrics)

                    testProp "a range backtests as if it were the whole data, and its fast metrics equal the full run's"
                    <| fun (steps: int[]) (seeds: int[]) (a: int) (b: int) ->
                        let c = candles (walk steps)
                        let signals = randomSignals c.Length seeds

                        let cut (x: int) =
                            ((x % (c.Length + 1)) + c.Length + 1) % (c.Length + 1)

                        let start, finish = min (cut a) (cut b), max (cut a) (cut b)

                        let slice =
                            {
                                Time = c.Time[start .. finish - 1]
                                Open = c.Open[start .. finish - 1]
                                High = c.High[start .. finish - 1]
                                Low = c.Low[start .. finish - 1]
                                Close = c.Close[start .. finish - 1]
                                Volume = c.Volume[start .. finish - 1]
                            }

                        let sliceSignals =
                            {
                                Signal = signals.Signal[start .. finish - 1]
                                Size = signals.Size[start .. finish - 1]
                            }

                        [ polymarket; Backtest.seedSettings ]
                        |> List.forall (fun settings ->
                            let ranged = Backtest.runBetween settings c signals start finish
                            let whole = Backtest.run settings slice sliceSignals

                            ranged.Metrics = whole.Metrics
                            && Backtest.metricsBetween settings c signals start finish = ranged.Metrics
                            && (ranged.Trades |> Array.map (fun t -> t.Index - start)) =
                                (whole.Trades |> Array.map (fun t -> t.Index))
                            && ranged.Equity = whole.Equity)

                    testProp "combining consecutive ranges pools their trades and P&L"
                    <| fun (steps: int[]) (seeds: int[]) (a: int) ->
                        let c = candles (walk steps)
                        let signals = randomSignals c.Length seeds
                        let k = ((a % (c.Length + 1)) + c.Length + 1) % (c.Length + 1)
                        let first = Backtest.runBetween polymarket c signals 0 k
                        let second = Backtest.runBetween polymarket c signals k c.Length
                        let combined = Backtest.combine polymarket [| first; second |]
                        let alone = Backtest.combine polymarket [| Backtest.run polymarket c signals |]

                        combined.TradeCount = first.Metrics.TradeCount + second.Metrics.TradeCount
                        && abs (combined.TotalPnl - (first.Metrics.TotalPnl + second.Metrics.TotalPnl))
                           <= 1e-9
                        && abs (alone.MaxDrawdown - (Backtest.run polymarket c signals).Metrics.MaxDrawdown)
                           <= 1e-9

                    testProp "strategies do not look ahead: changing bars after t never changes signals up to t"
                    <| fun (steps: int[]) (cut: int) (replacement: int[]) ->
                        let close = walk (Array.append steps (Array.create 40 1))
                        let t = ((cut % close.Length) + close.Length) % close.Length

                        let changed =
                            Array.append close[0..t] (walk replacement |> Array.map (fun p -> p * 1.5))

                        Strategy.builtIn
                        |> List.forall (fun strategy ->
                            let before = signalsOf strategy (candles close) []
                            let after = signalsOf strategy (candles changed) []
                            before.Signal[0..t] = after.Signal[0..t] && before.Size[0..t] = after.Size[0..t])
                ]

            testList
                "Deedle edge"
                [
                    testCase "runs from a candle frame and a signal frame, aligning signals to the candles"
                    <| fun () ->
                        let c = candles [| 1.0; 2.0; 2.0; 1.0; 3.0 |]

                        let signalFrame =
                            Frame.ofColumns [ "signal", Series(c.Time[0..2], [ 1.0; 1.0; -1.0 ]) ]

                        match Backtest.runFrame polymarket (Candles.toFrame c) signalFrame with
                        | Ok result ->
                            Expect.equal
                                (result.Trades |> Array.map (fun t -> t.Index, t.Side, t.Size))
                                [| 0, 1, 15.0; 1, 1, 15.0; 2, -1, 15.0 |]
                                "trades (size 15 by default)"

                            let trades = Backtest.tradesFrame result

                            Expect.equal
                                (List.ofSeq trades.ColumnKeys)
                                [ "side"; "price"; "size"; "outcome"; "is_win"; "fee"; "pnl" ]
                                "columns"

                            Expect.equal (trades.GetColumn<float>("pnl").Get(c.Time[2])) result.Trades[2].Pnl "pnl"
                            Expect.equal ((Backtest.equitySeries c result).Get(c.Time[4])) result.Equity[4] "equity"
                        | Result.Error error -> failtest $"{error}"

                    testCase "reports a signal frame without a signal column"
                    <| fun () ->
                        let c = candles [| 1.0; 2.0 |]
                        let signalFrame = Frame.ofColumns [ "size", Series(c.Time, [ 1.0; 1.0 ]) ]

                        Expect.equal
                            (Backtest.runFrame polymarket (Candles.toFrame c) signalFrame)
                            (Result.Error BacktestError.MissingSignalColumn)
                            "missing signal"
                ]
        ]
