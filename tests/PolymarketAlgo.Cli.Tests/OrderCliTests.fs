module PolymarketAlgo.Cli.Tests.OrderCliTests

open System.IO
open Expecto
open PolymarketAlgo.Cli.Tests.CliRunner
open PolymarketAlgo.Cli.Tests.SimulatorFixture

let private withKey = [ "POLYMARKET_PRIVATE_KEY", testKey ]

let private endToEndArgs =
    [
        "order"
        "build"
        "--token-id"
        "71321045679252212594626385532706912750332728571942532289631379312455583992563"
        "--side"
        "BUY"
        "--price"
        "0.56"
        "--size"
        "21.04"
        "--salt"
        "479249096354"
        "--timestamp-ms"
        "1710000000000"
        "--dry-run"
        "--json"
    ]

[<Tests>]
let tests =
    testList
        "CLI order and auth commands"
        [
            testCase "order build --dry-run prints the body and hash of polymarket-protocol §6.4's end-to-end example"
            <| fun () ->
                let credentials =
                    withKey
                    @ [
                        "POLYMARKET_API_KEY", "00000000-0000-0000-0000-000000000000"
                        "POLYMARKET_API_SECRET", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
                        "POLYMARKET_API_PASSPHRASE", "p"
                    ]

                let result = runIn (tempDirectory ()) credentials endToEndArgs
                Expect.equal result.ExitCode 0 result.Stderr

                Expect.equal
                    (result.Json.GetProperty("order_hash").GetString())
                    "0xdcf2d6453bc6e997192ae0fa65e13db7725e5f21b92762696c3a661a68e4f63f"
                    "hash"

                Expect.equal
                    (result.Json.GetProperty("body").GetRawText())
                    """{"deferExec":false,"postOnly":false,"order":{"salt":479249096354,"maker":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","signer":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","tokenId":"71321045679252212594626385532706912750332728571942532289631379312455583992563","makerAmount":"11782400","takerAmount":"21040000","side":"BUY","signatureType":0,"timestamp":"1710000000000","expiration":"0","metadata":"0x0000000000000000000000000000000000000000000000000000000000000000","builder":"0x0000000000000000000000000000000000000000000000000000000000000000","signature":"0xbe22dcae8bdbbedc588720605918c2bc6c556e19ff9c4089c706982b9202e0fe776c191f60767acd28e6420bce71edec0397c0b356458113130a37c5a0dd03501c"},"owner":"00000000-0000-0000-0000-000000000000","orderType":"GTC"}"""
                    "exact body"

            testCase "the private key is read from .env and never printed"
            <| fun () ->
                let dir = tempDirectory ()
                File.WriteAllText(Path.Combine(dir, ".env"), $"POLYMARKET_PRIVATE_KEY={testKey}\n")
                let result = runIn dir [] endToEndArgs
                Expect.equal result.ExitCode 0 result.Stderr
                Expect.isFalse ((result.Stdout + result.Stderr).Contains(testKey.Substring 2)) "key never printed"

            testCase "invalid orders give one clear line and exit code 2"
            <| fun () ->
                let build extra =
                    runIn
                        (tempDirectory ())
                        withKey
                        ([ "order"; "build"; "--token-id"; "1"; "--side"; "BUY"; "--dry-run" ] @ extra)

                for extra, fragment in
                    [
                        [ "--price"; "0.555"; "--size"; "10" ], "tick"
                        [ "--price"; "1.5"; "--size"; "10" ], "outside"
                        [ "--price"; "0.5"; "--size"; "1" ], "minimum"
                        [ "--price"; "0.5"; "--size"; "10"; "--tick-size"; "0.02" ], "not a Polymarket tick"
                    ] do
                    let result = build extra
                    Expect.equal result.ExitCode 2 $"{extra}: {result.Stderr}"
                    Expect.stringContains result.Stderr fragment "names the problem"

                let badKey =
                    runIn
                        (tempDirectory ())
                        [ "POLYMARKET_PRIVATE_KEY", "0x1234" ]
                        [
                            "order"
                            "build"
                            "--token-id"
                            "1"
                            "--side"
                            "BUY"
                            "--price"
                            "0.5"
                            "--size"
                            "10"
                            "--dry-run"
                        ]

                Expect.equal badKey.ExitCode 2 badKey.Stderr
                Expect.stringContains badKey.Stderr "invalid private key" "invalid key"

                let noKey =
                    run
                        [
                            "order"
                            "build"
                            "--token-id"
                            "1"
                            "--side"
                            "BUY"
                            "--price"
                            "0.5"
                            "--size"
                            "10"
                            "--dry-run"
                        ]

                Expect.equal noKey.ExitCode 2 noKey.Stderr
                Expect.stringContains noKey.Stderr "POLYMARKET_PRIVATE_KEY" "says where the key comes from"

            testCase "auth headers prints L1 headers signed by the wallet"
            <| fun () ->
                let result =
                    runIn
                        (tempDirectory ())
                        withKey
                        [
                            "auth"
                            "headers"
                            "--method"
                            "GET"
                            "--path"
                            "/auth/derive-api-key"
                            "--level"
                            "1"
                            "--json"
                        ]

                Expect.equal result.ExitCode 0 result.Stderr

                Expect.equal
                    (result.Json.GetProperty("POLY_ADDRESS").GetString())
                    "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
                    "address"

                Expect.equal (result.Json.GetProperty("POLY_NONCE").GetString()) "0" "nonce"
        ]
