module PolymarketAlgo.Cli.Tests.PluginConfigCliTests

open System.IO
open Expecto
open PolymarketAlgo.Tests.TestHelpers
open PolymarketAlgo.Cli.Tests.CliRunner
open PolymarketAlgo.Cli.Tests.SimulatorFixture

let private january =
    sharedPath "data/binance/btcusdt_spot_5m/BTCUSDT-5m-2024-01.csv"

/// A plugin folder with the example F# script plugin and a corrupt dll.
let private pluginFolder () =
    let folder = tempDirectory ()

    File.Copy(
        Path.Combine(repoRoot, "scripts", "plugins", "TrendFollowing.fsx"),
        Path.Combine(folder, "TrendFollowing.fsx")
    )

    File.WriteAllText(Path.Combine(folder, "Corrupt.dll"), "not an assembly")
    folder

[<Tests>]
let tests =
    testList
        "CLI plugins and configuration"
        [
            testCase
                "strategies --plugins lists the script's strategy with its source and reports the corrupt dll on stderr"
            <| fun () ->
                let folder = pluginFolder ()
                let result = run [ "--plugins"; folder; "strategies"; "--json" ]
                Expect.equal result.ExitCode 0 result.Stderr

                let strategies =
                    [
                        for s in result.Json.EnumerateArray() ->
                            s.GetProperty("name").GetString(), s.GetProperty("source").GetString()
                    ]

                Expect.equal
                    strategies
                    [
                        "streak-reversal", "built-in"
                        "candle-direction", "built-in"
                        "sma-trend", Path.Combine(folder, "TrendFollowing.fsx")
                    ]
                    "strategies and sources"

                Expect.stringStarts
                    result.Stderr
                    "warning: plugin skipped: Corrupt.dll: not a valid .NET assembly ("
                    "warning"

            testCase "backtest and --sweep run a plugin strategy given with --plugins after the command"
            <| fun () ->
                let folder = pluginFolder ()

                let single =
                    run
                        [
                            "backtest"
                            "--plugins"
                            folder
                            "--data"
                            january
                            "--strategy"
                            "sma-trend"
                            "--json"
                        ]

                Expect.equal single.ExitCode 0 single.Stderr
                Expect.equal (single.Json.GetProperty("strategy").GetString()) "sma-trend" "strategy"
                Expect.equal (single.Json.GetProperty("params").GetProperty("period").GetDouble()) 20.0 "default period"
                Expect.isGreaterThan (single.Json.GetProperty("trade_count").GetInt32()) 8000 "bets on almost every bar"

                let sweep =
                    run
                        [
                            "--plugins"
                            folder
                            "backtest"
                            "--data"
                            january
                            "--strategy"
                            "sma-trend"
                            "--sweep"
                            "--json"
                        ]

                Expect.equal sweep.ExitCode 0 sweep.Stderr
                Expect.equal (sweep.Json.GetArrayLength()) 3 "period 10, 20, 50"

            testCase "an unknown strategy names the plugin ones too, and a missing plugin folder is a usage error"
            <| fun () ->
                let folder = pluginFolder ()

                let unknown =
                    run [ "--plugins"; folder; "backtest"; "--data"; january; "--strategy"; "nope" ]

                Expect.equal unknown.ExitCode 2 unknown.Stderr

                Expect.stringContains
                    unknown.Stderr
                    "(strategies: streak-reversal, candle-direction, sma-trend)"
                    "choices"

                let missing = run [ "--plugins"; Path.Combine(folder, "missing"); "strategies" ]
                Expect.equal missing.ExitCode 2 missing.Stderr

                Expect.equal
                    (missing.Stderr.Trim())
                    $"""error: --plugins: folder '{Path.Combine(folder, "missing")}' does not exist"""
                    "one line"

            testCase "config check --json shows where each setting came from and never the private key"
            <| fun () ->
                let directory = tempDirectory ()
                File.WriteAllText(Path.Combine(directory, ".env"), $"PRIVATE_KEY={testKey}\nBET_AMOUNT=10\n")

                File.WriteAllText(
                    Path.Combine(directory, "appsettings.json"),
                    """{ "MAX_DAILY_BETS": 7, "BET_AMOUNT": 3 }"""
                )

                let result =
                    runIn directory [ "MAX_DAILY_LOSS", "20" ] [ "config"; "check"; "--set"; "MIN_BET=2"; "--json" ]

                Expect.equal result.ExitCode 0 result.Stderr
                Expect.isTrue (result.Json.GetProperty("valid").GetBoolean()) "valid"

                let settings =
                    [
                        for s in result.Json.GetProperty("settings").EnumerateArray() ->
                            s.GetProperty("key").GetString(),
                            (s.GetProperty("value").ToString(), s.GetProperty("source").GetString())
                    ]
                    |> Map.ofList

                Expect.equal settings["BET_AMOUNT"] ("10", ".env") ".env beats appsettings.json"
                Expect.equal settings["MAX_DAILY_BETS"] ("7", "appsettings.json") "appsettings.json"
                Expect.equal settings["MAX_DAILY_LOSS"] ("20", "environment") "environment"
                Expect.equal settings["MIN_BET"] ("2", "--set") "--set"

                Expect.equal
                    settings["PRIVATE_KEY"]
                    ("<redacted> (address 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266)", ".env")
                    "redacted"

                Expect.isFalse (result.Stdout.Contains(testKey.Substring 2)) "the key is not printed"

            testCase "config check exits with 2 and one line per problem"
            <| fun () ->
                let result =
                    run [ "config"; "check"; "--set"; "BET_AMOUNT=-1"; "--set"; "CLOB_API=localhost" ]

                Expect.equal result.ExitCode 2 result.Stderr

                Expect.equal
                    (result.Stderr.Trim().Split('\n') |> List.ofArray)
                    [
                        "invalid: CLOB_API: must be an absolute http or https URL; got 'localhost' (from the command line)"
                        "invalid: BET_AMOUNT: must be a positive dollar amount; got '-1' (from the command line)"
                        "error: the configuration has 2 error(s)"
                    ]
                    "stderr"
        ]
