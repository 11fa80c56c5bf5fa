module PolymarketAlgo.Data.Tests.CandleLoaderTests

open System
open System.IO
open Expecto
open PolymarketAlgo.Core
open PolymarketAlgo.Data
open PolymarketAlgo.Tests.TestHelpers
open PolymarketAlgo.Data.Tests.TestHelpers

let private fiveMinutes = TimeSpan.FromMinutes 5.0

/// The steps between consecutive bars that differ from `step`, as (last bar before, next bar).
let private gaps (step: TimeSpan) (candles: CandleColumns) =
    [
        for i in 1 .. candles.Length - 1 do
            if candles.Time[i] - candles.Time[i - 1] <> step then
                yield candles.Time[i - 1], candles.Time[i]
    ]

let private expectSpan (candles: CandleColumns) rows (first: DateTimeOffset) (last: DateTimeOffset) =
    Expect.equal candles.Length rows "row count"
    Expect.equal candles.Time[0] first "first open time"
    Expect.equal candles.Time[candles.Length - 1] last "last open time"

let private spotMonths =
    [
        "2023-10", 8928, 31
        "2023-11", 8640, 30
        "2023-12", 8928, 31
        "2024-01", 8928, 31
        "2024-02", 8352, 29
        "2024-03", 8928, 31
        "2024-04", 8640, 30
        "2024-05", 8928, 31
        "2024-06", 8640, 30
        "2024-07", 8928, 31
        "2024-08", 8928, 31
        "2024-09", 8640, 30
        "2024-10", 8928, 31
        "2024-11", 8640, 30
    ]

/// Writes `text` to `name` in `dir` and returns the path.
let private write (dir: TempDir) name (text: string) =
    let path = dir.File name
    File.WriteAllText(path, text)
    path

/// Loads `path` expecting a CandleFormatException; returns its message.
let private formatError (load: unit -> CandleColumns) =
    try
        load () |> ignore
        failtest "expected a CandleFormatException"
        ""
    with :? CandleFormatException as e ->
        e.Message

let private rawRows count =
    File.ReadLines(binance "btcusdt_spot_5m/BTCUSDT-5m-2023-10.csv")
    |> Seq.take count
    |> Seq.toArray

[<Tests>]
let realFiles =
    testList
        "CandleLoader on the real files"
        [
            testList
                "Binance raw spot 5m"
                [
                    for month, rows, days in spotMonths do
                        testCase $"BTCUSDT-5m-{month}.csv holds {rows} bars over the whole month" (fun () ->
                            let candles = CandleLoader.Load(binance $"btcusdt_spot_5m/BTCUSDT-5m-{month}.csv")
                            let year, m = int month[0..3], int month[5..6]
                            expectSpan candles rows (utc year m 1 0 0) (utc year m days 23 55)
                            Expect.isEmpty (gaps fiveMinutes candles) "no missing bar")

                    testCase
                        "the folder concatenates 122,976 contiguous bars from 2023-10-01 to 2024-11-30 23:55"
                        (fun () ->
                            let candles = CandleLoader.Load(binance "btcusdt_spot_5m")
                            expectSpan candles 122_976 (utc 2023 10 1 0 0) (utc 2024 11 30 23 55)
                            Expect.isEmpty (gaps fiveMinutes candles) "contiguous across the month files")

                    testCase "a glob loads the same bars as the folder" (fun () ->
                        let viaGlob = CandleLoader.Load(binance "btcusdt_spot_5m/*.csv")
                        let viaFolder = CandleLoader.Load(binance "btcusdt_spot_5m")
                        Expect.sequenceEqual viaGlob.Time viaFolder.Time "times"
                        Expect.sequenceEqual viaGlob.Close viaFolder.Close "closes")

                    testCase "the first row's prices are read exactly" (fun () ->
                        let candles = CandleLoader.Load(binance "btcusdt_spot_5m/BTCUSDT-5m-2023-10.csv")
                        Expect.equal candles.Open[0] 26962.57 "open"
                        Expect.equal candles.High[0] 26965.88 "high"
                        Expect.equal candles.Low[0] 26955.30 "low"
                        Expect.equal candles.Close[0] 26965.87 "close"
                        Expect.equal candles.Volume[0] 27.00851 "volume")

                    testCase "a glob restricted to 2024 loads the eleven 2024 months" (fun () ->
                        let candles = CandleLoader.Load(binance "btcusdt_spot_5m/BTCUSDT-5m-2024-*.csv")
                        expectSpan candles (122_976 - 8928 - 8640 - 8928) (utc 2024 1 1 0 0) (utc 2024 11 30 23 55))
                ]

            testList
                "Binance USD-M futures 5m with a header"
                [
                    testCase "twelve months hold 105,120 contiguous bars of 2025" (fun () ->
                        let candles = CandleLoader.Load(binance "btcusdt_usdm_futures_5m_2025")
                        expectSpan candles 105_120 (utc 2025 1 1 0 0) (utc 2025 12 31 23 55)
                        Expect.isEmpty (gaps fiveMinutes candles) "contiguous")

                    testCase "February 2025 has 8064 bars and a one-decimal first open" (fun () ->
                        let candles =
                            CandleLoader.Load(binance "btcusdt_usdm_futures_5m_2025/BTCUSDT-5m-2025-02.csv")

                        expectSpan candles 8064 (utc 2025 2 1 0 0) (utc 2025 2 28 23 55))

                    testCase "January 2025's first bar is read exactly" (fun () ->
                        let candles =
                            CandleLoader.Load(binance "btcusdt_usdm_futures_5m_2025/BTCUSDT-5m-2025-01.csv")

                        Expect.equal
                            (candles.Open[0], candles.High[0], candles.Low[0], candles.Close[0], candles.Volume[0])
                            (93548.80, 93690.00, 93514.20, 93648.40, 341.604)
                            "first bar")
                ]

            testList
                "jiamingzang local-time CSV (UTC+8)"
                [
                    for file in [ "btcusdt_5m.csv"; "ethusdt_5m.csv" ] do
                        testCase
                            $"{file} with an offset of +8h spans 2026-06-29 00:00 to 2026-08-12 23:55 UTC"
                            (fun () ->
                                let options = CandleLoadOptions(LocalTimeOffset = TimeSpan.FromHours 8.0)
                                let candles = CandleLoader.Load(binance $"jiamingzang_spot_5m_2026/{file}", options)
                                expectSpan candles 12_960 (utc 2026 6 29 0 0) (utc 2026 8 12 23 55)
                                Expect.isEmpty (gaps fiveMinutes candles) "no gaps")

                    testCase "without the offset the labels are read as UTC, eight hours late" (fun () ->
                        let candles = CandleLoader.Load(binance "jiamingzang_spot_5m_2026/btcusdt_5m.csv")
                        Expect.equal candles.Time[0] (utc 2026 6 29 8 0) "label read as UTC"
                        Expect.equal candles.Open[0] 59577.01 "first open")
                ]

            testList
                "freqtrade JSON"
                [
                    for asset in [ "BTC"; "ETH" ] do
                        testCase
                            $"{asset}_USDT-5m.json holds 13,217 bars with the 2023-03-24 halt as its one gap"
                            (fun () ->
                                let candles =
                                    CandleLoader.Load(binance $"freqtrade_json_spot_1m_5m_2023/{asset}_USDT-5m.json")

                                expectSpan candles 13_217 (utc 2023 3 16 22 15) (utc 2023 5 1 20 55)

                                Expect.equal
                                    (gaps fiveMinutes candles)
                                    [ utc 2023 3 24 12 35, utc 2023 3 24 14 0 ]
                                    "the halt")

                        testCase
                            $"{asset}_USDT-1m.json holds 66,087 bars with the 2023-03-24 halt as its one gap"
                            (fun () ->
                                let candles =
                                    CandleLoader.Load(binance $"freqtrade_json_spot_1m_5m_2023/{asset}_USDT-1m.json")

                                expectSpan candles 66_087 (utc 2023 3 16 22 15) (utc 2023 5 1 21 1)

                                Expect.equal
                                    (gaps (TimeSpan.FromMinutes 1.0) candles)
                                    [ utc 2023 3 24 12 39, utc 2023 3 24 14 0 ]
                                    "the halt")

                    testCase "the first bar is read exactly" (fun () ->
                        let candles =
                            CandleLoader.Load(binance "freqtrade_json_spot_1m_5m_2023/BTC_USDT-5m.json")

                        Expect.equal
                            (candles.Open[0], candles.High[0], candles.Low[0], candles.Close[0], candles.Volume[0])
                            (24899.18, 24980.48, 24896.29, 24975.61, 1287.50525)
                            "first bar")

                    testCase "a folder mixing 1m and 5m files is rejected as overlapping" (fun () ->
                        let message =
                            formatError (fun () -> CandleLoader.Load(binance "freqtrade_json_spot_1m_5m_2023"))

                        Expect.stringContains message "overlapping" "names the overlap")
                ]

            testCase "the seed toolkit's 4h CSV with an open_time header holds 9,051 bars" (fun () ->
                let candles = CandleLoader.Load(sharedPath "data/seed_toolkit/btc_4h.csv")
                Expect.equal candles.Length 9051 "rows"
                Expect.equal candles.Time[0] (utc 2022 1 1 0 0) "first"
                Expect.equal candles.Close[0] 46813.20 "first close")

            testCase "the format is detected from each file" (fun () ->
                let detect = CandleLoader.DetectFormat

                Expect.equal
                    (detect (binance "btcusdt_spot_5m/BTCUSDT-5m-2024-01.csv"))
                    CandleFileFormat.BinanceRaw
                    "raw"

                Expect.equal
                    (detect (binance "btcusdt_usdm_futures_5m_2025/BTCUSDT-5m-2025-01.csv"))
                    CandleFileFormat.HeaderedCsv
                    "futures"

                Expect.equal
                    (detect (binance "jiamingzang_spot_5m_2026/btcusdt_5m.csv"))
                    CandleFileFormat.HeaderedCsv
                    "local time"

                Expect.equal
                    (detect (binance "freqtrade_json_spot_1m_5m_2023/BTC_USDT-1m.json"))
                    CandleFileFormat.FreqtradeJson
                    "json")
        ]

[<Tests>]
let microseconds =
    testSequenced
    <| testCase "µs timestamps (16 digits, Binance spot from 2025) load like the ms originals" (fun () ->
        use dir = new TempDir()
        let rows = rawRows 50

        let micro =
            rows
            |> Array.map (fun row ->
                let f = row.Split ','
                f[0] <- f[0] + "000"
                f[6] <- f[6] + "999"
                String.Join(",", f))

        let ms = CandleLoader.Load(write dir "ms.csv" (String.Join("\n", rows)))
        let us = CandleLoader.Load(write dir "us.csv" (String.Join("\n", micro) + "\n"))
        Expect.equal (micro[0].Split(',')[0]).Length 16 "16-digit open time"
        Expect.equal us.Length 50 "rows"
        Expect.sequenceEqual us.Time ms.Time "same open times"
        Expect.sequenceEqual us.Close ms.Close "same closes"
        Expect.equal us.Time[0] (utc 2023 10 1 0 0) "first time")

[<Tests>]
let malformed =
    testSequenced
    <| testList
        "CandleLoader rejects"
        [
            testCase "a row with a missing column, naming the file and line" (fun () ->
                use dir = new TempDir()
                let rows = rawRows 5
                rows[2] <- rows[2].Substring(0, rows[2].LastIndexOf ',')
                let path = write dir "short.csv" (String.Join("\n", rows))
                let message = formatError (fun () -> CandleLoader.Load path)
                Expect.stringContains message $"{path}:3:" "file and line"
                Expect.stringContains message "expected 12 columns, found 11" "the problem")

            testCase "a price that is not a number" (fun () ->
                use dir = new TempDir()
                let rows = rawRows 5
                rows[3] <- rows[3].Replace("26980.68000000", "26980.6x")
                let path = write dir "bad.csv" (String.Join("\r\n", rows))
                let message = formatError (fun () -> CandleLoader.Load path)
                Expect.stringContains message $"{path}:4:" "file and line"
                Expect.stringContains message "'26980.6x'" "the field")

            testCase "a duplicate open time" (fun () ->
                use dir = new TempDir()
                let rows = rawRows 6

                let path =
                    write dir "dup.csv" (String.Join("\n", Array.append rows[0..3] [| rows[3]; rows[4] |]))

                let message = formatError (fun () -> CandleLoader.Load path)
                Expect.stringContains message $"{path}:5:" "file and line"
                Expect.stringContains message "duplicate time" "the problem")

            testCase "rows out of order" (fun () ->
                use dir = new TempDir()
                let rows = rawRows 6

                let path =
                    write dir "unsorted.csv" (String.Join("\n", [| rows[0]; rows[2]; rows[1]; rows[3] |]))

                let message = formatError (fun () -> CandleLoader.Load path)
                Expect.stringContains message $"{path}:3:" "file and line"
                Expect.stringContains message "out of order" "the problem")

            testCase "an unreadable local time, counting the header line" (fun () ->
                use dir = new TempDir()

                let text =
                    "time,open,high,low,close,volume\n2026-06-29 08:00,1,2,0.5,1.5,10\n2026-06-29 8:05,1,2,0.5,1.5,10\n"

                let path = write dir "local.csv" text
                let message = formatError (fun () -> CandleLoader.Load path)

                Expect.stringContains
                    message
                    $"{path}:3: time: cannot read '2026-06-29 8:05' as a time"
                    "file, line, field")

            testCase "a header without a close column" (fun () ->
                use dir = new TempDir()
                let path = write dir "noclose.csv" "open_time,open,high,low,volume\n1,2,3,4,5\n"
                let message = formatError (fun () -> CandleLoader.Load path)
                Expect.stringContains message $"{path}:1:" "the header line"
                Expect.stringContains message "'close'" "the missing column")

            testCase "a header without a time column, listing the accepted names" (fun () ->
                use dir = new TempDir()
                let path = write dir "notime.csv" "when,open,high,low,close,volume\n1,2,3,4,5,6\n"
                let message = formatError (fun () -> CandleLoader.Load path)

                Expect.stringContains
                    message
                    $"{path}:1: the header lacks a time column (open_time, time, timestamp, date or datetime)"
                    "the header line and the accepted time columns")

            testCase "a freqtrade row with five numbers, on its own line" (fun () ->
                use dir = new TempDir()
                let text = "[\n[1679004900000,1,2,0.5,1.5,9],\n[1679005200000,1,2,0.5,1.5]\n]"
                let path = write dir "short.json" text
                let message = formatError (fun () -> CandleLoader.Load path)
                Expect.stringContains message $"{path}:3: row 2: expected 6 numbers, found 5" "file, line, row")

            testCase "a duplicate freqtrade time" (fun () ->
                use dir = new TempDir()
                let text = "[[1679004900000,1,2,0.5,1.5,9],[1679004900000,1,2,0.5,1.5,9]]"
                let path = write dir "dup.json" text
                let message = formatError (fun () -> CandleLoader.Load path)
                Expect.stringContains message $"{path}:1:" "file and line"
                Expect.stringContains message "duplicate time" "the problem")

            testCase "truncated JSON" (fun () ->
                use dir = new TempDir()
                let path = write dir "cut.json" "[[1679004900000,1,2,0.5,1.5,9],\n[16790052"
                let message = formatError (fun () -> CandleLoader.Load path)
                Expect.stringContains message $"{path}:2: invalid JSON" "file and line")

            testCase "two files of a folder that overlap, naming the later file" (fun () ->
                use dir = new TempDir()
                let rows = rawRows 10
                write dir "a.csv" (String.Join("\n", rows[0..5])) |> ignore
                let later = write dir "b.csv" (String.Join("\n", rows[5..9]))
                let message = formatError (fun () -> CandleLoader.Load dir.Path)
                Expect.stringContains message $"{later}:1:" "the later file's first line"
                Expect.stringContains message "overlapping" "the problem")

            testCase "a path that matches nothing" (fun () ->
                use dir = new TempDir()

                Expect.throwsT<FileNotFoundException>
                    (fun () -> CandleLoader.Load(dir.File "*.csv") |> ignore)
                    "no file")
        ]
