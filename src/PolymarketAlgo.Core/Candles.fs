namespace PolymarketAlgo.Core

/// Placeholder: Candles is being written.
[<RequireQualifiedAccess>]
module CandlesPlaceholder =
    /// Placeholder value.
    let pending = ()
