namespace PolymarketAlgo.Core

open System.Collections.Generic
open System.Threading.Tasks

/// One parameter combination of a sweep and how it did.
type SweepRow =
    {
        Parameters: Map<string, float>
        Metrics: Metrics
        /// Moments of the combination's per-trade P&L (used by the Deflated Sharpe Ratio).
        TradeMoments: ReturnMoments
    }

/// How a sweep runs and ranks.
type SweepSettings =
    {
        /// Ranking key, descending (the original ranks by win rate, then total P&L).
        Rank: RankKey
        /// Worker threads (1 = sequential); the result does not depend on it.
        MaxDegreeOfParallelism: int
        /// Contiguous time blocks for the CSCV overfitting estimate (even, ≥ 2; 0 disables it).
        OverfittingBlocks: int
    }

/// A ranked sweep with its overfitting statistics.
type SweepResult =
    {
        Strategy: string
        /// Every combination, best first.
        Rows: SweepRow[]
        /// Deflated Sharpe Ratio of the best row, deflated by the number of combinations tried.
        DeflatedSharpe: DeflatedSharpe
        /// Probability of Backtest Overfitting (None when disabled or with fewer than two combinations).
        Overfitting: BacktestOverfitting option
    }

    /// The Probability of Backtest Overfitting when it was computed, in the form C# reads without F# options.
    member this.TryGetOverfitting
        ([<System.Runtime.InteropServices.Out>] overfitting: byref<BacktestOverfitting>)
        : bool =
        match this.Overfitting with
        | Some value ->
            overfitting <- value
            true
        | None ->
            overfitting <- Unchecked.defaultof<BacktestOverfitting>
            false

/// Parameter sweeps over a strategy's grid: every combination backtested, in parallel, ranked, with
/// overfitting statistics. Each distinct indicator is computed once per sweep (a shared cache) and each
/// worker reuses one signal buffer, so a combination costs one strategy evaluation and one array pass.
[<RequireQualifiedAccess>]
module Sweep =
    /// Rank by win rate then total P&L (the original's order), on one thread per core the caller allows,
    /// with 16 CSCV blocks.
    let defaultSettings: SweepSettings =
        {
            Rank = RankKey.WinRate
            MaxDegreeOfParallelism = 1
            OverfittingBlocks = 16
        }

    /// Descending comparison of two metrics under a ranking key (0 when they tie).
    let compare (rank: RankKey) (a: Metrics) (b: Metrics) : int =
        let descending (x: float) (y: float) = Operators.compare y x

        match rank with
        | RankKey.WinRate ->
            match descending a.WinRate b.WinRate with
            | 0 -> descending a.TotalPnl b.TotalPnl
            | order -> order
        | RankKey.TotalPnl -> descending a.TotalPnl b.TotalPnl
        | RankKey.Sharpe -> descending a.SharpePerTrade b.SharpePerTrade
        | _ -> invalidArg (nameof rank) $"unknown rank key {rank}"

    /// Indexes of `metrics` from best to worst; ties keep grid order (a stable sort, like the original).
    let rankOrder (rank: RankKey) (metrics: Metrics[]) : int[] =
        Array.init metrics.Length id
        |> Array.sortWith (fun i j ->
            match compare rank metrics[i] metrics[j] with
            | 0 -> Operators.compare i j
            | order -> order)

    /// Evaluates every combination in parallel with one reused signal buffer per worker and calls
    /// `measure combination signals` on each; results come back in grid order whatever the thread count.
    let evaluateAll
        (maxDegreeOfParallelism: int)
        (strategy: IStrategy)
        (candles: CandleColumns)
        (combinations: Map<string, float>[])
        (measure: int -> Signals -> 'Result)
        : 'Result[] =
        if maxDegreeOfParallelism < 1 then
            invalidArg (nameof maxDegreeOfParallelism) "at least one worker is needed"

        let input =
            {
                Candles = candles
                Indicators = IndicatorCache(candles.Close)
            }

        let results = Array.zeroCreate combinations.Length
        let options = ParallelOptions(MaxDegreeOfParallelism = maxDegreeOfParallelism)

        Parallel.For(
            0,
            combinations.Length,
            options,
            (fun () -> Signals.Create candles.Length),
            (fun index _ (buffer: Signals) ->
                System.Array.Clear buffer.Signal
                System.Array.Clear buffer.Size
                strategy.Evaluate(input, combinations[index] :> IReadOnlyDictionary<string, float>, buffer)
                results[index] <- measure index buffer
                buffer),
            ignore
        )
        |> ignore

        results

    /// Backtests every combination of `grid` (the strategy's grid or a narrowed copy) and ranks them.
    let run
        (settings: BacktestSettings)
        (sweep: SweepSettings)
        (strategy: IStrategy)
        (candles: CandleColumns)
        (grid: ParameterRange seq)
        : SweepResult =
        let combinations = Strategy.gridCombinations (Array.ofSeq grid)

        if combinations.Length = 0 then
            invalidArg (nameof grid) "the grid has no combination"

        let blocks =
            if combinations.Length >= 2 then
                sweep.OverfittingBlocks
            else
                0

        let statistics =
            evaluateAll sweep.MaxDegreeOfParallelism strategy candles combinations (fun _ signals ->
                let tradeMoments, blockMoments =
                    Backtest.momentsBetween settings candles signals 0 candles.Length blocks

                Backtest.metrics settings candles signals, tradeMoments, blockMoments)

        let order =
            rankOrder sweep.Rank (statistics |> Array.map (fun (metrics, _, _) -> metrics))

        let rows =
            order
            |> Array.map (fun index ->
                let metrics, tradeMoments, _ = statistics[index]

                {
                    Parameters = combinations[index]
                    Metrics = metrics
                    TradeMoments = tradeMoments
                })

        let overfitting =
            if blocks >= 2 then
                Some(Overfitting.probabilityOfOverfitting (statistics |> Array.map (fun (_, _, blocks) -> blocks)))
            else
                None

        {
            Strategy = strategy.Name
            Rows = rows
            DeflatedSharpe =
                Overfitting.deflatedSharpe
                    (statistics |> Array.map (fun (_, tradeMoments, _) -> tradeMoments.Sharpe))
                    rows[0].TradeMoments
            Overfitting = overfitting
        }
