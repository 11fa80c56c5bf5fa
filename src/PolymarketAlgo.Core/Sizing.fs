namespace PolymarketAlgo.Core

/// Placeholder: Sizing is being written.
[<RequireQualifiedAccess>]
module SizingPlaceholder =
    /// Placeholder value.
    let pending = ()
