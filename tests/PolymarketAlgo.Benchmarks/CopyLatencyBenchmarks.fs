/// Issue #6: from a new activity record (or a book update) to the signed POST /order body in ≤ 1 ms inside the
/// process. Each benchmark runs the bot's hot path on recorded data with no network: the public functions the copy
/// bot and the streak bot call, in the order they call them. The journal's write-ahead record (SQLite, WAL,
/// synchronous=FULL) and the L2 HMAC the CLOB client adds after the hand-over are measured as rows of their own.
module PolymarketAlgo.Benchmarks.CopyLatencyBenchmarks

open System
open System.Globalization
open System.IO
open System.Text
open System.Text.Json
open System.Text.Json.Nodes
open BenchmarkDotNet.Attributes
open PolymarketAlgo.Core
open PolymarketAlgo.Executor.Auth
open PolymarketAlgo.Executor.Books
open PolymarketAlgo.Executor.Bots
open PolymarketAlgo.Executor.Journal
open PolymarketAlgo.Executor.Orders
open PolymarketAlgo.Executor.Recording
open PolymarketAlgo.Executor.Rest
open PolymarketAlgo.Executor.Secrets
open PolymarketAlgo.Executor.Streaming
open PolymarketAlgo.Benchmarks.CoreBenchmarks

let private polymarket =
    Path.Combine(repoRoot, "..", "shared", "data", "polymarket")

/// Hardhat's first development key: a public test key, never a real wallet.
let private testKey =
    PrivateKey.Parse "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"

let private owner = "00000000-0000-0000-0000-000000000000"

/// The activity fixture's wallet.
let private leader = "0x7c3db723f1d4d8cb9c550095203b686cb11e5c6b"

/// A recorded `book` message of btc-updown-5m-1776324000 (CronosVirus00's Parquet, 6 s before the window's end):
/// best bid 0.78, best ask 0.79, 20 ask levels: one of the 57 recorded books (of 11,640) on which the default
/// SelectiveFilter accepts the leader's 0.93 trade (a fill in 0.55..0.80 and within 15 % of 0.93).
let private recordedBook () =
    let file =
        Path.Combine(polymarket, "cronosvirus00_btc5m_book_parquet", "btc-updown-5m-1776324000_1776324296.parquet")

    let rows = ParquetBookRecording.ReadRowsAsync([| file |]).GetAwaiter().GetResult()
    rows[120]

/// The Data API v2 activity fixture (py-sdk, real rows of one leader) as a raw response body. There is no recorded
/// BTC 5-minute activity, so the first row is moved into the recorded book's market: its slug, token, outcome and
/// time (2 s before the book) are rewritten; its wallet, sizes, price, side and hash are the recorded ones. The
/// second row (another market) stays as recorded and is dropped by the detector.
let private activityPayload (slug: string) (tokenId: string) (timestamp: int64) =
    let rows =
        JsonNode
            .Parse(File.ReadAllText(Path.Combine(polymarket, "polymarket_py_sdk_fixtures_data_v2", "activity.json")))
            .AsArray()

    let first = rows[0].AsObject()
    first["slug"] <- JsonValue.Create slug
    first["token_id"] <- JsonValue.Create tokenId
    first["outcome"] <- JsonValue.Create "Up"
    first["outcome_index"] <- JsonValue.Create 0
    first["timestamp"] <- JsonValue.Create timestamp
    Encoding.UTF8.GetBytes(rows.ToJsonString())

/// A signed FOK order's POST /order body, as the live trader builds it from the intent.
let private signedBody (builder: OrderBuilder) (market: MarketInfo) (tokenId: string) (intent: OrderIntent) =
    let side = if intent.Side.IsBuy then Side.Buy else Side.Sell

    let signed =
        builder
            .CreateMarketOrder(
                MarketOrderRequest(TokenId.Parse tokenId, side, intent.Amount, intent.Price, OrderType = OrderType.Fok),
                market
            )
            .Value

    OrderSerializer.Serialize(OrderSubmission.Create(signed, owner, OrderType.Fok).Value)

/// The copy bot's and the streak bot's in-process path to a signed order, and the steps around it.
[<MemoryDiagnoser; ShortRunJob>]
type CopyLatencyBenchmark() =
    let builder =
        OrderBuilder(testKey, OrderBuilderOptions(SaltSource = Func<int64>(fun () -> 479249096354L)))

    let options = CopyBotOptions()

    // The copy path: a book held locally, the leader's activity page as bytes, the bot's clock 2.7 s after the trade.
    let book = recordedBook ()
    let copyBooks = BookManager()
    let copyTime = DateTimeOffset.FromUnixTimeMilliseconds 1776324294711L
    let leaderTime = copyTime.ToUnixTimeSeconds() - 2L

    let activity = activityPayload book.slug book.asset_id leaderTime
    let copyMarket = MarketInfo(TickSize.OneHundredth, false, 5M)
    let account = Account.initial 100M copyTime

    do
        MarketMessageParser().Parse(ReadOnlySpan(Encoding.UTF8.GetBytes book.raw_data), copyBooks)
        |> ignore

    // The streak path: the recorded burst's book, one of its price_change frames, four Up windows before the target;
    // the booked token is taken as the Down side the streak bets on.
    let burst =
        let text =
            File.ReadAllText(
                Path.Combine(
                    polymarket,
                    "nautilus_trader",
                    "crates_test_data",
                    "ws_market_price_change_crossing_burst.json"
                )
            )

        use document = JsonDocument.Parse text

        [|
            for element in document.RootElement.EnumerateArray() -> Encoding.UTF8.GetBytes(element.GetRawText())
        |]

    let priceChange =
        burst
        |> Array.find (fun frame -> Encoding.UTF8.GetString(frame).Contains "price_change")

    let streakAsset =
        "76670567130917723816490572615540605537878462672464291990940067659127658071111"

    let parser = MarketMessageParser()
    let streakBooks = BookManager()
    // The window the burst was recorded in; the decision's clock is 1 s into it, inside the 30 s entry window.
    let target = DateTimeOffset.FromUnixTimeSeconds(1790658661L / 300L * 300L)
    let streakNow = target + TimeSpan.FromSeconds 1.0
    let streakMarket = MarketInfo(TickSize.OneThousandth, false, 5M)

    let outcomes =
        [|
            for k in 4..-1..1 ->
                {
                    Start = target - TimeSpan.FromMinutes(5.0 * float k)
                    Outcome = StreakReversal.Up
                }
        |]

    do parser.Parse(ReadOnlySpan burst[0], streakBooks) |> ignore

    let secret = Convert.ToBase64String(Array.create 32 7uy)
    let mutable journalPath = ""
    let mutable journal: TradeJournal = null
    let mutable journaled = 0

    /// Raw activity bytes → parsed page → new signal → sized, walked and filtered copy → risk check → signed,
    /// serialised POST /order body (the copy bot with a locally held book).
    [<Benchmark>]
    member _.ActivityToSignedOrder() : string =
        use document = JsonDocument.Parse(activity)

        let page =
            DataApiParser.ParsePage(document.RootElement, Func<JsonElement, WalletActivity> DataApiParser.ParseActivity)

        let signal =
            CopySignalDetector(copyTime - TimeSpan.FromMinutes 1.0).Detect(leader, page.Items)[0]

        let row = signal.Activity
        let delayMs = max 0L (int64 (copyTime - row.Timestamp).TotalMilliseconds)

        let held =
            Account.positions account
            |> Seq.filter (fun p -> p.MarketId = row.Slug && p.Outcome = signal.Outcome)
            |> Seq.sumBy _.Shares

        let amount = CopySizing.Amount(row.UsdcSize, options.Ratio, options.MaxAmount)

        if signal.Side.IsSell && held <= 0M then
            failwith "no position to sell"

        let core = CopyBot.ToCore(copyBooks.GetSnapshot row.TokenId)

        match BookWalk.estimate options.DelayImpact core TakerSide.Buy (float amount) delayMs with
        | Error e -> failwith $"{e}"
        | Ok estimate ->
            match
                SelectiveFilter.evaluate options.Filter (SelectiveFilter.candidate delayMs (float row.Price) estimate)
            with
            | Reject reason -> failwith reason
            | Accept ->
                let price =
                    min
                        (Math.Round(
                            decimal estimate.ExecutionPrice + options.PriceTolerance,
                            2,
                            MidpointRounding.ToPositiveInfinity
                        ))
                        options.MaxPrice

                let intent =
                    {
                        ClientOrderId = CopyBot.ClientOrderIdOf row
                        MarketId = row.Slug
                        WindowStart = signal.WindowStart
                        Outcome = signal.Outcome
                        Side = signal.Side
                        TimeInForce = TimeInForce.Fok
                        Amount = amount
                        Price = price
                        Expiration = 0L
                        FeeRate = options.FeeRate
                        Strategy = "copytrade"
                        Confidence = 0M
                        StreakLength = 0
                        Reason =
                            $"copy {signal.Wallet} {row.Side} {row.UsdcSize.ToString CultureInfo.InvariantCulture} @ {row.Price.ToString CultureInfo.InvariantCulture}"
                    }

                match Risk.check Risk.defaults false copyTime account intent with
                | Error breach -> failwith (Risk.describe breach)
                | Ok intent -> signedBody builder copyMarket row.TokenId intent

    /// One price_change frame parsed and applied to the local book → best ask → the streak decision (a 4-window Up
    /// streak, so it bets Down on this book) → signed, serialised POST /order body.
    [<Benchmark>]
    member _.BookUpdateToSignedOrder() : string =
        parser.Parse(ReadOnlySpan priceChange, streakBooks) |> ignore
        let mutable top = Unchecked.defaultof<TopOfBook>
        streakBooks.TryGetTop(streakAsset, &top) |> ignore

        let input =
            {
                Now = streakNow
                MarketId = "btc-updown-5m-" + string (target.ToUnixTimeSeconds())
                TargetWindowStart = target
                Outcomes = outcomes
                UpPrice = 0M
                DownPrice = top.BestAsk.Value.Price
                KillSwitch = false
            }

        match StreakDecision.decide StreakDecision.defaults account input with
        | Decision.Place intent -> signedBody builder streakMarket streakAsset intent
        | decision -> failwith (StreakDecision.describe decision)

    /// The L2 HMAC-SHA256 over the body that the CLOB client adds after the hand-over (POLY_SIGNATURE).
    [<Benchmark>]
    member this.L2SignatureOfBody() =
        L2Auth.ComputeSignature(secret, 1776324294L, "POST", "/order", this.Body)

    /// The journal's write-ahead OrderPlaced record (one SQLite transaction, WAL, synchronous=FULL) on the working
    /// disk: not part of the in-process path, but between the signature and the post in the live trader.
    [<Benchmark>]
    member _.JournalWriteAhead() =
        journaled <- journaled + 1

        let intent =
            {
                ClientOrderId = $"bench-{journaled}"
                MarketId = "btc-updown-5m-1776324000"
                WindowStart = DateTimeOffset.FromUnixTimeSeconds 1776324000L
                Outcome = StreakReversal.Up
                Side = OrderSide.Buy
                TimeInForce = TimeInForce.Fok
                Amount = 5M
                Price = 0.85M
                Expiration = 0L
                FeeRate = Fees.cryptoTakerRateDecimal
                Strategy = "copytrade"
                Confidence = 0M
                StreakLength = 0
                Reason = "benchmark"
            }

        journal.Record(TradingEvent.OrderPlaced(intent, copyTime), OrderContext(CopyDelayMs = 2000L))

    /// The copy path's body (checked once at setup).
    member val Body = "" with get, set

    /// Opens a fresh journal beside the repository and checks both paths end in a signed body.
    [<GlobalSetup>]
    member this.Setup() =
        this.Body <- this.ActivityToSignedOrder()
        this.BookUpdateToSignedOrder() |> ignore
        journalPath <- Path.Combine(repoRoot, "artifacts", "bench", $"journal-{Guid.NewGuid():N}.db")
        Directory.CreateDirectory(Path.GetDirectoryName journalPath) |> ignore
        journal <- TradeJournal.Open(journalPath, 100M)

    /// Closes and deletes the journal.
    [<GlobalCleanup>]
    member _.Cleanup() =
        journal.Dispose()

        for file in Directory.GetFiles(Path.GetDirectoryName journalPath, Path.GetFileName journalPath + "*") do
            File.Delete file
