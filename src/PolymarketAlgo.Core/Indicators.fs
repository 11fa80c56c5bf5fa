namespace PolymarketAlgo.Core

/// Placeholder: Indicators is being written.
[<RequireQualifiedAccess>]
module IndicatorsPlaceholder =
    /// Placeholder value.
    let pending = ()
