module PolymarketAlgo.Executor.Tests.PaperTraderTests

open System
open System.IO
open System.Text.Json
open Expecto
open FsCheck.FSharp
open Microsoft.Extensions.Time.Testing
open PolymarketAlgo.Core
open PolymarketAlgo.Executor.Books
open PolymarketAlgo.Executor.Journal
open PolymarketAlgo.Executor.Trading
open PolymarketAlgo.Tests.TestHelpers
open PolymarketAlgo.Executor.Tests.JournalTests

/// The recorded CLOB /book response (5 bids, 7 asks), as a snapshot.
let recordedBook =
    lazy
        (let path =
            sharedPath "data/polymarket/nautilus_trader/integration_resources/http_responses/book.json"

         let root = JsonDocument.Parse(File.ReadAllText path).RootElement

         let levels (name: string) =
             [|
                 for l in root.GetProperty(name).EnumerateArray() ->
                     PriceLevel(
                         Decimal.Parse(l.GetProperty("price").GetString(), Globalization.CultureInfo.InvariantCulture),
                         Decimal.Parse(l.GetProperty("size").GetString(), Globalization.CultureInfo.InvariantCulture)
                     )
             |]

         BookSnapshot(root.GetProperty("asset_id").GetString(), levels "bids", levels "asks", 1728799418260L))

let private token () = recordedBook.Value.AssetId

/// The same book for Core's float BookWalk.
let private coreBook (snapshot: BookSnapshot) : OrderBookSnapshot =
    let convert (levels: PriceLevel seq) =
        levels
        |> Seq.map (fun l ->
            {
                Price = float l.Price
                Size = float l.Size
            }
            : PolymarketAlgo.Core.BookLevel)
        |> Array.ofSeq

    {
        Bids = convert snapshot.Bids
        Asks = convert snapshot.Asks
    }

let private order (id: string) (amount: decimal) (price: decimal) (tif: TimeInForce) =
    TradeOrder(
        { intent id "btc-updown-5m-1776323700" amount with
            Price = price
            TimeInForce = tif
        },
        token ()
    )

/// A paper trader behind `risk` (none when null) on a fresh journal of `bankroll` over the recorded book, at a
/// fake clock; removed afterwards.
let private withGatedTrader
    (bankroll: decimal)
    (risk: RiskGate)
    (f: PaperTrader -> SnapshotBookSource -> FakeTimeProvider -> unit)
    =
    let path = tempJournal ()
    let clock = FakeTimeProvider(t0)

    try
        use journal = TradeJournal.Open(path, bankroll, clock)
        let books = SnapshotBookSource()
        books.Set recordedBook.Value
        f (PaperTrader(journal, books, timeProvider = clock, risk = risk)) books clock
    finally
        cleanup path

/// A paper trader without a risk gate on a fresh 1000 pUSD journal over the recorded book, at a fake clock.
let private withTrader = withGatedTrader 1000m null

let private place (trader: PaperTrader) (o: TradeOrder) =
    if o.Intent.TimeInForce.IsFok || o.Intent.TimeInForce.IsFak then
        trader.PlaceMarketOrderAsync(o).GetAwaiter().GetResult()
    else
        trader.PlaceLimitOrderAsync(o).GetAwaiter().GetResult()

let private fee (shares: decimal) (price: decimal) =
    Math.Round(shares * 0.072m * price * (1m - price), 5, MidpointRounding.AwayFromZero)

/// Books with a few levels a side inside (0, 1), and an amount up to $300.
let private books =
    gen {
        let level =
            Gen.map2
                (fun c s -> PriceLevel(decimal c / 100m, decimal s / 100m))
                (Gen.choose (1, 99))
                (Gen.choose (1, 50000))

        // Distinct prices: OrderBook keeps one level per price, Core's BookWalk every level given.
        let! bids = Gen.arrayOfLength 3 level |> Gen.map (Array.distinctBy _.Price)
        let! asks = Gen.arrayOfLength 4 level |> Gen.map (Array.distinctBy _.Price)
        let! cents = Gen.choose (1, 30000)
        let! delay = Gen.elements [ 0L; 1000L; 4000L; 20000L ]
        return BookSnapshot("t", bids, asks, 0L), decimal cents / 100m, delay
    }
    |> Arb.fromGen

[<Tests>]
let tests =
    testList
        "PaperTrader"
        [
            testCase "concurrent placements pass a risk limit one at a time and place one order per client id"
            <| fun () ->
                withGatedTrader
                    1000m
                    (RiskGate({ Risk.defaults with MaxOpenOrders = 1 }, (fun () -> false)))
                    (fun trader _ _ ->
                        // Eight resting limit orders (0.01 crosses nothing) at once, two per client id.
                        let results =
                            [| for i in 0..7 -> order $"rest-{i / 2}" 5m 0.01m TimeInForce.Gtc |]
                            |> Array.map (fun o ->
                                Threading.Tasks.Task.Run<PlacementResult>(
                                    Func<Threading.Tasks.Task<PlacementResult>>(fun () ->
                                        trader.PlaceLimitOrderAsync(o))
                                ))
                            |> Threading.Tasks.Task.WhenAll
                            |> _.GetAwaiter().GetResult()

                        let placed =
                            results
                            |> Array.filter (fun r -> r.Status = OrderStatus.Working && not r.AlreadyPlaced)

                        Expect.equal placed.Length 1 "one order fits under MaxOpenOrders = 1"

                        Expect.equal
                            (results |> Array.filter (fun r -> r.AlreadyPlaced) |> Array.map _.ClientOrderId)
                            [| placed[0].ClientOrderId |]
                            "its twin with the same client id finds it placed"

                        Expect.equal
                            (results
                             |> Array.filter (fun r -> r.Status = OrderStatus.Rejected)
                             |> Array.length)
                            6
                            "the other three ids, twice each, are rejected by the limit"

                        Expect.equal
                            (Account.openOrders trader.Journal.State).Length
                            1
                            "the journal holds one working order"

                        Expect.equal
                            (trader.Journal.ReadEvents()
                             |> Seq.filter (fun e ->
                                 match e.Event with
                                 | TradingEvent.OrderPlaced _ -> true
                                 | _ -> false)
                             |> Seq.length)
                            1
                            "one placement recorded")
            testCase "closes the market orders a killed run journaled but never filled, and leaves resting orders"
            <| fun () ->
                withTrader (fun trader _ _ ->
                    let interrupted = order "fok" 5m 0.99m TimeInForce.Fok
                    let resting = order "gtc" 5m 0.01m TimeInForce.Gtc
                    // What a run killed between the write-ahead record and the fill leaves in the journal.
                    trader.Journal.Record(TradingEvent.OrderPlaced(interrupted.Intent, t0))
                    |> ignore

                    place trader resting |> ignore
                    Expect.equal trader.Journal.State.Orders["gtc"].Status OrderStatus.Working "the limit order rests"
                    Expect.equal (trader.CloseInterruptedMarketOrders()) 1 "one order closed"
                    Expect.equal trader.Journal.State.Orders["fok"].Status OrderStatus.Cancelled "the FOK never filled"
                    Expect.equal trader.Journal.State.Orders["fok"].FilledShares 0m "no shares"

                    Expect.equal
                        trader.Journal.State.Orders["gtc"].Status
                        OrderStatus.Working
                        "the resting order stays"

                    Expect.equal (trader.CloseInterruptedMarketOrders()) 0 "nothing left to close")
            testProp "fills a market buy at the price of Core's BookWalk, delay impact included"
            <| fun () ->
                Prop.forAll books (fun (snapshot, dollars, delay) ->
                    let book = OrderBook("t")
                    book.ApplySnapshot snapshot

                    let fill =
                        PaperFills.BuyDollars(book, dollars, 0.99m, 0.072m, 1, delay, DelayImpact.defaults)

                    match BookWalk.estimate DelayImpact.defaults (coreBook snapshot) Buy (float dollars) delay with
                    | Ok estimate ->
                        // A partial level is taken to a millionth of a share, which moves the average that little.
                        abs (float fill.Price - estimate.ExecutionPrice) <= 2e-6 / float fill.Shares
                        && abs (float fill.DelayImpactPct - estimate.DelayImpactPct) < 1e-9
                        && abs (float (fill.Notional / dollars * 100m) - estimate.FillPct) < 0.01
                        && fill.Notional <= dollars
                    | Error e -> failwith $"{e}")
            testSequenced
            <| testList
                "against the recorded book"
                [
                    testCase "a $150 FOK buy walks three ask levels and pays the taker fee"
                    <| fun () ->
                        withTrader (fun trader _ _ ->
                            let result = place trader (order "a" 150m 0.5m TimeInForce.Fok)
                            // 705 at 0.14, 70 at 0.20, then 37.3 / 0.38 = 98.157894 shares at 0.38.
                            let shares = 705m + 70m + 98.157894m
                            let notional = 98.7m + 14m + 98.157894m * 0.38m
                            Expect.equal result.Status OrderStatus.Filled "filled"
                            Expect.equal result.FilledShares shares "shares"
                            Expect.equal result.FilledNotional notional "notional"

                            Expect.equal
                                result.Fees
                                (fee 705m 0.14m + fee 70m 0.2m + fee 98.157894m 0.38m)
                                "fee per level"

                            Expect.equal trader.Journal.State.Orders["a"].FillIds.Count 3 "one fill per level"
                            Expect.equal result.ExchangeOrderId (PaperTrader.PaperOrderId "a") "paper id"
                            Expect.isFalse result.AlreadyPlaced "new"

                            match
                                BookWalk.estimate DelayImpact.defaults (coreBook recordedBook.Value) Buy 150.0 0L
                            with
                            | Ok estimate ->
                                close 1e-9 (float result.AveragePrice.Value) estimate.ExecutionPrice "BookWalk price"
                            | Error e -> failtest $"{e}"

                            let trade = trader.Journal.FindTrade "a"
                            Expect.equal trade.Mode TradingMode.Paper "paper"
                            Expect.equal trade.TokenId (token ()) "token"
                            Expect.equal trade.Execution.BestAsk (Nullable 0.14m) "best ask"
                            Expect.equal trade.Execution.BestBid (Nullable 0.1m) "best bid"
                            Expect.equal trade.Execution.Spread (Nullable 0.04m) "spread"
                            Expect.equal trade.SettlementStatus SettlementStatus.Pending "pending"
                            Expect.equal trader.Journal.State.Bankroll 1000m "bankroll untouched until settled")
                    testCase "a FOK the book cannot fill within its price is rejected with nothing filled"
                    <| fun () ->
                        withTrader (fun trader _ _ ->
                            // Only $185.774 rests at 0.45 or better.
                            let result = place trader (order "a" 200m 0.45m TimeInForce.Fok)
                            Expect.equal result.Status OrderStatus.Rejected "rejected"
                            Expect.equal result.FilledShares 0m "nothing"
                            Expect.stringContains result.Message "FOK not filled" "reason"
                            Expect.isEmpty trader.Journal.State.Positions "no position")
                    testCase "a FAK fills what the book holds within its price and cancels the rest"
                    <| fun () ->
                        withTrader (fun trader _ _ ->
                            let result = place trader (order "a" 200m 0.45m TimeInForce.Fak)
                            Expect.equal result.Status OrderStatus.Filled "closed"
                            Expect.equal result.FilledShares 967.3m "705 + 70 + 192.3"
                            Expect.equal result.FilledNotional 185.774m "notional"
                            Expect.equal result.Message "FAK: the rest was cancelled" "reason"
                            Expect.equal (trader.Journal.FindTrade "a").FillPct (185.774m / 200m * 100m) "fill pct")
                    testCase "a copy trade's delay moves the price by the original's impact model"
                    <| fun () ->
                        withTrader (fun trader _ _ ->
                            let copy =
                                TradeOrder(
                                    (order "a" 10m 0.5m TimeInForce.Fok).Intent,
                                    token (),
                                    Context = OrderContext(CopyDelayMs = Nullable 4000L)
                                )

                            let result = place trader copy
                            // √4·0.8 = 1.6 %, liquidity factor 10/(0.5·98.7) → 0.5, volatility 0.04/0.02 = 2.
                            let price = 0.14m * 1.016m

                            Expect.equal
                                (trader.Journal.FindTrade "a").Execution.DelayImpactPct
                                (Nullable 1.6m)
                                "impact"

                            Expect.equal result.AveragePrice (Nullable price) "price"
                            // 71.428571 shares at 0.14 cost 9.99999994, which buys fewer shares at the moved price.
                            let spent = 71.428571m * 0.14m

                            Expect.equal
                                result.FilledShares
                                (Math.Round(spent / price, 6, MidpointRounding.ToZero))
                                "shares"

                            Expect.equal result.Fees (fee result.FilledShares price) "fee at the moved price")
                    testCase "a market sell walks the bids and realises its P&L"
                    <| fun () ->
                        withTrader (fun trader _ _ ->
                            place trader (order "a" 14m 0.5m TimeInForce.Fok) |> ignore

                            let sell =
                                TradeOrder(
                                    { (order "s" 100m 0.09m TimeInForce.Fok).Intent with
                                        Side = OrderSide.Sell
                                    },
                                    token ()
                                )

                            let result = place trader sell
                            Expect.equal result.FilledShares 100m "100 shares"
                            Expect.equal result.FilledNotional 10m "at 0.10"
                            Expect.equal result.Fees (fee 100m 0.1m) "fee"
                            // Bought 100 shares at 0.14 for 14 plus the fee; sold them for 10 − 0.648.
                            Expect.equal trader.Journal.State.RealizedPnl (10m - 0.648m - 14m - fee 100m 0.14m) "pnl"
                            Expect.isEmpty trader.Journal.State.Positions "flat")
                    testCase "a limit buy rests, then fills as maker when the book reaches its price"
                    <| fun () ->
                        withTrader (fun trader books _ ->
                            let result = place trader (order "g" 12m 0.12m TimeInForce.Gtc)
                            Expect.equal result.Status OrderStatus.Working "resting"
                            Expect.equal result.FilledShares 0m "nothing crosses at 0.12"
                            Expect.equal (trader.MatchRestingOrders()) 0 "the book has not moved"
                            let book = recordedBook.Value

                            books.Set(BookSnapshot(book.AssetId, book.Bids, [| PriceLevel(0.11m, 60m) |], 1L))

                            Expect.equal (trader.MatchRestingOrders()) 1 "partly filled"
                            let partial = trader.GetStatusAsync("g").Result
                            Expect.equal partial.FilledShares 60m "60 at 0.12"
                            Expect.equal partial.FilledNotional 7.2m "at the limit price"
                            Expect.equal partial.Fees 0m "makers pay no fee"
                            Expect.equal partial.Status OrderStatus.Working "still working"
                            books.Set(BookSnapshot(book.AssetId, book.Bids, [| PriceLevel(0.12m, 500m) |], 2L))
                            trader.MatchRestingOrders() |> ignore
                            let filled = trader.GetStatusAsync("g").Result
                            Expect.equal filled.FilledShares 100m "the order's 100 shares"
                            Expect.equal filled.Status OrderStatus.Filled "filled")
                    testCase "a marketable limit buy takes what crosses at once as taker"
                    <| fun () ->
                        withTrader (fun trader _ _ ->
                            let result = place trader (order "g" 20m 0.2m TimeInForce.Gtc)
                            Expect.equal result.FilledShares 100m "100 shares"
                            Expect.equal result.FilledNotional 14m "at 0.14"
                            Expect.equal result.Fees (fee 100m 0.14m) "taker fee"
                            Expect.equal result.Status OrderStatus.Filled "filled")
                    testCase "a GTD order expires"
                    <| fun () ->
                        withTrader (fun trader _ clock ->
                            let gtd =
                                TradeOrder(
                                    { (order "d" 5m 0.05m TimeInForce.Gtd).Intent with
                                        Expiration = t0.ToUnixTimeSeconds() + 200L
                                    },
                                    token ()
                                )

                            Expect.equal (place trader gtd).Status OrderStatus.Working "resting"
                            clock.Advance(TimeSpan.FromSeconds 200.0)
                            Expect.equal (trader.MatchRestingOrders()) 1 "expired"
                            Expect.equal (trader.GetStatusAsync("d").Result.Status) OrderStatus.Expired "status")
                    testCase "cancels one order, then all of them"
                    <| fun () ->
                        withTrader (fun trader _ _ ->
                            for id in [ "x"; "y"; "z" ] do
                                place trader (order id 5m 0.05m TimeInForce.Gtc) |> ignore

                            Expect.isTrue (trader.CancelAsync("x").Result) "x"
                            Expect.isFalse (trader.CancelAsync("x").Result) "x again"
                            Expect.equal (trader.CancelAllAsync().Result) 2 "y and z"
                            Expect.equal (Account.openOrderCount trader.Journal.State) 0 "none working"
                            Expect.equal (trader.GetStatusAsync("y").Result.Status) OrderStatus.Cancelled "y")
                    testCase "placing the same client order id again sends nothing"
                    <| fun () ->
                        withTrader (fun trader _ _ ->
                            let first = place trader (order "a" 10m 0.5m TimeInForce.Fok)
                            let second = place trader (order "a" 10m 0.5m TimeInForce.Fok)
                            Expect.isTrue second.AlreadyPlaced "already placed"
                            Expect.equal second.FilledShares first.FilledShares "same fill"
                            Expect.equal trader.Journal.State.Orders["a"].FillIds.Count 1 "one fill"
                            Expect.equal trader.Journal.State.DailyBets 1 "one bet")
                    testCase "two concurrent placements of one client order id fill once"
                    <| fun () ->
                        withTrader (fun trader _ _ ->
                            let results =
                                Threading.Tasks.Task
                                    .WhenAll(
                                        [|
                                            for _ in 1..8 ->
                                                Threading.Tasks.Task.Run<PlacementResult>(fun () ->
                                                    trader.PlaceMarketOrderAsync(order "a" 10m 0.5m TimeInForce.Fok))
                                        |]
                                    )
                                    .GetAwaiter()
                                    .GetResult()

                            Expect.equal (results |> Array.filter (fun r -> not r.AlreadyPlaced)).Length 1 "one placed"
                            Expect.equal trader.Journal.State.Orders["a"].FillIds.Count 1 "one fill"
                            Expect.equal trader.Journal.State.DailyBets 1 "one bet")
                    testCase "the risk gate refuses before anything is journaled"
                    <| fun () ->
                        withGatedTrader 100m (RiskGate(Risk.defaults, fun () -> true)) (fun trader _ _ ->
                            let result = place trader (order "a" 10m 0.5m TimeInForce.Fok)
                            Expect.equal result.Status OrderStatus.Rejected "rejected"
                            Expect.equal result.Message "Kill switch engaged" "reason"
                            Expect.isFalse (trader.Journal.Contains "a") "not journaled"
                            Expect.equal (trader.Journal.ReadDecisions(1).[0].Kind) "reject" "decision recorded")
                    testCase "an order without a book is rejected"
                    <| fun () ->
                        withTrader (fun trader _ _ ->
                            let result =
                                place trader (TradeOrder((order "a" 10m 0.5m TimeInForce.Fok).Intent, "unknown-token"))

                            Expect.equal result.Status OrderStatus.Rejected "rejected"
                            Expect.stringContains result.Message "no order book" "reason")
                    testCase "refuses a limit order through the market-order call"
                    <| fun () ->
                        withTrader (fun trader _ _ ->
                            Expect.throwsT<ArgumentException>
                                (fun () ->
                                    trader
                                        .PlaceMarketOrderAsync(order "a" 10m 0.5m TimeInForce.Gtc)
                                        .GetAwaiter()
                                        .GetResult()
                                    |> ignore)
                                "GTC is not a market order")
                    testCase "fills against a book replayed from the Parquet recordings like Core's BookWalk"
                    <| fun () ->
                        let manager = BookManager()

                        let messages =
                            ReplayTests.parquetMessages.Value |> Seq.take 200 |> Array.ofSeq
                            :> Collections.Generic.IReadOnlyList<_>

                        PolymarketAlgo.Executor.Recording
                            .MarketReplay()
                            .RunAsync(messages, manager)
                            .GetAwaiter()
                            .GetResult()
                        |> ignore

                        let asset = manager.AssetIds |> Seq.head
                        let snapshot = manager.GetSnapshot asset
                        let path = tempJournal ()

                        try
                            use journal = TradeJournal.Open(path, 100m, FakeTimeProvider(t0))

                            let trader =
                                PaperTrader(journal, BookManagerSource manager, timeProvider = FakeTimeProvider(t0))

                            let result =
                                trader
                                    .PlaceMarketOrderAsync(
                                        TradeOrder(
                                            { intent "r" "btc-updown-5m-1776323700" 5m with
                                                Price = 0.99m
                                            },
                                            asset
                                        )
                                    )
                                    .GetAwaiter()
                                    .GetResult()

                            Expect.equal result.Status OrderStatus.Filled "filled"

                            Expect.isLessThan
                                (5m - result.FilledNotional)
                                0.000001m
                                "five dollars, to a millionth of a share"

                            match BookWalk.estimate DelayImpact.defaults (coreBook snapshot) Buy 5.0 0L with
                            | Ok estimate ->
                                close 1e-7 (float result.AveragePrice.Value) estimate.ExecutionPrice "BookWalk price"

                                let fills = trader.Journal.State.Orders["r"].FillIds.Count
                                Expect.isGreaterThanOrEqual fills 1 "one fill per level taken"
                            | Error e -> failtest $"{e}"
                        finally
                            cleanup path
                ]
        ]
