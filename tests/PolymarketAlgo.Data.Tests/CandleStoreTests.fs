module PolymarketAlgo.Data.Tests.CandleStoreTests

open System
open System.IO
open Expecto
open FsCheck
open FsCheck.FSharp
open PolymarketAlgo.Core
open PolymarketAlgo.Data
open PolymarketAlgo.Tests.TestHelpers
open PolymarketAlgo.Data.Tests.TestHelpers

let private expectSame (actual: CandleColumns) (expected: CandleColumns) =
    Expect.equal actual.Length expected.Length "bar count"
    Expect.sequenceEqual actual.Time expected.Time "times"
    Expect.sequenceEqual actual.Open expected.Open "opens"
    Expect.sequenceEqual actual.High expected.High "highs"
    Expect.sequenceEqual actual.Low expected.Low "lows"
    Expect.sequenceEqual actual.Close expected.Close "closes"
    Expect.sequenceEqual actual.Volume expected.Volume "volumes"

let private roundTrip format (candles: CandleColumns) =
    use dir = new TempDir()
    let store = CandleStore(dir.Path, format)
    store.WriteAsync("BTCUSDT", "5m", candles).Wait()
    let back = store.ReadAsync("BTCUSDT", "5m").Result

    Expect.sequenceEqual
        (Directory.GetFiles dir.Path |> Array.map Path.GetFileName)
        [ Path.GetFileName(store.PathFor("BTCUSDT", "5m")) ]
        "only the target file"

    back

/// Random candles: strictly increasing whole-µs times after 1973 and arbitrary finite doubles.
let private candlesGen =
    gen {
        let! n = Gen.choose (0, 60)
        let! steps = Gen.arrayOfLength n (Gen.choose (1, 5_000_000))
        let! start = Gen.choose (0, 1_000_000)
        let finite = ArbMap.defaults |> ArbMap.generate<NormalFloat> |> Gen.map _.Get
        let! columns = Gen.arrayOfLength 5 (Gen.arrayOfLength n finite)

        let origin =
            DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(float start)

        let times =
            steps
            |> Array.scan (fun (t: DateTimeOffset) step -> t.AddTicks(int64 step * 10L)) origin
            |> Array.tail

        return
            {
                Time = times
                Open = columns[0]
                High = columns[1]
                Low = columns[2]
                Close = columns[3]
                Volume = columns[4]
            }
    }

[<Tests>]
let tests =
    testSequenced
    <| testList
        "CandleStore"
        [
            testCase "names a file per symbol and interval under data/ by default" (fun () ->
                Expect.equal
                    (CandleStore().PathFor("BTCUSDT", "5m"))
                    (Path.Combine("data", "BTCUSDT_5m.parquet"))
                    "parquet"

                Expect.equal
                    (CandleStore("d", CandleStorageFormat.Csv).PathFor("ETHUSDT", "1h"))
                    (Path.Combine("d", "ETHUSDT_1h.csv"))
                    "csv"

                Expect.equal
                    (CandleStore().PathFor("BTCUSDT", "1M"))
                    (Path.Combine("data", "BTCUSDT_1mo.parquet"))
                    "monthly is 1mo"

                Expect.throwsT<ArgumentException>
                    (fun () -> CandleStore().PathFor("../x", "5m") |> ignore)
                    "no path tricks")

            testCase "reads nothing for a symbol never written" (fun () ->
                use dir = new TempDir()
                let store = CandleStore(dir.Path)
                Expect.isFalse (store.Exists("BTCUSDT", "5m")) "not stored"
                Expect.equal (store.ReadOrEmptyAsync("BTCUSDT", "5m").Result.Length) 0 "empty"

                Expect.throwsC (fun () -> store.ReadAsync("BTCUSDT", "5m").Wait()) (fun e ->
                    Expect.isTrue (e.InnerException :? FileNotFoundException) "file not found"))

            for format in [ CandleStorageFormat.Parquet; CandleStorageFormat.Csv ] do
                testCase $"round-trips the 122,976 spot bars exactly as {format}" (fun () ->
                    let candles = CandleLoader.Load(binance "btcusdt_spot_5m")
                    expectSame (roundTrip format candles) candles)

                testCase $"round-trips freqtrade bars with their gap and whole-µs times as {format}" (fun () ->
                    let candles =
                        CandleLoader.Load(binance "freqtrade_json_spot_1m_5m_2023/BTC_USDT-5m.json")

                    let shifted =
                        { candles with
                            Time = candles.Time |> Array.map _.AddTicks(1230L)
                        }

                    expectSame (roundTrip format candles) candles
                    expectSame (roundTrip format shifted) shifted)

                testCase $"round-trips an empty candle set as {format}" (fun () ->
                    expectSame (roundTrip format CandleSeries.Empty) CandleSeries.Empty)

                testProp $"round-trips random candles exactly as {format}" (fun () ->
                    Prop.forAll (Arb.fromGen candlesGen) (fun candles -> expectSame (roundTrip format candles) candles))

                testCase $"refuses sub-microsecond times as {format}" (fun () ->
                    use dir = new TempDir()
                    let candles = CandleLoader.Load(binance "btcusdt_spot_5m/BTCUSDT-5m-2023-10.csv")

                    let odd =
                        { candles with
                            Time = candles.Time |> Array.map _.AddTicks(1L)
                        }

                    Expect.throwsT<ArgumentException>
                        (fun () -> CandleStore(dir.Path, format).WriteAsync("BTCUSDT", "5m", odd).Wait())
                        "not exact")
        ]

[<Tests>]
let atomic =
    testSequenced
    <| testList
        "AtomicFile"
        [
            testCase "a writer that throws mid-way leaves the old file intact and no temporary file" (fun () ->
                use dir = new TempDir()
                let path = dir.File "BTCUSDT_5m.parquet"
                let candles = CandleLoader.Load(binance "btcusdt_spot_5m/BTCUSDT-5m-2023-10.csv")
                CandleStore.WriteFileAsync(path, candles).Wait()
                let before = File.ReadAllBytes path

                let failing =
                    Func<Stream, Threading.CancellationToken, Threading.Tasks.Task>(fun stream ct ->
                        task {
                            do! CandleStore.WriteParquetAsync(stream, candles, ct)
                            stream.SetLength(stream.Length / 2L)
                            failwith "killed mid-way"
                        })

                let error =
                    Expect.throwsC (fun () -> AtomicFile.WriteAsync(path, failing).Wait()) id

                Expect.stringContains error.InnerException.Message "killed mid-way" "the writer's failure surfaces"
                Expect.sequenceEqual (File.ReadAllBytes path) before "old bytes intact"
                Expect.equal (Directory.GetFiles dir.Path) [| path |] "no temporary file left"
                expectSame (CandleStore.ReadFileAsync(path).Result) candles)

            testCase "a cancelled write leaves the old file" (fun () ->
                use dir = new TempDir()
                let path = dir.File "x.csv"
                File.WriteAllText(path, "old")
                use cts = new Threading.CancellationTokenSource()

                let write =
                    Func<Stream, Threading.CancellationToken, Threading.Tasks.Task>(fun stream ct ->
                        task {
                            do! stream.WriteAsync(Text.Encoding.UTF8.GetBytes "new", ct)
                            cts.Cancel()
                        })

                Expect.throwsC (fun () -> AtomicFile.WriteAsync(path, write, cts.Token).Wait()) ignore
                Expect.equal (File.ReadAllText path) "old" "old content"
                Expect.equal (Directory.GetFiles dir.Path) [| path |] "no temporary file left")

            testCase "a successful write replaces the file" (fun () ->
                use dir = new TempDir()
                let path = dir.File "sub/x.csv"

                for text in [ "first"; "second" ] do
                    let write =
                        Func<Stream, Threading.CancellationToken, Threading.Tasks.Task>(fun stream ct ->
                            stream.WriteAsync(Text.Encoding.UTF8.GetBytes text, ct).AsTask())

                    AtomicFile.WriteAsync(path, write).Wait()

                Expect.equal (File.ReadAllText path) "second" "new content"
                Expect.equal (Directory.GetFiles(dir.File "sub")) [| path |] "no temporary file left")
        ]
