namespace PolymarketAlgo.Core

open System
open System.Collections.Generic

/// Why a strategy could not be found or evaluated.
[<RequireQualifiedAccess>]
type StrategyError =
    /// No built-in strategy has this name.
    | UnknownStrategy of Name: string
    /// The strategy has no parameter with this name.
    | UnknownParameter of Strategy: string * Parameter: string
    /// The candle frame was rejected.
    | InvalidCandles of CandleError

/// The built-in strategies and helpers to evaluate them.
[<RequireQualifiedAccess>]
module Strategy =

    /// The built-in strategies: streak-reversal and candle-direction.
    let builtIn: IStrategy list = [ StreakReversal.strategy; CandleDirection.strategy ]

    /// The built-in strategy with this name, if any.
    let tryFind (name: string) : IStrategy option =
        builtIn |> List.tryFind (fun strategy -> strategy.Name = name)

    /// The built-in strategy with this name, or `UnknownStrategy`.
    let find (name: string) : Result<IStrategy, StrategyError> =
        match tryFind name with
        | Some strategy -> Ok strategy
        | None -> Error(StrategyError.UnknownStrategy name)

    /// Checks that every name in `parameters` is one of the strategy's parameters.
    let checkParameters (strategy: IStrategy) (parameters: Map<string, float>) : Result<unit, StrategyError> =
        match
            parameters
            |> Map.tryFindKey (fun name _ -> not (strategy.DefaultParameters.ContainsKey name))
        with
        | Some name -> Error(StrategyError.UnknownParameter(strategy.Name, name))
        | None -> Ok()

    /// Evaluates the strategy over the candles into fresh signals with a fresh indicator cache; missing parameters
    /// take their defaults and an unknown parameter name is an error.
    let evaluate
        (strategy: IStrategy)
        (candles: CandleColumns)
        (parameters: Map<string, float>)
        : Result<Signals, StrategyError> =
        checkParameters strategy parameters
        |> Result.map (fun () ->
            let signals = Signals.Create candles.Length

            let input =
                {
                    Candles = candles
                    Indicators = IndicatorCache(candles.Close)
                }

            strategy.Evaluate(input, Dictionary<string, float>(parameters), signals)
            signals)

    /// Every combination of the grid, first parameter varying slowest (Python's itertools.product). An empty grid
    /// gives one empty combination; a parameter without values gives none.
    let gridCombinations (grid: IReadOnlyList<ParameterRange>) : Map<string, float>[] =
        grid
        |> Seq.rev
        |> Seq.fold
            (fun (tails: Map<string, float> list) range ->
                [
                    for value in range.Values do
                        for tail in tails do
                            tail.Add(range.Name, value)
                ])
            [ Map.empty ]
        |> Array.ofList

    /// Evaluates the strategy over a candle frame: a frame on the same index with columns `signal` and `size`.
    let evaluateFrame
        (strategy: IStrategy)
        (candles: Deedle.Frame<DateTimeOffset, string>)
        (parameters: Map<string, float>)
        : Result<Deedle.Frame<DateTimeOffset, string>, StrategyError> =
        match Candles.ofFrame candles with
        | Error error -> Error(StrategyError.InvalidCandles error)
        | Ok columns ->
            evaluate strategy columns parameters
            |> Result.map (fun signals ->
                SeriesArray.frame columns.Time [ "signal", signals.Signal |> Array.map float; "size", signals.Size ])
