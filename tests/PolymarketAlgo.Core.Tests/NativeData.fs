/// The shared Polymarket and Binance files the native-backtest tests read, parsed here with plain string code
/// (independently of the Data project's loaders).
module PolymarketAlgo.Core.Tests.NativeData

open System
open System.Globalization
open System.IO
open PolymarketAlgo.Core
open PolymarketAlgo.Tests.TestHelpers

let private invariant = CultureInfo.InvariantCulture

/// The felixdoteth outcomes CSV.
let felixPath =
    sharedPath "data/polymarket/btc_updown_5m_outcomes_felixdoteth/polymarket_btc_5m_enriched.csv"

/// The Binance USDⓈ-M futures 5m candles of December 2025.
let futuresDecemberPath =
    sharedPath "data/binance/btcusdt_usdm_futures_5m_2025/BTCUSDT-5m-2025-12.csv"

/// The CronosVirus00 Parquet book recordings.
let booksPath = sharedPath "data/polymarket/cronosvirus00_btc5m_book_parquet"

/// felixdoteth rows as (start unix seconds, +1 up / −1 down), sorted by start.
let felixOutcomes =
    lazy
        (File.ReadAllLines felixPath
         |> Array.skip 1
         |> Array.filter (fun line -> line.Trim() <> "")
         |> Array.map (fun line ->
             let fields = line.Split ','
             int64 fields[0], (if fields[4] = "up" then 1 else -1))
         |> Array.sortBy fst)

/// felixdoteth rows as Core windows without recorded prices.
let felixWindows =
    lazy
        (felixOutcomes.Value
         |> Array.map (fun (seconds, outcome) ->
             {
                 Start = DateTimeOffset.FromUnixTimeSeconds seconds
                 Outcome = outcome
                 UpPrice = Double.NaN
             }))

/// The December 2025 futures rows as (open time ms, open, close).
let futuresDecember =
    lazy
        (File.ReadAllLines futuresDecemberPath
         |> Array.skip 1
         |> Array.filter (fun line -> line.Trim() <> "")
         |> Array.map (fun line ->
             let fields = line.Split ','
             int64 fields[0], Double.Parse(fields[1], invariant), Double.Parse(fields[4], invariant)))

/// The December 2025 futures rows as candles (high and low as the larger and smaller of open and close).
let futuresDecemberCandles =
    lazy
        (let rows = futuresDecember.Value

         let openPrice = rows |> Array.map (fun (_, o, _) -> o)
         let close = rows |> Array.map (fun (_, _, c) -> c)

         Candles.ofArrays
             (rows |> Array.map (fun (t, _, _) -> DateTimeOffset.FromUnixTimeMilliseconds t))
             openPrice
             (Array.map2 max openPrice close)
             (Array.map2 min openPrice close)
             close
             (Array.zeroCreate rows.Length))

/// The streak-reversal bets over an outcome list, counted directly: the list is cut into runs of consecutive
/// windows, and inside a run, after `trigger` or more equal outcomes in a row ending at window j, a bet against
/// them is placed on window j + 1 (when it is in the same run). Returns (start of window j, won, P&L) per bet at
/// `price` per share of either side, with the taker fee shares × rate × p(1 − p).
let streakBetList (trigger: int) (size: float) (price: float) (feeRate: float) (outcomes: (int64 * int)[]) =
    let bets = ResizeArray()
    let mutable run = 0

    for j in 0 .. outcomes.Length - 1 do
        let start, outcome = outcomes[j]
        let continues = j > 0 && start - fst outcomes[j - 1] = 300L

        run <-
            if continues && outcome = snd outcomes[j - 1] then
                run + 1
            else
                1

        if run >= trigger && j + 1 < outcomes.Length && fst outcomes[j + 1] - start = 300L then
            let fee = size * feeRate * price * (1.0 - price)

            if snd outcomes[j + 1] = -outcome then
                bets.Add(start, true, (1.0 - price) * size - fee)
            else
                bets.Add(start, false, -price * size - fee)

    bets.ToArray()

/// `streakBetList` summed: (trades, wins, P&L).
let streakBets (trigger: int) (size: float) (price: float) (feeRate: float) (outcomes: (int64 * int)[]) =
    let bets = streakBetList trigger size price feeRate outcomes
    bets.Length, (bets |> Array.filter (fun (_, won, _) -> won)).Length, bets |> Array.sumBy (fun (_, _, pnl) -> pnl)
