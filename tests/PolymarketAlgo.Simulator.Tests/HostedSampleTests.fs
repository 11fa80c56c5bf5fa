/// The C# generic-host sample (tests/PolymarketAlgo.HostedSample), run as a child process against an in-process
/// simulator: its output, and the journal it wrote read back with TradeJournal.
module PolymarketAlgo.Simulator.Tests.HostedSampleTests

open System
open System.Diagnostics
open System.IO
open Expecto
open Microsoft.Extensions.DependencyInjection
open PolymarketAlgo.Core
open PolymarketAlgo.Executor.Auth
open PolymarketAlgo.Executor.Books
open PolymarketAlgo.Executor.Journal
open PolymarketAlgo.Executor.Markets
open PolymarketAlgo.Executor.Rest
open PolymarketAlgo.Executor.Secrets
open PolymarketAlgo.Executor.Trading
open PolymarketAlgo.Simulator
open PolymarketAlgo.Simulator.Markets
open PolymarketAlgo.Simulator.Tests.TestHelpers

/// What one run of the sample gave.
type private SampleRun =
    {
        ExitCode: int
        Stdout: string
        Stderr: string
    }

    member this.Lines =
        this.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries ||| StringSplitOptions.TrimEntries)

/// The sample built in the same configuration as the tests (the fsproj references it, so it is built first).
let private sampleDll =
    let configuration =
        if AppContext.BaseDirectory.Contains "/Debug/" then
            "Debug"
        else
            "Release"

    Path.Combine(
        repoRoot,
        "tests",
        "PolymarketAlgo.HostedSample",
        "bin",
        configuration,
        "net10.0",
        "PolymarketAlgo.HostedSample.dll"
    )

/// Runs `dotnet PolymarketAlgo.HostedSample.dll args` in `directory`.
let private runSample (directory: string) (args: string list) =
    let info =
        ProcessStartInfo(
            "dotnet",
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false
        )

    info.ArgumentList.Add sampleDll
    args |> List.iter info.ArgumentList.Add
    use proc = Process.Start info
    let stdout = proc.StandardOutput.ReadToEndAsync()
    let stderr = proc.StandardError.ReadToEndAsync()

    if not (proc.WaitForExit(TimeSpan.FromMinutes 2.0)) then
        proc.Kill true
        failwithf "the hosted sample timed out: %s" (String.Join(" ", args))

    {
        ExitCode = proc.ExitCode
        Stdout = stdout.Result
        Stderr = stderr.Result
    }

/// A fresh temporary directory, removed by `f`'s end.
let private withDirectory (f: string -> Threading.Tasks.Task<unit>) =
    task {
        let dir =
            Path.Combine(Path.GetTempPath(), "hosted-sample-" + Guid.NewGuid().ToString("N"))

        Directory.CreateDirectory dir |> ignore

        try
            do! f dir
        finally
            Directory.Delete(dir, true)
    }

/// The ask prices a buyer of `tokenId` meets in the window's replayed books: the recorded asks for the recorded
/// token, the mirrored bids (1 − p) for the other.
let private askPrices (window: MarketWindow) (tokenId: string) =
    window.Books.Snapshots
    |> Seq.collect (fun s ->
        if tokenId = window.RecordedTokenId then
            s.Asks |> Seq.map _.Price
        else
            s.Bids |> Seq.map (fun l -> 1m - l.Price))
    |> Set.ofSeq

let private money (value: decimal) =
    value.ToString(Globalization.CultureInfo.InvariantCulture)

[<Tests>]
let tests =
    testSequenced
    <| testList
        "Hosted C# sample"
        [
            testTask
                "on the simulator it streams the current window's book, fills a paper FOK buy and prints the journal it wrote" {
                // Start now at speed 1: the simulated clock is the wall clock the sample's UpDownMarkets reads.
                use host =
                    new SimulatorHost(SimulatorOptions(Data = recorded.Value, Port = 0, Leaders = [||]))

                let! _ = host.StartAsync()

                do!
                    withDirectory (fun dir ->
                        task {
                            let path = Path.Combine(dir, "journal.db")

                            let run =
                                runSample
                                    dir
                                    [
                                        "--clob-url"
                                        string host.ClobUrl
                                        "--gamma-url"
                                        string host.GammaUrl
                                        "--data-api-url"
                                        string host.DataApiUrl
                                        // The base URL, as `sim serve` prints it: the sample adds /ws/market.
                                        "--ws-url"
                                        string host.WebSocketUrl
                                        "--journal"
                                        path
                                    ]

                            Expect.equal run.ExitCode 0 $"the sample succeeds: {run.Stdout}{run.Stderr}"

                            use journal = TradeJournal.Open path
                            let events = journal.ReadEvents() |> Seq.map _.Event |> List.ofSeq

                            let intent =
                                events
                                |> List.choose (function
                                    | TradingEvent.OrderPlaced(intent, _) -> Some intent
                                    | _ -> None)
                                |> List.exactlyOne

                            let window: MarketWindow = host.Catalog.Get(intent.WindowStart.ToUnixTimeSeconds())

                            Expect.equal intent.MarketId window.Slug "the order is on a simulated btc-updown-5m window"
                            Expect.equal intent.Strategy "hosted-sample" "the sample's strategy name"
                            Expect.equal intent.Side OrderSide.Buy "a buy"
                            Expect.equal intent.Outcome StreakReversal.Outcome.Up "of Up"
                            Expect.equal intent.TimeInForce TimeInForce.Fok "FOK"
                            Expect.equal intent.Amount 2m "the default 2 pUSD"
                            let trade = journal.FindTrade intent.ClientOrderId
                            Expect.equal trade.Mode TradingMode.Paper "paper"
                            Expect.equal trade.TokenId window.UpTokenId "the window's Up token"

                            let fills =
                                events
                                |> List.choose (function
                                    | TradingEvent.Filled(_, _, shares, price, fee, _) -> Some(shares, price, fee)
                                    | _ -> None)

                            Expect.isNonEmpty fills "the order filled"
                            let asks = askPrices window window.UpTokenId

                            for shares, price, fee in fills do
                                Expect.isGreaterThan shares 0m "a fill has shares"

                                Expect.isTrue
                                    (asks.Contains price)
                                    $"fill price {price} is an ask of the recorded book"

                                Expect.isLessThanOrEqual price intent.Price "no fill above the limit"
                                Expect.isGreaterThanOrEqual fee 0m "fees are not negative"

                            let shares = fills |> List.sumBy (fun (s, _, _) -> s)
                            let spent = fills |> List.sumBy (fun (s, p, _) -> s * p)
                            Expect.isLessThanOrEqual spent intent.Amount "it spends at most the amount"

                            Expect.equal
                                journal.State.Orders[intent.ClientOrderId].Status
                                OrderStatus.Filled
                                "the order closed as filled"

                            let lines = run.Lines

                            let start = DateTimeOffset.FromUnixTimeSeconds window.StartUnixSeconds
                            let finish = DateTimeOffset.FromUnixTimeSeconds window.EndUnixSeconds

                            Expect.equal
                                lines[0]
                                $"market {window.Slug} {start:u} to {finish:u} up {window.UpTokenId} down {window.DownTokenId}"
                                "the discovered window and its tokens"

                            let book = lines[1].Split ' '
                            Expect.stringStarts lines[1] "book Up via websocket " "the book came over the WebSocket"

                            Expect.isTrue
                                (asks.Contains(decimal book[book.Length - 1]))
                                $"the printed best ask is a recorded ask: {lines[1]}"

                            Expect.stringStarts
                                lines[2]
                                $"order {intent.ClientOrderId} Paper Filled: {money shares} shares"
                                "the placement result"

                            let orderEvents =
                                events
                                |> List.filter (fun e -> EventCodec.ClientOrderId e = intent.ClientOrderId)

                            Expect.equal
                                lines[3]
                                $"journal {path}: {orderEvents.Length} events"
                                "the order's events are read back from the journal"

                            Expect.equal
                                (orderEvents |> List.map EventCodec.Kind)
                                [ "order_placed"; "order_accepted"; "filled"; "order_closed" ]
                                "placed, accepted, filled (one level), closed"

                            Expect.equal
                                (lines[4..] |> Array.map (fun l -> l.Split(' ')[0]) |> List.ofArray)
                                [ "order_placed"; "order_accepted"; "filled"; "order_closed" ]
                                "one line per event, in order"
                        })
            }

            testTask "a bad endpoint is refused in one line with exit code 2" {
                do!
                    withDirectory (fun dir ->
                        task {
                            let run =
                                runSample dir [ "--clob-url"; "notaurl"; "--journal"; Path.Combine(dir, "j.db") ]

                            Expect.equal run.ExitCode 2 "bad input"
                            Expect.equal run.Stdout "" "nothing on stdout"

                            Expect.equal
                                (run.Stderr.TrimEnd())
                                "error: Api.ClobUrl must be an absolute http:// or https:// URL, got 'notaurl'"
                                "the one-line reason"

                            Expect.isFalse (File.Exists(Path.Combine(dir, "j.db"))) "no journal was opened"
                        })
            }
        ]

/// Services of `AddPolymarketClient` on the simulator's endpoints, then `configure`.
let private clientOn
    (host: SimulatorHost)
    (configure: PolymarketAlgo.Executor.DependencyInjection.PolymarketClientOptions -> unit)
    =
    ServiceCollection()
        .AddPolymarketClient(fun options ->
            options.Api.ClobUrl <- host.ClobUrl
            options.Api.GammaUrl <- host.GammaUrl
            options.Api.DataApiUrl <- host.DataApiUrl
            options.MarketChannelUrl <- host.MarketChannelUrl
            configure options)
        .BuildServiceProvider()

[<Tests>]
let liveTests =
    testSequenced
    <| testList
        "AddPolymarketClient live on the simulator"
        [
            testTask "the registered live trader signs and posts a FOK buy that the simulator fills" {
                use host =
                    new SimulatorHost(SimulatorOptions(Data = recorded.Value, Port = 0, Leaders = [||]))

                let! _ = host.StartAsync()

                do!
                    withDirectory (fun dir ->
                        task {
                            // API credentials through the simulator's L1 endpoint, with the paper client's CLOB.
                            use paper =
                                clientOn host (fun options ->
                                    options.Trading <- TradingOptions(JournalPath = Path.Combine(dir, "paper.db")))

                            let! api =
                                ApiKeys.DeriveAsync(
                                    paper.GetRequiredService<ClobClient>().Transport,
                                    L1RequestAuthenticator(traderKey),
                                    create = true
                                )

                            let credentials =
                                Credentials
                                    .FromPrivateKey(traderKey)
                                    .WithApiCredentials(api.ApiKey, api.Secret, api.Passphrase)

                            let path = Path.Combine(dir, "live.db")

                            let live =
                                clientOn host (fun options ->
                                    options.Trading <- TradingOptions(JournalPath = path, Live = true)
                                    options.Credentials <- credentials)

                            try
                                let! market = live.GetRequiredService<UpDownMarkets>().GetCurrentAsync()
                                let window: MarketWindow = host.Catalog.Get(market.Window.StartUnixSeconds)

                                let! book = live.GetRequiredService<ClobClient>().GetBookAsync market.UpTokenId

                                let ask =
                                    PolymarketAlgo.Executor.Bots.PolymarketWindowSource.BestAsk(
                                        ClobBookSnapshotSource.ToSnapshot book
                                    )

                                let trader = live.GetRequiredService<ITrader>()
                                Expect.equal trader.Mode TradingMode.Live "live"

                                let intent =
                                    {
                                        ClientOrderId = "di-live-1"
                                        MarketId = market.Slug
                                        WindowStart = market.Window.Start
                                        Outcome = StreakReversal.Outcome.Up
                                        Side = OrderSide.Buy
                                        TimeInForce = TimeInForce.Fok
                                        Amount = 2m
                                        Price = min (ask + 0.05m) 0.99m
                                        Expiration = 0L
                                        FeeRate = Fees.cryptoTakerRateDecimal
                                        Strategy = "di-test"
                                        Confidence = 0m
                                        StreakLength = 0
                                        Reason = "AddPolymarketClient live"
                                    }

                                let! result = trader.PlaceMarketOrderAsync(TradeOrder(intent, market.UpTokenId))
                                Expect.equal result.Status OrderStatus.Filled $"filled: {result.Message}"
                                Expect.stringStarts result.OrderHash "0x" "the simulator accepted the signed order"
                                let asks = askPrices window window.UpTokenId

                                let fills =
                                    trader.Journal.ReadEvents()
                                    |> Seq.choose (fun e ->
                                        match e.Event with
                                        | TradingEvent.Filled(_, _, _, price, _, _) -> Some price
                                        | _ -> None)
                                    |> List.ofSeq

                                Expect.isNonEmpty fills "fills are journaled"

                                for price in fills do
                                    Expect.isTrue
                                        (asks.Contains price)
                                        $"fill price {price} is an ask of the recorded book"

                                    Expect.isLessThanOrEqual price intent.Price "no fill above the limit"
                            finally
                                live.DisposeAsync().AsTask().GetAwaiter().GetResult()
                        })
            }
        ]
