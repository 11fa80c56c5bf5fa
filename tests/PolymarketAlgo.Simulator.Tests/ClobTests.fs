module PolymarketAlgo.Simulator.Tests.ClobTests

open System
open System.Net.Http
open System.Text.Json
open Expecto
open PolymarketAlgo.Executor.Auth
open PolymarketAlgo.Executor.Orders
open PolymarketAlgo.Simulator.Tests.TestHelpers

/// What the exchange should fill for a market BUY of `amount` pUSD: walk the asks from the best, taking whole
/// micro-shares at each level until the money is spent.
let expectedBuyFill (asks: (decimal * decimal) array) (amount: decimal) =
    let mutable cash = amount
    let fills = ResizeArray()

    for price, size in asks |> Array.sortBy fst do
        let affordable = Decimal.Floor(cash / price * 1_000_000m) / 1_000_000m
        let take = min size affordable

        if take > 0m then
            fills.Add(price, take)
            cash <- cash - take * price

    fills |> List.ofSeq

let private recordedAsset () = firstWindow().AssetId

let private placeLimit sim credentials (price: decimal) (size: decimal) =
    task {
        let signed =
            (builderFor sim traderKey)
                .CreateLimitOrder(LimitOrderRequest(TokenId.Parse(recordedAsset ()), Side.Buy, price, size), marketInfo)
                .Value

        let! status, body =
            sendL2 sim credentials HttpMethod.Post "/order" (Some(orderBody credentials OrderType.Gtc signed))

        Expect.equal status 200 $"the order is accepted: {body}"
        let reply = parse body
        Expect.isTrue (reply.GetProperty("success").GetBoolean()) "success"
        return reply.GetProperty("orderID").GetString()
    }

let private orderStatus sim credentials (orderId: string) =
    task {
        let! status, body =
            sendL2 sim credentials HttpMethod.Get ("/data/order/" + orderId) None

        Expect.equal status 200 body
        let order = parse body
        return order.GetProperty("status").GetString(), order.GetProperty("size_matched").GetString() |> decimal
    }

[<Tests>]
let tests =
    testSequenced
    <| testList
        "CLOB"
        [
            testTask "serves the recorded book of the simulated moment, and its mirror for the other outcome" {
                use! sim = startSim 60
                let snapshot = snapshotAt (firstWindow ()) 60_000L
                let! status, body = get sim.Http ("/clob/book?token_id=" + recordedAsset ())
                Expect.equal status 200 body
                let book = parse body

                let read (name: string) =
                    [
                        for l in book.GetProperty(name).EnumerateArray() ->
                            decimal (l.GetProperty("price").GetString()), decimal (l.GetProperty("size").GetString())
                    ]
                    |> List.sort

                Expect.equal (read "bids") (levels snapshot.Bids |> List.ofArray |> List.sort) "the recorded bids"
                Expect.equal (read "asks") (levels snapshot.Asks |> List.ofArray |> List.sort) "the recorded asks"
                Expect.equal (book.GetProperty("market").GetString()) (firstWindow().ConditionId) "the recorded market"
                Expect.equal (book.GetProperty("hash").GetString()) snapshot.Hash "the recorded hash"

                let window = sim.Host.Catalog.Get(firstWindow().StartUnixSeconds)
                let bestBid, bestAsk = bestOf snapshot
                let! _, down = get sim.Http ("/clob/price?side=BUY&token_id=" + window.DownTokenId)

                Expect.equal
                    (decimal ((parse down).GetProperty("price").GetString()))
                    (1m - bestAsk)
                    "Down's best bid mirrors Up's best ask"

                let! _, mid = get sim.Http ("/clob/midpoint?token_id=" + recordedAsset ())
                Expect.equal (decimal ((parse mid).GetProperty("mid").GetString())) ((bestBid + bestAsk) / 2m) "the mid"
                let! _, tick = get sim.Http ("/clob/tick-size?token_id=" + recordedAsset ())
                Expect.equal ((parse tick).GetProperty("minimum_tick_size").GetDecimal()) 0.01m "the tick"
                let! status, _ = get sim.Http "/clob/book?token_id=123"
                Expect.equal status 404 "an unknown token has no book"
            }

            testTask "creates and derives the same API key from a ClobAuth signature, and rejects another wallet's" {
                use! sim = startSim 60

                let! (created: PolymarketAlgo.Executor.Secrets.Credentials) =
                    createCredentials sim traderKey

                let request = new HttpRequestMessage(HttpMethod.Get, "/clob/auth/derive-api-key")
                ClobAuth.CreateHeaders(traderKey, ChainIds.Polygon, sim.Host.Clock).ApplyTo request
                let! status, body = send sim.Http request
                Expect.equal status 200 body

                Expect.equal
                    ((parse body).GetProperty("apiKey").GetString())
                    created.ApiKey
                    "derive returns the created key"

                let forged = new HttpRequestMessage(HttpMethod.Post, "/clob/auth/api-key")
                ClobAuth.CreateHeaders(otherKey, ChainIds.Polygon, sim.Host.Clock).ApplyTo forged
                forged.Headers.Remove(HeaderNames.Address) |> ignore
                forged.Headers.Add(HeaderNames.Address, traderKey.Address.Checksummed)
                let! status, body = send sim.Http forged
                Expect.equal status 401 "a signature by another wallet"
                Expect.equal ((parse body).GetProperty("error").GetString()) "Invalid L1 Request headers" "the error"
            }

            testTask "fills a signed FOK BUY at the walked price of the recorded book" {
                use! sim = startSim 60
                let! credentials = createCredentials sim traderKey
                let snapshot = snapshotAt (firstWindow ()) 60_000L
                let asks = levels snapshot.Asks
                let amount = 50m

                let worst =
                    MarketPrice
                        .Calculate(Side.Buy, [| for p, s in asks -> BookLevel(p, s) |], amount, OrderType.Fok)
                        .Value

                let signed =
                    (builderFor sim traderKey)
                        .CreateMarketOrder(
                            MarketOrderRequest(TokenId.Parse(recordedAsset ()), Side.Buy, amount, worst),
                            marketInfo
                        )
                        .Value

                let! status, body =
                    sendL2 sim credentials HttpMethod.Post "/order" (Some(orderBody credentials OrderType.Fok signed))

                Expect.equal status 200 body
                let reply = parse body
                let fills = expectedBuyFill asks amount
                Expect.isTrue (reply.GetProperty("success").GetBoolean()) "success"
                Expect.equal (reply.GetProperty("status").GetString()) "matched" "matched"

                Expect.equal
                    (reply.GetProperty("orderID").GetString())
                    signed.OrderId
                    "the order id is the EIP-712 hash"

                Expect.equal
                    (decimal (reply.GetProperty("takingAmount").GetString()))
                    (fills |> List.sumBy snd)
                    "the shares of the walked levels"

                Expect.isLessThan
                    (amount - decimal (reply.GetProperty("makingAmount").GetString()))
                    0.000001m
                    "the whole amount is spent"

                Expect.equal (reply.GetProperty("tradeIDs").GetArrayLength()) fills.Length "one trade per level"

                let! _, trades = sendL2 sim credentials HttpMethod.Get "/data/trades" None

                let prices =
                    [
                        for t in (parse trades).GetProperty("data").EnumerateArray() ->
                            decimal (t.GetProperty("price").GetString())
                    ]

                Expect.equal (List.max prices) worst "the worst level reached is the walked market price"
                Expect.equal (List.sort prices) (fills |> List.map fst |> List.sort) "the levels walked"

                let window = sim.Host.Catalog.Get(firstWindow().StartUnixSeconds)

                let fee =
                    fills
                    |> List.sumBy (fun (p, s) ->
                        Math.Round(
                            OrderFees.PlatformFee(s, p, window.FeeRate, window.FeeExponent),
                            5,
                            MidpointRounding.AwayFromZero
                        ))

                let spent = fills |> List.sumBy (fun (p, s) -> p * s)

                let! _, balance =
                    sendL2 sim credentials HttpMethod.Get "/balance-allowance?asset_type=COLLATERAL" None

                Expect.equal
                    (decimal ((parse balance).GetProperty("balance").GetString()))
                    (Decimal.Floor((1000m - spent - fee) * 1_000_000m))
                    "the balance pays the notional and the taker fee"

                let! _, shares =
                    sendL2
                        sim
                        credentials
                        HttpMethod.Get
                        ("/balance-allowance?asset_type=CONDITIONAL&token_id=" + recordedAsset ())
                        None

                Expect.equal
                    (decimal ((parse shares).GetProperty("balance").GetString()))
                    ((fills |> List.sumBy snd) * 1_000_000m)
                    "the shares"
            }

            testTask "kills a FOK that the book cannot fill and rejects an order beyond the balance" {
                use! sim = startSim 60
                let! credentials = createCredentials sim traderKey
                let _, bestAsk = bestOf (snapshotAt (firstWindow ()) 60_000L)

                let tooLow =
                    (builderFor sim traderKey)
                        .CreateMarketOrder(
                            MarketOrderRequest(TokenId.Parse(recordedAsset ()), Side.Buy, 20m, bestAsk - 0.05m),
                            marketInfo
                        )
                        .Value

                let! status, body =
                    sendL2 sim credentials HttpMethod.Post "/order" (Some(orderBody credentials OrderType.Fok tooLow))

                Expect.equal status 200 body
                Expect.isFalse ((parse body).GetProperty("success").GetBoolean()) "not filled"

                Expect.equal
                    ((parse body).GetProperty("errorMsg").GetString())
                    "order couldn't be fully filled. FOK orders are fully filled or killed."
                    "the documented FOK message"

                let huge =
                    (builderFor sim traderKey)
                        .CreateMarketOrder(
                            MarketOrderRequest(TokenId.Parse(recordedAsset ()), Side.Buy, 5000m, 0.99m),
                            marketInfo
                        )
                        .Value

                let! status, body =
                    sendL2 sim credentials HttpMethod.Post "/order" (Some(orderBody credentials OrderType.Fok huge))

                Expect.equal status 400 "rejected"

                Expect.equal
                    ((parse body).GetProperty("error").GetString())
                    "not enough balance / allowance"
                    "the documented message"
            }

            testTask "rejects an order whose signature does not cover its fields, or was made by another wallet" {
                use! sim = startSim 60
                let! credentials = createCredentials sim traderKey
                let builder = builderFor sim traderKey

                let signed =
                    builder
                        .CreateLimitOrder(
                            LimitOrderRequest(TokenId.Parse(recordedAsset ()), Side.Buy, 0.05m, 10m),
                            marketInfo
                        )
                        .Value

                let o = signed.Order

                let tampered =
                    Order(
                        o.Salt,
                        o.Maker,
                        o.Signer,
                        o.TokenId,
                        o.MakerAmount + 10_000L,
                        o.TakerAmount,
                        o.Side,
                        o.SignatureType,
                        o.Timestamp
                    )

                let forged = SignedOrder(tampered, signed.Hash, signed.Signature)

                let! status, body =
                    sendL2 sim credentials HttpMethod.Post "/order" (Some(orderBody credentials OrderType.Gtc forged))

                Expect.equal status 400 "a tampered amount"
                Expect.equal ((parse body).GetProperty("error").GetString()) "invalid signature" "the error"

                let otherSignature =
                    PolymarketAlgo.Executor.Crypto.Secp256k1.Sign(signed.Hash.ToArray(), otherKey).ToHex()

                let stolen = SignedOrder(o, signed.Hash, otherSignature)

                let! status, _ =
                    sendL2 sim credentials HttpMethod.Post "/order" (Some(orderBody credentials OrderType.Gtc stolen))

                Expect.equal status 400 "a signature by another wallet"
                let! status, body = sendL2 sim credentials HttpMethod.Get "/data/orders" None
                Expect.equal status 200 body
                Expect.equal ((parse body).GetProperty("count").GetInt32()) 0 "nothing rests"
            }

            testTask "rejects requests with a bad L2 HMAC, a wrong passphrase or no credentials" {
                use! sim = startSim 60
                let! credentials = createCredentials sim traderKey

                let signed =
                    (builderFor sim traderKey)
                        .CreateLimitOrder(
                            LimitOrderRequest(TokenId.Parse(recordedAsset ()), Side.Buy, 0.05m, 10m),
                            marketInfo
                        )
                        .Value

                let body = orderBody credentials OrderType.Gtc signed
                let request = new HttpRequestMessage(HttpMethod.Post, "/clob/order")
                request.Content <- new StringContent(body)

                L2Auth.CreateHeaders(credentials, sim.Host.Clock, "POST", "/order", body.Replace("GTC", "FOK")).ApplyTo
                    request

                let! status, reply = send sim.Http request
                Expect.equal status 401 "the HMAC covers another body"
                Expect.equal ((parse reply).GetProperty("error").GetString()) "Unauthorized/Invalid api key" "the error"

                let wrongPassphrase = new HttpRequestMessage(HttpMethod.Get, "/clob/data/orders")
                L2Auth.CreateHeaders(credentials, sim.Host.Clock, "GET", "/data/orders").ApplyTo wrongPassphrase
                wrongPassphrase.Headers.Remove(HeaderNames.Passphrase) |> ignore
                wrongPassphrase.Headers.Add(HeaderNames.Passphrase, "not-the-passphrase")
                let! status, _ = send sim.Http wrongPassphrase
                Expect.equal status 401 "a wrong passphrase"
                let! status, _ = get sim.Http "/clob/data/orders"
                Expect.equal status 401 "no credentials"
            }

            testTask "rests a GTC BUY below the book and fills it at its price when the replayed asks cross it" {
                use! sim = startSim 60
                let! credentials = createCredentials sim traderKey
                let window = firstWindow ()
                let _, askNow = bestOf (snapshotAt window 60_000L)

                let crossing =
                    window.Snapshots
                    |> Seq.filter (fun s -> s.OffsetMs > 60_000L && s.Asks.Length > 0)
                    |> Seq.find (fun s -> snd (bestOf s) < askNow)

                let price = snd (bestOf crossing)
                let! orderId = placeLimit sim credentials price 5m
                let! status, matched = orderStatus sim credentials orderId
                Expect.equal (status, matched) ("LIVE", 0m) "it rests"
                let! _, book = get sim.Http ("/clob/book?token_id=" + recordedAsset ())

                let bidAtPrice =
                    [
                        for l in (parse book).GetProperty("bids").EnumerateArray() do
                            if decimal (l.GetProperty("price").GetString()) = price then
                                decimal (l.GetProperty("size").GetString())
                    ]

                let recordedAtPrice =
                    (snapshotAt window 60_000L).Bids
                    |> Array.filter (fun l -> l.Price = price)
                    |> Array.sumBy (fun l -> l.Size)

                Expect.equal bidAtPrice [ recordedAtPrice + 5m ] "the book shows the resting size"

                sim.Advance(float (crossing.OffsetMs - 60_000L) / 1000.0 + 0.2)
                let! _, matched = orderStatus sim credentials orderId
                Expect.isGreaterThan matched 0m "it filled when the book crossed"
                let! _, trades = sendL2 sim credentials HttpMethod.Get "/data/trades" None
                let trade = (parse trades).GetProperty("data").Item(0)
                Expect.equal (decimal (trade.GetProperty("price").GetString())) price "at its own price"
                Expect.equal (trade.GetProperty("trader_side").GetString()) "MAKER" "as the maker"

                Expect.equal
                    (trade.GetProperty("maker_orders").Item(0).GetProperty("order_id").GetString())
                    orderId
                    "its order"
            }

            testTask "cancels an API key's resting orders once its heartbeats stop" {
                use! sim = startSim 60
                let! credentials = createCredentials sim traderKey

                let lowestAsk =
                    (firstWindow ()).Snapshots
                    |> Seq.filter (fun s -> s.OffsetMs >= 50_000L && s.OffsetMs <= 110_000L && s.Asks.Length > 0)
                    |> Seq.map (fun s -> snd (bestOf s))
                    |> Seq.min

                let price = max 0.01m (lowestAsk - 0.05m)
                let! orderId = placeLimit sim credentials price 5m

                let beat (id: string) =
                    sendL2
                        sim
                        credentials
                        HttpMethod.Post
                        "/v1/heartbeats"
                        (Some(JsonSerializer.Serialize {| heartbeat_id = id |}))

                let! status, first = beat ""
                Expect.equal status 200 first
                let firstId = (parse first).GetProperty("heartbeat_id").GetString()
                sim.Advance 5.0
                let! status, wrong = beat "not-the-last-id"
                Expect.equal status 400 "a stale id"

                Expect.equal
                    ((parse wrong).GetProperty("heartbeat_id").GetString())
                    firstId
                    "the server names the expected id"

                let! status, second = beat firstId
                Expect.equal status 200 second
                sim.Advance 6.0
                let! live, _ = orderStatus sim credentials orderId
                Expect.equal live "LIVE" "alive while the heartbeats come"
                sim.Advance 11.0
                let! canceled, _ = orderStatus sim credentials orderId
                Expect.equal canceled "CANCELED" "cancelled after 10 s without a heartbeat"
            }

            testTask "cancels one order, several, a market's and all, reporting unknown ids as not cancelled" {
                use! sim = startSim 60
                let! credentials = createCredentials sim traderKey
                let! a = placeLimit sim credentials 0.02m 5m
                let! b = placeLimit sim credentials 0.03m 5m
                let! c = placeLimit sim credentials 0.04m 5m
                let! d = placeLimit sim credentials 0.05m 5m

                let! status, one =
                    sendL2 sim credentials HttpMethod.Delete "/order" (Some(JsonSerializer.Serialize {| orderID = a |}))

                Expect.equal status 200 one

                Expect.equal
                    [
                        for id in (parse one).GetProperty("canceled").EnumerateArray() -> id.GetString()
                    ]
                    [ a ]
                    "one"

                let! _, several =
                    sendL2 sim credentials HttpMethod.Delete "/orders" (Some(JsonSerializer.Serialize [| b; a |]))

                Expect.equal
                    [
                        for id in (parse several).GetProperty("canceled").EnumerateArray() -> id.GetString()
                    ]
                    [ b ]
                    "b"

                Expect.equal
                    ((parse several).GetProperty("not_canceled").GetProperty(a).GetString())
                    "already canceled or matched"
                    "a again"

                let body = JsonSerializer.Serialize {| market = firstWindow().ConditionId |}

                let! _, market =
                    sendL2 sim credentials HttpMethod.Delete "/cancel-market-orders" (Some body)

                Expect.equal ((parse market).GetProperty("canceled").GetArrayLength()) 2 "c and d"
                let! _, all = sendL2 sim credentials HttpMethod.Delete "/cancel-all" None
                Expect.equal ((parse all).GetProperty("canceled").GetArrayLength()) 0 "nothing left"
                let! status, _ = orderStatus sim credentials d
                Expect.equal status "CANCELED" "d"
            }

            testTask "places a batch, answering a rejected leg with its reason and an empty order id" {
                use! sim = startSim 60

                let! (credentials: PolymarketAlgo.Executor.Secrets.Credentials) =
                    createCredentials sim traderKey

                let builder = builderFor sim traderKey
                let asset = TokenId.Parse(recordedAsset ())

                let good =
                    OrderSubmission
                        .Create(
                            builder.CreateLimitOrder(LimitOrderRequest(asset, Side.Buy, 0.02m, 5m), marketInfo).Value,
                            credentials.ApiKey,
                            OrderType.Gtc
                        )
                        .Value

                let signed =
                    builder.CreateLimitOrder(LimitOrderRequest(asset, Side.Buy, 0.03m, 5m), marketInfo).Value

                let o = signed.Order

                let tampered =
                    Order(
                        o.Salt,
                        o.Maker,
                        o.Signer,
                        o.TokenId,
                        o.MakerAmount,
                        o.TakerAmount + 1_000_000L,
                        o.Side,
                        o.SignatureType,
                        o.Timestamp
                    )

                let bad =
                    OrderSubmission
                        .Create(SignedOrder(tampered, signed.Hash, signed.Signature), credentials.ApiKey, OrderType.Gtc)
                        .Value

                let body = OrderSerializer.SerializeBatch([| good; bad |]).Value
                let! status, reply = sendL2 sim credentials HttpMethod.Post "/orders" (Some body)
                Expect.equal status 200 reply
                let replies = parse reply

                Expect.equal
                    (replies.Item(0).GetProperty("orderID").GetString())
                    good.SignedOrder.OrderId
                    "the good leg rests"

                Expect.equal (replies.Item(1).GetProperty("orderID").GetString()) "" "the bad leg has no order id"
                Expect.equal (replies.Item(1).GetProperty("errorMsg").GetString()) "invalid signature" "and says why"
            }

            testTask "sells bought shares with a FAK at the bids and refuses to sell shares it does not hold" {
                use! sim = startSim 60

                let! (credentials: PolymarketAlgo.Executor.Secrets.Credentials) =
                    createCredentials sim traderKey

                let builder = builderFor sim traderKey
                let asset = TokenId.Parse(recordedAsset ())

                let buy =
                    builder.CreateMarketOrder(MarketOrderRequest(asset, Side.Buy, 20m, 0.99m), marketInfo).Value

                let! status, bought =
                    sendL2 sim credentials HttpMethod.Post "/order" (Some(orderBody credentials OrderType.Fok buy))

                Expect.equal status 200 bought
                let shares = decimal ((parse bought).GetProperty("takingAmount").GetString())
                let toSell = Decimal.Floor(shares * 100m) / 100m

                let sell =
                    builder.CreateMarketOrder(MarketOrderRequest(asset, Side.Sell, toSell, 0.05m), marketInfo).Value

                let! status, sold =
                    sendL2 sim credentials HttpMethod.Post "/order" (Some(orderBody credentials OrderType.Fak sell))

                Expect.equal status 200 sold
                let reply = parse sold
                Expect.equal (decimal (reply.GetProperty("makingAmount").GetString())) toSell "the shares sold"
                let bid, _ = bestOf (snapshotAt (firstWindow ()) 60_000L)
                let proceeds = decimal (reply.GetProperty("takingAmount").GetString())
                Expect.isLessThanOrEqual proceeds (toSell * bid) "no better than the best bid"

                let again =
                    builder.CreateMarketOrder(MarketOrderRequest(asset, Side.Sell, 5m, 0.3m), marketInfo).Value

                let! status, refused =
                    sendL2 sim credentials HttpMethod.Post "/order" (Some(orderBody credentials OrderType.Fak again))

                Expect.equal status 400 refused
            }

            testTask "rejects a post-only order that would cross and expires a GTD order a minute before its expiration" {
                use! sim = startSim 60

                let! (credentials: PolymarketAlgo.Executor.Secrets.Credentials) =
                    createCredentials sim traderKey

                let builder = builderFor sim traderKey
                let asset = TokenId.Parse(recordedAsset ())
                let _, ask = bestOf (snapshotAt (firstWindow ()) 60_000L)

                let crossing =
                    builder.CreateLimitOrder(LimitOrderRequest(asset, Side.Buy, ask, 5m), marketInfo).Value

                let postOnly =
                    OrderSerializer.Serialize(
                        OrderSubmission.Create(crossing, credentials.ApiKey, OrderType.Gtc, postOnly = true).Value
                    )

                let! status, body = sendL2 sim credentials HttpMethod.Post "/order" (Some postOnly)
                Expect.equal status 400 body

                Expect.equal
                    ((parse body).GetProperty("error").GetString())
                    "invalid post-only order: order crosses book"
                    "the documented message"

                let expiration = sim.Host.Clock.GetUtcNow().ToUnixTimeSeconds() + 200L

                let gtd =
                    builder
                        .CreateLimitOrder(
                            LimitOrderRequest(
                                asset,
                                Side.Buy,
                                0.02m,
                                5m,
                                OrderType = OrderType.Gtd,
                                Expiration = expiration
                            ),
                            marketInfo
                        )
                        .Value

                let! status, placed =
                    sendL2 sim credentials HttpMethod.Post "/order" (Some(orderBody credentials OrderType.Gtd gtd))

                Expect.equal status 200 placed
                sim.Advance 130.0
                let! live, _ = orderStatus sim credentials gtd.OrderId
                Expect.equal live "LIVE" "alive 70 s before its expiration"
                sim.Advance 15.0
                let! expired, _ = orderStatus sim credentials gtd.OrderId
                Expect.equal expired "CANCELED" "gone 55 s before it"
            }
        ]
