namespace PolymarketAlgo.Core

/// Placeholder: Strategies is being written.
[<RequireQualifiedAccess>]
module StrategiesPlaceholder =
    /// Placeholder value.
    let pending = ()
