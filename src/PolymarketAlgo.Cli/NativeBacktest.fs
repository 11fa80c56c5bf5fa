/// Polymarket-native backtests: `backtest --source outcomes` (resolved-outcome history), `backtest --source books`
/// (fills walked through recorded order books) and `backtest compare` (the Binance-candle proxy against the real
/// outcomes). Data (outcomes) and the Executor (books) are wired into Core here; the logic lives in Core.
module PolymarketAlgo.Cli.NativeBacktest

open System
open System.Collections.Generic
open System.Globalization
open System.IO
open System.Text.RegularExpressions
open System.Threading.Tasks
open Argu
open PolymarketAlgo.Core
open PolymarketAlgo.Data
open PolymarketAlgo.Executor.Books
open PolymarketAlgo.Executor.Recording
open PolymarketAlgo.Executor.Streaming
open PolymarketAlgo.Reports
open PolymarketAlgo.Cli.Arguments
open PolymarketAlgo.Cli.Output
open PolymarketAlgo.Cli.ParameterFlags

let private invariant = CultureInfo.InvariantCulture

let private timeText (time: DateTimeOffset) =
    time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", invariant)

let private msText (ms: int64) =
    DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", invariant)

// ---------------------------------------------------------------- outcomes

/// Loads resolved windows (felixdoteth CSV or Gamma JSON lines) through the Data loader. No entry price is taken
/// from these files: their up/down and outcome prices are settlement prices (1 or 0), and Gamma's bestBid, bestAsk
/// and lastTradePrice are snapshots taken after the close, so every bet is priced at --entry-price.
let loadOutcomes (path: string) : TimeSpan * HistoryWindow[] =
    let history =
        try
            OutcomeHistoryLoader.LoadAsync(path).GetAwaiter().GetResult()
        with
        | :? FileNotFoundException
        | :? DirectoryNotFoundException -> usage $"no outcome file at '{path}'"
        | :? OutcomeFormatException as e -> usage e.Message

    if history.Windows.Count = 0 then
        usage $"'{path}' holds no outcome windows"

    let windows =
        [|
            for window in history.Windows ->
                {
                    Start = window.Start
                    Outcome =
                        match window.Outcome with
                        | MarketOutcome.Up -> 1
                        | MarketOutcome.Down -> -1
                        | _ -> 0
                    UpPrice = Double.NaN
                }
        |]

    history.WindowLength, windows

/// One line on stderr: what the outcome series holds and what was skipped.
let private describe (series: OutcomeSeries) =
    let first = series.Segments[0].FirstWindow
    let last = series.Segments[series.Segments.Length - 1].LastWindow

    eprintfn
        "outcomes: %d windows (%d Up, %d Down) from %s to %s in %d segments; %d gaps (%d missing windows) and %d unresolved windows skipped, never bridged; %d windows priced from recorded prices, the rest at --entry-price"
        series.Windows
        series.UpWindows
        series.DownWindows
        (timeText first)
        (timeText last)
        series.Segments.Length
        series.Gaps.Length
        series.MissingWindows
        series.Unresolved.Length
        series.PricedWindows

let private buildSeries (windowLength: TimeSpan) (windows: HistoryWindow[]) =
    let series = OutcomeBacktest.series windowLength windows

    if series.Windows = 0 then
        usage "the outcome file holds no resolved window"

    series

let private sourceName (args: ParseResults<BacktestArgs>) =
    match
        args.TryGetResult BacktestArgs.Source
        |> Option.map (fun s -> s.Trim().ToLowerInvariant())
    with
    | None
    | Some "candles" -> "candles"
    | Some "outcomes" -> "outcomes"
    | Some "books" -> "books"
    | Some other -> usage $"unknown --source '{other}': use candles, outcomes or books"

/// Raises a usage error when flags of another source are given.
let private checkFlags (args: ParseResults<BacktestArgs>) (source: string) =
    let refuse (flag: string) (present: bool) (owner: string) =
        if present then
            usage $"{flag} belongs to {owner}, not --source {source}"

    let candleFlags =
        args.Contains BacktestArgs.Data
        || args.Contains BacktestArgs.Symbol
        || args.Contains BacktestArgs.Interval
        || args.Contains BacktestArgs.Tz_Offset

    refuse "--outcomes" (source <> "outcomes" && args.Contains BacktestArgs.Outcomes) "--source outcomes"
    refuse "--books" (source <> "books" && args.Contains BacktestArgs.Books) "--source books"
    refuse "--latency-ms" (source <> "books" && args.Contains BacktestArgs.Latency_Ms) "--source books"
    refuse "--data/--symbol/--interval/--tz-offset" (source <> "candles" && candleFlags) "--source candles"

/// The outcome series of `backtest --source outcomes` (described on stderr), or None for candles.
let outcomeSeries (args: ParseResults<BacktestArgs>) : OutcomeSeries option =
    let source = sourceName args
    checkFlags args source

    if source <> "outcomes" then
        None
    else
        match args.TryGetResult BacktestArgs.Semantics with
        | Some semantics when semantics.ToLowerInvariant() <> "polymarket" ->
            usage "--source outcomes uses Polymarket semantics (ties resolve Up): drop --semantics"
        | _ -> ()

        let path =
            match args.TryGetResult BacktestArgs.Outcomes with
            | Some path -> path
            | None -> usage "--source outcomes needs --outcomes PATH (felixdoteth CSV or Gamma JSON lines)"

        let length, windows = loadOutcomes path
        let series = buildSeries length windows
        describe series
        Some series

/// The strategy a backtest runs: evaluated segment by segment over outcomes, unchanged over candles.
let strategyFor (series: OutcomeSeries option) (strategy: IStrategy) : IStrategy =
    match series with
    | Some series -> OutcomeBacktest.strategy series strategy
    | None -> strategy

/// The candles a backtest runs on: the outcome series' synthetic candles, else `resolve ()`.
let candlesFor (series: OutcomeSeries option) (resolve: unit -> CandleColumns) : CandleColumns =
    match series with
    | Some series -> series.Candles
    | None -> resolve ()

/// The backtest settings: over outcomes, per-window entry prices (recorded where available, else the fixed price).
let settingsFor (series: OutcomeSeries option) (settings: BacktestSettings) : BacktestSettings =
    match series with
    | Some series -> OutcomeBacktest.settings series settings
    | None -> settings

// ---------------------------------------------------------------- books

/// Notes which assets a message changed and the minimum order size a `book` message carries.
type private ChangedAssets() =
    inherit MarketEventHandler()

    /// Assets whose book the current message changed.
    member val Changed = HashSet<string>(StringComparer.Ordinal)

    /// The minimum order size each asset's `book` messages state.
    member val MinimumSizes = Dictionary<string, decimal>(StringComparer.Ordinal)

    /// The condition id (market) of each asset, from its book messages.
    member val Markets = Dictionary<string, string>(StringComparer.Ordinal)

    /// Each asset's position in its market's token list (0 = the first outcome, Up), from `new_market` or
    /// `market_resolved`.
    member val Positions = Dictionary<string, int>(StringComparer.Ordinal)

    /// Assets that had a `book` message (a full snapshot).
    member val Snapshotted = HashSet<string>(StringComparer.Ordinal)

    override this.OnBook(book: BookMessage) =
        this.Changed.Add book.AssetId |> ignore
        this.Snapshotted.Add book.AssetId |> ignore

        if not (isNull book.Market) then
            this.Markets[book.AssetId] <- book.Market

        if book.MinOrderSize.HasValue then
            this.MinimumSizes[book.AssetId] <- book.MinOrderSize.Value

    override this.OnPriceChange(change: PriceChange) =
        this.Changed.Add change.AssetId |> ignore

        if not (isNull change.Market) then
            this.Markets[change.AssetId] <- change.Market

    override this.OnTickSizeChange(change: TickSizeChange) =
        this.Changed.Add change.AssetId |> ignore

    /// The slug of each asset a `new_market` event announced.
    member val Slugs = Dictionary<string, string>(StringComparer.Ordinal)

    /// For each asset a `market_resolved` event settled: whether it won, and when (exchange ms).
    member val Resolved = Dictionary<string, struct (bool * int64)>(StringComparer.Ordinal)

    override this.OnNewMarket(market: NewMarketEvent) =
        market.AssetIds |> Seq.iteri (fun i asset -> this.Positions[asset] <- i)

        if not (isNull market.Slug) then
            for asset in market.AssetIds do
                this.Slugs[asset] <- market.Slug

    override this.OnMarketResolved(resolution: MarketResolvedEvent) =
        resolution.AssetIds |> Seq.iteri (fun i asset -> this.Positions[asset] <- i)

        for asset in resolution.AssetIds do
            this.Resolved[asset] <- struct (asset = resolution.WinningAssetId, resolution.TimestampMs)

let private slugWindow =
    Regex(@"-updown-(\d+)m-(\d+)$", RegexOptions.CultureInvariant)

/// The window of a `<asset>-updown-<n>m-<start>` slug.
let private windowOfSlug (slug: string) =
    let m = slugWindow.Match slug

    if m.Success then
        let start =
            DateTimeOffset.FromUnixTimeSeconds(Int64.Parse(m.Groups[2].Value, invariant))

        Some(start, start.AddMinutes(float (Int32.Parse(m.Groups[1].Value, invariant))))
    else
        None

/// One side of a book, best first; `previous` itself when the side has not changed (most messages change one
/// side or a few levels, and sharing the unchanged side keeps a replay's memory small).
let private levelsOf (book: OrderBook) (side: BookSide) (previous: RecordedLevel[]) =
    let count = book.LevelCount side
    let mutable same = previous.Length = count
    let mutable depth = 0

    while same && depth < count do
        let level = book.GetLevel(side, depth)
        same <- level.Price = previous[depth].Price && level.Size = previous[depth].Size
        depth <- depth + 1

    if same then
        previous
    else
        Array.init count (fun depth ->
            let level = book.GetLevel(side, depth)
            RecordedLevel(level.Price, level.Size))

/// Reads book recordings (Parquet `book` rows or JSONL from `record`), replays every message through the
/// Executor's parser and books, and keeps each changed book after every message, stamped with the receive time.
/// The window comes from the slug (a Parquet row's, or a `new_market` event's); without one, a `market_resolved`
/// event ends the window at the 5-minute boundary before it, and failing that the window is the 5-minute slot
/// of the asset's first message (wrong for a token subscribed before its window opened). The minimum order size is
/// 5 shares unless a `book` message states one. Resolution comes from `market_resolved`, else from the last book
/// at or after the window's end. When both tokens of a market were recorded, only one book is kept (see `kept`).
let loadBooks (path: string) : RecordedMarket[] =
    let files (pattern: string) =
        if Directory.Exists path then
            Directory.GetFiles(path, pattern) |> Array.sort
        elif
            File.Exists path
            && path.EndsWith(pattern.TrimStart '*', StringComparison.OrdinalIgnoreCase)
        then
            [| path |]
        else
            [||]

    let parquet = files "*.parquet"
    let jsonl = files "*.jsonl"

    let books = BookManager()
    let parser = MarketMessageParser()
    let changed = ChangedAssets()
    let handler = MarketEventFanout([ books :> MarketEventHandler; changed ])
    let frames = Dictionary<string, ResizeArray<BookFrame>>(StringComparer.Ordinal)
    let slugs = Dictionary<string, string>(StringComparer.Ordinal)

    let replay (message: RecordedMessage) =
        changed.Changed.Clear()
        parser.Parse(message.Utf8.Span, handler) |> ignore

        for asset in changed.Changed do
            let list =
                match frames.TryGetValue asset with
                | true, list -> list
                | _ ->
                    let list = ResizeArray()
                    frames[asset] <- list
                    list

            let previousBids, previousAsks =
                if list.Count = 0 then
                    [||], [||]
                else
                    list[list.Count - 1].Bids, list[list.Count - 1].Asks

            let ok, frame =
                books.TryRead(
                    asset,
                    fun book _ ->
                        {
                            TimeMs = message.ReceivedMs
                            Bids = levelsOf book BookSide.Bid previousBids
                            Asks = levelsOf book BookSide.Ask previousAsks
                        }
                )

            if ok then
                list.Add frame

    try
        if parquet.Length > 0 then
            // File by file, so only two files' rows are held at a time, the next file decoding on another thread
            // while this one replays. Every row is a full `book` snapshot, so the frames are put in time order per
            // asset at the end whatever the file order.
            let decode (file: string) : Task<IReadOnlyList<BookRecordingRow>> =
                Task.Run<IReadOnlyList<BookRecordingRow>>(fun () -> ParquetBookRecording.ReadRowsAsync([ file ]))

            let mutable next = decode parquet[0]

            for i in 0 .. parquet.Length - 1 do
                let rows = next.GetAwaiter().GetResult()

                if i + 1 < parquet.Length then
                    next <- decode parquet[i + 1]

                for row in rows do
                    if not (isNull row.asset_id || isNull row.slug) then
                        slugs[row.asset_id] <- row.slug

                for message in ParquetBookRecording.ToMessages rows do
                    replay message
        elif jsonl.Length > 0 then
            let reader = JsonlReplaySource(jsonl).ReadAsync().GetAsyncEnumerator()

            task {
                while! reader.MoveNextAsync() do
                    replay reader.Current
            }
            |> fun work -> work.GetAwaiter().GetResult()
        else
            usage $"no book recordings at '{path}': pass a .parquet or .jsonl file, or a folder of them"
    with :? IOException as e ->
        failed $"cannot read '{path}': {e.Message}"

    if frames.Count = 0 then
        usage $"'{path}' holds no book messages"

    // One book per market: both outcome books of a binary market mirror each other, and backtesting both would bet
    // twice on one market. Keep a book that had a snapshot (a `book` message): the first outcome's (Up) when the token
    // order is known, else the busiest.
    let kept =
        frames.Keys
        |> Seq.groupBy (fun asset ->
            match changed.Markets.TryGetValue asset with
            | true, market -> market
            | _ -> asset)
        |> Seq.map (fun (_, assets) ->
            assets
            |> Seq.minBy (fun asset ->
                let position =
                    match changed.Positions.TryGetValue asset with
                    | true, position -> position
                    | _ -> Int32.MaxValue

                not (changed.Snapshotted.Contains asset), position, -frames[asset].Count, asset))
        |> Array.ofSeq

    [|
        for asset in kept ->
            let list = frames[asset]
            let frames = list.ToArray() |> Array.sortBy (fun frame -> frame.TimeMs)

            let slug =
                match slugs.TryGetValue asset, changed.Slugs.TryGetValue asset with
                | (true, slug), _
                | _, (true, slug) -> slug
                | _ -> asset

            let resolved =
                match changed.Resolved.TryGetValue asset with
                | true, resolution -> Some resolution
                | _ -> None

            let start, finish =
                match windowOfSlug slug, resolved with
                | Some window, _ -> window
                | None, Some(struct (_, resolvedMs)) ->
                    // Automatic resolution follows the window's end within seconds.
                    let finish = DateTimeOffset.FromUnixTimeSeconds(resolvedMs / 300_000L * 300L)
                    finish.AddMinutes -5.0, finish
                | None, None ->
                    let start = DateTimeOffset.FromUnixTimeSeconds(frames[0].TimeMs / 300_000L * 300L)
                    start, start.AddMinutes 5.0

            {
                Slug = slug
                AssetId = asset
                WindowStart = start
                WindowEnd = finish
                Frames = frames
                MinimumOrderSize =
                    match changed.MinimumSizes.TryGetValue asset with
                    | true, size -> size
                    | _ -> 5M
                Resolution =
                    match resolved with
                    | Some(struct (true, _)) -> TokenResolution.Won
                    | Some(struct (false, _)) -> TokenResolution.Lost
                    | None -> BookReplay.inferResolution frames finish
            }
    |]

let private sideName (side: int) =
    if side > 0 then "recorded token" else "other outcome"

let private money (amount: decimal) = Number(BookReplay.toFloat amount)

let private resolutionName (resolution: TokenResolution) =
    match resolution with
    | TokenResolution.Won -> "won"
    | TokenResolution.Lost -> "lost"
    | _ -> "unknown"

let private missName (reason: MissReason) =
    match reason with
    | MissReason.None -> "none"
    | MissReason.MarketClosed -> "market_closed"
    | MissReason.NoBook -> "no_book"
    | MissReason.BelowMinimumSize -> "below_minimum_size"
    | MissReason.BelowMinimumNotional -> "below_minimum_notional"
    | MissReason.NoLiquidity -> "no_liquidity"
    | MissReason.InsufficientDepth -> "insufficient_depth"
    | other -> string other

let private orderJson (order: BookOrderResult) =
    Object
        [
            "slug", Text order.Slug
            "side", Text(sideName order.Side)
            "decision_time", Text(msText order.DecisionMs)
            "arrival_time", Text(msText order.ArrivalMs)
            "requested_shares", money order.RequestedShares
            "filled_shares", money order.FilledShares
            "missed", Text(missName order.Missed)
            "best_at_decision", money order.BestAtDecision
            "best_at_arrival", money order.BestAtArrival
            "average_price", money order.AveragePrice
            "worst_price", money order.WorstPrice
            "slippage", money order.Slippage
            "latency_slippage", money order.LatencySlippage
            "depth_slippage", money order.DepthSlippage
            "notional", money order.Notional
            "fee", money order.Fee
            "levels_used", Integer(int64 order.LevelsUsed)
            "resolution", Text(resolutionName order.Resolution)
            "payout", money order.Payout
            "pnl", money order.Pnl
        ]

let private summaryJson (result: BookReplayResult) =
    [
        "order_count", Integer(int64 result.Orders.Length)
        "filled", Integer(int64 result.Filled)
        "partial", Integer(int64 result.Partial)
        "missed", Integer(int64 result.Missed)
        "missed_by_reason",
        Object
            [
                for reason, orders in
                    result.Orders
                    |> Array.filter (fun o -> not o.IsFilled)
                    |> Array.countBy (fun o -> o.Missed) -> missName reason, Integer(int64 orders)
            ]
        "unresolved", Integer(int64 result.Unresolved)
        "filled_shares", money result.FilledShares
        "notional", money result.Notional
        "fees", money result.Fees
        "pnl", money result.Pnl
        "average_slippage", money result.AverageSlippage
    ]

let private printOrders (result: BookReplayResult) =
    printTable
        [
            "market"
            "side"
            "decision"
            "filled"
            "avg price"
            "best"
            "slippage"
            "fee"
            "resolution"
            "P&L"
            "missed"
        ]
        [
            for o in result.Orders ->
                [
                    o.Slug
                    sideName o.Side
                    msText o.DecisionMs
                    $"{o.FilledShares}/{o.RequestedShares}"
                    fmt 4 (BookReplay.toFloat o.AveragePrice)
                    fmt 2 (BookReplay.toFloat o.BestAtDecision)
                    fmt 4 (BookReplay.toFloat o.Slippage)
                    fmt 5 (BookReplay.toFloat o.Fee)
                    resolutionName o.Resolution
                    fmt 5 (BookReplay.toFloat o.Pnl)
                    (if o.IsFilled then "" else missName o.Missed)
                ]
        ]

let private bookSettings (args: ParseResults<BacktestArgs>) =
    let latency = args.GetResult(BacktestArgs.Latency_Ms, defaultValue = 0)

    if latency < 0 then
        usage $"--latency-ms {latency} must not be negative"

    let feeRate =
        args.GetResult(BacktestArgs.Fee_Rate, defaultValue = Fees.CryptoTakerRate)

    if feeRate < 0.0 then
        usage $"--fee-rate {feeRate} must not be negative"

    { BookReplay.defaultSettings with
        LatencyMs = int64 latency
        FeeRate = decimal feeRate
        FeeExponent = decimal (args.GetResult(BacktestArgs.Fee_Exponent, defaultValue = Fees.CryptoExponent))
    }

/// `backtest --source books`: the favourite rule driven through recorded books (one run or a sweep).
let private books (args: ParseResults<BacktestArgs>) =
    match args.TryGetResult BacktestArgs.Strategy with
    | Some name when name <> "favourite" ->
        usage
            $"--source books runs the book rule 'favourite' (back the side whose mid passes a threshold), not '{name}'"
    | _ -> ()

    if args.Contains BacktestArgs.Walk_Forward then
        usage "--walk-forward needs a long history: use --source outcomes or candles"

    let path =
        match args.TryGetResult BacktestArgs.Books with
        | Some path -> path
        | None -> usage "--source books needs --books PATH (Parquet or JSONL recordings)"

    let sweep = args.Contains BacktestArgs.Sweep
    let parameters = parseParameters sweep (args.GetResults BacktestArgs.Param)
    checkNames "the favourite rule" BookReplay.favouriteDefaults.Keys (List.map fst parameters)

    for name, values in parameters do
        for value in values do
            match name with
            | "threshold" when not (value > 0.5 && value < 1.0) ->
                usage $"--param threshold={value} must be strictly between 0.5 and 1"
            | "offset" when value < 0.0 ->
                usage $"--param offset={value} must not be negative (seconds into the window)"
            | "shares" when value <= 0.0 -> usage $"--param shares={value} must be positive"
            | _ -> ()

    let settings = bookSettings args
    let watch = Diagnostics.Stopwatch.StartNew()
    let markets = loadBooks path
    let frames = markets |> Array.sumBy (fun m -> m.Frames.Length)

    let run (parameters: Map<string, float>) =
        BookReplay.run settings (BookReplay.favouriteOf parameters) markets

    let resolved =
        BookReplay.favouriteDefaults
        |> Map.map (fun name fallback ->
            parameters
            |> List.tryFind (fst >> (=) name)
            |> Option.map (snd >> List.head)
            |> Option.defaultValue fallback)

    let json = args.Contains BacktestArgs.Json

    let marketsJson () =
        Array
            [
                for m in markets |> Array.sortBy (fun m -> m.WindowStart) ->
                    Object
                        [
                            "slug", Text m.Slug
                            "asset_id", Text m.AssetId
                            "window_start", Text(timeText m.WindowStart)
                            "frames", Integer(int64 m.Frames.Length)
                            "minimum_order_size", money m.MinimumOrderSize
                            "resolution", Text(resolutionName m.Resolution)
                        ]
            ]

    let header () =
        [
            "source", Text "books"
            "rule", Text "favourite"
            "latency_ms", Integer settings.LatencyMs
            "fee_rate", money settings.FeeRate
            "frames", Integer(int64 frames)
            "markets", marketsJson ()
        ]

    if sweep then
        let grid =
            [
                for range in BookReplay.favouriteGrid ->
                    match parameters |> List.tryFind (fst >> (=) range.Name) with
                    | Some(_, values) ->
                        { range with
                            Values = Array.ofList values
                        }
                    | None -> range
            ]

        let rows = BookReplay.sweepFavourite settings markets grid

        let top = max 1 (args.GetResult(BacktestArgs.Top, defaultValue = 10))
        let shown = rows |> Array.truncate top

        eprintfn
            "replayed %d frames of %d markets, %d combinations in %.0f ms"
            frames
            markets.Length
            rows.Length
            watch.Elapsed.TotalMilliseconds

        if json then
            printJson (
                Array
                    [
                        for row in shown ->
                            Object(
                                [ "params", parametersJson row.Parameters ]
                                @ summaryJson row.Result
                                @ metricsFields row.Result.Backtest.Metrics
                            )
                    ]
            )
        else
            printTable
                [
                    "offset"
                    "threshold"
                    "shares"
                    "orders"
                    "filled"
                    "missed"
                    "fees"
                    "P&L"
                    "avg slippage"
                ]
                [
                    for row in shown ->
                        [
                            string row.Parameters["offset"]
                            string row.Parameters["threshold"]
                            string row.Parameters["shares"]
                            string row.Result.Orders.Length
                            string (row.Result.Filled + row.Result.Partial)
                            string row.Result.Missed
                            fmt 5 (BookReplay.toFloat row.Result.Fees)
                            fmt 5 (BookReplay.toFloat row.Result.Pnl)
                            fmt 4 (BookReplay.toFloat row.Result.AverageSlippage)
                        ]
                ]
    else
        let result = run resolved
        eprintfn "replayed %d frames of %d markets in %.0f ms" frames markets.Length watch.Elapsed.TotalMilliseconds

        if json then
            printJson (
                Object(
                    header ()
                    @ [
                        "params", parametersJson resolved
                        "orders", Array [ for o in result.Orders -> orderJson o ]
                    ]
                    @ summaryJson result
                    @ metricsFields result.Backtest.Metrics
                )
            )
        else
            printfn
                "favourite (%s) over %d markets, latency %d ms, fee rate %s"
                (formatParameters resolved)
                markets.Length
                settings.LatencyMs
                (string settings.FeeRate)

            printOrders result
            printfn ""

            printfn
                "%d orders: %d filled, %d partial, %d missed; %s shares for %s, fees %s, P&L %s, mean slippage %s"
                result.Orders.Length
                result.Filled
                result.Partial
                result.Missed
                (string result.FilledShares)
                (fmt 4 (BookReplay.toFloat result.Notional))
                (fmt 5 (BookReplay.toFloat result.Fees))
                (fmt 5 (BookReplay.toFloat result.Pnl))
                (fmt 4 (BookReplay.toFloat result.AverageSlippage))

        match args.TryGetResult BacktestArgs.Report with
        | Some file ->
            Report.write
                file
                {
                    ReportContent.Title = "favourite book-replay backtest"
                    Strategy = "favourite"
                    Parameters = resolved
                    Semantics = Semantics.Polymarket
                    Backtest = result.Backtest
                    Times = result.Markets |> Array.map (fun m -> m.WindowStart)
                    Sweep = None
                    WalkForward = None
                }

            eprintfn "report written to %s" file
        | None -> ()

// ---------------------------------------------------------------- compare

/// `backtest compare`: candle direction against the real outcomes over the windows both cover, and the same
/// strategy and parameters backtested on each.
let private compare (args: ParseResults<CompareArgs>) =
    let name = args.GetResult(CompareArgs.Strategy, defaultValue = "streak-reversal")

    let registry = PluginCatalog.registry ()

    let strategy =
        match registry.TryFindStrategy name with
        | true, strategy -> strategy
        | false, _ ->
            let known =
                registry.Strategies |> Seq.map (fun r -> r.Strategy.Name) |> String.concat ", "

            usage $"unknown strategy '{name}' (strategies: {known})"

    let parameters = parseParameters false (args.GetResults CompareArgs.Param)
    checkNames $"strategy {strategy.Name}" strategy.DefaultParameters.Keys (List.map fst parameters)

    let resolved =
        strategy.DefaultParameters
        |> Seq.map (fun (KeyValue(key, fallback)) ->
            key,
            parameters
            |> List.tryFind (fst >> (=) key)
            |> Option.map (snd >> List.head)
            |> Option.defaultValue fallback)
        |> Map.ofSeq

    let entryPrice = args.GetResult(CompareArgs.Entry_Price, defaultValue = 0.5)

    if not (entryPrice > 0.0 && entryPrice < 1.0) then
        usage $"--entry-price {entryPrice} must be strictly between 0 and 1"

    let feeRate =
        args.GetResult(CompareArgs.Fee_Rate, defaultValue = Fees.CryptoTakerRate)

    if feeRate < 0.0 then
        usage $"--fee-rate {feeRate} must not be negative"

    let settings =
        { Backtest.defaultSettings with
            EntryPrice = entryPrice
            FeeRate = feeRate
            FeeExponent = args.GetResult(CompareArgs.Fee_Exponent, defaultValue = Fees.CryptoExponent)
        }

    let candles =
        CandleSource.loadPath (args.GetResult CompareArgs.Data) (args.TryGetResult CompareArgs.Tz_Offset)

    let windowLength, windows = loadOutcomes (args.GetResult CompareArgs.Outcomes)

    let comparison =
        match Agreement.compare settings strategy resolved candles windowLength windows with
        | Ok comparison -> comparison
        | Error AgreementError.NoOverlap ->
            usage "the candles and the outcomes share no window: pass candles covering the outcome history"
        | Error(AgreementError.IntervalMismatch(candle, window)) ->
            usage $"the candles are {candle} apart but the windows last {window}: pass candles of the window length"
        | Error(AgreementError.Strategy error) -> usage $"strategy {strategy.Name}: {error}"

    let a = comparison.Agreement
    let series = comparison.Series

    if args.Contains CompareArgs.Json then
        printJson (
            Object
                [
                    "strategy", Text strategy.Name
                    "params", parametersJson resolved
                    "first_window", Text(timeText comparison.First)
                    "last_window", Text(timeText comparison.Last)
                    "windows", Integer(int64 a.Windows)
                    "matched", Integer(int64 a.Matched)
                    "colour_agreements", Integer(int64 a.ColourAgreements)
                    "colour_agreement_rate", Number a.ColourRate
                    "step_matched", Integer(int64 a.StepMatched)
                    "step_agreements", Integer(int64 a.StepAgreements)
                    "step_agreement_rate", Number a.StepRate
                    "up_outcomes", Integer(int64 a.UpOutcomes)
                    "up_colours", Integer(int64 a.UpColours)
                    "gaps", Integer(int64 series.Gaps.Length)
                    "missing_windows", Integer(int64 series.MissingWindows)
                    "unresolved_windows", Integer(int64 series.Unresolved.Length)
                    "candles", Integer(int64 comparison.Candles)
                    "proxy", Object(metricsFields comparison.Proxy)
                    "real", Object(metricsFields comparison.Real)
                    "rescored", Object(metricsFields comparison.Rescored)
                    "pnl_difference", Number comparison.PnlDifference
                    "resolution_difference", Number comparison.ResolutionDifference
                ]
        )
    else
        printfn
            "overlap %s .. %s: %d resolved windows, %d with a candle"
            (timeText comparison.First)
            (timeText comparison.Last)
            a.Windows
            a.Matched

        printfn
            "  candle colour (close >= open) = outcome: %d of %d (%s%%)"
            a.ColourAgreements
            a.Matched
            (fmt 2 (100.0 * a.ColourRate))

        printfn
            "  close-to-close (the candle backtest's rule) = outcome: %d of %d (%s%%)"
            a.StepAgreements
            a.StepMatched
            (fmt 2 (100.0 * a.StepRate))

        printfn
            "  Up outcomes %d, Up candles %d; %d gaps (%d missing windows), %d unresolved"
            a.UpOutcomes
            a.UpColours
            series.Gaps.Length
            series.MissingWindows
            series.Unresolved.Length

        printfn ""

        printfn
            "%s (%s), entry %s, fee rate %s:"
            strategy.Name
            (formatParameters resolved)
            (fmt 2 entryPrice)
            (fmt 3 feeRate)

        let row (label: string) (m: Metrics) =
            [
                label
                string m.TradeCount
                fmt 4 m.WinRate
                fmt 2 m.TotalPnl
                fmt 2 m.TotalFees
                fmt 2 m.MaxDrawdown
            ]

        printTable
            [ "backtest"; "trades"; "win rate"; "P&L"; "fees"; "max DD" ]
            [
                row "proxy (candles)" comparison.Proxy
                row "real (outcomes)" comparison.Real
                row "proxy bets, real outcomes" comparison.Rescored
            ]

        printfn ""

        printfn
            "real - proxy P&L: %s (of which %s from resolving the same bets with candles)"
            (fmt 2 comparison.PnlDifference)
            (fmt 2 comparison.ResolutionDifference)

/// Runs `backtest compare` and `backtest --source books` in full; false for the candle and outcome sources, which
/// the ordinary backtest path runs (see `outcomeSeries`).
let handled (args: ParseResults<BacktestArgs>) : bool =
    match args.TryGetSubCommand() with
    | Some(BacktestArgs.Compare compareArgs) ->
        compare compareArgs
        true
    | _ when sourceName args = "books" ->
        checkFlags args "books"
        books args
        true
    | _ -> false
