module PolymarketAlgo.Simulator.Tests.FaultTests

open System
open System.Net.Http
open System.Threading
open System.Threading.Tasks
open Expecto
open PolymarketAlgo.Executor.Orders
open PolymarketAlgo.Executor.Streaming
open PolymarketAlgo.Simulator.Faults
open PolymarketAlgo.Simulator.Tests.TestHelpers

let private retryAfter (response: HttpResponseMessage) =
    response.Headers.RetryAfter.Delta
    |> Option.ofNullable
    |> Option.map (fun d -> d.TotalSeconds)

[<Tests>]
let tests =
    testSequenced
    <| testList
        "Faults"
        [
            testTask "rejects the next order with the injected error, then accepts orders again" {
                use! sim = startSim 60
                let! credentials = createCredentials sim traderKey
                sim.Host.Faults.RejectNextOrders(1)
                let builder = builderFor sim traderKey

                let post price =
                    let signed =
                        builder
                            .CreateLimitOrder(
                                LimitOrderRequest(TokenId.Parse(firstWindow().AssetId), Side.Buy, price, 5m),
                                marketInfo
                            )
                            .Value

                    sendL2 sim credentials HttpMethod.Post "/order" (Some(orderBody credentials OrderType.Gtc signed))

                let! status, body = post 0.02m
                Expect.equal status 400 "rejected"

                Expect.equal
                    ((parse body).GetProperty("error").GetString())
                    FaultInjector.DefaultRejection
                    "the injected error"

                let! status, body = post 0.03m
                Expect.equal status 200 body
            }

            testTask "answers 429 with Retry-After for the given number of requests, set by C# or the admin endpoint" {
                use! sim = startSim 60
                sim.Host.Faults.RateLimit(2, TimeSpan.FromSeconds 3.0)
                let url = "/clob/book?token_id=" + firstWindow().AssetId

                for _ in 1..2 do
                    let! (limited: HttpResponseMessage) = sim.Http.GetAsync url
                    Expect.equal (int limited.StatusCode) 429 "rate limited"
                    Expect.equal (retryAfter limited) (Some 3.0) "Retry-After: 3"

                let! (served: HttpResponseMessage) = sim.Http.GetAsync url
                Expect.equal (int served.StatusCode) 200 "served again"

                let! (set: HttpResponseMessage) =
                    sim.Http.PostAsync("/_sim/faults/rate-limit?count=1&retry_after=2", null)

                Expect.equal (int set.StatusCode) 200 "the admin endpoint"
                let! (limited: HttpResponseMessage) = sim.Http.GetAsync "/gamma/events"
                Expect.equal (int limited.StatusCode) 429 "any API"
                Expect.equal (retryAfter limited) (Some 2.0) "Retry-After: 2"
            }

            testTask
                "answers 503 with Retry-After while down, serves the admin endpoints, and recovers after the period" {
                use! sim = startSim 60
                sim.Host.Faults.GoDown(TimeSpan.FromSeconds 4.5)
                let! (down: HttpResponseMessage) = sim.Http.GetAsync "/clob/time"
                Expect.equal (int down.StatusCode) 503 "down"
                Expect.equal (retryAfter down) (Some 5.0) "Retry-After rounds the time left up"
                let! status, _ = get sim.Http "/_sim/status"
                Expect.equal status 200 "the admin endpoint stays up"
                sim.Wall.Advance(TimeSpan.FromSeconds 5.0)
                let! status, _ = get sim.Http "/clob/time"
                Expect.equal status 200 "up again"
            }

            testTask "refuses connections while down in refuse mode" {
                use! sim = startSim 60

                let! (set: HttpResponseMessage) =
                    sim.Http.PostAsync("/_sim/faults/down?seconds=3&mode=refuse", null)

                Expect.equal (int set.StatusCode) 200 "set"

                let! refused =
                    task {
                        try
                            let! _ = sim.Http.GetAsync "/clob/time"
                            return false
                        with :? HttpRequestException ->
                            return true
                    }

                Expect.isTrue refused "the connection is dropped without a response"
                sim.Wall.Advance(TimeSpan.FromSeconds 3.5)
                let! status, _ = get sim.Http "/clob/time"
                Expect.equal status 200 "up again"
            }

            testTask "drops the WebSockets; the market client reconnects and gets the books again" {
                use! sim = startSim 60
                let asset = firstWindow().AssetId

                let client =
                    new MarketChannelClient(
                        MarketChannelOptions(
                            Url = sim.Host.MarketChannelUrl,
                            Reconnect =
                                ReconnectPolicy(
                                    InitialDelay = TimeSpan.FromMilliseconds 50.0,
                                    MaxDelay = TimeSpan.FromMilliseconds 200.0
                                )
                        )
                    )

                do! client.SubscribeAsync([ asset ], CancellationToken.None)
                let stop = new CancellationTokenSource()
                let running = Task.Run(fun () -> client.RunAsync stop.Token)

                let live () =
                    client.Books.GetStatus asset = Nullable PolymarketAlgo.Executor.Books.BookStatus.Live

                let! first = waitUntil 5000 live
                Expect.isTrue first "a live book"
                let! connected = waitUntil 2000 (fun () -> sim.Host.WebSocketConnections = 1)
                Expect.isTrue connected "one connection"
                sim.Host.Faults.DropWebSockets()

                let! reconnected =
                    waitUntil 5000 (fun () -> client.Connects >= 2L && client.Disconnects >= 1L)

                Expect.isTrue reconnected "the client reconnected"
                let! again = waitUntil 5000 live
                Expect.isTrue again "the book is live again from the new snapshot"
                stop.Cancel()
                do! running
            }

            testTask "replays as fast as it can at maximum speed" {
                use! sim =
                    startSimWith (DateTimeOffset.FromUnixTimeSeconds(firstWindow().StartUnixSeconds)) (Nullable())

                let start = sim.Host.Clock.GetUtcNow()

                let! ahead =
                    waitUntil 5000 (fun () -> sim.Host.Clock.GetUtcNow() - start > TimeSpan.FromSeconds 30.0)

                Expect.isTrue ahead $"the clock ran ahead: {sim.Host.Clock.GetUtcNow() - start}"
            }
        ]
