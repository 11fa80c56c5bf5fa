namespace PolymarketAlgo.Core

/// Placeholder: Copytrade is being written.
[<RequireQualifiedAccess>]
module CopytradePlaceholder =
    /// Placeholder value.
    let pending = ()
