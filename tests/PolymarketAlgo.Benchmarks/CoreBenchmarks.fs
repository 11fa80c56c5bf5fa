module PolymarketAlgo.Benchmarks.CoreBenchmarks

open BenchmarkDotNet.Attributes

[<MemoryDiagnoser>]
type Placeholder() =
    [<Benchmark>]
    member _.Nothing() = 0
