/// The CLI's client commands end to end against the local simulator, which verifies the ClobAuth (L1)
/// signature, the L2 HMAC headers and the EIP-712 order signatures it receives.
module PolymarketAlgo.Cli.Tests.SimulatorCliTests

open System
open System.IO
open Expecto
open PolymarketAlgo.Simulator
open PolymarketAlgo.Simulator.Data
open PolymarketAlgo.Tests.TestHelpers
open PolymarketAlgo.Cli.Tests.CliRunner
open PolymarketAlgo.Cli.Tests.SimulatorFixture

[<Tests>]
let tests =
    testSequenced
    <| testList
        "CLI against the simulator"
        [
            testCase "auth derive, markets and a posted market order are accepted by the simulator"
            <| fun () ->
                let data = recorded.Value

                withSimulator
                    (SimulatorOptions(
                        Data = data,
                        Port = 0,
                        Start = Nullable DateTimeOffset.UtcNow,
                        Speed = Nullable 1.0
                    ))
                    (fun host baseUrl ->
                        let home = tempDirectory ()
                        let environment = [ "POLYMARKET_PRIVATE_KEY", testKey; "HOME", home ]
                        let cli = runIn home environment

                        let derive = cli [ "auth"; "derive"; "--create"; "--clob-url"; $"{baseUrl}/clob" ]
                        Expect.equal derive.ExitCode 0 derive.Stderr
                        let credentials = Path.Combine(home, ".polymarket-algo", "credentials.json")
                        Expect.isTrue (File.Exists credentials) "credentials stored"

                        Expect.equal
                            (File.GetUnixFileMode credentials)
                            (UnixFileMode.UserRead ||| UnixFileMode.UserWrite)
                            "readable by the owner only"

                        let markets =
                            cli
                                [
                                    "markets"
                                    "btc-5m"
                                    "--count"
                                    "2"
                                    "--gamma-url"
                                    $"{baseUrl}/gamma"
                                    "--json"
                                ]

                        Expect.equal markets.ExitCode 0 markets.Stderr
                        let first = markets.Json[0]
                        let upToken = first.GetProperty("up_token_id").GetString()

                        Expect.stringStarts
                            (first.GetProperty("slug").GetString())
                            "btc-updown-5m-"
                            "a btc-updown-5m window"

                        let order =
                            cli
                                [
                                    "order"
                                    "build"
                                    "--token-id"
                                    upToken
                                    "--side"
                                    "BUY"
                                    "--market"
                                    "--amount"
                                    "5"
                                    "--price"
                                    "0.99"
                                    "--clob-url"
                                    $"{baseUrl}/clob"
                                    "--json"
                                ]

                        Expect.equal order.ExitCode 0 order.Stderr
                        Expect.isTrue (order.Json.GetProperty("success").GetBoolean()) order.Stdout

                        Expect.equal
                            (order.Json.GetProperty("order_id").GetString())
                            (order.Json.GetProperty("order_hash").GetString())
                            "the exchange's id is our hash"

                        // A wrong key signs for another address: the exchange refuses the L2 headers of the stored credentials.
                        let wrongKey =
                            runIn
                                home
                                [
                                    "POLYMARKET_PRIVATE_KEY",
                                    "0x59c6995e998f97a5a0044966f0caa520c21de6a1cf9c7b14e2c3dff89c2c1a4a"
                                    "HOME", home
                                ]
                                [
                                    "order"
                                    "build"
                                    "--token-id"
                                    upToken
                                    "--side"
                                    "BUY"
                                    "--market"
                                    "--amount"
                                    "5"
                                    "--price"
                                    "0.99"
                                    "--clob-url"
                                    $"{baseUrl}/clob"
                                ]

                        Expect.equal wrongKey.ExitCode 1 wrongKey.Stdout)

            testCase "record follows the simulator's btc-5m windows into JSONL that replay reads back"
            <| fun () ->
                let data = recorded.Value

                withSimulator
                    (SimulatorOptions(
                        Data = data,
                        Port = 0,
                        Start = Nullable DateTimeOffset.UtcNow,
                        Speed = Nullable 1.0
                    ))
                    (fun host baseUrl ->
                        let dir = tempDirectory ()
                        let out = Path.Combine(dir, "recordings")

                        let record =
                            runIn
                                dir
                                []
                                [
                                    "record"
                                    "btc-5m"
                                    "--out"
                                    out
                                    "--seconds"
                                    "6"
                                    "--ws-url"
                                    baseUrl.Replace("http://", "ws://") + "/ws/market"
                                    "--gamma-url"
                                    $"{baseUrl}/gamma"
                                    "--clob-url"
                                    $"{baseUrl}/clob"
                                ]

                        Expect.equal record.ExitCode 0 record.Stderr
                        let files = Directory.GetFiles(out, "*.jsonl")
                        Expect.isNonEmpty files "a JSONL file was written"

                        let replay = runIn dir [] [ "replay"; "--input"; out; "--json" ]
                        Expect.equal replay.ExitCode 0 replay.Stderr

                        Expect.isGreaterThan
                            (replay.Json.GetProperty("messages").GetInt64())
                            0L
                            "messages recorded and replayed"

                        Expect.isGreaterThan
                            (replay.Json.GetProperty("books").GetArrayLength())
                            0
                            "books rebuilt from the recording")
        ]
