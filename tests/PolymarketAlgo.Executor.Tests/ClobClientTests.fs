module PolymarketAlgo.Executor.Tests.ClobClientTests

open System
open System.Text
open System.Text.Json
open System.Text.Json.Nodes
open System.Threading.Tasks
open Expecto
open Microsoft.AspNetCore.Http
open PolymarketAlgo.Executor.Rest
open PolymarketAlgo.Executor.Tests.FakePolymarket

let private bookFile =
    "nautilus_trader/integration_resources/http_responses/book.json"

let private marketFile =
    "nautilus_trader/integration_resources/http_responses/market.json"

let private marketsFile =
    "nautilus_trader/integration_resources/http_responses/markets.json"

let private closedMarketFile =
    "nautilus_trader/crates_test_data/clob_market_closed_binary_accepting_false.json"

let private tradeFile =
    "nautilus_trader/integration_resources/ws_messages/user_trade1.json"

let private orderFile =
    "nautilus_trader/integration_resources/ws_messages/order_placement.json"

let private levels (element: JsonElement) =
    [
        for level in element.EnumerateArray() -> dec (level.GetProperty "price"), dec (level.GetProperty "size")
    ]

let private noConfig = ignore

/// The §4.5 POST /order body, pretty-printed as a signer might have written it: the client must send these bytes unchanged.
let private orderBody =
    """{
  "deferExec": false,
  "postOnly": false,
  "order": {
    "salt": 479249096354,
    "maker": "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
    "signer": "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
    "tokenId": "71321045679252212594626385532706912750332728571942532289631379312455583992563",
    "makerAmount": "11782400",
    "takerAmount": "21040000",
    "side": "BUY",
    "signatureType": 0,
    "timestamp": "1710000000000",
    "expiration": "0",
    "metadata": "0x0000000000000000000000000000000000000000000000000000000000000000",
    "builder": "0x0000000000000000000000000000000000000000000000000000000000000000",
    "signature": "0x00"
  },
  "owner": "00000000-1111-2222-3333-444444444444",
  "orderType": "GTC"
}"""

/// The §4.6 example reply.
let private orderReply =
    """{ "success": true, "errorMsg": "", "orderID": "0x2b8b3e9ae6d0d4d2b6a5f5b5c4ec3e4f0f1a3c5f5b1c8b1d1c2e3f4a5b6c7d8e", "status": "matched",
  "makingAmount": "11.7824", "takingAmount": "21.04",
  "tradeIDs": ["28c4d2eb-bbbb-cccc-dddd-eeeeeeeeeeee"], "transactionsHashes": [] }"""

let private expectAuthenticated (request: Recorded) =
    for name, value in FixedAuthenticator.Headers do
        Expect.equal (request.Headers.TryFind name) (Some value) $"{request.Method} {request.Path} carries {name}"

[<Tests>]
let tests =
    testSequenced
    <| testList
        "ClobClient"
        [
            testList
                "public market data"
                [
                    testCase "GET /book parses the recorded book level by level"
                    <| fun () ->
                        runTask
                        <| task {
                            let handler (r: Recorded) ctx =
                                if r.Path = "/clob/book" then
                                    json ctx 200 (payload bookFile)
                                else
                                    notFound ctx

                            do!
                                withServer handler noConfig TimeProvider.System (fun server h ->
                                    task {
                                        use expected = payloadDocument bookFile
                                        let root = expected.RootElement
                                        let tokenId = str root "asset_id"
                                        let! book = h.Clob.GetBookAsync(tokenId)
                                        Expect.equal server.Requests[0].Method "GET" "method"

                                        Expect.equal
                                            (server.Requests[0].QueryValue "token_id")
                                            tokenId
                                            "token_id query"

                                        Expect.equal book.Market (str root "market") "market"
                                        Expect.equal book.AssetId tokenId "asset_id"
                                        Expect.equal book.Hash (str root "hash") "hash"
                                        Expect.equal book.TimestampMs (Int64.Parse(str root "timestamp")) "timestamp"

                                        Expect.equal
                                            [ for l in book.Bids -> l.Price, l.Size ]
                                            (levels (root.GetProperty "bids"))
                                            "bids"

                                        Expect.equal
                                            [ for l in book.Asks -> l.Price, l.Size ]
                                            (levels (root.GetProperty "asks"))
                                            "asks"

                                        Expect.equal
                                            (book.BestBid().Price)
                                            (levels (root.GetProperty "bids") |> List.map fst |> List.max)
                                            "best bid is the highest bid"

                                        Expect.equal
                                            (book.BestAsk().Price)
                                            (levels (root.GetProperty "asks") |> List.map fst |> List.min)
                                            "best ask is the lowest ask"

                                        Expect.equal (book.BestAsk().Size) 705m "size at the best ask (0.14)"
                                    })
                        }

                    testCase "POST /books sends the token list and parses every book"
                    <| fun () ->
                        runTask
                        <| task {
                            let handler (r: Recorded) ctx =
                                if r.Path = "/clob/books" then
                                    json ctx 200 ("[" + payload bookFile + "," + payload bookFile + "]")
                                else
                                    notFound ctx

                            do!
                                withServer handler noConfig TimeProvider.System (fun server h ->
                                    task {
                                        let! books = h.Clob.GetBooksAsync([ "111"; "222" ])
                                        Expect.equal server.Requests[0].Method "POST" "method"

                                        Expect.equal
                                            server.Requests[0].BodyText
                                            """[{"token_id":"111"},{"token_id":"222"}]"""
                                            "body"

                                        Expect.equal books.Count 2 "two books"
                                        Expect.equal books[1].Asks.Count 7 "seven asks as recorded"
                                    })
                        }

                    testCase "price, midpoint, spread, tick size, neg-risk and fee rate read the documented shapes"
                    <| fun () ->
                        runTask
                        <| task {
                            let handler (r: Recorded) (ctx: HttpContext) =
                                match r.Path with
                                | "/clob/price" -> json ctx 200 """{"price":"0.45"}"""
                                | "/clob/midpoint" -> json ctx 200 """{"mid":"0.455"}"""
                                | "/clob/spread" -> json ctx 200 """{"spread":"0.01"}"""
                                | "/clob/tick-size" -> json ctx 200 """{"minimum_tick_size":0.01}"""
                                | "/clob/neg-risk" -> json ctx 200 """{"neg_risk":false}"""
                                | "/clob/fee-rate" -> json ctx 200 """{"base_fee":1000}"""
                                | "/clob/time" -> json ctx 200 "1762000000"
                                | _ -> notFound ctx

                            do!
                                withServer handler noConfig TimeProvider.System (fun server h ->
                                    task {
                                        let! price = h.Clob.GetPriceAsync("123", QuoteSide.Sell)
                                        let! mid = h.Clob.GetMidpointAsync("123")
                                        let! spread = h.Clob.GetSpreadAsync("123")
                                        let! tick = h.Clob.GetTickSizeAsync("123")
                                        let! negRisk = h.Clob.GetNegRiskAsync("123")
                                        let! fee = h.Clob.GetFeeRateBpsAsync("123")
                                        let! time = h.Clob.GetServerTimeAsync()
                                        Expect.equal price 0.45m "price"
                                        Expect.equal (server.Requests[0].QueryValue "side") "SELL" "side query"
                                        Expect.equal mid 0.455m "mid"
                                        Expect.equal spread 0.01m "spread"
                                        Expect.equal tick 0.01m "tick"
                                        Expect.isFalse negRisk "neg risk"
                                        Expect.equal fee 1000 "fee bps"
                                        Expect.equal (time.ToUnixTimeSeconds()) 1762000000L "server time"
                                    })
                        }

                    testCase "the batch price endpoints send token lists and read maps by token"
                    <| fun () ->
                        runTask
                        <| task {
                            let handler (r: Recorded) (ctx: HttpContext) =
                                match r.Path with
                                | "/clob/prices" ->
                                    json ctx 200 """{"111":{"BUY":"0.45","SELL":"0.46"},"222":{"BUY":"0.53"}}"""
                                | "/clob/midpoints" -> json ctx 200 """{"111":"0.455"}"""
                                | "/clob/spreads" -> json ctx 200 """{"111":"0.01"}"""
                                | _ -> notFound ctx

                            do!
                                withServer handler noConfig TimeProvider.System (fun server h ->
                                    task {
                                        let! prices =
                                            h.Clob.GetPricesAsync(
                                                [
                                                    PriceRequest("111", QuoteSide.Buy)
                                                    PriceRequest("111", QuoteSide.Sell)
                                                    PriceRequest("222", QuoteSide.Buy)
                                                ]
                                            )

                                        let! mids = h.Clob.GetMidpointsAsync([ "111" ])
                                        let! spreads = h.Clob.GetSpreadsAsync([ "111" ])

                                        Expect.equal
                                            server.Requests[0].BodyText
                                            """[{"token_id":"111","side":"BUY"},{"token_id":"111","side":"SELL"},{"token_id":"222","side":"BUY"}]"""
                                            "prices body"

                                        Expect.equal
                                            prices["111"]
                                            (TokenPrices(Nullable 0.45m, Nullable 0.46m))
                                            "both sides"

                                        Expect.equal prices["222"] (TokenPrices(Nullable 0.53m, Nullable())) "one side"
                                        Expect.equal mids["111"] 0.455m "midpoints"
                                        Expect.equal spreads["111"] 0.01m "spreads"
                                    })
                        }

                    testCase "prices-history sends the token as market with bounds and fidelity"
                    <| fun () ->
                        runTask
                        <| task {
                            let handler (r: Recorded) ctx =
                                if r.Path = "/clob/prices-history" then
                                    json
                                        ctx
                                        200
                                        """{"history":[{"t":1697875200,"p":0.51},{"t":1697875260,"p":0.515}]}"""
                                else
                                    notFound ctx

                            do!
                                withServer handler noConfig TimeProvider.System (fun server h ->
                                    task {
                                        let start = DateTimeOffset.FromUnixTimeSeconds 1697875200L

                                        let! history =
                                            h.Clob.GetPricesHistoryAsync(
                                                "123",
                                                PriceHistoryRange.Between(start, start.AddHours 1.0),
                                                1
                                            )

                                        let r = server.Requests[0]
                                        Expect.equal (r.QueryValue "market") "123" "market is the token"
                                        Expect.equal (r.QueryValue "startTs") "1697875200" "startTs"
                                        Expect.equal (r.QueryValue "endTs") "1697878800" "endTs"
                                        Expect.equal (r.QueryValue "fidelity") "1" "fidelity"

                                        Expect.equal
                                            [ for p in history -> p.UnixSeconds, p.Price ]
                                            [ 1697875200L, 0.51m; 1697875260L, 0.515m ]
                                            "points"
                                    })
                        }

                    testCase "GET /markets/{condition_id} parses the recorded market"
                    <| fun () ->
                        runTask
                        <| task {
                            use expected = payloadDocument marketFile
                            let root = expected.RootElement
                            let conditionId = str root "condition_id"

                            let handler (r: Recorded) ctx =
                                if r.Path = "/clob/markets/" + conditionId then
                                    json ctx 200 (payload marketFile)
                                else
                                    notFound ctx

                            do!
                                withServer handler noConfig TimeProvider.System (fun _ h ->
                                    task {
                                        let! market = h.Clob.GetMarketAsync(conditionId)
                                        Expect.equal market.ConditionId conditionId "condition id"
                                        Expect.equal market.Question (str root "question") "question"
                                        Expect.equal market.MarketSlug (str root "market_slug") "slug"

                                        Expect.equal
                                            market.MinimumTickSize
                                            (dec (root.GetProperty "minimum_tick_size"))
                                            "tick"

                                        Expect.equal
                                            market.MinimumOrderSize
                                            (dec (root.GetProperty "minimum_order_size"))
                                            "min size"

                                        Expect.equal
                                            market.NegRisk
                                            (root.GetProperty("neg_risk").GetBoolean())
                                            "neg risk"

                                        Expect.equal
                                            market.EndDate
                                            (Nullable(DateTimeOffset.Parse(str root "end_date_iso")))
                                            "end date"

                                        Expect.isFalse
                                            market.AcceptingOrderTimestamp.HasValue
                                            "null accepting_order_timestamp"

                                        Expect.equal
                                            [ for t in market.Tokens -> t.TokenId, t.Outcome, t.Price ]
                                            [
                                                for t in root.GetProperty("tokens").EnumerateArray() ->
                                                    str t "token_id", str t "outcome", dec (t.GetProperty "price")
                                            ]
                                            "tokens"

                                        Expect.equal
                                            market.Rewards.Rates[0].RewardsDailyRate
                                            (dec (
                                                root.GetProperty("rewards").GetProperty("rates").Item(0).GetProperty
                                                    "rewards_daily_rate"
                                            ))
                                            "reward rate"

                                        Expect.isNull (market.Winner()) "no winner while open"
                                    })
                        }

                    testCase "a resolved CLOB market names its winning token"
                    <| fun () ->
                        runTask
                        <| task {
                            use expected = payloadDocument closedMarketFile
                            let root = expected.RootElement

                            let winner =
                                root.GetProperty("tokens").EnumerateArray()
                                |> Seq.find (fun t -> t.GetProperty("winner").GetBoolean())

                            let handler (_: Recorded) ctx = json ctx 200 (payload closedMarketFile)

                            do!
                                withServer handler noConfig TimeProvider.System (fun _ h ->
                                    task {
                                        let! market = h.Clob.GetMarketAsync(str root "condition_id")
                                        Expect.isTrue market.Closed "closed"
                                        Expect.isFalse market.AcceptingOrders "not accepting"
                                        Expect.isNull market.Rewards.Rates "null rates"
                                        Expect.equal (market.Winner().TokenId) (str winner "token_id") "winner token"
                                        Expect.equal (market.Winner().Outcome) "No" "winner outcome"
                                    })
                        }

                    testCase "GET /markets follows next_cursor from MA== to LTE="
                    <| fun () ->
                        runTask
                        <| task {
                            let lastPage =
                                let node = JsonNode.Parse(payload marketsFile)
                                node["next_cursor"] <- JsonValue.Create "LTE="
                                node.ToJsonString()

                            let handler (r: Recorded) ctx =
                                match r.Path, r.QueryValue "next_cursor" with
                                | "/clob/markets", "MA==" -> json ctx 200 (payload marketsFile)
                                | "/clob/markets", "MTAw" -> json ctx 200 lastPage
                                | _ -> notFound ctx

                            do!
                                withServer handler noConfig TimeProvider.System (fun server h ->
                                    task {
                                        use expected = payloadDocument marketsFile
                                        let data = expected.RootElement.GetProperty "data"
                                        let! first = h.Clob.GetMarketsAsync()
                                        Expect.equal first.NextCursor "MTAw" "recorded cursor"
                                        Expect.isFalse first.IsLastPage "more pages"
                                        Expect.equal first.Count (data.GetArrayLength()) "count"

                                        Expect.equal
                                            [ for m in first.Data -> m.ConditionId ]
                                            [ for m in data.EnumerateArray() -> str m "condition_id" ]
                                            "condition ids in order"

                                        Expect.equal
                                            [ for m in first.Data -> m.MinimumOrderSize ]
                                            [
                                                for m in data.EnumerateArray() ->
                                                    dec (m.GetProperty "minimum_order_size")
                                            ]
                                            "minimum sizes (ints and floats)"

                                        let! all = toListAsync (h.Clob.GetAllMarketsAsync())
                                        Expect.equal all.Length (2 * data.GetArrayLength()) "two pages of markets"

                                        Expect.equal
                                            [ for r in server.Requests -> r.QueryValue "next_cursor" ]
                                            [ "MA=="; "MA=="; "MTAw" ]
                                            "cursors requested"
                                    })
                        }
                ]

            testList
                "authenticated endpoints"
                [
                    testCase "POST /order sends the signer's exact bytes with the authenticator's headers"
                    <| fun () ->
                        runTask
                        <| task {
                            let auth = FixedAuthenticator()

                            let handler (r: Recorded) ctx =
                                if r.Path = "/clob/order" then
                                    json ctx 200 orderReply
                                else
                                    notFound ctx

                            use server = new FakeServer(handler)
                            use harness = new Harness(fastOptions server, TimeProvider.System, auth)
                            let! reply = harness.Clob.PostOrderAsync(orderBody)
                            let request = server.Requests[0]
                            Expect.equal request.Method "POST" "method"
                            Expect.equal request.Body (Encoding.UTF8.GetBytes orderBody) "body bytes unchanged"

                            Expect.equal
                                (request.Headers.TryFind "Content-Type")
                                (Some "application/json")
                                "content type"

                            expectAuthenticated request

                            Expect.equal
                                auth.Calls
                                [| "POST", "/order", Some orderBody |]
                                "signed method, path without host prefix, exact body"

                            Expect.isTrue reply.IsAccepted "accepted"
                            Expect.equal reply.Status "matched" "status"
                            Expect.equal reply.MakingAmount 11.7824m "making amount"
                            Expect.equal reply.TakingAmount 21.04m "taking amount"

                            Expect.equal
                                (List.ofSeq reply.TradeIds)
                                [ "28c4d2eb-bbbb-cccc-dddd-eeeeeeeeeeee" ]
                                "trade ids"
                        }

                    testCase "POST /orders reads a rejected leg as not accepted"
                    <| fun () ->
                        runTask
                        <| task {
                            let batchReply =
                                """[{"success":true,"errorMsg":"","orderID":"0xabc","status":"live","makingAmount":"","takingAmount":""},
                            {"success":true,"errorMsg":"invalid post-only order: order crosses book","orderID":"","status":"","makingAmount":"","takingAmount":""}]"""

                            let body = "[" + orderBody + "," + orderBody + "]"
                            let handler (_: Recorded) ctx = json ctx 200 batchReply

                            do!
                                withServer handler noConfig TimeProvider.System (fun server h ->
                                    task {
                                        let! replies = h.Clob.PostOrdersAsync(body)
                                        Expect.equal server.Requests[0].Path "/clob/orders" "path"
                                        Expect.equal server.Requests[0].BodyText body "exact batch body"
                                        expectAuthenticated server.Requests[0]
                                        Expect.isTrue replies[0].IsAccepted "first leg rests"
                                        Expect.equal replies[0].MakingAmount 0m "empty amount reads as 0"
                                        Expect.isFalse replies[1].IsAccepted "second leg rejected"

                                        Expect.equal
                                            replies[1].ErrorMsg
                                            "invalid post-only order: order crosses book"
                                            "reason"
                                    })
                        }

                    testCase "the cancel endpoints use DELETE with the documented bodies"
                    <| fun () ->
                        runTask
                        <| task {
                            let reply =
                                """{"canceled":["0xaaa"],"not_canceled":{"0xbbb":"already canceled or matched"}}"""

                            let handler (_: Recorded) ctx = json ctx 200 reply

                            do!
                                withServer handler noConfig TimeProvider.System (fun server h ->
                                    task {
                                        let! one = h.Clob.CancelOrderAsync("0xaaa")
                                        let! _ = h.Clob.CancelOrdersAsync([ "0xaaa"; "0xbbb" ])
                                        let! _ = h.Clob.CancelAllAsync()
                                        let! _ = h.Clob.CancelMarketOrdersAsync("0xcond", null)

                                        Expect.equal
                                            [ for r in server.Requests -> r.Method, r.Path, r.BodyText ]
                                            [
                                                "DELETE", "/clob/order", """{"orderID":"0xaaa"}"""
                                                "DELETE", "/clob/orders", """["0xaaa","0xbbb"]"""
                                                "DELETE", "/clob/cancel-all", ""
                                                "DELETE", "/clob/cancel-market-orders", """{"market":"0xcond"}"""
                                            ]
                                            "requests"

                                        for r in server.Requests do
                                            expectAuthenticated r

                                        Expect.equal (List.ofSeq one.Canceled) [ "0xaaa" ] "canceled"

                                        Expect.equal
                                            one.NotCanceled["0xbbb"]
                                            "already canceled or matched"
                                            "not canceled"
                                    })
                        }

                    testCase "open orders and trades parse the recorded user-channel objects"
                    <| fun () ->
                        runTask
                        <| task {
                            use order = payloadDocument orderFile
                            use trade = payloadDocument tradeFile
                            let orderId = str order.RootElement "id"

                            let page (row: string) =
                                $"""{{"data":[{row}],"next_cursor":"LTE=","limit":100,"count":1}}"""

                            let handler (r: Recorded) (ctx: HttpContext) =
                                match r.Path with
                                | p when p = "/clob/data/order/" + orderId -> json ctx 200 (payload orderFile)
                                | "/clob/data/orders" -> json ctx 200 (page (payload orderFile))
                                | "/clob/data/trades" -> json ctx 200 (page (payload tradeFile))
                                | _ -> notFound ctx

                            do!
                                withServer handler noConfig TimeProvider.System (fun server h ->
                                    task {
                                        let! one = h.Clob.GetOpenOrderAsync(orderId)
                                        let! orders = h.Clob.GetOpenOrdersAsync(OpenOrdersQuery(Market = "0xm"))

                                        let! trades =
                                            h.Clob.GetTradesAsync(
                                                TradesQuery(
                                                    After = Nullable(DateTimeOffset.FromUnixTimeSeconds 1725868000L)
                                                )
                                            )

                                        let o = order.RootElement
                                        Expect.equal one.Id orderId "order id"
                                        Expect.isTrue one.IsLive "LIVE"
                                        Expect.equal one.Price (dec (o.GetProperty "price")) "price"

                                        Expect.equal
                                            one.OriginalSize
                                            (dec (o.GetProperty "original_size"))
                                            "original size"

                                        Expect.equal one.RemainingSize 5m "remaining"
                                        Expect.equal one.CreatedAt (Int64.Parse(str o "created_at")) "created at"
                                        Expect.isNull one.AssociateTrades "null associate_trades"
                                        Expect.equal orders.Data[0].Id orderId "page row"
                                        Expect.isTrue orders.IsLastPage "LTE= ends"
                                        Expect.equal (server.Requests[1].QueryValue "market") "0xm" "market filter"

                                        Expect.equal
                                            (server.Requests[2].QueryValue "after")
                                            "1725868000"
                                            "after filter"

                                        let t = trade.RootElement
                                        let row = trades.Data[0]
                                        Expect.equal row.Id (str t "id") "trade id"
                                        Expect.equal row.Size (dec (t.GetProperty "size")) "size"
                                        Expect.equal row.Price (dec (t.GetProperty "price")) "price"
                                        Expect.equal row.Status "MINED" "status"
                                        Expect.equal row.MatchTime (Int64.Parse(str t "match_time")) "match time"
                                        Expect.isTrue row.IsTerminal "has a transaction hash"

                                        Expect.equal
                                            [ for m in row.MakerOrders -> m.OrderId, m.MatchedAmount, m.Price ]
                                            [
                                                for m in t.GetProperty("maker_orders").EnumerateArray() ->
                                                    str m "order_id",
                                                    dec (m.GetProperty "matched_amount"),
                                                    dec (m.GetProperty "price")
                                            ]
                                            "maker orders"

                                        for r in server.Requests do
                                            expectAuthenticated r
                                    })
                        }

                    testCase "balance-allowance sends the asset type and reads base units"
                    <| fun () ->
                        runTask
                        <| task {
                            let handler (r: Recorded) (ctx: HttpContext) =
                                match r.Path with
                                | "/clob/balance-allowance" ->
                                    json
                                        ctx
                                        200
                                        """{"balance":"1000000000","allowances":{"0xE111180000d2663C0091e4f400237545B87B996B":"115792089237316195423570985008687907853269984665640564039457584007913129639935"}}"""
                                | "/clob/balance-allowance/update" -> respond ctx 200 "application/json" ""
                                | _ -> notFound ctx

                            do!
                                withServer handler noConfig TimeProvider.System (fun server h ->
                                    task {
                                        let! balance =
                                            h.Clob.GetBalanceAllowanceAsync(BalanceAssetType.Conditional, "123", 2)

                                        do! h.Clob.UpdateBalanceAllowanceAsync(BalanceAssetType.Collateral)
                                        let r = server.Requests[0]
                                        Expect.equal (r.QueryValue "asset_type") "CONDITIONAL" "asset type"
                                        Expect.equal (r.QueryValue "token_id") "123" "token"
                                        Expect.equal (r.QueryValue "signature_type") "2" "signature type"

                                        Expect.equal
                                            (server.Requests[1].QueryValue "asset_type")
                                            "COLLATERAL"
                                            "update asset type"

                                        Expect.equal balance.Balance 1000000000m "base units"
                                        Expect.equal balance.BalanceAmount 1000m "pUSD"
                                        Expect.equal balance.Allowances.Count 1 "one allowance"
                                    })
                        }

                    testCase "the heartbeat chains IDs and resends with the expected one after a mismatch"
                    <| fun () ->
                        runTask
                        <| task {
                            let handler (r: Recorded) ctx =
                                match
                                    JsonDocument.Parse(r.Body).RootElement.GetProperty("heartbeat_id").GetString()
                                with
                                | "" -> json ctx 200 """{"heartbeat_id":"hb-1"}"""
                                | "hb-1" ->
                                    json ctx 400 """{"error_msg":"Invalid Heartbeat ID","heartbeat_id":"hb-expected"}"""
                                | "hb-expected" -> json ctx 200 """{"heartbeat_id":"hb-2"}"""
                                | _ -> json ctx 400 """{"error":"unexpected"}"""

                            do!
                                withServer handler noConfig TimeProvider.System (fun server h ->
                                    task {
                                        let heartbeat =
                                            ClobHeartbeat(
                                                h.Clob,
                                                TimeProvider.System,
                                                Microsoft.Extensions.Logging.Abstractions
                                                    .NullLogger<ClobHeartbeat>.Instance
                                            )

                                        let! first = heartbeat.BeatAsync()
                                        Expect.equal first.HeartbeatId "hb-1" "first id"
                                        let! second = heartbeat.BeatAsync()
                                        Expect.equal second.HeartbeatId "hb-2" "after the resend"
                                        Expect.equal heartbeat.LastHeartbeatId "hb-2" "chained id"

                                        Expect.equal
                                            [ for r in server.Requests -> r.Path, r.BodyText ]
                                            [
                                                "/clob/v1/heartbeats", """{"heartbeat_id":""}"""
                                                "/clob/v1/heartbeats", """{"heartbeat_id":"hb-1"}"""
                                                "/clob/v1/heartbeats", """{"heartbeat_id":"hb-expected"}"""
                                            ]
                                            "heartbeat bodies"

                                        expectAuthenticated server.Requests[0]
                                    })
                        }

                    testCase
                        "the heartbeat loop beats at once, then every interval of the clock, and stops on cancellation"
                    <| fun () ->
                        runTask
                        <| task {
                            let clock = ObservedClock(DateTimeOffset(2026, 6, 8, 12, 0, 0, TimeSpan.Zero))
                            let beats = ref 0

                            let handler (_: Recorded) ctx =
                                json ctx 200 $"""{{"heartbeat_id":"hb-{Threading.Interlocked.Increment beats}"}}"""

                            do!
                                withServer handler noConfig clock (fun server h ->
                                    task {
                                        let heartbeat =
                                            ClobHeartbeat(
                                                h.Clob,
                                                clock,
                                                Microsoft.Extensions.Logging.Abstractions
                                                    .NullLogger<ClobHeartbeat>.Instance
                                            )

                                        use stop = new Threading.CancellationTokenSource()
                                        let loop = heartbeat.RunAsync(TimeSpan.FromSeconds 3.0, stop.Token)
                                        do! waitUntil (fun () -> heartbeat.LastHeartbeatId = "hb-1")
                                        Expect.equal heartbeat.LastHeartbeatId "hb-1" "the first beat is immediate"

                                        Expect.equal
                                            heartbeat.LastAcknowledgedAt
                                            (Nullable(clock.GetUtcNow()))
                                            "acknowledged now"

                                        do! Task.Delay 50
                                        Expect.equal server.Count 1 "no second beat before the interval"
                                        clock.Advance(TimeSpan.FromSeconds 3.0)
                                        do! waitUntil (fun () -> heartbeat.LastHeartbeatId = "hb-2")

                                        Expect.equal
                                            server.Requests[1].BodyText
                                            """{"heartbeat_id":"hb-1"}"""
                                            "chained"

                                        stop.Cancel()
                                        do! loop
                                        Expect.equal server.Count 2 "stopped"
                                    })
                        }

                    testCase "an authenticated call without an authenticator is refused before sending"
                    <| fun () ->
                        runTask
                        <| task {
                            let handler (_: Recorded) ctx = json ctx 200 orderReply
                            use server = new FakeServer(handler)
                            use harness = new Harness(fastOptions server, TimeProvider.System)

                            let! error =
                                task {
                                    try
                                        let! _ = harness.Clob.PostOrderAsync(orderBody)
                                        return None
                                    with :? InvalidOperationException as e ->
                                        return Some e.Message
                                }

                            Expect.isSome error "refused"
                            Expect.equal server.Count 0 "nothing sent"
                        }
                ]
        ]
