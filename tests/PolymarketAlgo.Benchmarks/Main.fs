module PolymarketAlgo.Benchmarks.Main

open BenchmarkDotNet.Running

[<EntryPoint>]
let main argv =
    BenchmarkSwitcher.FromAssembly(typeof<CoreBenchmarks.EmaBenchmark>.Assembly).Run(argv)
    |> ignore

    0
