/// `trade streak` and `trade copy`: the bots, paper by default, over the Executor's traders, journal and REST clients.
module PolymarketAlgo.Cli.TradeCommands

open System
open System.Collections.Generic
open System.Threading
open Argu
open Microsoft.Extensions.DependencyInjection
open Microsoft.Extensions.Logging
open PolymarketAlgo.Core
open PolymarketAlgo.Executor.Bots
open PolymarketAlgo.Executor.Journal
open PolymarketAlgo.Executor.Markets
open PolymarketAlgo.Executor.Rest
open PolymarketAlgo.Executor.Streaming
open PolymarketAlgo.Executor.Trading
open PolymarketAlgo.Cli.Arguments
open PolymarketAlgo.Cli.Output

/// The trading flags as TradingOptions reads them (name without `--`; switches have a null value).
let private streakFlags (args: ParseResults<TradeStreakArgs>) =
    let flags = Dictionary<string, string>()
    let put name value = flags[name] <- value

    let text (value: 'T) =
        Convert.ToString(value, Globalization.CultureInfo.InvariantCulture)

    for arg in args.GetAllResults() do
        match arg with
        | TradeStreakArgs.Trigger n -> put "trigger" (text n)
        | TradeStreakArgs.Amount a -> put "amount" (text a)
        | TradeStreakArgs.Entry_Seconds s -> put "entry-seconds" (text s)
        | TradeStreakArgs.Bankroll b -> put "bankroll" (text b)
        | TradeStreakArgs.Max_Bets n -> put "max-bets" (text n)
        | TradeStreakArgs.Max_Loss l -> put "max-loss" (text l)
        | TradeStreakArgs.Sizing s -> put "sizing" s
        | TradeStreakArgs.Journal p -> put "journal" p
        | TradeStreakArgs.Live -> put "live" null
        | TradeStreakArgs.Paper -> put "paper" null
        | _ -> ()

    flags

/// Loads the trading options from the flags, the environment and `.env`; invalid values are usage errors.
let private loadOptions (flags: Dictionary<string, string>) =
    let result = TradingOptions.Load(flags)

    if not result.IsValid then
        usage (String.Join(" ", result.Errors))

    result.Options

/// Console logging (colours on a terminal) plus JSON lines to a file with --log-json.
let private loggerFactory (logJson: string option) =
    LoggerFactory.Create(fun builder ->
        builder
            .SetMinimumLevel(LogLevel.Information)
            .AddSimpleConsole(fun console ->
                console.SingleLine <- true
                console.TimestampFormat <- "HH:mm:ss "
                console.UseUtcTimestamp <- true

                console.ColorBehavior <-
                    if Console.IsOutputRedirected then
                        Console.LoggerColorBehavior.Disabled
                    else
                        Console.LoggerColorBehavior.Enabled)
        |> ignore

        logJson
        |> Option.iter (fun path -> builder.AddProvider(new JsonLinesLoggerProvider(path)) |> ignore))

/// Stops on Ctrl-C (the first press stops new decisions; the bot then shuts down) or after `seconds`.
let private stopToken (seconds: int option) =
    let source = new CancellationTokenSource()

    Console.CancelKeyPress.Add(fun e ->
        e.Cancel <- true
        source.Cancel())

    seconds
    |> Option.iter (fun s -> source.CancelAfter(TimeSpan.FromSeconds(float s)))

    source

let private printSummary (summary: SessionSummary) =
    printfn
        "Session (%s): %d decisions, %d orders, %d filled, %d settled (%dW/%dL), P&L %s, bankroll %s, %d cancelled, %d force-exited"
        (string summary.Mode)
        summary.Decisions
        summary.OrdersPlaced
        summary.OrdersFilled
        summary.Settled
        summary.Wins
        summary.Losses
        (summary.SessionPnl.ToString("0.00", Globalization.CultureInfo.InvariantCulture))
        (summary.Bankroll.ToString("0.00", Globalization.CultureInfo.InvariantCulture))
        summary.CancelledOnShutdown
        summary.ForceExited

/// Where a bot trades: the REST endpoints, the WebSocket base URL and the clock it decides by.
type private Venue =
    {
        Endpoints: MarketCommands.Endpoints
        WsUrl: string option
        Clock: TimeProvider
    }

/// The venue from `--sim` (the simulator's URLs and clock) or the URL flags (else the environment) and the system clock.
let private venueOf (sim: string option) (endpoints: MarketCommands.Endpoints) (wsUrl: string option) : Venue =
    match sim with
    | Some url ->
        let link = SimulatorLink.connect url

        {
            Endpoints = link.Endpoints
            WsUrl = Some link.WsUrl
            Clock = link.Clock
        }
    | None ->
        {
            Endpoints = endpoints
            WsUrl = wsUrl |> Option.orElse (SecretSources.setting "POLYMARKET_WS_URL")
            Clock = TimeProvider.System
        }

/// The user channel URL under a WebSocket base URL (a URL already naming a channel is reduced to its base).
let private userChannelUrl (wsUrl: string option) =
    match wsUrl with
    | None -> UserChannelOptions.DefaultUrl
    | Some url ->
        let trimmed = url.TrimEnd('/')

        let baseUrl =
            [ "/ws/market"; "/ws/user" ]
            |> List.tryFind (fun suffix -> trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            |> Option.map (fun suffix -> trimmed.Substring(0, trimmed.Length - suffix.Length))
            |> Option.defaultValue trimmed

        match Uri.TryCreate(baseUrl + "/ws/user", UriKind.Absolute) with
        | true, uri when uri.Scheme = "ws" || uri.Scheme = "wss" -> uri
        | _ -> usage $"--ws-url '{url}' is not a ws:// or wss:// URL"

/// Opens the journal on the venue's clock, applying a `--bankroll` override as a BankrollSet event.
let private openJournal (options: TradingOptions) (clock: TimeProvider) =
    let journal =
        try
            TradeJournal.Open(options.JournalPath, options.Bankroll, clock)
        with :? InvalidOperationException as e ->
            failed e.Message

    if options.BankrollOverride && journal.State.Bankroll <> options.Bankroll then
        journal.Record(TradingEvent.BankrollSet(options.Bankroll, clock.GetUtcNow()))
        |> ignore

    journal

/// A bot's trader and what runs beside it: paper, or live with the user channel feeding order statuses.
type private Trader =
    | PaperTrading of PaperTrader
    | LiveTrading of trader: LiveTrader * channel: UserChannelClient

    member this.AsTrader: ITrader =
        match this with
        | PaperTrading paper -> paper
        | LiveTrading(live, _) -> live

/// A live trader: refuses to start without the private key and API credentials; signs with the key, posts
/// through an L2-authenticated CLOB client (tick size and neg-risk from the CLOB per token), and takes order
/// statuses from the user channel, with REST polls as the fallback.
let private liveTrader
    (privateKeyFile: string option)
    (credentialsFile: string option)
    (venue: Venue)
    (services: ServiceProvider)
    (logging: ILoggerFactory)
    (journal: TradeJournal)
    (risk: RiskGate)
    (logger: ILogger)
    =
    let credentials = SecretSources.credentials privateKeyFile credentialsFile

    if not credentials.HasApiCredentials then
        usage "live trading needs API credentials; run `polymarket-algo auth derive` first (paper is the default)"

    let clob =
        new ClobClient(
            new Net.Http.HttpClient(),
            services.GetRequiredService<PolymarketAlgo.Executor.Resilience.PolymarketResilience>(),
            TimeProvider.System,
            services.GetRequiredService<ILogger<ClobClient>>(),
            PolymarketAlgo.Executor.Auth.L2RequestAuthenticator(credentials)
        )

    let builder = PolymarketAlgo.Executor.Orders.OrderBuilder(credentials.PrivateKey)

    let marketInfo =
        Func<string, CancellationToken, Threading.Tasks.Task<PolymarketAlgo.Executor.Orders.MarketInfo>>(fun token ct ->
            task {
                let! tick = clob.GetTickSizeAsync(token, ct)
                let! negRisk = clob.GetNegRiskAsync(token, ct)

                let tickSize =
                    PolymarketAlgo.Executor.Orders.TickSize.All
                    |> Seq.tryFind (fun t -> t.Value = tick)
                    |> Option.defaultValue PolymarketAlgo.Executor.Orders.TickSize.OneHundredth

                return PolymarketAlgo.Executor.Orders.MarketInfo(tickSize, negRisk, 5m)
            })

    let trader =
        new LiveTrader(
            journal,
            clob,
            builder,
            marketInfo,
            LiveTraderOptions(Owner = credentials.ApiKey),
            venue.Clock,
            risk,
            logger
        )

    let report =
        MarketCommands.call (
            ExchangeReconciler.ReconcileAsync(
                journal,
                clob,
                credentials.ApiKey,
                venue.Clock,
                logger,
                CancellationToken.None
            )
        )

    if not report.IsClean then
        logger.LogWarning(
            "reconciled before trading: {Fills} fills recorded, {Closed} orders closed",
            report.UnrecordedFills.Count,
            report.NotOpenOnExchange.Count
        )

    let channel =
        new UserChannelClient(
            UserChannelOptions(Url = userChannelUrl venue.WsUrl),
            credentials.ToUserChannelCredentials(),
            logger = logging.CreateLogger<UserChannelClient>()
        )

    trader.Attach channel
    LiveTrading(trader, channel)

/// A paper trader on the venue's books, after closing the market orders a killed run left unfilled.
let private paperTrader
    (journal: TradeJournal)
    (windows: PolymarketWindowSource)
    (venue: Venue)
    (risk: RiskGate)
    (logger: ILogger)
    =
    let trader =
        PaperTrader(journal, windows.Books, timeProvider = venue.Clock, risk = risk)

    let closed = trader.CloseInterruptedMarketOrders()

    if closed > 0 then
        logger.LogWarning("closed {Count} paper orders a previous run left unfilled", closed)

    PaperTrading trader

/// Runs a bot until `stop`, with the live trader's user channel running beside it; afterwards stops the
/// channel and the live trader's heartbeats, and prints the summary.
let private runBot
    (trader: Trader)
    (stop: CancellationTokenSource)
    (run: CancellationToken -> Threading.Tasks.Task<SessionSummary>)
    =
    match trader with
    | PaperTrading _ -> run(stop.Token).GetAwaiter().GetResult() |> printSummary
    | LiveTrading(live, channel) ->
        use channelStop = new CancellationTokenSource()

        let channelRun =
            Threading.Tasks.Task.Run(fun () -> channel.RunAsync channelStop.Token)

        try
            run(stop.Token).GetAwaiter().GetResult() |> printSummary
        finally
            channelStop.Cancel()

            try
                channelRun.GetAwaiter().GetResult()
            with :? OperationCanceledException ->
                ()

            live.DisposeAsync().AsTask().GetAwaiter().GetResult()

/// `trade streak`.
let streak (args: ParseResults<TradeStreakArgs>) =
    let options = loadOptions (streakFlags args)

    let venue =
        venueOf
            (args.TryGetResult TradeStreakArgs.Sim)
            {
                Clob = args.TryGetResult TradeStreakArgs.Clob_Url
                Gamma = args.TryGetResult TradeStreakArgs.Gamma_Url
                DataApi = args.TryGetResult TradeStreakArgs.Data_Api_Url
            }
            (args.TryGetResult TradeStreakArgs.Ws_Url)

    use services = MarketCommands.services venue.Endpoints
    use logging = loggerFactory (args.TryGetResult TradeStreakArgs.Log_Json)
    let logger = logging.CreateLogger("streak")
    use journal = openJournal options venue.Clock

    let windows =
        PolymarketWindowSource(
            UpDownMarkets(services.GetRequiredService<GammaClient>(), venue.Clock),
            services.GetRequiredService<ClobClient>()
        )

    let risk = RiskGate(options.Risk, Func<bool>(options.KillSwitchEngaged))

    let trader =
        if options.Live then
            liveTrader
                (args.TryGetResult TradeStreakArgs.Private_Key_File)
                (args.TryGetResult TradeStreakArgs.Credentials_File)
                venue
                services
                logging
                journal
                risk
                logger
        else
            paperTrader journal windows venue risk logger

    let bot =
        StreakBot(
            trader.AsTrader,
            windows,
            options.ToStreakConfig(),
            StreakBotOptions(
                ForceExitOnShutdown = not (args.Contains TradeStreakArgs.Keep_Pending),
                KillSwitch = Func<bool>(options.KillSwitchEngaged)
            ),
            venue.Clock,
            logger
        )

    use stop = stopToken (args.TryGetResult TradeStreakArgs.Seconds)
    runBot trader stop bot.RunAsync

/// The copy bot's trading flags as TradingOptions reads them (`--max-amount` is the bet amount).
let private copyFlags (args: ParseResults<TradeCopyArgs>) =
    let flags = Dictionary<string, string>()
    let put name value = flags[name] <- value

    let text (value: 'T) =
        Convert.ToString(value, Globalization.CultureInfo.InvariantCulture)

    for arg in args.GetAllResults() do
        match arg with
        | TradeCopyArgs.Max_Amount a -> put "amount" (text a)
        | TradeCopyArgs.Bankroll b -> put "bankroll" (text b)
        | TradeCopyArgs.Max_Bets n -> put "max-bets" (text n)
        | TradeCopyArgs.Max_Loss l -> put "max-loss" (text l)
        | TradeCopyArgs.Journal p -> put "journal" p
        | TradeCopyArgs.Live -> put "live" null
        | TradeCopyArgs.Paper -> put "paper" null
        | _ -> ()

    flags

/// `trade copy`.
let copy (args: ParseResults<TradeCopyArgs>) =
    let wallets =
        (args.GetResult TradeCopyArgs.Wallet)
            .Split(',', StringSplitOptions.RemoveEmptyEntries ||| StringSplitOptions.TrimEntries)

    for wallet in wallets do
        if
            wallet.Length <> 42
            || not (wallet.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            || not (Seq.forall Uri.IsHexDigit (wallet.Substring 2))
        then
            usage $"--wallet '{wallet}' is not a 0x-prefixed 20-byte address"

    if wallets.Length = 0 then
        usage "--wallet needs at least one address"

    let ratio = args.GetResult(TradeCopyArgs.Ratio, defaultValue = 1m)
    let poll = args.GetResult(TradeCopyArgs.Poll_Seconds, defaultValue = 1.5)

    if ratio <= 0m then
        usage $"--ratio {ratio} must be positive"

    if not (poll >= 0.5) then
        usage $"--poll-seconds {poll} must be at least 0.5 (the Data API rate limit)"

    let options = loadOptions (copyFlags args)

    let venue =
        venueOf
            (args.TryGetResult TradeCopyArgs.Sim)
            {
                Clob = args.TryGetResult TradeCopyArgs.Clob_Url
                Gamma = args.TryGetResult TradeCopyArgs.Gamma_Url
                DataApi = args.TryGetResult TradeCopyArgs.Data_Api_Url
            }
            (args.TryGetResult TradeCopyArgs.Ws_Url)

    use services = MarketCommands.services venue.Endpoints
    use logging = loggerFactory (args.TryGetResult TradeCopyArgs.Log_Json)
    let logger = logging.CreateLogger("copy")
    use journal = openJournal options venue.Clock
    let clob = services.GetRequiredService<ClobClient>()

    let windows =
        PolymarketWindowSource(UpDownMarkets(services.GetRequiredService<GammaClient>(), venue.Clock), clob)

    let risk = RiskGate(options.Risk, Func<bool>(options.KillSwitchEngaged))

    let trader =
        if options.Live then
            liveTrader
                (args.TryGetResult TradeCopyArgs.Private_Key_File)
                (args.TryGetResult TradeCopyArgs.Credentials_File)
                venue
                services
                logging
                journal
                risk
                logger
        else
            paperTrader journal windows venue risk logger

    use http = new Net.Http.HttpClient()

    let setting name =
        match name, args.TryGetResult TradeCopyArgs.Etherscan_Url with
        | "ETHERSCAN_BASE_URL", Some url -> url
        | _ -> SecretSources.setting name |> Option.toObj

    let etherscan =
        PolymarketAlgo.Executor.Onchain.EtherscanClient.FromSettings(http, Func<string, string>(setting))

    if isNull etherscan then
        logger.LogInformation("on-chain enrichment off: no ETHERSCAN_API_KEY or POLYGONSCAN_API_KEY")

    let bot =
        CopyBot(
            trader.AsTrader,
            services.GetRequiredService<DataApiClient>(),
            PolymarketAlgo.Executor.Books.ClobBookSnapshotSource(clob),
            windows,
            CopyBotOptions(
                Wallets = wallets,
                Ratio = ratio,
                MaxAmount = options.BetAmount,
                MinAmount = options.MinBet,
                Poll = TimeSpan.FromSeconds poll,
                PriceTolerance = options.PriceTolerance,
                MaxPrice = options.MaxPrice,
                FeeRate = options.FeeRate,
                Filter =
                    (if args.Contains TradeCopyArgs.No_Filter then
                         SelectiveFilter.off
                     else
                         SelectiveFilter.defaults),
                ForceExitOnShutdown = not (args.Contains TradeCopyArgs.Keep_Pending),
                KillSwitch = Func<bool>(options.KillSwitchEngaged)
            ),
            venue.Clock,
            logger,
            paperBooks = windows.Books,
            etherscan = etherscan
        )

    use stop = stopToken (args.TryGetResult TradeCopyArgs.Seconds)
    runBot trader stop bot.RunAsync

/// Dispatches `trade` subcommands.
let run (args: ParseResults<TradeArgs>) =
    match args.GetSubCommand() with
    | Streak streak' -> streak streak'
    | Copy copy' -> copy copy'
