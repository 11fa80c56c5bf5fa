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

/// Console logging (colours on a terminal) plus JSON lines to a file with --log-json: the bot's lines and the
/// Executor's (REST retries, the live trader).
let private logging (logJson: string option) (builder: ILoggingBuilder) =
    builder
        .SetMinimumLevel(LogLevel.Information)
        // IHttpClientFactory logs every request at Information.
        .AddFilter("System.Net.Http.HttpClient", LogLevel.Warning)
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
    |> Option.iter (fun path -> builder.AddProvider(new JsonLinesLoggerProvider(path)) |> ignore)

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

/// Where a bot trades: the REST endpoints, the user channel and the clock it decides by.
type private Venue =
    {
        Endpoints: MarketCommands.Endpoints
        UserChannel: Uri
        Clock: TimeProvider
    }

/// The venue from `--sim` (the simulator's URLs and clock) or the URL flags (else the environment) and the system clock.
let private venueOf (sim: string option) (endpoints: MarketCommands.Endpoints) (wsUrl: string option) : Venue =
    match sim with
    | Some url ->
        let link = SimulatorLink.connect url

        {
            Endpoints = link.Endpoints
            UserChannel = userChannelUrl (Some link.WsUrl)
            Clock = link.Clock
        }
    | None ->
        {
            Endpoints = endpoints
            UserChannel = userChannelUrl (wsUrl |> Option.orElse (SecretSources.setting "POLYMARKET_WS_URL"))
            Clock = TimeProvider.System
        }

/// The Executor's services for a bot (`AddPolymarketClient`) at a venue: the trading options, the credentials when
/// live (a live run refuses to start without the private key and API credentials), the venue's clock for the
/// journal, the trader and the windows, the bot's logging, and the windows' REST books as the paper trader's books.
/// Disposed asynchronously (a live trader stops its heartbeats). Returns the credentials too (live only).
let private tradingServices
    (venue: Venue)
    (options: TradingOptions)
    (privateKeyFile: string option)
    (credentialsFile: string option)
    (logJson: string option)
    =
    let credentials =
        if options.Live then
            let credentials = SecretSources.credentials privateKeyFile credentialsFile

            if not credentials.HasApiCredentials then
                usage
                    "live trading needs API credentials; run `polymarket-algo auth derive` first (paper is the default)"

            credentials
        else
            null

    let provider =
        MarketCommands.servicesWith
            venue.Endpoints
            (fun client ->
                client.Trading <- options
                client.Credentials <- credentials
                client.TradingClock <- venue.Clock)
            (fun services ->
                services
                    .AddLogging(logging logJson)
                    .AddSingleton<PolymarketWindowSource>(fun sp ->
                        PolymarketWindowSource(
                            UpDownMarkets(sp.GetRequiredService<GammaClient>(), venue.Clock),
                            sp.GetRequiredService<ClobClient>()
                        ))
                    .AddSingleton<IOrderBookSource>(fun sp ->
                        sp.GetRequiredService<PolymarketWindowSource>().Books :> IOrderBookSource)
                |> ignore)

    try
        provider.GetRequiredService<TradeJournal>() |> ignore
    with :? InvalidOperationException as e ->
        failed e.Message

    provider, credentials

/// Readies the trader after a previous run (a crash, a kill): a live trader reconciles the journal with the
/// exchange; a paper trader closes the market orders that run left unfilled.
let private recover (trader: ITrader) (logger: ILogger) =
    match trader with
    | :? LiveTrader as live ->
        let report = MarketCommands.call (live.ReconcileAsync CancellationToken.None)

        if not report.IsClean then
            logger.LogWarning(
                "reconciled before trading: {Fills} fills recorded, {Closed} orders closed",
                report.UnrecordedFills.Count,
                report.NotOpenOnExchange.Count
            )
    | :? PaperTrader as paper ->
        let closed = paper.CloseInterruptedMarketOrders()

        if closed > 0 then
            logger.LogWarning("closed {Count} paper orders a previous run left unfilled", closed)
    | _ -> ()

/// What a bot runs on: its venue, the Executor's services, the live credentials (null in paper), its logger, the
/// market windows and the trader, readied after any previous run. Disposing it disposes the services (a live
/// trader stops its heartbeats).
type private BotContext =
    {
        Venue: Venue
        Services: ServiceProvider
        Credentials: PolymarketAlgo.Executor.Secrets.Credentials
        Logger: ILogger
        Windows: PolymarketWindowSource
        Trader: ITrader
    }

    interface IDisposable with
        member this.Dispose() =
            this.Services.DisposeAsync().AsTask().GetAwaiter().GetResult()

/// Builds a bot's context at `venue`, logging under `category`.
let private botContext
    (category: string)
    (venue: Venue)
    (options: TradingOptions)
    (privateKeyFile: string option)
    (credentialsFile: string option)
    (logJson: string option)
    =
    let services, credentials =
        tradingServices venue options privateKeyFile credentialsFile logJson

    let logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(category)
    let trader = services.GetRequiredService<ITrader>()
    recover trader logger

    {
        Venue = venue
        Services = services
        Credentials = credentials
        Logger = logger
        Windows = services.GetRequiredService<PolymarketWindowSource>()
        Trader = trader
    }

/// Runs a bot until Ctrl-C or `seconds` and prints its summary. A live trader takes fills and statuses from the
/// user channel, which runs beside the bot until it has shut down.
let private runBot
    (context: BotContext)
    (seconds: int option)
    (run: CancellationToken -> Threading.Tasks.Task<SessionSummary>)
    =
    use stop = stopToken seconds

    match context.Trader with
    | :? LiveTrader as live ->
        let channel =
            UserChannelClient(
                UserChannelOptions(Url = context.Venue.UserChannel),
                context.Credentials.ToUserChannelCredentials(),
                logger = context.Services.GetRequiredService<ILogger<UserChannelClient>>()
            )

        live.Attach channel
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
    | _ -> run(stop.Token).GetAwaiter().GetResult() |> printSummary

/// The strategy `--strategy NAME --param k=v` names, from the built-ins and the plugins.
let private followedStrategy (args: ParseResults<TradeStreakArgs>) =
    match args.TryGetResult TradeStreakArgs.Strategy with
    | None ->
        if args.Contains TradeStreakArgs.Param then
            usage "--param needs --strategy"

        None
    | Some name ->
        let registry = PluginCatalog.registry ()

        let strategy =
            match registry.TryFindStrategy name with
            | true, strategy -> strategy
            | _ ->
                let known =
                    registry.Strategies |> Seq.map (fun r -> r.Strategy.Name) |> String.concat ", "

                usage $"unknown strategy '{name}' (strategies: {known})"

        let parameters =
            ParameterFlags.parseParameters false (args.GetResults TradeStreakArgs.Param)
            |> List.map (fun (parameter, values) -> parameter, List.head values)

        ParameterFlags.checkNames $"strategy {strategy.Name}" strategy.DefaultParameters.Keys (List.map fst parameters)

        Some
            {
                Strategy = strategy
                Parameters = Map parameters
            }

/// The streak bot's options. A followed strategy bets without the streak's reversal rate, which Kelly sizing needs:
/// a default Kelly sizing becomes fixed, an explicit one is refused.
let private streakOptions (args: ParseResults<TradeStreakArgs>) (strategy: OutcomeStrategy option) =
    let flags = streakFlags args
    let options = loadOptions flags

    match strategy, options.Sizing with
    | Some _, SizingMode.Kelly when options.Sources["SIZING"] = OptionSource.Default ->
        flags["sizing"] <- "fixed"
        loadOptions flags
    | Some _, SizingMode.Kelly ->
        usage "--strategy bets without the streak's reversal rate: use --sizing fixed or fraction, not kelly"
    | _ -> options

/// `trade streak`.
let streak (args: ParseResults<TradeStreakArgs>) =
    let strategy = followedStrategy args
    let options = streakOptions args strategy

    args.TryGetResult TradeStreakArgs.History
    |> Option.filter (fun windows -> windows < 1)
    |> Option.iter (fun windows -> usage $"--history {windows} must be at least 1 window")

    let venue =
        venueOf
            (args.TryGetResult TradeStreakArgs.Sim)
            {
                Clob = args.TryGetResult TradeStreakArgs.Clob_Url
                Gamma = args.TryGetResult TradeStreakArgs.Gamma_Url
                DataApi = args.TryGetResult TradeStreakArgs.Data_Api_Url
            }
            (args.TryGetResult TradeStreakArgs.Ws_Url)

    use context =
        botContext
            "streak"
            venue
            options
            (args.TryGetResult TradeStreakArgs.Private_Key_File)
            (args.TryGetResult TradeStreakArgs.Credentials_File)
            (args.TryGetResult TradeStreakArgs.Log_Json)

    let bot =
        StreakBot(
            context.Trader,
            context.Windows,
            options.ToStreakConfig(),
            StreakBotOptions(
                ForceExitOnShutdown = not (args.Contains TradeStreakArgs.Keep_Pending),
                KillSwitch = Func<bool>(options.KillSwitchEngaged),
                Strategy = (strategy |> Option.defaultValue Unchecked.defaultof<OutcomeStrategy>),
                History = args.GetResult(TradeStreakArgs.History, defaultValue = (if strategy.IsSome then 50 else 0))
            ),
            venue.Clock,
            context.Logger
        )

    runBot context (args.TryGetResult TradeStreakArgs.Seconds) bot.RunAsync

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
        | TradeCopyArgs.No_Filter -> put "selective-filter" "false"
        | TradeCopyArgs.Max_Delay seconds -> put "max-delay-ms" (text (Math.Round(seconds * 1000.0)))
        | TradeCopyArgs.Min_Fill price -> put "min-fill" (text price)
        | TradeCopyArgs.Max_Fill price -> put "max-fill" (text price)
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

    args.TryGetResult TradeCopyArgs.Max_Delay
    |> Option.filter (fun seconds -> not (seconds >= 0.0))
    |> Option.iter (fun seconds -> usage $"--max-delay {seconds} must be at least 0 seconds")

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

    use context =
        botContext
            "copy"
            venue
            options
            (args.TryGetResult TradeCopyArgs.Private_Key_File)
            (args.TryGetResult TradeCopyArgs.Credentials_File)
            (args.TryGetResult TradeCopyArgs.Log_Json)

    let logger = context.Logger
    let clob = context.Services.GetRequiredService<ClobClient>()
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
            context.Trader,
            context.Services.GetRequiredService<DataApiClient>(),
            PolymarketAlgo.Executor.Books.ClobBookSnapshotSource(clob),
            context.Windows,
            CopyBotOptions(
                Wallets = wallets,
                Ratio = ratio,
                MaxAmount = options.BetAmount,
                MinAmount = options.MinBet,
                Poll = TimeSpan.FromSeconds poll,
                PriceTolerance = options.PriceTolerance,
                MaxPrice = options.MaxPrice,
                FeeRate = options.FeeRate,
                Filter = (options.CopyFilter |> Option.ofObj |> Option.defaultValue SelectiveFilter.off),
                ForceExitOnShutdown = not (args.Contains TradeCopyArgs.Keep_Pending),
                KillSwitch = Func<bool>(options.KillSwitchEngaged)
            ),
            venue.Clock,
            logger,
            paperBooks = context.Windows.Books,
            etherscan = etherscan
        )

    runBot context (args.TryGetResult TradeCopyArgs.Seconds) bot.RunAsync

/// Dispatches `trade` subcommands.
let run (args: ParseResults<TradeArgs>) =
    match args.GetSubCommand() with
    | Streak streak' -> streak streak'
    | Copy copy' -> copy copy'
