namespace PolymarketAlgo.Core

open System
open System.Collections.Generic

/// Candles held as parallel columns: the fast representation every inner loop works on.
/// Times are UTC bar open times, strictly increasing (see `Candles.validate`).
type CandleColumns =
    {
        Time: DateTimeOffset[]
        Open: float[]
        High: float[]
        Low: float[]
        Close: float[]
        Volume: float[]
    }

    /// Number of bars.
    member this.Length = this.Close.Length

/// One named parameter and the values a sweep tries, in order.
type ParameterRange = { Name: string; Values: float[] }

/// A strategy's output: one entry per bar. `Signal` is +1 (bet Up), -1 (bet Down) or 0 (no bet);
/// `Size` is the number of shares bet on that bar (0 where there is no signal).
type Signals =
    {
        Signal: int[]
        Size: float[]
    }

    /// Allocates zeroed signals for `length` bars.
    static member Create(length: int) =
        {
            Signal = Array.zeroCreate length
            Size = Array.zeroCreate length
        }

    /// Number of bars.
    member this.Length = this.Signal.Length

/// An indicator usable from F# and C#: a name, default parameters, named output columns and a
/// computation over one input series. Warm-up values are NaN unless the indicator documents otherwise.
type IIndicator =
    /// Registry name, lower case (for example "ema").
    abstract Name: string
    /// Default parameters by name.
    abstract DefaultParameters: IReadOnlyDictionary<string, float>
    /// Names of the output columns, in the order `Compute` returns them.
    abstract OutputNames: IReadOnlyList<string>
    /// Computes every output column over `input`; missing parameters take their defaults.
    abstract Compute: input: float[] * parameters: IReadOnlyDictionary<string, float> -> float[][]

/// What a strategy evaluates: the candles and a cache that computes each distinct indicator
/// (name and parameters) once, shared by every parameter combination of a sweep.
[<AllowNullLiteral>]
type IIndicatorCache =
    /// The output column `output` of `indicator` over the close prices, computed at most once per key.
    abstract Get: indicator: IIndicator * parameters: IReadOnlyDictionary<string, float> * output: int -> float[]

/// The input of a strategy evaluation.
type StrategyInput =
    {
        Candles: CandleColumns
        Indicators: IIndicatorCache
    }

/// A strategy usable from F# and C#. `Evaluate` writes one signal and size per bar into `destination`
/// (pre-allocated to the candle count and zeroed), so sweeps reuse buffers. A strategy must not look
/// ahead: the output at bar t may depend only on bars 0..t.
type IStrategy =
    /// Registry name, kebab case (for example "streak-reversal").
    abstract Name: string
    /// One-line description.
    abstract Description: string
    /// The bar interval the strategy is designed for (for example "5m").
    abstract Timeframe: string
    /// Default parameters by name.
    abstract DefaultParameters: IReadOnlyDictionary<string, float>
    /// The sweep grid: parameters in order, each with its values in order.
    abstract ParameterGrid: IReadOnlyList<ParameterRange>

    /// Writes signals and sizes for every bar into `destination`.
    abstract Evaluate:
        input: StrategyInput * parameters: IReadOnlyDictionary<string, float> * destination: Signals -> unit

/// How a backtest turns a signal into a resolved bet.
type Semantics =
    /// Polymarket's rules: Up wins when the next close is at least this close (a tie resolves Up),
    /// the last bar is never traded, per-share P&L is 1 − p on a win and −p on a loss, taker fee at entry.
    | Polymarket = 0
    /// The original Python engine, bit for bit: buy at 0.50, payout 0.95, a flat bar counts as Down,
    /// the last bar is traded (and resolves Down).
    | Seed = 1

/// Backtest settings. Prices and fees are probabilities and fractions of a $1 share.
type BacktestSettings =
    {
        Semantics: Semantics
        /// Fixed entry price of the Up share (Polymarket semantics); the original buys at 0.50.
        EntryPrice: float
        /// Optional per-bar price of the Up share; a Down bet then costs 1 − price. Overrides `EntryPrice`.
        EntryPrices: float[] option
        /// Crypto taker fee rate (0.072 today).
        FeeRate: float
        /// Fee curve exponent (1 today).
        FeeExponent: float
        /// Seed semantics: the payout per winning share (0.95 in the original).
        WinPayout: float
        /// Bars per year, used to annualise Sharpe, Sortino and Calmar (105,120 for 5-minute bars).
        BarsPerYear: float
        /// Starting capital, used for drawdown as a percentage of peak equity.
        InitialCapital: float
    }

/// One resolved bet.
type Trade =
    {
        /// Bar index of the decision.
        Index: int
        Time: DateTimeOffset
        /// +1 bet Up, −1 bet Down.
        Side: int
        /// Price paid per share of the chosen side.
        Price: float
        /// Shares bought.
        Size: float
        /// +1 resolved Up, −1 resolved Down.
        Outcome: int
        IsWin: bool
        /// Fee paid at entry (dollars).
        Fee: float
        /// Net P&L of the bet after fees (dollars).
        Pnl: float
    }

/// Performance metrics of a backtest. Ratios are 0 where undefined (no trades, zero deviation).
type Metrics =
    {
        TradeCount: int
        /// Fraction of trades won (0..1).
        WinRate: float
        TotalPnl: float
        TotalFees: float
        AverageWin: float
        /// Average losing trade P&L (≤ 0).
        AverageLoss: float
        /// Mean P&L per trade.
        Expectancy: float
        /// Gross wins over gross losses (infinity when there are no losses and some wins).
        ProfitFactor: float
        /// Largest peak-to-trough fall of the equity curve in dollars (≤ 0).
        MaxDrawdown: float
        /// The same fall as a fraction of peak equity (InitialCapital + peak P&L), ≤ 0.
        MaxDrawdownPct: float
        /// The original's Sharpe: mean/std (population) of trade P&L times √(trade count); not annualised.
        SharpePerTrade: float
        /// Mean/std of per-bar P&L times √(bars per year).
        SharpeAnnualized: float
        /// Mean per-bar P&L over downside deviation times √(bars per year).
        Sortino: float
        /// Annualised P&L over |max drawdown|.
        Calmar: float
        LongestLosingStreak: int
        /// Fraction of bars with a bet.
        Exposure: float
    }

/// The result of one backtest.
type BacktestResult =
    {
        Trades: Trade[]
        /// Cumulative P&L after each bar (same length as the candles).
        Equity: float[]
        Metrics: Metrics
    }

/// What a sweep ranks combinations by (descending). `WinRate` breaks ties on total P&L, like the original.
type RankKey =
    | WinRate = 0
    | TotalPnl = 1
    | Sharpe = 2
