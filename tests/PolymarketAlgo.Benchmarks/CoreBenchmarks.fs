/// Research-core benchmarks: the speed targets of the research issues live here, never in unit tests.
module PolymarketAlgo.Benchmarks.CoreBenchmarks

open System
open System.IO
open BenchmarkDotNet.Attributes
open PolymarketAlgo.Core
open PolymarketAlgo.Data

/// The repository root, found from the benchmark binary.
let repoRoot =
    let rec up (dir: DirectoryInfo) =
        match dir with
        | null -> failwith "PolymarketAlgo.sln not found above the benchmark binary"
        | dir when File.Exists(Path.Combine(dir.FullName, "PolymarketAlgo.sln")) -> dir.FullName
        | dir -> up dir.Parent

    up (DirectoryInfo AppContext.BaseDirectory)

/// The 14 monthly BTCUSDT 5m spot files (122,976 bars).
let spotFolder =
    Path.Combine(repoRoot, "..", "shared", "data", "binance", "btcusdt_spot_5m")

let private spot = lazy (CandleLoader.Load spotFolder)

/// EMA over 1,000,000 bars; one operation is one bar.
[<MemoryDiagnoser; ShortRunJob>]
type EmaBenchmark() =
    let input =
        let random = Random(42)
        let values = Array.zeroCreate 1_000_000
        values[0] <- 100.0

        for i in 1 .. values.Length - 1 do
            values[i] <- values[i - 1] + random.NextDouble() - 0.5

        values

    let output = Array.zeroCreate<float> input.Length

    /// ns per bar (OperationsPerInvoke = bars) of the kernel, into a reused buffer.
    [<Benchmark(OperationsPerInvoke = 1_000_000)>]
    member _.EmaPerBar() = Indicator.emaInto 20 input output

    /// ns per bar including the allocation of a fresh 8 MB output array (a large-object-heap allocation).
    [<Benchmark(OperationsPerInvoke = 1_000_000)>]
    member _.EmaPerBarAllocating() = Indicator.ema 20 input

/// One StreakReversal evaluation plus backtest metrics over the 123k spot bars.
[<MemoryDiagnoser; ShortRunJob>]
type StreakBacktestBenchmark() =
    let candles = spot.Force()
    let signals = Signals.Create candles.Length

    let input =
        {
            Candles = candles
            Indicators = IndicatorCache(candles.Close)
        }

    let parameters = StreakReversal.strategy.DefaultParameters

    /// Evaluate (into a reused buffer) and backtest with Polymarket semantics.
    [<Benchmark>]
    member _.StreakBacktest123k() =
        StreakReversal.strategy.Evaluate(input, parameters, signals)
        Backtest.metrics Backtest.defaultSettings candles signals

/// The CandleDirection grid (1,944 combinations) over the 123k spot bars.
[<MemoryDiagnoser; ShortRunJob>]
type CandleDirectionGridBenchmark() =
    let candles = spot.Force()
    let combinations = Strategy.gridCombinations CandleDirection.strategy.ParameterGrid

    /// The whole grid, evaluated and backtested on both cores (indicators computed once per run).
    [<Benchmark>]
    member _.Grid1944() =
        Sweep.evaluateAll 2 CandleDirection.strategy candles combinations (fun _ signals ->
            Backtest.metrics Backtest.defaultSettings candles signals)

    /// The full sweep as the CLI runs it: metrics, trade moments, ranking, DSR and PBO (16 CSCV blocks).
    [<Benchmark>]
    member _.FullSweepWithOverfitting() =
        Sweep.run
            Backtest.defaultSettings
            { Sweep.defaultSettings with
                MaxDegreeOfParallelism = 2
            }
            CandleDirection.strategy
            candles
            CandleDirection.strategy.ParameterGrid

/// Loading the 14 monthly CSVs.
[<MemoryDiagnoser; ShortRunJob>]
type LoadBenchmark() =
    /// Parse and concatenate 122,976 bars.
    [<Benchmark>]
    member _.LoadSpot14Months() = CandleLoader.Load spotFolder
