module PolymarketAlgo.Cli.Tests.NativeCliTests

open System.IO
open System.Text.Json
open Expecto
open PolymarketAlgo.Tests.TestHelpers
open PolymarketAlgo.Cli.Tests.CliRunner

let private outcomes =
    sharedPath "data/polymarket/btc_updown_5m_outcomes_felixdoteth/polymarket_btc_5m_enriched.csv"

let private futuresDecember =
    sharedPath "data/binance/btcusdt_usdm_futures_5m_2025/BTCUSDT-5m-2025-12.csv"

let private books = sharedPath "data/polymarket/cronosvirus00_btc5m_book_parquet"

let private burst =
    sharedPath "data/polymarket/nautilus_trader/crates_test_data/ws_market_price_change_crossing_burst.json"

let private ok (result: CliRun) =
    Expect.equal result.ExitCode 0 result.Stderr
    result.Json

let private expectUsageError (result: CliRun) (fragment: string) =
    Expect.equal result.ExitCode 2 $"exit code 2 for bad input; stderr: {result.Stderr}"
    Expect.stringContains result.Stderr fragment "the error names the problem"
    Expect.equal (result.Stderr.Trim().Split('\n').Length) 1 "one line on stderr"

[<Tests>]
let tests =
    testList
        "CLI native backtests"
        [
            // The numbers below are the ones the Core tests compute independently from the shared files.
            testCase "backtest --source outcomes streaks over felixdoteth's real outcomes and reports the gaps"
            <| fun () ->
                let result =
                    run [ "backtest"; "--source"; "outcomes"; "--outcomes"; outcomes; "--json" ]

                let json = ok result
                Expect.equal (json.GetProperty("trade_count").GetInt32()) 2314 "trades"
                close 1e-6 (json.GetProperty("total_pnl").GetDouble()) -39.78 "P&L"
                Expect.stringContains result.Stderr "9 gaps (4651 missing windows)" "the gaps are reported"

            testCase "backtest --source outcomes --sweep ranks trigger 3 first"
            <| fun () ->
                let rows =
                    ok (
                        run
                            [
                                "backtest"
                                "--source"
                                "outcomes"
                                "--outcomes"
                                outcomes
                                "--sweep"
                                "--json"
                            ]
                    )

                Expect.equal (rows.GetArrayLength()) 9 "the streak grid"
                Expect.equal (rows[0].GetProperty("params").GetProperty("trigger").GetDouble()) 3.0 "trigger"
                Expect.equal (rows[0].GetProperty("trade_count").GetInt32()) 4896 "trades"

            testCase "backtest compare reports the candle agreement and proxy vs real P&L"
            <| fun () ->
                let json =
                    ok (
                        run
                            [
                                "backtest"
                                "compare"
                                "--data"
                                futuresDecember
                                "--outcomes"
                                outcomes
                                "--json"
                            ]
                    )

                Expect.equal
                    (json.GetProperty("matched").GetInt32(), json.GetProperty("colour_agreements").GetInt32())
                    (3962, 3826)
                    "agreement"

                close 1e-6 (json.GetProperty("proxy").GetProperty("total_pnl").GetDouble()) 135.99 "proxy P&L"
                close 1e-6 (json.GetProperty("real").GetProperty("total_pnl").GetDouble()) 196.53 "real P&L"
                close 1e-6 (json.GetProperty("pnl_difference").GetDouble()) 60.54 "difference"

            testCase "backtest --source books fills the favourite rule through the Parquet books"
            <| fun () ->
                for latency, pnl in [ "0", 4.53965; "500", 4.7313 ] do
                    let json =
                        ok (
                            run
                                [
                                    "backtest"
                                    "--source"
                                    "books"
                                    "--books"
                                    books
                                    "--latency-ms"
                                    latency
                                    "--json"
                                ]
                        )

                    Expect.equal (json.GetProperty("frames").GetInt32()) 11640 "every message replayed"

                    Expect.equal
                        [
                            for m in json.GetProperty("markets").EnumerateArray() ->
                                m.GetProperty("resolution").GetString()
                        ]
                        [ "lost"; "won"; "won" ]
                        "resolutions"

                    Expect.equal (json.GetProperty("orders").GetArrayLength()) 2 "two bets"
                    close 1e-9 (json.GetProperty("pnl").GetDouble()) pnl $"P&L at {latency} ms"

            testCase "backtest --source books reads a JSONL recording with a market_resolved event"
            <| fun () ->
                let dir = tempDirectory ()
                use messages = JsonDocument.Parse(File.ReadAllText burst)
                let first = messages.RootElement[0]
                let asset = first.GetProperty("asset_id").GetString()

                let recorded =
                    [
                        for m in messages.RootElement.EnumerateArray() ->
                            JsonSerializer.Serialize
                                {|
                                    t = int64 (m.GetProperty("timestamp").GetString())
                                    raw = m.GetRawText()
                                |}
                    ]

                let resolved =
                    JsonSerializer.Serialize
                        {|
                            t = 1790658925100L
                            raw =
                                JsonSerializer.Serialize
                                    {|
                                        event_type = "market_resolved"
                                        id = "1"
                                        market = first.GetProperty("market").GetString()
                                        assets_ids = [| asset |]
                                        winning_asset_id = asset
                                        winning_outcome = "Up"
                                        timestamp = "1790658925000"
                                    |}
                        |}

                let lines = recorded @ [ resolved ]

                let path = Path.Combine(dir, "ws-1.jsonl")
                File.WriteAllLines(path, lines)

                let json =
                    ok (
                        run
                            [
                                "backtest"
                                "--source"
                                "books"
                                "--books"
                                path
                                "--param"
                                "offset=0"
                                "--param"
                                "threshold=0.51"
                                "--json"
                            ]
                    )

                let market = json.GetProperty("markets")[0]
                Expect.equal (json.GetProperty("markets").GetArrayLength()) 1 "one book per market"
                Expect.equal (market.GetProperty("asset_id").GetString()) asset "the token with a snapshot"

                Expect.equal
                    (market.GetProperty("window_start").GetString())
                    "2026-09-29T05:10:00Z"
                    "window from the resolution"

                Expect.equal (market.GetProperty("resolution").GetString()) "won" "market_resolved names the winner"
                let order = json.GetProperty("orders")[0]
                Expect.equal (order.GetProperty("side").GetString()) "other outcome" "mid below 0.49"
                Expect.isLessThan (json.GetProperty("pnl").GetDouble()) 0.0 "the other outcome lost"

            testCase "backtest --source outcomes without --outcomes is a usage error"
            <| fun () -> expectUsageError (run [ "backtest"; "--source"; "outcomes" ]) "--outcomes PATH"

            testCase "backtest --source books refuses --walk-forward"
            <| fun () ->
                expectUsageError
                    (run
                        [
                            "backtest"
                            "--source"
                            "books"
                            "--books"
                            books
                            "--walk-forward"
                            "single"
                        ])
                    "--walk-forward"
        ]
