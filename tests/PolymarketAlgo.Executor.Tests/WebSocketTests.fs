module PolymarketAlgo.Executor.Tests.WebSocketTests

open System
open System.Collections.Concurrent
open System.IO
open System.Net
open System.Net.WebSockets
open System.Text
open System.Text.Json
open System.Threading
open System.Threading.Tasks
open Expecto
open Microsoft.AspNetCore.Builder
open Microsoft.AspNetCore.Hosting
open Microsoft.AspNetCore.Hosting.Server
open Microsoft.AspNetCore.Hosting.Server.Features
open Microsoft.AspNetCore.Http
open Microsoft.Extensions.DependencyInjection
open Microsoft.Extensions.Logging
open Microsoft.Extensions.Time.Testing
open PolymarketAlgo.Executor.Books
open PolymarketAlgo.Executor.Feeds
open PolymarketAlgo.Executor.Recording
open PolymarketAlgo.Executor.Streaming
open PolymarketAlgo.Executor.Tests.StreamingParserTests
open PolymarketAlgo.Executor.Tests.OrderBookTests
open PolymarketAlgo.Executor.Tests.ReplayTests

/// A Kestrel WebSocket server on 127.0.0.1, port 0, running a script per accepted connection.
type ScriptedServer(script: int -> WebSocket -> Task<unit>) =
    let mutable connections = 0

    let app =
        let builder = WebApplication.CreateSlimBuilder()
        builder.Logging.ClearProviders() |> ignore
        builder.WebHost.UseKestrel(fun o -> o.Listen(IPAddress.Loopback, 0)) |> ignore
        let app = builder.Build()
        app.UseWebSockets() |> ignore

        app.Run(
            RequestDelegate(fun ctx ->
                task {
                    if ctx.WebSockets.IsWebSocketRequest then
                        use! ws = ctx.WebSockets.AcceptWebSocketAsync()
                        let index = Interlocked.Increment(&connections)

                        try
                            do! script index ws
                        with _ ->
                            ()
                    else
                        ctx.Response.StatusCode <- 400
                }
                :> Task)
        )

        app.StartAsync().GetAwaiter().GetResult()
        app

    /// The ws:// URL of the server.
    member _.Url =
        let addresses =
            (app :> IApplicationBuilder).ServerFeatures.Get<IServerAddressesFeature>().Addresses

        Uri((Seq.head addresses).Replace("http://", "ws://"))

    member _.Connections = connections

    interface IAsyncDisposable with
        member _.DisposeAsync() =
            ValueTask(
                task {
                    do! app.StopAsync()
                    do! app.DisposeAsync()
                }
                :> Task
            )

let sendText (ws: WebSocket) (bytes: byte array) =
    ws.SendAsync(ArraySegment bytes, WebSocketMessageType.Text, true, CancellationToken.None)

let receiveText (ws: WebSocket) =
    task {
        let buffer = Array.zeroCreate<byte> 65536
        let! r = ws.ReceiveAsync(ArraySegment buffer, CancellationToken.None)

        if r.MessageType = WebSocketMessageType.Close then
            return None
        else
            return Some(Encoding.UTF8.GetString(buffer, 0, r.Count))
    }

/// Reads until the client goes away; answers PING with PONG when asked to.
let drain (ws: WebSocket) (answerPings: bool) =
    task {
        let mutable go = true

        while go do
            let! m = receiveText ws

            match m with
            | Some "PING" when answerPings -> do! sendText ws "PONG"B
            | Some _ -> ()
            | None -> go <- false
    }

let waitUntil (timeout: TimeSpan) (condition: unit -> bool) =
    let deadline = DateTime.UtcNow + timeout

    while not (condition ()) && DateTime.UtcNow < deadline do
        Thread.Sleep 20

    condition ()

/// The book of one asset as the server knows it, rebuilt independently from the frames it sent.
type Truth() =
    let bids = Collections.Generic.SortedDictionary<decimal, decimal>()
    let asks = Collections.Generic.SortedDictionary<decimal, decimal>()
    let mutable timestamp = 0L

    member _.Apply(frame: byte array, asset: string) =
        let root = JsonDocument.Parse(frame).RootElement

        match str root "event_type" with
        | "book" when str root "asset_id" = asset ->
            bids.Clear()
            asks.Clear()

            for l in root.GetProperty("bids").EnumerateArray() do
                bids[decOf l "price"] <- decOf l "size"

            for l in root.GetProperty("asks").EnumerateArray() do
                asks[decOf l "price"] <- decOf l "size"

            timestamp <- int64Of root "timestamp"
        | "price_change" ->
            for c in root.GetProperty("price_changes").EnumerateArray() do
                if str c "asset_id" = asset then
                    let side = if str c "side" = "BUY" then bids else asks
                    let size = decOf c "size"

                    if size = 0m then
                        side.Remove(decOf c "price") |> ignore
                    else
                        side[decOf c "price"] <- size

            timestamp <- int64Of root "timestamp"
        | _ -> ()

    member _.Snapshot(asset: string) =
        let levels (d: Collections.Generic.SortedDictionary<decimal, decimal>) =
            [| for kv in d -> PriceLevel(kv.Key, kv.Value) |]

        BookSnapshot(asset, levels bids, levels asks, timestamp)

    /// The book as the server would send it on subscribe.
    member this.BookFrame(asset: string, market: string) =
        let s = this.Snapshot asset

        let levels (ls: PriceLevel seq) =
            String.Join(",", ls |> Seq.map (fun l -> $"""{{"price":"{l.Price}","size":"{l.Size}"}}"""))

        Encoding.UTF8.GetBytes(
            $"""{{"event_type":"book","asset_id":"{asset}","market":"{market}","timestamp":"{s.TimestampMs}","hash":"","bids":[{levels s.Bids}],"asks":[{levels s.Asks}]}}"""
        )

/// REST snapshots served from the server's truth.
type TruthSource(truth: Truth, asset: string) =
    member val Calls = 0 with get, set

    interface IBookSnapshotSource with
        member this.GetBookAsync(assetId, _) =
            this.Calls <- this.Calls + 1

            if assetId = asset then
                Task.FromResult(lock truth (fun () -> truth.Snapshot asset))
            else
                Task.FromResult(BookSnapshot(assetId, [||], [||], 0L))

/// Notes when the end marker (a best_bid_ask for asset "end") arrives.
type EndWatcher() =
    inherit MarketEventHandler()
    member val Seen = false with get, set

    override this.OnBestBidAsk q =
        if q.AssetId = "end" then
            this.Seen <- true

let fastOptions (url: Uri) =
    MarketChannelOptions(
        Url = url,
        PingInterval = TimeSpan.FromMilliseconds 200.0,
        StallTimeout = TimeSpan.FromSeconds 1.0,
        MaintenanceInterval = TimeSpan.FromMilliseconds 50.0,
        Reconnect =
            ReconnectPolicy(InitialDelay = TimeSpan.FromMilliseconds 50.0, MaxDelay = TimeSpan.FromMilliseconds 200.0)
    )

[<Tests>]
let tests =
    testList
        "WebSockets"
        [
            testList
                "ReconnectBackoff"
                [
                    testCase "delays grow exponentially within the jitter and cap at the maximum"
                    <| fun () ->
                        let policy =
                            ReconnectPolicy(
                                InitialDelay = TimeSpan.FromSeconds 1.0,
                                MaxDelay = TimeSpan.FromSeconds 8.0,
                                JitterRatio = 0.2
                            )

                        let backoff = ReconnectBackoff(policy, FakeTimeProvider(), Random 7)

                        for expected in [ 1.0; 2.0; 4.0; 8.0; 8.0 ] do
                            let d = backoff.NextDelay().TotalSeconds
                            Expect.isGreaterThanOrEqual d (expected * 0.8 |> min 8.0) $"at least {expected}·0.8"
                            Expect.isLessThanOrEqual d (min 8.0 (expected * 1.2)) $"at most {expected}·1.2, capped"

                    testCase "a healthy connection resets the attempt counter, a short one does not"
                    <| fun () ->
                        let time = FakeTimeProvider()
                        let policy = ReconnectPolicy(HealthyAfter = TimeSpan.FromSeconds 60.0)
                        let backoff = ReconnectBackoff(policy, time, Random 1)

                        for _ in 1..4 do
                            backoff.NextDelay() |> ignore

                        backoff.OnConnected()
                        time.Advance(TimeSpan.FromSeconds 5.0)
                        backoff.OnDisconnected()
                        Expect.equal backoff.Attempt 4 "a 5 s connection keeps the count"
                        backoff.OnConnected()
                        time.Advance(TimeSpan.FromSeconds 61.0)
                        backoff.OnDisconnected()
                        Expect.equal backoff.Attempt 0 "a 61 s connection resets it"

                        Expect.isLessThanOrEqual
                            (backoff.NextDelay().TotalSeconds)
                            1.2
                            "the next delay is the first again"
                ]

            testSequenced (
                testList
                    "servers on 127.0.0.1"
                    [
                        testCase
                            "the market client survives a drop, a stall, bad frames and a 100k burst with a correct book"
                            (fun () ->
                                let burst, burstJson = burstFrames ()
                                let market = str burstJson[0] "market"
                                let parquet = parquetMessages.Value

                                let parquetAssets =
                                    parquet
                                    |> Seq.map (fun m -> str (JsonDocument.Parse(m.Utf8).RootElement) "asset_id")
                                    |> Seq.distinct
                                    |> Array.ofSeq

                                let assets = Array.append [| burstAsset |] parquetAssets
                                let burstCount = 100_000

                                let burstFrames =
                                    Array.init burstCount (fun i -> parquet[i % parquet.Count].Utf8.ToArray())

                                let truth = Truth()
                                let subscribes = ConcurrentQueue<string>()
                                let malformed = [ "{"B; "not json"B; "[1,2]"B ]
                                let unknown = """{"event_type":"mystery","asset_id":"1"}"""B

                                let endMarker =
                                    """{"event_type":"best_bid_ask","asset_id":"end","best_bid":"0.1","best_ask":"0.2","timestamp":"1"}"""B

                                let sendBurst (ws: WebSocket) first last =
                                    task {
                                        for i in first..last do
                                            lock truth (fun () -> truth.Apply(burst[i], burstAsset))
                                            do! sendText ws burst[i]
                                    }

                                let script index (ws: WebSocket) =
                                    task {
                                        let! first = receiveText ws
                                        subscribes.Enqueue(defaultArg first "")

                                        match index with
                                        | 1 ->
                                            do! sendBurst ws 0 24
                                            do! Task.Delay 100
                                            ws.Abort()
                                        | 2 ->
                                            do!
                                                sendText
                                                    ws
                                                    (lock truth (fun () -> truth.BookFrame(burstAsset, market)))

                                            do! sendBurst ws 25 40
                                            do! drain ws false
                                        | _ ->
                                            do!
                                                sendText
                                                    ws
                                                    (lock truth (fun () -> truth.BookFrame(burstAsset, market)))

                                            for m in malformed do
                                                do! sendText ws m

                                            do! sendText ws unknown
                                            do! sendBurst ws 41 50

                                            for f in burstFrames do
                                                do! sendText ws f

                                            do! sendText ws endMarker
                                            do! drain ws true
                                    }

                                let server = new ScriptedServer(script)

                                try
                                    let source = TruthSource(truth, burstAsset)
                                    let client = MarketChannelClient(fastOptions server.Url, snapshots = source)
                                    let ended = EndWatcher()
                                    client.AddHandler ended
                                    let mutable reconnects = 0
                                    client.Reconnected.Add(fun _ -> Interlocked.Increment(&reconnects) |> ignore)
                                    client.SubscribeAsync(assets, CancellationToken.None).GetAwaiter().GetResult()
                                    use cts = new CancellationTokenSource()
                                    let run = client.RunAsync cts.Token

                                    use _stop =
                                        { new IDisposable with
                                            member _.Dispose() = cts.Cancel()
                                        }
                                    // The first connection is dropped hard, so some of its 25 frames may be lost in flight.
                                    let afterDrop = 17L + 1L + 3L + 1L + 10L + int64 burstCount + 1L
                                    let arrived = waitUntil (TimeSpan.FromSeconds 20.0) (fun () -> ended.Seen)
                                    let frames = client.Parser.Statistics.Frames
                                    Expect.isTrue arrived $"the end marker arrived ({frames} frames)"
                                    Expect.isGreaterThanOrEqual frames afterDrop "every frame after the drop arrived"
                                    Expect.isLessThanOrEqual frames (afterDrop + 25L) "no frame twice"
                                    Expect.equal client.Connects 3L "three connections"
                                    Expect.equal reconnects 2 "the reconnect callback ran twice"
                                    Expect.isGreaterThanOrEqual client.Stalls 1L "the stall was detected"
                                    Expect.equal client.Parser.Statistics.MalformedFrames 3L "malformed frames counted"
                                    Expect.equal client.Parser.Statistics.UnknownEvents 1L "unknown event counted"
                                    Expect.equal client.HandlerErrors 0L "no handler error"

                                    let expectedSubscribe = Set.ofArray assets

                                    for s in subscribes do
                                        let root = JsonDocument.Parse(s).RootElement
                                        Expect.equal (str root "type") "market" "type market"

                                        let ids =
                                            root.GetProperty("assets_ids").EnumerateArray()
                                            |> Seq.map (fun e -> e.GetString())
                                            |> Set.ofSeq

                                        Expect.equal ids expectedSubscribe "every asset resubscribed"

                                        Expect.isTrue
                                            (root.GetProperty("custom_feature_enabled").GetBoolean())
                                            "custom features"

                                    Expect.equal subscribes.Count 3 "one subscribe per connection"
                                    Expect.isGreaterThanOrEqual source.Calls 1 "REST snapshots were fetched"

                                    let noFaults =
                                        MarketReplay()
                                            .RunAsync(
                                                [|
                                                    for f in Array.append burst burstFrames ->
                                                        RecordedMessage(0L, ReadOnlyMemory f)
                                                |]
                                            )
                                            .GetAwaiter()
                                            .GetResult()

                                    for a in assets do
                                        let expected = noFaults.Books |> Seq.find (fun b -> b.AssetId = a)
                                        let ok, top = client.Books.TryGetTop a
                                        Expect.isTrue ok "tracked"
                                        Expect.equal top.Status BookStatus.Live $"{a} live"

                                        Expect.equal
                                            (Option.ofNullable top.BestBid |> Option.map (fun l -> l.Price))
                                            (Option.ofNullable expected.BestBid)
                                            "best bid"

                                        Expect.equal
                                            (Option.ofNullable top.BestAsk |> Option.map (fun l -> l.Price))
                                            (Option.ofNullable expected.BestAsk)
                                            "best ask"

                                        Expect.equal top.BidLevels expected.BidLevels "bid levels"
                                        Expect.equal top.AskLevels expected.AskLevels "ask levels"

                                    let closing = client.Books.GetSnapshot burstAsset

                                    let expectedBids =
                                        [
                                            for l in burstJson[50].GetProperty("bids").EnumerateArray() ->
                                                level (decOf l "price") (decOf l "size")
                                        ]
                                        |> sortedLevels true

                                    Expect.sequenceEqual
                                        closing.Bids
                                        expectedBids
                                        "the burst asset's bids equal the closing book"

                                    cts.Cancel()
                                    Expect.isTrue (run.Wait(TimeSpan.FromSeconds 5.0)) "every task ended after cancel"
                                    Expect.isFalse client.IsConnected "disconnected"
                                finally
                                    (server :> IAsyncDisposable).DisposeAsync().AsTask().GetAwaiter().GetResult())

                        testCase
                            "the market client sends PING every interval and subscribes and unsubscribes while connected"
                            (fun () ->
                                let received = ConcurrentQueue<string>()

                                let script _ (ws: WebSocket) =
                                    task {
                                        let mutable go = true

                                        while go do
                                            let! m = receiveText ws

                                            match m with
                                            | Some text ->
                                                received.Enqueue text

                                                if text = "PING" then
                                                    do! sendText ws "PONG"B
                                            | None -> go <- false
                                    }

                                let server = new ScriptedServer(script)

                                try
                                    let client = MarketChannelClient(fastOptions server.Url)
                                    use cts = new CancellationTokenSource()
                                    let run = client.RunAsync cts.Token

                                    use _stop =
                                        { new IDisposable with
                                            member _.Dispose() = cts.Cancel()
                                        }

                                    client.WaitConnectedAsync(cts.Token).Wait(TimeSpan.FromSeconds 5.0) |> ignore

                                    client
                                        .SubscribeAsync([ "111"; "222" ], CancellationToken.None)
                                        .GetAwaiter()
                                        .GetResult()

                                    client.UnsubscribeAsync([ "111" ], CancellationToken.None).GetAwaiter().GetResult()

                                    let pings () =
                                        received |> Seq.filter (fun m -> m = "PING") |> Seq.length

                                    Expect.isTrue
                                        (waitUntil (TimeSpan.FromSeconds 5.0) (fun () -> pings () >= 3))
                                        "pings"

                                    Expect.isGreaterThanOrEqual client.PongsReceived 2L "pongs counted, not parsed"
                                    Expect.equal client.Parser.Statistics.Frames 0L "PONG is not a market message"
                                    let json = received |> Seq.filter (fun m -> m <> "PING") |> Seq.toArray
                                    Expect.equal json.Length 3 "subscribe, subscribe, unsubscribe"
                                    let first = JsonDocument.Parse(json[0]).RootElement
                                    Expect.equal (first.GetProperty("assets_ids").GetArrayLength()) 0 "nothing yet"
                                    let sub = JsonDocument.Parse(json[1]).RootElement
                                    Expect.equal (str sub "operation") "subscribe" "subscribe"

                                    Expect.sequenceEqual
                                        [ for a in sub.GetProperty("assets_ids").EnumerateArray() -> a.GetString() ]
                                        [ "111"; "222" ]
                                        "ids"

                                    let unsub = JsonDocument.Parse(json[2]).RootElement
                                    Expect.equal (str unsub "operation") "unsubscribe" "unsubscribe"
                                    Expect.sequenceEqual client.Assets [ "222" ] "one asset left"
                                    Expect.equal (client.Books.GetStatus "111") (Nullable()) "its book dropped"
                                    cts.Cancel()
                                    Expect.isTrue (run.Wait(TimeSpan.FromSeconds 5.0)) "stopped"
                                finally
                                    (server :> IAsyncDisposable).DisposeAsync().AsTask().GetAwaiter().GetResult())

                        testCase
                            "the user client authenticates, follows markets and raises order and trade events"
                            (fun () ->
                                let order =
                                    File.ReadAllBytes(
                                        nautilus "integration_resources/ws_messages/order_placement.json"
                                    )

                                let trade =
                                    File.ReadAllBytes(nautilus "integration_resources/ws_messages/user_trade2.json")

                                let received = ConcurrentQueue<string>()

                                let script _ (ws: WebSocket) =
                                    task {
                                        let! first = receiveText ws
                                        received.Enqueue(defaultArg first "")
                                        do! sendText ws order
                                        do! sendText ws trade
                                        let! second = receiveText ws
                                        received.Enqueue(defaultArg second "")
                                        do! drain ws true
                                    }

                                let server = new ScriptedServer(script)

                                try
                                    let creds = UserChannelCredentials("key-1", "secret-1", "pass-1")
                                    Expect.isFalse (creds.ToString().Contains "secret-1") "ToString hides the secret"

                                    let client =
                                        UserChannelClient(
                                            UserChannelOptions(
                                                Url = server.Url,
                                                PingInterval = TimeSpan.FromMilliseconds 200.0
                                            ),
                                            creds,
                                            [ "0xabc" ]
                                        )

                                    let orders = ConcurrentQueue<UserOrderEvent>()
                                    let trades = ConcurrentQueue<UserTradeEvent>()
                                    client.OrderReceived.Add orders.Enqueue
                                    client.TradeReceived.Add trades.Enqueue
                                    use cts = new CancellationTokenSource()
                                    let run = client.RunAsync cts.Token

                                    use _stop =
                                        { new IDisposable with
                                            member _.Dispose() = cts.Cancel()
                                        }

                                    Expect.isTrue
                                        (waitUntil (TimeSpan.FromSeconds 5.0) (fun () -> trades.Count = 1))
                                        "trade arrived"

                                    client.SubscribeAsync([ "0xdef" ], CancellationToken.None).GetAwaiter().GetResult()

                                    Expect.isTrue
                                        (waitUntil (TimeSpan.FromSeconds 5.0) (fun () -> received.Count = 2))
                                        "subscription change arrived"

                                    let auth = JsonDocument.Parse(Seq.item 0 received).RootElement
                                    Expect.equal (str auth "type") "user" "type user"
                                    Expect.equal (str (auth.GetProperty "auth") "apiKey") "key-1" "api key"
                                    Expect.equal (str (auth.GetProperty "auth") "secret") "secret-1" "secret"
                                    Expect.equal (str (auth.GetProperty "auth") "passphrase") "pass-1" "passphrase"
                                    let firstMarket = (auth.GetProperty "markets")[0]
                                    Expect.equal (firstMarket.GetString()) "0xabc" "markets"
                                    let change = JsonDocument.Parse(Seq.item 1 received).RootElement
                                    Expect.equal (str change "operation") "subscribe" "operation"
                                    let newMarket = (change.GetProperty "markets")[0]
                                    Expect.equal (newMarket.GetString()) "0xdef" "new market"
                                    let o = Seq.head orders
                                    Expect.equal o.Kind OrderEventKind.Placement "order placement"
                                    Expect.equal (Seq.head trades).Status TradeStatus.Matched "trade matched"
                                    cts.Cancel()
                                    Expect.isTrue (run.Wait(TimeSpan.FromSeconds 5.0)) "stopped"
                                finally
                                    (server :> IAsyncDisposable).DisposeAsync().AsTask().GetAwaiter().GetResult())

                        testCase "the Binance feed subscribes to trade and kline streams and emits ticks" (fun () ->
                            // Payloads in the shape of Binance's documented trade and kline stream examples.
                            let tradeFrame =
                                """{"stream":"btcusdt@trade","data":{"e":"trade","E":1672515782136,"s":"BTCUSDT","t":12345,"p":"16543.21000000","q":"0.01500000","T":1672515782134,"m":true,"M":true}}"""B

                            let klineFrame =
                                """{"stream":"btcusdt@kline_1m","data":{"e":"kline","E":1672515782200,"s":"BTCUSDT","k":{"t":1672515780000,"T":1672515839999,"s":"BTCUSDT","i":"1m","f":100,"L":200,"o":"16540.00","c":"16544.50","h":"16545.00","l":"16539.00","v":"12.5","n":100,"x":false,"q":"1000","V":"5","Q":"500","B":"0"}}}"""B

                            let requests = ConcurrentQueue<string>()

                            let script _ (ws: WebSocket) =
                                task {
                                    let! first = receiveText ws
                                    requests.Enqueue(defaultArg first "")
                                    do! sendText ws """{"result":null,"id":1}"""B
                                    do! sendText ws tradeFrame
                                    do! sendText ws klineFrame
                                    do! drain ws false
                                }

                            let server = new ScriptedServer(script)

                            try
                                let feed = new BinanceDataFeed(BinanceFeedOptions(Url = server.Url))
                                let ticks = ConcurrentQueue<PriceTick>()
                                feed.TickReceived.Add ticks.Enqueue
                                feed.SubscribeAsync("BTCUSDT", CancellationToken.None).GetAwaiter().GetResult()
                                feed.StartAsync(CancellationToken.None).GetAwaiter().GetResult()

                                Expect.isTrue
                                    (waitUntil (TimeSpan.FromSeconds 5.0) (fun () -> ticks.Count = 2))
                                    "two ticks"

                                let request = JsonDocument.Parse(Seq.head requests).RootElement
                                Expect.equal (str request "method") "SUBSCRIBE" "method"

                                Expect.sequenceEqual
                                    [ for p in request.GetProperty("params").EnumerateArray() -> p.GetString() ]
                                    [ "btcusdt@trade"; "btcusdt@kline_1m" ]
                                    "streams"

                                let t = Seq.item 0 ticks
                                Expect.equal t.Price 16543.21m "trade price"
                                Expect.equal t.Size (Nullable 0.015m) "trade size"
                                Expect.equal t.Side (Nullable TradeSide.Sell) "buyer is maker: a sell hit the bid"
                                Expect.equal (t.Time.ToUnixTimeMilliseconds()) 1672515782134L "trade time"
                                Expect.equal t.Source "binance-trade" "source"
                                let k = Seq.item 1 ticks
                                Expect.equal k.Price 16544.50m "kline close"
                                Expect.equal k.Source "binance-kline" "source"
                                Expect.equal feed.IgnoredFrames 1L "the subscription reply"
                                feed.StopAsync().Wait(TimeSpan.FromSeconds 5.0) |> ignore
                                Expect.isFalse feed.IsConnected "stopped"
                            finally
                                (server :> IAsyncDisposable).DisposeAsync().AsTask().GetAwaiter().GetResult())
                    ]
            )
        ]
