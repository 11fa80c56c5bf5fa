// Shared references of the research scripts: the assemblies built by `dotnet fsi build.fsx build`
// (the CLI's output folder holds Core, Data, Reports and every dependency).
#I "../src/PolymarketAlgo.Cli/bin/Release/net10.0"
#r "Deedle.dll"
#r "MathNet.Numerics.dll"
#r "PolymarketAlgo.Core.dll"
#r "PolymarketAlgo.Data.dll"
#r "Plotly.NET.dll"
#r "PolymarketAlgo.Reports.dll"

open System
open System.IO

/// True when the script runs as the build's smoke check (`--smoke`): small data, quick.
let smoke = fsi.CommandLineArgs |> Array.contains "--smoke"

/// The data path: the first argument that is not a flag, else the shared BTCUSDT 5m spot set.
let dataPath =
    fsi.CommandLineArgs
    |> Array.skip 1
    |> Array.tryFind (fun arg -> not (arg.StartsWith "--"))
    |> Option.defaultValue (
        Path.Combine(__SOURCE_DIRECTORY__, "..", "..", "shared", "data", "binance", "btcusdt_spot_5m")
    )

/// Where scripts write their reports.
let reportDirectory =
    let dir = Path.Combine(__SOURCE_DIRECTORY__, "..", "artifacts", "reports")
    Directory.CreateDirectory dir |> ignore
    dir
