module PolymarketAlgo.Executor.Tests.AuthTests

open System
open System.Net.Http
open System.Text.Json
open Expecto
open PolymarketAlgo.Executor.Auth
open PolymarketAlgo.Executor.Crypto
open PolymarketAlgo.Executor.Secrets
open PolymarketAlgo.Tests.TestHelpers
open PolymarketAlgo.Executor.Tests.Vectors

/// The compact POST /order body of the §6.4 end-to-end example.
let e2eBody =
    """{"deferExec":false,"postOnly":false,"order":{"salt":479249096354,"maker":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","signer":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","tokenId":"71321045679252212594626385532706912750332728571942532289631379312455583992563","makerAmount":"11782400","takerAmount":"21040000","side":"BUY","signatureType":0,"timestamp":"1710000000000","expiration":"0","metadata":"0x0000000000000000000000000000000000000000000000000000000000000000","builder":"0x0000000000000000000000000000000000000000000000000000000000000000","signature":"0xbe22dcae8bdbbedc588720605918c2bc6c556e19ff9c4089c706982b9202e0fe776c191f60767acd28e6420bce71edec0397c0b356458113130a37c5a0dd03501c"},"owner":"00000000-0000-0000-0000-000000000000","orderType":"GTC"}"""

let nilUuid = "00000000-0000-0000-0000-000000000000"

let apiCredentials () =
    Credentials.FromPrivateKey(anvilKey).WithApiCredentials(nilUuid, zeroSecret, String('a', 64))

[<Tests>]
let tests =
    testList
        "Auth"
        [
            testList
                "ClobAuth (L1, §6.1)"
                [
                    testCase "reproduces official vector A: Amoy, timestamp 10000000, nonce 23"
                    <| fun () ->
                        let address = Address.Parse anvilAddress

                        Expect.equal
                            ((ClobAuth.Domain 80002L).SeparatorHex())
                            "0xa1df8f4e3112eaee2448fbec9ab79f68278407e49d9cf52e3dd3d9692fcac9b6"
                            "domain separator (80002)"

                        Expect.equal
                            (hex (ClobAuth.StructHash(address, 10000000L, 23L)))
                            "0x11100b50654a1fcdab3af4f391788034786202690bb9319db16fd3f335ef643c"
                            "struct hash"

                        Expect.equal
                            (hex (ClobAuth.Digest(80002L, address, 10000000L, 23L)))
                            "0x8f442df8073c9cf2e36d7b20ca9d64d1a9352e982cc82a293b7de2df57920610"
                            "digest"

                        Expect.equal
                            ((ClobAuth.Sign(anvilKey, 80002L, 10000000L, 23L)).ToHex())
                            "0xf62319a987514da40e57e2f4d7529f7bac38f0355bd88bb5adbb3768d80de6c1682518e0af677d5260366425f4361e7b70c25ae232aff0ab2331e2b164a1aedc1b"
                            "signature"
                    testCase "matches the Polygon domain separator"
                    <| fun () ->
                        Expect.equal
                            ((ClobAuth.Domain 137L).SeparatorHex())
                            "0xcfc66be2a3b30464cb3b588324101f660c9a205fa76e8e5f83ee16a528e1c4cb"
                            "domain separator (137)"
                    testCase "reproduces derived vector B: Polygon, timestamp 1700000000, nonce 0"
                    <| fun () ->
                        Expect.equal
                            (hex (ClobAuth.Digest(137L, anvilKey.Address, 1700000000L, 0L)))
                            "0xc85352894b3c41f3ea6152479d64b9233fbaf2de87eabc7e4bba3a161fd28493"
                            "digest"

                        Expect.equal
                            ((ClobAuth.Sign(anvilKey, 137L, 1700000000L, 0L)).ToHex())
                            "0x659ed4b28ae28e0f038fdf0023c00863c9559caacb9ebc83f44eea87059a099a36f1e1dee110e7faa1c4f65d17489b2da1333ebef78bbe2116d81207b975052d1c"
                            "signature"
                    testCase "agrees with the generic EIP-712 encoder"
                    <| fun () ->
                        let types =
                            Eip712Types(
                                dict
                                    [
                                        "ClobAuth",
                                        [
                                            Eip712Field("address", "address")
                                            Eip712Field("timestamp", "string")
                                            Eip712Field("nonce", "uint256")
                                            Eip712Field("message", "string")
                                        ]
                                        :> Collections.Generic.IReadOnlyList<_>
                                    ]
                                |> Collections.Generic.Dictionary
                            )

                        let message =
                            dict
                                [
                                    "address", box anvilAddress
                                    "timestamp", box "10000000"
                                    "nonce", box 23
                                    "message", box ClobAuth.AttestationMessage
                                ]
                            |> Collections.Generic.Dictionary<string, obj>

                        Expect.equal
                            (hex (types.HashStruct("ClobAuth", message)))
                            (hex (ClobAuth.StructHash(anvilKey.Address, 10000000L, 23L)))
                            "struct hash"
                    testCase "builds the four L1 headers with the signed timestamp and nonce"
                    <| fun () ->
                        let headers = ClobAuth.CreateHeaders(anvilKey, 80002L, 10000000L, 23L)
                        Expect.equal headers[HeaderNames.Address] anvilAddress "POLY_ADDRESS (checksummed)"

                        Expect.equal
                            headers[HeaderNames.Signature]
                            "0xf62319a987514da40e57e2f4d7529f7bac38f0355bd88bb5adbb3768d80de6c1682518e0af677d5260366425f4361e7b70c25ae232aff0ab2331e2b164a1aedc1b"
                            "POLY_SIGNATURE"

                        Expect.equal headers[HeaderNames.Timestamp] "10000000" "POLY_TIMESTAMP"
                        Expect.equal headers[HeaderNames.Nonce] "23" "POLY_NONCE"
                    testCase "timestamps L1 headers in seconds from the clock"
                    <| fun () ->
                        let clock =
                            Microsoft.Extensions.Time.Testing.FakeTimeProvider(
                                DateTimeOffset.FromUnixTimeSeconds 1700000000L
                            )

                        let headers = ClobAuth.CreateHeaders(anvilKey, 137L, clock)
                        Expect.equal headers[HeaderNames.Timestamp] "1700000000" "seconds"
                        Expect.equal headers[HeaderNames.Nonce] "0" "default nonce"
                ]

            testList
                "L2 HMAC (§6.2)"
                [
                    for name, timestamp, methodName, path, body, expected in
                        [
                            "H1 (official, spaced body)",
                            1000000L,
                            "test-sign",
                            "/orders",
                            """{"hash": "0x123"}""",
                            "ZwAdJKvoYRlEKDkNMwd5BuwNNtg93kNaR_oU2HrfVvc="
                            "H2 (official, compact body)",
                            1000000L,
                            "test-sign",
                            "/orders",
                            """{"hash":"0x123"}""",
                            "4gJVbox-R6XlDK4nlaicig0_ANVL1qdcahiL8CXfXLM="
                            "H3 (official, no body)",
                            1L,
                            "GET",
                            "/",
                            null,
                            "eHaylCwqRSOa2LFD77Nt_SaTpbsxzN8eTEI3LryhEj4="
                            "H4",
                            1710000000L,
                            "GET",
                            "/data/orders",
                            null,
                            "ikhPvzkGUsjL-NRfc7-t_mgOlnzt9QU9GD1LKLTs8z4="
                            "H5",
                            1710000000L,
                            "DELETE",
                            "/order",
                            """{"orderID":"0xabc"}""",
                            "C9K4P2fc4A3SENG-i0t7eHELcV0hEbbIQy5EKSVB1Fw="
                            "H6 (the end-to-end order body)",
                            1710000000L,
                            "POST",
                            "/order",
                            e2eBody,
                            "XiR1-hnp1gZYsWZKhGi-_MWWotFSCQHRsypFdhZhYYc="
                        ] do
                        testCase $"reproduces {name}"
                        <| fun () ->
                            Expect.equal
                                (L2Auth.ComputeSignature(zeroSecret, timestamp, methodName, path, body))
                                expected
                                "signature"
                    testCase "signs exactly timestamp + method + path + body"
                    <| fun () ->
                        Expect.equal
                            (L2Auth.BuildMessage(1000000L, "test-sign", "/orders", """{"hash":"0x123"}"""))
                            """1000000test-sign/orders{"hash":"0x123"}"""
                            "H2 message"
                    testCase "treats a null and an empty body alike"
                    <| fun () ->
                        Expect.equal
                            (L2Auth.ComputeSignature(zeroSecret, 1L, "GET", "/", null))
                            (L2Auth.ComputeSignature(zeroSecret, 1L, "GET", "/", ""))
                            "null = empty"
                    testCase "decodes standard and url-safe secrets, padded or not, to the same key"
                    <| fun () ->
                        let sign (secret: string) =
                            L2Auth.ComputeSignature(secret, 1000000L, "test-sign", "/orders", """{"hash": "0x123"}""")

                        Expect.equal
                            (sign "++/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
                            (sign "--_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                            "base64 = base64url"

                        Expect.equal
                            (sign "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                            "ZwAdJKvoYRlEKDkNMwd5BuwNNtg93kNaR_oU2HrfVvc="
                            "unpadded zero secret gives H1"
                    testCase "rejects a secret with junk characters, as the V2 clients do"
                    <| fun () ->
                        Expect.throwsT<FormatException>
                            (fun () ->
                                L2Auth.DecodeSecret "AAAAAAAAA^^AAAAAAAA<>AAAAA||AAAAAAAAAAAAAAAAAAAAA="
                                |> ignore)
                            "junk"
                    testCase "builds the five L2 headers from credentials (rs-clob-client l2_headers vector)"
                    <| fun () ->
                        let headers = L2Auth.CreateHeaders(apiCredentials (), 1L, "GET", "/")
                        Expect.equal headers[HeaderNames.Address] anvilAddress "POLY_ADDRESS"

                        Expect.equal
                            headers[HeaderNames.Signature]
                            "eHaylCwqRSOa2LFD77Nt_SaTpbsxzN8eTEI3LryhEj4="
                            "POLY_SIGNATURE"

                        Expect.equal headers[HeaderNames.Timestamp] "1" "POLY_TIMESTAMP"
                        Expect.equal headers[HeaderNames.ApiKey] nilUuid "POLY_API_KEY"
                        Expect.equal headers[HeaderNames.Passphrase] (String('a', 64)) "POLY_PASSPHRASE"
                    testCase "puts the headers on a request"
                    <| fun () ->
                        use request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1/order")
                        L2Auth.CreateHeaders(apiCredentials (), 1710000000L, "POST", "/order", e2eBody).ApplyTo request

                        Expect.equal
                            (request.Headers.GetValues HeaderNames.Signature |> Seq.exactlyOne)
                            "XiR1-hnp1gZYsWZKhGi-_MWWotFSCQHRsypFdhZhYYc="
                            "signature header"
                    testCase "refuses L2 headers without API credentials"
                    <| fun () ->
                        Expect.throwsT<InvalidOperationException>
                            (fun () ->
                                L2Auth.CreateHeaders(Credentials.FromPrivateKey anvilKey, 1L, "GET", "/")
                                |> ignore)
                            "no API credentials"
                ]

            testList
                "Secrets"
                [
                    testCase "parse a key with or without 0x and with surrounding whitespace"
                    <| fun () ->
                        let bare = PrivateKey.Parse(anvilKeyHex.Substring 2)
                        let padded = PrivateKey.Parse($"  {anvilKeyHex}\n")
                        Expect.equal bare.Address.Checksummed anvilAddress "bare"
                        Expect.equal padded.Address.Checksummed anvilAddress "padded"
                    for label, text, reason in
                        [
                            "an empty key", "", InvalidPrivateKeyReason.Empty
                            "a short key", "0x1234", InvalidPrivateKeyReason.WrongLength
                            "a non-hex key", "0x" + String('g', 64), InvalidPrivateKeyReason.NotHex
                            "the zero key", String('0', 64), InvalidPrivateKeyReason.OutOfRange
                            "the group order n",
                            "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
                            InvalidPrivateKeyReason.OutOfRange
                        ] do
                        testCase $"reject {label} with reason {reason}"
                        <| fun () ->
                            let error = Expect.throwsC (fun () -> PrivateKey.Parse text |> ignore) (fun e -> e)

                            match error with
                            | :? InvalidPrivateKeyException as invalid ->
                                Expect.equal invalid.Reason reason "reason"

                                if text.Length > 4 then
                                    Expect.isFalse (invalid.Message.Contains text) "the message never echoes the key"
                            | other -> failtest $"unexpected {other.GetType().Name}"
                    testCase "redact the key, secret and passphrase in ToString"
                    <| fun () ->
                        let credentials = apiCredentials ()

                        let texts =
                            [
                                string anvilKey
                                string credentials
                                string (L2Auth.CreateHeaders(credentials, 1L, "GET", "/"))
                            ]

                        for text in texts do
                            Expect.isFalse (text.Contains(anvilKeyHex.Substring 2)) "no key"

                            Expect.isFalse
                                (text.Contains "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80")
                                "no key"

                            Expect.isFalse (text.Contains(String('a', 64))) "no passphrase"
                            Expect.isFalse (text.Contains zeroSecret) "no secret"
                            Expect.isFalse (text.Contains "eHaylCwqRSOa2LFD77Nt_SaTpbsxzN8eTEI3LryhEj4=") "no HMAC"

                        Expect.stringContains (string credentials) anvilAddress "shows the address"
                    testCase "refuse JSON serialisation of secrets"
                    <| fun () ->
                        Expect.throwsT<NotSupportedException>
                            (fun () -> JsonSerializer.Serialize anvilKey |> ignore)
                            "key"

                        Expect.throwsT<NotSupportedException>
                            (fun () -> JsonSerializer.Serialize(apiCredentials ()) |> ignore)
                            "credentials"

                        Expect.throwsT<NotSupportedException>
                            (fun () ->
                                JsonSerializer.Serialize(L2Auth.CreateHeaders(apiCredentials (), 1L, "GET", "/"))
                                |> ignore)
                            "headers"
                    testCase "reject an API secret that is not base64"
                    <| fun () ->
                        Expect.throwsT<ArgumentException>
                            (fun () ->
                                Credentials.FromPrivateKey(anvilKey).WithApiCredentials(nilUuid, "a", "p")
                                |> ignore)
                            "bad secret"
                ]
        ]
