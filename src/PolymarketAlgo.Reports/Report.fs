namespace PolymarketAlgo.Reports

/// Placeholder.
[<RequireQualifiedAccess>]
module Report =
    /// Placeholder.
    let version = 0
