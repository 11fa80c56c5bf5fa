namespace PolymarketAlgo.Core

/// Placeholder: WalkForward is being written.
[<RequireQualifiedAccess>]
module WalkForwardPlaceholder =
    /// Placeholder value.
    let pending = ()
