module PolymarketAlgo.Core.Tests.StrategyTests

open System
open Deedle
open Expecto
open PolymarketAlgo.Core

let private start = DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)

let private candles (close: float[]) =
    Candles.ofCloses start (TimeSpan.FromMinutes 5.0) close

let private range (name: string) (values: float list) =
    {
        Name = name
        Values = Array.ofList values
    }

[<Tests>]
let tests =
    testList
        "Strategy"
        [
            testList
                "registry"
                [
                    testCase "holds the two built-in strategies in order"
                    <| fun () ->
                        Expect.equal
                            (Strategy.builtIn |> List.map (fun s -> s.Name))
                            [ "streak-reversal"; "candle-direction" ]
                            "names"

                    testCase "finds a strategy by name and reports an unknown one"
                    <| fun () ->
                        Expect.equal
                            (Strategy.tryFind "candle-direction" |> Option.map (fun s -> s.Name))
                            (Some "candle-direction")
                            "found"

                        Expect.isNone (Strategy.tryFind "streak_reversal") "the Python name is not registered"

                        match Strategy.find "momentum" with
                        | Result.Error error -> Expect.equal error (StrategyError.UnknownStrategy "momentum") "error"
                        | Ok _ -> failtest "momentum is not a built-in strategy"
                ]

            testList
                "evaluate"
                [
                    testCase "fills missing parameters with defaults"
                    <| fun () ->
                        match Strategy.evaluate StreakReversal.strategy (candles [| 0.0 .. 19.0 |]) Map.empty with
                        | Ok signals ->
                            Expect.equal
                                signals.Signal
                                (Array.append (Array.zeroCreate 4) (Array.create 16 -1))
                                "signal"
                        | Result.Error error -> failtest $"{error}"

                    testCase "applies the given parameters"
                    <| fun () ->
                        match
                            Strategy.evaluate
                                StreakReversal.strategy
                                (candles [| 0.0 .. 19.0 |])
                                (Map.ofList [ "trigger", 10.0; "size", 20.0 ])
                        with
                        | Ok signals ->
                            Expect.equal (signals.Signal |> Array.filter ((<>) 0) |> Array.length) 10 "bars 10..19"
                            Expect.equal signals.Size[19] 20.0 "size"
                        | Result.Error error -> failtest $"{error}"

                    testCase "rejects an unknown parameter name"
                    <| fun () ->
                        Expect.equal
                            (Strategy.evaluate
                                CandleDirection.strategy
                                (candles [| 1.0; 2.0 |])
                                (Map.ofList [ "ema_fastest", 3.0 ]))
                            (Result.Error(StrategyError.UnknownParameter("candle-direction", "ema_fastest")))
                            "unknown"
                ]

            testList
                "gridCombinations"
                [
                    testCase "varies the first parameter slowest, like itertools.product"
                    <| fun () ->
                        let combinations =
                            Strategy.gridCombinations
                                [| range "trigger" [ 3.0; 4.0 ]; range "size" [ 10.0; 15.0; 20.0 ] |]

                        Expect.equal
                            (combinations |> Array.map (fun c -> c["trigger"], c["size"]))
                            [| 3.0, 10.0; 3.0, 15.0; 3.0, 20.0; 4.0, 10.0; 4.0, 15.0; 4.0, 20.0 |]
                            "order"

                    testCase "gives one empty combination for an empty grid and none for an empty range"
                    <| fun () ->
                        Expect.equal (Strategy.gridCombinations [||]) [| Map.empty |] "empty grid"
                        Expect.isEmpty (Strategy.gridCombinations [| range "a" [ 1.0 ]; range "b" [] |]) "empty range"

                    testCase "covers the streak grid with 9 combinations starting at trigger 3, size 10"
                    <| fun () ->
                        let combinations = Strategy.gridCombinations StreakReversal.strategy.ParameterGrid
                        Expect.equal combinations.Length 9 "count"
                        Expect.equal combinations[0] (Map.ofList [ "trigger", 3.0; "size", 10.0 ]) "first"
                        Expect.equal combinations[8] (Map.ofList [ "trigger", 5.0; "size", 20.0 ]) "last"
                ]

            testList
                "evaluateFrame"
                [
                    testCase "returns signal and size columns on the candles' index"
                    <| fun () ->
                        let frame = Candles.toFrame (candles [| 0.0 .. 19.0 |])

                        match Strategy.evaluateFrame StreakReversal.strategy frame Map.empty with
                        | Ok signals ->
                            Expect.equal (List.ofSeq signals.ColumnKeys) [ "signal"; "size" ] "columns"
                            Expect.equal (List.ofSeq signals.RowKeys) (List.ofSeq frame.RowKeys) "index"

                            Expect.equal
                                (signals.GetColumn<float>("signal").Get(start.AddMinutes 95.0))
                                -1.0
                                "last signal"

                            Expect.equal (signals.GetColumn<float>("size").Get(start)) 0.0 "first size"
                        | Result.Error error -> failtest $"{error}"

                    testCase "reports a candle frame it cannot read"
                    <| fun () ->
                        let frame = Candles.toFrame (candles [| 1.0; 2.0 |]) |> Frame.dropCol "close"

                        Expect.equal
                            (Strategy.evaluateFrame StreakReversal.strategy frame Map.empty)
                            (Result.Error(StrategyError.InvalidCandles(CandleError.MissingColumn "close")))
                            "missing close"
                ]
        ]
