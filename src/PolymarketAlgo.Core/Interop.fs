namespace PolymarketAlgo.Core

/// Placeholder: Interop is being written.
[<RequireQualifiedAccess>]
module InteropPlaceholder =
    /// Placeholder value.
    let pending = ()
