module PolymarketAlgo.Executor.Tests.ReplayTests

open System
open System.Collections.Generic
open System.IO
open System.Text
open System.Text.Json
open System.Threading.Tasks
open Expecto
open PolymarketAlgo.Executor.Books
open PolymarketAlgo.Executor.Recording
open PolymarketAlgo.Executor.Streaming
open PolymarketAlgo.Tests.TestHelpers
open PolymarketAlgo.Executor.Tests.StreamingParserTests
open PolymarketAlgo.Executor.Tests.OrderBookTests

let parquetDir = sharedPath "data/polymarket/cronosvirus00_btc5m_book_parquet"

/// Loaded once: the 41 Parquet files take a moment to decode.
let parquetRows =
    lazy (ParquetBookRecording.ReadRowsAsync([ parquetDir ]).GetAwaiter().GetResult())

let parquetMessages = lazy (ParquetBookRecording.ToMessages parquetRows.Value)

/// The last recorded book of each asset, read independently with JsonDocument.
let lastBooks () =
    let last = Dictionary<string, JsonElement>()

    for row in parquetRows.Value |> Seq.sortBy (fun r -> r.timestamp.Value) do
        let e = JsonDocument.Parse(row.raw_data).RootElement.Clone()
        last[str e "asset_id"] <- e

    last

let tempDir () =
    let d = Path.Combine(Path.GetTempPath(), "pmalgo-" + Guid.NewGuid().ToString("N"))
    Directory.CreateDirectory d |> ignore
    d

let toAsync (xs: RecordedMessage seq) =
    { new IAsyncEnumerable<RecordedMessage> with
        member _.GetAsyncEnumerator ct =
            let e = xs.GetEnumerator()

            { new IAsyncEnumerator<RecordedMessage> with
                member _.Current = e.Current
                member _.MoveNextAsync() = ValueTask<bool>(e.MoveNext())
                member _.DisposeAsync() = ValueTask.CompletedTask
            }
    }

[<Tests>]
let tests =
    testList
        "Replay"
        [
            testCase "the Parquet recordings hold 41 files and the row counts of SOURCES.md"
            <| fun () ->
                Expect.equal (Directory.GetFiles(parquetDir, "*.parquet").Length) 41 "files"

                let counts = parquetRows.Value |> Seq.countBy (fun r -> r.slug) |> Map.ofSeq

                Expect.equal
                    counts
                    (Map.ofList
                        [
                            "btc-updown-5m-1776323700", 4550
                            "btc-updown-5m-1776324000", 3956
                            "btc-updown-5m-1776324300", 3134
                        ])
                    "rows per market"

            testCase "replaying every Parquet message at max speed ends on the last recorded book of each asset"
            <| fun () ->
                let messages = parquetMessages.Value
                let summary = MarketReplay().RunAsync(messages).GetAwaiter().GetResult()
                Expect.equal summary.Messages 11640L "messages"
                Expect.equal summary.EventCounts[MarketEventType.Book] 11640L "all are books"
                Expect.equal summary.Skipped 0L "nothing skipped"
                let expected = lastBooks ()
                Expect.equal summary.Books.Count expected.Count "one book per asset"

                for b in summary.Books do
                    let e = expected[b.AssetId]

                    let prices (side: string) =
                        [
                            for l in e.GetProperty(side).EnumerateArray() do
                                if decOf l "size" > 0m then
                                    decOf l "price"
                        ]

                    let best pick side =
                        match prices side with
                        | [] -> Nullable()
                        | ps -> Nullable(pick ps)

                    Expect.equal b.BestBid (best List.max "bids") "best bid"
                    Expect.equal b.BestAsk (best List.min "asks") "best ask"
                    Expect.equal b.BidLevels (prices "bids").Length "bid levels"
                    Expect.equal b.AskLevels (prices "asks").Length "ask levels"
                    Expect.equal b.TimestampMs (int64Of e "timestamp") "timestamp"
                    Expect.equal b.Status BookStatus.Live "live"

            testCase "a replay at a speed factor takes the recorded time divided by the factor"
            <| fun () ->
                let frame =
                    Encoding.UTF8.GetBytes
                        """{"event_type":"best_bid_ask","asset_id":"1","best_bid":"0.4","best_ask":"0.6","timestamp":"1"}"""

                let messages =
                    [|
                        for t in [ 0L; 500L; 1000L ] -> RecordedMessage(1_700_000_000_000L + t, ReadOnlyMemory frame)
                    |]

                let summary =
                    MarketReplay(MarketReplayOptions(SpeedFactor = Nullable 5.0))
                        .RunAsync(toAsync messages)
                        .GetAwaiter()
                        .GetResult()

                Expect.equal summary.EventCounts[MarketEventType.BestBidAsk] 3L "events"
                Expect.isGreaterThanOrEqual summary.Elapsed.TotalMilliseconds 190.0 "1 s at 5× is 200 ms"
                Expect.isLessThan summary.Elapsed.TotalMilliseconds 2000.0 "not the full second"

            testSequenced (
                testCase
                    "a JSONL recording replays to the same books and counts, rotating files and skipping a torn last line"
                    (fun () ->
                        let dir = tempDir ()

                        try
                            let burst, _ = burstFrames ()
                            let parquet = parquetMessages.Value |> Seq.take 600 |> Array.ofSeq

                            let originals =
                                Array.append
                                    [| for m in parquet -> m.ReceivedMs, m.Utf8.ToArray() |]
                                    [| for i in 0 .. burst.Length - 1 -> 1_800_000_000_000L + int64 i, burst[i] |]

                            let recorder =
                                new JsonlRecorder(JsonlRecorderOptions(Directory = dir, MaxFileBytes = 400_000L))

                            for t, bytes in originals do
                                recorder.Record(t, ReadOnlySpan bytes)

                            recorder.Dispose()
                            Expect.isGreaterThan recorder.Files.Count 2 "rotated by size"
                            Expect.equal recorder.LinesWritten (int64 originals.Length) "one line per message"

                            File.AppendAllText(
                                recorder.Files[recorder.Files.Count - 1],
                                "{\"t\":123,\"raw\":\"{\\\"event_ty"
                            )

                            let source = JsonlReplaySource(dir)
                            let roundTrip = List<int64 * byte array>()

                            let collect =
                                task {
                                    let e = source.ReadAsync().GetAsyncEnumerator()
                                    let mutable go = true

                                    while go do
                                        let! more = e.MoveNextAsync()

                                        if more then
                                            roundTrip.Add((e.Current.ReceivedMs, e.Current.Utf8.ToArray()))
                                        else
                                            go <- false
                                }

                            collect.GetAwaiter().GetResult()
                            Expect.equal source.SkippedLines 1L "the torn line"
                            Expect.equal roundTrip.Count originals.Length "every message back"

                            for i in 0 .. originals.Length - 1 do
                                Expect.equal (fst roundTrip[i]) (fst originals[i]) "time"
                                Expect.sequenceEqual (snd roundTrip[i]) (snd originals[i]) "bytes"

                            let direct =
                                MarketReplay()
                                    .RunAsync([| for t, b in originals -> RecordedMessage(t, ReadOnlyMemory b) |])
                                    .GetAwaiter()
                                    .GetResult()

                            let replayed =
                                MarketReplay().RunAsync(JsonlReplaySource(dir).ReadAsync()).GetAwaiter().GetResult()

                            Expect.equal replayed.Messages direct.Messages "messages"

                            Expect.equal
                                (Map.ofSeq (replayed.EventCounts |> Seq.map (fun kv -> kv.Key, kv.Value)))
                                (Map.ofSeq (direct.EventCounts |> Seq.map (fun kv -> kv.Key, kv.Value)))
                                "counts"

                            Expect.sequenceEqual replayed.Books direct.Books "books"
                        finally
                            Directory.Delete(dir, true))
            )
        ]
