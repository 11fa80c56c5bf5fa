module PolymarketAlgo.Cli.Tests.ResearchCliTests

open System.IO
open Expecto
open PolymarketAlgo.Tests.TestHelpers
open PolymarketAlgo.Cli.Tests.CliRunner

let private btc4h = sharedPath "data/seed_toolkit/btc_4h.csv"
let private spot = sharedPath "data/binance/btcusdt_spot_5m"

let private expectUsageError (run: CliRun) (fragment: string) =
    Expect.equal run.ExitCode 2 $"exit code 2 for bad input; stderr: {run.Stderr}"
    Expect.stringContains run.Stderr fragment "the error names the problem"
    Expect.equal (run.Stderr.Trim().Split('\n').Length) 1 "one line on stderr"
    Expect.isFalse (run.Stderr.Contains "   at ") "no stack trace"

[<Tests>]
let tests =
    testList
        "CLI research commands"
        [
            testCase "backtest --semantics seed --json reproduces the original's btc_4h result"
            <| fun () ->
                let result = run [ "backtest"; "--data"; btc4h; "--semantics"; "seed"; "--json" ]
                Expect.equal result.ExitCode 0 result.Stderr
                let json = result.Json
                Expect.equal (json.GetProperty("strategy").GetString()) "streak-reversal" "strategy"
                Expect.equal (json.GetProperty("semantics").GetString()) "seed" "semantics"
                Expect.equal (json.GetProperty("bars").GetInt32()) 9051 "bars"
                Expect.equal (json.GetProperty("trade_count").GetInt32()) 806 "trades"
                close 1e-9 (json.GetProperty("win_rate").GetDouble()) 0.5620347395 "win rate"
                close 1e-9 (json.GetProperty("total_pnl").GetDouble()) 410.25 "pnl"
                close 1e-9 (json.GetProperty("max_drawdown").GetDouble()) -136.5 "max drawdown"
                close 1e-8 (json.GetProperty("sharpe_ratio").GetDouble()) 2.043924232 "sharpe"

                for key in
                    [
                        "sharpe_annualized"
                        "sortino"
                        "profit_factor"
                        "expectancy"
                        "calmar"
                        "exposure"
                    ] do
                    Expect.isTrue (json.TryGetProperty(key) |> fst) $"{key} present"

            testCase "backtest --sweep --json ranks the grid and reports DSR and PBO"
            <| fun () ->
                let result =
                    run
                        [
                            "backtest"
                            "--data"
                            btc4h
                            "--semantics"
                            "seed"
                            "--sweep"
                            "--top"
                            "3"
                            "--json"
                        ]

                Expect.equal result.ExitCode 0 result.Stderr
                let rows = result.Json
                Expect.equal (rows.GetArrayLength()) 3 "top 3"
                let first = rows[0]

                Expect.equal
                    (first.GetProperty("params").GetProperty("trigger").GetDouble())
                    3.0
                    "best trigger on the full history"

                Expect.equal (first.GetProperty("trials").GetInt32()) 9 "trials"
                let pbo = first.GetProperty("overfitting").GetProperty("pbo").GetDouble()
                Expect.isTrue (pbo >= 0.0 && pbo <= 1.0) "pbo is a probability"

            testCase "backtest --walk-forward single uses the original 75/25 split"
            <| fun () ->
                let result =
                    run
                        [
                            "backtest"
                            "--data"
                            btc4h
                            "--semantics"
                            "seed"
                            "--walk-forward"
                            "single"
                            "--json"
                        ]

                Expect.equal result.ExitCode 0 result.Stderr
                let window = result.Json.GetProperty("windows")[0]
                Expect.equal (window.GetProperty("train_end").GetInt32()) 6788 "train rows"
                Expect.equal (window.GetProperty("params").GetProperty("size").GetDouble()) 20.0 "size 20 wins on train"
                close 1e-9 (window.GetProperty("in_sample").GetProperty("total_pnl").GetDouble()) 621.0 "in-sample pnl"

            testCase "backtest --report writes a self-contained HTML file"
            <| fun () ->
                let dir = tempDirectory ()
                let report = Path.Combine(dir, "report.html")

                let result =
                    runIn dir [] [ "backtest"; "--data"; btc4h; "--sweep"; "--report"; report ]

                Expect.equal result.ExitCode 0 result.Stderr
                let html = File.ReadAllText report
                Expect.stringContains html "Plotly" "plotly embedded"
                Expect.isFalse (html.Contains "src=\"https://") "no CDN"

            testCase "data info reports the freqtrade halt gap"
            <| fun () ->
                let result =
                    run
                        [
                            "data"
                            "info"
                            "--data"
                            sharedPath "data/binance/freqtrade_json_spot_1m_5m_2023/BTC_USDT-5m.json"
                            "--json"
                        ]

                Expect.equal result.ExitCode 0 result.Stderr
                Expect.equal (result.Json.GetProperty("rows").GetInt32()) 13217 "rows"
                Expect.equal (result.Json.GetProperty("missing_bars").GetInt32()) 16 "missing bars"

            testCase "indicators writes a CSV with a header and full precision"
            <| fun () ->
                let dir = tempDirectory ()
                let out = Path.Combine(dir, "ema.csv")

                let result =
                    runIn
                        dir
                        []
                        [
                            "indicators"
                            "--data"
                            btc4h
                            "--name"
                            "ema"
                            "--param"
                            "period=3"
                            "--out"
                            out
                        ]

                Expect.equal result.ExitCode 0 result.Stderr
                let lines = File.ReadAllLines out
                Expect.equal lines[0] "time,ema" "header"
                Expect.equal lines.Length 9052 "a row per bar"
                Expect.stringStarts lines[1] "2022-01-01T00:00:00Z," "time first, warm-up empty"

            testCase "strategies --json lists both strategies with their grids"
            <| fun () ->
                let result = run [ "strategies"; "--json" ]
                Expect.equal result.ExitCode 0 result.Stderr

                let names =
                    [ for s in result.Json.EnumerateArray() -> s.GetProperty("name").GetString() ]

                Expect.containsAll names [ "streak-reversal"; "candle-direction" ] "built-ins"

            testCase "bad input gives one line on stderr and exit code 2"
            <| fun () ->
                expectUsageError (run [ "backtest"; "--data"; "missing.csv" ]) "missing.csv"
                expectUsageError (run [ "backtest"; "--data"; btc4h; "--strategy"; "nope" ]) "unknown strategy 'nope'"
                expectUsageError (run [ "backtest"; "--data"; btc4h; "--param"; "trigger=x" ]) "not a number"
                expectUsageError (run [ "backtest"; "--data"; btc4h; "--param"; "bogus=1" ]) "no parameter 'bogus'"
                expectUsageError (run [ "backtest"; "--data"; btc4h; "--entry-price"; "1.5" ]) "--entry-price"
                expectUsageError (run [ "indicators"; "--data"; btc4h; "--name"; "nope" ]) "unknown indicator"
                expectUsageError (run [ "backtest"; "--bogus-flag" ]) "bogus-flag"

            testCase "empty data is bad input"
            <| fun () ->
                let dir = tempDirectory ()
                let empty = Path.Combine(dir, "empty.csv")
                File.WriteAllText(empty, "")
                let result = runIn dir [] [ "backtest"; "--data"; empty ]
                Expect.equal result.ExitCode 2 result.Stderr

            testCase "without --data and offline it says so in one line and exits 1"
            <| fun () ->
                let result = run [ "backtest" ]
                Expect.equal result.ExitCode 1 result.Stderr
                Expect.stringContains result.Stderr "offline" "says offline"
                Expect.stringContains result.Stderr "--data" "says how to pass data"
        ]
