module PolymarketAlgo.Benchmarks.Main

open BenchmarkDotNet.Running

[<EntryPoint>]
let main argv =
    BenchmarkSwitcher.FromAssembly(typeof<CoreBenchmarks.Placeholder>.Assembly).Run(argv) |> ignore
    0
