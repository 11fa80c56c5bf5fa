/// `services.AddPolymarketClient(...)`: what it registers, how it validates, paper by default and live only with
/// API credentials.
module PolymarketAlgo.Executor.Tests.ServiceRegistrationTests

open System
open System.Collections.Generic
open Expecto
open Microsoft.Extensions.Configuration
open Microsoft.Extensions.DependencyInjection
open Microsoft.Extensions.Options
open Microsoft.Extensions.Time.Testing
open PolymarketAlgo.Core
open PolymarketAlgo.Executor.Auth
open PolymarketAlgo.Executor.Books
open PolymarketAlgo.Executor.DependencyInjection
open PolymarketAlgo.Executor.Http
open PolymarketAlgo.Executor.Journal
open PolymarketAlgo.Executor.Markets
open PolymarketAlgo.Executor.Resilience
open PolymarketAlgo.Executor.Rest
open PolymarketAlgo.Executor.Secrets
open PolymarketAlgo.Executor.Streaming
open PolymarketAlgo.Executor.Trading
open PolymarketAlgo.Executor.Tests.JournalTests
open PolymarketAlgo.Executor.Tests.Vectors

/// A provider that checks every registration can be built and no scoped service leaks into a singleton.
let private build (services: IServiceCollection) =
    services.BuildServiceProvider(ServiceProviderOptions(ValidateOnBuild = true, ValidateScopes = true))

/// Runs `f` with a fresh journal path; the journal's folder is removed afterwards.
let private withJournalPath (f: string -> unit) =
    let path = tempJournal ()

    try
        f path
    finally
        cleanup path

/// Registers the client with a journal at `path` and then `configure`.
let private client (path: string) (configure: PolymarketClientOptions -> unit) =
    ServiceCollection()
        .AddPolymarketClient(fun options ->
            options.Trading <- TradingOptions(JournalPath = path)
            configure options)

/// The exception a registration that must be refused throws.
let private refused (register: unit -> IServiceCollection) : OptionsValidationException =
    try
        register () |> ignore
        failtest "the registration is refused"
    with :? OptionsValidationException as e ->
        e

/// The validation failures of registering with `configure`.
let private failures (configure: PolymarketClientOptions -> unit) =
    let e = refused (fun () -> ServiceCollection().AddPolymarketClient(configure))
    List.ofSeq e.Failures, e.Message

/// Credentials with the public Hardhat key and made-up API credentials.
let private apiCredentials () =
    Credentials
        .FromPrivateKey(anvilKey)
        .WithApiCredentials("00000000-0000-0000-0000-000000000001", zeroSecret, "passphrase")

[<Tests>]
let tests =
    testSequenced
    <| testList
        "AddPolymarketClient"
        [
            testCase "resolves every service, paper by default, on the configured endpoints and journal"
            <| fun () ->
                withJournalPath (fun path ->
                    let services =
                        client path (fun options ->
                            options.Api.ClobUrl <- Uri "http://127.0.0.1:9/clob"
                            options.Api.GammaUrl <- Uri "http://127.0.0.1:9/gamma"
                            options.MarketChannelUrl <- Uri "ws://127.0.0.1:9/ws/market")

                    use provider = build services
                    let api = provider.GetRequiredService<PolymarketApiOptions>()
                    Expect.equal api.ClobUrl (Uri "http://127.0.0.1:9/clob") "the CLOB URL reaches the REST options"
                    Expect.equal api.GammaUrl (Uri "http://127.0.0.1:9/gamma") "the Gamma URL reaches the REST options"

                    Expect.equal
                        api.DataApiUrl
                        (Uri "https://data-api.polymarket.com")
                        "the Data API keeps its default"

                    Expect.isNotNull (provider.GetRequiredService<PolymarketResilience>()) "resilience"
                    Expect.isNotNull (provider.GetRequiredService<ClobClient>()) "CLOB client"
                    Expect.isNotNull (provider.GetRequiredService<GammaClient>()) "Gamma client"
                    Expect.isNotNull (provider.GetRequiredService<DataApiClient>()) "Data API client"
                    Expect.isNotNull (provider.GetRequiredService<UpDownMarkets>()) "market discovery"
                    Expect.equal (provider.GetRequiredService<TimeProvider>()) TimeProvider.System "the system clock"

                    Expect.isNull (provider.GetService<IRequestAuthenticator>()) "no authenticator without credentials"

                    let books = provider.GetRequiredService<BookManager>()
                    let channels = provider.GetRequiredService<MarketChannelFactory>()

                    Expect.isTrue
                        (obj.ReferenceEquals(channels.Books, books))
                        "the channels stream into the shared books"

                    Expect.equal channels.Options.Url (Uri "ws://127.0.0.1:9/ws/market") "the market channel URL"
                    let channel = channels.Create()
                    Expect.isTrue (obj.ReferenceEquals(channel.Books, books)) "a created client keeps the shared books"

                    Expect.isTrue
                        (provider.GetRequiredService<IOrderBookSource>() :? BookManagerSource)
                        "the paper books are the streamed books"

                    let journal = provider.GetRequiredService<TradeJournal>()
                    Expect.equal journal.Path (IO.Path.GetFullPath path) "the journal at the configured path"
                    let trader = provider.GetRequiredService<ITrader>()
                    Expect.isTrue (trader :? PaperTrader) "a paper trader"
                    Expect.equal trader.Mode TradingMode.Paper "paper mode"
                    Expect.isTrue (obj.ReferenceEquals(trader.Journal, journal)) "the trader records into the journal"

                    Expect.equal
                        (provider.GetRequiredService<RiskGate>().Limits)
                        Risk.defaults
                        "the default risk limits")

            testCase
                "the paper trader fills a FOK buy on the streamed book, within the configured risk, at the registered clock"
            <| fun () ->
                withJournalPath (fun path ->
                    let clock = FakeTimeProvider(t0)
                    let services = ServiceCollection().AddSingleton<TimeProvider>(clock)

                    services.AddPolymarketClient(fun options ->
                        options.Trading <-
                            TradingOptions(
                                JournalPath = path,
                                Bankroll = 1000m,
                                Risk =
                                    { Risk.defaults with
                                        MaxDailyLoss = 500m
                                        MaxPositionPerMarket = 500m
                                    }
                            ))
                    |> ignore

                    use provider = build services
                    let books = provider.GetRequiredService<BookManager>()
                    let book = PaperTraderTests.recordedBook.Value
                    books.Track book.AssetId
                    Expect.isTrue (books.ApplySnapshot book) "the book is applied"
                    let trader = provider.GetRequiredService<ITrader>()

                    let order =
                        TradeOrder(
                            { intent "a" "btc-updown-5m-1776323700" 150m with
                                Price = 0.5m
                            },
                            book.AssetId
                        )

                    let result = trader.PlaceMarketOrderAsync(order).GetAwaiter().GetResult()
                    Expect.equal result.Status OrderStatus.Filled $"filled: {result.Message}"
                    // 705 at 0.14, 70 at 0.20, then 37.3 / 0.38 = 98.157894 shares at 0.38 (PaperTraderTests).
                    Expect.equal result.FilledShares (705m + 70m + 98.157894m) "three ask levels"

                    let times =
                        trader.Journal.ReadEvents()
                        |> Seq.map (fun e -> Account.eventTime e.Event)
                        |> Set.ofSeq

                    Expect.equal times (set [ t0 ]) "every event carries the registered clock's time"
                    Expect.equal trader.Journal.State.Bankroll 1000m "the configured bankroll of a new journal")

            testCase "a bankroll given as an override is recorded in an existing journal"
            <| fun () ->
                withJournalPath (fun path ->
                    (TradeJournal.Open(path, 100m)).Dispose()

                    use provider =
                        build (
                            client path (fun options ->
                                options.Trading <-
                                    TradingOptions(JournalPath = path, Bankroll = 250m, BankrollOverride = true))
                        )

                    Expect.equal (provider.GetRequiredService<TradeJournal>().State.Bankroll) 250m "the override")

            testCase "invalid endpoints and journal settings are refused with one message each"
            <| fun () ->
                let errors, message =
                    failures (fun options ->
                        options.Api.ClobUrl <- Uri "ftp://127.0.0.1/"
                        options.MarketChannelUrl <- Uri "http://127.0.0.1/ws"
                        options.Trading <- TradingOptions(JournalPath = " ", Bankroll = -1m))

                Expect.equal
                    errors
                    [
                        "Api.ClobUrl must be an absolute http:// or https:// URL, got 'ftp://127.0.0.1/'"
                        "MarketChannelUrl must be an absolute ws:// or wss:// URL, got 'http://127.0.0.1/ws'"
                        "Trading.JournalPath must name the journal file"
                        "Trading.Bankroll must be at least 0, got -1"
                    ]
                    "every problem, in order"

                Expect.stringContains message "Api.ClobUrl must be" "the exception's message names the problems"

            testCase "live trading is refused without credentials"
            <| fun () ->
                let errors, _ =
                    failures (fun options -> options.Trading <- TradingOptions(Live = true))

                Expect.equal
                    errors
                    [
                        "Live trading needs Credentials (the private key and API credentials); paper trading is the default"
                    ]
                    "the reason"

            testCase "live trading is refused with a key but no API credentials, and the key is not shown"
            <| fun () ->
                let errors, message =
                    failures (fun options ->
                        options.Trading <- TradingOptions(Live = true)
                        options.Credentials <- Credentials.FromPrivateKey anvilKey)

                Expect.equal
                    errors
                    [
                        "Live trading needs API credentials (key, secret, passphrase) in Credentials; derive them first (polymarket-algo auth derive)"
                    ]
                    "the reason"

                Expect.isFalse (message.Contains(anvilKeyHex.Substring 2)) "no key in the message"

            testCase "live trading is refused when the order builder settings do not fit the key"
            <| fun () ->
                let errors, _ =
                    failures (fun options ->
                        options.Trading <- TradingOptions(Live = true)
                        options.Credentials <- apiCredentials ()

                        options.OrderBuilder <-
                            PolymarketAlgo.Executor.Orders.OrderBuilderOptions(
                                SignatureType = PolymarketAlgo.Executor.Orders.SignatureType.PolyProxy
                            ))

                Expect.equal errors.Length 1 "one problem"

                Expect.stringStarts
                    errors.Head
                    "OrderBuilder: POLY_PROXY and POLY_GNOSIS_SAFE orders need the funder"
                    "the reason"

            testCase "with live set and API credentials, the trader is live and the CLOB client authenticates"
            <| fun () ->
                withJournalPath (fun path ->
                    let credentials = apiCredentials ()

                    let services =
                        client path (fun options ->
                            options.Trading <- TradingOptions(JournalPath = path, Live = true)
                            options.Credentials <- credentials)

                    let provider = build services

                    try
                        let trader = provider.GetRequiredService<ITrader>()
                        Expect.isTrue (trader :? LiveTrader) "a live trader"
                        Expect.equal trader.Mode TradingMode.Live "live mode"

                        Expect.isTrue
                            (provider.GetRequiredService<IRequestAuthenticator>() :? L2RequestAuthenticator)
                            "L2 authentication for the CLOB client"
                    finally
                        provider.DisposeAsync().AsTask().GetAwaiter().GetResult())

            testCase "API credentials without live keep the paper trader"
            <| fun () ->
                withJournalPath (fun path ->
                    use provider =
                        build (client path (fun options -> options.Credentials <- apiCredentials ()))

                    Expect.equal (provider.GetRequiredService<ITrader>().Mode) TradingMode.Paper "paper")

            testCase "options bind from a configuration section"
            <| fun () ->
                withJournalPath (fun path ->
                    let configuration =
                        ConfigurationBuilder()
                            .AddInMemoryCollection(
                                dict
                                    [
                                        "Polymarket:Api:ClobUrl", "http://127.0.0.1:9/clob"
                                        "Polymarket:Api:Resilience:Clob:MaxRetryAttempts", "1"
                                        "Polymarket:MarketChannelUrl", "ws://127.0.0.1:9/ws/market"
                                        "Polymarket:Trading:JournalPath", path
                                        "Polymarket:Trading:Bankroll", "40"
                                        "Polymarket:Trading:Risk:MaxDailyLoss", "12.5"
                                        "Polymarket:OrderBuilder:ChainId", "80002"
                                    ]
                                |> Seq.map (fun (KeyValue(k, v)) -> KeyValuePair<string, string>(k, v))
                            )
                            .Build()

                    use provider =
                        build (ServiceCollection().AddPolymarketClient(configuration.GetSection "Polymarket"))

                    let options = provider.GetRequiredService<PolymarketClientOptions>()
                    Expect.equal options.Api.ClobUrl (Uri "http://127.0.0.1:9/clob") "Api:ClobUrl"
                    Expect.equal options.Api.Resilience.Clob.MaxRetryAttempts 1 "a nested resilience setting"
                    Expect.equal options.MarketChannelUrl (Uri "ws://127.0.0.1:9/ws/market") "MarketChannelUrl"
                    Expect.equal options.Trading.JournalPath path "Trading:JournalPath"
                    Expect.equal options.Trading.Bankroll 40m "Trading:Bankroll"

                    Expect.equal
                        options.Trading.Risk
                        { Risk.defaults with
                            MaxDailyLoss = 12.5m
                        }
                        "Trading:Risk:MaxDailyLoss, the other limits at their defaults"

                    Expect.equal options.OrderBuilder.ChainId 80002L "OrderBuilder:ChainId"
                    Expect.equal (provider.GetRequiredService<TradeJournal>().State.Bankroll) 40m "the bound bankroll")

            testCase "a configuration value of the wrong type is refused with the key's name"
            <| fun () ->
                let configuration =
                    ConfigurationBuilder()
                        .AddInMemoryCollection([ KeyValuePair<string, string>("Trading:Bankroll", "lots") ])
                        .Build()

                let e = refused (fun () -> ServiceCollection().AddPolymarketClient(configuration))

                Expect.stringContains e.Message "Trading:Bankroll" "names the key"
        ]
