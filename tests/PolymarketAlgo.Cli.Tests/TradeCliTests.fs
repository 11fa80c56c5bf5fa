/// `trade streak` and `trade copy` refusing bad input before they trade: one line each, exit 2 for usage, 1 for
/// an unreachable simulator.
module PolymarketAlgo.Cli.Tests.TradeCliTests

open Expecto
open PolymarketAlgo.Cli.Tests.CliRunner
open PolymarketAlgo.Cli.Tests.SimulatorFixture

let private leader = "0x5e1f0000a11ce0000000000000000000000c0de5"

/// Expects exit `code` and a stderr that contains `text`.
let private expectRefused (run: CliRun) (code: int) (text: string) =
    Expect.equal run.ExitCode code run.Stderr
    Expect.stringContains run.Stderr text "the reason"
    Expect.equal run.Stdout "" "nothing printed on stdout"

[<Tests>]
let tests =
    testList
        "trade input"
        [
            testCase "a copy filter whose lowest fill price is above its highest is refused in one line"
            <| fun () ->
                expectRefused
                    (run
                        [
                            "trade"
                            "copy"
                            "--wallet"
                            leader
                            "--min-fill"
                            "0.9"
                            "--max-fill"
                            "0.5"
                        ])
                    2
                    "SELECTIVE_MIN_FILL_PRICE (0.9) is above SELECTIVE_MAX_FILL_PRICE (0.5)"

            testCase "a negative copy delay limit is refused naming the flag"
            <| fun () ->
                expectRefused
                    (run [ "trade"; "copy"; "--wallet"; leader; "--max-delay"; "-1" ])
                    2
                    "--max-delay -1 must be at least 0 seconds"

            testCase "a WebSocket URL that is not ws:// or wss:// is refused before anything runs"
            <| fun () ->
                expectRefused
                    (run [ "trade"; "streak"; "--ws-url"; "http://127.0.0.1:9"; "--seconds"; "1" ])
                    2
                    "--ws-url 'http://127.0.0.1:9' is not a ws:// or wss:// URL"

            testCase "a simulator that does not answer is an operation failure"
            <| fun () ->
                expectRefused
                    (run [ "trade"; "streak"; "--sim"; "http://127.0.0.1:9"; "--seconds"; "1" ])
                    1
                    "--sim http://127.0.0.1:9: no simulator answers"

            testCase "an unknown strategy to follow is refused, listing the ones there are"
            <| fun () ->
                expectRefused
                    (run [ "trade"; "streak"; "--strategy"; "no-such" ])
                    2
                    "unknown strategy 'no-such' (strategies: streak-reversal, candle-direction"

            testCase "a strategy parameter the strategy does not have is refused"
            <| fun () ->
                expectRefused
                    (run [ "trade"; "streak"; "--strategy"; "streak-reversal"; "--param"; "period=3" ])
                    2
                    "strategy streak-reversal has no parameter 'period'"

            testCase "Kelly sizing, which needs the streak's reversal rate, is refused with a followed strategy"
            <| fun () ->
                expectRefused
                    (run [ "trade"; "streak"; "--strategy"; "candle-direction"; "--sizing"; "kelly" ])
                    2
                    "use --sizing fixed or fraction, not kelly"

            testCase "live trading without API credentials refuses to start"
            <| fun () ->
                expectRefused
                    (runIn
                        (tempDirectory ())
                        [ "POLYMARKET_PRIVATE_KEY", testKey ]
                        [ "trade"; "streak"; "--live"; "--clob-url"; "http://127.0.0.1:9" ])
                    2
                    "live trading needs API credentials"
        ]
