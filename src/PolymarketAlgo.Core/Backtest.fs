namespace PolymarketAlgo.Core

/// Placeholder: Backtest is being written.
[<RequireQualifiedAccess>]
module BacktestPlaceholder =
    /// Placeholder value.
    let pending = ()
