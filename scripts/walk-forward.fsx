// Rolling walk-forward of streak-reversal: tune on each train window, score on the next test window.
// Run: dotnet fsi scripts/walk-forward.fsx [DATA_PATH] [--smoke]
#load "_references.fsx"

open System
open PolymarketAlgo.Core
open PolymarketAlgo.Data
open _references

let all = CandleLoader.Load dataPath
let candles = if smoke then CandleSeries.Slice(all, 0, 30_000) else all
let train, test = if smoke then 10_000, 5_000 else 30_000, 10_000
let windows = WalkForward.rolling candles.Length train test test

let result =
    WalkForward.run
        Backtest.defaultSettings
        { Sweep.defaultSettings with
            MaxDegreeOfParallelism = Environment.ProcessorCount
        }
        StreakReversal.strategy
        candles
        StreakReversal.strategy.ParameterGrid
        WalkForwardMode.Rolling
        windows

for step in result.Steps do
    printfn
        "train %6d-%6d  test %6d-%6d  trigger %g size %g  IS win %.4f  OOS win %.4f  OOS P&L %9.2f"
        step.Window.TrainStart
        step.Window.TrainEnd
        step.Window.TestStart
        step.Window.TestEnd
        step.Parameters["trigger"]
        step.Parameters["size"]
        step.InSample.WinRate
        step.OutOfSample.WinRate
        step.OutOfSample.TotalPnl

let oos = result.OutOfSample

printfn
    "out of sample: %d trades, win rate %.4f, P&L %.2f, max drawdown %.2f"
    oos.TradeCount
    oos.WinRate
    oos.TotalPnl
    oos.MaxDrawdown
