module PolymarketAlgo.Core.Tests.InteropTests

open Expecto
open PolymarketAlgo.Core
open PolymarketAlgo.Interop.Sample
open PolymarketAlgo.Tests.TestHelpers

[<Tests>]
let tests =
    testList
        "C# facade"
        [
            testCase "reproduces the original's streak test result from C#"
            <| fun () ->
                let metrics = FacadeSample.SeedStreakBacktest(Array.init 20 float)
                Expect.equal metrics.TradeCount 16 "trades"
                close 1e-12 metrics.WinRate 0.0625 "win rate"
                close 1e-9 metrics.TotalPnl -105.75 "total pnl"
                close 1e-9 metrics.MaxDrawdown -112.5 "max drawdown"
                close 1e-9 metrics.SharpePerTrade -7.664430200915731 "sharpe"

            testCase "passes parameters from a C# dictionary"
            <| fun () ->
                let closes = [| 10.; 11.; 12.; 13.; 14.; 13.; 12.; 12.; 11.; 10.; 9.; 8.; 8.; 9. |]

                Expect.equal
                    (FacadeSample.StreakSignals(closes, 3))
                    [| 0; 0; 0; -1; -1; 0; 0; 1; 1; 1; 1; 1; 1; 0 |]
                    "signals"

            testCase "computes EMA, Kelly, book walking and fees like the reference"
            <| fun () ->
                let ema = FacadeSample.Ema3 [| 10.; 11.; 12.; 11.; 10. |]
                close 1e-12 ema[2] 11.25 "ema[2]"
                close 1e-12 ema[4] 10.5625 "ema[4]"
                Expect.equal (FacadeSample.KellyExample()) 8.35M "kelly"
                close 1e-7 (FacadeSample.BookWalkExample()) 0.5098039 "execution price"
                Expect.equal (FacadeSample.FeeExample()) 1.8M "fee"

            testCase "runs a sweep from C# and returns a grid combination"
            <| fun () ->
                let closes = Array.init 500 (fun i -> 100.0 + float ((i * 7919) % 13) - 6.0)
                let best = FacadeSample.BestStreakParameters closes
                Expect.containsAll [ 3.0; 4.0; 5.0 ] [ best["trigger"] ] "trigger from the grid"

            testCase "reads a sweep's overfitting estimate from C# without F# options"
            <| fun () ->
                let closes = Array.init 500 (fun i -> 100.0 + float ((i * 7919) % 13) - 6.0)
                let candles = FacadeSample.CandlesFromCloses closes
                let strategy = Strategy.tryFind "streak-reversal" |> Option.get

                let expected =
                    Sweep.run
                        Backtest.defaultSettings
                        { Sweep.defaultSettings with
                            MaxDegreeOfParallelism = 2
                            OverfittingBlocks = 8
                        }
                        strategy
                        candles
                        strategy.ParameterGrid

                let probability = FacadeSample.StreakOverfitting(closes, 8)
                Expect.isTrue probability.HasValue "computed with 8 blocks"
                Expect.equal probability.Value expected.Overfitting.Value.Probability "the F# sweep's PBO"
                Expect.isFalse (FacadeSample.StreakOverfitting(closes, 0)).HasValue "none with the estimate off"
        ]
