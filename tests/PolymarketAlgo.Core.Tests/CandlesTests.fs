module PolymarketAlgo.Core.Tests.CandlesTests

open System
open System.IO
open System.Text.Json
open Deedle
open Expecto
open PolymarketAlgo.Core
open PolymarketAlgo.Tests.TestHelpers

let private start = DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)

let private minutes (values: int list) =
    values |> List.map (fun m -> start.AddMinutes(float m)) |> Array.ofList

let private candlesAt (time: DateTimeOffset[]) =
    let close = Array.init time.Length (fun i -> 100.0 + float i)

    Candles.ofArrays
        time
        close
        (Array.map ((+) 1.0) close)
        (Array.map (fun c -> c - 1.0) close)
        close
        (Array.create time.Length 5.0)

/// Reads a freqtrade candle file ([[ms, open, high, low, close, volume], ...]).
let private readFreqtradeJson (path: string) =
    use document = JsonDocument.Parse(File.ReadAllText path)
    let rows = document.RootElement.EnumerateArray() |> Array.ofSeq

    let column (i: int) =
        rows |> Array.map (fun row -> row[i].GetDouble())

    Candles.ofArrays
        (rows
         |> Array.map (fun row -> DateTimeOffset.FromUnixTimeMilliseconds(row[0].GetInt64())))
        (column 1)
        (column 2)
        (column 3)
        (column 4)
        (column 5)

[<Tests>]
let tests =
    testList
        "Candles"
        [
            testList
                "validate"
                [
                    testCase "infers the most common step and reports a gap with its missing bar count"
                    <| fun () ->
                        let report = candlesAt (minutes [ 0; 5; 10; 25; 30 ]) |> Candles.validate
                        Expect.equal report.Rows 5 "rows"
                        Expect.equal report.First (Some start) "first"
                        Expect.equal report.Last (Some(start.AddMinutes 30.0)) "last"
                        Expect.equal report.Interval (Some(TimeSpan.FromMinutes 5.0)) "interval"

                        Expect.equal
                            report.Gaps
                            [
                                {
                                    After = start.AddMinutes 10.0
                                    Before = start.AddMinutes 25.0
                                    MissingBars = 2
                                }
                            ]
                            "gaps"

                        Expect.isTrue report.IsStrictlyIncreasing "sorted"

                    testCase "reports duplicate times and out-of-order positions"
                    <| fun () ->
                        let report = candlesAt (minutes [ 0; 5; 5; 10; 3; 15 ]) |> Candles.validate
                        Expect.equal report.Duplicates [ start.AddMinutes 5.0 ] "duplicates"
                        Expect.equal report.UnsortedPositions [ 4 ] "unsorted"
                        Expect.isFalse report.IsStrictlyIncreasing "not strictly increasing"

                    testCase "describes an empty series without an interval"
                    <| fun () ->
                        let report = candlesAt [||] |> Candles.validate
                        Expect.equal report.Rows 0 "rows"
                        Expect.isNone report.First "first"
                        Expect.isNone report.Interval "interval"

                    testCase "breaks an interval tie toward the shorter step"
                    <| fun () ->
                        let report = candlesAt (minutes [ 0; 5; 15 ]) |> Candles.validate
                        Expect.equal report.Interval (Some(TimeSpan.FromMinutes 5.0)) "interval"
                        Expect.equal (report.Gaps |> List.map (fun gap -> gap.MissingBars)) [ 1 ] "gap"
                ]

            testSequenced
            <| testList
                "validate on recorded data"
                [
                    testCase
                        "finds the one real gap of the 2023 freqtrade BTC/USDT 5m file (the Binance halt of 2023-03-24)"
                    <| fun () ->
                        let candles =
                            readFreqtradeJson (
                                sharedPath "data/binance/freqtrade_json_spot_1m_5m_2023/BTC_USDT-5m.json"
                            )

                        let report = Candles.validate candles
                        Expect.equal report.Rows 13217 "rows"
                        Expect.equal report.Interval (Some(TimeSpan.FromMinutes 5.0)) "interval"
                        Expect.isTrue report.IsStrictlyIncreasing "sorted, no duplicates"

                        Expect.equal
                            report.Gaps
                            [
                                {
                                    After = DateTimeOffset(2023, 3, 24, 12, 35, 0, TimeSpan.Zero)
                                    Before = DateTimeOffset(2023, 3, 24, 14, 0, 0, TimeSpan.Zero)
                                    MissingBars = 16
                                }
                            ]
                            "gaps"
                ]

            testList
                "check"
                [
                    testCase "accepts strictly increasing times"
                    <| fun () ->
                        let candles = candlesAt (minutes [ 0; 5; 10 ])
                        Expect.equal (Candles.check candles) (Ok candles) "ok"

                    testCase "rejects a duplicate time with its position"
                    <| fun () ->
                        Expect.equal
                            (Candles.check (candlesAt (minutes [ 0; 5; 5 ])))
                            (Result.Error(CandleError.Duplicate(2, start.AddMinutes 5.0)))
                            "duplicate"

                    testCase "rejects an earlier time with its position"
                    <| fun () ->
                        Expect.equal
                            (Candles.check (candlesAt (minutes [ 0; 10; 5 ])))
                            (Result.Error(CandleError.Unsorted(2, start.AddMinutes 10.0, start.AddMinutes 5.0)))
                            "unsorted"
                ]

            testList
                "frames"
                [
                    testCase "round-trip through a Deedle frame"
                    <| fun () ->
                        let candles = candlesAt (minutes [ 0; 5; 10; 15 ])
                        let frame = Candles.toFrame candles
                        Expect.equal (List.ofSeq frame.ColumnKeys) Candles.columnNames "columns"
                        Expect.equal (Candles.ofFrame frame) (Ok candles) "round trip"

                    testCase "keep a missing value as NaN in its row"
                    <| fun () ->
                        let candles = candlesAt (minutes [ 0; 5; 10 ])
                        let close = Array.copy candles.Close
                        close[1] <- nan

                        match Candles.ofFrame (Candles.toFrame { candles with Close = close }) with
                        | Ok read ->
                            Expect.isTrue (Double.IsNaN read.Close[1]) "missing close"
                            Expect.equal read.Close[2] candles.Close[2] "next close stays in its row"
                        | Result.Error error -> failtest $"{error}"

                    testCase "reject a frame without a volume column"
                    <| fun () ->
                        let frame = Candles.toFrame (candlesAt (minutes [ 0; 5 ])) |> Frame.dropCol "volume"

                        Expect.equal
                            (Candles.ofFrame frame)
                            (Result.Error(CandleError.MissingColumn "volume"))
                            "missing"

                    testCase "reject a frame whose index goes back in time"
                    <| fun () ->
                        let time = minutes [ 0; 10; 5 ]

                        let frame =
                            Frame.ofColumns [ for name in Candles.columnNames -> name, Series(time, [ 1.0; 2.0; 3.0 ]) ]

                        Expect.equal
                            (Candles.ofFrame frame)
                            (Result.Error(CandleError.Unsorted(2, start.AddMinutes 10.0, start.AddMinutes 5.0)))
                            "unsorted"

                    testCase "convert times to UTC"
                    <| fun () ->
                        let local = DateTimeOffset(2024, 1, 1, 8, 0, 0, TimeSpan.FromHours 8.0)

                        let candles =
                            Candles.ofArrays [| local |] [| 1.0 |] [| 1.0 |] [| 1.0 |] [| 1.0 |] [| 0.0 |]

                        Expect.equal candles.Time[0].Offset TimeSpan.Zero "offset"
                        Expect.equal candles.Time[0] start "same instant"
                ]

            testList
                "ofCloses"
                [
                    testCase "spaces bars by the interval and copies the closes into every price column"
                    <| fun () ->
                        let candles = Candles.ofCloses start (TimeSpan.FromMinutes 5.0) [| 1.0; 2.0 |]
                        Expect.equal candles.Time [| start; start.AddMinutes 5.0 |] "times"
                        Expect.equal candles.Open [| 1.0; 2.0 |] "open"
                        Expect.equal candles.Volume [| 0.0; 0.0 |] "volume"

                    testCase "rejects arrays of different lengths"
                    <| fun () ->
                        Expect.throwsT<ArgumentException>
                            (fun () ->
                                Candles.ofArrays [| start |] [||] [| 1.0 |] [| 1.0 |] [| 1.0 |] [| 1.0 |]
                                |> ignore)
                            "length mismatch"
                ]
        ]
