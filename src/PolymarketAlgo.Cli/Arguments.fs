/// The command-line grammar of polymarket-algo (Argu unions, one per command).
module PolymarketAlgo.Cli.Arguments

open Argu

/// Where candles come from: a file, folder or glob, or the local cache for a symbol and interval.
type DataFetchArgs =
    | [<Mandatory>] Symbol of string
    | Interval of string
    | [<Mandatory>] From of string
    | To of string
    | Out of dir: string
    | Format of string
    | Json

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Symbol _ -> "trading pair, for example BTCUSDT."
            | Interval _ -> "kline interval (1m, 5m, 15m, 1h, 4h, 1d, ...); default 5m."
            | From _ -> "first bar, an ISO date or time (UTC), for example 2024-01-01."
            | To _ -> "end (exclusive), an ISO date or time (UTC); default now."
            | Out _ -> "data directory of the candle store; default data/."
            | Format _ -> "store format: parquet (default) or csv."
            | Json -> "print the result as one JSON object."

/// `data info`.
type DataInfoArgs =
    | [<Mandatory>] Data of path: string
    | Tz_Offset of hours: float
    | Json

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Data _ -> "candle file, folder or glob."
            | Tz_Offset _ -> "hours to subtract from local timestamps of headered time,open,... files (8 for UTC+8)."
            | Json -> "print the result as one JSON object."

/// `data`.
type DataArgs =
    | [<CliPrefix(CliPrefix.None)>] Fetch of ParseResults<DataFetchArgs>
    | [<CliPrefix(CliPrefix.None)>] Info of ParseResults<DataInfoArgs>

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Fetch _ -> "download Binance klines into the local store (incremental)."
            | Info _ -> "rows, span, interval, gaps and duplicates of candle data."

/// `indicators`.
type IndicatorArgs =
    | Data of path: string
    | Symbol of string
    | Interval of string
    | Tz_Offset of hours: float
    | [<Mandatory>] Name of string
    | Param of string
    | Out of file: string
    | Json

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Data _ -> "candle file, folder or glob."
            | Symbol _ -> "use the cached candles of this symbol (with --interval)."
            | Interval _ -> "interval of the cached candles; default 5m."
            | Tz_Offset _ -> "hours to subtract from local timestamps of headered time,open,... files."
            | Name _ -> "indicator: sma, ema, rsi, macd or bollinger."
            | Param _ -> "a parameter as name=value, for example period=20 (repeatable)."
            | Out _ -> "write time and indicator columns to this CSV file."
            | Json -> "print the last values and a summary as JSON."

/// `strategies`.
type StrategiesArgs =
    | Json

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Json -> "print the strategies as a JSON array."

/// `backtest compare`: the Binance-candle proxy against the real outcomes.
type CompareArgs =
    | [<Mandatory>] Data of path: string
    | Tz_Offset of hours: float
    | [<Mandatory>] Outcomes of path: string
    | Strategy of string
    | Param of string
    | Entry_Price of float
    | Fee_Rate of float
    | Fee_Exponent of float
    | Json

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Data _ -> "candle file, folder or glob whose interval is the window length (5m)."
            | Tz_Offset _ -> "hours to subtract from local timestamps of headered time,open,... files."
            | Outcomes _ -> "resolved outcomes: the felixdoteth CSV or Gamma market JSON lines (.jsonl or .jsonl.gz)."
            | Strategy _ -> "strategy name (see `strategies`); default streak-reversal."
            | Param _ -> "a parameter as name=value, for example trigger=4 (repeatable)."
            | Entry_Price _ -> "price paid per share in both backtests, between 0 and 1; default 0.5."
            | Fee_Rate _ -> "taker fee rate; default 0.072 (crypto)."
            | Fee_Exponent _ -> "taker fee exponent; default 1."
            | Json -> "print the comparison as one JSON object."

/// `backtest`.
type BacktestArgs =
    | [<CliPrefix(CliPrefix.None)>] Compare of ParseResults<CompareArgs>
    | Source of string
    | Outcomes of path: string
    | Books of path: string
    | Latency_Ms of int
    | Data of path: string
    | Symbol of string
    | Interval of string
    | Tz_Offset of hours: float
    | Strategy of string
    | Param of string
    | Semantics of string
    | Entry_Price of float
    | Fee_Rate of float
    | Fee_Exponent of float
    | Sweep
    | Rank of string
    | Top of int
    | Threads of int
    | Walk_Forward of string
    | Train of int
    | Test of int
    | Step of int
    | Train_Ratio of float
    | Report of file: string
    | Heatmap of x: string * y: string
    | Json

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Compare _ -> "how often Binance candles tell the real outcome, and proxy vs real backtest P&L."
            | Source _ -> "candles (default: Binance candles as the proxy), outcomes (--outcomes) or books (--books)."
            | Outcomes _ -> "--source outcomes: the felixdoteth CSV or Gamma market JSON lines (.jsonl or .jsonl.gz)."
            | Books _ -> "--source books: Parquet book recordings or JSONL recordings from `record` (file or folder)."
            | Latency_Ms _ -> "--source books: milliseconds from decision to the order reaching the book; default 0."
            | Data _ -> "candle file, folder or glob; without it the cache of --symbol/--interval is used and filled."
            | Symbol _ -> "symbol of the cached candles; default BTCUSDT."
            | Interval _ -> "interval of the cached candles; default 5m."
            | Tz_Offset _ -> "hours to subtract from local timestamps of headered time,open,... files."
            | Strategy _ -> "strategy name (see `strategies`); default streak-reversal (--source books: favourite, the only book rule)."
            | Param _ -> "a parameter as name=value, for example trigger=4 (repeatable)."
            | Semantics _ -> "polymarket (default: tie resolves Up, fee, last bar untraded) or seed (the original engine)."
            | Entry_Price _ -> "price paid per Up share, between 0 and 1; default 0.5."
            | Fee_Rate _ -> "taker fee rate; default 0.072 (crypto)."
            | Fee_Exponent _ -> "taker fee exponent; default 1."
            | Sweep -> "run the strategy's whole parameter grid."
            | Rank _ -> "sweep ranking: win_rate (default, then total P&L), total_pnl or sharpe."
            | Top _ -> "show the best N combinations of a sweep; default 10."
            | Threads _ -> "sweep worker threads; default all cores."
            | Walk_Forward _ -> "walk-forward validation: single, rolling or anchored."
            | Train _ -> "walk-forward train window in bars."
            | Test _ -> "walk-forward test window in bars."
            | Step _ -> "walk-forward step in bars; default the test window."
            | Train_Ratio _ -> "single split train fraction; default 0.75."
            | Report _ -> "write a self-contained HTML report to this file."
            | Heatmap _ -> "the two parameters of the sweep heatmap in the report."
            | Json -> "print the result as JSON (one object; an array for --sweep)."

/// The top-level commands.
[<HelpDescription("polymarket-algo: research and trade Polymarket's crypto up/down markets.")>]
type CliArgs =
    | [<CliPrefix(CliPrefix.None)>] Data of ParseResults<DataArgs>
    | [<CliPrefix(CliPrefix.None)>] Indicators of ParseResults<IndicatorArgs>
    | [<CliPrefix(CliPrefix.None)>] Strategies of ParseResults<StrategiesArgs>
    | [<CliPrefix(CliPrefix.None)>] Backtest of ParseResults<BacktestArgs>
    | Verbose

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Data _ -> "fetch and inspect candle data."
            | Indicators _ -> "compute an indicator over candle data."
            | Strategies _ -> "list the strategies with their parameters and grids."
            | Backtest _ -> "backtest a strategy, sweep its grid or walk it forward."
            | Verbose -> "print stack traces of unexpected errors."
