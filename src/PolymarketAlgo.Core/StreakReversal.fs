namespace PolymarketAlgo.Core

/// Placeholder: StreakReversal is being written.
[<RequireQualifiedAccess>]
module StreakReversalPlaceholder =
    /// Placeholder value.
    let pending = ()
