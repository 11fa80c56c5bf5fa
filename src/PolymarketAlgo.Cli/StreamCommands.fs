/// `record`, `replay` and `watch`: the market channel recorded to JSONL, replayed through the same parser
/// and books, or shown live in the terminal.
module PolymarketAlgo.Cli.StreamCommands

open System
open System.Collections.Generic
open System.Globalization
open System.IO
open System.Threading
open Microsoft.Extensions.DependencyInjection
open PolymarketAlgo.Executor.Books
open PolymarketAlgo.Executor.Markets
open PolymarketAlgo.Executor.Recording
open PolymarketAlgo.Executor.Rest
open PolymarketAlgo.Executor.Streaming
open PolymarketAlgo.Cli.Output

/// Recorded inputs of a path: Parquet book recordings and JSONL recordings (a file or a folder of them).
let private recordedFiles (input: string) =
    let files =
        if Directory.Exists input then
            Directory.GetFiles(input) |> Array.sort
        elif File.Exists input then
            [| input |]
        else
            usage $"no recording at '{input}': pass a .jsonl or .parquet file or a folder of them"

    let parquet =
        files
        |> Array.filter (fun f -> f.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))

    let jsonl =
        files
        |> Array.filter (fun f -> f.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))

    if parquet.Length = 0 && jsonl.Length = 0 then
        usage $"'{input}' holds no .jsonl or .parquet recording"

    parquet, jsonl

let private speedOf (text: string option) =
    match text with
    | None -> None
    | Some "max" -> None
    | Some value ->
        match Double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture) with
        | true, speed when speed > 0.0 -> Some speed
        | _ -> usage $"--speed '{value}' must be a positive number or max"

let private price (value: Nullable<decimal>) =
    if value.HasValue then Number(float value.Value) else Null

/// `replay --input FILE_OR_DIR [--speed N|max] [--asset ID] [--json]`: final books and message counts.
let replay (input: string) (speed: string option) (asset: string option) (json: bool) =
    let parquet, jsonl = recordedFiles input

    let replayer =
        MarketReplay(MarketReplayOptions(SpeedFactor = Option.toNullable (speedOf speed)))

    let summaries =
        [
            if parquet.Length > 0 then
                let messages =
                    ParquetBookRecording.ReadMessagesAsync(parquet).GetAwaiter().GetResult()

                replayer.RunAsync(messages = messages).GetAwaiter().GetResult()
            if jsonl.Length > 0 then
                let source = JsonlReplaySource(jsonl)
                replayer.RunAsync(source = source.ReadAsync()).GetAwaiter().GetResult()
        ]

    let books =
        summaries
        |> List.collect (fun s -> List.ofSeq s.Books)
        |> List.filter (fun b -> asset |> Option.forall ((=) b.AssetId))

    let messages = summaries |> List.sumBy (fun s -> s.Messages)
    let skipped = summaries |> List.sumBy (fun s -> s.Skipped)

    let counts =
        summaries
        |> List.collect (fun s -> [ for KeyValue(kind, count) in s.EventCounts -> string kind, count ])
        |> List.groupBy fst
        |> List.map (fun (kind, values) -> kind, values |> List.sumBy snd)

    let elapsed = summaries |> List.sumBy (fun s -> s.Elapsed.TotalSeconds)

    if json then
        printJson (
            Object
                [
                    "messages", Integer messages
                    "skipped", Integer skipped
                    "events", Object [ for kind, count in counts -> kind, Integer count ]
                    "messages_per_second", Number(if elapsed > 0.0 then float messages / elapsed else 0.0)
                    "books",
                    Array
                        [
                            for b in books ->
                                Object
                                    [
                                        "asset_id", Text b.AssetId
                                        "status", Text(string b.Status)
                                        "best_bid", price b.BestBid
                                        "best_ask", price b.BestAsk
                                        "mid", price b.Mid
                                        "bid_levels", Integer(int64 b.BidLevels)
                                        "ask_levels", Integer(int64 b.AskLevels)
                                        "timestamp_ms", Integer b.TimestampMs
                                    ]
                        ]
                ]
        )
    else
        printfn "%d messages replayed (%d skipped)" messages skipped

        for kind, count in counts do
            printfn "  %-18s %d" kind count

        let show (value: Nullable<decimal>) =
            if value.HasValue then string value.Value else "-"

        printTable
            [ "asset"; "bid"; "ask"; "mid"; "bid levels"; "ask levels"; "status" ]
            [
                for b in books ->
                    [
                        (if b.AssetId.Length > 16 then
                             b.AssetId.Substring(0, 8) + "…" + b.AssetId.Substring(b.AssetId.Length - 6)
                         else
                             b.AssetId)
                        show b.BestBid
                        show b.BestAsk
                        show b.Mid
                        string b.BidLevels
                        string b.AskLevels
                        string b.Status
                    ]
            ]

/// Market channel settings with the URL from `--ws-url` or POLYMARKET_WS_URL.
let private channelOptions (wsUrl: string option) =
    match wsUrl |> Option.orElse (SecretSources.setting "POLYMARKET_WS_URL") with
    | Some url ->
        match Uri.TryCreate(url, UriKind.Absolute) with
        | true, uri when uri.Scheme = "ws" || uri.Scheme = "wss" -> MarketChannelOptions(Url = uri)
        | _ -> usage $"--ws-url '{url}' is not a ws:// or wss:// URL"
    | None -> MarketChannelOptions()

/// The token ids of the current and next btc-updown-5m windows.
let private windowTokens (upDown: UpDownMarkets) (count: int) =
    MarketCommands.call (upDown.GetUpcomingAsync count)
    |> Seq.collect (fun market -> [ market.UpTokenId; market.DownTokenId ])
    |> Seq.filter (fun id -> id <> "")
    |> List.ofSeq

/// Cancels on Ctrl-C or after `seconds` (when given).
let private stopToken (seconds: float option) =
    let cancel = new CancellationTokenSource()

    Console.CancelKeyPress.Add(fun args ->
        args.Cancel <- true
        cancel.Cancel())

    seconds |> Option.iter (fun s -> cancel.CancelAfter(TimeSpan.FromSeconds s))
    cancel

/// Follows the btc-5m windows: subscribes the current and next windows' tokens, and re-checks every
/// 30 s so new windows are added as they open. Returns when `stop` fires.
let private followWindows (client: MarketChannelClient) (upDown: UpDownMarkets) (stop: CancellationToken) =
    task {
        let subscribed = HashSet<string>()

        while not stop.IsCancellationRequested do
            let fresh =
                try
                    windowTokens upDown 2 |> List.filter (subscribed.Add)
                with OperationFailed message ->
                    eprintfn "market discovery failed (will retry): %s" message
                    []

            if not fresh.IsEmpty then
                do! client.SubscribeAsync(fresh, stop)
                eprintfn "subscribed %d new token(s); %d in total" fresh.Length subscribed.Count

            try
                do! Tasks.Task.Delay(TimeSpan.FromSeconds 30.0, stop)
            with :? OperationCanceledException ->
                ()
    }

/// `record --market btc-5m --out DIR`: every raw message with its receive time to rotated JSONL files.
let record
    (endpoints: MarketCommands.Endpoints)
    (family: string)
    (out: string)
    (wsUrl: string option)
    (seconds: float option)
    =
    if family <> "btc-5m" then
        usage $"unknown --market '{family}': use btc-5m"

    use provider = MarketCommands.services endpoints
    let upDown = provider.GetRequiredService<UpDownMarkets>()
    let clob = provider.GetRequiredService<ClobClient>()

    use recorder =
        new JsonlRecorder(JsonlRecorderOptions(Directory = out, FilePrefix = "btc-5m"))

    let client =
        new MarketChannelClient(channelOptions wsUrl, snapshots = ClobBookSnapshotSource(clob), recorder = recorder)

    use stop = stopToken seconds
    let running = client.RunAsync(stop.Token)
    (followWindows client upDown stop.Token).GetAwaiter().GetResult()

    try
        running.GetAwaiter().GetResult()
    with :? OperationCanceledException ->
        ()

    eprintfn "recorded %d messages into %s" recorder.LinesWritten out

/// `watch btc-5m`: the current window's books, refreshed in place once a second.
let watch (endpoints: MarketCommands.Endpoints) (family: string) (wsUrl: string option) (seconds: float option) =
    if family <> "btc-5m" then
        usage $"unknown market family '{family}': use btc-5m"

    use provider = MarketCommands.services endpoints
    let upDown = provider.GetRequiredService<UpDownMarkets>()
    let clob = provider.GetRequiredService<ClobClient>()

    let current =
        match MarketCommands.call (upDown.GetCurrentAsync()) with
        | null -> failed "no current btc-updown-5m window on Gamma"
        | market -> market

    let trades = Queue<string>()

    let tradeHandler =
        { new MarketEventHandler() with
            member _.OnLastTradePrice trade =
                lock trades (fun () ->
                    let side = if trade.AssetId = current.UpTokenId then "UP  " else "DOWN"

                    let time =
                        DateTimeOffset
                            .FromUnixTimeMilliseconds(trade.TimestampMs)
                            .ToString("HH:mm:ss", CultureInfo.InvariantCulture)

                    trades.Enqueue $"{time} {side} {trade.Price} x {trade.Size}"

                    while trades.Count > 8 do
                        trades.Dequeue() |> ignore)
        }

    let client =
        new MarketChannelClient(channelOptions wsUrl, snapshots = ClobBookSnapshotSource(clob))

    client.AddHandler tradeHandler
    use stop = stopToken seconds
    let running = client.RunAsync(stop.Token)
    client.SubscribeAsync([ current.UpTokenId; current.DownTokenId ], stop.Token).GetAwaiter().GetResult()

    let render () =
        let side (name: string) (token: string) =
            match client.Books.GetSnapshot token with
            | null -> [ $"{name}: waiting for the book" ]
            | book ->
                let bids =
                    book.Bids
                    |> Seq.sortByDescending (fun l -> l.Price)
                    |> Seq.truncate 5
                    |> Array.ofSeq

                let asks =
                    book.Asks |> Seq.sortBy (fun l -> l.Price) |> Seq.truncate 5 |> Array.ofSeq

                [
                    yield $"{name}  bid size    bid |  ask    ask size"
                    for i in 0 .. (max bids.Length asks.Length) - 1 do
                        let bid =
                            if i < bids.Length then
                                $"{bids[i].Size, 10} {bids[i].Price, 6}"
                            else
                                String(' ', 17)

                        let ask =
                            if i < asks.Length then
                                $"{asks[i].Price, 6} {asks[i].Size, 10}"
                            else
                                ""

                        yield $"      {bid} | {ask}"
                ]

        let lines =
            [
                $"{current.Slug}  (Ctrl-C to stop)  connected: {client.IsConnected}"
                ""
                yield! side "UP  " current.UpTokenId
                ""
                yield! side "DOWN" current.DownTokenId
                ""
                "last trades:"
                yield! lock trades (fun () -> List.ofSeq trades)
            ]

        if not Console.IsOutputRedirected then
            Console.Clear()

        lines |> List.iter (printfn "%s")

    while not stop.IsCancellationRequested do
        render ()

        try
            Tasks.Task.Delay(TimeSpan.FromSeconds 1.0, stop.Token).GetAwaiter().GetResult()
        with :? OperationCanceledException ->
            ()

    try
        running.GetAwaiter().GetResult()
    with :? OperationCanceledException ->
        ()
