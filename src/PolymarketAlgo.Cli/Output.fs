/// Printing: errors with exit codes, JSON documents (snake_case keys, numbers as numbers) and tables.
module PolymarketAlgo.Cli.Output

open System
open System.IO
open System.Text
open System.Text.Json
open PolymarketAlgo.Core

/// Bad input or usage: one line on stderr, exit code 2.
exception UsageError of string

/// The operation failed (network, exchange, file system): one line on stderr, exit code 1.
exception OperationFailed of string

/// Raises a usage error with a message.
let usage message = raise (UsageError message)

/// Raises an operation failure with a message.
let failed message = raise (OperationFailed message)

/// A JSON value written by `writeJson`.
type Json =
    | Number of float
    | Integer of int64
    | Text of string
    | Bool of bool
    | Null
    | Object of (string * Json) list
    | Array of Json list

let rec private write (writer: Utf8JsonWriter) (value: Json) =
    match value with
    | Number n when Double.IsNaN n || Double.IsInfinity n -> writer.WriteNullValue()
    | Number n -> writer.WriteNumberValue n
    | Integer n -> writer.WriteNumberValue n
    | Text s -> writer.WriteStringValue s
    | Bool b -> writer.WriteBooleanValue b
    | Null -> writer.WriteNullValue()
    | Object fields ->
        writer.WriteStartObject()

        for name, field in fields do
            writer.WritePropertyName name
            write writer field

        writer.WriteEndObject()
    | Array items ->
        writer.WriteStartArray()
        items |> List.iter (write writer)
        writer.WriteEndArray()

/// Renders a JSON value as indented text.
let renderJson (value: Json) =
    use stream = new MemoryStream()

    do
        use writer = new Utf8JsonWriter(stream, JsonWriterOptions(Indented = true))
        write writer value

    Encoding.UTF8.GetString(stream.ToArray())

/// Prints a JSON value to stdout (stdout then holds the JSON alone).
let printJson (value: Json) = Console.Out.WriteLine(renderJson value)

/// The metrics of a backtest as JSON fields (snake_case).
let metricsFields (m: Metrics) =
    [
        "trade_count", Integer(int64 m.TradeCount)
        "win_rate", Number m.WinRate
        "total_pnl", Number m.TotalPnl
        "total_fees", Number m.TotalFees
        "max_drawdown", Number m.MaxDrawdown
        "max_drawdown_pct", Number m.MaxDrawdownPct
        "sharpe_ratio", Number m.SharpePerTrade
        "sharpe_annualized", Number m.SharpeAnnualized
        "sortino", Number m.Sortino
        "calmar", Number m.Calmar
        "profit_factor", Number m.ProfitFactor
        "expectancy", Number m.Expectancy
        "average_win", Number m.AverageWin
        "average_loss", Number m.AverageLoss
        "longest_losing_streak", Integer(int64 m.LongestLosingStreak)
        "exposure", Number m.Exposure
    ]

/// Parameters as a JSON object (integers shown without a fraction).
let parametersJson (parameters: Map<string, float>) =
    Object [ for KeyValue(name, value) in parameters -> name, Number value ]

/// Formats a parameter map as `name=value, ...`.
let formatParameters (parameters: Map<string, float>) =
    parameters
    |> Seq.map (fun (KeyValue(name, value)) -> $"{name}={value}")
    |> String.concat ", "

/// Prints a simple aligned table to stdout.
let printTable (headers: string list) (rows: string list list) =
    let widths =
        headers
        |> List.mapi (fun i header ->
            rows
            |> List.fold (fun width row -> max width (List.item i row).Length) header.Length)

    let line (cells: string list) =
        List.zip cells widths
        |> List.mapi (fun i (cell, width) -> if i = 0 then cell.PadRight width else cell.PadLeft width)
        |> String.concat "  "

    Console.Out.WriteLine(line headers)
    Console.Out.WriteLine(widths |> List.map (fun w -> String('-', w)) |> String.concat "  ")
    rows |> List.iter (line >> Console.Out.WriteLine)

/// Formats a float for a table.
let fmt (digits: int) (value: float) =
    if Double.IsNaN value then
        "n/a"
    elif Double.IsPositiveInfinity value then
        "inf"
    else
        value.ToString("F" + string digits, Globalization.CultureInfo.InvariantCulture)
