module PolymarketAlgo.Executor.Tests.ResilienceTests

open System
open System.Diagnostics
open System.Net
open System.Net.Sockets
open System.Threading
open System.Threading.Tasks
open Expecto
open Microsoft.AspNetCore.Http
open Microsoft.Extensions.DependencyInjection
open Microsoft.Extensions.Time.Testing
open Polly.CircuitBreaker
open PolymarketAlgo.Executor.Http
open PolymarketAlgo.Executor.Resilience
open PolymarketAlgo.Executor.Rest
open PolymarketAlgo.Executor.Tests.FakePolymarket

let private bookJson =
    payload "nautilus_trader/integration_resources/http_responses/book.json"

let private cloudflarePage =
    """<!DOCTYPE html>
<html lang="en-US"><head><title>Attention Required! | Cloudflare</title></head>
<body><h1>Sorry, you have been blocked</h1><p>You are unable to access polymarket.com</p>
<span>Cloudflare Ray ID: 8a1b2c3d4e5f6a7b</span></body></html>"""

/// Runs `call` and returns the PolymarketApiException it fails with (failing the test if it succeeds or throws anything else).
let private failure (call: unit -> Task<'T>) =
    task {
        try
            let! _ = call ()
            return failtest "expected a PolymarketApiException"
        with :? PolymarketApiException as e ->
            return e
    }

let private expectOneLine (e: PolymarketApiException) =
    Expect.isFalse (e.Message.Contains '\n') $"one-line message: {e.Message}"

/// A handler answering from a script of (status, content type, body), then with the book.
let private scripted (steps: (int * string * string) list) =
    let remaining = Collections.Concurrent.ConcurrentQueue(steps)

    fun (_: Recorded) (ctx: HttpContext) ->
        match remaining.TryDequeue() with
        | true, (status, contentType, body) -> respond ctx status contentType body
        | _ -> json ctx 200 bookJson

let private clobOnly (configure: HostResilienceOptions -> unit) (options: PolymarketApiOptions) =
    configure options.Resilience.Clob

[<Tests>]
let tests =
    testSequenced
    <| testList
        "Resilience"
        [
            testCase "a 429 with Retry-After is waited out on the injected clock, then the retry succeeds"
            <| fun () ->
                runTask
                <| task {
                    let clock = ObservedClock(DateTimeOffset(2026, 6, 8, 12, 0, 0, TimeSpan.Zero))
                    let retryAfter = TimeSpan.FromSeconds 7.0
                    let served = ref 0

                    let handler (_: Recorded) (ctx: HttpContext) =
                        if Interlocked.Increment served = 1 then
                            ctx.Response.Headers.RetryAfter <- "7"
                            json ctx 429 """{"error":"Too Many Requests"}"""
                        else
                            json ctx 200 bookJson

                    do!
                        withServer handler ignore clock (fun server h ->
                            task {
                                let call = h.Clob.GetBookAsync("1")
                                do! waitUntil (fun () -> clock.DueTimes |> Array.contains retryAfter)
                                Expect.contains clock.DueTimes retryAfter "the client started a 7 s wait after the 429"
                                clock.Advance(retryAfter - TimeSpan.FromMilliseconds 1.0)
                                do! Task.Delay 100
                                Expect.equal server.Count 1 "no retry a millisecond before Retry-After"
                                clock.Advance(TimeSpan.FromMilliseconds 1.0)
                                let! book = call
                                Expect.equal book.Asks.Count 7 "the retry's book"
                                Expect.equal server.Count 2 "two requests"
                            })
                }

            testCase "a burst of 5xx is retried with backoff until it clears"
            <| fun () ->
                runTask
                <| task {
                    let steps =
                        List.replicate 3 (503, "application/json", """{"error":"upstream unavailable"}""")

                    do!
                        withServer (scripted steps) ignore TimeProvider.System (fun server h ->
                            task {
                                let! book = h.Clob.GetBookAsync("1")
                                Expect.equal book.Bids.Count 5 "book after the burst"
                                Expect.equal server.Count 4 "three failures and the success"
                                let health = h.Resilience.CheckHealth()[PolymarketHost.Clob]
                                Expect.equal health.Status PolymarketHealthStatus.Healthy "healthy again"

                                Expect.equal
                                    health.LastFailureKind
                                    (Nullable PolymarketApiErrorKind.HttpStatus)
                                    "the 503s were seen"
                            })
                }

            testCase "a 5xx burst longer than the retries fails with the status and the server's error"
            <| fun () ->
                runTask
                <| task {
                    let steps = List.replicate 10 (500, "application/json", """{"error":"internal"}""")

                    do!
                        withServer (scripted steps) ignore TimeProvider.System (fun server h ->
                            task {
                                let! e = failure (fun () -> h.Clob.GetBookAsync("1"))
                                Expect.equal e.Kind PolymarketApiErrorKind.HttpStatus "kind"
                                Expect.equal e.StatusCode (Nullable 500) "status"
                                Expect.equal e.ServerError "internal" "server error"
                                Expect.isTrue e.IsTransient "transient"
                                Expect.equal server.Count 4 "first attempt and three retries"
                                Expect.stringContains e.Message "Clob GET /book: HTTP 500" "message"
                                expectOneLine e
                            })
                }

            testCase "an HTML Cloudflare 403 page is CloudflareBlocked and not retried"
            <| fun () ->
                runTask
                <| task {
                    let steps = [ 403, "text/html; charset=UTF-8", cloudflarePage ]

                    do!
                        withServer (scripted steps) ignore TimeProvider.System (fun server h ->
                            task {
                                let! e = failure (fun () -> h.Gamma.GetMarketBySlugAsync("btc-updown-5m-1773307200"))
                                Expect.equal e.Kind PolymarketApiErrorKind.CloudflareBlocked "kind"
                                Expect.equal e.Host PolymarketHost.Gamma "host"
                                Expect.equal e.StatusCode (Nullable 403) "status"
                                Expect.stringStarts e.BodyExcerpt "<!DOCTYPE html>" "excerpt kept"
                                Expect.stringContains e.Message "Cloudflare" "message"
                                Expect.equal server.Count 1 "not retried"
                                expectOneLine e
                            })
                }

            testCase "an empty 200 body is EmptyBody"
            <| fun () ->
                runTask
                <| task {
                    do!
                        withServer (scripted [ 200, "application/json", "" ]) ignore TimeProvider.System (fun _ h ->
                            task {
                                let! e = failure (fun () -> h.Clob.GetBookAsync("1"))
                                Expect.equal e.Kind PolymarketApiErrorKind.EmptyBody "kind"
                                expectOneLine e
                            })
                }

            testCase "truncated or mistyped JSON is MalformedJson with the JSON error inside"
            <| fun () ->
                runTask
                <| task {
                    let truncated = bookJson.Substring(0, 120)

                    let steps =
                        [
                            200, "application/json", truncated
                            200, "application/json", """{"asset_id":"1","bids":"none","asks":[]}"""
                            200, "application/json", """{"bids":[],"asks":[]}"""
                        ]

                    do!
                        withServer (scripted steps) ignore TimeProvider.System (fun server h ->
                            task {
                                for expected in [ "truncated"; "bids is a string"; "asset_id missing" ] do
                                    let! e = failure (fun () -> h.Clob.GetBookAsync("1"))
                                    Expect.equal e.Kind PolymarketApiErrorKind.MalformedJson expected

                                    Expect.isTrue
                                        (e.InnerException :? Text.Json.JsonException)
                                        $"{expected}: JsonException wrapped"

                                    expectOneLine e

                                Expect.equal server.Count 3 "malformed bodies are not retried"
                            })
                }

            testCase "a response slower than the attempt timeout is a Timeout"
            <| fun () ->
                runTask
                <| task {
                    let handler (_: Recorded) (ctx: HttpContext) =
                        task {
                            do! Task.Delay(TimeSpan.FromSeconds 5.0, ctx.RequestAborted)
                            do! json ctx 200 bookJson
                        }
                        :> Task

                    let configure =
                        clobOnly (fun o ->
                            o.AttemptTimeout <- TimeSpan.FromMilliseconds 200.0
                            o.MaxRetryAttempts <- 1)

                    do!
                        withServer handler configure TimeProvider.System (fun server h ->
                            task {
                                let watch = Stopwatch.StartNew()
                                let! e = failure (fun () -> h.Clob.GetBookAsync("1"))
                                Expect.equal e.Kind PolymarketApiErrorKind.Timeout "kind"
                                Expect.isLessThan watch.Elapsed (TimeSpan.FromSeconds 2.0) "gave up quickly"
                                Expect.equal server.Count 2 "the attempt and one retry"
                                Expect.stringContains e.Message "timed out after 0.2 s" "message"
                            })
                }

            testCase "repeated failures open the circuit, later calls fail fast and the health check reports it"
            <| fun () ->
                runTask
                <| task {
                    let fail = ref false

                    let handler (_: Recorded) (ctx: HttpContext) =
                        if fail.Value then
                            json ctx 500 """{"error":"down"}"""
                        else
                            json ctx 200 bookJson

                    let configure =
                        clobOnly (fun o ->
                            o.MaxRetryAttempts <- 0
                            o.CircuitMinimumThroughput <- 4
                            o.CircuitFailureRatio <- 0.5
                            o.CircuitBreakDuration <- TimeSpan.FromSeconds 30.0)

                    do!
                        withServer handler configure TimeProvider.System (fun server h ->
                            task {
                                let! _ = h.Clob.GetBookAsync("1")
                                let before = h.Resilience.CheckHealth()
                                Expect.equal before.Status PolymarketHealthStatus.Healthy "healthy at first"
                                Expect.isTrue before[PolymarketHost.Clob].LastSuccessAt.HasValue "success recorded"

                                Expect.isGreaterThan
                                    before[PolymarketHost.Clob].LastLatency.Value
                                    TimeSpan.Zero
                                    "latency recorded"

                                fail.Value <- true

                                for _ in 1..3 do
                                    let! e = failure (fun () -> h.Clob.GetBookAsync("1"))
                                    Expect.equal e.Kind PolymarketApiErrorKind.HttpStatus "failures reach the server"

                                let! e = failure (fun () -> h.Clob.GetBookAsync("1"))
                                Expect.equal e.Kind PolymarketApiErrorKind.CircuitOpen "circuit open"
                                Expect.isTrue e.RetryAfter.HasValue "says when calls resume"
                                Expect.equal server.Count 4 "the open circuit sent nothing"
                                expectOneLine e
                                let report = h.Resilience.CheckHealth()
                                let clob = report[PolymarketHost.Clob]
                                Expect.equal report.Status PolymarketHealthStatus.Unhealthy "overall"
                                Expect.equal clob.Circuit CircuitState.Open "circuit state"
                                Expect.equal clob.Status PolymarketHealthStatus.Unhealthy "clob"

                                Expect.equal
                                    clob.LastFailureKind
                                    (Nullable PolymarketApiErrorKind.HttpStatus)
                                    "last failure the host gave"

                                Expect.equal clob.ConsecutiveFailures 3 "consecutive failures"

                                Expect.equal
                                    report[PolymarketHost.Gamma].Status
                                    PolymarketHealthStatus.Healthy
                                    "gamma unaffected"

                                Expect.equal
                                    report[PolymarketHost.DataApi].Circuit
                                    CircuitState.Closed
                                    "data api closed"
                            })
                }

            testCase "the rate limiter queues requests beyond the limit until the window slides past them"
            <| fun () ->
                runTask
                <| task {
                    let clock = FakeTimeProvider(DateTimeOffset(2026, 6, 8, 12, 0, 0, TimeSpan.Zero))

                    let configure =
                        clobOnly (fun o ->
                            let book =
                                RateLimitBucket.Of("book", 2, TimeSpan.FromSeconds 1.0, EndpointGroups.ClobBook)

                            book.SegmentsPerWindow <- 2
                            o.RateLimits <- Collections.Generic.List [ book ])

                    let handler (r: Recorded) (ctx: HttpContext) =
                        if r.Path = "/clob/midpoint" then
                            json ctx 200 """{"mid":"0.5"}"""
                        else
                            json ctx 200 bookJson

                    do!
                        withServer handler configure clock (fun server h ->
                            task {
                                let calls = [ for i in 1..3 -> h.Clob.GetBookAsync(string i) ]
                                do! waitUntil (fun () -> server.Count = 2)
                                do! Task.Delay 100
                                Expect.equal server.Count 2 "the third waits for a permit"
                                Expect.isFalse calls[2].IsCompleted "still queued"
                                let! mid = h.Clob.GetMidpointAsync("1")
                                Expect.equal mid 0.5m "other endpoint groups are not held up"
                                clock.Advance(TimeSpan.FromSeconds 0.5)
                                do! Task.Delay 100
                                Expect.equal server.Count 3 "half a window later the first two still count"
                                clock.Advance(TimeSpan.FromSeconds 0.5)
                                do! Task.Delay 100

                                Expect.equal
                                    server.Count
                                    3
                                    "a permit taken at the start of a segment is held one window plus one segment"

                                clock.Advance(TimeSpan.FromSeconds 0.5)
                                let! books = Task.WhenAll calls
                                Expect.equal books.Length 3 "all three served"
                                Expect.equal server.Requests[3].Path "/clob/book" "the queued book went last"
                            })
                }

            testCase "a full rate-limit queue fails at once as client-side RateLimited"
            <| fun () ->
                runTask
                <| task {
                    let configure =
                        clobOnly (fun o ->
                            o.RateLimitQueueLimit <- 0

                            o.RateLimits <-
                                Collections.Generic.List
                                    [
                                        RateLimitBucket.Of(
                                            "book",
                                            1,
                                            TimeSpan.FromSeconds 10.0,
                                            EndpointGroups.ClobBook
                                        )
                                    ])

                    do!
                        withServer (fun _ ctx -> json ctx 200 bookJson) configure TimeProvider.System (fun server h ->
                            task {
                                let! _ = h.Clob.GetBookAsync("1")
                                let! e = failure (fun () -> h.Clob.GetBookAsync("2"))
                                Expect.equal e.Kind PolymarketApiErrorKind.RateLimited "kind"
                                Expect.isFalse e.StatusCode.HasValue "client-side: no status"
                                Expect.equal server.Count 1 "not sent"
                                expectOneLine e
                            })
                }

            testCase "a Retry-After beyond the cap is not waited for"
            <| fun () ->
                runTask
                <| task {
                    let handler (_: Recorded) (ctx: HttpContext) =
                        ctx.Response.Headers.RetryAfter <- "120"
                        json ctx 429 """{"error":"slow down"}"""

                    do!
                        withServer handler ignore TimeProvider.System (fun server h ->
                            task {
                                let! e = failure (fun () -> h.Clob.GetBookAsync("1"))
                                Expect.equal e.Kind PolymarketApiErrorKind.RateLimited "kind"
                                Expect.equal e.RetryAfter (Nullable(TimeSpan.FromSeconds 120.0)) "retry after"
                                Expect.equal e.StatusCode (Nullable 429) "status"
                                Expect.equal server.Count 1 "not retried"
                            })
                }

            testCase "order placement is retried after a 429 but never after a 5xx"
            <| fun () ->
                runTask
                <| task {
                    let count = ref 0

                    let handler (_: Recorded) (ctx: HttpContext) =
                        match Interlocked.Increment count with
                        | 1 ->
                            ctx.Response.Headers.RetryAfter <- "0"
                            json ctx 429 """{"error":"rate limited"}"""
                        | 2 -> json ctx 200 """{"success":true,"errorMsg":"","orderID":"0xabc","status":"live"}"""
                        | _ -> json ctx 503 """{"error":"unavailable"}"""

                    do!
                        withServer handler ignore TimeProvider.System (fun server h ->
                            task {
                                let! reply = h.Clob.PostOrderAsync("""{"order":{}}""")
                                Expect.isTrue reply.IsAccepted "placed after the 429"
                                Expect.equal server.Count 2 "429 then success"
                                let! e = failure (fun () -> h.Clob.PostOrderAsync("""{"order":{}}"""))
                                Expect.equal e.StatusCode (Nullable 503) "503 surfaces"
                                Expect.equal server.Count 3 "the 503 was not retried"
                            })
                }

            testCase "a refused connection is a Transport failure"
            <| fun () ->
                runTask
                <| task {
                    let port =
                        use listener = new TcpListener(IPAddress.Loopback, 0)
                        listener.Start()
                        (listener.LocalEndpoint :?> IPEndPoint).Port

                    let options = PolymarketApiOptions(ClobUrl = Uri($"http://127.0.0.1:{port}"))
                    options.Resilience.Clob.MaxRetryAttempts <- 1
                    options.Resilience.Clob.RetryBaseDelay <- TimeSpan.FromMilliseconds 5.0
                    use h = new Harness(options, TimeProvider.System)
                    let! e = failure (fun () -> h.Clob.GetBookAsync("1"))
                    Expect.equal e.Kind PolymarketApiErrorKind.Transport "kind"
                    Expect.isTrue e.IsTransient "transient"
                    expectOneLine e
                }

            testCase "the clients resolve from dependency injection and reach the configured URLs"
            <| fun () ->
                runTask
                <| task {
                    use server = new FakeServer(fun _ ctx -> json ctx 200 bookJson)
                    let services = ServiceCollection()

                    services.AddPolymarketRest(fun o -> o.ClobUrl <- Uri(server.Url, "clob"))
                    |> ignore

                    use provider = services.BuildServiceProvider()
                    let clob = provider.GetRequiredService<ClobClient>()
                    let! book = clob.GetBookAsync("1")
                    Expect.equal book.Asks.Count 7 "book"
                    Expect.equal server.Requests[0].Path "/clob/book" "path"

                    Expect.isNotNull
                        (provider.GetRequiredService<PolymarketAlgo.Executor.Markets.UpDownMarkets>())
                        "finder"

                    let health = provider.GetRequiredService<PolymarketResilience>().CheckHealth()
                    Expect.isTrue health[PolymarketHost.Clob].LastSuccessAt.HasValue "shared pipelines record the call"
                }
        ]

[<Tests>]
let limiterTests =
    testList
        "EndpointRateLimiter"
        [
            testCase "a request draws on the host-wide bucket and its group's bucket"
            <| fun () ->
                runTask
                <| task {
                    let clock = FakeTimeProvider(DateTimeOffset(2026, 6, 8, 12, 0, 0, TimeSpan.Zero))

                    use limiter =
                        new EndpointRateLimiter(
                            [
                                RateLimitBucket.Of("general", 3, TimeSpan.FromSeconds 1.0)
                                RateLimitBucket.Of("book", 2, TimeSpan.FromSeconds 1.0, EndpointGroups.ClobBook)
                            ],
                            10,
                            clock
                        )

                    let acquire group =
                        limiter.AcquireAsync(group, CancellationToken.None).AsTask()

                    let books = [ for _ in 1..3 -> acquire EndpointGroups.ClobBook ]
                    let prices = [ for _ in 1..2 -> acquire EndpointGroups.ClobPrice ]
                    do! Task.Delay 50

                    let granted (tasks: Task<Threading.RateLimiting.RateLimitLease> list) =
                        tasks |> List.filter _.IsCompleted |> List.length

                    Expect.equal (granted books) 2 "the book bucket admits two"
                    Expect.equal (granted prices) 1 "the general bucket's third permit goes to a price"

                    for _ in 1..10 do
                        clock.Advance(TimeSpan.FromSeconds 0.1)

                    do! Task.Delay 50
                    Expect.equal (granted books + granted prices) 3 "nothing comes back within the window"
                    clock.Advance(TimeSpan.FromSeconds 0.1)
                    let! late = Task.WhenAll(books @ prices)
                    Expect.isTrue (late |> Array.forall _.IsAcquired) "all granted one segment after the window"
                }

            testCase "a cancelled wait leaves the line without taking a permit"
            <| fun () ->
                runTask
                <| task {
                    let clock = FakeTimeProvider(DateTimeOffset(2026, 6, 8, 12, 0, 0, TimeSpan.Zero))

                    use limiter =
                        new EndpointRateLimiter([ RateLimitBucket.Of("all", 1, TimeSpan.FromSeconds 1.0) ], 10, clock)

                    let! first = limiter.AcquireAsync("any", CancellationToken.None)
                    use cancel = new CancellationTokenSource()
                    let waiting = limiter.AcquireAsync("any", cancel.Token).AsTask()
                    let after = limiter.AcquireAsync("any", CancellationToken.None).AsTask()
                    cancel.Cancel()

                    let! outcome =
                        task {
                            try
                                let! _ = waiting
                                return "granted"
                            with :? OperationCanceledException ->
                                return "cancelled"
                        }

                    Expect.equal outcome "cancelled" "the cancelled wait ends"
                    Expect.isTrue first.IsAcquired "first"
                    clock.Advance(TimeSpan.FromSeconds 1.1)
                    let! next = after
                    Expect.isTrue next.IsAcquired "the next in line gets the freed permit"
                }
        ]
