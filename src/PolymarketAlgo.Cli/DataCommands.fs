/// `data fetch` and `data info`.
module PolymarketAlgo.Cli.DataCommands

open System
open System.Globalization
open Argu
open PolymarketAlgo.Core
open PolymarketAlgo.Data
open PolymarketAlgo.Cli.Arguments
open PolymarketAlgo.Cli.Output

/// Parses an ISO date or date-time as UTC.
let parseTime (flag: string) (text: string) =
    match
        DateTimeOffset.TryParse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal ||| DateTimeStyles.AdjustToUniversal
        )
    with
    | true, time -> time
    | _ -> usage $"{flag} '{text}' is not a date or time (use ISO form, for example 2024-01-01 or 2024-01-01T12:00Z)"

let private storageFormat (text: string) =
    match text.ToLowerInvariant() with
    | "parquet" -> CandleStorageFormat.Parquet
    | "csv" -> CandleStorageFormat.Csv
    | other -> usage $"unknown --format '{other}': use parquet or csv"

/// A bar interval in Binance's notation where one fits (5m, 4h, 1d), else as a time span.
let describeInterval (step: TimeSpan) =
    BinanceInterval.Names
    |> Seq.map BinanceInterval.Parse
    |> Seq.tryFind (fun interval -> not interval.IsMonthly && interval.Duration = step)
    |> Option.map (fun interval -> interval.Name)
    |> Option.defaultWith (fun () -> step.ToString())

let private iso (time: DateTimeOffset) =
    time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)

/// `data fetch`: incremental download into the store.
let fetch (args: ParseResults<DataFetchArgs>) =
    let symbol = args.GetResult DataFetchArgs.Symbol
    let interval = args.GetResult(DataFetchArgs.Interval, defaultValue = "5m")
    let from = parseTime "--from" (args.GetResult DataFetchArgs.From)
    let until = args.TryGetResult DataFetchArgs.To |> Option.map (parseTime "--to")

    let directory =
        args.GetResult(DataFetchArgs.Out, defaultValue = CandleSource.defaultDataDirectory)

    let format =
        args.TryGetResult DataFetchArgs.Format
        |> Option.map storageFormat
        |> Option.defaultValue CandleStorageFormat.Parquet

    let json = args.Contains DataFetchArgs.Json

    let result =
        CandleSource.fetch symbol interval from until directory format (not json)

    let first, last =
        if result.Candles.Length = 0 then
            Null, Null
        else
            Text(iso result.Candles.Time[0]), Text(iso result.Candles.Time[result.Candles.Length - 1])

    if json then
        printJson (
            Object
                [
                    "symbol", Text symbol
                    "interval", Text interval
                    "path", Text result.Path
                    "bars", Integer(int64 result.Candles.Length)
                    "fetched", Integer(int64 result.FetchedBars)
                    "first", first
                    "last", last
                ]
        )
    else
        printfn
            "%s %s: %d bars in range (%d fetched now) -> %s"
            symbol
            interval
            result.Candles.Length
            result.FetchedBars
            result.Path

/// `data info`: rows, span, interval, gaps and duplicates.
let info (args: ParseResults<DataInfoArgs>) =
    let path = args.GetResult DataInfoArgs.Data
    let candles = CandleSource.loadPath path (args.TryGetResult DataInfoArgs.Tz_Offset)
    let report = Candles.validate candles
    let missing = report.Gaps |> List.sumBy (fun gap -> gap.MissingBars)

    let interval =
        report.Interval |> Option.map describeInterval |> Option.defaultValue "n/a"

    if args.Contains DataInfoArgs.Json then
        printJson (
            Object
                [
                    "path", Text path
                    "rows", Integer(int64 report.Rows)
                    "first", report.First |> Option.map (iso >> Text) |> Option.defaultValue Null
                    "last", report.Last |> Option.map (iso >> Text) |> Option.defaultValue Null
                    "interval", Text interval
                    "gaps",
                    Array
                        [
                            for gap in report.Gaps ->
                                Object
                                    [
                                        "after", Text(iso gap.After)
                                        "before", Text(iso gap.Before)
                                        "missing_bars", Integer(int64 gap.MissingBars)
                                    ]
                        ]
                    "missing_bars", Integer(int64 missing)
                    "duplicates", Integer(int64 report.Duplicates.Length)
                ]
        )
    else
        printfn "path        %s" path
        printfn "rows        %d" report.Rows

        printfn
            "span        %s -> %s"
            (report.First |> Option.map iso |> Option.defaultValue "n/a")
            (report.Last |> Option.map iso |> Option.defaultValue "n/a")

        printfn "interval    %s" interval
        printfn "gaps        %d (%d missing bars)" report.Gaps.Length missing

        for gap in report.Gaps |> List.truncate 10 do
            printfn "  %s -> %s  (%d missing)" (iso gap.After) (iso gap.Before) gap.MissingBars

        printfn "duplicates  %d" report.Duplicates.Length
