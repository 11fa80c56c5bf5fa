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
            | Strategy _ ->
                "strategy name (see `strategies`); default streak-reversal (--source books: favourite, the only book rule)."
            | Param _ -> "a parameter as name=value, for example trigger=4 (repeatable)."
            | Semantics _ ->
                "polymarket (default: tie resolves Up, fee, last bar untraded) or seed (the original engine)."
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

/// `order build`.
type OrderBuildArgs =
    | [<Mandatory>] Token_Id of string
    | [<Mandatory>] Side of string
    | Price of decimal
    | Size of decimal
    | Tick_Size of decimal
    | Neg_Risk
    | Exchange_Version of int
    | Order_Type of string
    | Market
    | Amount of decimal
    | Signature_Type of int
    | Funder of address: string
    | Salt of int64
    | Timestamp_Ms of int64
    | Expiration of int64
    | Chain_Id of int64
    | Min_Size of decimal
    | Private_Key_File of path: string
    | Credentials_File of path: string
    | Clob_Url of url: string
    | Dry_Run
    | Json

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Token_Id _ -> "the outcome token id (decimal string)."
            | Side _ -> "BUY or SELL."
            | Price _ ->
                "limit price on the tick grid, strictly between 0 and 1 (for --market: the worst price accepted)."
            | Size _ -> "shares (limit orders)."
            | Tick_Size _ -> "the market's tick: 0.1, 0.01 (default), 0.005, 0.001, 0.0025 or 0.0001."
            | Neg_Risk -> "the market is neg-risk (signs against the neg-risk exchange)."
            | Exchange_Version _ -> "2 (CTF/neg-risk exchanges, default) or 3 (ExchangeV3 markets)."
            | Order_Type _ -> "GTC (default), GTD, FOK or FAK."
            | Market -> "a market order (FOK/FAK): BUY spends --amount collateral, SELL sells --amount shares."
            | Amount _ -> "market order amount (collateral for BUY, shares for SELL)."
            | Signature_Type _ -> "0 EOA (default), 1 POLY_PROXY, 2 POLY_GNOSIS_SAFE, 3 POLY_1271 deposit wallet."
            | Funder _ -> "the wallet holding the funds (required for signature types 1, 2 and 3)."
            | Salt _ -> "fixed salt (0 .. 2^53-1); random by default."
            | Timestamp_Ms _ -> "fixed order timestamp in milliseconds; now by default."
            | Expiration _ -> "GTD expiration in unix seconds."
            | Chain_Id _ -> "137 Polygon (default) or 80002 Amoy."
            | Min_Size _ -> "the market's minimum order size in shares (default 5)."
            | Private_Key_File _ ->
                "read the private key from this file (else POLYMARKET_PRIVATE_KEY, environment or .env)."
            | Credentials_File _ -> "API credentials file written by `auth derive` (owner field and posting)."
            | Clob_Url _ -> "CLOB base URL for posting (else POLYMARKET_CLOB_URL, else https://clob.polymarket.com)."
            | Dry_Run -> "print the exact POST /order body and the order hash instead of posting."
            | Json -> "print JSON (the body and the hash) only."

/// `order`.
type OrderArgs =
    | [<CliPrefix(CliPrefix.None)>] Build of ParseResults<OrderBuildArgs>

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Build _ -> "build and sign a CLOB V2 order; print or post it."

/// `auth headers`.
type AuthHeadersArgs =
    | [<Mandatory>] Method of string
    | [<Mandatory>] Path of string
    | Body of string
    | Level of int
    | Chain_Id of int64
    | Private_Key_File of path: string
    | Credentials_File of path: string
    | Json

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Method _ -> "HTTP method, for example GET."
            | Path _ -> "request path with query, for example /data/orders."
            | Body _ -> "the exact request body string (L2)."
            | Level _ -> "1 (wallet signature, POLY_NONCE) or 2 (HMAC with API credentials, default)."
            | Chain_Id _ -> "137 Polygon (default) or 80002 Amoy."
            | Private_Key_File _ -> "read the private key from this file (else POLYMARKET_PRIVATE_KEY)."
            | Credentials_File _ -> "API credentials file written by `auth derive`."
            | Json -> "print the headers as a JSON object."

/// `auth derive`.
type AuthDeriveArgs =
    | Create
    | Out of path: string
    | Chain_Id of int64
    | Private_Key_File of path: string
    | Clob_Url of url: string

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Create -> "create new API credentials (POST /auth/api-key) instead of deriving the existing ones."
            | Out _ -> "credentials file (mode 0600); default ~/.polymarket-algo/credentials.json."
            | Chain_Id _ -> "137 Polygon (default) or 80002 Amoy."
            | Private_Key_File _ -> "read the private key from this file (else POLYMARKET_PRIVATE_KEY)."
            | Clob_Url _ -> "CLOB base URL (else POLYMARKET_CLOB_URL, else https://clob.polymarket.com)."

/// `auth`.
type AuthArgs =
    | [<CliPrefix(CliPrefix.None)>] Headers of ParseResults<AuthHeadersArgs>
    | [<CliPrefix(CliPrefix.None)>] Derive of ParseResults<AuthDeriveArgs>

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Headers _ -> "print POLY_* authentication headers for a request (for debugging with curl)."
            | Derive _ -> "derive (or create) API credentials from the wallet and store them in a 0600 file."

/// Read-only market data commands: `markets`, `market`, `book`, `price`.
type MarketDataArgs =
    | [<MainCommand; ExactlyOnce>] Target of string
    | Count of int
    | Depth of int
    | Clob_Url of url: string
    | Gamma_Url of url: string
    | Json

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Target _ -> "the family (btc-5m), slug or token id."
            | Count _ -> "markets: how many windows from the current one (default 3)."
            | Depth _ -> "book: levels per side (default 10)."
            | Clob_Url _ -> "CLOB base URL (else POLYMARKET_CLOB_URL)."
            | Gamma_Url _ -> "Gamma base URL (else POLYMARKET_GAMMA_URL)."
            | Json -> "print JSON."

/// `replay`.
type ReplayArgs =
    | [<Mandatory>] Input of path: string
    | Speed of string
    | Asset of id: string
    | Json

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Input _ -> "a .jsonl recording (from `record`), a .parquet book recording, or a folder of them."
            | Speed _ -> "playback speed relative to the recording (2 = twice as fast) or max (default)."
            | Asset _ -> "show only this token's book."
            | Json -> "print the summary as JSON."

/// `record` and `watch`.
type StreamArgs =
    | [<MainCommand>] Family of string
    | Market of string
    | Out of dir: string
    | Seconds of float
    | Ws_Url of url: string
    | Clob_Url of url: string
    | Gamma_Url of url: string

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Family _ -> "the market family (btc-5m)."
            | Market _ -> "the market family (btc-5m), same as the positional argument."
            | Out _ -> "record: the folder of the JSONL files (default recordings/)."
            | Seconds _ -> "stop after this many seconds (default: until Ctrl-C)."
            | Ws_Url _ -> "market channel URL (else POLYMARKET_WS_URL, else Polymarket's)."
            | Clob_Url _ -> "CLOB base URL for book snapshots (else POLYMARKET_CLOB_URL)."
            | Gamma_Url _ -> "Gamma base URL for market discovery (else POLYMARKET_GAMMA_URL)."

/// `history stats`.
type HistoryStatsArgs =
    | Journal of path: string
    | Json

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Journal _ -> "the trading journal; default JOURNAL_PATH or data/journal.db."
            | Json -> "print the statistics as one JSON object."

/// `history export`.
type HistoryExportArgs =
    | Journal of path: string
    | [<Mandatory>] Format of string
    | Out of file: string

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Journal _ -> "the trading journal; default JOURNAL_PATH or data/journal.db."
            | Format _ -> "csv or json."
            | Out _ -> "write to this file instead of stdout."

/// `history backfill`.
type HistoryBackfillArgs =
    | Journal of path: string
    | [<Mandatory>] Outcomes of path: string
    | Json

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Journal _ -> "the trading journal; default JOURNAL_PATH or data/journal.db."
            | Outcomes _ -> "resolved outcomes: an enriched CSV or Gamma market JSON lines (.jsonl, .jsonl.gz)."
            | Json -> "print the result as one JSON object."

/// `history`.
type HistoryArgs =
    | [<CliPrefix(CliPrefix.None)>] Stats of ParseResults<HistoryStatsArgs>
    | [<CliPrefix(CliPrefix.None)>] Export of ParseResults<HistoryExportArgs>
    | [<CliPrefix(CliPrefix.None)>] Backfill of ParseResults<HistoryBackfillArgs>

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Stats _ -> "trades, wins, losses, P&L, fees and bankroll of the journal."
            | Export _ -> "every order of the journal as CSV or JSON."
            | Backfill _ -> "settle pending trades from resolved outcomes."

/// `config check`.
type ConfigCheckArgs =
    | Settings of file: string
    | Env_File of file: string
    | Set of string
    | Json

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Settings _ -> "JSON settings file; default ./appsettings.json when present."
            | Env_File _ -> "dotenv file; default ./.env when present."
            | Set _ -> "a setting as KEY=VALUE that wins over files and environment (repeatable)."
            | Json -> "print the settings and errors as one JSON object."

/// `config`.
type ConfigArgs =
    | [<CliPrefix(CliPrefix.None)>] Check of ParseResults<ConfigCheckArgs>

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Check _ -> "print the effective configuration (secrets redacted) and validate it."

/// The help of the bots' `--sim` flag.
let private simUsage =
    "follow a local simulator (`sim serve`) at this base URL: its CLOB, Gamma, Data API and WebSocket URLs and its clock (which runs at its --speed)."

/// `trade streak`.
type TradeStreakArgs =
    | Trigger of int
    | Strategy of name: string
    | Param of string
    | History of windows: int
    | Amount of decimal
    | Entry_Seconds of int
    | Bankroll of decimal
    | Max_Bets of int
    | Max_Loss of decimal
    | Sizing of string
    | Journal of path: string
    | Paper
    | Live
    | Seconds of int
    | Log_Json of file: string
    | Keep_Pending
    | Clob_Url of url: string
    | Gamma_Url of url: string
    | Data_Api_Url of url: string
    | Ws_Url of url: string
    | Sim of url: string
    | Private_Key_File of path: string
    | Credentials_File of path: string

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Trigger _ -> "streak length that fires, at least 2 (STREAK_TRIGGER, 4)."
            | Strategy _ ->
                "follow this strategy (built in or a plugin) over the resolved outcomes instead of the streak rule."
            | Param _ -> "a --strategy parameter as name=value (repeatable)."
            | History _ -> "resolved windows the decision reads (trigger + 2; 50 with --strategy)."
            | Amount _ -> "bet amount or cap in pUSD (BET_AMOUNT, 5)."
            | Entry_Seconds _ -> "seconds after the target window opens to still bet (ENTRY_WINDOW_SECONDS, 30)."
            | Bankroll _ -> "bankroll override (BANKROLL)."
            | Max_Bets _ -> "most bets per UTC day (MAX_DAILY_BETS, 100)."
            | Max_Loss _ -> "most loss per UTC day in pUSD (MAX_DAILY_LOSS, 50)."
            | Sizing _ -> "fixed, kelly or fraction (SIZING, kelly)."
            | Journal _ -> "SQLite journal (JOURNAL_PATH, data/journal.db)."
            | Paper -> "paper trading (the default)."
            | Live -> "trade real money; needs the private key and API credentials."
            | Seconds _ -> "stop after this many seconds (default: until Ctrl-C)."
            | Log_Json _ -> "also write the events as JSON lines to this file."
            | Keep_Pending -> "on shutdown, leave unresolved positions open instead of journaling them as force exits."
            | Clob_Url _ -> "CLOB base URL (else POLYMARKET_CLOB_URL)."
            | Gamma_Url _ -> "Gamma base URL (else POLYMARKET_GAMMA_URL)."
            | Data_Api_Url _ -> "Data API base URL (else POLYMARKET_DATA_API_URL)."
            | Ws_Url _ -> "WebSocket base URL, live: user channel at /ws/user (else POLYMARKET_WS_URL)."
            | Sim _ -> simUsage
            | Private_Key_File _ -> "live: file holding the private key (else POLYMARKET_PRIVATE_KEY)."
            | Credentials_File _ -> "live: API credentials file from `auth derive`."

/// `trade copy`.
type TradeCopyArgs =
    | [<Mandatory>] Wallet of addresses: string
    | Ratio of decimal
    | Max_Amount of decimal
    | Poll_Seconds of float
    | No_Filter
    | Max_Delay of seconds: float
    | Min_Fill of price: float
    | Max_Fill of price: float
    | Bankroll of decimal
    | Max_Bets of int
    | Max_Loss of decimal
    | Journal of path: string
    | Paper
    | Live
    | Seconds of int
    | Log_Json of file: string
    | Keep_Pending
    | Clob_Url of url: string
    | Gamma_Url of url: string
    | Data_Api_Url of url: string
    | Ws_Url of url: string
    | Sim of url: string
    | Etherscan_Url of url: string
    | Private_Key_File of path: string
    | Credentials_File of path: string

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Wallet _ -> "leader wallet(s) to copy, comma-separated."
            | Ratio _ -> "our pUSD per leader pUSD (default 1)."
            | Max_Amount _ -> "most pUSD per copied trade (BET_AMOUNT, 5)."
            | Poll_Seconds _ -> "seconds between activity polls per wallet (default 1.5)."
            | No_Filter -> "copy without the SelectiveFilter quality gate (SELECTIVE_FILTER, on by default)."
            | Max_Delay _ -> "filter: the largest copy delay in seconds (SELECTIVE_MAX_DELAY_MS, 20 s)."
            | Min_Fill _ -> "filter: the lowest fill price (SELECTIVE_MIN_FILL_PRICE, 0.55)."
            | Max_Fill _ -> "filter: the highest fill price (SELECTIVE_MAX_FILL_PRICE, 0.80)."
            | Bankroll _ -> "bankroll override (BANKROLL)."
            | Max_Bets _ -> "most bets per UTC day (MAX_DAILY_BETS, 100)."
            | Max_Loss _ -> "most loss per UTC day in pUSD (MAX_DAILY_LOSS, 50)."
            | Journal _ -> "SQLite journal (JOURNAL_PATH, data/journal.db)."
            | Paper -> "paper trading (the default)."
            | Live -> "trade real money; needs the private key and API credentials."
            | Seconds _ -> "stop after this many seconds (default: until Ctrl-C)."
            | Log_Json _ -> "also write the events as JSON lines to this file."
            | Keep_Pending -> "on shutdown, leave unresolved positions open instead of journaling them as force exits."
            | Clob_Url _ -> "CLOB base URL (else POLYMARKET_CLOB_URL)."
            | Gamma_Url _ -> "Gamma base URL (else POLYMARKET_GAMMA_URL)."
            | Data_Api_Url _ -> "Data API base URL (else POLYMARKET_DATA_API_URL)."
            | Ws_Url _ -> "WebSocket base URL, live: user channel at /ws/user (else POLYMARKET_WS_URL)."
            | Sim _ -> simUsage
            | Etherscan_Url _ ->
                "Etherscan API host (else ETHERSCAN_BASE_URL); on-chain lookups need ETHERSCAN_API_KEY."
            | Private_Key_File _ -> "live: file holding the private key (else POLYMARKET_PRIVATE_KEY)."
            | Credentials_File _ -> "live: API credentials file from `auth derive`."

/// `trade`.
type TradeArgs =
    | [<CliPrefix(CliPrefix.None)>] Streak of ParseResults<TradeStreakArgs>
    | [<CliPrefix(CliPrefix.None)>] Copy of ParseResults<TradeCopyArgs>

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Streak _ -> "the BTC 5-minute streak reversal bot."
            | Copy _ -> "copy the BTC 5-minute trades of leader wallets."

/// `sim serve`.
type SimServeArgs =
    | [<Mandatory>] Data of dir: string
    | Port of int
    | Speed of string
    | Start of string
    | Balance of float
    | Leader of address: string
    | No_Leader
    | Json

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Data _ -> "recorded data folder (shared/data/polymarket, or a folder holding it)."
            | Port _ -> "port on 127.0.0.1; default 0 (a free port, printed)."
            | Speed _ -> "replay speed: simulated seconds per wall second (1 = real time, default) or max."
            | Start _ -> "simulated start: now (default), recording (the first recorded book) or an ISO time."
            | Balance _ -> "pUSD balance of every new trading account; default 1000."
            | Leader _ ->
                "a simulated leader wallet (repeatable): buys 20 pUSD of the favourite 60 s into every window."
            | No_Leader -> "do not simulate any leader wallet (default: one built-in leader)."
            | Json -> "print the URLs as one JSON object."

/// `sim`.
type SimArgs =
    | [<CliPrefix(CliPrefix.None)>] Serve of ParseResults<SimServeArgs>

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Serve _ -> "run a local Polymarket-compatible exchange replaying recorded data until Ctrl-C."

/// The top-level commands.
[<HelpDescription("polymarket-algo: research and trade Polymarket's crypto up/down markets.")>]
type CliArgs =
    | [<CliPrefix(CliPrefix.None)>] Data of ParseResults<DataArgs>
    | [<CliPrefix(CliPrefix.None)>] Indicators of ParseResults<IndicatorArgs>
    | [<CliPrefix(CliPrefix.None)>] Strategies of ParseResults<StrategiesArgs>
    | [<CliPrefix(CliPrefix.None)>] Backtest of ParseResults<BacktestArgs>
    | [<CliPrefix(CliPrefix.None)>] Order of ParseResults<OrderArgs>
    | [<CliPrefix(CliPrefix.None)>] Auth of ParseResults<AuthArgs>
    | [<CliPrefix(CliPrefix.None)>] Markets of ParseResults<MarketDataArgs>
    | [<CliPrefix(CliPrefix.None)>] Market of ParseResults<MarketDataArgs>
    | [<CliPrefix(CliPrefix.None)>] Book of ParseResults<MarketDataArgs>
    | [<CliPrefix(CliPrefix.None)>] Price of ParseResults<MarketDataArgs>
    | [<CliPrefix(CliPrefix.None)>] Replay of ParseResults<ReplayArgs>
    | [<CliPrefix(CliPrefix.None)>] Record of ParseResults<StreamArgs>
    | [<CliPrefix(CliPrefix.None)>] Watch of ParseResults<StreamArgs>
    | [<CliPrefix(CliPrefix.None)>] History of ParseResults<HistoryArgs>
    | [<CliPrefix(CliPrefix.None)>] Trade of ParseResults<TradeArgs>
    | [<CliPrefix(CliPrefix.None)>] Sim of ParseResults<SimArgs>
    | [<CliPrefix(CliPrefix.None)>] Config of ParseResults<ConfigArgs>
    | [<Inherit>] Plugins of dir: string
    | Verbose

    interface IArgParserTemplate with
        member this.Usage =
            match this with
            | Data _ -> "fetch and inspect candle data."
            | Indicators _ -> "compute an indicator over candle data."
            | Strategies _ -> "list the strategies with their parameters and grids."
            | Backtest _ -> "backtest a strategy, sweep its grid or walk it forward."
            | Order _ -> "build, sign and post CLOB V2 orders."
            | Auth _ -> "API credentials and authentication headers."
            | Markets _ -> "current and upcoming up/down windows (markets btc-5m) with token ids and prices."
            | Market _ -> "one market by slug (market btc-updown-5m-1773307200)."
            | Book _ -> "the order book of a token (book TOKEN_ID)."
            | Price _ -> "best prices and midpoint of a token (price TOKEN_ID)."
            | Replay _ -> "replay recorded market messages through the parser and books; print the final books."
            | Record _ -> "record the market channel of the btc-5m windows to rotated JSONL files."
            | Watch _ -> "show the current btc-5m window's books and trades live in the terminal."
            | History _ -> "statistics, exports and backfill of the trading journal."
            | Trade _ -> "run a trading bot (trade streak, trade copy), paper by default."
            | Sim _ -> "run the local exchange simulator (CLOB, Gamma, Data API, WebSockets)."
            | Config _ -> "check the configuration (appsettings.json, .env, environment)."
            | Plugins _ ->
                "plugin folder of strategy/indicator .dll and .fsx files; default ~/.polymarket-algo/plugins."
            | Verbose -> "print stack traces of unexpected errors."
