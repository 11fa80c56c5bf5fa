module PolymarketAlgo.Data.Tests.CandleCacheTests

open System
open System.IO
open System.Net.Http
open System.Threading
open Expecto
open PolymarketAlgo.Core
open PolymarketAlgo.Data
open PolymarketAlgo.Tests.TestHelpers
open PolymarketAlgo.Data.Tests.TestHelpers
open PolymarketAlgo.Data.Tests.FakeBinance

let private now = DateTimeOffset(2024, 12, 1, 0, 0, 30, TimeSpan.Zero)
let private toMs (t: DateTimeOffset) = t.ToUnixTimeMilliseconds()
let private allSpot = lazy (CandleLoader.Load(binance "btcusdt_spot_5m"))

let private expectSame (actual: CandleColumns) (expected: CandleColumns) =
    Expect.equal actual.Length expected.Length "bar count"
    Expect.sequenceEqual actual.Time expected.Time "times"
    Expect.sequenceEqual actual.Open expected.Open "opens"
    Expect.sequenceEqual actual.Close expected.Close "closes"
    Expect.sequenceEqual actual.Volume expected.Volume "volumes"

/// Runs `test` with a fresh server, a cache over a temporary Parquet store and an instant clock.
let private withCache (test: FakeBinanceServer -> CandleStore -> CandleCache -> unit) =
    use server = new FakeBinanceServer()
    use http = new HttpClient()
    use dir = new TempDir()

    let options =
        BinanceKlinesOptions(BaseUrl = server.BaseUrl, TimeProvider = InstantTimeProvider now, MaxRetryAttempts = 2)

    let store = CandleStore(dir.Path)

    let cache =
        CandleCache(BinanceKlinesClient(http, options), store, CheckpointEveryPages = 10)

    test server store cache

let private sync (cache: CandleCache) from until =
    cache.SyncAsync("BTCUSDT", "5m", from, Nullable until).Result

[<Tests>]
let tests =
    testSequenced
    <| testList
        "CandleCache"
        [
            testCase "fetches only the bars before the first and after the last stored bar" (fun () ->
                withCache (fun server store cache ->
                    let first = sync cache (utc 2024 1 1 0 0) (utc 2024 6 1 0 0)
                    Expect.equal first.FetchedBars 43_776 "January to May 2024"
                    Expect.equal server.Requests.Length 44 "44 pages"
                    Expect.equal first.Path (store.PathFor("BTCUSDT", "5m")) "the store's file"
                    Expect.isTrue (File.Exists first.Path) "written"

                    server.Reset()
                    let second = sync cache (utc 2023 10 1 0 0) (utc 2024 12 1 0 0)
                    Expect.equal second.FetchedBars (26_496 + 52_704) "Oct-Dec 2023 and Jun-Nov 2024"
                    Expect.equal server.Requests.Length (27 + 53) "27 pages back, 53 forward"
                    let storedFrom, storedTo = toMs (utc 2024 1 1 0 0), toMs (utc 2024 6 1 0 0)

                    for r in server.Requests do
                        let s, e = r.StartTime.Value, r.EndTime.Value
                        Expect.isTrue (e < storedFrom || s >= storedTo) $"request [{s}, {e}] avoids the stored range"

                    expectSame second.Candles allSpot.Value
                    expectSame (store.ReadAsync("BTCUSDT", "5m").Result) allSpot.Value

                    server.Reset()
                    let third = sync cache (utc 2023 10 1 0 0) (utc 2024 12 1 0 0)
                    Expect.equal third.FetchedBars 0 "nothing new"
                    Expect.isEmpty server.Requests "no request at all"
                    expectSame third.Candles allSpot.Value))

            testCase "a later run requests only the new bars" (fun () ->
                withCache (fun server _ cache ->
                    sync cache (utc 2023 10 1 0 0) (utc 2024 11 1 0 0) |> ignore
                    server.Reset()
                    let result = sync cache (utc 2023 10 1 0 0) (utc 2024 12 1 0 0)
                    Expect.equal result.FetchedBars 8640 "November 2024"

                    Expect.equal
                        (server.Requests |> List.map _.StartTime)
                        [ for k in 0L .. 8L -> Some(toMs (utc 2024 11 1 0 0) + k * 300_000_000L) ]
                        "nine pages from 2024-11-01"

                    expectSame result.Candles allSpot.Value))

            testCase "resumes an interrupted download without refetching saved pages" (fun () ->
                withCache (fun server store cache ->
                    server.FailAfter 25

                    let error =
                        Expect.throwsC (fun () -> sync cache (utc 2023 10 1 0 0) (utc 2024 12 1 0 0) |> ignore) id

                    Expect.isTrue (error.InnerException :? BinanceApiException) "the 500 burst surfaces"
                    let saved = store.ReadAsync("BTCUSDT", "5m").Result
                    Expect.equal saved.Length 25_000 "20 checkpointed pages plus the 5 fetched before the failure"
                    expectSame saved (CandleSeries.Slice(allSpot.Value, 0, 25_000))

                    server.Reset()
                    let result = sync cache (utc 2023 10 1 0 0) (utc 2024 12 1 0 0)
                    Expect.equal result.FetchedBars (122_976 - 25_000) "only the rest"
                    Expect.equal server.Requests.Length 98 "98 pages"

                    Expect.equal
                        server.Requests.Head.StartTime
                        (Some(toMs (utc 2023 10 1 0 0) + 25_000L * 300_000L))
                        "starts after the last saved bar"

                    expectSame result.Candles allSpot.Value))

            testCase "a cancelled sync keeps the pages it fetched" (fun () ->
                withCache (fun server store cache ->
                    use cts = new CancellationTokenSource()

                    let progress =
                        { new IProgress<struct (int64 * int64)> with
                            member _.Report(struct (fetched, _)) =
                                if fetched >= 3000L then
                                    cts.Cancel()
                        }

                    Expect.throwsC
                        (fun () ->
                            cache
                                .SyncAsync(
                                    "BTCUSDT",
                                    "5m",
                                    utc 2023 10 1 0 0,
                                    Nullable(utc 2024 12 1 0 0),
                                    progress,
                                    cts.Token
                                )
                                .Wait())
                        (fun e -> Expect.isTrue (e.InnerException :? OperationCanceledException) "cancelled")

                    Expect.equal (store.ReadAsync("BTCUSDT", "5m").Result.Length) 3000 "three pages saved"

                    Expect.equal
                        (Directory.GetFiles(Path.GetDirectoryName(store.PathFor("BTCUSDT", "5m"))).Length)
                        1
                        "no temporary file"

                    server.Reset()
                    let result = sync cache (utc 2023 10 1 0 0) (utc 2024 12 1 0 0)
                    Expect.equal result.FetchedBars (122_976 - 3000) "the rest"
                    expectSame result.Candles allSpot.Value))

            testCase "writes CSV stores too" (fun () ->
                use server = new FakeBinanceServer()
                use http = new HttpClient()
                use dir = new TempDir()

                let options =
                    BinanceKlinesOptions(BaseUrl = server.BaseUrl, TimeProvider = InstantTimeProvider now)

                let store = CandleStore(dir.Path, CandleStorageFormat.Csv)
                let cache = CandleCache(BinanceKlinesClient(http, options), store)
                let result = sync cache (utc 2024 11 1 0 0) (utc 2024 12 1 0 0)
                Expect.stringContains result.Path "BTCUSDT_5m.csv" "csv file"
                let fromFile = CandleLoader.Load result.Path
                expectSame fromFile (CandleSeries.Between(allSpot.Value, utc 2024 11 1 0 0, utc 2024 12 1 0 0)))
        ]
