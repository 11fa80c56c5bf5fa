namespace PolymarketAlgo.Core

open System
open System.Collections.Generic

/// A hole in a candle series: consecutive bars further apart than the inferred interval.
type CandleGap =
    {
        /// The last bar before the hole.
        After: DateTimeOffset
        /// The first bar after the hole.
        Before: DateTimeOffset
        /// Whole intervals that fit strictly between the two bars.
        MissingBars: int
    }

/// What `Candles.validate` found in a candle series.
type CandleReport =
    {
        Rows: int
        /// The first bar's time (None when empty).
        First: DateTimeOffset option
        /// The last bar's time (None when empty).
        Last: DateTimeOffset option
        /// The most common positive step between consecutive bars (the shortest one on a tie); None with fewer than two bars.
        Interval: TimeSpan option
        /// Steps longer than the interval, in order.
        Gaps: CandleGap list
        /// Times equal to the previous bar's time, in order.
        Duplicates: DateTimeOffset list
        /// Positions whose time is earlier than the previous bar's time, in order.
        UnsortedPositions: int list
    }

    /// True when the times are strictly increasing (no duplicates, nothing out of order).
    member this.IsStrictlyIncreasing =
        List.isEmpty this.Duplicates && List.isEmpty this.UnsortedPositions

/// Why a candle series was rejected.
[<RequireQualifiedAccess>]
type CandleError =
    /// The time at `Position` is earlier than the time before it.
    | Unsorted of Position: int * Previous: DateTimeOffset * Current: DateTimeOffset
    /// The time at `Position` repeats the time before it.
    | Duplicate of Position: int * Time: DateTimeOffset
    /// The frame lacks a required column (open, high, low, close, volume).
    | MissingColumn of Name: string

/// Helpers for branch-free inner loops.
[<RequireQualifiedAccess>]
module internal Branchless =
    open System.Runtime.Intrinsics

    /// 1 when true, else 0, without a branch: `if c then 1 else 0` on a float comparison compiles to a jump,
    /// which mispredicts on market data; `Convert.ToInt32` of the comparison compiles to a flag instruction.
    let inline flag (condition: bool) : int = Convert.ToInt32 condition

    /// `whenOne` if `choice` is 1, `whenZero` if it is 0, bit for bit and without a branch.
    let inline select (choice: int) (whenOne: float) (whenZero: float) : float =
        let mask = -(int64 choice)

        BitConverter.Int64BitsToDouble(
            (BitConverter.DoubleToInt64Bits whenOne &&& mask)
            ||| (BitConverter.DoubleToInt64Bits whenZero &&& ~~~mask)
        )

    /// The larger of two integers without a branch (`Math.Max` on integers may compile to a jump).
    let inline larger (a: int) (b: int) : int = a + ((b - a) &&& -(flag (b > a)))

    /// The larger of two finite numbers in one instruction (`Math.Max` adds NaN and −0 fix-ups to the chain).
    let inline maximum (a: float) (b: float) : float =
        if X86.Sse2.IsSupported then
            X86.Sse2.MaxScalar(Vector128.CreateScalarUnsafe a, Vector128.CreateScalarUnsafe b).ToScalar()
        else
            Math.Max(a, b)

    /// The smaller of two finite numbers in one instruction.
    let inline minimum (a: float) (b: float) : float =
        if X86.Sse2.IsSupported then
            X86.Sse2.MinScalar(Vector128.CreateScalarUnsafe a, Vector128.CreateScalarUnsafe b).ToScalar()
        else
            Math.Min(a, b)

    /// `whenLess` if a < b, else `otherwise`, bit for bit and without a branch.
    let inline selectLess (a: float) (b: float) (whenLess: float) (otherwise: float) : float =
        if X86.Sse41.IsSupported then
            let mask =
                X86.Sse2.CompareScalarLessThan(Vector128.CreateScalarUnsafe a, Vector128.CreateScalarUnsafe b)

            X86.Sse41
                .BlendVariable(Vector128.CreateScalarUnsafe otherwise, Vector128.CreateScalarUnsafe whenLess, mask)
                .ToScalar()
        else
            select (flag (a < b)) whenLess otherwise

/// Conversions between Deedle series and arrays that keep missing values as NaN (Deedle's `Values` skips them).
[<RequireQualifiedAccess>]
module internal SeriesArray =
    open Deedle

    /// Every value of the series in key order, missing values as NaN.
    let values (series: Deedle.Series<'K, float>) : float[] =
        series
        |> Deedle.Series.observationsAll
        |> Seq.map (fun (_, value) -> defaultArg value Double.NaN)
        |> Array.ofSeq

    /// The keys of the series in order.
    let keys (series: Deedle.Series<'K, 'V>) : 'K[] = Array.ofSeq series.Keys

    /// A frame over `keys` with one float column per (name, values) pair, in order.
    let frame (keys: 'K[]) (columns: (string * float[]) list) : Deedle.Frame<'K, string> =
        columns
        |> List.map (fun (name, values) -> name, Deedle.Series(keys, values))
        |> Frame.ofColumns

/// Candle series: conversion between Deedle frames and `CandleColumns`, and validation.
[<RequireQualifiedAccess>]
module Candles =

    /// The column names a candle frame must hold.
    let columnNames = [ "open"; "high"; "low"; "close"; "volume" ]

    /// Builds candles from parallel arrays (times are converted to UTC); raises when the lengths differ.
    let ofArrays
        (time: DateTimeOffset[])
        (openPrice: float[])
        (high: float[])
        (low: float[])
        (close: float[])
        (volume: float[])
        : CandleColumns =
        let n = time.Length

        for name, length in
            [
                "open", openPrice.Length
                "high", high.Length
                "low", low.Length
                "close", close.Length
                "volume", volume.Length
            ] do
            if length <> n then
                invalidArg name $"Column {name} has {length} values but there are {n} times."

        {
            Time = time |> Array.map (fun t -> t.ToUniversalTime())
            Open = openPrice
            High = high
            Low = low
            Close = close
            Volume = volume
        }

    /// Candles whose open, high, low and close all equal `close`, with zero volume, at `start`, `start + interval`, …
    /// Useful for strategies and tests that only look at closes.
    let ofCloses (start: DateTimeOffset) (interval: TimeSpan) (close: float[]) : CandleColumns =
        if interval <= TimeSpan.Zero then
            invalidArg (nameof interval) "The interval must be positive."

        let time =
            Array.init close.Length (fun i -> start.ToUniversalTime() + TimeSpan.FromTicks(interval.Ticks * int64 i))

        {
            Time = time
            Open = Array.copy close
            High = Array.copy close
            Low = Array.copy close
            Close = Array.copy close
            Volume = Array.zeroCreate close.Length
        }

    /// Describes the series: size, span, inferred interval, gaps, duplicate times and out-of-order positions.
    let validate (candles: CandleColumns) : CandleReport =
        let time = candles.Time
        let n = time.Length
        let steps = Dictionary<int64, int>()

        for i in 1 .. n - 1 do
            let step = (time[i] - time[i - 1]).Ticks

            if step > 0L then
                match steps.TryGetValue step with
                | true, count -> steps[step] <- count + 1
                | _ -> steps[step] <- 1

        let interval =
            if steps.Count = 0 then
                None
            else
                steps
                |> Seq.maxBy (fun kv -> kv.Value, -kv.Key)
                |> fun kv -> Some(TimeSpan.FromTicks kv.Key)

        let gaps = ResizeArray()
        let duplicates = ResizeArray()
        let unsorted = ResizeArray()

        for i in 1 .. n - 1 do
            let step = (time[i] - time[i - 1]).Ticks

            if step = 0L then
                duplicates.Add time[i]
            elif step < 0L then
                unsorted.Add i
            else
                match interval with
                | Some unit when step > unit.Ticks ->
                    gaps.Add
                        {
                            After = time[i - 1]
                            Before = time[i]
                            MissingBars = int ((step - 1L) / unit.Ticks)
                        }
                | _ -> ()

        {
            Rows = n
            First = if n = 0 then None else Some time[0]
            Last = if n = 0 then None else Some time[n - 1]
            Interval = interval
            Gaps = List.ofSeq gaps
            Duplicates = List.ofSeq duplicates
            UnsortedPositions = List.ofSeq unsorted
        }

    /// Returns the candles when their times are strictly increasing, else the first offending position.
    let check (candles: CandleColumns) : Result<CandleColumns, CandleError> =
        let time = candles.Time

        let rec firstProblem i =
            if i >= time.Length then
                Ok candles
            elif time[i] = time[i - 1] then
                Error(CandleError.Duplicate(i, time[i]))
            elif time[i] < time[i - 1] then
                Error(CandleError.Unsorted(i, time[i - 1], time[i]))
            else
                firstProblem (i + 1)

        firstProblem 1

    let private column (frame: Deedle.Frame<DateTimeOffset, string>) (name: string) =
        if frame.ColumnKeys |> Seq.contains name then
            frame.GetColumn<float>(name) |> SeriesArray.values |> Ok
        else
            Error(CandleError.MissingColumn name)

    /// Reads a frame with columns open, high, low, close and volume (missing values become NaN) indexed by bar
    /// open time. Returns an error for a missing column or for times that are not strictly increasing.
    let ofFrame (frame: Deedle.Frame<DateTimeOffset, string>) : Result<CandleColumns, CandleError> =
        let read = column frame

        match read "open", read "high", read "low", read "close", read "volume" with
        | Ok o, Ok h, Ok l, Ok c, Ok v -> ofArrays (Array.ofSeq frame.RowKeys) o h l c v |> check
        | Error e, _, _, _, _
        | _, Error e, _, _, _
        | _, _, Error e, _, _
        | _, _, _, Error e, _
        | _, _, _, _, Error e -> Error e

    /// A frame with columns open, high, low, close and volume indexed by bar open time (UTC).
    let toFrame (candles: CandleColumns) : Deedle.Frame<DateTimeOffset, string> =
        SeriesArray.frame
            candles.Time
            [
                "open", candles.Open
                "high", candles.High
                "low", candles.Low
                "close", candles.Close
                "volume", candles.Volume
            ]
