module PolymarketAlgo.Executor.Tests.OrderBookTests

open System
open System.IO
open System.Text
open System.Text.Json
open Expecto
open FsCheck
open FsCheck.FSharp
open PolymarketAlgo.Executor.Books
open PolymarketAlgo.Executor.Streaming
open PolymarketAlgo.Tests.TestHelpers
open PolymarketAlgo.Executor.Tests.StreamingParserTests

let level (p: decimal) (s: decimal) = PriceLevel(p, s)

/// The REST /book sample: 5 bids, 7 asks, levels in server order.
let restBook () =
    let json = readJson (nautilus "integration_resources/http_responses/book.json")

    let levels (side: string) =
        [|
            for l in json.GetProperty(side).EnumerateArray() -> level (decOf l "price") (decOf l "size")
        |]

    json, levels "bids", levels "asks"

/// Frames of the crossing burst, one per element.
let burstFrames () =
    let json =
        readJson (nautilus "crates_test_data/ws_market_price_change_crossing_burst.json")

    [| for e in json.EnumerateArray() -> Encoding.UTF8.GetBytes(e.GetRawText()) |], json

let burstAsset =
    "76670567130917723816490572615540605537878462672464291990940067659127658071111"

let sortedLevels (descending: bool) (levels: PriceLevel seq) =
    let arr = Array.ofSeq levels

    if descending then
        arr |> Array.sortByDescending (fun l -> l.Price)
    else
        arr |> Array.sortBy (fun l -> l.Price)

/// A delta for the oracle property: side, price in ticks of 0.01, size (0 removes).
type Delta = { Bid: bool; Tick: int; Size: int }

let deltaGen =
    gen {
        let! bid = Gen.elements [ true; false ]
        let! tick = Gen.choose (1, 99)
        let! size = Gen.frequency [ 1, Gen.constant 0; 3, Gen.choose (1, 500) ]
        return { Bid = bid; Tick = tick; Size = size }
    }

[<Tests>]
let tests =
    testList
        "OrderBook"
        [
            testCase "a REST snapshot in server order gives best bid, best ask, mid and spread"
            <| fun () ->
                let _, bids, asks = restBook ()
                let book = OrderBook("a")
                book.ApplySnapshot(ReadOnlySpan bids, ReadOnlySpan asks, 1L)
                let bestBid = bids |> Array.maxBy (fun l -> l.Price)
                let bestAsk = asks |> Array.minBy (fun l -> l.Price)
                Expect.equal book.BestBid (Nullable bestBid) "best bid"
                Expect.equal book.BestAsk (Nullable bestAsk) "best ask"
                Expect.equal book.Mid (Nullable((bestBid.Price + bestAsk.Price) / 2m)) "mid"
                Expect.equal book.Spread (Nullable(bestAsk.Price - bestBid.Price)) "spread"
                Expect.sequenceEqual (book.ToArray BookSide.Bid) (sortedLevels true bids) "bids best first"
                Expect.sequenceEqual (book.ToArray BookSide.Ask) (sortedLevels false asks) "asks best first"

            testCase "deltas add, replace and remove levels"
            <| fun () ->
                let book = OrderBook("a")

                book.ApplySnapshot(
                    ReadOnlySpan [| level 0.48m 100m; level 0.49m 200m |],
                    ReadOnlySpan [| level 0.52m 50m |],
                    1L
                )

                Expect.isTrue (book.ApplyDelta(BookSide.Bid, 0.50m, 10m, 2L)) "new best bid"
                Expect.isFalse (book.ApplyDelta(BookSide.Bid, 0.48m, 7m, 3L)) "deep change keeps the top"
                Expect.isTrue (book.ApplyDelta(BookSide.Bid, 0.5m, 0m, 4L)) "removing the best"
                Expect.isFalse (book.ApplyDelta(BookSide.Ask, 0.60m, 0m, 5L)) "removing a missing level"

                Expect.sequenceEqual (book.ToArray BookSide.Bid) [ level 0.49m 200m; level 0.48m 7m ] "bids"
                Expect.equal book.TimestampMs 5L "timestamp"
                Expect.isFalse book.IsCrossed "not crossed"
                book.ApplyDelta(BookSide.Ask, 0.49m, 5m, 6L) |> ignore
                Expect.isTrue book.IsCrossed "crossed when the ask reaches the bid"

            testCase "walking the asks for a size crosses levels at their prices"
            <| fun () ->
                let book = OrderBook("a")

                book.ApplySnapshot(
                    ReadOnlySpan [| level 0.40m 10m |],
                    ReadOnlySpan [| level 0.53m 90m; level 0.51m 120m; level 0.52m 180m |],
                    1L
                )

                let walk = book.WalkSize(BookSide.Ask, 200m)
                Expect.equal walk.FilledSize 200m "filled"
                Expect.equal walk.Notional (120m * 0.51m + 80m * 0.52m) "notional"
                Expect.equal walk.WorstPrice 0.52m "worst"
                Expect.equal walk.LevelsUsed 2 "levels"
                Expect.isTrue walk.IsComplete "complete"
                let tooBig = book.WalkSize(BookSide.Ask, 1000m)
                Expect.equal tooBig.FilledSize 390m "all there is"
                Expect.isFalse tooBig.IsComplete "incomplete"
                Expect.equal (book.SizeWithin(BookSide.Ask, 0.52m)) 300m "size at or below 0.52"

            testProp "deltas applied to a book equal a naive map of levels"
            <| Prop.forAll (Arb.fromGen (Gen.listOf deltaGen)) (fun deltas ->
                let book = OrderBook("a", 4)
                let mutable bids = Map.empty
                let mutable asks = Map.empty

                for d in deltas do
                    let price = decimal d.Tick / 100m
                    let size = decimal d.Size

                    book.ApplyDelta((if d.Bid then BookSide.Bid else BookSide.Ask), price, size, 1L)
                    |> ignore

                    let update m =
                        if size = 0m then
                            Map.remove price m
                        else
                            Map.add price size m

                    if d.Bid then bids <- update bids else asks <- update asks

                let expectedBids =
                    bids |> Map.toArray |> Array.rev |> Array.map (fun (p, s) -> level p s)

                let expectedAsks = asks |> Map.toArray |> Array.map (fun (p, s) -> level p s)

                book.ToArray BookSide.Bid = expectedBids
                && book.ToArray BookSide.Ask = expectedAsks
                && book.BestBid =
                    (if expectedBids.Length = 0 then
                         Nullable()
                     else
                         Nullable expectedBids[0]))

            testCase "applying a delta does not allocate"
            <| fun () ->
                let _, bids, asks = restBook ()
                let book = OrderBook("a")
                book.ApplySnapshot(ReadOnlySpan bids, ReadOnlySpan asks, 1L)

                let bytes =
                    allocatedBytes (fun () ->
                        for i in 1..1000 do
                            book.ApplyDelta(BookSide.Bid, 0.3m, decimal (i % 7), int64 i) |> ignore)

                Expect.equal bytes 0L "no allocation"

            testCase "the crossing burst applied to a book equals its closing book snapshot"
            <| fun () ->
                let frames, json = burstFrames ()
                let parser = MarketMessageParser()
                let books = BookManager()

                for i in 0..49 do
                    parser.Parse(ReadOnlySpan frames[i], books) |> ignore

                let closing = json[50]
                let ok, built = books.TryRead(burstAsset, (fun b _ -> b.ToSnapshot()))
                Expect.isTrue ok "tracked"

                let expected (side: string) descending =
                    [
                        for l in closing.GetProperty(side).EnumerateArray() -> level (decOf l "price") (decOf l "size")
                    ]
                    |> sortedLevels descending

                Expect.sequenceEqual built.Bids (expected "bids" true) "bids equal the closing book"
                Expect.sequenceEqual built.Asks (expected "asks" false) "asks equal the closing book"
                Expect.equal (books.GetStatus burstAsset) (Nullable BookStatus.Live) "live after the burst settles"
                Expect.equal books.Recoveries 1L "the transient cross (message 47) recovered by message 49"
                Expect.equal books.StaleTransitions 0L "never stale"

            testCase "the transient cross is seen as suspect, not stale, inside one timestamp"
            <| fun () ->
                let frames, _ = burstFrames ()
                let parser = MarketMessageParser()
                let books = BookManager()

                for i in 0..46 do
                    parser.Parse(ReadOnlySpan frames[i], books) |> ignore

                Expect.equal (books.GetStatus burstAsset) (Nullable BookStatus.Live) "live before"
                parser.Parse(ReadOnlySpan frames[47], books) |> ignore
                Expect.equal (books.GetStatus burstAsset) (Nullable BookStatus.Suspect) "suspect while crossed"
                let _, crossed = books.TryRead(burstAsset, (fun b _ -> b.IsCrossed))
                Expect.isTrue crossed "crossed: ask 0.301 under bid 0.311"

            testCase "a cross still there at a later timestamp makes the book stale and requests a snapshot"
            <| fun () ->
                let frames, _ = burstFrames ()
                let parser = MarketMessageParser()
                let books = BookManager()

                for i in 0..47 do
                    parser.Parse(ReadOnlySpan frames[i], books) |> ignore

                // Drain the request the other token (never snapshotted) made.
                let mutable id = null

                while books.SnapshotRequests.TryRead(&id) do
                    ()

                let later =
                    $$"""{"event_type":"price_change","market":"m","timestamp":"1790658827001","price_changes":[{"asset_id":"{{burstAsset}}","price":"0.2","size":"5","side":"BUY"}]}"""

                parser.Parse(ReadOnlySpan(Encoding.UTF8.GetBytes later), books) |> ignore
                Expect.equal (books.GetStatus burstAsset) (Nullable BookStatus.Stale) "stale"
                Expect.isTrue (books.SnapshotRequests.TryRead(&id)) "requested"
                Expect.equal id burstAsset "for that asset"

            testCase "a REST snapshot fixes a stale book and the buffered later deltas are replayed on it"
            <| fun () ->
                let books = BookManager()
                books.Track "a"
                let snap0 = BookSnapshot("a", [| level 0.4m 10m |], [| level 0.6m 10m |], 100L)
                Expect.isTrue (books.ApplySnapshot snap0) "first snapshot applies"
                books.MarkStale("a", StaleReason.Requested)

                for ts, p, s in [ 150L, 0.45m, 5m; 250L, 0.41m, 3m; 260L, 0.4m, 0m ] do
                    books.OnPriceChange(
                        PriceChange("a", null, BookSide.Bid, p, s, Nullable(), Nullable(), BookHash(), ts)
                    )

                let rest =
                    BookSnapshot("a", [| level 0.4m 20m; level 0.45m 6m |], [| level 0.6m 10m |], 200L)

                Expect.isTrue (books.ApplySnapshot rest) "applied"
                let snapshot = books.GetSnapshot "a"

                Expect.sequenceEqual
                    snapshot.Bids
                    [ level 0.45m 6m; level 0.41m 3m ]
                    "REST levels plus the deltas after 200"

                Expect.equal (books.GetStatus "a") (Nullable BookStatus.Live) "live"
                Expect.isFalse (books.ApplySnapshot rest) "ignored once live"

            testCase "a tick size change makes the book stale"
            <| fun () ->
                let books = BookManager()
                books.Track "a"

                books.ApplySnapshot(BookSnapshot("a", [| level 0.4m 1m |], [| level 0.6m 1m |], 1L))
                |> ignore

                books.OnTickSizeChange(TickSizeChange("a", null, Nullable 0.01m, 0.001m, 2L))
                Expect.equal (books.GetStatus "a") (Nullable BookStatus.Stale) "stale"
                let _, tick = books.TryRead("a", (fun b _ -> b.TickSize))
                Expect.equal tick (Nullable 0.001m) "new tick"
        ]
