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

/// Opens the journal, applying a `--bankroll` override as a BankrollSet event.
let private openJournal (options: TradingOptions) =
    let journal =
        try
            TradeJournal.Open(options.JournalPath, options.Bankroll)
        with :? InvalidOperationException as e ->
            failed e.Message

    if options.BankrollOverride && journal.State.Bankroll <> options.Bankroll then
        journal.Record(TradingEvent.BankrollSet(options.Bankroll, DateTimeOffset.UtcNow))
        |> ignore

    journal

/// A live trader: refuses to start without the private key and API credentials; signs with the key and
/// posts through an L2-authenticated CLOB client; tick size and neg-risk come from the CLOB per token.
let private liveTrader
    (privateKeyFile: string option)
    (credentialsFile: string option)
    (services: ServiceProvider)
    (journal: TradeJournal)
    (risk: RiskGate)
    (logger: ILogger)
    : ITrader =
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

    new LiveTrader(
        journal,
        clob,
        builder,
        marketInfo,
        LiveTraderOptions(Owner = credentials.ApiKey),
        risk = risk,
        logger = logger
    )

/// `trade streak`.
let streak (args: ParseResults<TradeStreakArgs>) =
    let options = loadOptions (streakFlags args)

    let endpoints: MarketCommands.Endpoints =
        {
            Clob = args.TryGetResult TradeStreakArgs.Clob_Url
            Gamma = args.TryGetResult TradeStreakArgs.Gamma_Url
            DataApi = args.TryGetResult TradeStreakArgs.Data_Api_Url
        }

    use services = MarketCommands.services endpoints
    use logging = loggerFactory (args.TryGetResult TradeStreakArgs.Log_Json)
    let logger = logging.CreateLogger("streak")
    use journal = openJournal options

    let windows =
        PolymarketWindowSource(services.GetRequiredService<UpDownMarkets>(), services.GetRequiredService<ClobClient>())

    let risk = RiskGate(options.Risk, Func<bool>(options.KillSwitchEngaged))

    let trader: ITrader =
        if options.Live then
            liveTrader
                (args.TryGetResult TradeStreakArgs.Private_Key_File)
                (args.TryGetResult TradeStreakArgs.Credentials_File)
                services
                journal
                risk
                logger
        else
            PaperTrader(journal, windows.Books, risk = risk)

    let bot =
        StreakBot(
            trader,
            windows,
            options.ToStreakConfig(),
            StreakBotOptions(
                ForceExitOnShutdown = not (args.Contains TradeStreakArgs.Keep_Pending),
                KillSwitch = Func<bool>(options.KillSwitchEngaged)
            ),
            TimeProvider.System,
            logger
        )

    use stop = stopToken (args.TryGetResult TradeStreakArgs.Seconds)
    let summary = bot.RunAsync(stop.Token).GetAwaiter().GetResult()
    printSummary summary

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

    let endpoints: MarketCommands.Endpoints =
        {
            Clob = args.TryGetResult TradeCopyArgs.Clob_Url
            Gamma = args.TryGetResult TradeCopyArgs.Gamma_Url
            DataApi = args.TryGetResult TradeCopyArgs.Data_Api_Url
        }

    use services = MarketCommands.services endpoints
    use logging = loggerFactory (args.TryGetResult TradeCopyArgs.Log_Json)
    let logger = logging.CreateLogger("copy")
    use journal = openJournal options
    let clob = services.GetRequiredService<ClobClient>()

    let windows =
        PolymarketWindowSource(services.GetRequiredService<UpDownMarkets>(), clob)

    let risk = RiskGate(options.Risk, Func<bool>(options.KillSwitchEngaged))

    let trader: ITrader =
        if options.Live then
            liveTrader
                (args.TryGetResult TradeCopyArgs.Private_Key_File)
                (args.TryGetResult TradeCopyArgs.Credentials_File)
                services
                journal
                risk
                logger
        else
            PaperTrader(journal, windows.Books, risk = risk)

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
            trader,
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
                ForceExitOnShutdown = not (args.Contains TradeCopyArgs.Keep_Pending),
                KillSwitch = Func<bool>(options.KillSwitchEngaged)
            ),
            TimeProvider.System,
            logger,
            paperBooks = windows.Books,
            etherscan = etherscan
        )

    use stop = stopToken (args.TryGetResult TradeCopyArgs.Seconds)
    let summary = bot.RunAsync(stop.Token).GetAwaiter().GetResult()
    printSummary summary

/// Dispatches `trade` subcommands.
let run (args: ParseResults<TradeArgs>) =
    match args.GetSubCommand() with
    | Streak streak' -> streak streak'
    | Copy copy' -> copy copy'
