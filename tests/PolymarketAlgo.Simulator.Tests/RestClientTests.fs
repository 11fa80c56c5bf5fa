module PolymarketAlgo.Simulator.Tests.RestClientTests

open System
open System.Net.Http
open System.Threading.Tasks
open Expecto
open Microsoft.Extensions.Logging.Abstractions
open PolymarketAlgo.Executor.Auth
open PolymarketAlgo.Executor.Http
open PolymarketAlgo.Executor.Markets
open PolymarketAlgo.Executor.Orders
open PolymarketAlgo.Executor.Resilience
open PolymarketAlgo.Executor.Rest
open PolymarketAlgo.Executor.Secrets
open PolymarketAlgo.Simulator
open PolymarketAlgo.Simulator.Tests.TestHelpers

/// The Executor's REST clients pointed at a simulator, as a bot would configure them.
type Clients =
    {
        Resilience: PolymarketResilience
        Http: HttpClient
        Public: ClobClient
        Gamma: GammaClient
        Data: DataApiClient
    }

    interface IAsyncDisposable with
        member this.DisposeAsync() =
            this.Http.Dispose()
            this.Resilience.Dispose()
            ValueTask.CompletedTask

let clientsFor (sim: Sim) =
    let options =
        PolymarketApiOptions(ClobUrl = sim.Host.ClobUrl, GammaUrl = sim.Host.GammaUrl, DataApiUrl = sim.Host.DataApiUrl)

    let resilience =
        new PolymarketResilience(options, TimeProvider.System, NullLoggerFactory.Instance)

    let http = new HttpClient()

    {
        Resilience = resilience
        Http = http
        Public = ClobClient(http, resilience, TimeProvider.System, NullLogger<ClobClient>.Instance)
        Gamma = GammaClient(http, resilience, TimeProvider.System, NullLogger<GammaClient>.Instance)
        Data = DataApiClient(http, resilience, TimeProvider.System, NullLogger<DataApiClient>.Instance)
    }

/// An authenticated CLOB client: API credentials derived through the real L1 authenticator.
let tradingClient (sim: Sim) (clients: Clients) (key: PrivateKey) : Task<ClobClient * Credentials> =
    task {
        let l1 = L1RequestAuthenticator(key, ChainIds.Polygon, sim.Host.Clock)
        let! api = ApiKeys.DeriveAsync(clients.Public.Transport, l1, create = true)

        let credentials =
            Credentials.FromPrivateKey(key).WithApiCredentials(api.ApiKey, api.Secret, api.Passphrase)

        let client =
            ClobClient(
                clients.Http,
                clients.Resilience,
                TimeProvider.System,
                NullLogger<ClobClient>.Instance,
                L2RequestAuthenticator(credentials, sim.Host.Clock)
            )

        return client, credentials
    }

[<Tests>]
let tests =
    testSequenced
    <| testList
        "Executor REST clients"
        [
            testTask "find the live window, read its recorded book, and fill a FOK through the real CLOB client" {
                use! sim = startSim 60
                use clients = clientsFor sim
                let markets = UpDownMarkets(clients.Gamma, sim.Host.Clock)
                let! (current: UpDownMarket) = markets.GetCurrentAsync()

                Expect.equal
                    current.UpTokenId
                    (firstWindow().AssetId)
                    "the current window's Up token is the recorded asset"

                Expect.isTrue current.AcceptingOrders "accepting orders"
                Expect.equal current.TickSize (Nullable 0.01m) "tick"
                let! (book: OrderBookSummary) = clients.Public.GetBookAsync current.UpTokenId
                let bid, ask = bestOf (snapshotAt (firstWindow ()) 60_000L)
                Expect.equal (book.BestAsk().Price) ask "best ask"
                Expect.equal (book.BestBid().Price) bid "best bid"
                let! (mid: decimal) = clients.Public.GetMidpointAsync current.UpTokenId
                Expect.equal mid ((bid + ask) / 2m) "midpoint"
                let! (info: ClobMarketInfo) = clients.Public.GetMarketInfoAsync current.ConditionId
                Expect.equal info.MinimumOrderSize 5m "minimum order size"

                let! (clob: ClobClient), (credentials: Credentials) =
                    tradingClient sim clients traderKey

                let signed =
                    (builderFor sim traderKey)
                        .CreateMarketOrder(
                            MarketOrderRequest(TokenId.Parse current.UpTokenId, Side.Buy, 25m, 0.99m),
                            marketInfo
                        )
                        .Value

                let! (reply: OrderPostResponse) =
                    clob.PostOrderAsync(orderBody credentials OrderType.Fok signed)

                Expect.isTrue reply.IsAccepted $"accepted: {reply.ErrorMsg}"
                Expect.equal reply.Status "matched" "matched"

                let expected =
                    ClobTests.expectedBuyFill (levels (snapshotAt (firstWindow ()) 60_000L).Asks) 25m
                    |> List.sumBy snd

                Expect.equal reply.TakingAmount expected "the walked shares"
                let! (trades: ClobPage<ClobTrade>) = clob.GetTradesAsync()
                Expect.equal trades.Count reply.TradeIds.Count "every trade is listed"
                Expect.isTrue (trades.Data |> Seq.forall (fun t -> t.IsTerminal)) "confirmed with a transaction hash"

                let! (balance: BalanceAllowance) =
                    clob.GetBalanceAllowanceAsync BalanceAssetType.Collateral

                Expect.isLessThan balance.BalanceAmount 975m "paid the notional and the fee"

                let! (activity: DataApiPage<WalletActivity>) =
                    clients.Data.GetActivityAsync(DataApiQuery(traderKey.Address.Checksummed))

                Expect.equal activity.Items.Count reply.TradeIds.Count "one activity row per fill"
                Expect.equal activity.Items[0].Slug current.Slug "the market"
            }

            testTask "the real clients ride out injected 429s and a short outage, honouring Retry-After" {
                use! sim = startSim 60
                use clients = clientsFor sim
                sim.Host.Faults.RateLimit(1, TimeSpan.FromSeconds 1.0)
                let started = DateTime.UtcNow
                let! (time: DateTimeOffset) = clients.Public.GetServerTimeAsync()

                Expect.equal
                    time
                    (DateTimeOffset.FromUnixTimeSeconds(firstWindow().StartUnixSeconds + 60L))
                    "served after the retry"

                Expect.isGreaterThanOrEqual (DateTime.UtcNow - started).TotalSeconds 0.9 "after waiting out Retry-After"
                sim.Host.Faults.GoDown(TimeSpan.FromSeconds 1.0)
                let pending = clients.Gamma.GetEventsBySlugAsync(firstWindow().Slug)
                do! Task.Delay 300
                sim.Wall.Advance(TimeSpan.FromSeconds 2.0)
                let! (events: Collections.Generic.IReadOnlyList<GammaEvent>) = pending
                Expect.equal events.Count 1 "served once the outage ended"
            }

            testTask "the real heartbeat keeps resting orders alive; when it stops, the simulator cancels them" {
                use! sim = startSim 60
                use clients = clientsFor sim

                let! (clob: ClobClient), (credentials: Credentials) =
                    tradingClient sim clients traderKey

                let signed =
                    (builderFor sim traderKey)
                        .CreateLimitOrder(
                            LimitOrderRequest(TokenId.Parse(firstWindow().AssetId), Side.Buy, 0.02m, 5m),
                            marketInfo
                        )
                        .Value

                let! (reply: OrderPostResponse) =
                    clob.PostOrderAsync(orderBody credentials OrderType.Gtc signed)

                Expect.equal reply.Status "live" "resting"

                let heartbeat =
                    ClobHeartbeat(clob, TimeProvider.System, NullLogger<ClobHeartbeat>.Instance)

                let! (_: HeartbeatResponse) = heartbeat.BeatAsync()
                sim.Advance 8.0
                let! (_: HeartbeatResponse) = heartbeat.BeatAsync()
                sim.Advance 8.0
                let! (alive: OpenOrder) = clob.GetOpenOrderAsync signed.OrderId
                Expect.isTrue alive.IsLive "alive while beating"
                sim.Advance 11.0
                let! (dead: OpenOrder) = clob.GetOpenOrderAsync signed.OrderId
                Expect.equal dead.Status "CANCELED" "cancelled once the beats stopped"
                let! (openOrders: ClobPage<OpenOrder>) = clob.GetOpenOrdersAsync()
                Expect.equal openOrders.Count 0 "nothing rests"
            }
        ]
