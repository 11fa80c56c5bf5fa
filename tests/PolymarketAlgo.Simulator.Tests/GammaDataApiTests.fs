module PolymarketAlgo.Simulator.Tests.GammaDataApiTests

open System
open System.Net.Http
open System.Text.Json
open Expecto
open PolymarketAlgo.Executor.Orders
open PolymarketAlgo.Simulator
open PolymarketAlgo.Simulator.Tests.TestHelpers

let private slugOf (start: int64) = $"btc-updown-5m-{start}"

let private strings (encoded: JsonElement) =
    JsonSerializer.Deserialize<string array>(encoded.GetString())

[<Tests>]
let tests =
    testSequenced
    <| testList
        "Gamma and Data API"
        [
            testTask "serves a live window's event with its recorded ids, accepting orders and a live price" {
                use! sim = startSim 60
                let window = firstWindow ()

                let! status, body =
                    get sim.Http ("/gamma/events?slug=" + slugOf window.StartUnixSeconds)

                Expect.equal status 200 body
                let events = parse body
                Expect.equal (events.GetArrayLength()) 1 "one event"
                let market = events[0].GetProperty("markets").Item(0)

                Expect.equal
                    (market.GetProperty("conditionId").GetString())
                    window.ConditionId
                    "the recorded condition id"

                Expect.equal (strings (market.GetProperty "clobTokenIds")).[0] window.AssetId "the recorded asset is Up"
                Expect.equal (strings (market.GetProperty "outcomes")) [| "Up"; "Down" |] "outcomes"

                Expect.equal
                    (market.GetProperty("question").GetString())
                    "Bitcoin Up or Down - April 16, 3:15AM-3:20AM ET"
                    "title"

                Expect.isTrue (market.GetProperty("acceptingOrders").GetBoolean()) "accepting orders"
                Expect.isFalse (market.GetProperty("closed").GetBoolean()) "open"
                Expect.equal (market.GetProperty("eventStartTime").GetString()) "2026-04-16T07:15:00Z" "start"
                Expect.equal (market.GetProperty("endDate").GetString()) "2026-04-16T07:20:00Z" "end"
                let bid, ask = bestOf (snapshotAt window 60_000L)
                let prices = strings (market.GetProperty "outcomePrices") |> Array.map decimal
                Expect.equal prices[0] (Math.Round((bid + ask) / 2m, 3)) "Up's price is the replayed mid"
                Expect.equal (prices[0] + prices[1]) 1m "the prices sum to 1"

                let! status, bySlug =
                    get sim.Http ("/gamma/markets/slug/" + slugOf window.StartUnixSeconds)

                Expect.equal status 200 bySlug
                Expect.equal ((parse bySlug).GetProperty("slug").GetString()) (slugOf window.StartUnixSeconds) "by slug"
                let! _, markets = get sim.Http ("/gamma/markets?clob_token_ids=" + window.AssetId)

                Expect.equal
                    ((parse markets).Item(0).GetProperty("id").GetString())
                    (sim.Host.Catalog.Get(window.StartUnixSeconds).GammaId)
                    "by token"
            }

            testTask "lists a window from 24 hours before its start, and not earlier" {
                use! sim = startSim 60
                let start = firstWindow().StartUnixSeconds
                let! _, soon = get sim.Http ("/gamma/events?slug=" + slugOf (start + 86_400L))
                Expect.equal ((parse soon).GetArrayLength()) 1 "listed a day ahead"
                let market = (parse soon).Item(0).GetProperty("markets").Item(0)
                Expect.isTrue (market.GetProperty("acceptingOrders").GetBoolean()) "accepting orders at once"
                let! _, later = get sim.Http ("/gamma/events?slug=" + slugOf (start + 86_700L))
                Expect.equal ((parse later).GetArrayLength()) 0 "not yet created"
                let! status, _ = get sim.Http ("/gamma/markets/slug/" + slugOf (start + 86_700L))
                Expect.equal status 404 "no market yet"
            }

            testTask "resolves a window after its end with the recorded outcome and settles positions" {
                use! sim = startSim 290
                let! credentials = createCredentials sim traderKey
                let window = firstWindow ()
                let asks = levels (snapshotAt window 290_000L).Asks

                let worst =
                    MarketPrice.Calculate(Side.Buy, [| for p, s in asks -> BookLevel(p, s) |], 5m, OrderType.Fok).Value

                let signed =
                    (builderFor sim traderKey)
                        .CreateMarketOrder(
                            MarketOrderRequest(TokenId.Parse window.AssetId, Side.Buy, 5m, worst),
                            marketInfo
                        )
                        .Value

                let! status, reply =
                    sendL2 sim credentials HttpMethod.Post "/order" (Some(orderBody credentials OrderType.Fok signed))

                Expect.equal status 200 reply

                let! _, before =
                    sendL2 sim credentials HttpMethod.Get "/balance-allowance?asset_type=COLLATERAL" None

                sim.Advance 12.0

                let! _, ended =
                    get sim.Http ("/gamma/markets/slug/" + slugOf window.StartUnixSeconds)

                Expect.isFalse ((parse ended).GetProperty("acceptingOrders").GetBoolean()) "no orders after the end"
                Expect.isFalse ((parse ended).GetProperty("closed").GetBoolean()) "not yet resolved"
                sim.Advance 10.0

                let! _, resolved =
                    get sim.Http ("/gamma/markets/slug/" + slugOf window.StartUnixSeconds)

                let market = parse resolved
                Expect.isTrue (market.GetProperty("closed").GetBoolean()) "closed"
                Expect.equal (strings (market.GetProperty "outcomePrices")) [| "0"; "1" |] "Down won"
                Expect.equal (market.GetProperty("umaResolutionStatus").GetString()) "resolved" "resolved"
                let! _, clob = get sim.Http ("/clob/markets/" + window.ConditionId)

                let winners =
                    [
                        for t in (parse clob).GetProperty("tokens").EnumerateArray() ->
                            t.GetProperty("outcome").GetString(), t.GetProperty("winner").GetBoolean()
                    ]

                Expect.equal winners [ "Up", false; "Down", true ] "the CLOB marks the winner"

                let! _, after =
                    sendL2 sim credentials HttpMethod.Get "/balance-allowance?asset_type=COLLATERAL" None

                Expect.equal
                    ((parse after).GetProperty("balance").GetString())
                    ((parse before).GetProperty("balance").GetString())
                    "losing shares pay nothing"

                let! _, activity =
                    get sim.Http ("/data-api/activity?user=" + traderKey.Address.Checksummed)

                let types =
                    [
                        for r in (parse activity).EnumerateArray() -> r.GetProperty("type").GetString()
                    ]

                Expect.equal (List.head types) "REDEEM" "the newest row is the redemption"
                Expect.contains types "TRADE" "the fill"
                let! status, _ = get sim.Http ("/clob/book?token_id=" + window.AssetId)
                Expect.equal status 404 "a resolved market has no book"
            }

            testTask "serves upcoming synthetic windows for the simulated now, consistent across Gamma and the CLOB" {
                let now = DateTimeOffset(2026, 11, 24, 6, 21, 30, TimeSpan.Zero)
                use! sim = startSimWith now (Nullable 1.0)
                let current = now.ToUnixTimeSeconds() / 300L * 300L
                let! _, events = get sim.Http ("/gamma/events?slug=" + slugOf current)
                let market = (parse events).Item(0).GetProperty("markets").Item(0)
                let tokens = strings (market.GetProperty "clobTokenIds")
                let! status, book = get sim.Http ("/clob/book?token_id=" + tokens[0])
                Expect.equal status 200 book

                Expect.equal
                    ((parse book).GetProperty("market").GetString())
                    (market.GetProperty("conditionId").GetString())
                    "same market"

                let! _, clobTime = get sim.Http "/clob/time"
                Expect.equal (int64 clobTime) (now.ToUnixTimeSeconds()) "GET /time is the simulated clock"
                let! _, listed = get sim.Http "/gamma/events"

                let slugs =
                    [
                        for e in (parse listed).EnumerateArray() -> e.GetProperty("slug").GetString()
                    ]

                Expect.contains slugs (slugOf (current + 300L)) "the next window is listed"
            }

            testTask "reports a leader wallet's generated fills in the Data API v1 shape, never ahead of time" {
                use! sim =
                    startSimWithLeaders
                        (DateTimeOffset.FromUnixTimeSeconds(firstWindow().StartUnixSeconds + 50L))
                        (Nullable 1.0)
                        [ LeaderWallet.Default ]

                let leader = LeaderWallet.Default.Address
                let! _, early = get sim.Http ("/data-api/activity?user=" + leader)
                Expect.equal ((parse early).GetArrayLength()) 0 "nothing before the leader trades (60 s in)"
                sim.Advance 11.0
                let! _, activity = get sim.Http ("/data-api/activity?user=" + leader)
                let rows = parse activity
                Expect.isGreaterThan (rows.GetArrayLength()) 0 "the leader bought"
                let row = rows[0]
                Expect.equal (row.GetProperty("type").GetString()) "TRADE" "type"
                Expect.equal (row.GetProperty("side").GetString()) "BUY" "side"
                Expect.equal (row.GetProperty("slug").GetString()) (slugOf (firstWindow().StartUnixSeconds)) "slug"
                Expect.equal (row.GetProperty("proxyWallet").GetString()) leader "camelCase wallet"

                let spent =
                    [ for r in rows.EnumerateArray() -> r.GetProperty("usdcSize").GetDecimal() ]
                    |> List.sum

                Expect.isLessThanOrEqual spent LeaderWallet.Default.Notional "the leader's notional"
                let! _, positions = get sim.Http ("/data-api/positions?user=" + leader)
                Expect.equal ((parse positions).GetArrayLength()) 1 "one open position"
                let! _, trades = get sim.Http ("/data-api/trades?user=" + leader + "&limit=1")
                Expect.equal ((parse trades).GetArrayLength()) 1 "limit"
            }

            testTask "serves the py-sdk fixture wallets' real rows in camelCase and requires a user" {
                use! sim = startSim 60

                let! _, activity =
                    get sim.Http "/data-api/activity?user=0x7c3db723f1d4d8cb9c550095203b686cb11e5c6b"

                let rows = parse activity
                Expect.equal (rows.GetArrayLength()) 2 "two TRADE rows"
                Expect.equal (rows[0].GetProperty("usdcSize").GetDecimal()) 13.285715m "newest first"

                let! _, trades =
                    get sim.Http "/data-api/trades?user=0x84cfffc3f16dcc353094de30d4a45226eccd2f63"

                Expect.equal ((parse trades).Item(0).GetProperty("size").GetDecimal()) 78.55m "the fixture trade"
                let! status, _ = get sim.Http "/data-api/positions"
                Expect.equal status 400 "no user"
            }
        ]
