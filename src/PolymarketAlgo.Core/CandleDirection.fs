namespace PolymarketAlgo.Core

/// Placeholder: CandleDirection is being written.
[<RequireQualifiedAccess>]
module CandleDirectionPlaceholder =
    /// Placeholder value.
    let pending = ()
