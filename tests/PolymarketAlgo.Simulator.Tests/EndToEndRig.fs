/// What the end-to-end bot tests share: an in-process simulator running fast on its own clock, the Executor's
/// clients on it, a temporary SQLite journal and a paper or live trader, wired as `trade streak` and `trade copy`
/// wire them; the bot under test is started on top.
module PolymarketAlgo.Simulator.Tests.EndToEndRig

open System
open System.Collections.Concurrent
open System.IO
open System.Net.Http
open System.Threading
open System.Threading.Tasks
open Expecto
open Microsoft.Extensions.Logging
open Microsoft.Extensions.Logging.Abstractions
open PolymarketAlgo.Core
open PolymarketAlgo.Executor.Auth
open PolymarketAlgo.Executor.Bots
open PolymarketAlgo.Executor.Http
open PolymarketAlgo.Executor.Journal
open PolymarketAlgo.Executor.Markets
open PolymarketAlgo.Executor.Orders
open PolymarketAlgo.Executor.Resilience
open PolymarketAlgo.Executor.Rest
open PolymarketAlgo.Executor.Secrets
open PolymarketAlgo.Executor.Streaming
open PolymarketAlgo.Executor.Trading
open PolymarketAlgo.Simulator
open PolymarketAlgo.Simulator.Data
open PolymarketAlgo.Simulator.Markets
open PolymarketAlgo.Simulator.Tests.TestHelpers

/// Simulated seconds per wall second: a 5-minute window lasts 7.5 s.
let speed = 40.0

/// A logger that keeps every line (the tests read the bot's errors and the HTTP retries from it).
type ListLogger() =
    let lines = ConcurrentQueue<LogLevel * string>()

    /// Every line, oldest first.
    member _.Lines = List.ofSeq lines

    /// The lines logged at Error or above.
    member _.Errors =
        lines
        |> Seq.filter (fun (level, _) -> level >= LogLevel.Error)
        |> Seq.map snd
        |> List.ofSeq

    interface ILogger with
        member _.BeginScope<'TState>(_: 'TState) =
            { new IDisposable with
                member _.Dispose() = ()
            }

        member _.IsEnabled _ = true

        member _.Log<'TState>(level, _, state: 'TState, error, formatter) =
            lines.Enqueue(level, formatter.Invoke(state, error))

/// Hands one ListLogger to every category (for a LoggerFactory).
type private ListLoggerProvider(logger: ListLogger) =
    interface ILoggerProvider with
        member _.CreateLogger _ = logger
        member _.Dispose() = ()

/// The simulator's wall clock: it stands still until released, so the simulated time starts running when the bot
/// does, however long the simulator, the clients and the live API key take to set up.
type HeldClock() =
    inherit TimeProvider()
    let heldAt = TimeProvider.System.GetUtcNow()
    let mutable releasedAt: DateTimeOffset option = None

    /// Lets the clock run from now on (once; later calls do nothing).
    member _.Release() =
        if releasedAt.IsNone then
            releasedAt <- Some(TimeProvider.System.GetUtcNow())

    override _.GetUtcNow() =
        match releasedAt with
        | Some released -> heldAt + (TimeProvider.System.GetUtcNow() - released)
        | None -> heldAt

/// The catalog the simulator builds from the recorded data, to read books and outcomes ahead of a run.
let catalog = lazy (WindowCatalog(recorded.Value))

/// How a rig starts: the simulated start time, paper or live (optionally with the user channel feeding the live
/// trader, as `trade … --live` runs it), the simulated leader wallets, and optionally the handler under the Data
/// API client's HttpClient.
type RigSetup =
    {
        Start: DateTimeOffset
        Live: bool
        UserChannel: bool
        Leaders: LeaderWallet list
        DataHandler: HttpMessageHandler option
    }

    /// A paper rig without leader wallets, starting at `start`.
    static member At(start: DateTimeOffset) =
        {
            Start = start
            Live = false
            UserChannel = false
            Leaders = []
            DataHandler = None
        }

/// A simulator, the Executor's clients on it, a journal and a trader; the bot runs in `Run` once started.
type Rig =
    {
        Host: SimulatorHost
        Http: HttpClient
        DataHttp: HttpClient
        Resilience: PolymarketResilience
        Clob: ClobClient
        Data: DataApiClient
        Windows: PolymarketWindowSource
        Journal: TradeJournal
        JournalPath: string
        Trader: ITrader
        /// The live trader's user channel, running while the rig runs (when the setup asks for it).
        Channel: UserChannelClient option
        /// Stops the user channel.
        ChannelStop: CancellationTokenSource
        /// The bot's log.
        Logger: ListLogger
        /// The HTTP clients' log (retries, circuit breaker).
        HttpLog: ListLogger
        /// The simulator's wall clock, held until the bot starts.
        Wall: HeldClock
        Stop: CancellationTokenSource
        mutable Run: Task<SessionSummary>
    }

    /// The simulator's market of the window starting at `start`.
    member this.Market(start: DateTimeOffset) =
        this.Host.Catalog.Get(start.ToUnixTimeSeconds())

    /// The journal's events.
    member this.Events = this.Journal.ReadEvents() |> Seq.map _.Event |> List.ofSeq

    /// Waits (wall time) until the journal holds an event matching `found`.
    member this.WaitFor (timeoutMs: int) (found: TradingEvent -> bool) =
        waitUntil timeoutMs (fun () -> this.Events |> List.exists found)

    /// Starts the simulated clock and runs a bot until the rig stops.
    member this.Start(run: CancellationToken -> Task<SessionSummary>) =
        this.Wall.Release()
        this.Run <- Task.Run<SessionSummary>(fun () -> run this.Stop.Token)

    /// Stops the bot and returns its summary.
    member this.StopAsync() =
        task {
            this.Stop.Cancel()
            return! this.Run
        }

    interface IAsyncDisposable with
        member this.DisposeAsync() =
            ValueTask(
                task {
                    if not this.Stop.IsCancellationRequested then
                        this.Stop.Cancel()

                    try
                        let! _ = this.Run
                        ()
                    with _ ->
                        ()

                    match this.Trader with
                    | :? IAsyncDisposable as disposable -> do! disposable.DisposeAsync()
                    | _ -> ()

                    this.ChannelStop.Cancel()
                    this.ChannelStop.Dispose()

                    this.Stop.Dispose()
                    this.Journal.Dispose()

                    if not (obj.ReferenceEquals(this.DataHttp, this.Http)) then
                        this.DataHttp.Dispose()

                    this.Http.Dispose()
                    this.Resilience.Dispose()
                    do! this.Host.StopAsync()

                    for suffix in [ ""; "-wal"; "-shm" ] do
                        File.Delete(this.JournalPath + suffix)
                }
                :> Task
            )

/// A live trader for the Hardhat key: API credentials derived through the simulator's L1 endpoint, orders signed
/// with the key and posted through an L2-authenticated CLOB client.
let private liveTrader
    (host: SimulatorHost)
    (http: HttpClient)
    (resilience: PolymarketResilience)
    (clob: ClobClient)
    (journal: TradeJournal)
    (risk: RiskGate)
    (logger: ILogger)
    =
    task {
        let l1 = L1RequestAuthenticator(traderKey, ChainIds.Polygon, host.Clock)
        let! api = ApiKeys.DeriveAsync(clob.Transport, l1, create = true)

        let credentials =
            Credentials.FromPrivateKey(traderKey).WithApiCredentials(api.ApiKey, api.Secret, api.Passphrase)

        let authenticated =
            ClobClient(
                http,
                resilience,
                TimeProvider.System,
                NullLogger<ClobClient>.Instance,
                L2RequestAuthenticator(credentials)
            )

        let marketInfo =
            Func<string, CancellationToken, Task<MarketInfo>>(fun _ _ -> Task.FromResult marketInfo)

        let trader =
            new LiveTrader(
                journal,
                authenticated,
                OrderBuilder(credentials.PrivateKey),
                marketInfo,
                LiveTraderOptions(Owner = credentials.ApiKey),
                host.Clock,
                risk,
                logger
            )

        return trader, credentials
    }

/// Starts the simulator at `setup.Start` (speed 40, markets resolving 2 s after they end) with the setup's leader
/// wallets, and builds the clients, a 100 pUSD journal with the default risk limits and the trader on it. The
/// simulated clock stands at `setup.Start` until the bot starts (or `Wall` is released).
let startRig (setup: RigSetup) : Task<Rig> =
    task {
        let wall = new HeldClock()

        let host =
            new SimulatorHost(
                SimulatorOptions(
                    Data = recorded.Value,
                    Port = 0,
                    Start = Nullable setup.Start,
                    Speed = Nullable speed,
                    WallClock = wall,
                    ResolutionDelay = TimeSpan.FromSeconds 2.0,
                    Leaders = Array.ofList setup.Leaders
                )
            )

        let! _ = host.StartAsync()

        let apiOptions =
            PolymarketApiOptions(ClobUrl = host.ClobUrl, GammaUrl = host.GammaUrl, DataApiUrl = host.DataApiUrl)

        // The clients' retries and circuit breaker run on wall time while the simulated clock runs 40× faster: the
        // default 15 s break would keep the circuit open for ten simulated minutes, two whole windows. The rig
        // shortens it to Polly's shortest, 0.5 s (20 simulated seconds).
        for hostOptions in
            [
                apiOptions.Resilience.Clob
                apiOptions.Resilience.Gamma
                apiOptions.Resilience.DataApi
            ] do
            hostOptions.CircuitBreakDuration <- TimeSpan.FromSeconds 0.5

        let httpLog = ListLogger()

        let resilience =
            new PolymarketResilience(
                apiOptions,
                TimeProvider.System,
                new LoggerFactory([ new ListLoggerProvider(httpLog) :> ILoggerProvider ])
            )

        let http = new HttpClient()

        let dataHttp =
            match setup.DataHandler with
            | Some handler -> new HttpClient(handler)
            | None -> http

        let clob =
            ClobClient(http, resilience, TimeProvider.System, NullLogger<ClobClient>.Instance)

        let gamma =
            GammaClient(http, resilience, TimeProvider.System, NullLogger<GammaClient>.Instance)

        let data =
            DataApiClient(dataHttp, resilience, TimeProvider.System, NullLogger<DataApiClient>.Instance)

        let path = Path.Combine(Path.GetTempPath(), $"e2e-journal-{Guid.NewGuid():N}.db")
        let journal = TradeJournal.Open(path, 100m, host.Clock)
        let windows = PolymarketWindowSource(UpDownMarkets(gamma, host.Clock), clob)
        let risk = RiskGate(Risk.defaults, Func<bool>(fun () -> false))
        let logger = ListLogger()

        // Warm the connections and the request paths while the clock is held, so the first poll of a run is not
        // slowed (by 40) by opening them.
        let! _ = data.GetActivityAsync(DataApiQuery(traderKey.Address.Checksummed))

        let! _ =
            clob.GetBookAsync(host.Catalog.Get(WindowCatalog.Floor(setup.Start.ToUnixTimeSeconds())).UpTokenId)

        let channelStop = new CancellationTokenSource()

        let! trader, channel =
            if setup.Live then
                task {
                    let! live, credentials = liveTrader host http resilience clob journal risk logger

                    if setup.UserChannel then
                        let channel =
                            UserChannelClient(
                                UserChannelOptions(Url = host.UserChannelUrl),
                                credentials.ToUserChannelCredentials()
                            )

                        live.Attach channel
                        Task.Run(fun () -> channel.RunAsync channelStop.Token) |> ignore
                        do! channel.WaitConnectedAsync(CancellationToken.None)
                        return live :> ITrader, Some channel
                    else
                        return live :> ITrader, None
                }
            else
                Task.FromResult(
                    PaperTrader(journal, windows.Books, timeProvider = host.Clock, risk = risk) :> ITrader,
                    None
                )

        return
            {
                Host = host
                Http = http
                DataHttp = dataHttp
                Resilience = resilience
                Clob = clob
                Data = data
                Windows = windows
                Journal = journal
                JournalPath = path
                Trader = trader
                Channel = channel
                ChannelStop = channelStop
                Logger = logger
                HttpLog = httpLog
                Wall = wall
                Stop = new CancellationTokenSource()
                Run = Task.FromResult Unchecked.defaultof<SessionSummary>
            }
    }

/// Whether an event settles `marketId`.
let isSettled marketId =
    function
    | TradingEvent.Settled(m, _, _) -> m = marketId
    | _ -> false

/// The fills of the events: client order id, shares, price, fee.
let fills (events: TradingEvent list) =
    events
    |> List.choose (function
        | TradingEvent.Filled(id, _, shares, price, fee, _) -> Some(id, shares, price, fee)
        | _ -> None)

/// The order intents placed, in journal order.
let placed (events: TradingEvent list) =
    events
    |> List.choose (function
        | TradingEvent.OrderPlaced(intent, _) -> Some intent
        | _ -> None)

/// The winner a market settled with.
let winnerOf marketId (events: TradingEvent list) =
    events
    |> List.pick (function
        | TradingEvent.Settled(m, w, _) when m = marketId -> Some w
        | _ -> None)

/// The ask levels (price, size) a buyer of `tokenId` meets in one replayed snapshot: the recorded asks for the
/// recorded token, the mirrored bids (1 − p) for the other.
let asksOf (window: MarketWindow) (tokenId: string) (snapshot: RecordedBookSnapshot) =
    if tokenId = window.RecordedTokenId then
        snapshot.Asks |> Array.map (fun l -> l.Price, l.Size)
    else
        snapshot.Bids |> Array.map (fun l -> 1m - l.Price, l.Size)

/// The ask prices a buyer of `tokenId` meets anywhere in the window's replayed books.
let askPrices (window: MarketWindow) (tokenId: string) =
    window.Books.Snapshots
    |> Seq.collect (fun s -> asksOf window tokenId s |> Seq.map fst)
    |> Set.ofSeq

/// The simulator's account of the Hardhat trader as `GET /_sim/status` reports it.
let simAccount (rig: Rig) : Task<System.Text.Json.JsonElement> =
    task {
        let! status, body = get rig.Http $"{rig.Host.BaseUrl}_sim/status"
        Expect.equal status 200 "the status endpoint answers"

        return
            (parse body).GetProperty("accounts").EnumerateArray()
            |> Seq.find (fun a ->
                String.Equals(
                    a.GetProperty("address").GetString(),
                    traderKey.Address.Checksummed,
                    StringComparison.OrdinalIgnoreCase
                ))
    }

/// Shares, cost (with fees) and payout of fills of `intent` in `window`.
let outcomeOf (window: MarketWindow) (intent: OrderIntent) (orderFills: (string * decimal * decimal * decimal) list) =
    let shares = orderFills |> List.sumBy (fun (_, s, _, _) -> s)
    let cost = orderFills |> List.sumBy (fun (_, s, p, f) -> s * p + f)
    let payout = if intent.Outcome.IsUp = window.UpWins then shares else 0m
    shares, cost, payout

/// Expects the simulator's pUSD balance of the trader's account (1000 at the start) to be 1000 − cost + payout.
let expectBalance (rig: Rig) (cost: decimal) (payout: decimal) (message: string) =
    task {
        let! (account: System.Text.Json.JsonElement) = simAccount rig

        Expect.floatClose
            Accuracy.medium
            (account.GetProperty("collateral").GetDecimal() |> float)
            (float (1000m - cost + payout))
            message
    }

/// Drops the simulator's WebSockets and expects the rig's user channel to connect again within 10 s.
let expectUserChannelSurvivesDrop (rig: Rig) =
    task {
        let channel = rig.Channel.Value
        rig.Host.Faults.DropWebSockets()

        let! reconnected =
            waitUntil 10_000 (fun () -> channel.Connects >= 2L && channel.IsConnected)

        Expect.isTrue reconnected "the user channel reconnects after the drop"
    }

/// Expects the simulator to have accepted the order of `intent` (its signature and L2 headers verified): the
/// journal holds its exchange order id and its 0x order hash.
let expectAccepted (rig: Rig) (intent: OrderIntent) =
    let accepted =
        rig.Events
        |> List.tryPick (function
            | TradingEvent.OrderAccepted(id, exchangeId, hash, _) when id = intent.ClientOrderId ->
                Some(exchangeId, hash)
            | _ -> None)

    Expect.isSome accepted "the simulator accepted the order (signature and L2 headers verified)"
    let exchangeId, hash = accepted.Value
    Expect.stringStarts hash "0x" "the order hash is hex"
    Expect.isNotEmpty exchangeId "the exchange order id is recorded"
