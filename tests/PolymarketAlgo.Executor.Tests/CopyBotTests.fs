module PolymarketAlgo.Executor.Tests.CopyBotTests

open System
open System.Collections.Concurrent
open System.Collections.Generic
open System.Numerics
open System.Text.RegularExpressions
open System.Text.Json.Nodes
open System.Threading
open System.Threading.Tasks
open Expecto
open Microsoft.AspNetCore.Http
open Microsoft.Extensions.Logging
open Microsoft.Extensions.Logging.Abstractions
open Microsoft.Extensions.Time.Testing
open PolymarketAlgo.Core
open PolymarketAlgo.Executor.Books
open PolymarketAlgo.Executor.Bots
open PolymarketAlgo.Executor.Http
open PolymarketAlgo.Executor.Journal
open PolymarketAlgo.Executor.Onchain
open PolymarketAlgo.Executor.Orders
open PolymarketAlgo.Executor.Secrets
open PolymarketAlgo.Executor.Trading
open PolymarketAlgo.Executor.Tests.FakePolymarket

let private activityFile = "polymarket_py_sdk_fixtures_data_v2/activity.json"
let private leader = "0x7c3db723f1d4d8cb9c550095203b686cb11e5c6b"

/// The fixture rows (neither is a BTC 5-minute trade) followed by copies of them moved into BTC 5-minute
/// markets: the first as an Up buy, the second as a Down buy, the first again (a duplicate), the first as an
/// Up sell, and the first with a new hash an hour before the bot started.
let private activityRows () =
    let rows = JsonNode.Parse(payload activityFile).AsArray()
    let all = JsonArray()

    let derived (index: int) (outcome: string) (side: string) (hashSuffix: string) (shift: int64) =
        let row = rows[index].DeepClone().AsObject()
        let ts = row["timestamp"].GetValue<int64>() + shift
        row["timestamp"] <- JsonValue.Create ts
        row["slug"] <- JsonValue.Create $"btc-updown-5m-{ts - ts % 300L}"
        row["outcome"] <- JsonValue.Create outcome
        row["outcome_index"] <- JsonValue.Create(if outcome = "Up" then 0 else 1)
        row["side"] <- JsonValue.Create side
        row["transaction_hash"] <- JsonValue.Create(row["transaction_hash"].GetValue<string>() + hashSuffix)
        row

    for row in rows do
        all.Add(row.DeepClone())

    all.Add(derived 0 "Up" "BUY" "" 0L)
    all.Add(derived 1 "Down" "BUY" "" 0L)
    all.Add(derived 0 "Up" "BUY" "" 0L)
    all.Add(derived 0 "Up" "SELL" "" 0L)
    all.Add(derived 0 "Up" "BUY" "00" -3600L)
    all

let private envelope (rows: JsonArray) =
    $"""{{"data":{rows.ToJsonString()},"pagination":{{"limit":50,"has_more":false}}}}"""

/// A book one tick wide: bid 0.92, ask 0.93, 500 shares each.
let private book (token: string) =
    $"""{{"market":"0x0a","asset_id":"{token}","timestamp":"1788886611000","hash":"h","bids":[{{"price":"0.92","size":"500"}}],"asks":[{{"price":"0.93","size":"500"}}],"tick_size":"0.01","min_order_size":"5","neg_risk":false}}"""

/// Every post fills: 3.32 pUSD for 3.57 shares (the copied buy of 13.285715 × 0.25 at about 0.93).
let private matchedReply =
    """{"success":true,"errorMsg":"","orderID":"0x2b8b3e9ae6d0d4d2b6a5f5b5c4ec3e4f0f1a3c5f5b1c8b1d1c2e3f4a5b6c7d8e","status":"matched","makingAmount":"3.32","takingAmount":"3.57","tradeIDs":[]}"""

let private handler (r: Recorded) (ctx: HttpContext) =
    match r.Path with
    | "/data/v2/activity" -> json ctx 200 (envelope (activityRows ()))
    | "/clob/book" -> json ctx 200 (book (r.QueryValue "token_id"))
    | "/clob/tick-size" -> json ctx 200 """{"minimum_tick_size":0.01}"""
    | "/clob/neg-risk" -> json ctx 200 """{"neg_risk":false}"""
    | "/clob/order" -> json ctx 200 matchedReply
    | _ -> notFound ctx

/// A logger that keeps every event's text and structured fields.
type private ListLogger() =
    let events = ConcurrentQueue<string * IReadOnlyList<KeyValuePair<string, obj>>>()

    /// The events whose text starts with `prefix`.
    member _.Starting(prefix: string) =
        [
            for text, fields in events do
                if text.StartsWith(prefix, StringComparison.Ordinal) then
                    text, fields
        ]

    interface ILogger with
        member _.BeginScope<'TState>(_: 'TState) =
            { new IDisposable with
                member _.Dispose() = ()
            }

        member _.IsEnabled _ = true

        member _.Log<'TState>(_, _, state: 'TState, error, formatter) =
            let fields =
                match box state with
                | :? IReadOnlyList<KeyValuePair<string, obj>> as fields -> fields
                | _ -> [||]

            events.Enqueue(formatter.Invoke(state, error), fields)

/// A live trader against the fake CLOB, signing with Hardhat's first development key (a public test key),
/// looking the market up through the CLOB and logging to the bot's logger as the CLI does.
let private liveTrader
    (clob: PolymarketAlgo.Executor.Rest.ClobClient)
    (journal: TradeJournal)
    (time: TimeProvider)
    (logger: ILogger)
    =
    let marketInfo =
        Func<string, CancellationToken, Task<MarketInfo>>(fun token ct ->
            task {
                let! tick = clob.GetTickSizeAsync(token, ct)
                let! negRisk = clob.GetNegRiskAsync(token, ct)
                return MarketInfo(TickSize.FromValue tick, negRisk, 5m)
            })

    let key =
        PrivateKey.Parse "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"

    new LiveTrader(
        journal,
        clob,
        OrderBuilder(key),
        marketInfo,
        LiveTraderOptions(Owner = "00000000-0000-0000-0000-000000000000"),
        time,
        logger = logger
    )

/// Windows that never resolve (settlement is not under test here).
type private NoWindows() =
    interface IWindowSource with
        member _.GetWindowAsync(_, _) = Task.FromResult<BotWindow>(null)
        member _.GetPricesAsync(_, _) = Task.FromResult(WindowPrices())

/// The first fixture row's time: the bot starts 10 s before it and polls 2 s after it.
let private firstRowTime = DateTimeOffset.FromUnixTimeSeconds 1788886609L

/// Runs `body` with a copy bot on the fake exchange: paper, or live when `live`.
let private withCopyBotOn
    (live: bool)
    (logger: ILogger)
    (options: CopyBotOptions)
    (body: CopyBot -> TradeJournal -> FakeTimeProvider -> Task<unit>)
    =
    runTask
    <| withServer handler (fun o -> o.DataApiVersion <- DataApiVersion.V2) TimeProvider.System (fun _ h ->
        task {
            let path = JournalTests.tempJournal ()
            let time = FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds 1788886000L)
            use journal = TradeJournal.Open(path, 100m, time)
            let books = SnapshotBookSource()

            let liveOne =
                if live then
                    Some(liveTrader h.Clob journal time logger)
                else
                    None

            let trader =
                match liveOne with
                | Some t -> t :> ITrader
                | None -> PaperTrader(journal, books, timeProvider = time)

            let bot =
                CopyBot(
                    trader,
                    h.Data,
                    ClobBookSnapshotSource(h.Clob),
                    NoWindows(),
                    options,
                    time,
                    logger,
                    paperBooks = books
                )

            time.SetUtcNow(firstRowTime + TimeSpan.FromSeconds 2.0)

            try
                do! body bot journal time
            finally
                liveOne |> Option.iter (fun t -> t.DisposeAsync().AsTask().Wait())
        })

let private withCopyBot options body =
    withCopyBotOn false NullLogger.Instance options body

/// The copy bot's timing line: the order id, then whole microseconds.
let private timingLine =
    Regex
        "^timing (copy-[0-9a-f]{24}) activity_to_signed_us=(\\d+) in_process_us=(\\d+) book_fetch_us=(\\d+) market_info_us=(\\d+) journal_us=(\\d+)$"

let private permissive =
    { SelectiveFilter.defaults with
        MinFillPrice = 0.05
        MaxFillPrice = 0.96
    }

[<Tests>]
let tests =
    testSequenced
    <| testList
        "CopyBot"
        [
            testCase
                "detection keeps new BTC 5m trades once, dropping other markets, duplicates and rows before the start"
            <| fun () ->
                let rows = activityRows ()
                use document = Text.Json.JsonDocument.Parse(rows.ToJsonString())

                let parsed =
                    [|
                        for row in document.RootElement.EnumerateArray() ->
                            PolymarketAlgo.Executor.Rest.DataApiParser.ParseActivity row
                    |]

                let detector = CopySignalDetector(DateTimeOffset.FromUnixTimeSeconds 1788886000L)
                let signals = detector.Detect(leader, parsed)
                Expect.equal rows.Count 7 "seven rows served"

                Expect.equal
                    [ for s in signals -> s.Activity.TimestampUnix, s.Outcome.IsUp, s.Side.IsBuy ]
                    [ 1788886026L, false, true; 1788886609L, true, true; 1788886609L, true, false ]
                    "the Down buy, the Up buy and the Up sell, oldest first"

                Expect.equal signals[1].WindowStart (DateTimeOffset.FromUnixTimeSeconds 1788886500L) "window from slug"
                Expect.isEmpty (detector.Detect(leader, parsed)) "a second poll finds nothing new"
                Expect.equal detector.Seen 3 "three distinct trades"

            testCase "sizing is the leader's pUSD times the ratio, capped, rounded down to cents"
            <| fun () ->
                Expect.equal (CopySizing.Amount(13.285715m, 0.25m, 5m)) 3.32m "13.285715 × 0.25"
                Expect.equal (CopySizing.Amount(13.285715m, 1m, 5m)) 5m "capped at 5"
                Expect.equal (CopySizing.Amount(13.89215m, 0.1m, 5m)) 1.38m "13.89215 × 0.1"
                Expect.throws (fun () -> CopySizing.Amount(1m, 0m, 5m) |> ignore) "a zero ratio is misuse"

            testCase
                "with the default filter the fixture trades are rejected on delay and fill price, and a sell without a position is skipped"
            <| fun () ->
                withCopyBot (CopyBotOptions(Wallets = [| leader |], Ratio = 0.25m)) (fun bot journal _ ->
                    task {
                        let! decisions = bot.PollOnceAsync(CancellationToken.None)

                        Expect.equal
                            [ for d in decisions -> d.Kind, d.Reason ]
                            [
                                "skip", "delay 585.0s > 20.0s max"
                                "skip", "fill_price 0.93 > 0.80 max"
                                "skip", "no position to sell"
                            ]
                            "reasons"

                        Expect.isTrue journal.State.Orders.IsEmpty "no order placed"
                        let! again = bot.PollOnceAsync(CancellationToken.None)
                        Expect.isEmpty again "deduped across polls"
                    })

            testCase "an accepted copy walks the book with the delay impact and places a FOK buy of ratio × leader pUSD"
            <| fun () ->
                withCopyBot
                    (CopyBotOptions(Wallets = [| leader |], Ratio = 0.25m, Filter = permissive))
                    (fun bot journal _ ->
                        task {
                            let! decisions = bot.PollOnceAsync(CancellationToken.None)

                            let up =
                                decisions |> Seq.find (fun d -> d.Signal.Outcome.IsUp && d.Signal.Side.IsBuy)

                            Expect.equal up.Kind "place" up.Reason
                            Expect.equal up.CopyDelayMs 2000L "2 s after the leader"

                            let expected =
                                BookWalk.estimate
                                    DelayImpact.defaults
                                    {
                                        Bids = [| { Price = 0.92; Size = 500.0 } |]
                                        Asks = [| { Price = 0.93; Size = 500.0 } |]
                                    }
                                    TakerSide.Buy
                                    3.32
                                    2000L

                            Expect.equal (Some up.Estimate) (Result.toOption expected) "estimate"
                            // √2·0.8 × liquidity 0.5 (clamped) × volatility 0.01/0.02 = 0.2828 %
                            Expect.floatClose
                                Accuracy.medium
                                up.Estimate.DelayImpactPct
                                (sqrt 2.0 * 0.8 * 0.25)
                                "impact"

                            let order = journal.State.Orders[CopyBot.ClientOrderIdOf(up.Signal.Activity)]
                            Expect.equal order.Intent.Amount 3.32m "13.285715 × 0.25"
                            Expect.equal order.Intent.TimeInForce TimeInForce.Fok "FOK"
                            Expect.equal order.Intent.Price 0.95m "capped at the max price"
                            Expect.equal order.Intent.Strategy "copytrade" "strategy"
                            Expect.isGreaterThan up.Result.FilledShares 0m "the paper trader filled it"

                            let sell = decisions |> Seq.find (fun d -> d.Signal.Side.IsSell)
                            Expect.equal sell.Kind "place" "the sell copies the position just bought"

                            let down = decisions |> Seq.find (fun d -> d.Signal.Outcome.IsDown)
                            Expect.equal down.Reason "delay 585.0s > 20.0s max" "the Down trade is 585 s old"
                        })

            testCase
                "live, each copied order logs one timing line from detection to the signed body, with its network and journal parts"
            <| fun () ->
                let logger = ListLogger()

                withCopyBotOn
                    true
                    logger
                    (CopyBotOptions(Wallets = [| leader |], Ratio = 0.25m, Filter = permissive))
                    (fun bot journal _ ->
                        task {
                            let! decisions = bot.PollOnceAsync(CancellationToken.None)

                            let placed =
                                [
                                    for d in decisions do
                                        if d.Kind = "place" then
                                            d.Result.ClientOrderId
                                ]

                            Expect.equal placed.Length 2 "the Up buy and the Up sell are placed"

                            Expect.equal
                                (Set.ofSeq journal.State.Orders.Keys)
                                (Set.ofList placed)
                                "the journal holds exactly those orders"

                            let lines = logger.Starting "timing copy-"

                            let copyLines =
                                lines |> List.filter (fun (text, _) -> text.Contains "activity_to_signed_us=")

                            Expect.equal
                                [ for text, _ in copyLines -> timingLine.Match(text).Groups[1].Value ]
                                placed
                                "one line per placed order, in order, in the documented shape"

                            for text, fields in copyLines do
                                let m = timingLine.Match text
                                let micros (i: int) = int64 m.Groups[i].Value

                                Expect.isLessThanOrEqual
                                    (micros 3)
                                    (micros 2)
                                    "the in-process part is within the whole"

                                Expect.equal
                                    [ for field in fields -> field.Key ]
                                    [
                                        "ClientOrderId"
                                        "ActivityToSignedUs"
                                        "InProcessUs"
                                        "BookFetchUs"
                                        "MarketInfoUs"
                                        "JournalUs"
                                        "{OriginalFormat}"
                                    ]
                                    "structured fields (snake_case in --log-json)"

                            Expect.equal
                                (lines
                                 |> List.filter (fun (text, _) -> text.Contains "signed_to_wire_us=")
                                 |> List.length)
                                2
                                "the live trader still logs its own signed-to-wire line per order"
                        })

            testCase "in paper mode nothing is signed, so the copy bot logs no activity_to_signed line"
            <| fun () ->
                let logger = ListLogger()

                withCopyBotOn
                    false
                    logger
                    (CopyBotOptions(Wallets = [| leader |], Ratio = 0.25m, Filter = permissive))
                    (fun bot _ _ ->
                        task {
                            let! decisions = bot.PollOnceAsync(CancellationToken.None)

                            Expect.equal
                                (decisions |> Seq.filter (fun d -> d.Kind = "place") |> Seq.length)
                                2
                                "two copies"

                            let lines = logger.Starting "timing copy-"

                            Expect.equal
                                [ for text, _ in lines -> text.Contains "decision_to_placed_us=" ]
                                [ true; true ]
                                "only the session's decision-to-placed lines"
                        })

            testCase "the Etherscan client reads a receipt and block, computes the fee in POL and caches"
            <| fun () ->
                let receipt =
                    """{"jsonrpc":"2.0","id":1,"result":{"blockHash":"0x1","blockNumber":"0x4c4b40","from":"0xa","to":"0xb","gasUsed":"0x3d090","effectiveGasPrice":"0x7558bdb000","status":"0x1","transactionHash":"0xabc","logs":[]}}"""

                let block =
                    """{"jsonrpc":"2.0","id":1,"result":{"number":"0x4c4b40","timestamp":"0x6a9d2e51"}}"""

                let handler (r: Recorded) (ctx: HttpContext) =
                    match r.QueryValue "action" with
                    | "eth_getTransactionReceipt" -> json ctx 200 receipt
                    | "eth_getBlockByNumber" -> json ctx 200 block
                    | _ -> notFound ctx

                runTask
                <| task {
                    use server = new FakeServer(handler)
                    use http = new Net.Http.HttpClient()
                    let client = EtherscanClient(http, "KEY", server.Url, minInterval = TimeSpan.Zero)
                    let! info = client.GetTransactionAsync("0xabc", CancellationToken.None)
                    let gas = BigInteger 250000
                    let price = BigInteger 504000000000L
                    let fee = decimal (gas * price) / 1e18m
                    Expect.equal info.FeePol fee "gasUsed × effectiveGasPrice / 1e18"
                    Expect.equal info.FeePol 0.126m "250000 × 504 gwei = 0.126 POL"
                    Expect.equal info.BlockNumber 5000000L "block"
                    Expect.equal info.GasUsed 250000L "gas"
                    Expect.isTrue info.Success "status 0x1"
                    Expect.equal info.Timestamp (Nullable(DateTimeOffset.FromUnixTimeSeconds 0x6a9d2e51L)) "block time"
                    let first = server.Requests[0]
                    Expect.equal first.Path "/v2/api" "path"
                    Expect.equal (first.QueryValue "chainid") "137" "Polygon"
                    Expect.equal (first.QueryValue "module") "proxy" "module"
                    Expect.equal (first.QueryValue "txhash") "0xabc" "hash"
                    Expect.equal (first.QueryValue "apikey") "KEY" "key"
                    let! _ = client.GetTransactionAsync("0xABC", CancellationToken.None)
                    Expect.equal client.Calls 2 "the second lookup is cached"
                }

            testCase "without an API key the Etherscan feature is off"
            <| fun () ->
                use http = new Net.Http.HttpClient()
                Expect.isNull (EtherscanClient.FromSettings(http, fun _ -> null)) "no key, no client"

                let client =
                    EtherscanClient.FromSettings(http, fun name -> if name = "POLYGONSCAN_API_KEY" then "K" else null)

                Expect.isNotNull client "POLYGONSCAN_API_KEY also works"
        ]
