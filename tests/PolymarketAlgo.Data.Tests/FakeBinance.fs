module PolymarketAlgo.Data.Tests.FakeBinance

open System
open System.Collections.Concurrent
open System.IO
open System.Net
open System.Text
open System.Threading
open System.Threading.Tasks
open Microsoft.AspNetCore.Builder
open Microsoft.AspNetCore.Hosting
open Microsoft.AspNetCore.Hosting.Server
open Microsoft.AspNetCore.Hosting.Server.Features
open Microsoft.AspNetCore.Http
open Microsoft.Extensions.DependencyInjection
open Microsoft.Extensions.Logging

/// A clock whose timers fire at once while the clock jumps ahead by their due time; it records every delay asked for.
type InstantTimeProvider(start: DateTimeOffset) =
    inherit TimeProvider()
    let gate = obj ()
    let mutable now = start
    let delays = ResizeArray<TimeSpan>()

    /// The delays requested so far, in order.
    member _.Delays = lock gate (fun () -> List.ofSeq delays)

    override _.GetUtcNow() = lock gate (fun () -> now)

    override _.CreateTimer(callback, state, dueTime, _period) =
        if dueTime = Timeout.InfiniteTimeSpan then
            TimeProvider.System.CreateTimer(callback, state, dueTime, Timeout.InfiniteTimeSpan)
        else
            lock gate (fun () ->
                now <- now + dueTime
                delays.Add dueTime)

            TimeProvider.System.CreateTimer(callback, state, TimeSpan.Zero, Timeout.InfiniteTimeSpan)

/// A scripted answer for one request number.
type Fault =
    /// An error status with an optional Retry-After (seconds) and a body.
    | Status of code: int * retryAfter: int option * body: string
    /// A normal answer reporting this used weight.
    | Weight of used: int

/// One request the server saw: its query values (startTime/endTime in ms when present).
type SeenRequest =
    {
        Symbol: string
        Interval: string
        StartTime: int64 option
        EndTime: int64 option
        Limit: int
    }

/// The real 5m BTCUSDT spot klines as raw CSV lines with their open times (ms).
let spotKlines =
    lazy
        (let lines =
            Directory.GetFiles(TestHelpers.binance "btcusdt_spot_5m", "*.csv")
            |> Array.sort
            |> Array.collect File.ReadAllLines
            |> Array.filter (fun l -> l.Length > 0)

         lines, lines |> Array.map (fun l -> int64 (l.Substring(0, l.IndexOf ','))))

let private klineJson (line: string) =
    let f = line.Split ','
    // Binance's shape: times and the trade count as numbers, prices and volumes as strings.
    $"[{f[0]},\"{f[1]}\",\"{f[2]}\",\"{f[3]}\",\"{f[4]}\",\"{f[5]}\",{f[6]},\"{f[7]}\",{f[8]},\"{f[9]}\",\"{f[10]}\",\"{f[11]}\"]"

let private lowerBound (times: int64[]) (value: int64) =
    let mutable lo = 0
    let mutable hi = times.Length

    while lo < hi do
        let mid = (lo + hi) / 2
        if times[mid] < value then lo <- mid + 1 else hi <- mid

    lo

/// A Kestrel server on 127.0.0.1 (port 0) serving GET /api/v3/klines for BTCUSDT 5m from the real CSVs,
/// with Binance's startTime/endTime/limit semantics, scripted faults and a request log.
type FakeBinanceServer() =
    let lines, times = spotKlines.Value
    let seen = ConcurrentQueue<SeenRequest>()
    let faults = ConcurrentDictionary<int, Fault>()
    let mutable counter = 0
    let mutable failAfter = Int32.MaxValue

    let answer (ctx: HttpContext) (status: int) (body: string) =
        ctx.Response.StatusCode <- status

        ctx.Response.ContentType <-
            if body.StartsWith "<" then
                "text/html"
            else
                "application/json"

        ctx.Response.WriteAsync body

    let handle (ctx: HttpContext) : Task =
        let n = Interlocked.Increment &counter
        let q = ctx.Request.Query

        let optional (name: string) =
            if q.ContainsKey name then Some(int64 q[name].[0]) else None

        let limit = optional "limit" |> Option.map int |> Option.defaultValue 500

        let request =
            {
                Symbol = string q["symbol"]
                Interval = string q["interval"]
                StartTime = optional "startTime"
                EndTime = optional "endTime"
                Limit = limit
            }

        seen.Enqueue request
        ctx.Response.Headers["X-MBX-USED-WEIGHT-1M"] <- string (2 * n)

        match faults.TryGetValue n with
        | true, Status(code, retryAfter, body) ->
            retryAfter
            |> Option.iter (fun s -> ctx.Response.Headers["Retry-After"] <- string s)

            answer ctx code body
        | _ when n > failAfter ->
            answer ctx 500 """{"code":-1000,"msg":"An unknown error occurred while processing the request."}"""
        | _ when ctx.Request.Path.Value <> "/api/v3/klines" -> answer ctx 404 "<html>Not Found</html>"
        | _ when request.Symbol <> "BTCUSDT" -> answer ctx 400 """{"code":-1121,"msg":"Invalid symbol."}"""
        | _ when request.Interval <> "5m" -> answer ctx 400 """{"code":-1120,"msg":"Invalid interval."}"""
        | _ when limit < 1 || limit > 1000 ->
            answer ctx 400 """{"code":-1130,"msg":"Invalid data sent for a parameter."}"""
        | fault ->
            match fault with
            | true, Weight used -> ctx.Response.Headers["X-MBX-USED-WEIGHT-1M"] <- string used
            | _ -> ()

            let last = request.EndTime |> Option.defaultValue Int64.MaxValue
            let stop = lowerBound times (if last = Int64.MaxValue then last else last + 1L)

            let first =
                match request.StartTime with
                | Some start -> lowerBound times start
                | None -> max 0 (stop - limit)

            let count = max 0 (min limit (stop - first))
            let body = StringBuilder("[")

            for i in first .. first + count - 1 do
                if i > first then
                    body.Append ',' |> ignore

                body.Append(klineJson lines[i]) |> ignore

            answer ctx 200 (body.Append(']').ToString())

    let app =
        let builder = WebApplication.CreateSlimBuilder()
        builder.Logging.ClearProviders() |> ignore
        builder.WebHost.UseKestrel(fun o -> o.Listen(IPAddress.Loopback, 0)) |> ignore
        let app = builder.Build()
        app.Run(RequestDelegate handle)
        app

    do app.StartAsync().Wait()

    /// The server's base URL, e.g. http://127.0.0.1:41234.
    member _.BaseUrl =
        let addresses =
            app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()

        Uri(Seq.head addresses.Addresses)

    /// Every request so far, in order.
    member _.Requests = List.ofSeq seen

    /// Scripts request number `n` (1-based, counting all requests since the last reset) to get `fault`.
    member _.Inject(n: int, fault: Fault) = faults[n] <- fault

    /// Makes every request after the `n`-th answer 500 (Int32.MaxValue to heal).
    member _.FailAfter(n: int) = failAfter <- n

    /// Forgets the request log, the counter and the scripted faults.
    member _.Reset() =
        seen.Clear()
        faults.Clear()
        counter <- 0
        failAfter <- Int32.MaxValue

    interface IDisposable with
        member _.Dispose() =
            app.StopAsync().Wait()
            (app :> IAsyncDisposable).DisposeAsync().AsTask().Wait()
