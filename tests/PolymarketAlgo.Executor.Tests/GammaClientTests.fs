module PolymarketAlgo.Executor.Tests.GammaClientTests

open System
open System.Collections.Generic
open System.Text.Json
open System.Threading.Tasks
open Expecto
open Microsoft.AspNetCore.Http
open Microsoft.Extensions.Time.Testing
open PolymarketAlgo.Executor.Http
open PolymarketAlgo.Executor.Markets
open PolymarketAlgo.Executor.Rest
open PolymarketAlgo.Executor.Tests.FakePolymarket

let private crates name =
    "nautilus_trader/crates_test_data/" + name

let private dayFile =
    "ligengxin96_btc5m_day_samples/BTC-5m-markets-2026-06-08.jsonl.gz"

/// Decodes a JSON-encoded string array independently of the code under test.
let private decodeArray (element: JsonElement) =
    use inner = JsonDocument.Parse(element.GetString())
    [ for e in inner.RootElement.EnumerateArray() -> e.GetString() ]

let private noConfig = ignore

/// Serves Gamma markets by slug from a dictionary of raw JSON objects.
let private serveSlugs (bySlug: IDictionary<string, string>) (r: Recorded) (ctx: HttpContext) =
    let prefix = "/gamma/markets/slug/"

    match r.Path with
    | p when p.StartsWith prefix && bySlug.ContainsKey(p.Substring prefix.Length) ->
        json ctx 200 bySlug[p.Substring prefix.Length]
    | _ -> notFound ctx

let private fixtureMarket name =
    task {
        let text = payload (crates name)
        use doc = JsonDocument.Parse text
        let slug = str doc.RootElement "slug"
        let mutable result = Unchecked.defaultof<GammaMarket>

        do!
            withServer (serveSlugs (dict [ slug, text ])) noConfig TimeProvider.System (fun _ h ->
                task {
                    let! market = h.Gamma.GetMarketBySlugAsync(slug)
                    result <- market
                })

        return result
    }

[<Tests>]
let tests =
    testSequenced
    <| testList
        "GammaClient"
        [
            testCase "the March 2026 btc-updown-5m fixture reads as an up/down market"
            <| fun () ->
                runTask
                <| task {
                    use expected = payloadDocument (crates "gamma_market.json")
                    let root = expected.RootElement
                    let! gamma = fixtureMarket "gamma_market.json"
                    let market = UpDownMarket.FromGamma gamma
                    let tokens = decodeArray (root.GetProperty "clobTokenIds")

                    let prices =
                        decodeArray (root.GetProperty "outcomePrices") |> List.map Decimal.Parse

                    Expect.equal
                        (decodeArray (root.GetProperty "outcomes"))
                        [ "Up"; "Down" ]
                        "outcome order in the payload"

                    Expect.equal market.Slug "btc-updown-5m-1773307200" "slug"
                    Expect.equal market.Window.StartUnixSeconds 1773307200L "window from the slug"

                    Expect.equal
                        (Nullable market.Window.Start)
                        market.EventStartTime
                        "eventStartTime is the window start"

                    Expect.equal (Nullable market.Window.End) market.EndDate "endDate is the window end"
                    Expect.equal market.ConditionId (str root "conditionId") "condition id"
                    Expect.equal market.UpTokenId tokens[0] "Up token"
                    Expect.equal market.DownTokenId tokens[1] "Down token"
                    Expect.equal market.UpPrice (Nullable prices[0]) "Up price"
                    Expect.equal market.DownPrice (Nullable prices[1]) "Down price"
                    Expect.equal market.TickSize (Nullable 0.01m) "tick"
                    Expect.equal market.MinOrderSize (Nullable 5m) "min size"
                    Expect.equal market.TakerBaseFeeBps (Nullable 1000m) "legacy taker fee"
                    Expect.equal market.MakerBaseFeeBps (Nullable 1000m) "legacy maker fee"
                    Expect.isTrue market.FeesEnabled "fees enabled"
                    Expect.equal market.FeeType "crypto_fees" "fee type"
                    Expect.isNull market.FeeSchedule "no fee schedule in March 2026"
                    Expect.equal market.Resolution.State ResolutionState.Open "open"
                    Expect.isFalse market.Winner.HasValue "no winner"
                    Expect.isFalse market.NegRisk "not neg-risk"
                    Expect.equal market.ResolutionSource "https://data.chain.link/streams/btc-usd" "resolution source"
                    Expect.equal gamma.Events[0].Series[0].Slug "btc-up-or-down-5m" "series slug"
                    Expect.equal gamma.Events[0].StartTime (Nullable market.Window.Start) "event start time"
                    Expect.equal gamma.Liquidity (Nullable 20328.3747m) "liquidity from a string"
                }

            testCase "the TWAP fixture carries its fee schedule and crypto market config"
            <| fun () ->
                runTask
                <| task {
                    use expected = payloadDocument (crates "gamma_market_crypto_twap.json")
                    let root = expected.RootElement
                    let fees = root.GetProperty "feeSchedule"
                    let config = root.GetProperty "cryptoMarketConfig"
                    let! gamma = fixtureMarket "gamma_market_crypto_twap.json"
                    let market = UpDownMarket.FromGamma gamma
                    Expect.equal market.Window.Start (DateTimeOffset.Parse(str root "eventStartTime")) "window start"
                    Expect.equal market.FeeSchedule.Rate (dec (fees.GetProperty "rate")) "rate"
                    Expect.equal market.FeeSchedule.Exponent (dec (fees.GetProperty "exponent")) "exponent"
                    Expect.equal market.FeeSchedule.TakerOnly (fees.GetProperty("takerOnly").GetBoolean()) "taker only"
                    Expect.equal market.FeeSchedule.RebateRate (Nullable(dec (fees.GetProperty "rebateRate"))) "rebate"
                    Expect.isTrue market.SettlesOnTwap "TWAP"

                    Expect.equal
                        market.CryptoMarketConfig.TwapLookbackSeconds
                        (Nullable(config.GetProperty("twapLookbackSeconds").GetInt32()))
                        "lookback"

                    Expect.equal market.CryptoMarketConfig.Id (str config "id") "config id"
                    Expect.equal market.UpTokenId (decodeArray (root.GetProperty "clobTokenIds")).[0] "Up token"
                }

            testCase "a closed market priced 0/1 resolves to its second outcome, agreeing with the CLOB's winner flag"
            <| fun () ->
                runTask
                <| task {
                    use clob = payloadDocument (crates "clob_market_closed_binary_accepting_false.json")

                    let clobWinner =
                        clob.RootElement.GetProperty("tokens").EnumerateArray()
                        |> Seq.find (fun t -> t.GetProperty("winner").GetBoolean())

                    let! gamma = fixtureMarket "gamma_market_closed_binary_accepting_false.json"
                    let resolution = GammaMarketFields.Resolution gamma
                    Expect.equal gamma.ConditionId (str clob.RootElement "condition_id") "same market on both hosts"
                    Expect.equal resolution.State ResolutionState.Resolved "resolved"
                    Expect.equal resolution.WinnerOutcome (str clobWinner "outcome") "winner outcome"

                    Expect.equal
                        (GammaMarketFields.ClobTokenIds gamma).[resolution.WinnerIndex.Value]
                        (str clobWinner "token_id")
                        "winner token"

                    Expect.isTrue resolution.UmaResolved "umaResolutionStatus resolved"

                    Expect.throwsT<FormatException>
                        (fun () -> UpDownMarket.FromGamma gamma |> ignore)
                        "a Yes/No market is not an up/down market"
                }

            testCase "closed legacy markets without decisive prices stay undecided"
            <| fun () ->
                runTask
                <| task {
                    let! zero = fixtureMarket "gamma_market_closed_zero_zero_legacy.json"
                    let! nonBinary = fixtureMarket "gamma_market_closed_nonbinary_legacy.json"
                    Expect.equal (GammaMarketFields.Resolution zero).State ResolutionState.ClosedUndecided "0/0"

                    Expect.equal
                        (GammaMarketFields.Resolution nonBinary).State
                        ResolutionState.ClosedUndecided
                        "long/short"

                    Expect.equal (GammaMarketFields.OutcomePrices zero |> List.ofSeq) [ 0m; 0m ] "0/0 prices"
                    let prices = GammaMarketFields.OutcomePrices nonBinary

                    Expect.floatClose
                        Accuracy.veryHigh
                        (float (prices[0] + prices[1]))
                        1.0
                        "34-digit prices round into decimal"
                }

            testCase "events by slug and by id parse their nested markets"
            <| fun () ->
                runTask
                <| task {
                    let eventList = payload (crates "gamma_event.json")

                    let eventObject =
                        payload "nautilus_trader/integration_resources/http_responses/event.json"

                    use listDoc = JsonDocument.Parse eventList
                    use objectDoc = JsonDocument.Parse eventObject
                    let first = listDoc.RootElement[0]

                    let handler (r: Recorded) (ctx: HttpContext) =
                        match r.Path with
                        | "/gamma/events" when r.QueryValue "slug" = str first "slug" -> json ctx 200 eventList
                        | "/gamma/events" -> json ctx 200 "[]"
                        | p when p = "/gamma/events/" + str objectDoc.RootElement "id" -> json ctx 200 eventObject
                        | _ -> notFound ctx

                    do!
                        withServer handler noConfig TimeProvider.System (fun _ h ->
                            task {
                                let! byslug = h.Gamma.GetEventBySlugAsync(str first "slug")
                                let! missing = h.Gamma.GetEventBySlugAsync("no-such-event")
                                let! byId = h.Gamma.GetEventAsync(str objectDoc.RootElement "id")
                                Expect.isNull missing "empty array gives null"
                                Expect.equal byslug.Id (str first "id") "id"
                                Expect.isTrue byslug.NegRisk "neg-risk event"

                                Expect.equal
                                    [
                                        for m in byslug.Markets ->
                                            m.Slug, GammaMarketFields.ClobTokenIds m |> List.ofSeq
                                    ]
                                    [
                                        for m in first.GetProperty("markets").EnumerateArray() ->
                                            str m "slug", decodeArray (m.GetProperty "clobTokenIds")
                                    ]
                                    "markets and their tokens"

                                Expect.equal
                                    [ for m in byId.Markets -> m.ConditionId ]
                                    [
                                        for m in objectDoc.RootElement.GetProperty("markets").EnumerateArray() ->
                                            str m "conditionId"
                                    ]
                                    "markets of the event by id"
                            })
                }

            testCase "market queries repeat list parameters and a missing slug reads as null"
            <| fun () ->
                runTask
                <| task {
                    let handler (r: Recorded) (ctx: HttpContext) =
                        match r.Path with
                        | "/gamma/markets" -> json ctx 200 ("[" + payload (crates "gamma_market.json") + "]")
                        | _ -> notFound ctx

                    do!
                        withServer handler noConfig TimeProvider.System (fun server h ->
                            task {
                                let! markets =
                                    h.Gamma.GetMarketsAsync(
                                        GammaMarketsQuery(
                                            Slugs = [| "a"; "b" |],
                                            Closed = Nullable false,
                                            Limit = Nullable 2
                                        )
                                    )

                                let! missing = h.Gamma.GetMarketBySlugAsync("btc-updown-5m-0")
                                let r = server.Requests[0]
                                Expect.equal (List.ofSeq r.Query["slug"]) [ "a"; "b" ] "repeated slug"
                                Expect.equal (r.QueryValue "closed") "false" "closed"
                                Expect.equal (r.QueryValue "limit") "2" "limit"
                                Expect.equal markets[0].Slug "btc-updown-5m-1773307200" "market"
                                Expect.isNull missing "404 gives null"
                            })
                }

            testCase "every market of the 2026-06-08 day file reads back with its recorded tokens, window and winner"
            <| fun () ->
                runTask
                <| task {
                    let rows = gzipLines dayFile |> Array.map JsonDocument.Parse

                    let bySlug =
                        dict
                            [
                                for d in rows -> str d.RootElement "slug", d.RootElement.GetProperty("raw").GetRawText()
                            ]

                    do!
                        withServer (serveSlugs bySlug) noConfig TimeProvider.System (fun server h ->
                            task {
                                let finder = UpDownMarkets(h.Gamma, TimeProvider.System)
                                let mutable ups = 0
                                let mutable downs = 0

                                for d in rows do
                                    let row = d.RootElement
                                    let raw = row.GetProperty "raw"
                                    let slug = str row "slug"
                                    let start = row.GetProperty("start_sec").GetInt64()
                                    let window = UpDownSeries.Btc5m.WindowStartingAt start
                                    Expect.equal window.Slug slug "slug from the window start"
                                    let! found = finder.GetAsync(window)

                                    let market =
                                        Option.ofObj found
                                        |> Option.defaultWith (fun () -> failwith $"{slug} not found")

                                    let tokens =
                                        [ for t in row.GetProperty("token_ids").EnumerateArray() -> t.GetString() ]

                                    Expect.equal
                                        [ market.UpTokenId; market.DownTokenId ]
                                        tokens
                                        $"{slug} tokens [Up, Down]"

                                    Expect.equal market.ConditionId (str row "condition_id") $"{slug} condition id"

                                    Expect.equal
                                        (market.Window.End.ToUnixTimeSeconds())
                                        (row.GetProperty("end_sec").GetInt64())
                                        $"{slug} end"

                                    Expect.equal
                                        market.EventStartTime
                                        (Nullable(DateTimeOffset.Parse(str raw "eventStartTime")))
                                        $"{slug} eventStartTime"

                                    Expect.equal
                                        market.EventStartTime
                                        (Nullable market.Window.Start)
                                        $"{slug} eventStartTime is the window start"

                                    Expect.equal
                                        market.TickSize
                                        (Nullable(dec (raw.GetProperty "orderPriceMinTickSize")))
                                        $"{slug} tick"

                                    Expect.equal
                                        market.TakerBaseFeeBps
                                        (Nullable(dec (raw.GetProperty "takerBaseFee")))
                                        $"{slug} legacy fee"

                                    match raw.TryGetProperty "feeSchedule" with
                                    | true, fees ->
                                        Expect.equal
                                            market.FeeSchedule.Rate
                                            (dec (fees.GetProperty "rate"))
                                            $"{slug} fee rate"

                                        Expect.equal
                                            market.FeeSchedule.Exponent
                                            (dec (fees.GetProperty "exponent"))
                                            $"{slug} fee exponent"
                                    | _ -> Expect.isNull market.FeeSchedule $"{slug} no fee schedule"

                                    let expectedWinner =
                                        match
                                            [
                                                for p in row.GetProperty("outcome_prices").EnumerateArray() ->
                                                    p.GetString()
                                            ]
                                        with
                                        | [ "1"; "0" ] -> Nullable UpDownOutcome.Up
                                        | [ "0"; "1" ] -> Nullable UpDownOutcome.Down
                                        | other -> failwith $"{slug}: unexpected outcome prices {other}"

                                    Expect.equal market.Winner expectedWinner $"{slug} winner"
                                    Expect.equal market.Resolution.State ResolutionState.Resolved $"{slug} resolved"

                                    if market.Winner = Nullable UpDownOutcome.Up then
                                        ups <- ups + 1
                                    else
                                        downs <- downs + 1

                                Expect.equal (ups, downs) (137, 155) "137 Up and 155 Down (SOURCES.md)"
                                Expect.equal server.Count rows.Length "one request per market"
                            })
                }

            testCase "the current, next and upcoming windows are fetched by slug from the clock"
            <| fun () ->
                runTask
                <| task {
                    let rows = gzipLines dayFile |> Array.map JsonDocument.Parse

                    let bySlug =
                        dict
                            [
                                for d in rows -> str d.RootElement "slug", d.RootElement.GetProperty("raw").GetRawText()
                            ]

                    let clock = FakeTimeProvider(DateTimeOffset(2026, 6, 8, 12, 2, 30, TimeSpan.Zero))
                    let noon = DateTimeOffset(2026, 6, 8, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds()

                    do!
                        withServer (serveSlugs bySlug) noConfig clock (fun server h ->
                            task {
                                let finder = UpDownMarkets(h.Gamma, clock)
                                let! current = finder.GetCurrentAsync()
                                let! next = finder.GetNextAsync()
                                let! upcoming = finder.GetUpcomingAsync(3)
                                Expect.equal current.Slug $"btc-updown-5m-{noon}" "current window"
                                Expect.equal next.Slug $"btc-updown-5m-{noon + 300L}" "next window"

                                Expect.equal
                                    [ for m in upcoming -> m.Window.StartUnixSeconds ]
                                    [ noon + 300L; noon + 600L; noon + 900L ]
                                    "upcoming"

                                Expect.equal
                                    server.Requests[0].Path
                                    $"/gamma/markets/slug/btc-updown-5m-{noon}"
                                    "requested by slug"
                            })
                }
        ]
