module PolymarketAlgo.Core.Tests.OutcomeBacktestTests

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open PolymarketAlgo.Core
open PolymarketAlgo.Tests.TestHelpers
open PolymarketAlgo.Core.Tests.NativeData

let private fiveMinutes = TimeSpan.FromMinutes 5.0
let private t0 = DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)

let private window (minutes: int) (outcome: int) (price: float) =
    {
        Start = t0.AddMinutes(float minutes)
        Outcome = outcome
        UpPrice = price
    }

let private streak (trigger: float) (size: float) =
    Map [ "trigger", trigger; "size", size ]

let private runStreak (windows: HistoryWindow[]) (trigger: int) (size: float) =
    let series = OutcomeBacktest.series fiveMinutes windows

    match OutcomeBacktest.run Backtest.defaultSettings series StreakReversal.strategy (streak (float trigger) size) with
    | Ok result -> result
    | Error error -> failwithf "%A" error

/// A history of 1–300 windows: each slot is resolved Up or Down, unresolved, or missing.
let private histories =
    Gen.elements [ 1; 1; 1; 1; -1; -1; -1; -1; 0; 2 ]
    |> Gen.arrayOf
    |> Gen.map (fun slots ->
        [|
            for i in 0 .. slots.Length - 1 do
                if slots[i] <> 2 then
                    {
                        Start = t0.AddMinutes(5.0 * float i)
                        Outcome = slots[i]
                        UpPrice = Double.NaN
                    }
        |])
    |> Arb.fromGen

let private asPairs (windows: HistoryWindow[]) =
    windows
    |> Array.filter (fun w -> w.Outcome <> 0)
    |> Array.map (fun w -> w.Start.ToUnixTimeSeconds(), w.Outcome)

[<Tests>]
let tests =
    testList
        "OutcomeBacktest"
        [
            testCase "a history with a gap and an unresolved window becomes three anchored segments"
            <| fun () ->
                let windows =
                    [|
                        window 0 1 nan
                        window 5 -1 nan
                        window 15 1 nan
                        window 20 0 nan
                        window 25 -1 nan
                        window 30 -1 nan
                    |]

                let series = OutcomeBacktest.series fiveMinutes windows

                Expect.equal
                    series.Candles.Time
                    [| for m in [ -5; 0; 5; 10; 15; 20; 25; 30 ] -> t0.AddMinutes(float m) |]
                    "bar times: an anchor one window before each segment"

                Expect.equal
                    series.Candles.Close
                    [| 0.0; 1.0; 0.0; 0.0; 1.0; 1.0; 0.0; -1.0 |]
                    "closes step with outcomes"

                Expect.equal series.Candles.Open [| 0.0; 0.0; 1.0; 0.0; 0.0; 1.0; 1.0; 0.0 |] "open = previous close"

                Expect.equal
                    [ for s in series.Segments -> s.AnchorBar, s.EndBar, s.Windows ]
                    [ 0, 3, 2; 3, 5, 1; 5, 8, 2 ]
                    "segments"

                Expect.equal
                    series.Gaps
                    [|
                        {
                            After = t0.AddMinutes 5.0
                            Before = t0.AddMinutes 15.0
                            MissingWindows = 1
                        }
                    |]
                    "the missing 00:10 window"

                Expect.equal series.Unresolved [| t0.AddMinutes 20.0 |] "the unresolved 00:20 window"
                Expect.equal (series.UpWindows, series.DownWindows, series.PricedWindows) (2, 3, 0) "counts"

                let prices = OutcomeBacktest.entryPrices series 0.5

                Expect.equal
                    (prices |> Array.map (fun p -> if Double.IsNaN p then -1.0 else p))
                    [| 0.5; 0.5; -1.0; 0.5; -1.0; 0.5; 0.5; -1.0 |]
                    "the last bar of every segment is never priced"

            testProp "inside a segment the close steps by the outcome of the next bar's window"
            <| Prop.forAll histories (fun windows ->
                let series = OutcomeBacktest.series fiveMinutes windows
                let close = series.Candles.Close
                let resolved = windows |> Array.filter (fun w -> w.Outcome <> 0)
                let byStart = OutcomeBacktest.barsByStart series

                series.Windows = resolved.Length
                && byStart.Count = resolved.Length
                && resolved
                   |> Array.forall (fun w ->
                       let t = byStart[w.Start]
                       close[t] - close[t - 1] = float w.Outcome)
                && series.Segments
                   |> Array.forall (fun s ->
                       s.LastWindow - s.FirstWindow = TimeSpan.FromTicks(fiveMinutes.Ticks * int64 (s.Windows - 1))))

            testProp "streak reversal over outcomes makes exactly the bets counted directly over the outcome list"
            <| Prop.forAll histories (fun windows ->
                [ 1..5 ]
                |> List.forall (fun trigger ->
                    let result = runStreak windows trigger 15.0

                    let trades, wins, pnl =
                        streakBets trigger 15.0 0.5 Fees.CryptoTakerRate (asPairs windows)

                    result.Metrics.TradeCount = trades
                    && (result.Trades |> Array.filter (fun t -> t.IsWin)).Length = wins
                    && abs (result.Metrics.TotalPnl - pnl) < 1e-9))

            testCase "a recorded Up price prices the bet on its window"
            <| fun () ->
                let result =
                    runStreak [| window 0 -1 nan; window 5 -1 nan; window 10 1 0.3 |] 2 10.0

                let trade = Expect.wantSome (Array.tryExactlyOne result.Trades) "one bet"
                Expect.equal (trade.Side, trade.Outcome, trade.IsWin) (1, 1, true) "bets Up after two Downs and wins"
                close 1e-12 trade.Price 0.3 "the recorded price"
                // 10 shares win 1 − 0.3 each; the fee is 10 × 0.072 × 0.3 × 0.7 = 0.1512.
                close 1e-12 trade.Pnl 6.8488 "P&L"

            testCase "a settlement price of 1 is refused as an entry price"
            <| fun () ->
                Expect.throwsT<ArgumentException>
                    (fun () -> OutcomeBacktest.series fiveMinutes [| window 0 1 1.0 |] |> ignore)
                    "price 1"

            testCase "the wrapped strategy refuses candles other than its series'"
            <| fun () ->
                let series = OutcomeBacktest.series fiveMinutes [| window 0 1 nan; window 5 1 nan |]
                let wrapped = OutcomeBacktest.strategy series StreakReversal.strategy
                let other = Candles.ofCloses t0 fiveMinutes [| 1.0; 2.0; 3.0 |]

                Expect.throwsT<ArgumentException>
                    (fun () -> Strategy.evaluate wrapped other Map.empty |> ignore)
                    "other candles"

            testCase "seed semantics are refused: they would trade across a gap"
            <| fun () ->
                let series = OutcomeBacktest.series fiveMinutes [| window 0 1 nan |]

                Expect.throwsT<ArgumentException>
                    (fun () -> OutcomeBacktest.settings series Backtest.seedSettings |> ignore)
                    "seed"

            testSequenced
            <| testList
                "felixdoteth outcomes"
                [
                    testCase "hold 20,928 windows, 10,628 Up, with 9 gaps of 4,651 missing windows"
                    <| fun () ->
                        let series = OutcomeBacktest.series fiveMinutes felixWindows.Value

                        Expect.equal
                            (series.Windows, series.UpWindows, series.DownWindows)
                            (20928, 10628, 10300)
                            "windows"

                        Expect.equal (series.Gaps.Length, series.MissingWindows) (9, 4651) "gaps"
                        Expect.equal series.Segments.Length 10 "segments"
                        Expect.equal series.Candles.Length (20928 + 10) "one bar per window and an anchor per segment"
                        Expect.isEmpty series.Unresolved "every window resolved"

                    testCase "streak reversal with triggers 3, 4 and 5 matches the bets counted directly"
                    <| fun () ->
                        for trigger in [ 3; 4; 5 ] do
                            let result = runStreak felixWindows.Value trigger 15.0

                            let trades, wins, pnl =
                                streakBets trigger 15.0 0.5 Fees.CryptoTakerRate felixOutcomes.Value

                            Expect.equal result.Metrics.TradeCount trades $"trigger {trigger}: trades"

                            close
                                1e-12
                                result.Metrics.WinRate
                                (float wins / float trades)
                                $"trigger {trigger}: win rate"

                            close 1e-6 result.Metrics.TotalPnl pnl $"trigger {trigger}: P&L"

                    testCase "a single walk-forward split scores the test windows' bets"
                    <| fun () ->
                        let series = OutcomeBacktest.series fiveMinutes felixWindows.Value
                        let split = WalkForward.single series.Candles.Length 0.75

                        let result =
                            OutcomeBacktest.walkForward
                                Backtest.defaultSettings
                                Sweep.defaultSettings
                                series
                                StreakReversal.strategy
                                StreakReversal.strategy.ParameterGrid
                                WalkForwardMode.Single
                                [| split |]

                        let chosen = result.Steps[0].Parameters
                        let testStart = series.Candles.Time[split.TestStart]

                        let expected =
                            streakBetList
                                (int chosen["trigger"])
                                chosen["size"]
                                0.5
                                Fees.CryptoTakerRate
                                felixOutcomes.Value
                            |> Array.filter (fun (start, _, _) -> DateTimeOffset.FromUnixTimeSeconds start >= testStart)

                        Expect.equal result.OutOfSample.TradeCount expected.Length "out-of-sample bets"
                        close 1e-6 result.OutOfSample.TotalPnl (expected |> Array.sumBy (fun (_, _, p) -> p)) "P&L"

                    testCase "a sweep of the streak grid ranks every combination by its direct count"
                    <| fun () ->
                        let series = OutcomeBacktest.series fiveMinutes felixWindows.Value

                        let first =
                            OutcomeBacktest.sweep
                                Backtest.defaultSettings
                                Sweep.defaultSettings
                                series
                                StreakReversal.strategy
                                StreakReversal.strategy.ParameterGrid

                        for row in first.Rows do
                            let trades, wins, _ =
                                streakBets
                                    (int row.Parameters["trigger"])
                                    row.Parameters["size"]
                                    0.5
                                    Fees.CryptoTakerRate
                                    felixOutcomes.Value

                            Expect.equal row.Metrics.TradeCount trades "trades"
                            close 1e-12 row.Metrics.WinRate (float wins / float trades) "win rate"

                        Expect.isTrue
                            (first.Rows
                             |> Array.pairwise
                             |> Array.forall (fun (a, b) -> Sweep.compare RankKey.WinRate a.Metrics b.Metrics <= 0))
                            "ranked by win rate, then P&L"

                        let top = first.Rows[0]

                        let trades, _, pnl =
                            streakBets
                                (int top.Parameters["trigger"])
                                top.Parameters["size"]
                                0.5
                                Fees.CryptoTakerRate
                                felixOutcomes.Value

                        Expect.equal top.Metrics.TradeCount trades "the best row's trades"
                        close 1e-6 top.Metrics.TotalPnl pnl "the best row's P&L"
                ]
        ]
