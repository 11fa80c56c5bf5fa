namespace PolymarketAlgo.Core

open System
open MathNet.Numerics.Distributions

/// The Deflated Sharpe Ratio of the best trial of a sweep.
type DeflatedSharpe =
    {
        /// Per-observation Sharpe ratio of the selected trial.
        Sharpe: float
        /// Expected maximum Sharpe ratio of `Trials` unskilled trials with the sweep's Sharpe variance.
        ExpectedMaxSharpe: float
        /// Number of trials (parameter combinations) tried.
        Trials: int
        /// Number of observations behind the selected trial's Sharpe ratio.
        Observations: int
        /// Probability that the true Sharpe ratio exceeds the expected maximum of unskilled trials.
        Probability: float
    }

/// The Probability of Backtest Overfitting estimated by combinatorially symmetric cross-validation.
type BacktestOverfitting =
    {
        /// Fraction of splits where the in-sample best trial ranks at or below the out-of-sample median.
        Probability: float
        /// Number of train/test splits evaluated (C(S, S/2)).
        Splits: int
        /// Number of blocks the history was cut into.
        Blocks: int
        /// The logit of the out-of-sample relative rank of the in-sample best trial, one per split.
        Logits: float[]
    }

/// Overfitting statistics on a sweep: the Deflated Sharpe Ratio (Bailey & López de Prado 2014) and the
/// Probability of Backtest Overfitting by CSCV (Bailey, Borwein, López de Prado & Zhu 2015).
[<RequireQualifiedAccess>]
module Overfitting =
    let private eulerMascheroni = 0.57721566490153286

    /// Expected maximum Sharpe ratio of `trials` independent unskilled trials whose Sharpe ratios have
    /// variance `sharpeVariance` (the False Strategy theorem). 0 for a single trial.
    let expectedMaxSharpe (trials: int) (sharpeVariance: float) : float =
        if trials < 1 then
            invalidArg (nameof trials) "at least one trial is needed"
        elif trials = 1 then
            0.0
        else
            let n = float trials

            sqrt sharpeVariance
            * ((1.0 - eulerMascheroni) * Normal.InvCDF(0.0, 1.0, 1.0 - 1.0 / n)
               + eulerMascheroni * Normal.InvCDF(0.0, 1.0, 1.0 - 1.0 / (n * Math.E)))

    /// Probabilistic Sharpe Ratio: the probability that the true per-observation Sharpe ratio exceeds
    /// `benchmark`, given the observed one over `observations` returns with the given skewness and
    /// (non-excess) kurtosis.
    let probabilisticSharpe
        (observed: float)
        (benchmark: float)
        (observations: int)
        (skewness: float)
        (kurtosis: float)
        : float =
        if observations < 2 then
            0.0
        else
            let denominator =
                1.0 - skewness * observed + (kurtosis - 1.0) / 4.0 * observed * observed

            if denominator <= 0.0 then
                if observed > benchmark then 1.0 else 0.0
            else
                Normal.CDF(0.0, 1.0, (observed - benchmark) * sqrt (float observations - 1.0) / sqrt denominator)

    /// Deflated Sharpe Ratio of the selected trial, with the number of trials and the Sharpe variance taken
    /// from `trialSharpes` (the per-observation Sharpe ratio of every combination of the sweep).
    let deflatedSharpe (trialSharpes: float[]) (selected: ReturnMoments) : DeflatedSharpe =
        if trialSharpes.Length = 0 then
            invalidArg (nameof trialSharpes) "a sweep needs at least one trial"

        let mean = Array.average trialSharpes

        let variance = trialSharpes |> Array.averageBy (fun s -> (s - mean) * (s - mean))

        let expectedMax = expectedMaxSharpe trialSharpes.Length variance
        let observations = int selected.Count

        {
            Sharpe = selected.Sharpe
            ExpectedMaxSharpe = expectedMax
            Trials = trialSharpes.Length
            Observations = observations
            Probability =
                probabilisticSharpe selected.Sharpe expectedMax observations selected.Skewness selected.Kurtosis
        }

    /// Every way to choose `half` of `count` items, as index arrays in lexicographic order.
    let private combinations (count: int) (half: int) =
        let rec choose start remaining =
            if remaining = 0 then
                [ [] ]
            else
                [
                    for first in start .. count - remaining do
                        for rest in choose (first + 1) (remaining - 1) -> first :: rest
                ]

        choose 0 half |> List.map Array.ofList |> Array.ofList

    /// Probability of Backtest Overfitting by CSCV. `blockMoments[trial][block]` holds the per-period
    /// return moments of each trial in each of S contiguous time blocks (S even, at least 2, the same for
    /// every trial). Performance is the per-observation Sharpe ratio.
    let probabilityOfOverfitting (blockMoments: ReturnMoments[][]) : BacktestOverfitting =
        if blockMoments.Length < 2 then
            invalidArg (nameof blockMoments) "CSCV needs at least two trials"

        let blocks = blockMoments[0].Length

        if blocks < 2 || blocks % 2 <> 0 then
            invalidArg (nameof blockMoments) "CSCV needs an even number of blocks, at least 2"

        if blockMoments |> Array.exists (fun row -> row.Length <> blocks) then
            invalidArg (nameof blockMoments) "every trial needs the same number of blocks"

        let trials = blockMoments.Length
        let totals = blockMoments |> Array.map (Array.reduce ReturnMoments.merge)
        let splits = combinations blocks (blocks / 2)

        let logits =
            splits
            |> Array.Parallel.map (fun trainBlocks ->
                let train = Array.zeroCreate<float> trials
                let test = Array.zeroCreate<float> trials

                for trial in 0 .. trials - 1 do
                    let mutable inSample = ReturnMoments.empty

                    for block in trainBlocks do
                        inSample <- ReturnMoments.merge inSample (blockMoments[trial][block])

                    let total = totals[trial]

                    let outOfSample =
                        {
                            Count = total.Count - inSample.Count
                            Sum = total.Sum - inSample.Sum
                            SumSquares = total.SumSquares - inSample.SumSquares
                            SumCubes = total.SumCubes - inSample.SumCubes
                            SumFourths = total.SumFourths - inSample.SumFourths
                        }

                    train[trial] <- inSample.Sharpe
                    test[trial] <- outOfSample.Sharpe

                let best =
                    let mutable index = 0

                    for trial in 1 .. trials - 1 do
                        if train[trial] > train[index] then
                            index <- trial

                    index

                let chosen = test[best]
                let mutable below = 0.0
                let mutable ties = 0.0

                for trial in 0 .. trials - 1 do
                    if trial <> best then
                        if test[trial] < chosen then
                            below <- below + 1.0
                        elif test[trial] = chosen then
                            ties <- ties + 1.0

                let relativeRank = (below + 0.5 * ties + 1.0) / (float trials + 1.0)
                log (relativeRank / (1.0 - relativeRank)))

        {
            Probability =
                (logits |> Array.filter (fun logit -> logit <= 0.0) |> Array.length |> float)
                / float logits.Length
            Splits = splits.Length
            Blocks = blocks
            Logits = logits
        }
