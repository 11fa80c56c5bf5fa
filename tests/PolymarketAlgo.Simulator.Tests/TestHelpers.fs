module PolymarketAlgo.Simulator.Tests.TestHelpers

open System
open System.IO
open System.Net.Http
open System.Text
open System.Text.Json
open System.Threading.Tasks
open Expecto
open Microsoft.Extensions.Time.Testing
open PolymarketAlgo.Executor.Auth
open PolymarketAlgo.Executor.Books
open PolymarketAlgo.Executor.Orders
open PolymarketAlgo.Executor.Secrets
open PolymarketAlgo.Executor.Streaming
open PolymarketAlgo.Simulator
open PolymarketAlgo.Simulator.Data

/// The repository root (the folder holding PolymarketAlgo.sln), found from the test binary.
let repoRoot =
    let rec up (dir: DirectoryInfo) =
        if isNull dir then
            failwith "PolymarketAlgo.sln not found above the test binary"
        elif File.Exists(Path.Combine(dir.FullName, "PolymarketAlgo.sln")) then
            dir.FullName
        else
            up dir.Parent

    up (DirectoryInfo(AppContext.BaseDirectory))

/// A path under ../shared beside the repository.
let sharedPath (relative: string) =
    Path.GetFullPath(Path.Combine(repoRoot, "..", "shared", relative))

/// FsCheck configuration shared by the property tests of this project.
let propertyConfig =
    { FsCheckConfig.defaultConfig with
        maxTest = 200
    }

/// A property test with the project's configuration.
let testProp name property =
    testPropertyWithConfig propertyConfig name property

/// The recorded data, loaded once (the Parquet files take a moment to decode).
let recorded =
    lazy (RecordedData.LoadAsync(sharedPath "data/polymarket").GetAwaiter().GetResult())

/// The first recorded book window (btc-updown-5m-1776323700; its recorded asset is the Up token and loses).
let firstWindow () = recorded.Value.BookWindows[0]

/// The Hardhat/Anvil account #0 key of the official vectors (public).
let traderKey =
    PrivateKey.Parse "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"

/// Hardhat account #1 (public), used as a wrong signer.
let otherKey =
    PrivateKey.Parse "0x59c6995e998f97a5a0044966f0caa520c21de6a1cf9c7b14e2c3dff89c2c1a4a"

/// The btc-updown-5m markets' order rules (tick 0.01, 5 shares minimum).
let marketInfo = MarketInfo(TickSize.OneHundredth, false, 5m)

/// A started simulator with its fake wall clock and an HTTP client on its base URL.
type Sim =
    {
        Host: SimulatorHost
        Wall: FakeTimeProvider
        Http: HttpClient
    }

    /// Advances the wall clock (and, at speed 1, the simulated clock) and lets the replay catch up.
    member this.Advance(seconds: float) =
        this.Wall.Advance(TimeSpan.FromSeconds seconds)
        this.Host.Exchange.Advance()

    interface IAsyncDisposable with
        member this.DisposeAsync() =
            ValueTask(
                task {
                    this.Http.Dispose()
                    do! this.Host.StopAsync()
                }
                :> Task
            )

/// Starts a simulator on port 0 at a simulated time and speed (null for maximum), with a fake wall clock
/// (at a finite speed, time moves only when the test advances it) and the given leader wallets.
let startSimWithLeaders (start: DateTimeOffset) (speed: Nullable<float>) (leaders: LeaderWallet list) : Task<Sim> =
    task {
        let wall = FakeTimeProvider(DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero))

        let options =
            SimulatorOptions(
                Data = recorded.Value,
                Port = 0,
                Start = Nullable start,
                Speed = speed,
                WallClock = wall,
                ResolutionDelay = TimeSpan.FromSeconds 10.0,
                Leaders = Array.ofList leaders
            )

        let host = new SimulatorHost(options)
        let! baseUrl = host.StartAsync()

        return
            {
                Host = host
                Wall = wall
                Http = new HttpClient(BaseAddress = baseUrl)
            }
    }

/// Starts a simulator without leader wallets (so the replayed books are exactly the recorded ones).
let startSimWith (start: DateTimeOffset) (speed: Nullable<float>) = startSimWithLeaders start speed []

/// Starts a simulator at a number of seconds into the first recorded window, without leader wallets.
let startSim (secondsIntoWindow: int) =
    startSimWith
        (DateTimeOffset.FromUnixTimeSeconds(firstWindow().StartUnixSeconds + int64 secondsIntoWindow))
        (Nullable 1.0)

/// The recorded snapshot shown at an offset (ms) into a recorded window: the last one received at or before it.
let snapshotAt (window: RecordedBookWindow) (offsetMs: int64) =
    window.Snapshots |> Seq.filter (fun s -> s.OffsetMs <= offsetMs) |> Seq.last

/// Best bid and best ask of recorded levels.
let bestOf (snapshot: RecordedBookSnapshot) =
    (snapshot.Bids |> Array.map (fun l -> l.Price) |> Array.max),
    (snapshot.Asks |> Array.map (fun l -> l.Price) |> Array.min)

/// Parses a JSON text.
let parse (text: string) = JsonDocument.Parse(text).RootElement

/// Sends a request and returns the status and body text.
let send (http: HttpClient) (request: HttpRequestMessage) : Task<int * string> =
    task {
        use! response = http.SendAsync request
        let! body = response.Content.ReadAsStringAsync()
        return int response.StatusCode, body
    }

/// GET a path and return the status and body.
let get (http: HttpClient) (path: string) =
    send http (new HttpRequestMessage(HttpMethod.Get, path))

/// Creates API credentials through L1 (<c>POST /clob/auth/api-key</c>) for a key; also returns them in the
/// user-channel form.
let createKey (sim: Sim) (key: PrivateKey) : Task<Credentials * UserChannelCredentials> =
    task {
        let request = new HttpRequestMessage(HttpMethod.Post, "/clob/auth/api-key")
        ClobAuth.CreateHeaders(key, ChainIds.Polygon, sim.Host.Clock).ApplyTo request
        let! status, body = send sim.Http request
        Expect.equal status 200 $"the API key is issued: {body}"
        let json = parse body
        let apiKey = json.GetProperty("apiKey").GetString()
        let secret = json.GetProperty("secret").GetString()
        let passphrase = json.GetProperty("passphrase").GetString()

        return
            Credentials.FromPrivateKey(key).WithApiCredentials(apiKey, secret, passphrase),
            UserChannelCredentials(apiKey, secret, passphrase)
    }

/// Creates API credentials through L1 for a key.
let createCredentials (sim: Sim) (key: PrivateKey) : Task<Credentials> =
    task {
        let! credentials, _ = createKey sim key
        return credentials
    }

/// Sends an L2-authenticated CLOB request; the HMAC covers the API path (without the /clob prefix) and the body.
let sendL2 (sim: Sim) (credentials: Credentials) (httpMethod: HttpMethod) (path: string) (body: string option) =
    let request = new HttpRequestMessage(httpMethod, "/clob" + path)

    body
    |> Option.iter (fun b -> request.Content <- new StringContent(b, Encoding.UTF8, "application/json"))

    let pathOnly = path.Split('?')[0]

    L2Auth.CreateHeaders(credentials, sim.Host.Clock, httpMethod.Method, pathOnly, Option.toObj body).ApplyTo request

    send sim.Http request

/// An order builder for a key, stamping orders with the simulated clock.
let builderFor (sim: Sim) (key: PrivateKey) =
    OrderBuilder(key, OrderBuilderOptions(ChainId = ChainIds.Polygon, TimeProvider = sim.Host.Clock))

/// The POST /order body of a signed order.
let orderBody (credentials: Credentials) (orderType: OrderType) (signed: SignedOrder) =
    OrderSerializer.Serialize(OrderSubmission.Create(signed, credentials.ApiKey, orderType).Value)

/// Polls a condition every 20 ms until it holds or the timeout passes.
let waitUntil (timeoutMs: int) (condition: unit -> bool) : Task<bool> =
    task {
        let deadline = DateTime.UtcNow.AddMilliseconds(float timeoutMs)

        while not (condition ()) && DateTime.UtcNow < deadline do
            do! Task.Delay 20

        return condition ()
    }

/// The levels of a recorded side as (price, size) pairs.
let levels (side: PriceLevel array) =
    side |> Array.map (fun l -> l.Price, l.Size)
