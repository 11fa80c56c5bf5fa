module PolymarketAlgo.Executor.Tests.OrderSerializerTests

open System
open System.Text.Json
open Expecto
open FsCheck
open FsCheck.FSharp
open PolymarketAlgo.Executor.Auth
open PolymarketAlgo.Executor.Orders
open PolymarketAlgo.Tests.TestHelpers
open PolymarketAlgo.Executor.Tests.Vectors
open PolymarketAlgo.Executor.Tests.OrderGenerators
open PolymarketAlgo.Executor.Tests.OrderSigningTests

let domain = ExchangeDomain.For(137L, false, false)

let e2eSigned () =
    (vectorBuilder ())
        .CreateLimitOrder(LimitOrderRequest(TokenId.Parse polymarketE2eToken, Side.Buy, 0.56m, 21.04m), market)
        .Value

let submit (signed: SignedOrder) =
    OrderSubmission.Create(signed, AuthTests.nilUuid, OrderType.Gtc).Value

/// A submission wrapping any order, with flags that fit its expiration.
let submission =
    gen {
        let! o = order
        let! signature = Gen.elements [ "0x" + String('a', 130); "0x" + String('b', 600) ]

        let! owner =
            Gen.elements [ AuthTests.nilUuid; "7c9f8a3e-1b2d-4e5f-8a9b-0c1d2e3f4a5b" ]

        let! postOnly = Gen.elements [ true; false ]
        let! deferExec = Gen.elements [ true; false ]
        let! marketable = Gen.elements [ OrderType.Fok; OrderType.Fak ]

        let orderType =
            if o.Expiration > 0L then OrderType.Gtd
            elif postOnly then OrderType.Gtc
            else marketable

        let signed = SignedOrder(o, OrderSigner.Hash(o, domain), signature)
        return OrderSubmission.Create(signed, owner, orderType, postOnly, deferExec).Value
    }

[<Tests>]
let tests =
    testList
        "OrderSerializer"
        [
            testCase "writes the §6.4 end-to-end POST /order body byte for byte"
            <| fun () -> Expect.equal (OrderSerializer.Serialize(submit (e2eSigned ()))) AuthTests.e2eBody "body"
            testCase "the end-to-end body signs to the documented HMAC"
            <| fun () ->
                let body = OrderSerializer.Serialize(submit (e2eSigned ()))

                Expect.equal
                    (L2Auth.ComputeSignature(zeroSecret, 1710000000L, "POST", "/order", body))
                    "XiR1-hnp1gZYsWZKhGi-_MWWotFSCQHRsypFdhZhYYc="
                    "H6"
            testCase "writes salt and signatureType as numbers and side, amounts and ids as strings"
            <| fun () ->
                let json = JsonDocument.Parse(OrderSerializer.Serialize(submit (e2eSigned ())))
                let order = json.RootElement.GetProperty "order"
                Expect.equal (order.GetProperty("salt").ValueKind) JsonValueKind.Number "salt"
                Expect.equal (order.GetProperty("signatureType").ValueKind) JsonValueKind.Number "signatureType"

                for name in [ "tokenId"; "makerAmount"; "takerAmount"; "side"; "timestamp"; "expiration" ] do
                    Expect.equal (order.GetProperty(name).ValueKind) JsonValueKind.String name

                Expect.isFalse (order.TryGetProperty "taker" |> fst) "no taker in V2"
            testCase "writes a GTD SELL with its expiration, post-only and the SELL side"
            <| fun () ->
                let o =
                    Order(
                        1L,
                        anvilKey.Address,
                        anvilKey.Address,
                        TokenId.Parse "1",
                        5000000L,
                        2500000L,
                        Side.Sell,
                        SignatureType.Eoa,
                        1710000000000L,
                        expiration = 1710003600L
                    )

                let body =
                    OrderSerializer.Serialize(
                        OrderSubmission.Create(OrderSigner.Sign(o, domain, anvilKey), "k", OrderType.Gtd, true).Value
                    )

                Expect.stringStarts body """{"deferExec":false,"postOnly":true,"order":{"salt":1,""" "head"
                Expect.stringContains body "\"side\":\"SELL\"" "side"
                Expect.stringContains body "\"expiration\":\"1710003600\"" "expiration"
                Expect.stringEnds body "\"owner\":\"k\",\"orderType\":\"GTD\"}" "tail"
            testProp "round-trips every submission through its JSON body"
            <| Prop.forAll (Arb.fromGen submission) (fun s ->
                let json = OrderSerializer.Serialize s
                let back = (OrderSerializer.Deserialize(json, domain)).Value
                back = s && OrderSerializer.Serialize back = json)
            testCase "writes a batch as a JSON array of the single bodies"
            <| fun () ->
                let one = submit (e2eSigned ())
                let batch = (OrderSerializer.SerializeBatch [| one; one |]).Value
                Expect.equal batch $"[{AuthTests.e2eBody},{AuthTests.e2eBody}]" "array"

                let back = (OrderSerializer.DeserializeBatch(batch, fun _ -> domain)).Value

                Expect.equal (List.ofSeq back) [ one; one ] "round trip"
            testCase "accepts 15 orders in a batch and rejects 16"
            <| fun () ->
                let one = submit (e2eSigned ())
                Expect.isTrue (OrderSerializer.SerializeBatch(Array.create 15 one)).IsOk "15"

                Expect.equal
                    (OrderSerializer.SerializeBatch(Array.create 16 one)).Error.Kind
                    OrderErrorKind.TooManyOrders
                    "16"
            testCase "rejects an empty batch and a batch mixing post-only"
            <| fun () ->
                let signed = e2eSigned ()
                let normal = submit signed

                let postOnly =
                    OrderSubmission.Create(signed, AuthTests.nilUuid, OrderType.Gtc, true).Value

                Expect.equal (OrderSerializer.SerializeBatch [||]).Error.Kind OrderErrorKind.EmptyBatch "empty"

                Expect.equal
                    (OrderSerializer.SerializeBatch [| normal; postOnly |]).Error.Kind
                    OrderErrorKind.MixedPostOnly
                    "mixed"
            testCase "rejects post-only on FOK/FAK and an expiration on non-GTD orders"
            <| fun () ->
                let signed = e2eSigned ()

                Expect.equal
                    (OrderSubmission.Create(signed, "k", OrderType.Fok, true)).Error.Kind
                    OrderErrorKind.PostOnlyNotAllowed
                    "FOK post-only"

                Expect.equal
                    (OrderSubmission.Create(signed, "k", OrderType.Gtd)).Error.Kind
                    OrderErrorKind.InvalidExpiration
                    "GTD without expiration"
            testCase "rejects a malformed body with a JsonException"
            <| fun () ->
                let broken = AuthTests.e2eBody.Replace("\"side\":\"BUY\"", "\"side\":\"HOLD\"")

                Expect.throwsT<JsonException>
                    (fun () -> OrderSerializer.Deserialize(broken, domain) |> ignore)
                    "bad side"

                Expect.throwsT<JsonException>
                    (fun () -> OrderSerializer.Deserialize("""{"order":{}}""", domain) |> ignore)
                    "missing fields"
        ]
