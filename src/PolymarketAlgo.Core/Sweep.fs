namespace PolymarketAlgo.Core

/// Placeholder: Sweep is being written.
[<RequireQualifiedAccess>]
module SweepPlaceholder =
    /// Placeholder value.
    let pending = ()
