namespace PolymarketAlgo.Core

/// Placeholder: Overfitting is being written.
[<RequireQualifiedAccess>]
module OverfittingPlaceholder =
    /// Placeholder value.
    let pending = ()
