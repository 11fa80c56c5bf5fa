// Polymarket-native backtests through the CLI's wiring (Data's outcome loader, the Executor's book replay, Core):
// the streak over resolved outcomes, the favourite rule through the recorded books, and the Binance proxy against the
// real outcomes. Exits 1 when a number differs from the one the Core tests compute independently.
// Run: dotnet fsi scripts/native-backtests.fsx [--smoke]
#load "_references.fsx"
#r "PolymarketAlgo.Executor.dll"
#r "polymarket-algo.dll"

open System
open System.IO
open PolymarketAlgo.Core
open PolymarketAlgo.Cli

let shared = Path.Combine(__SOURCE_DIRECTORY__, "..", "..", "shared", "data")

let outcomesPath =
    Path.Combine(shared, "polymarket", "btc_updown_5m_outcomes_felixdoteth", "polymarket_btc_5m_enriched.csv")

let mutable failures = 0

let check (what: string) (actual: 'T) (expected: 'T) =
    if actual = expected then
        printfn "ok    %s: %A" what actual
    else
        printfn "FAIL  %s: %A, expected %A" what actual expected
        failures <- failures + 1

let cents (value: float) = Math.Round(value, 2)

let windowLength, windows = NativeBacktest.loadOutcomes outcomesPath
let series = OutcomeBacktest.series windowLength windows

check
    "felixdoteth windows, segments, missing windows"
    (series.Windows, series.Segments.Length, series.MissingWindows)
    (20928, 10, 4651)

match OutcomeBacktest.run Backtest.defaultSettings series StreakReversal.strategy Map.empty with
| Ok result ->
    check
        "streak-reversal over outcomes: trades, P&L"
        (result.Metrics.TradeCount, cents result.Metrics.TotalPnl)
        (2314, -39.78)
| Error error -> failwithf "%A" error

let futures =
    CandleSource.loadPath
        (Path.Combine(shared, "binance", "btcusdt_usdm_futures_5m_2025", "BTCUSDT-5m-2025-12.csv"))
        None

match Agreement.compare Backtest.defaultSettings StreakReversal.strategy Map.empty futures windowLength windows with
| Ok comparison ->
    check "colour agreement" (comparison.Agreement.ColourAgreements, comparison.Agreement.Matched) (3826, 3962)
    check "proxy and real P&L" (cents comparison.Proxy.TotalPnl, cents comparison.Real.TotalPnl) (135.99, 196.53)
| Error error -> failwithf "%A" error

let markets =
    NativeBacktest.loadBooks (Path.Combine(shared, "polymarket", "cronosvirus00_btc5m_book_parquet"))

check "recorded frames" (markets |> Array.sumBy (fun m -> m.Frames.Length)) 11640

for latency, pnl in [ 0L, 4.53965M; 500L, 4.73130M ] do
    let result =
        BookReplay.run
            { BookReplay.defaultSettings with
                LatencyMs = latency
            }
            (BookReplay.favourite 240.0 0.6M 10M)
            markets

    check $"favourite through the books at {latency} ms: orders, P&L" (result.Orders.Length, result.Pnl) (2, pnl)

if failures > 0 then
    exit 1
