namespace PolymarketAlgo.Core

/// Placeholder: Metrics is being written.
[<RequireQualifiedAccess>]
module MetricsPlaceholder =
    /// Placeholder value.
    let pending = ()
