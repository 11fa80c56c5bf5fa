/// `markets btc-5m`, `market SLUG`, `book TOKEN_ID`, `price TOKEN_ID` and `auth derive`: read-only REST
/// calls through the Executor's clients (with their retries, rate limits and typed errors).
module PolymarketAlgo.Cli.MarketCommands

open System
open System.Globalization
open Microsoft.Extensions.DependencyInjection
open Microsoft.Extensions.Options
open PolymarketAlgo.Executor.Auth
open PolymarketAlgo.Executor.DependencyInjection
open PolymarketAlgo.Executor.Http
open PolymarketAlgo.Executor.Markets
open PolymarketAlgo.Executor.Rest
open PolymarketAlgo.Cli.Output

/// Endpoint overrides: flags first, then POLYMARKET_CLOB_URL / POLYMARKET_GAMMA_URL / POLYMARKET_DATA_API_URL.
type Endpoints =
    {
        Clob: string option
        Gamma: string option
        DataApi: string option
    }

let private absolute (flag: string) (text: string) =
    match Uri.TryCreate(text, UriKind.Absolute) with
    | true, uri when uri.Scheme = "http" || uri.Scheme = "https" -> uri
    | _ -> usage $"{flag} '{text}' is not an absolute http(s) URL"

/// Builds the Executor's services through its one registration path (`AddPolymarketClient`), with the endpoints
/// resolved from flags and environment; `configure` sets the rest of the options and `register` adds or replaces
/// services.
let servicesWith
    (endpoints: Endpoints)
    (configure: PolymarketClientOptions -> unit)
    (register: IServiceCollection -> unit)
    : ServiceProvider =
    let pick (flag: string) (value: string option) (variable: string) =
        value
        |> Option.orElse (SecretSources.setting variable)
        |> Option.map (absolute flag)

    let clob = pick "--clob-url" endpoints.Clob "POLYMARKET_CLOB_URL"
    let gamma = pick "--gamma-url" endpoints.Gamma "POLYMARKET_GAMMA_URL"
    let dataApi = pick "--data-api-url" endpoints.DataApi "POLYMARKET_DATA_API_URL"
    let services = ServiceCollection()

    try
        services.AddPolymarketClient(fun options ->
            clob |> Option.iter (fun url -> options.Api.ClobUrl <- url)
            gamma |> Option.iter (fun url -> options.Api.GammaUrl <- url)
            dataApi |> Option.iter (fun url -> options.Api.DataApiUrl <- url)
            configure options)
        |> ignore
    with :? OptionsValidationException as e ->
        usage e.Message

    register services
    services.BuildServiceProvider()

/// Builds the REST clients with the endpoints resolved from flags and environment.
let services (endpoints: Endpoints) : ServiceProvider = servicesWith endpoints ignore ignore

/// A CLOB client whose authenticated endpoints carry the L2 headers of `credentials` (the provider lives as
/// long as the process: the CLI runs one command).
let authenticatedClob (endpoints: Endpoints) (credentials: PolymarketAlgo.Executor.Secrets.Credentials) : ClobClient =
    let provider =
        servicesWith endpoints (fun options -> options.Credentials <- credentials) ignore

    provider.GetRequiredService<ClobClient>()

/// Runs a REST call, turning the client's typed errors into one-line failures (exit 1).
let call (work: Threading.Tasks.Task<'T>) : 'T =
    try
        work.GetAwaiter().GetResult()
    with :? PolymarketApiException as e ->
        failed e.Message

let private money (value: Nullable<decimal>) =
    if value.HasValue then Number(float value.Value) else Null

let private iso (time: Nullable<DateTimeOffset>) =
    if time.HasValue then
        Text(time.Value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))
    else
        Null

let private marketJson (market: UpDownMarket) =
    Object
        [
            "slug", Text market.Slug
            "window_start",
            Text(market.Window.Start.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))
            "condition_id", Text market.ConditionId
            "up_token_id", Text market.UpTokenId
            "down_token_id", Text market.DownTokenId
            "up_price", money market.UpPrice
            "down_price", money market.DownPrice
            "accepting_orders", Bool market.AcceptingOrders
            "closed", Bool market.Closed
            "winner",
            (if market.Winner.HasValue then
                 Text(string market.Winner.Value)
             else
                 Null)
            "tick_size", money market.TickSize
            "min_order_size", money market.MinOrderSize
            "neg_risk", Bool market.NegRisk
            "end_date", iso market.EndDate
        ]

/// `markets btc-5m [--count N]`: the current and upcoming windows with token ids and prices.
let markets (endpoints: Endpoints) (family: string) (count: int) (json: bool) =
    if family <> "btc-5m" then
        usage $"unknown market family '{family}': use btc-5m"

    if count < 1 || count > 50 then
        usage $"--count {count} must be between 1 and 50"

    use provider = services endpoints
    let upDown = provider.GetRequiredService<UpDownMarkets>()
    let found = call (upDown.GetUpcomingAsync count)

    if json then
        printJson (Array [ for market in found -> marketJson market ])
    else
        printTable
            [ "slug"; "start (UTC)"; "up"; "down"; "accepting"; "up token"; "down token" ]
            [
                for m in found ->
                    [
                        m.Slug
                        m.Window.Start.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture)
                        (if m.UpPrice.HasValue then string m.UpPrice.Value else "-")
                        (if m.DownPrice.HasValue then
                             string m.DownPrice.Value
                         else
                             "-")
                        string m.AcceptingOrders
                        m.UpTokenId
                        m.DownTokenId
                    ]
            ]

/// `market SLUG`: one btc-updown window by slug (or any Gamma market by slug).
let market (endpoints: Endpoints) (slug: string) (json: bool) =
    use provider = services endpoints

    match UpDownSeries.TryParse slug with
    | true, window ->
        let upDown = provider.GetRequiredService<UpDownMarkets>()

        match call (upDown.GetAsync window) with
        | null -> failed $"no market with slug '{slug}'"
        | found ->
            if json then
                printJson (marketJson found)
            else
                for name, value in
                    (match marketJson found with
                     | Object fields -> fields
                     | _ -> []) do
                    printfn "%-18s %s" name (renderJson value)
    | _ ->
        let gamma = provider.GetRequiredService<GammaClient>()

        match call (gamma.GetMarketBySlugAsync slug) with
        | null -> failed $"no market with slug '{slug}'"
        | found ->
            let fields =
                [
                    "slug", Text found.Slug
                    "question", Text(string found.Question)
                    "condition_id", Text found.ConditionId
                    "closed", Bool found.Closed
                ]

            if json then
                printJson (Object fields)
            else
                fields |> List.iter (fun (k, v) -> printfn "%-14s %s" k (renderJson v))

/// `book TOKEN_ID`: the order book's best levels.
let book (endpoints: Endpoints) (tokenId: string) (depth: int) (json: bool) =
    use provider = services endpoints
    let clob = provider.GetRequiredService<ClobClient>()
    let summary = call (clob.GetBookAsync tokenId)

    let bids =
        summary.Bids
        |> Seq.sortByDescending (fun level -> level.Price)
        |> Seq.truncate depth
        |> List.ofSeq

    let asks =
        summary.Asks
        |> Seq.sortBy (fun level -> level.Price)
        |> Seq.truncate depth
        |> List.ofSeq

    if json then
        let levels (side: PriceLevel list) =
            Array
                [
                    for level in side -> Object [ "price", Number(float level.Price); "size", Number(float level.Size) ]
                ]

        printJson (Object [ "asset_id", Text tokenId; "bids", levels bids; "asks", levels asks ])
    else
        printTable
            [ "bid size"; "bid"; "ask"; "ask size" ]
            [
                for i in 0 .. max bids.Length asks.Length - 1 ->
                    let bid = List.tryItem i bids
                    let ask = List.tryItem i asks

                    [
                        bid |> Option.map (fun l -> string l.Size) |> Option.defaultValue ""
                        bid |> Option.map (fun l -> string l.Price) |> Option.defaultValue ""
                        ask |> Option.map (fun l -> string l.Price) |> Option.defaultValue ""
                        ask |> Option.map (fun l -> string l.Size) |> Option.defaultValue ""
                    ]
            ]

/// `price TOKEN_ID`: best buy and sell price and the midpoint.
let price (endpoints: Endpoints) (tokenId: string) (json: bool) =
    use provider = services endpoints
    let clob = provider.GetRequiredService<ClobClient>()
    let buy = call (clob.GetPriceAsync(tokenId, QuoteSide.Buy))
    let sell = call (clob.GetPriceAsync(tokenId, QuoteSide.Sell))
    let mid = call (clob.GetMidpointAsync tokenId)

    if json then
        printJson (
            Object
                [
                    "asset_id", Text tokenId
                    "buy", Number(float buy)
                    "sell", Number(float sell)
                    "mid", Number(float mid)
                ]
        )
    else
        printfn "buy %M  sell %M  mid %M" buy sell mid

/// `auth derive`: L1 → API key, secret and passphrase, stored in a 0600 credentials file (never printed).
let derive (endpoints: Endpoints) (keyFile: string option) (out: string option) (create: bool) (chainId: int64) =
    let key = SecretSources.privateKey keyFile
    use provider = services endpoints
    let clob = provider.GetRequiredService<ClobClient>()

    let credentials =
        call (ApiKeys.DeriveAsync(clob.Transport, L1RequestAuthenticator(key, chainId), create))

    let path = defaultArg out (SecretSources.defaultCredentialsFile ())
    SecretSources.saveApiCredentials path credentials.ApiKey credentials.Secret credentials.Passphrase
    printfn "API key %s for %s stored in %s (mode 0600)" credentials.ApiKey key.Address.Checksummed path
