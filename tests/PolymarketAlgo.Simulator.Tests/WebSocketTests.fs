module PolymarketAlgo.Simulator.Tests.WebSocketTests

open System
open System.Collections.Concurrent
open System.Net.Http
open System.Threading
open System.Threading.Tasks
open Expecto
open PolymarketAlgo.Executor.Orders
open PolymarketAlgo.Executor.Streaming
open PolymarketAlgo.Simulator.Tests.TestHelpers

/// Collects the market-channel trade prints and resolutions.
type Recorder() =
    inherit MarketEventHandler()
    member val Trades = ConcurrentQueue<LastTradePrice>()
    member val Resolutions = ConcurrentQueue<MarketResolvedEvent>()
    member val Changes = ConcurrentQueue<PriceChange>()
    override this.OnPriceChange change = this.Changes.Enqueue change
    override this.OnLastTradePrice trade = this.Trades.Enqueue trade
    override this.OnMarketResolved resolution = this.Resolutions.Enqueue resolution

let private fastReconnect =
    ReconnectPolicy(InitialDelay = TimeSpan.FromMilliseconds 50.0, MaxDelay = TimeSpan.FromMilliseconds 200.0)

let private marketClient (sim: Sim) =
    new MarketChannelClient(
        MarketChannelOptions(
            Url = sim.Host.MarketChannelUrl,
            PingInterval = TimeSpan.FromMilliseconds 200.0,
            Reconnect = fastReconnect
        )
    )

/// Runs a client in the background until the returned source is cancelled.
let private run (client: ReconnectingWebSocketClient) =
    let stop = new CancellationTokenSource()
    let running = Task.Run(fun () -> client.RunAsync stop.Token)
    stop, running

let private top (client: MarketChannelClient) (asset: string) =
    match client.Books.TryGetTop asset with
    | true, t when t.BestBid.HasValue && t.BestAsk.HasValue -> Some(t.BestBid.Value.Price, t.BestAsk.Value.Price)
    | _ -> None

[<Tests>]
let tests =
    testSequenced
    <| testList
        "WebSockets"
        [
            testTask "the market channel delivers the recorded books as the replay advances, and answers PING with PONG" {
                use! sim = startSim 60
                let asset = firstWindow().AssetId
                let client = marketClient sim
                do! client.SubscribeAsync([ asset ], CancellationToken.None)
                let stop, running = run client
                let expected = bestOf (snapshotAt (firstWindow ()) 60_000L)
                let! first = waitUntil 5000 (fun () -> top client asset = Some expected)
                Expect.isTrue first $"the initial book is the recorded one at 60 s: {top client asset} vs {expected}"
                sim.Advance 30.0
                let later = bestOf (snapshotAt (firstWindow ()) 90_000L)
                let! moved = waitUntil 5000 (fun () -> top client asset = Some later)
                Expect.isTrue moved $"the book follows the replay to 90 s: {top client asset} vs {later}"
                let! ponged = waitUntil 5000 (fun () -> client.PongsReceived > 0L)
                Expect.isTrue ponged "PONG answers PING"
                stop.Cancel()
                do! running
            }

            testTask
                "the market channel prints our fills as last_trade_price and the user channel reports our order and trades" {
                use! sim = startSim 60
                let! credentials, userCredentials = createKey sim traderKey
                let asset = firstWindow().AssetId
                let market = marketClient sim
                let recorder = Recorder()
                market.AddHandler recorder
                do! market.SubscribeAsync([ asset ], CancellationToken.None)

                let user =
                    new UserChannelClient(UserChannelOptions(Url = sim.Host.UserChannelUrl), userCredentials)

                let orders = ConcurrentQueue<UserOrderEvent>()
                let trades = ConcurrentQueue<UserTradeEvent>()
                user.OrderReceived.Add orders.Enqueue
                user.TradeReceived.Add trades.Enqueue
                let stopMarket, runningMarket = run market
                let stopUser, runningUser = run user
                do! market.WaitConnectedAsync(CancellationToken.None)
                do! user.WaitConnectedAsync(CancellationToken.None)
                let! _ = waitUntil 5000 (fun () -> (top market asset).IsSome)
                do! Task.Delay 200

                let signed =
                    (builderFor sim traderKey)
                        .CreateMarketOrder(MarketOrderRequest(TokenId.Parse asset, Side.Buy, 10m, 0.99m), marketInfo)
                        .Value

                let! status, body =
                    sendL2 sim credentials HttpMethod.Post "/order" (Some(orderBody credentials OrderType.Fok signed))

                Expect.equal status 200 body
                let! printed = waitUntil 5000 (fun () -> recorder.Trades.Count > 0)
                Expect.isTrue printed "a last_trade_price"
                let print = recorder.Trades |> Seq.head
                Expect.equal print.AssetId asset "of our asset"

                let fills =
                    ClobTests.expectedBuyFill (levels (snapshotAt (firstWindow ()) 60_000L).Asks) 10m

                let price, taken = List.head fills

                let recordedSize =
                    (snapshotAt (firstWindow ()) 60_000L).Asks
                    |> Array.find (fun l -> l.Price = price)
                    |> fun l -> l.Size

                let! changed =
                    waitUntil 5000 (fun () ->
                        recorder.Changes
                        |> Seq.exists (fun c ->
                            c.AssetId = asset
                            && c.Side = PolymarketAlgo.Executor.Books.BookSide.Ask
                            && c.Price = price))

                Expect.isTrue changed "a price_change for the level we took from"

                let change =
                    recorder.Changes
                    |> Seq.find (fun c ->
                        c.AssetId = asset
                        && c.Side = PolymarketAlgo.Executor.Books.BookSide.Ask
                        && c.Price = price)

                Expect.equal change.Size (recordedSize - taken) "the level's new size"

                let! confirmed =
                    waitUntil 5000 (fun () -> trades |> Seq.exists (fun t -> t.Status = TradeStatus.Confirmed))

                Expect.isTrue confirmed "the trade reaches CONFIRMED"
                Expect.isTrue (trades |> Seq.exists (fun t -> t.Status = TradeStatus.Matched)) "after MATCHED"
                let placement = orders |> Seq.find (fun o -> o.Kind = OrderEventKind.Placement)
                Expect.equal placement.Id signed.OrderId "our order"
                Expect.equal (trades |> Seq.head).TakerOrderId signed.OrderId "our trade"
                stopMarket.Cancel()
                stopUser.Cancel()
                do! runningMarket
                do! runningUser
            }

            testTask "the user channel refuses wrong credentials" {
                use! sim = startSim 60

                let! (_: PolymarketAlgo.Executor.Secrets.Credentials), (userCredentials: UserChannelCredentials) =
                    createKey sim traderKey

                let wrong =
                    UserChannelCredentials(userCredentials.ApiKey, userCredentials.Secret, "wrong")

                let user =
                    new UserChannelClient(
                        UserChannelOptions(Url = sim.Host.UserChannelUrl, Reconnect = fastReconnect),
                        wrong
                    )

                let stop, running = run user
                let! dropped = waitUntil 5000 (fun () -> user.Disconnects > 0L)
                Expect.isTrue dropped "the server closes the connection"
                stop.Cancel()
                do! running
            }

            testTask "the market channel announces the resolution of a subscribed market" {
                use! sim = startSim 295
                let window = sim.Host.Catalog.Get(firstWindow().StartUnixSeconds)
                let market = marketClient sim
                let recorder = Recorder()
                market.AddHandler recorder
                do! market.SubscribeAsync([ window.UpTokenId ], CancellationToken.None)
                let stop, running = run market
                do! market.WaitConnectedAsync(CancellationToken.None)
                let! _ = waitUntil 5000 (fun () -> (top market window.UpTokenId).IsSome)
                sim.Advance 20.0
                let! resolved = waitUntil 5000 (fun () -> recorder.Resolutions.Count > 0)
                Expect.isTrue resolved "market_resolved"
                let resolution = recorder.Resolutions |> Seq.head
                Expect.equal resolution.WinningAssetId window.DownTokenId "Down won"
                stop.Cancel()
                do! running
            }
        ]
