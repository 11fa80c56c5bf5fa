// Example plugin written as an F# script. Copy it into ~/.polymarket-algo/plugins (or a folder given with
// --plugins); polymarket-algo compiles it when it loads the folder, with PolymarketAlgo.Core and FSharp.Core
// referenced for you. Public classes implementing IStrategy or IIndicator with a parameterless constructor
// become strategies and indicators. The #r below only serves editors and `dotnet fsi` in this repository.
#if !COMPILED
#r "../../src/PolymarketAlgo.Core/bin/Release/net10.0/PolymarketAlgo.Core.dll"
#endif

open System.Collections.Generic
open PolymarketAlgo.Core

/// Momentum: close[t] − close[t − period] (NaN during the first `period` bars).
type MomentumIndicator() =
    let defaults: IReadOnlyDictionary<string, float> =
        Dictionary<string, float>(dict [ "period", 10.0 ]) :> _

    interface IIndicator with
        member _.Name = "momentum"
        member _.DefaultParameters = defaults
        member _.OutputNames = [| "momentum" |] :> IReadOnlyList<string>

        member _.Compute(input, parameters) =
            let period =
                match parameters with
                | null -> 10
                | p ->
                    match p.TryGetValue "period" with
                    | true, value -> int value
                    | _ -> 10

            [|
                Array.init input.Length (fun t -> if t < period then nan else input[t] - input[t - period])
            |]

/// Trend following: bet Up while the close is above its SMA, Down while below (no bet on the SMA or in warm-up).
type SmaTrendStrategy() =
    let defaults: IReadOnlyDictionary<string, float> =
        Dictionary<string, float>(dict [ "period", 20.0; "size", 10.0 ]) :> _

    let grid: IReadOnlyList<ParameterRange> =
        [|
            {
                Name = "period"
                Values = [| 10.0; 20.0; 50.0 |]
            }
        |]
        :> _

    interface IStrategy with
        member _.Name = "sma-trend"
        member _.Description = "Trend following: Up above the SMA, Down below it"
        member _.Timeframe = "5m"
        member _.DefaultParameters = defaults
        member _.ParameterGrid = grid

        member _.Evaluate(input, parameters, destination) =
            let read key =
                match parameters with
                | null -> defaults[key]
                | p ->
                    match p.TryGetValue key with
                    | true, value -> value
                    | _ -> defaults[key]

            let sma =
                input.Indicators.Get(Indicator.smaIndicator, Indicator.parameters [ "period", read "period" ], 0)

            let close = input.Candles.Close
            let size = read "size"

            for t in 0 .. close.Length - 1 do
                let signal =
                    if System.Double.IsNaN sma[t] then
                        0
                    else
                        sign (close[t] - sma[t])

                destination.Signal[t] <- signal
                destination.Size[t] <- if signal = 0 then 0.0 else size
