module PolymarketAlgo.Cli.Tests.HistoryCliTests

open System
open System.IO
open Expecto
open PolymarketAlgo.Core
open PolymarketAlgo.Executor.Journal
open PolymarketAlgo.Tests.TestHelpers
open PolymarketAlgo.Cli.Tests.CliRunner

let private outcomes =
    sharedPath "data/polymarket/btc_updown_5m_outcomes_felixdoteth/polymarket_btc_5m_enriched.csv"

/// 2026-03-16 00:00 and 00:05 UTC resolved up then down in the felixdoteth file.
let private first = DateTimeOffset.FromUnixTimeSeconds 1773619200L

/// A journal in `dir` with an Up bet on each of the two windows: $5 at 0.5, fee 0.18 each.
let private journalIn (dir: string) =
    let path = Path.Combine(dir, "data", "journal.db")
    use journal = TradeJournal.Open(path, 100m)

    for k in 0..1 do
        let window = first.AddMinutes(5.0 * float k)
        let id = $"streak-{window.ToUnixTimeSeconds()}-up"

        let intent =
            {
                ClientOrderId = id
                MarketId = $"btc-updown-5m-{window.ToUnixTimeSeconds()}"
                WindowStart = window
                Outcome = StreakReversal.Up
                Side = OrderSide.Buy
                TimeInForce = TimeInForce.Fok
                Amount = 5m
                Price = 0.55m
                Expiration = 0L
                FeeRate = 0.072m
                Strategy = "streak"
                Confidence = 0.667m
                StreakLength = 4
                Reason = "Streak of 4x down; reversal rate 66.7%; betting up"
            }

        journal.RecordAll(
            [
                TradingEvent.OrderPlaced(intent, window)
                TradingEvent.Filled(id, "1", 10m, 0.5m, 0.18m, window)
                TradingEvent.OrderClosed(id, OrderStatus.Filled, "filled", window)
            ]
        )
        |> ignore

    path

[<Tests>]
let tests =
    testSequenced
    <| testList
        "CLI history commands"
        [
            testCase "backfill settles the journal's trades from the recorded outcomes, then stats report them"
            <| fun () ->
                let dir = tempDirectory ()
                let path = journalIn dir

                let backfill =
                    runIn dir [] [ "history"; "backfill"; "--outcomes"; outcomes; "--json" ]

                Expect.equal backfill.ExitCode 0 backfill.Stderr
                Expect.equal (backfill.Json.GetProperty("settled").GetInt32()) 2 "both windows resolved"
                Expect.equal (backfill.Json.GetProperty("realized_pnl").GetDecimal()) (4.82m - 5.18m) "a win and a loss"
                let stats = runIn dir [] [ "history"; "stats"; "--journal"; path; "--json" ]
                Expect.equal stats.ExitCode 0 stats.Stderr
                let json = stats.Json
                Expect.equal (json.GetProperty("wins").GetInt32()) 1 "wins"
                Expect.equal (json.GetProperty("losses").GetInt32()) 1 "losses"
                Expect.equal (json.GetProperty("win_rate").GetDouble()) 0.5 "win rate"
                Expect.equal (json.GetProperty("total_fees").GetDecimal()) 0.36m "fees"
                Expect.equal (json.GetProperty("bankroll").GetDecimal()) 99.64m "bankroll"
            testCase "export prints CSV with the header first, or JSON, to stdout or a file"
            <| fun () ->
                let dir = tempDirectory ()
                let path = journalIn dir

                let csv =
                    runIn dir [ "JOURNAL_PATH", path ] [ "history"; "export"; "--format"; "csv" ]

                Expect.equal csv.ExitCode 0 csv.Stderr
                let lines = csv.Stdout.TrimEnd().Split('\n')
                Expect.equal lines.Length 3 "header and two rows"
                Expect.stringStarts lines[0] "placed_at,client_order_id,market_id," "header"
                Expect.stringStarts lines[1] "2026-03-16T00:00:00.0000000Z,streak-1773619200-up," "first row"
                let file = Path.Combine(dir, "trades.json")

                let json =
                    runIn dir [] [ "history"; "export"; "--journal"; path; "--format"; "json"; "--out"; file ]

                Expect.equal json.ExitCode 0 json.Stderr
                Expect.stringContains json.Stdout "2 trades written" "summary"
                use document = Text.Json.JsonDocument.Parse(File.ReadAllText file)
                Expect.equal (document.RootElement.GetArrayLength()) 2 "two rows"
            testCase "bad input is one line on stderr with exit code 2"
            <| fun () ->
                let dir = tempDirectory ()
                let missing = runIn dir [] [ "history"; "stats" ]
                Expect.equal missing.ExitCode 2 "exit 2"
                Expect.stringContains missing.Stderr "no trading journal at data/journal.db" "names the path"
                let path = journalIn dir

                let format =
                    runIn dir [] [ "history"; "export"; "--journal"; path; "--format"; "xml" ]

                Expect.equal format.ExitCode 2 "exit 2"
                Expect.equal (format.Stderr.Trim()) "error: unknown --format 'xml': use csv or json" "message"
        ]
