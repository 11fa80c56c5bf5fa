/// Resolves where a command's candles come from: a file, folder or glob, or the Binance cache.
module PolymarketAlgo.Cli.CandleSource

open System
open System.IO
open System.Net.Http
open System.Threading
open Spectre.Console
open PolymarketAlgo.Core
open PolymarketAlgo.Data
open PolymarketAlgo.Cli.Output

/// The default data directory of the candle store.
let defaultDataDirectory = "data"

/// How many days the main job fetches when no data is given.
let defaultLookbackDays = 90.0

/// The console for progress and notes: stderr, so stdout keeps the command's output alone.
let progressConsole =
    AnsiConsole.Create(AnsiConsoleSettings(Out = AnsiConsoleOutput(Console.Error)))

/// Loads candles from a file, folder or glob, turning format errors into one-line usage errors.
let loadPath (path: string) (timeZoneOffsetHours: float option) : CandleColumns =
    let options =
        match timeZoneOffsetHours with
        | Some hours -> CandleLoadOptions(LocalTimeOffset = TimeSpan.FromHours hours)
        | None -> CandleLoadOptions.Default

    let candles =
        try
            CandleLoader.Load(path, options)
        with
        | :? FileNotFoundException
        | :? DirectoryNotFoundException -> usage $"no candle data at '{path}': pass an existing file, folder or glob"
        | :? DataFormatException as e -> usage e.Message
        | :? ArgumentException as e -> usage $"cannot read '{path}': {e.Message}"

    if candles.Length = 0 then
        usage $"'{path}' holds no candles"

    candles

/// Downloads (incrementally) the candles of a symbol and interval into the store and returns them,
/// with a progress bar on stderr. An unreachable Binance is reported in one line.
let fetch
    (symbol: string)
    (interval: string)
    (from: DateTimeOffset)
    (until: DateTimeOffset option)
    (directory: string)
    (format: CandleStorageFormat)
    (showProgress: bool)
    : CandleSyncResult =
    use http = new HttpClient(Timeout = TimeSpan.FromSeconds 30.0)

    let options =
        BinanceKlinesOptions(MaxRetryAttempts = 3, RetryBaseDelay = TimeSpan.FromSeconds 0.5)

    let client = BinanceKlinesClient.FromEnvironment(http, options)
    let cache = CandleCache(client, CandleStore(directory, format))
    use cancel = new CancellationTokenSource()

    Console.CancelKeyPress.Add(fun args ->
        args.Cancel <- true
        cancel.Cancel())

    let run (progress: IProgress<struct (int64 * int64)> option) =
        try
            cache
                .SyncAsync(symbol, interval, from, Option.toNullable until, Option.toObj progress, cancel.Token)
                .GetAwaiter()
                .GetResult()
        with
        | :? HttpRequestException as e ->
            failed
                $"offline: cannot reach Binance at {client.BaseUrl} ({e.Message}); pass --data PATH with local candles (a file, folder or glob)"
        | :? BinanceApiException as e -> failed $"Binance rejected the request: {e.Message}"
        | :? OperationCanceledException -> failed "cancelled; the bars fetched so far are saved"
        | :? ArgumentException as e -> usage e.Message

    if showProgress && not Console.IsErrorRedirected then
        progressConsole
            .Progress()
            .Start(fun context ->
                let task = context.AddTask($"{symbol} {interval}")

                run (
                    Some(
                        { new IProgress<struct (int64 * int64)> with
                            member _.Report(struct (done', total)) =
                                task.MaxValue <- float (max 1L total)
                                task.Value <- float done'
                        }
                    )
                ))
    else
        run None

/// The candles of a research command: `--data` when given, else the cache of symbol/interval
/// (filled with the last 90 days when it is missing).
let resolve
    (data: string option)
    (symbol: string option)
    (interval: string option)
    (timeZoneOffsetHours: float option)
    (now: DateTimeOffset)
    : CandleColumns =
    match data with
    | Some path -> loadPath path timeZoneOffsetHours
    | None ->
        let symbol = defaultArg symbol "BTCUSDT"
        let interval = defaultArg interval "5m"

        progressConsole.MarkupLine(
            $"[grey]no --data: using the {symbol} {interval} cache in {defaultDataDirectory}/ (last {defaultLookbackDays} days)[/]"
        )

        let result =
            fetch
                symbol
                interval
                (now.AddDays(-defaultLookbackDays))
                None
                defaultDataDirectory
                CandleStorageFormat.Parquet
                true

        if result.Candles.Length = 0 then
            failed $"Binance returned no {symbol} {interval} candles; pass --data PATH"

        result.Candles
