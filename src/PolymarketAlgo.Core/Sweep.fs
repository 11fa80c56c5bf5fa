namespace PolymarketAlgo.Core

/// One parameter combination of a sweep and how it did.
type SweepRow =
    { Parameters: Map<string, float>
      Metrics: Metrics
      /// Moments of the combination's per-trade P&L (used by the Deflated Sharpe Ratio).
      TradeMoments: ReturnMoments }

/// How a sweep runs and ranks.
type SweepSettings =
    { /// Ranking key, descending (the original ranks by win rate, then total P&L).
      Rank: RankKey
      /// Worker threads (1 = sequential); the result does not depend on it.
      MaxDegreeOfParallelism: int
      /// Contiguous time blocks for the CSCV overfitting estimate (even, ≥ 2; 0 disables it).
      OverfittingBlocks: int }

/// A ranked sweep with its overfitting statistics.
type SweepResult =
    { Strategy: string
      /// Every combination, best first.
      Rows: SweepRow[]
      /// Deflated Sharpe Ratio of the best row, deflated by the number of combinations tried.
      DeflatedSharpe: DeflatedSharpe
      /// Probability of Backtest Overfitting (None when disabled or with fewer than two combinations).
      Overfitting: BacktestOverfitting option }
