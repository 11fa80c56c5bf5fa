module PolymarketAlgo.Executor.Tests.DataApiClientTests

open System
open System.Text.Json
open System.Text.Json.Nodes
open Expecto
open Microsoft.AspNetCore.Http
open PolymarketAlgo.Executor.Http
open PolymarketAlgo.Executor.Rest
open PolymarketAlgo.Executor.Tests.FakePolymarket

let private activityFile = "polymarket_py_sdk_fixtures_data_v2/activity.json"
let private tradesFile = "polymarket_py_sdk_fixtures_data_v2/trades.json"

/// The v1 spelling of a v2 row: snake_case keys become camelCase and token_id becomes asset.
let private toV1 (v2Rows: string) =
    let camel (name: string) =
        let parts = name.Split '_'

        parts[0]
        + String.Join(
            "",
            parts[1..]
            |> Array.map (fun p -> string (Char.ToUpperInvariant p[0]) + p.Substring 1)
        )

    let rows = JsonNode.Parse(v2Rows).AsArray()
    let converted = JsonArray()

    for row in rows do
        let target = JsonObject()

        for property in row.AsObject() do
            let name =
                if property.Key = "token_id" then
                    "asset"
                else
                    camel property.Key

            target[name] <- property.Value.DeepClone()

        converted.Add target

    converted.ToJsonString()

let private envelope (rows: string) =
    $"""{{"data":{rows},"pagination":{{"limit":2,"has_more":true,"next_cursor":"c2"}}}}"""

let private v2 (options: PolymarketApiOptions) =
    options.DataApiVersion <- DataApiVersion.V2

[<Tests>]
let tests =
    testSequenced
    <| testList
        "DataApiClient"
        [
            testCase "v2 activity rows parse to the recorded values, with the cursor"
            <| fun () ->
                runTask
                <| task {
                    let handler (r: Recorded) (ctx: HttpContext) =
                        if r.Path = "/data/v2/activity" then
                            json ctx 200 (envelope (payload activityFile))
                        else
                            notFound ctx

                    do!
                        withServer handler v2 TimeProvider.System (fun server h ->
                            task {
                                let user = "0x7c3db723f1d4d8cb9c550095203b686cb11e5c6b"

                                let! page =
                                    h.Data.GetActivityAsync(
                                        DataApiQuery(user, Types = [| "TRADE" |], Limit = Nullable 2, Cursor = "c1")
                                    )

                                use expected = payloadDocument activityFile
                                let r = server.Requests[0]
                                Expect.equal (r.QueryValue "user") user "user"
                                Expect.equal (r.QueryValue "type") "TRADE" "type"
                                Expect.equal (r.QueryValue "cursor") "c1" "cursor"
                                Expect.equal page.NextCursor "c2" "next cursor"
                                Expect.equal page.HasMore (Nullable true) "has more"

                                for row, e in Seq.zip page.Items (expected.RootElement.EnumerateArray()) do
                                    Expect.equal row.ProxyWallet (str e "proxy_wallet") "wallet"
                                    Expect.equal row.TimestampUnix (e.GetProperty("timestamp").GetInt64()) "timestamp"
                                    Expect.equal row.ConditionId (str e "condition_id") "condition"
                                    Expect.equal row.Type (str e "type") "type"
                                    Expect.equal row.Size (dec (e.GetProperty "size")) "size"
                                    Expect.equal row.UsdcSize (dec (e.GetProperty "usdc_size")) "usdc size"
                                    Expect.equal row.Price (dec (e.GetProperty "price")) "price"
                                    Expect.equal row.TokenId (str e "token_id") "token"
                                    Expect.equal row.Side (str e "side") "side"

                                    Expect.equal
                                        row.OutcomeIndex
                                        (Nullable(e.GetProperty("outcome_index").GetInt32()))
                                        "outcome index"

                                    Expect.equal row.TransactionHash (str e "transaction_hash") "tx"
                                    Expect.equal row.EventSlug (str e "event_slug") "event slug"
                                    Expect.equal row.Pseudonym (str e "pseudonym") "pseudonym"

                                Expect.equal page.Items[0].Price 0.9300000035m "ten-digit price kept exactly"
                            })
                }

            testCase "v1 camelCase rows of the same activity parse to the same model"
            <| fun () ->
                runTask
                <| task {
                    let v1Rows = toV1 (payload activityFile)

                    let handler (r: Recorded) (ctx: HttpContext) =
                        match r.Path with
                        | "/data/activity" -> json ctx 200 v1Rows
                        | "/data/v2/activity" -> json ctx 200 (envelope (payload activityFile))
                        | _ -> notFound ctx

                    do!
                        withServer handler ignore TimeProvider.System (fun server h ->
                            task {
                                let query =
                                    DataApiQuery(
                                        "0xabc",
                                        Offset = Nullable 10,
                                        Start = Nullable(DateTimeOffset.FromUnixTimeSeconds 1788880000L)
                                    )

                                let! v1Page = h.Data.GetActivityAsync(query)
                                Expect.stringContains v1Rows "\"usdcSize\"" "the converted payload is camelCase"
                                Expect.stringContains v1Rows "\"asset\"" "and names the token asset"
                                Expect.equal (server.Requests[0].QueryValue "offset") "10" "v1 offset"
                                Expect.equal (server.Requests[0].QueryValue "start") "1788880000" "start"
                                Expect.isNull v1Page.NextCursor "no cursor on v1"

                                let v2Page =
                                    use doc = JsonDocument.Parse(envelope (payload activityFile))
                                    DataApiParser.ParsePage(doc.RootElement, Func<_, _>(DataApiParser.ParseActivity))

                                Expect.sequenceEqual v1Page.Items v2Page.Items "same rows from both spellings"
                            })
                }

            testCase "trades parse in both shapes to the recorded values"
            <| fun () ->
                runTask
                <| task {
                    let handler (r: Recorded) (ctx: HttpContext) =
                        match r.Path with
                        | "/data/trades" -> json ctx 200 (toV1 (payload tradesFile))
                        | _ -> notFound ctx

                    do!
                        withServer handler ignore TimeProvider.System (fun server h ->
                            task {
                                let! page =
                                    h.Data.GetTradesAsync(
                                        DataApiQuery(
                                            "0xabc",
                                            Markets = [| "0xc1"; "0xc2" |],
                                            TakerOnly = Nullable true
                                        )
                                    )

                                use expected = payloadDocument tradesFile
                                Expect.equal (server.Requests[0].QueryValue "market") "0xc1,0xc2" "markets joined"
                                Expect.equal (server.Requests[0].QueryValue "takerOnly") "true" "taker only"

                                let v2Rows =
                                    use doc = JsonDocument.Parse(payload tradesFile)

                                    DataApiParser
                                        .ParsePage(doc.RootElement, Func<_, _>(DataApiParser.ParseTrade))
                                        .Items

                                Expect.sequenceEqual page.Items v2Rows "same rows from both spellings"

                                for row, e in Seq.zip page.Items (expected.RootElement.EnumerateArray()) do
                                    Expect.equal row.TokenId (str e "token_id") "token"
                                    Expect.equal row.Size (dec (e.GetProperty "size")) "size"
                                    Expect.equal row.Price (dec (e.GetProperty "price")) "price"
                                    Expect.equal row.Side (str e "side") "side"
                                    Expect.equal row.TransactionHash (str e "transaction_hash") "tx"
                                    Expect.equal row.OutcomeIndex (Nullable 999) "outcome index as recorded"
                            })
                }

            testCase "positions read the documented v1 and v2 rows into one model"
            <| fun () ->
                runTask
                <| task {
                    let v1Row =
                        """[{ "proxyWallet":"0x5668", "asset":"7132", "conditionId":"0xc8f1", "size":150.5, "avgPrice":0.55,
                        "initialValue":82.775, "currentValue":90.3, "cashPnl":7.525, "percentPnl":9.09, "totalBought":150.5,
                        "realizedPnl":0.0, "percentRealizedPnl":0.0, "curPrice":0.6, "redeemable":false, "mergeable":false,
                        "title":"t", "slug":"s", "eventSlug":"e", "outcome":"Yes", "outcomeIndex":0 }]"""

                    let v2Row =
                        """{"data":[{"proxy_wallet":"0x983e","condition_id":"0xd9b0","token_id":"3197","outcome":"Yes","title":"t","status":"REDEEMABLE",
                      "current_size":86780.64,"avg_price":0.5203,"entry_cost_usdc":45159.4653,"current_value":0.0,"realized_pnl":-1082.5533,
                      "unrealized_pnl":-45159.4653}],"pagination":{"limit":100,"has_more":false,"next_cursor":null}}"""

                    let handler (r: Recorded) (ctx: HttpContext) =
                        match r.Path with
                        | "/data/positions" -> json ctx 200 v1Row
                        | "/data/v2/positions" -> json ctx 200 v2Row
                        | _ -> notFound ctx

                    let mutable v1 = Unchecked.defaultof<WalletPosition>

                    do!
                        withServer handler ignore TimeProvider.System (fun _ h ->
                            task {
                                let! page = h.Data.GetPositionsAsync(DataApiQuery("0x5668"))
                                v1 <- page.Items[0]
                            })

                    do!
                        withServer handler v2 TimeProvider.System (fun server h ->
                            task {
                                let! page = h.Data.GetPositionsAsync(DataApiQuery("0x983e", Status = "REDEEMABLE"))
                                let p = page.Items[0]
                                Expect.equal (server.Requests[0].QueryValue "status") "REDEEMABLE" "status filter"
                                Expect.isNull page.NextCursor "null cursor ends"
                                Expect.equal page.HasMore (Nullable false) "no more"

                                Expect.equal
                                    (p.TokenId, p.Size, p.AvgPrice, p.InitialValue)
                                    ("3197", 86780.64m, 0.5203m, Nullable 45159.4653m)
                                    "v2 core"

                                Expect.equal
                                    (p.RealizedPnl, p.UnrealizedPnl, p.Status)
                                    (Nullable -1082.5533m, Nullable -45159.4653m, "REDEEMABLE")
                                    "v2 pnl"
                            })

                    Expect.equal
                        (v1.TokenId, v1.Size, v1.AvgPrice, v1.InitialValue)
                        ("7132", 150.5m, 0.55m, Nullable 82.775m)
                        "v1 core"

                    Expect.equal
                        (v1.CashPnl, v1.CurPrice, v1.Redeemable)
                        (Nullable 7.525m, Nullable 0.6m, Nullable false)
                        "v1 extras"

                    Expect.isFalse v1.UnrealizedPnl.HasValue "no v2 field on v1"
                }

            testCase "a row with a wrong field type is malformed JSON, not a raw exception"
            <| fun () ->
                runTask
                <| task {
                    let handler (_: Recorded) (ctx: HttpContext) =
                        json ctx 200 """[{"timestamp":"soon"}]"""

                    do!
                        withServer handler ignore TimeProvider.System (fun _ h ->
                            task {
                                let! error =
                                    task {
                                        try
                                            let! _ = h.Data.GetActivityAsync(DataApiQuery("0xabc"))
                                            return None
                                        with :? PolymarketApiException as e ->
                                            return Some e
                                    }

                                Expect.equal
                                    (error |> Option.map _.Kind)
                                    (Some PolymarketApiErrorKind.MalformedJson)
                                    "malformed"
                            })
                }
        ]
