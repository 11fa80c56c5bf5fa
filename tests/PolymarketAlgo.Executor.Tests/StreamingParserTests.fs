module PolymarketAlgo.Executor.Tests.StreamingParserTests

open System
open System.Globalization
open System.IO
open System.Text
open System.Text.Json
open Expecto
open FsCheck
open PolymarketAlgo.Executor.Books
open PolymarketAlgo.Executor.Streaming
open PolymarketAlgo.Tests.TestHelpers

/// A book message copied out of the parser's reused instance.
type BookCopy =
    {
        Snapshot: BookSnapshot
        Market: string
        LastTradePrice: Nullable<decimal>
        MinOrderSize: Nullable<decimal>
    }

/// Collects every event the parser dispatches.
type Recorder() =
    inherit MarketEventHandler()
    member val Books = ResizeArray<BookCopy>()
    member val Changes = ResizeArray<PriceChange>()
    member val Trades = ResizeArray<LastTradePrice>()
    member val Ticks = ResizeArray<TickSizeChange>()
    member val Quotes = ResizeArray<BestBidAsk>()
    member val Markets = ResizeArray<NewMarketEvent>()
    member val Orders = ResizeArray<UserOrderEvent>()
    member val UserTrades = ResizeArray<UserTradeEvent>()

    override this.OnBook b =
        this.Books.Add
            {
                Snapshot = b.ToSnapshot()
                Market = b.Market
                LastTradePrice = b.LastTradePrice
                MinOrderSize = b.MinOrderSize
            }

    override this.OnPriceChange c = this.Changes.Add c
    override this.OnLastTradePrice t = this.Trades.Add t
    override this.OnTickSizeChange t = this.Ticks.Add t
    override this.OnBestBidAsk q = this.Quotes.Add q
    override this.OnNewMarket m = this.Markets.Add m
    override this.OnOrder o = this.Orders.Add o
    override this.OnTrade t = this.UserTrades.Add t

/// A handler that ignores everything (for allocation checks).
type Sink() =
    inherit MarketEventHandler()

let nautilus (relative: string) =
    sharedPath ("data/polymarket/nautilus_trader/" + relative)

let dec (e: JsonElement) =
    Decimal.Parse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture)

let str (e: JsonElement) (name: string) = e.GetProperty(name).GetString()
let decOf (e: JsonElement) (name: string) = dec (e.GetProperty name)

let int64Of (e: JsonElement) (name: string) =
    Int64.Parse(str e name, CultureInfo.InvariantCulture)

let parseFile (path: string) =
    let parser = MarketMessageParser()
    let recorder = Recorder()
    let ok = parser.Parse(ReadOnlySpan(File.ReadAllBytes path), recorder)
    ok, parser, recorder

let parseText (text: string) =
    let parser = MarketMessageParser()
    let recorder = Recorder()
    let ok = parser.Parse(ReadOnlySpan(Encoding.UTF8.GetBytes text), recorder)
    ok, parser, recorder

/// Asserts a parsed book equals the JSON object read independently.
let expectBook (book: BookCopy) (json: JsonElement) =
    Expect.equal book.Snapshot.AssetId (str json "asset_id") "asset id"
    Expect.equal book.Market (str json "market") "market"
    Expect.equal book.Snapshot.TimestampMs (int64Of json "timestamp") "timestamp"
    Expect.equal (book.Snapshot.Hash.ToString()) (str json "hash") "hash"

    for side, levels in [ "bids", book.Snapshot.Bids; "asks", book.Snapshot.Asks ] do
        let expected =
            [
                for l in json.GetProperty(side).EnumerateArray() -> PriceLevel(decOf l "price", decOf l "size")
            ]

        Expect.sequenceEqual levels expected side

    match json.TryGetProperty "tick_size" with
    | true, t -> Expect.equal book.Snapshot.TickSize (Nullable(dec t)) "tick size"
    | _ -> Expect.isFalse book.Snapshot.TickSize.HasValue "no tick size"

    match json.TryGetProperty "last_trade_price" with
    | true, t -> Expect.equal book.LastTradePrice (Nullable(dec t)) "last trade price"
    | _ -> Expect.isFalse book.LastTradePrice.HasValue "no last trade price"

let sideOf (text: string) =
    if text = "BUY" then BookSide.Bid else BookSide.Ask

/// Asserts a parsed batched change equals its JSON item and the outer message.
let expectBatchedChange (change: PriceChange) (outer: JsonElement) (item: JsonElement) =
    Expect.equal change.AssetId (str item "asset_id") "asset id"
    Expect.equal change.Market (str outer "market") "market"
    Expect.equal change.TimestampMs (int64Of outer "timestamp") "timestamp"
    Expect.equal change.Price (decOf item "price") "price"
    Expect.equal change.Size (decOf item "size") "size"
    Expect.equal change.Side (sideOf (str item "side")) "side"
    Expect.equal (change.Hash.ToString()) (str item "hash") "hash"
    Expect.equal change.BestBid (Nullable(decOf item "best_bid")) "best bid"
    Expect.equal change.BestAsk (Nullable(decOf item "best_ask")) "best ask"

let readJson (path: string) =
    JsonDocument.Parse(File.ReadAllText path).RootElement.Clone()

let allocatedBytes (action: unit -> unit) =
    action ()
    let before = GC.GetAllocatedBytesForCurrentThread()
    action ()
    GC.GetAllocatedBytesForCurrentThread() - before

[<Tests>]
let tests =
    testList
        "MarketMessageParser"
        [
            testList
                "recorded market-channel messages"
                [
                    testCase "the captured book snapshot gives every level, the tick size and the last trade price"
                    <| fun () ->
                        let path = nautilus "crates_test_data/ws_book_snapshot_captured.json"
                        let ok, parser, r = parseFile path
                        Expect.isTrue ok "parsed"
                        Expect.equal r.Books.Count 1 "one book"
                        expectBook r.Books[0] (readJson path)
                        Expect.equal parser.Statistics.Skipped 0L "nothing skipped"

                    testCase "the 2024 book message gives its 76 bids and 86 asks"
                    <| fun () ->
                        let path = nautilus "integration_resources/ws_messages/book.json"
                        let _, _, r = parseFile path
                        Expect.equal r.Books.Count 1 "one book"
                        Expect.equal r.Books[0].Snapshot.Bids.Count 76 "bids"
                        Expect.equal r.Books[0].Snapshot.Asks.Count 86 "asks"
                        expectBook r.Books[0] (readJson path)

                    testCase "the old single-level price_change gives one change with its hash"
                    <| fun () ->
                        let path = nautilus "integration_resources/ws_messages/price_change.json"
                        let json = readJson path
                        let _, parser, r = parseFile path
                        Expect.equal r.Changes.Count 1 "one change"
                        let c = r.Changes[0]
                        Expect.equal c.AssetId (str json "asset_id") "asset"
                        Expect.equal c.Price 0.514m "price"
                        Expect.equal c.Size 21574.08m "size"
                        Expect.equal c.Side BookSide.Ask "SELL is the ask side"
                        Expect.equal (c.Hash.ToString()) "bf32b3746fff40c76c98021b7f3f07261169dd26" "hash"
                        Expect.equal c.TimestampMs 1723967931411L "timestamp"
                        Expect.isFalse c.BestBid.HasValue "no server best bid in the old format"
                        Expect.equal (parser.Statistics.CountOf MarketEventType.PriceChange) 1L "counted"

                    testCase "the crossing burst gives 2 books and 98 batched changes equal to the JSON"
                    <| fun () ->
                        let path = nautilus "crates_test_data/ws_market_price_change_crossing_burst.json"
                        let json = readJson path
                        let ok, parser, r = parseFile path
                        Expect.isTrue ok "parsed"
                        Expect.equal r.Books.Count 2 "opening and closing book"
                        Expect.equal r.Changes.Count 98 "49 messages × 2 changes"
                        expectBook r.Books[0] (json[0])
                        expectBook r.Books[1] (json[50])
                        let mutable k = 0

                        for i in 1..49 do
                            for item in json[i].GetProperty("price_changes").EnumerateArray() do
                                expectBatchedChange r.Changes[k] json[i] item
                                k <- k + 1

                        Expect.equal (parser.Statistics.CountOf MarketEventType.Book) 2L "books counted"
                        Expect.equal parser.Statistics.Frames 1L "one frame"

                    testCase "last_trade_price gives price, size, side and fee"
                    <| fun () ->
                        let _, _, r =
                            parseFile (nautilus "integration_resources/ws_messages/last_trade_price.json")

                        let t = r.Trades[0]

                        Expect.equal
                            t.AssetId
                            "21742633143463906290569050155826241533067272736897614950488156847949938836455"
                            "asset"

                        Expect.equal t.Price 0.491m "price"
                        Expect.equal t.Size (Nullable 85.36m) "size"
                        Expect.equal t.Side (Nullable TradeSide.Sell) "side"
                        Expect.equal t.FeeRateBps (Nullable 0m) "fee"
                        Expect.equal t.TimestampMs 1724564136087L "timestamp"

                    testCase "tick_size_change gives the old and new tick"
                    <| fun () ->
                        let _, _, r =
                            parseFile (nautilus "integration_resources/ws_messages/tick_size_change.json")

                        let t = r.Ticks[0]
                        Expect.equal t.OldTickSize (Nullable 0.01m) "old"
                        Expect.equal t.NewTickSize 0.001m "new"
                        Expect.equal t.TimestampMs 1739068041853L "timestamp"

                    testCase "best_bid_ask gives bid, ask and spread"
                    <| fun () ->
                        let _, _, r =
                            parseFile (nautilus "crates_test_data/ws_market_best_bid_ask_msg.json")

                        let q = r.Quotes[0]
                        Expect.equal q.BestBid (Nullable 0.73m) "bid"
                        Expect.equal q.BestAsk (Nullable 0.77m) "ask"
                        Expect.equal q.Spread (Nullable 0.04m) "spread"
                        Expect.equal q.TimestampMs 1766789469958L "timestamp"

                    testCase "new_market gives slug, token ids, outcomes and tick"
                    <| fun () ->
                        let path = nautilus "crates_test_data/ws_market_new_market_msg.json"
                        let json = readJson path
                        let _, _, r = parseFile path
                        let m = r.Markets[0]
                        Expect.equal m.Slug "nvda-above-240-on-january-30-2026" "slug"
                        Expect.equal m.Id "1031769" "id"

                        Expect.sequenceEqual
                            m.AssetIds
                            [ for a in json.GetProperty("assets_ids").EnumerateArray() -> a.GetString() ]
                            "asset ids"

                        Expect.sequenceEqual m.Outcomes [ "Yes"; "No" ] "outcomes"
                        Expect.equal m.EventSlug "nvda-above-in-january-2026" "event slug"
                        Expect.equal m.TimestampMs 1766790415550L "timestamp"

                        Expect.equal m.TickSize (Nullable 0.01m) "tick"
                        Expect.equal m.Active (Nullable true) "active"
                ]

            testList
                "recorded user-channel messages"
                [
                    testCase "an order placement gives id, side, price, sizes and status"
                    <| fun () ->
                        let path = nautilus "integration_resources/ws_messages/order_placement.json"
                        let json = readJson path
                        let _, _, r = parseFile path
                        let o = r.Orders[0]
                        Expect.equal o.Id (str json "id") "id"
                        Expect.equal o.Kind OrderEventKind.Placement "placement"
                        Expect.equal o.Status "LIVE" "status"
                        Expect.equal o.Side (Nullable TradeSide.Buy) "side"
                        Expect.equal o.Price (Nullable 0.513m) "price"
                        Expect.equal o.OriginalSize (Nullable 5m) "original size"
                        Expect.equal o.SizeMatched (Nullable 0m) "matched"
                        Expect.equal o.OrderType "GTC" "type"
                        Expect.equal o.TimestampMs 1725842520990L "timestamp in ms"

                    for file, status in
                        [
                            "trades.json", TradeStatus.Confirmed
                            "user_trade1.json", TradeStatus.Mined
                            "user_trade2.json", TradeStatus.Matched
                            "user_trade3.json", TradeStatus.Confirmed
                        ] do
                        testCase $"{file} gives the trade with its maker orders"
                        <| fun () ->
                            let path = nautilus ("integration_resources/ws_messages/" + file)
                            let json = readJson path
                            let _, _, r = parseFile path
                            Expect.equal r.UserTrades.Count 1 "one trade"
                            let t = r.UserTrades[0]
                            Expect.equal t.Id (str json "id") "id"
                            let rawStatus = str json "status"
                            Expect.equal t.RawStatus rawStatus "raw status"

                            Expect.equal t.Status status "status"

                            Expect.equal t.Price (Nullable(decOf json "price")) "price"
                            Expect.equal t.Size (Nullable(decOf json "size")) "size"
                            Expect.equal t.TakerOrderId (str json "taker_order_id") "taker order"
                            let makers = json.GetProperty("maker_orders")
                            Expect.equal t.MakerOrders.Count (makers.GetArrayLength()) "maker orders"

                            for i in 0 .. t.MakerOrders.Count - 1 do
                                Expect.equal t.MakerOrders[i].OrderId (str makers[i] "order_id") "maker order id"

                                Expect.equal
                                    t.MakerOrders[i].MatchedAmount
                                    (Nullable(decOf makers[i] "matched_amount"))
                                    "matched amount"

                    testCase "every trade status of the lifecycle is recognised"
                    <| fun () ->
                        for text, expected in
                            [
                                "MATCHED", TradeStatus.Matched
                                "MINED", TradeStatus.Mined
                                "CONFIRMED", TradeStatus.Confirmed
                                "RETRYING", TradeStatus.Retrying
                                "FAILED", TradeStatus.Failed
                                "SETTLED", TradeStatus.Unknown
                            ] do
                            let _, _, r =
                                parseText
                                    $"""{{"event_type":"trade","id":"t1","status":"{text}","price":"0.5","size":"1"}}"""

                            Expect.equal r.UserTrades[0].Status expected text
                ]

            testList
                "frames"
                [
                    testCase "an array frame dispatches every event in order"
                    <| fun () ->
                        let a =
                            File.ReadAllText(nautilus "integration_resources/ws_messages/last_trade_price.json")

                        let b =
                            File.ReadAllText(nautilus "integration_resources/ws_messages/price_change.json")

                        let ok, parser, r = parseText $"[{a},{b}]"
                        Expect.isTrue ok "parsed"
                        Expect.equal r.Trades.Count 1 "trade"
                        Expect.equal r.Changes.Count 1 "change"
                        Expect.equal parser.Statistics.Events 2L "two events"

                    testCase "unknown event types are counted and skipped"
                    <| fun () ->
                        let ok, parser, r =
                            parseText
                                """[{"event_type":"mystery","asset_id":"1"},{"asset_id":"1"},{"event_type":"best_bid_ask","asset_id":"1","best_bid":"0.4","best_ask":"0.6"}]"""

                        Expect.isTrue ok "the frame is well-formed"
                        Expect.equal parser.Statistics.UnknownEvents 2L "two unknown"
                        Expect.equal r.Quotes.Count 1 "the known event still arrives"

                    testCase "malformed frames are counted and never throw"
                    <| fun () ->
                        let parser = MarketMessageParser()
                        let r = Recorder()

                        let frames =
                            [
                                ""
                                "PONG"
                                "{"
                                "[{}"
                                "{\"event_type\":\"book\""
                                "{\"event_type\":\"book\",}"
                                "[1,2]"
                                "{\"a\":tru}"
                                "{\"event_type\":\"price_change\",\"price\":\"0.5\"} trailing"
                                "\"just a string\""
                            ]

                        for f in frames do
                            Expect.isFalse (parser.Parse(ReadOnlySpan(Encoding.UTF8.GetBytes f), r)) f

                        Expect.equal parser.Statistics.MalformedFrames (int64 frames.Length) "all counted"
                        Expect.equal parser.Statistics.Events 0L "nothing dispatched"

                    testCase "a known event with a bad value is a malformed event, not a crash"
                    <| fun () ->
                        let ok, parser, r =
                            parseText
                                """{"event_type":"price_change","asset_id":"1","price":"abc","size":"1","side":"BUY","timestamp":"1"}"""

                        Expect.isTrue ok "well-formed JSON"
                        Expect.equal parser.Statistics.MalformedEvents 1L "counted"
                        Expect.equal r.Changes.Count 0 "not dispatched"

                    testCase "escaped text goes through the Utf8JsonReader path with the same result"
                    <| fun () ->
                        let plain =
                            File.ReadAllText(nautilus "crates_test_data/ws_market_price_change_crossing_burst.json")

                        let escaped =
                            plain.Replace("\"price\"", "\"\\u0070rice\"").Replace("\"BUY\"", "\"B\\u0055Y\"")

                        Expect.notEqual escaped plain "the text changed"
                        let _, _, a = parseText plain
                        let _, parser, b = parseText escaped
                        Expect.sequenceEqual b.Changes a.Changes "same changes"
                        Expect.equal b.Books.Count a.Books.Count "same books"

                        for i in 0 .. a.Books.Count - 1 do
                            Expect.sequenceEqual b.Books[i].Snapshot.Bids a.Books[i].Snapshot.Bids "same bids"

                        Expect.equal parser.Statistics.Skipped 0L "nothing skipped"

                    testCase "prices without a leading zero parse"
                    <| fun () ->
                        let _, _, r =
                            parseText
                                """{"event_type":"book","asset_id":"6581","market":"0xbd31","bids":[{"price":".48","size":"30"}],"asks":[{"price":".52","size":"25"}],"timestamp":"123456789000","hash":"0x0"}"""

                        Expect.equal r.Books[0].Snapshot.Bids[0] (PriceLevel(0.48m, 30m)) "bid"
                        Expect.equal r.Books[0].Snapshot.Asks[0] (PriceLevel(0.52m, 25m)) "ask"

                    testProp "any prefix of a recorded frame is either parsed or counted, never thrown"
                    <| fun (cut: NonNegativeInt) ->
                        let bytes =
                            File.ReadAllBytes(nautilus "crates_test_data/ws_market_price_change_crossing_burst.json")

                        let n = cut.Get % bytes.Length
                        let parser = MarketMessageParser()
                        let ok = parser.Parse(ReadOnlySpan(bytes, 0, n), Sink())
                        ok = (parser.Statistics.MalformedFrames = 0L)

                    testProp "random bytes never throw"
                    <| fun (bytes: byte array) ->
                        let parser = MarketMessageParser()
                        parser.Parse(ReadOnlySpan(bytes), Sink()) |> ignore
                        parser.Statistics.Frames = 1L
                ]

            testList
                "allocation"
                [
                    testCase "parsing a batched price_change frame again allocates nothing"
                    <| fun () ->
                        let json =
                            readJson (nautilus "crates_test_data/ws_market_price_change_crossing_burst.json")

                        let frame = Encoding.UTF8.GetBytes(json[1].GetRawText())
                        let parser = MarketMessageParser()
                        let sink = Sink()

                        let bytes =
                            allocatedBytes (fun () ->
                                for _ in 1..1000 do
                                    parser.Parse(ReadOnlySpan frame, sink) |> ignore)

                        Expect.equal bytes 0L "no allocation per frame"
                        Expect.equal (parser.Statistics.CountOf MarketEventType.PriceChange) 4000L "changes parsed"

                    testCase "parsing a book frame again allocates nothing"
                    <| fun () ->
                        let frame =
                            File.ReadAllBytes(nautilus "integration_resources/ws_messages/book.json")

                        let parser = MarketMessageParser()
                        let sink = Sink()

                        let bytes =
                            allocatedBytes (fun () ->
                                for _ in 1..100 do
                                    parser.Parse(ReadOnlySpan frame, sink) |> ignore)

                        Expect.equal bytes 0L "no allocation per frame"
                ]
        ]
