module PolymarketAlgo.Core.Tests.StreakReversalTests

open System
open Expecto
open PolymarketAlgo.Core

/// The reference closes of seed-toolkit §3.1.
let private closes =
    [|
        10.0
        11.0
        12.0
        13.0
        14.0
        13.0
        12.0
        12.0
        11.0
        10.0
        9.0
        8.0
        8.0
        9.0
    |]

let private candles (close: float[]) =
    Candles.ofCloses (DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)) (TimeSpan.FromHours 1.0) close

let private up = StreakReversal.Up
let private down = StreakReversal.Down

let private evaluate (parameters: (string * float) list) (close: float[]) =
    let signals = Signals.Create close.Length

    StreakReversal.strategy.Evaluate(
        {
            Candles = candles close
            Indicators = null
        },
        Indicator.parameters parameters,
        signals
    )

    signals

[<Tests>]
let tests =
    testList
        "StreakReversal"
        [
            testList
                "reference sequences of seed-toolkit §3.1 (trigger 3)"
                [
                    testCase "direction is +1 on a rise and −1 otherwise, row 0 and flat bars included"
                    <| fun () ->
                        Expect.equal
                            (StreakReversal.directions closes)
                            [| -1; 1; 1; 1; 1; -1; -1; -1; -1; -1; -1; -1; -1; 1 |]
                            "direction"

                    testCase "streak is the 1-based position inside the run"
                    <| fun () ->
                        Expect.equal
                            (StreakReversal.streaks closes)
                            [| 1; 1; 2; 3; 4; 1; 2; 3; 4; 5; 6; 7; 8; 1 |]
                            "streak"

                    testCase "the signal fades every bar of a run once the streak reaches the trigger"
                    <| fun () ->
                        let signals = StreakReversal.evaluate 3 15.0 closes
                        Expect.equal signals.Signal [| 0; 0; 0; -1; -1; 0; 0; 1; 1; 1; 1; 1; 1; 0 |] "signal"

                        Expect.equal
                            signals.Size
                            (signals.Signal |> Array.map (fun s -> if s = 0 then 0.0 else 15.0))
                            "size 15 on signal rows"
                ]

            testList
                "the strategy object"
                [
                    testCase "on the repo test candles (close 0..19) with defaults gives [0,0,0,0,−1×16]"
                    <| fun () ->
                        let signals = evaluate [] [| 0.0 .. 19.0 |]
                        Expect.equal signals.Signal (Array.append [| 0; 0; 0; 0 |] (Array.create 16 -1)) "signal"
                        Expect.equal signals.Size (Array.append (Array.zeroCreate 4) (Array.create 16 15.0)) "size"

                    testCase "reads trigger through int() and size as given"
                    <| fun () ->
                        let signals = evaluate [ "trigger", 3.7; "size", 12.5 ] closes
                        Expect.equal signals.Signal (StreakReversal.evaluate 3 12.5 closes).Signal "trigger 3.7 is 3"
                        Expect.equal signals.Size[3] 12.5 "size"

                    testCase "overwrites a reused destination completely"
                    <| fun () ->
                        let signals = Signals.Create closes.Length
                        Array.fill signals.Signal 0 closes.Length 7
                        Array.fill signals.Size 0 closes.Length 7.0
                        StreakReversal.evaluateInto 3 15.0 closes signals
                        Expect.equal signals.Signal (StreakReversal.evaluate 3 15.0 closes).Signal "signal"
                        Expect.equal signals.Size[0] 0.0 "size"

                    testCase "describes itself like the original"
                    <| fun () ->
                        let s = StreakReversal.strategy

                        Expect.equal
                            (s.Name, s.Description, s.Timeframe)
                            ("streak-reversal", "Reversal on directional candle streak", "5m")
                            "identity"

                        Expect.equal
                            (s.DefaultParameters |> Seq.map (fun kv -> kv.Key, kv.Value) |> List.ofSeq)
                            [ "trigger", 4.0; "size", 15.0 ]
                            "defaults"

                        Expect.equal
                            (s.ParameterGrid
                             |> Seq.map (fun r -> r.Name, List.ofArray r.Values)
                             |> List.ofSeq)
                            [ "trigger", [ 3.0; 4.0; 5.0 ]; "size", [ 10.0; 15.0; 20.0 ] ]
                            "grid"
                ]

            testList
                "legacy live helpers"
                [
                    testCase "detectStreak measures the trailing run"
                    <| fun () ->
                        Expect.equal (StreakReversal.detectStreak [ up; down; down; down ]) (3, Some down) "three downs"
                        Expect.equal (StreakReversal.detectStreak [ down; up ]) (1, Some up) "one up"
                        Expect.equal (StreakReversal.detectStreak []) (0, None) "empty"

                    testCase "bets against a streak at the trigger with the 4-streak rate"
                    <| fun () ->
                        let signal = StreakReversal.legacyEvaluate 4 [ down; up; up; up; up ]
                        Expect.isTrue signal.ShouldBet "bet"
                        Expect.equal signal.Direction (Some down) "fade the ups"
                        Expect.equal signal.StreakLength 4 "length"
                        Expect.equal signal.Confidence 0.667 "rate"

                        Expect.equal
                            signal.Reason
                            "Streak of 4x up detected. Historical reversal rate: 66.7%. Betting down."
                            "reason"

                    testCase "caps the rate lookup at a streak of 5"
                    <| fun () ->
                        let signal = StreakReversal.legacyEvaluate 3 (List.replicate 9 down)
                        Expect.equal signal.Direction (Some up) "fade the downs"
                        Expect.equal signal.Confidence 0.824 "rate of 5"

                    testCase "does not bet below the trigger"
                    <| fun () ->
                        let signal = StreakReversal.legacyEvaluate 4 [ up; up; up ]
                        Expect.isFalse signal.ShouldBet "no bet"
                        Expect.equal signal.Confidence 0.0 "confidence"
                        Expect.equal signal.Reason "Streak 3 < trigger 4" "reason"

                    testCase "has the legacy rate table"
                    <| fun () ->
                        Expect.equal
                            (Map.toList StreakReversal.reversalRates)
                            [ 2, 0.540; 3, 0.579; 4, 0.667; 5, 0.824 ]
                            "REVERSAL_RATES"

                    testCase "rejects a trigger below 2"
                    <| fun () ->
                        Expect.throwsT<ArgumentException>
                            (fun () -> StreakReversal.legacyEvaluate 1 [ up ] |> ignore)
                            "trigger 1"
                ]
        ]
