module PolymarketAlgo.Core.Tests.WalkForwardTests

open Expecto
open FsCheck
open PolymarketAlgo.Core
open PolymarketAlgo.Tests.TestHelpers

let private laws (length: int) (windows: WalkForwardWindow[]) =
    windows
    |> Array.forall (fun w ->
        w.TrainStart >= 0
        && w.TrainStart < w.TrainEnd
        && w.TrainEnd = w.TestStart
        && w.TestStart < w.TestEnd
        && w.TestEnd <= length)

[<Tests>]
let tests =
    testList
        "WalkForward"
        [
            testCase "the single split of 9051 bars is 6788 / 2263 like the original"
            <| fun () ->
                let w = WalkForward.single 9051 0.75
                Expect.equal (w.TrainEnd - w.TrainStart, w.TestEnd - w.TestStart) (6788, 2263) "sizes"

            testProp "rolling windows keep train before test, inside the history, with a fixed train size"
            <| fun (length: PositiveInt) (train: PositiveInt) (test: PositiveInt) (step: PositiveInt) ->
                let length = length.Get % 2000
                let windows = WalkForward.rolling length train.Get test.Get step.Get

                laws length windows
                && windows |> Array.forall (fun w -> w.TrainEnd - w.TrainStart = train.Get)
                && windows
                   |> Array.pairwise
                   |> Array.forall (fun (a, b) -> b.TrainStart - a.TrainStart = step.Get)

            testProp "anchored windows all start at bar 0 and grow by the step"
            <| fun (length: PositiveInt) (train: PositiveInt) (test: PositiveInt) (step: PositiveInt) ->
                let length = length.Get % 2000
                let windows = WalkForward.anchored length train.Get test.Get step.Get

                laws length windows
                && windows |> Array.forall (fun w -> w.TrainStart = 0)
                && windows
                   |> Array.pairwise
                   |> Array.forall (fun (a, b) -> b.TrainEnd - a.TrainEnd = step.Get)

            testProp "test windows of non-overlapping rolling steps never overlap"
            <| fun (length: PositiveInt) (train: PositiveInt) (test: PositiveInt) ->
                let length = length.Get % 3000
                let windows = WalkForward.rolling length train.Get test.Get test.Get

                windows
                |> Array.pairwise
                |> Array.forall (fun (a, b) -> a.TestEnd <= b.TestStart)

            testCase "rolling windows of a small history are laid out exactly"
            <| fun () ->
                let windows = WalkForward.rolling 10 4 2 2

                Expect.equal
                    (windows |> Array.map (fun w -> w.TrainStart, w.TrainEnd, w.TestEnd))
                    [| 0, 4, 6; 2, 6, 8; 4, 8, 10 |]
                    "windows"

            testCase
                "the single split of btc_4h.csv picks the original's train-sweep winner and scores it on the test rows"
            <| fun () ->
                let candles = BacktestTests.seedCandles "btc_4h.csv"
                let windows = [| WalkForward.single candles.Length 0.75 |]
                let grid = StreakReversal.strategy.ParameterGrid

                let result =
                    WalkForward.run
                        Backtest.seedSettings
                        { Sweep.defaultSettings with
                            MaxDegreeOfParallelism = 2
                        }
                        StreakReversal.strategy
                        candles
                        grid
                        WalkForwardMode.Single
                        windows

                let step = result.Steps[0]
                Expect.equal step.Parameters (Map.ofList [ "trigger", 4.0; "size", 20.0 ]) "chosen on train"
                close 1e-6 step.InSample.WinRate 0.582474 "in-sample win rate"
                close 1e-9 step.InSample.TotalPnl 621.0 "in-sample pnl"

                let signals =
                    match Strategy.evaluate StreakReversal.strategy candles step.Parameters with
                    | Ok signals -> signals
                    | Error error -> failtest $"{error}"

                let test = Backtest.runBetween Backtest.seedSettings candles signals 6788 9051
                Expect.equal step.OutOfSample test.Metrics "out-of-sample = backtest of the test rows"
                Expect.equal result.OutOfSample test.Metrics "one window aggregates to itself"

            testProp "out-of-sample P&L is the sum of the test windows' P&L and never uses bars after the last window"
            <| fun (seed: int) ->
                let random = System.Random(seed)
                let closes = Array.init 1200 (fun _ -> 100.0 + float (random.Next(0, 5)))
                let start = System.DateTimeOffset(2024, 1, 1, 0, 0, 0, System.TimeSpan.Zero)
                let candles = Candles.ofCloses start (System.TimeSpan.FromMinutes 5.0) closes
                let windows = WalkForward.rolling 1000 300 100 100
                let grid = StreakReversal.strategy.ParameterGrid

                let run candles =
                    WalkForward.run
                        Backtest.defaultSettings
                        Sweep.defaultSettings
                        StreakReversal.strategy
                        candles
                        grid
                        WalkForwardMode.Rolling
                        windows

                let result = run candles
                let changed = Array.append closes[..999] (Array.init 200 (fun i -> float i))
                let rerun = run (Candles.ofCloses start (System.TimeSpan.FromMinutes 5.0) changed)
                let summed = result.Steps |> Array.sumBy (fun step -> step.OutOfSample.TotalPnl)

                abs (result.OutOfSample.TotalPnl - summed) < 1e-9
                && result.OutOfSample.TradeCount =
                    (result.Steps |> Array.sumBy (fun step -> step.OutOfSample.TradeCount))
                && rerun = result

            testCase "a window size below one bar is misuse"
            <| fun () ->
                Expect.throwsT<System.ArgumentException> (fun () -> WalkForward.rolling 10 0 2 2 |> ignore) "train 0"
        ]
