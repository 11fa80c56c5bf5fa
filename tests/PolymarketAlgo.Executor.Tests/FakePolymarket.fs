/// A local Kestrel server standing in for the Polymarket hosts, and helpers to build the real clients against it.
module PolymarketAlgo.Executor.Tests.FakePolymarket

open System
open System.Collections.Concurrent
open System.Diagnostics
open System.IO
open System.IO.Compression
open System.Net
open System.Net.Http
open System.Text
open System.Text.Json
open System.Threading.Tasks
open Microsoft.AspNetCore.Builder
open Microsoft.AspNetCore.Hosting
open Microsoft.AspNetCore.Hosting.Server
open Microsoft.AspNetCore.Hosting.Server.Features
open Microsoft.AspNetCore.Http
open Microsoft.Extensions.DependencyInjection
open Microsoft.Extensions.Logging
open Microsoft.Extensions.Logging.Abstractions
open PolymarketAlgo.Executor.Http
open PolymarketAlgo.Executor.Resilience
open PolymarketAlgo.Executor.Rest

/// One request the server received.
type Recorded =
    {
        Method: string
        /// The full path, including the host prefix (/clob, /gamma or /data).
        Path: string
        Query: IQueryCollection
        Headers: Map<string, string>
        Body: byte[]
        /// Real time since the server started.
        At: TimeSpan
    }

    member this.BodyText = Encoding.UTF8.GetString this.Body

    member this.QueryValue(name: string) = string this.Query[name]

/// A Kestrel server on 127.0.0.1 and an ephemeral port; `handler` answers every request.
type FakeServer(handler: Recorded -> HttpContext -> Task) =
    let requests = ConcurrentQueue<Recorded>()
    let clock = Stopwatch.StartNew()

    let app =
        let builder = WebApplication.CreateSlimBuilder()
        builder.WebHost.UseKestrel(fun o -> o.Listen(IPAddress.Loopback, 0)) |> ignore
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds 1.0) |> ignore
        builder.Logging.ClearProviders() |> ignore
        let app = builder.Build()

        app.Run(fun ctx ->
            task {
                use buffer = new MemoryStream()
                do! ctx.Request.Body.CopyToAsync(buffer)

                let recorded =
                    {
                        Method = ctx.Request.Method
                        Path = ctx.Request.Path.Value
                        Query = ctx.Request.Query
                        Headers = ctx.Request.Headers |> Seq.map (fun kv -> kv.Key, string kv.Value) |> Map.ofSeq
                        Body = buffer.ToArray()
                        At = clock.Elapsed
                    }

                requests.Enqueue recorded

                try
                    do! handler recorded ctx
                with :? OperationCanceledException ->
                    ()
            }
            :> Task)

        app.StartAsync().GetAwaiter().GetResult()
        app

    let url =
        let addresses =
            app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()

        Uri((Seq.head addresses.Addresses).TrimEnd('/') + "/")

    /// The server root, e.g. http://127.0.0.1:50123/.
    member _.Url = url

    /// The requests received so far, in arrival order.
    member _.Requests = requests.ToArray()

    /// How many requests arrived.
    member _.Count = requests.Count

    interface IDisposable with
        member _.Dispose() =
            app.StopAsync().GetAwaiter().GetResult()
            (app :> IDisposable).Dispose()

/// Writes a response.
let respond (ctx: HttpContext) (status: int) (contentType: string) (body: string) : Task =
    ctx.Response.StatusCode <- status
    ctx.Response.ContentType <- contentType
    ctx.Response.WriteAsync body

/// Writes a JSON response.
let json (ctx: HttpContext) (status: int) (body: string) =
    respond ctx status "application/json" body

/// Writes a 404 JSON error.
let notFound (ctx: HttpContext) =
    json ctx 404 """{"error":"not found"}"""

/// Options pointing every host at the server (under /clob, /gamma and /data, to exercise base-URL prefixes),
/// with short retry delays so fault tests stay fast.
let fastOptions (server: FakeServer) =
    let options =
        PolymarketApiOptions(
            ClobUrl = Uri(server.Url, "clob"),
            GammaUrl = Uri(server.Url, "gamma"),
            DataApiUrl = Uri(server.Url, "data")
        )

    for host in
        [
            options.Resilience.Clob
            options.Resilience.Gamma
            options.Resilience.DataApi
        ] do
        host.RetryBaseDelay <- TimeSpan.FromMilliseconds 5.0
        host.RetryMaxDelay <- TimeSpan.FromMilliseconds 50.0
        host.AttemptTimeout <- TimeSpan.FromSeconds 5.0

    options

/// An authenticator that adds fixed L2-style headers and records what it was asked to sign.
type FixedAuthenticator() =
    let calls = ConcurrentQueue<string * string * string option>()

    static member Headers =
        [
            "POLY_ADDRESS", "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
            "POLY_SIGNATURE", "test-signature="
            "POLY_TIMESTAMP", "1710000000"
            "POLY_API_KEY", "00000000-1111-2222-3333-444444444444"
            "POLY_PASSPHRASE", "test-passphrase"
        ]

    /// (method, requestPath, body) of every call.
    member _.Calls = calls.ToArray()

    interface IRequestAuthenticator with
        member _.AuthenticateAsync(request, method, requestPath, body, _) =
            calls.Enqueue((method, requestPath, Option.ofObj body))

            for name, value in FixedAuthenticator.Headers do
                request.Headers.TryAddWithoutValidation(name, value) |> ignore

            ValueTask.CompletedTask

/// A fake clock that also records the due time of every timer created on it, so a test can wait until
/// the code under test has started a particular wait before moving time on.
type ObservedClock(start: DateTimeOffset) =
    inherit TimeProvider()
    let fake = Microsoft.Extensions.Time.Testing.FakeTimeProvider(start)
    let dueTimes = ConcurrentQueue<TimeSpan>()

    /// The due times of the timers created so far.
    member _.DueTimes = dueTimes.ToArray()

    /// Moves the clock on, firing the timers that come due.
    member _.Advance(by: TimeSpan) = fake.Advance by

    override _.GetUtcNow() = fake.GetUtcNow()
    override _.GetTimestamp() = fake.GetTimestamp()
    override _.TimestampFrequency = fake.TimestampFrequency
    override _.LocalTimeZone = fake.LocalTimeZone

    override _.CreateTimer(callback, state, dueTime, period) =
        dueTimes.Enqueue dueTime
        fake.CreateTimer(callback, state, dueTime, period)

/// The real clients wired to a server, with their shared resilience pipelines.
type Harness(options: PolymarketApiOptions, time: TimeProvider, authenticator: IRequestAuthenticator) =
    let resilience = new PolymarketResilience(options, time, NullLoggerFactory.Instance)
    let http = new HttpClient()

    new(options, time) = new Harness(options, time, Unchecked.defaultof<IRequestAuthenticator>)

    member val Clob = ClobClient(http, resilience, time, NullLogger<ClobClient>.Instance, authenticator)
    member val Gamma = GammaClient(http, resilience, time, NullLogger<GammaClient>.Instance)
    member val Data = DataApiClient(http, resilience, time, NullLogger<DataApiClient>.Instance)
    member _.Resilience = resilience

    interface IDisposable with
        member _.Dispose() =
            resilience.Dispose()
            http.Dispose()

/// Runs `body` against a server answering with `handler` and clients built from `configure`d options.
let withServer
    (handler: Recorded -> HttpContext -> Task)
    (configure: PolymarketApiOptions -> unit)
    (time: TimeProvider)
    (body: FakeServer -> Harness -> Task<unit>)
    =
    task {
        use server = new FakeServer(handler)
        let options = fastOptions server
        configure options
        use harness = new Harness(options, time, FixedAuthenticator())
        do! body server harness
    }

/// The text of a shared data file under data/polymarket.
let payload (relative: string) =
    File.ReadAllText(PolymarketAlgo.Tests.TestHelpers.sharedPath ("data/polymarket/" + relative))

/// A shared data file under data/polymarket parsed as a JSON document.
let payloadDocument (relative: string) = JsonDocument.Parse(payload relative)

/// The lines of a gzipped JSONL file under data/polymarket.
let gzipLines (relative: string) =
    use file =
        File.OpenRead(PolymarketAlgo.Tests.TestHelpers.sharedPath ("data/polymarket/" + relative))

    use gzip = new GZipStream(file, CompressionMode.Decompress)
    use reader = new StreamReader(gzip)

    reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)

/// A JSON element read as a decimal, whether it is a number or a decimal string.
let dec (element: JsonElement) =
    match element.ValueKind with
    | JsonValueKind.String ->
        Decimal.Parse(element.GetString(), Globalization.NumberStyles.Float, Globalization.CultureInfo.InvariantCulture)
    | _ -> element.GetDecimal()

/// A property of an element as a string.
let str (element: JsonElement) (name: string) = element.GetProperty(name).GetString()

/// Runs a test body written as a task to completion.
let runTask (body: Task<unit>) = body.GetAwaiter().GetResult()

/// Reads an async sequence to the end.
let toListAsync (source: Collections.Generic.IAsyncEnumerable<'T>) =
    task {
        let result = ResizeArray<'T>()
        let e = source.GetAsyncEnumerator()

        try
            let mutable more = true

            while more do
                let! next = e.MoveNextAsync()

                if next then result.Add e.Current else more <- false
        finally
            e.DisposeAsync().AsTask().GetAwaiter().GetResult()

        return List.ofSeq result
    }

/// Polls until `condition` holds or two seconds pass.
let waitUntil (condition: unit -> bool) =
    task {
        let deadline = Stopwatch.StartNew()

        while not (condition ()) && deadline.Elapsed < TimeSpan.FromSeconds 2.0 do
            do! Task.Delay 5
    }
