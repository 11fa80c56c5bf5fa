module PolymarketAlgo.Data.Tests.BinanceKlinesClientTests

open System
open System.Net.Http
open System.Threading
open Microsoft.Extensions.DependencyInjection
open Expecto
open PolymarketAlgo.Core
open PolymarketAlgo.Data
open PolymarketAlgo.Tests.TestHelpers
open PolymarketAlgo.Data.Tests.TestHelpers
open PolymarketAlgo.Data.Tests.FakeBinance

/// The clock of every test: just after the last bar of the CSVs has closed.
let private now = DateTimeOffset(2024, 12, 1, 0, 0, 30, TimeSpan.Zero)

let private toMs (t: DateTimeOffset) = t.ToUnixTimeMilliseconds()

let private fiveMinutesMs = 300_000L

let private allSpot = lazy (CandleLoader.Load(binance "btcusdt_spot_5m"))

let private expectSame (actual: CandleColumns) (expected: CandleColumns) =
    Expect.equal actual.Length expected.Length "bar count"
    Expect.sequenceEqual actual.Time expected.Time "times"
    Expect.sequenceEqual actual.Open expected.Open "opens"
    Expect.sequenceEqual actual.High expected.High "highs"
    Expect.sequenceEqual actual.Low expected.Low "lows"
    Expect.sequenceEqual actual.Close expected.Close "closes"
    Expect.sequenceEqual actual.Volume expected.Volume "volumes"

/// Runs `test` with a fresh server, an HTTP client and an instant clock.
let private withServer (test: FakeBinanceServer -> HttpClient -> InstantTimeProvider -> BinanceKlinesOptions -> unit) =
    use server = new FakeBinanceServer()
    use http = new HttpClient()
    let clock = InstantTimeProvider now

    let options =
        BinanceKlinesOptions(BaseUrl = server.BaseUrl, TimeProvider = clock, MaxRetryAttempts = 3)

    test server http clock options

/// A progress sink that records every report synchronously.
type private Reports() =
    let reports = ResizeArray<int64 * int64>()
    member _.All = List.ofSeq reports

    interface IProgress<struct (int64 * int64)> with
        member _.Report(struct (dd, total)) =
            lock reports (fun () -> reports.Add((dd, total)))

let private throwsApi (action: unit -> unit) =
    try
        action ()
        failtest "expected a BinanceApiException"
        Unchecked.defaultof<BinanceApiException>
    with
    | :? AggregateException as e when (e.InnerException :? BinanceApiException) ->
        e.InnerException :?> BinanceApiException
    | :? BinanceApiException as e -> e

[<Tests>]
let client =
    testSequenced
    <| testList
        "BinanceKlinesClient against a local server with the real klines"
        [
            testCase "fetches exactly the CSV bars through a 429 with Retry-After and a 503" (fun () ->
                withServer (fun server http clock options ->
                    server.Inject(3, Status(429, Some 90, """{"code":-1003,"msg":"Too many requests."}"""))
                    server.Inject(6, Status(503, None, "<html><body>Service Unavailable</body></html>"))
                    let reports = Reports()
                    let client = BinanceKlinesClient(http, options)

                    let candles =
                        client.FetchAsync("BTCUSDT", "5m", utc 2023 10 1 0 0, utc 2024 12 1 0 0, reports).Result

                    expectSame candles allSpot.Value
                    let requests = server.Requests
                    Expect.equal requests.Length (123 + 2) "123 pages and two retried requests"

                    let starts = requests |> List.choose _.StartTime |> List.distinct

                    let expectedStarts =
                        [
                            for page in 0L .. 122L -> toMs (utc 2023 10 1 0 0) + page * 1000L * fiveMinutesMs
                        ]

                    Expect.equal
                        starts
                        expectedStarts
                        "each page starts one interval after the previous page's last bar"

                    Expect.isTrue (requests |> List.forall (fun r -> r.Limit = 1000)) "limit=1000"

                    Expect.isTrue
                        (requests
                         |> List.forall (fun r -> r.EndTime = Some(toMs (utc 2024 12 1 0 0) - 1L)))
                        "endTime"

                    match clock.Delays with
                    | [ retryAfter; backoff ] ->
                        Expect.equal
                            retryAfter
                            (TimeSpan.FromSeconds 90.0)
                            "Retry-After honoured beyond the backoff cap"

                        Expect.isTrue
                            (backoff > TimeSpan.Zero && backoff <= options.MaxRetryDelay)
                            $"jittered backoff {backoff}"
                    | other -> failtest $"expected two delays, got {other}"

                    Expect.equal reports.All.Length 123 "one progress report per page"
                    Expect.equal (List.last reports.All) (122_976L, 122_976L) "progress ends at done = total"

                    Expect.isTrue
                        (reports.All |> List.pairwise |> List.forall (fun ((a, _), (b, _)) -> b > a))
                        "progress increases"))

            testCase "pauses until the next minute when the used weight nears 6000" (fun () ->
                withServer (fun server http clock options ->
                    server.Inject(1, Weight 5900)
                    let client = BinanceKlinesClient(http, options)

                    let candles =
                        client.FetchAsync("BTCUSDT", "5m", utc 2024 11 1 0 0, utc 2024 11 11 0 0).Result

                    Expect.equal candles.Length 2880 "ten days of bars"
                    Expect.equal server.Requests.Length 3 "three pages"
                    Expect.equal clock.Delays [ TimeSpan.FromSeconds 30.0 ] "waited from 00:00:30 to the next minute"))

            testCase "drops the bar that has not closed yet" (fun () ->
                use server = new FakeBinanceServer()
                use http = new HttpClient()

                let clock =
                    InstantTimeProvider(DateTimeOffset(2024, 11, 30, 23, 57, 0, TimeSpan.Zero))

                let client =
                    BinanceKlinesClient(http, BinanceKlinesOptions(BaseUrl = server.BaseUrl, TimeProvider = clock))

                let candles =
                    client.FetchAsync("BTCUSDT", "5m", utc 2024 11 30 23 0, utc 2024 12 1 0 0).Result

                Expect.equal candles.Time[candles.Length - 1] (utc 2024 11 30 23 50) "23:55 is still open at 23:57"
                Expect.equal candles.Length 11 "23:00 .. 23:50")

            testCase "walks backward page by page when asked" (fun () ->
                withServer (fun server http _ options ->
                    let client = BinanceKlinesClient(http, options)

                    let pages =
                        client.FetchPagesBackwardAsync("BTCUSDT", "5m", utc 2023 10 1 0 0, utc 2023 10 8 0 0)
                        |> asyncToList

                    Expect.equal (pages |> List.map _.Length) [ 1000; 1000; 16 ] "newest page first"

                    expectSame
                        (CandleSeries.Concat(pages |> List.rev |> List.toArray))
                        (CandleSeries.Between(allSpot.Value, utc 2023 10 1 0 0, utc 2023 10 8 0 0))))

            testCase "stops walking backward before the first listed bar after one probe" (fun () ->
                withServer (fun server http _ options ->
                    let client = BinanceKlinesClient(http, options)

                    let pages =
                        client.FetchPagesBackwardAsync("BTCUSDT", "5m", utc 2020 1 1 0 0, utc 2023 10 1 0 0)
                        |> asyncToList

                    Expect.isEmpty pages "nothing before 2023-10-01 on this server"
                    Expect.equal server.Requests.Length 2 "one empty page and one probe"))

            testCase "fails at once on an invalid symbol with Binance's error code" (fun () ->
                withServer (fun server http clock options ->
                    let client = BinanceKlinesClient(http, options)

                    let error =
                        throwsApi (fun () ->
                            client.FetchAsync("XRPBTC", "5m", utc 2024 1 1 0 0, utc 2024 1 2 0 0).Wait())

                    Expect.equal (error.StatusCode, error.ErrorCode) (400, Nullable -1121) "status and code"
                    Expect.stringContains error.Message "Invalid symbol." "Binance's message"
                    Expect.equal server.Requests.Length 1 "not retried"
                    Expect.isEmpty clock.Delays "no wait"))

            testCase "gives up on a 418 ban longer than MaxRetryAfter" (fun () ->
                withServer (fun server http _ options ->
                    server.Inject(
                        1,
                        Status(418, Some 7200, """{"code":-1003,"msg":"Way too many requests; IP banned."}""")
                    )

                    let client = BinanceKlinesClient(http, options)

                    let error =
                        throwsApi (fun () ->
                            client.FetchAsync("BTCUSDT", "5m", utc 2024 1 1 0 0, utc 2024 1 2 0 0).Wait())

                    Expect.equal error.StatusCode 418 "the ban"
                    Expect.equal server.Requests.Length 1 "not retried"))

            testCase "reports an HTML page where klines were expected" (fun () ->
                withServer (fun server http _ options ->
                    server.Inject(1, Status(200, None, "<html><body>Maintenance</body></html>"))
                    let client = BinanceKlinesClient(http, options)

                    let error =
                        throwsApi (fun () ->
                            client.FetchAsync("BTCUSDT", "5m", utc 2024 1 1 0 0, utc 2024 1 2 0 0).Wait())

                    Expect.stringContains error.Message "not JSON klines" "the problem"
                    Expect.stringContains error.Message "Maintenance" "an excerpt of the body"))

            testCase "surfaces a 5xx burst longer than the retry budget" (fun () ->
                withServer (fun server http clock options ->
                    server.FailAfter 0
                    let client = BinanceKlinesClient(http, options)

                    let error =
                        throwsApi (fun () ->
                            client.FetchAsync("BTCUSDT", "5m", utc 2024 1 1 0 0, utc 2024 1 2 0 0).Wait())

                    Expect.equal error.StatusCode 500 "the last status"
                    Expect.equal server.Requests.Length 4 "one attempt and three retries"
                    let delays = clock.Delays
                    Expect.equal delays.Length 3 "three backoffs"
                    Expect.isTrue (delays |> List.forall (fun d -> d > TimeSpan.Zero)) "positive backoffs"))

            testCase "takes its base URL from BINANCE_BASE_URL" (fun () ->
                withServer (fun server http clock _ ->
                    Environment.SetEnvironmentVariable(
                        BinanceKlinesOptions.BaseUrlVariable,
                        server.BaseUrl.ToString()
                    )

                    try
                        let client =
                            BinanceKlinesClient.FromEnvironment(http, BinanceKlinesOptions(TimeProvider = clock))

                        Expect.equal client.BaseUrl server.BaseUrl "from the environment"

                        let candles =
                            client.FetchAsync("BTCUSDT", "5m", utc 2024 1 1 0 0, utc 2024 1 1 1 0).Result

                        Expect.equal candles.Length 12 "an hour of bars"
                    finally
                        Environment.SetEnvironmentVariable(BinanceKlinesOptions.BaseUrlVariable, null)

                    Expect.equal
                        (BinanceKlinesClient.FromEnvironment(http).BaseUrl)
                        (Uri BinanceKlinesOptions.DefaultBaseUrl)
                        "default"))

            testCase "works as a typed client from IHttpClientFactory with the HttpClient's BaseAddress" (fun () ->
                withServer (fun server _ clock _ ->
                    let services = ServiceCollection()
                    services.AddLogging() |> ignore
                    services.AddSingleton(BinanceKlinesOptions(TimeProvider = clock)) |> ignore

                    services.AddHttpClient<BinanceKlinesClient>(fun (c: HttpClient) ->
                        c.BaseAddress <- server.BaseUrl)
                    |> ignore

                    use provider = services.BuildServiceProvider()
                    let client = provider.GetRequiredService<BinanceKlinesClient>()
                    Expect.equal client.BaseUrl server.BaseUrl "the factory's BaseAddress"

                    let candles =
                        client.FetchAsync("BTCUSDT", "5m", utc 2024 1 1 0 0, utc 2024 1 2 0 0).Result

                    Expect.equal candles.Length 288 "a day of bars"
                    Expect.equal server.Requests.Length 1 "one page"))
        ]

[<Tests>]
let intervals =
    testList
        "BinanceInterval"
        [
            testCase "knows every Binance interval from 1s to 1M" (fun () ->
                for name in BinanceInterval.Names do
                    Expect.equal (BinanceInterval.Parse name).Name name name

                Expect.equal (BinanceInterval.Parse "4h").Duration (TimeSpan.FromHours 4.0) "4h"
                Expect.equal (BinanceInterval.Parse "1w").Duration (TimeSpan.FromDays 7.0) "1w"

                Expect.throwsT<ArgumentException>
                    (fun () -> BinanceInterval.Parse "7m" |> ignore)
                    "7m is not Binance's")

            testCase "steps months by the calendar" (fun () ->
                let month = BinanceInterval.Parse "1M"
                Expect.equal (month.Next(utc 2024 1 1 0 0)) (utc 2024 2 1 0 0) "January to February"
                Expect.equal (month.Next(utc 2024 2 1 0 0)) (utc 2024 3 1 0 0) "leap February to March"
                Expect.equal (month.CountBetween(utc 2024 1 1 0 0, utc 2025 1 1 0 0)) 12L "a year")

            testCase "counts bars in a range" (fun () ->
                let five = BinanceInterval.Parse "5m"
                Expect.equal (five.CountBetween(utc 2023 10 1 0 0, utc 2024 12 1 0 0)) 122_976L "the spot set"
                Expect.equal (five.CountBetween(utc 2024 1 1 0 0, utc 2024 1 1 0 1)) 1L "a partial bar counts")
        ]
