module PolymarketAlgo.Core.Tests.SweepTests

open System
open Expecto
open FsCheck
open PolymarketAlgo.Core
open PolymarketAlgo.Tests.TestHelpers

let private btc = lazy (BacktestTests.seedCandles "btc_4h.csv")

let private seedSweep (threads: int) (candles: CandleColumns) =
    Sweep.run
        Backtest.seedSettings
        { Sweep.defaultSettings with
            MaxDegreeOfParallelism = threads
        }
        StreakReversal.strategy
        candles
        StreakReversal.strategy.ParameterGrid

/// Candles from a seeded random walk with flat bars, so streaks of every length occur.
let private walk (seed: int) (length: int) =
    let random = Random(seed)
    let closes = Array.zeroCreate length
    closes[0] <- 100.0

    for i in 1 .. length - 1 do
        closes[i] <- closes[i - 1] + float (random.Next(-2, 3))

    Candles.ofCloses (DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)) (TimeSpan.FromMinutes 5.0) closes

[<Tests>]
let tests =
    testList
        "Sweep"
        [
            testCase "reproduces the original's train-split sweep on btc_4h.csv (best trigger 4, size 20)"
            <| fun () ->
                let candles = btc.Force()
                let split = WalkForward.single candles.Length 0.75

                let train =
                    Candles.ofArrays
                        candles.Time[.. split.TrainEnd - 1]
                        candles.Open[.. split.TrainEnd - 1]
                        candles.High[.. split.TrainEnd - 1]
                        candles.Low[.. split.TrainEnd - 1]
                        candles.Close[.. split.TrainEnd - 1]
                        candles.Volume[.. split.TrainEnd - 1]

                let result = seedSweep 2 train
                let best = result.Rows[0]
                Expect.equal train.Length 6788 "train rows"
                Expect.equal best.Parameters (Map.ofList [ "trigger", 4.0; "size", 20.0 ]) "best parameters"
                close 1e-6 best.Metrics.WinRate 0.582474 "win rate"
                close 1e-9 best.Metrics.TotalPnl 621.0 "pnl"
                Expect.equal best.Metrics.TradeCount 582 "trades"
                close 1e-6 best.Metrics.SharpePerTrade 2.747239 "sharpe"
                // Sizes 15 and 10 tie on win rate and come next, larger P&L first.
                Expect.equal
                    [
                        for row in result.Rows[1..2] -> row.Parameters["trigger"], row.Parameters["size"]
                    ]
                    [ 4.0, 15.0; 4.0, 10.0 ]
                    "ties ranked by P&L"

            testCase "reports the number of trials and a deflated Sharpe probability"
            <| fun () ->
                let result = seedSweep 2 (btc.Force())
                Expect.equal result.DeflatedSharpe.Trials 9 "3 triggers × 3 sizes"

                Expect.isTrue
                    (result.DeflatedSharpe.Probability >= 0.0
                     && result.DeflatedSharpe.Probability <= 1.0)
                    "a probability"

                match result.Overfitting with
                | Some pbo ->
                    Expect.equal pbo.Splits 12870 "C(16, 8) CSCV splits"
                    Expect.isTrue (pbo.Probability >= 0.0 && pbo.Probability <= 1.0) "a probability"
                | None -> failtest "a 9-combination sweep has a PBO"

            testCase "the DSR trial Sharpe ratios are the per-trade Sharpe ratios per observation"
            <| fun () ->
                let result = seedSweep 1 (btc.Force())

                for row in result.Rows do
                    close
                        1e-9
                        (row.TradeMoments.Sharpe * sqrt (float row.Metrics.TradeCount))
                        row.Metrics.SharpePerTrade
                        "Sharpe"

            testProp "gives the same ranking whatever the thread count"
            <| fun (seed: int) (threads: PositiveInt) ->
                let candles = walk seed 2000
                let one = seedSweep 1 candles
                let many = seedSweep (1 + threads.Get % 4) candles
                one.Rows = many.Rows && one.DeflatedSharpe = many.DeflatedSharpe

            testCase "computes each distinct indicator once for the whole candle-direction grid"
            <| fun () ->
                let candles = walk 11 3000
                let combinations = Strategy.gridCombinations CandleDirection.strategy.ParameterGrid
                let cache = IndicatorCache(candles.Close)

                let input =
                    {
                        Candles = candles
                        Indicators = cache
                    }

                for parameters in combinations do
                    CandleDirection.strategy.Evaluate(input, parameters, Signals.Create candles.Length)

                Expect.equal combinations.Length 1944 "combinations"
                // 3 fast EMAs + 3 slow EMAs + 3 RSIs + 2×2×2 MACDs.
                Expect.equal cache.Computations 17 "distinct indicators"

            testCase "ranks by total P&L or Sharpe when asked"
            <| fun () ->
                let candles = btc.Force()

                for rank, key in
                    [
                        RankKey.TotalPnl, (fun (m: Metrics) -> m.TotalPnl)
                        RankKey.Sharpe, (fun m -> m.SharpePerTrade)
                    ] do
                    let result =
                        Sweep.run
                            Backtest.seedSettings
                            { Sweep.defaultSettings with
                                Rank = rank
                            }
                            StreakReversal.strategy
                            candles
                            StreakReversal.strategy.ParameterGrid

                    let values = result.Rows |> Array.map (fun row -> key row.Metrics)
                    Expect.equal values (Array.sortDescending values) $"{rank} descending"
        ]
