namespace PolymarketAlgo.Core

/// Placeholder: Fees is being written.
[<RequireQualifiedAccess>]
module FeesPlaceholder =
    /// Placeholder value.
    let pending = ()
