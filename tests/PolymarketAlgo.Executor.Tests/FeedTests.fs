module PolymarketAlgo.Executor.Tests.FeedTests

open System
open System.IO
open Expecto
open PolymarketAlgo.Executor.Books
open PolymarketAlgo.Executor.Feeds
open PolymarketAlgo.Executor.Recording
open PolymarketAlgo.Executor.Streaming
open PolymarketAlgo.Executor.Tests.StreamingParserTests
open PolymarketAlgo.Executor.Tests.OrderBookTests
open PolymarketAlgo.Executor.Tests.WebSocketTests

[<Tests>]
let tests =
    testList
        "PolymarketDataFeed"
        [
            testCase
                "a replay of the crossing burst gives one mid tick per change of an uncrossed mid, and a trade tick"
            <| fun () ->
                let frames, _ = burstFrames ()

                let trade =
                    File.ReadAllBytes(nautilus "integration_resources/ws_messages/last_trade_price.json")

                let books = BookManager()
                let ticks = ResizeArray<PriceTick>()

                let handler =
                    PolymarketDataFeed.TickHandler(books, TimeProvider.System, (fun t -> ticks.Add t))

                let messages =
                    [|
                        for f in Array.append frames [| trade |] -> RecordedMessage(0L, ReadOnlyMemory f)
                    |]

                MarketReplay().RunAsync(messages, books, [ handler :> MarketEventHandler ]).GetAwaiter().GetResult()
                |> ignore

                // Independently: the mid of the server's book after each frame, skipping crossed states.
                let truth = Truth()
                let expected = ResizeArray<decimal>()

                for f in frames do
                    truth.Apply(f, burstAsset)
                    let s = truth.Snapshot burstAsset

                    if s.Bids.Count > 0 && s.Asks.Count > 0 then
                        let bid = s.Bids[s.Bids.Count - 1].Price
                        let ask = s.Asks[0].Price

                        if bid < ask then
                            let mid = (bid + ask) / 2m

                            if expected.Count = 0 || expected[expected.Count - 1] <> mid then
                                expected.Add mid

                let mids = ticks |> Seq.filter (fun t -> t.Source = "polymarket-mid")
                Expect.sequenceEqual (mids |> Seq.map (fun t -> t.Price)) expected "mid ticks"
                Expect.isTrue (mids |> Seq.forall (fun t -> t.Symbol = burstAsset)) "only the book's asset"

                let trades =
                    ticks |> Seq.filter (fun t -> t.Source = "polymarket-trade") |> List.ofSeq

                Expect.equal trades.Length 1 "one trade tick"
                Expect.equal trades[0].Price 0.491m "trade price"
                Expect.equal trades[0].Size (Nullable 85.36m) "trade size"
                Expect.equal trades[0].Side (Nullable TradeSide.Sell) "trade side"
                Expect.equal (trades[0].Time.ToUnixTimeMilliseconds()) 1724564136087L "exchange time"
        ]
