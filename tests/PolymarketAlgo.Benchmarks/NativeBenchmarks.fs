/// Native-backtest benchmarks: the outcome-history sweep (target ≤ 200 ms over 20k windows) and the book-replay
/// backtest over every recorded book message (target ≤ 1 s).
module PolymarketAlgo.Benchmarks.NativeBenchmarks

open System
open System.Collections.Generic
open System.IO
open BenchmarkDotNet.Attributes
open PolymarketAlgo.Core
open PolymarketAlgo.Data
open PolymarketAlgo.Executor.Books
open PolymarketAlgo.Executor.Recording
open PolymarketAlgo.Executor.Streaming
open PolymarketAlgo.Benchmarks.CoreBenchmarks

let private polymarket =
    Path.Combine(repoRoot, "..", "shared", "data", "polymarket")

/// A streak sweep over the 20,928 felixdoteth windows.
[<MemoryDiagnoser; ShortRunJob>]
type OutcomeSweepBenchmark() =
    let windows =
        let path =
            Path.Combine(polymarket, "btc_updown_5m_outcomes_felixdoteth", "polymarket_btc_5m_enriched.csv")

        [|
            for window in OutcomeHistoryLoader.LoadAsync(path).GetAwaiter().GetResult().Windows ->
                {
                    Start = window.Start
                    Outcome = if window.Outcome = MarketOutcome.Up then 1 else -1
                    UpPrice = Double.NaN
                }
        |]

    /// Build the outcome series and sweep the 9 streak-reversal combinations on one thread.
    [<Benchmark>]
    member _.OutcomeSweep20k() =
        let series = OutcomeBacktest.series (TimeSpan.FromMinutes 5.0) windows

        OutcomeBacktest.sweep
            Backtest.defaultSettings
            Sweep.defaultSettings
            series
            StreakReversal.strategy
            StreakReversal.strategy.ParameterGrid

/// The 11,640 recorded Parquet book messages: turned into book frames through the Executor's parser and books
/// (as `backtest --source books` does), then backtested.
[<MemoryDiagnoser; ShortRunJob>]
type BookReplayBenchmark() =
    let rows =
        ParquetBookRecording
            .ReadRowsAsync(
                Directory.GetFiles(Path.Combine(polymarket, "cronosvirus00_btc5m_book_parquet"), "*.parquet")
                |> Array.sort
            )
            .GetAwaiter()
            .GetResult()

    let ordered =
        rows
        |> Seq.filter (fun row -> not (isNull row.raw_data))
        |> Seq.sortBy (fun row -> row.timestamp.Value)
        |> Array.ofSeq

    let payloads =
        ordered |> Array.map (fun row -> Text.Encoding.UTF8.GetBytes row.raw_data)

    let levels (book: OrderBook) (side: BookSide) =
        Array.init (book.LevelCount side) (fun depth ->
            let level = book.GetLevel(side, depth)
            RecordedLevel(level.Price, level.Size))

    /// Every message through the parser and books; the message's book after it, as a frame.
    let markets () =
        let books = BookManager()
        let parser = MarketMessageParser()
        let frames = Dictionary<string, ResizeArray<BookFrame>>()

        for i in 0 .. ordered.Length - 1 do
            parser.Parse(ReadOnlySpan payloads[i], books) |> ignore
            let asset = ordered[i].asset_id

            let ok, frame =
                books.TryRead(
                    asset,
                    fun book _ ->
                        {
                            TimeMs = int64 (Math.Round(ordered[i].timestamp.Value * 1000.0))
                            Bids = levels book BookSide.Bid
                            Asks = levels book BookSide.Ask
                        }
                )

            if ok then
                match frames.TryGetValue asset with
                | true, list -> list.Add frame
                | _ -> frames[asset] <- ResizeArray [ frame ]

        [|
            for KeyValue(asset, list) in frames ->
                let slug = (ordered |> Array.find (fun row -> row.asset_id = asset)).slug

                let start =
                    DateTimeOffset.FromUnixTimeSeconds(int64 (slug.Split('-') |> Array.last))

                let frames = list.ToArray()

                {
                    Slug = slug
                    AssetId = asset
                    WindowStart = start
                    WindowEnd = start.AddMinutes 5.0
                    Frames = frames
                    MinimumOrderSize = 5M
                    Resolution = BookReplay.inferResolution frames (start.AddMinutes 5.0)
                }
        |]

    let recorded = markets ()

    /// Frames from every recorded message, then the favourite rule's backtest.
    [<Benchmark>]
    member _.FramesAndBacktest() =
        BookReplay.run BookReplay.defaultSettings (BookReplay.favourite 240.0 0.6M 10M) (markets ())

    /// The favourite rule's 20-combination sweep over the frames of every message.
    [<Benchmark>]
    member _.FavouriteSweep() =
        BookReplay.sweepFavourite BookReplay.defaultSettings recorded BookReplay.favouriteGrid
