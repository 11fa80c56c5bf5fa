namespace PolymarketAlgo.Core

/// Moments of a return series, accumulated as power sums so that blocks can be merged.
[<Struct>]
type ReturnMoments =
    {
        Count: float
        Sum: float
        SumSquares: float
        SumCubes: float
        SumFourths: float
    }

    /// Mean (0 for an empty series).
    member this.Mean = if this.Count = 0.0 then 0.0 else this.Sum / this.Count

    /// Population variance.
    member this.Variance =
        if this.Count = 0.0 then
            0.0
        else
            max 0.0 (this.SumSquares / this.Count - this.Mean * this.Mean)

    /// Per-observation Sharpe ratio: mean over population standard deviation (0 when the deviation is 0).
    member this.Sharpe =
        let sd = sqrt this.Variance
        if sd = 0.0 then 0.0 else this.Mean / sd

    /// Skewness (third standardised moment; 0 when the deviation is 0).
    member this.Skewness =
        let sd = sqrt this.Variance

        if sd = 0.0 then
            0.0
        else
            let m = this.Mean
            let n = this.Count

            let central3 = this.SumCubes / n - 3.0 * m * this.SumSquares / n + 2.0 * m * m * m

            central3 / (sd * sd * sd)

    /// Kurtosis (fourth standardised moment, not excess: 3 for a normal distribution; 3 when the deviation is 0).
    member this.Kurtosis =
        let variance = this.Variance

        if variance = 0.0 then
            3.0
        else
            let m = this.Mean
            let n = this.Count

            let central4 =
                this.SumFourths / n - 4.0 * m * this.SumCubes / n
                + 6.0 * m * m * this.SumSquares / n
                - 3.0 * m * m * m * m

            central4 / (variance * variance)

/// Functions over `ReturnMoments`.
[<RequireQualifiedAccess>]
module ReturnMoments =
    /// No observations.
    let empty =
        {
            Count = 0.0
            Sum = 0.0
            SumSquares = 0.0
            SumCubes = 0.0
            SumFourths = 0.0
        }

    /// Adds one observation.
    let add (moments: ReturnMoments) (value: float) =
        let squared = value * value

        {
            Count = moments.Count + 1.0
            Sum = moments.Sum + value
            SumSquares = moments.SumSquares + squared
            SumCubes = moments.SumCubes + squared * value
            SumFourths = moments.SumFourths + squared * squared
        }

    /// Merges the observations of two series.
    let merge (a: ReturnMoments) (b: ReturnMoments) =
        {
            Count = a.Count + b.Count
            Sum = a.Sum + b.Sum
            SumSquares = a.SumSquares + b.SumSquares
            SumCubes = a.SumCubes + b.SumCubes
            SumFourths = a.SumFourths + b.SumFourths
        }

    /// The moments of an array of returns.
    let ofArray (values: float[]) = Array.fold add empty values
