module PolymarketAlgo.Core.Tests.OverfittingTests

open System
open Expecto
open FsCheck
open PolymarketAlgo.Core
open PolymarketAlgo.Tests.TestHelpers

let private naiveMoments (values: float[]) =
    let n = float values.Length
    let mean = Array.average values

    let central power =
        values |> Array.averageBy (fun v -> Math.Pow(v - mean, power))

    let variance = central 2.0
    mean, variance, central 3.0 / Math.Pow(variance, 1.5), central 4.0 / (variance * variance), n

/// Seeded standard normal draws (Box–Muller) so the tests are repeatable.
let private normals (seed: int) (count: int) =
    let random = Random(seed)

    Array.init count (fun _ ->
        let u1 = 1.0 - random.NextDouble()
        let u2 = random.NextDouble()
        sqrt (-2.0 * log u1) * cos (2.0 * Math.PI * u2))

/// Blocks of per-period returns for every trial, as moments.
let private blockMomentsOf (returns: float[][]) (blocks: int) =
    returns
    |> Array.map (fun series ->
        let size = series.Length / blocks
        Array.init blocks (fun b -> ReturnMoments.ofArray series[b * size .. (b + 1) * size - 1]))

[<Tests>]
let tests =
    testList
        "Overfitting"
        [
            testList
                "ReturnMoments"
                [
                    testProp "match the two-pass formulas on any series"
                    <| fun (values: NormalFloat list) ->
                        let values = values |> List.map (fun v -> v.Get % 1000.0) |> Array.ofList

                        if values.Length >= 3 && (Array.max values - Array.min values) > 1e-3 then
                            let mean, variance, skew, kurt, _ = naiveMoments values
                            let moments = ReturnMoments.ofArray values
                            close 1e-9 moments.Mean mean "mean"
                            close (1e-9 * max 1.0 variance) moments.Variance variance "variance"
                            close 1e-5 moments.Skewness skew "skewness"
                            close 1e-5 moments.Kurtosis kurt "kurtosis"

                    testCase "merging two halves equals the whole"
                    <| fun () ->
                        let values = normals 7 1000

                        let merged =
                            ReturnMoments.merge
                                (ReturnMoments.ofArray values[..499])
                                (ReturnMoments.ofArray values[500..])

                        let whole = ReturnMoments.ofArray values
                        close 1e-9 merged.Sharpe whole.Sharpe "Sharpe"
                        close 1e-9 merged.Kurtosis whole.Kurtosis "kurtosis"
                ]

            testList
                "deflated Sharpe"
                [
                    testCase "expected maximum of 100 unskilled trials is close to the simulated maximum"
                    <| fun () ->
                        let expected = Overfitting.expectedMaxSharpe 100 1.0
                        let draws = 4000

                        let simulated =
                            Array.init draws (fun i -> normals (1000 + i) 100 |> Array.max) |> Array.average

                        Expect.isTrue
                            (abs (expected - simulated) / simulated < 0.02)
                            $"formula {expected} vs simulation {simulated}"

                    testCase "expected maximum scales with the standard deviation of the trials' Sharpe ratios"
                    <| fun () ->
                        close
                            1e-12
                            (Overfitting.expectedMaxSharpe 50 4.0)
                            (2.0 * Overfitting.expectedMaxSharpe 50 1.0)
                            "scaling"

                        Expect.equal (Overfitting.expectedMaxSharpe 1 3.0) 0.0 "one trial has no selection bias"

                    testCase "probabilistic Sharpe is Φ(1) when the standardised excess is exactly one"
                    <| fun () ->
                        // 1 − 0.05·0.1 + (3 − 1)/4·0.01 = 1, so z = 0.1·√100 / 1 = 1.
                        let psr = Overfitting.probabilisticSharpe 0.1 0.0 101 0.05 3.0
                        close 1e-12 psr 0.8413447460685429 "Φ(1)"

                    testCase "a single trial is not deflated"
                    <| fun () ->
                        let returns = normals 3 500 |> Array.map (fun r -> r + 0.1)
                        let moments = ReturnMoments.ofArray returns
                        let dsr = Overfitting.deflatedSharpe [| moments.Sharpe |] moments

                        let psr =
                            Overfitting.probabilisticSharpe moments.Sharpe 0.0 500 moments.Skewness moments.Kurtosis

                        Expect.equal dsr.Probability psr "DSR of one trial = PSR against 0"

                    testCase "more trials with dispersed Sharpe ratios deflate more"
                    <| fun () ->
                        let moments =
                            ReturnMoments.ofArray (normals 5 1000 |> Array.map (fun r -> r + 0.08))

                        let few = Overfitting.deflatedSharpe [| moments.Sharpe; 0.0; 0.02 |] moments

                        let many =
                            Overfitting.deflatedSharpe (Array.init 500 (fun i -> float (i % 10) * 0.01)) moments

                        Expect.isLessThan many.Probability few.Probability "500 trials deflate more than 3"
                ]

            testList
                "probability of backtest overfitting"
                [
                    testCase "is 1 when the in-sample winner is always the out-of-sample loser"
                    <| fun () ->
                        // 4 blocks, 6 trials: trial k earns +1 in the two blocks of the k-th combination and −1 elsewhere.
                        let combos = [| [ 0; 1 ]; [ 0; 2 ]; [ 0; 3 ]; [ 1; 2 ]; [ 1; 3 ]; [ 2; 3 ] |]

                        let returns =
                            combos
                            |> Array.mapi (fun k good ->
                                Array.init 400 (fun t ->
                                    let block = t / 100
                                    let noise = float ((t * 7 + k * 13) % 5) * 0.01
                                    (if List.contains block good then 1.0 else -1.0) + noise))

                        let pbo = Overfitting.probabilityOfOverfitting (blockMomentsOf returns 4)
                        Expect.equal pbo.Splits 6 "C(4,2) splits"
                        Expect.equal pbo.Probability 1.0 "always overfit"

                    testCase "is 0 when one trial dominates every block"
                    <| fun () ->
                        let returns =
                            Array.init 10 (fun k ->
                                let shift = if k = 3 then 0.5 else 0.0
                                normals (100 + k) 1600 |> Array.map (fun r -> r + shift))

                        let pbo = Overfitting.probabilityOfOverfitting (blockMomentsOf returns 16)
                        Expect.equal pbo.Splits 12870 "C(16,8) splits"
                        Expect.equal pbo.Probability 0.0 "never overfit"

                    testCase "is near one half for pure noise"
                    <| fun () ->
                        let returns = Array.init 50 (fun k -> normals (500 + k) 800)
                        let pbo = Overfitting.probabilityOfOverfitting (blockMomentsOf returns 8)
                        Expect.isTrue (pbo.Probability > 0.25 && pbo.Probability < 0.75) $"PBO {pbo.Probability}"

                    testCase "rejects an odd number of blocks"
                    <| fun () ->
                        let returns = Array.init 3 (fun k -> normals k 90)

                        Expect.throwsT<ArgumentException>
                            (fun () -> Overfitting.probabilityOfOverfitting (blockMomentsOf returns 3) |> ignore)
                            "odd block count"
                ]
        ]
