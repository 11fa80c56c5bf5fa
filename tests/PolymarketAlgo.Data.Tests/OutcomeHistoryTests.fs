module PolymarketAlgo.Data.Tests.OutcomeHistoryTests

open System
open System.IO
open System.IO.Compression
open Expecto
open PolymarketAlgo.Data
open PolymarketAlgo.Tests.TestHelpers
open PolymarketAlgo.Data.Tests.TestHelpers

let private felix =
    sharedPath "data/polymarket/btc_updown_5m_outcomes_felixdoteth/polymarket_btc_5m_enriched.csv"

let private dayFile =
    sharedPath "data/polymarket/ligengxin96_btc5m_day_samples/BTC-5m-markets-2026-06-08.jsonl.gz"

let private at (seconds: int64) =
    DateTimeOffset.FromUnixTimeSeconds seconds

let private formatError (load: unit -> OutcomeHistory) =
    try
        load () |> ignore
        failtest "expected an OutcomeFormatException"
        ""
    with :? AggregateException as e when (e.InnerException :? OutcomeFormatException) ->
        e.InnerException.Message

let private header =
    "timestamp,date,hour_utc,minute,outcome,up_price,down_price,btc_open,btc_close,btc_change_pct"

[<Tests>]
let realFiles =
    testList
        "OutcomeHistoryLoader on the real files"
        [
            testCase "the felixdoteth CSV holds 20,928 windows, 10,628 up and 10,300 down" (fun () ->
                let history = OutcomeHistoryLoader.LoadEnrichedCsvAsync(felix).Result
                Expect.equal history.Windows.Count 20_928 "markets"
                Expect.equal history.UpCount 10_628 "up"
                Expect.equal history.DownCount 10_300 "down"
                Expect.equal history.UnresolvedCount 0 "all resolved"
                Expect.equal history.Windows[0].Start (utc 2025 12 18 4 25) "first window"
                Expect.equal history.Windows[history.Windows.Count - 1].Start (utc 2026 3 16 23 55) "last window")

            testCase "the felixdoteth CSV has 9 gaps totalling 4,651 missing windows, not bridged" (fun () ->
                let history = OutcomeHistoryLoader.LoadAsync(felix).Result
                Expect.equal history.Gaps.Count 9 "gaps"
                Expect.equal history.MissingWindows 4651 "missing slots"
                Expect.equal history.Gaps[0] (OutcomeGap(at 1766031900L, at 1766034000L, 6)) "first gap"

                let span =
                    history.Windows[history.Windows.Count - 1].Start - history.Windows[0].Start

                Expect.equal
                    (history.Windows.Count + history.MissingWindows)
                    (int (span / TimeSpan.FromMinutes 5.0) + 1)
                    "present + missing = every slot"

                Expect.isTrue
                    (history.Windows |> Seq.pairwise |> Seq.forall (fun (a, b) -> a.Start < b.Start))
                    "sorted by start although the file is newest date first")

            testCase "a felixdoteth window carries its prices" (fun () ->
                let history = OutcomeHistoryLoader.LoadEnrichedCsvAsync(felix).Result
                let window = history.Windows |> Seq.find (fun w -> w.Start = at 1773619200L)

                Expect.equal
                    window
                    (OutcomeWindow(
                        at 1773619200L,
                        at 1773619500L,
                        "btc-updown-5m-1773619200",
                        MarketOutcome.Up,
                        Nullable 1.0m,
                        Nullable 0.0m,
                        Nullable 72815.25,
                        Nullable 72942.17,
                        Nullable()
                    ))
                    "the 2026-03-16 00:00 window")

            testCase "the Gamma day file holds 292 markets, 137 up and 155 down, without gaps" (fun () ->
                let history = OutcomeHistoryLoader.LoadGammaMarketsAsync(dayFile).Result
                Expect.equal history.Windows.Count 292 "markets"
                Expect.equal history.UpCount 137 "up"
                Expect.equal history.DownCount 155 "down"
                Expect.isEmpty history.Gaps "contiguous"
                Expect.equal history.Windows[0].Start (utc 2026 6 7 23 55) "first"
                Expect.equal history.Windows[291].Start (utc 2026 6 9 0 10) "last"

                Expect.equal
                    (history.Windows
                     |> Seq.filter (fun w -> not w.PriceToBeat.HasValue)
                     |> Seq.length)
                    4
                    "4 without strike")

            testCase "a Gamma market carries its slug, outcome prices and price to beat" (fun () ->
                let history = OutcomeHistoryLoader.LoadAsync(dayFile).Result
                let first = history.Windows[0]
                Expect.equal first.Slug "btc-updown-5m-1780876500" "slug"
                Expect.equal first.Outcome MarketOutcome.Up "outcome [1, 0]"
                Expect.equal (first.UpPrice, first.DownPrice) (Nullable 1m, Nullable 0m) "prices"
                Expect.equal first.PriceToBeat (Nullable 63123.544863797618m) "strike ×1e-18"
                Expect.equal first.End (utc 2026 6 8 0 0) "end")
        ]

[<Tests>]
let malformed =
    testSequenced
    <| testList
        "OutcomeHistoryLoader rejects"
        [
            testCase "an unknown outcome, naming the file and line" (fun () ->
                use dir = new TempDir()
                let path = dir.File "bad.csv"

                File.WriteAllText(
                    path,
                    $"{header}\n1773619200,2026-03-16,0,0,up,1.0,0.0,1,2,0.1\n1773619500,2026-03-16,0,5,sideways,0,1,1,2,0.1\n"
                )

                let message =
                    formatError (fun () -> OutcomeHistoryLoader.LoadEnrichedCsvAsync(path).Result)

                Expect.stringContains message $"{path}:3: outcome: 'sideways'" "file, line and field")

            testCase "a duplicate window, naming both lines" (fun () ->
                use dir = new TempDir()
                let path = dir.File "dup.csv"
                let row = "1773619200,2026-03-16,0,0,up,1.0,0.0,1,2,0.1"
                File.WriteAllText(path, $"{header}\n{row}\n1773619500,2026-03-16,0,5,down,0,1,1,2,0.1\n{row}\n")
                let message = formatError (fun () -> OutcomeHistoryLoader.LoadAsync(path).Result)
                Expect.stringContains message $"{path}:4:" "the second occurrence"
                Expect.stringContains message "line 2" "the first occurrence")

            testCase "a truncated Gamma line in a gzip file" (fun () ->
                use dir = new TempDir()
                let path = dir.File "cut.jsonl.gz"

                let lines =
                    use source = new GZipStream(File.OpenRead dayFile, CompressionMode.Decompress)
                    use reader = new StreamReader(source)
                    reader.ReadToEnd().Split('\n') |> Array.truncate 3

                lines[2] <- lines[2].Substring(0, 100)

                do
                    use target = new GZipStream(File.Create path, CompressionLevel.Fastest)
                    use writer = new StreamWriter(target)
                    writer.Write(String.Join("\n", lines))

                let message =
                    formatError (fun () -> OutcomeHistoryLoader.LoadGammaMarketsAsync(path).Result)

                Expect.stringContains message $"{path}:3: not a Gamma market line" "file and line")
        ]
