// Sweep streak-reversal over BTCUSDT 5m, print the ranking with DSR and PBO, write an HTML report.
// Run: dotnet fsi scripts/sweep-streak.fsx [DATA_PATH] [--smoke]
#load "_references.fsx"

open System
open System.IO
open PolymarketAlgo.Core
open PolymarketAlgo.Data
open PolymarketAlgo.Reports
open _references

let all = CandleLoader.Load dataPath
let candles = if smoke then CandleSeries.Slice(all, 0, 20_000) else all
printfn "%d bars from %O to %O" candles.Length candles.Time[0] candles.Time[candles.Length - 1]

let sweep =
    Sweep.run
        Backtest.defaultSettings
        { Sweep.defaultSettings with
            MaxDegreeOfParallelism = Environment.ProcessorCount
        }
        StreakReversal.strategy
        candles
        StreakReversal.strategy.ParameterGrid

printfn "%-8s %-5s %7s %8s %10s %8s" "trigger" "size" "trades" "win" "P&L" "Sharpe"

for row in sweep.Rows do
    printfn
        "%-8g %-5g %7d %8.4f %10.2f %8.4f"
        row.Parameters["trigger"]
        row.Parameters["size"]
        row.Metrics.TradeCount
        row.Metrics.WinRate
        row.Metrics.TotalPnl
        row.Metrics.SharpePerTrade

printfn "deflated Sharpe %.4f over %d trials" sweep.DeflatedSharpe.Probability sweep.DeflatedSharpe.Trials

sweep.Overfitting
|> Option.iter (fun pbo -> printfn "PBO %.4f (%d splits)" pbo.Probability pbo.Splits)

let best = sweep.Rows[0]

let result =
    match Strategy.evaluate StreakReversal.strategy candles best.Parameters with
    | Ok signals -> Backtest.run Backtest.defaultSettings candles signals
    | Error error -> failwithf "%A" error

let path = Path.Combine(reportDirectory, "streak-sweep.html")

Report.write
    path
    {
        Title = "Streak reversal sweep"
        Strategy = StreakReversal.strategy.Name
        Parameters = best.Parameters
        Semantics = Semantics.Polymarket
        Backtest = result
        Times = candles.Time
        Sweep =
            Some
                {
                    Result = sweep
                    XParameter = "trigger"
                    YParameter = "size"
                    Metric = SweepMetric.TotalPnl
                }
        WalkForward = None
    }

printfn "report: %s" path
