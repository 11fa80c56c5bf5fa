module PolymarketAlgo.Executor.Tests.JournalTests

open System
open System.IO
open Expecto
open FsCheck.FSharp
open Microsoft.Data.Sqlite
open PolymarketAlgo.Core
open PolymarketAlgo.Executor.Journal
open PolymarketAlgo.Tests.TestHelpers

let t0 = DateTimeOffset(2026, 4, 16, 7, 15, 0, TimeSpan.Zero)

/// A fresh journal path in a temporary folder, deleted with the folder by `cleanup`.
let tempJournal () =
    let dir =
        Path.Combine(Path.GetTempPath(), "pm-journal-" + Guid.NewGuid().ToString("N"))

    Directory.CreateDirectory dir |> ignore
    Path.Combine(dir, "journal.db")

/// Deletes a journal's folder.
let cleanup (path: string) =
    let dir = Path.GetDirectoryName path

    if Directory.Exists dir then
        Directory.Delete(dir, true)

/// Runs `f` on a new journal at `t0` with bankroll 100 and removes it afterwards.
let withJournal (f: TradeJournal -> string -> unit) =
    let path = tempJournal ()

    try
        use journal =
            TradeJournal.Open(path, 100m, Microsoft.Extensions.Time.Testing.FakeTimeProvider(t0))

        f journal path
    finally
        cleanup path

/// A buy intent.
let intent (id: string) (market: string) (amount: decimal) : OrderIntent =
    {
        ClientOrderId = id
        MarketId = market
        WindowStart = t0
        Outcome = StreakReversal.Up
        Side = OrderSide.Buy
        TimeInForce = TimeInForce.Fok
        Amount = amount
        Price = 0.55m
        Expiration = 0L
        FeeRate = 0.072m
        Strategy = "streak"
        Confidence = 0.667m
        StreakLength = 4
        Reason = "Streak of 4x down; reversal rate 66.7%; betting up"
    }

let private money =
    gen {
        let! units = Gen.choose (0, 1000000)
        let! scale = Gen.choose (0, 6)
        return decimal units / pown 10m scale
    }

let private times =
    gen {
        let! seconds = Gen.choose (0, 10000000)
        let! ticks = Gen.choose (0, 9999999)
        let! offset = Gen.elements [ 0.0; 7.0; -5.0 ]

        return
            DateTimeOffset(t0.UtcDateTime.AddSeconds(float seconds).AddTicks(int64 ticks))
                .ToOffset(TimeSpan.FromHours offset)
    }

let private words =
    Gen.elements [ "a"; "order-1"; "streak-1776324600-down"; "quote\"comma,"; "ünï" ]

let private outcomes = Gen.elements [ StreakReversal.Up; StreakReversal.Down ]

let private intents =
    gen {
        let! id = words
        let! market = words
        let! window = times
        let! outcome = outcomes
        let! side = Gen.elements [ OrderSide.Buy; OrderSide.Sell ]

        let! tif =
            Gen.elements [ TimeInForce.Fok; TimeInForce.Fak; TimeInForce.Gtc; TimeInForce.Gtd ]

        let! amount = money
        let! price = money
        let! expiration = Gen.choose (0, Int32.MaxValue)
        let! fee = money
        let! confidence = money
        let! streak = Gen.choose (0, 20)
        let! reason = words

        return
            {
                ClientOrderId = id
                MarketId = market
                WindowStart = window
                Outcome = outcome
                Side = side
                TimeInForce = tif
                Amount = amount
                Price = price
                Expiration = int64 expiration
                FeeRate = fee
                Strategy = "streak"
                Confidence = confidence
                StreakLength = streak
                Reason = reason
            }
    }

/// Any event with any field values.
let events =
    Gen.oneof
        [
            Gen.map2 (fun a t -> TradingEvent.BankrollSet(a, t)) money times
            Gen.map2 (fun i t -> TradingEvent.OrderPlaced(i, t)) intents times
            Gen.map4 (fun a b c t -> TradingEvent.OrderAccepted(a, b, c, t)) words words words times
            gen {
                let! id = words
                let! fill = words
                let! shares = money
                let! price = money
                let! fee = money
                let! at = times
                return TradingEvent.Filled(id, fill, shares, price, fee, at)
            }
            gen {
                let! id = words

                let! status =
                    Gen.elements
                        [
                            OrderStatus.Working
                            OrderStatus.Filled
                            OrderStatus.Cancelled
                            OrderStatus.Expired
                            OrderStatus.Rejected
                        ]

                let! reason = words
                let! at = times
                return TradingEvent.OrderClosed(id, status, reason, at)
            }
            Gen.map3 (fun a b t -> TradingEvent.Rejected(a, b, t)) words words times
            Gen.map3 (fun m w t -> TradingEvent.Settled(m, w, t)) words outcomes times
            gen {
                let! market = words
                let! outcome = outcomes
                let! proceeds = money
                let! reason = words
                let! at = times
                return TradingEvent.ForceExited(market, outcome, proceeds, reason, at)
            }
        ]

/// A FOK buy of $5 at 0.5 (10 shares, fee 0.18), accepted, filled and closed in market m1.
let boughtTen =
    [
        TradingEvent.OrderPlaced(intent "a" "m1" 5m, t0)
        TradingEvent.OrderAccepted("a", "0xorder", "0xorder", t0.AddSeconds 1.0)
        TradingEvent.Filled("a", "trade-1", 10m, 0.5m, 0.18m, t0.AddSeconds 1.0)
        TradingEvent.OrderClosed("a", OrderStatus.Filled, "filled", t0.AddSeconds 1.0)
    ]

[<Tests>]
let tests =
    testList
        "Journal"
        [
            testProp "encodes and decodes every event exactly"
            <| fun () ->
                Prop.forAll (Arb.fromGen events) (fun e ->
                    let decoded = EventCodec.Deserialize(EventCodec.Kind e, EventCodec.Serialize e)
                    decoded = e && Account.eventTime decoded = Account.eventTime e)
            testCase "refuses an unknown event kind with a clear message"
            <| fun () ->
                Expect.throwsC (fun () -> EventCodec.Deserialize("teleported", "{}") |> ignore) (fun e ->
                    Expect.isTrue (e :? FormatException) "a FormatException"
                    Expect.stringContains e.Message "Unknown journal event kind 'teleported'" "message")
            testSequenced
            <| testList
                "SQLite"
                [
                    testCase "a new journal is in WAL mode, at the current schema version, with the bankroll set"
                    <| fun () ->
                        withJournal (fun journal path ->
                            Expect.equal journal.SchemaVersion JournalSchema.CurrentVersion "version"
                            Expect.equal journal.State.Bankroll 100m "bankroll"
                            use connection = new SqliteConnection($"Data Source={path};Pooling=False")
                            connection.Open()
                            use command = connection.CreateCommand()
                            command.CommandText <- "PRAGMA journal_mode"
                            Expect.equal (string (command.ExecuteScalar())) "wal" "WAL")
                    testCase "rebuilds the same state on reopen by folding the stored events"
                    <| fun () ->
                        let path = tempJournal ()

                        try
                            let live =
                                use journal = TradeJournal.Open(path, 100m)

                                journal.RecordAll(boughtTen) |> ignore

                                journal.Record(TradingEvent.Settled("m1", StreakReversal.Up, t0.AddMinutes 5.0))
                                |> ignore

                                journal.State

                            use reopened = TradeJournal.Open(path, 999m)
                            Expect.equal reopened.State live "same state"
                            Expect.equal reopened.State.Bankroll 104.82m "100 + 10 − 5 − 0.18"

                            let folded =
                                Account.fold TradeJournal.InitialState (reopened.ReadEvents() |> Seq.map _.Event)

                            Expect.equal folded live "fold of the events"
                        finally
                            cleanup path
                    // 30 cases: each writes 25 transactions with an fsync apiece.
                    testPropertyWithConfig
                        { propertyConfig with maxTest = 30 }
                        "stores any event sequence and folds it back to the state it had"
                    <| fun () ->
                        Prop.forAll (Arb.fromGen (Gen.listOfLength 25 events)) (fun sequence ->
                            let path = tempJournal ()

                            try
                                let live =
                                    use journal = TradeJournal.Open(path, 100m)

                                    for e in sequence do
                                        journal.Record e |> ignore

                                    journal.State

                                use reopened = TradeJournal.Open(path, 100m)
                                reopened.State = live
                            finally
                                cleanup path)
                    testCase "ignores a replayed write: the same fact twice is one row"
                    <| fun () ->
                        withJournal (fun journal _ ->
                            Expect.equal (journal.RecordAll boughtTen) 4 "first time"
                            Expect.equal (journal.RecordAll boughtTen) 0 "replay"
                            Expect.isFalse (journal.Record(TradingEvent.OrderPlaced(intent "a" "m1" 7m, t0))) "same id"
                            Expect.equal (journal.ReadEvents().Count) 5 "bankroll + 4"
                            Expect.equal journal.State.DailyBets 1 "one bet"
                            Expect.equal (journal.ReadTrades().Count) 1 "one trade")
                    testCase "keeps the fields of the original Trade for a filled and settled order"
                    <| fun () ->
                        withJournal (fun journal _ ->
                            let context =
                                OrderContext(
                                    Mode = TradingMode.Paper,
                                    TokenId = "123",
                                    PriceAtSignal = Nullable 0.5m,
                                    OppositePrice = Nullable 0.51m,
                                    BestBid = Nullable 0.49m,
                                    BestAsk = Nullable 0.5m
                                )

                            journal.Record(boughtTen.Head, context) |> ignore

                            journal.RecordAll(
                                boughtTen.Tail,
                                execution = ExecutionReport(Spread = Nullable 0.01m, SlippagePct = Nullable 0m)
                            )
                            |> ignore

                            let pending = journal.FindTrade "a"
                            Expect.equal pending.SettlementStatus SettlementStatus.Pending "pending"
                            Expect.equal pending.ExecutionPrice (Nullable 0.5m) "execution price"
                            Expect.equal pending.FillPct 100m "fill pct"
                            Expect.equal pending.ExchangeOrderId "0xorder" "order id"
                            Expect.equal pending.OrderHash "0xorder" "order hash"
                            Expect.equal pending.TradeNumber 1 "trade number"
                            Expect.equal pending.BankrollBefore 100m "bankroll before"
                            Expect.equal pending.Context.TokenId "123" "token"
                            Expect.equal pending.Context.PriceAtSignal (Nullable 0.5m) "price at signal"
                            Expect.equal pending.Execution.Spread (Nullable 0.01m) "spread"

                            journal.Record(TradingEvent.Settled("m1", StreakReversal.Up, t0.AddMinutes 5.0))
                            |> ignore

                            let settled = journal.FindTrade "a"
                            Expect.equal settled.SettlementStatus SettlementStatus.Settled "settled"
                            Expect.equal settled.Won (Nullable true) "won"
                            Expect.equal settled.Winner "up" "winner"
                            Expect.equal settled.Payout (Nullable 10m) "payout"
                            Expect.equal settled.GrossProfit (Nullable 5m) "gross"
                            Expect.equal settled.NetPnl (Nullable 4.82m) "net"
                            Expect.equal settled.Status "filled" "status")
                    testCase "shares a position's settlement among its orders by their shares"
                    <| fun () ->
                        withJournal (fun journal _ ->
                            journal.RecordAll(
                                [
                                    TradingEvent.OrderPlaced(intent "a" "m1" 5m, t0)
                                    TradingEvent.Filled("a", "1", 10m, 0.5m, 0.2m, t0)
                                    TradingEvent.OrderPlaced(intent "b" "m1" 3m, t0)
                                    TradingEvent.Filled("b", "2", 5m, 0.6m, 0.1m, t0)
                                    TradingEvent.Settled("m1", StreakReversal.Down, t0.AddMinutes 5.0)
                                ]
                            )
                            |> ignore

                            let a = journal.FindTrade "a"
                            let b = journal.FindTrade "b"
                            Expect.equal (a.NetPnl.Value + b.NetPnl.Value) -8.3m "sum is the position's loss"
                            Expect.equal journal.State.RealizedPnl -8.3m "state"
                            Expect.equal a.Won (Nullable false) "lost")
                    testCase "records a force exit with its proceeds and reason"
                    <| fun () ->
                        withJournal (fun journal _ ->
                            journal.RecordAll boughtTen |> ignore

                            journal.Record(
                                TradingEvent.ForceExited("m1", StreakReversal.Up, 4m, "shutdown", t0.AddMinutes 1.0)
                            )
                            |> ignore

                            let trade = journal.FindTrade "a"
                            Expect.equal trade.SettlementStatus SettlementStatus.ForceExit "exit"
                            Expect.equal trade.NetPnl (Nullable -1.18m) "4 − 5 − 0.18"
                            Expect.equal trade.ForceExitReason "shutdown" "reason"
                            Expect.equal journal.State.Bankroll 98.82m "bankroll")
                    testCase "records decisions, newest first"
                    <| fun () ->
                        withJournal (fun journal _ ->
                            journal.RecordDecision(t0, "m1", Decision.Skip(SkipReason.NoStreak(2, 4)))
                            journal.RecordDecision(t0.AddMinutes 5.0, "m2", Decision.Place(intent "x" "m2" 5m))
                            let decisions = journal.ReadDecisions 10
                            Expect.equal decisions.Count 2 "two"
                            Expect.equal decisions[0].Kind "place" "newest first"
                            Expect.equal decisions[0].ClientOrderId "x" "order"
                            Expect.equal decisions[1].Reason "Streak 2 < trigger 4" "reason")
                    testCase "refuses a file that is not a database, naming it"
                    <| fun () ->
                        let path = tempJournal ()

                        try
                            File.WriteAllText(path, "this is not a SQLite database, it is a sentence")

                            Expect.throwsC (fun () -> (TradeJournal.Open path).Dispose()) (fun e ->
                                Expect.isTrue (e :? InvalidOperationException) "an InvalidOperationException"
                                Expect.stringContains e.Message path "the path"
                                Expect.stringContains e.Message "file is not a database" "SQLite's reason")
                        finally
                            cleanup path
                    testCase "refuses a journal written by a newer schema version"
                    <| fun () ->
                        let path = tempJournal ()

                        try
                            (TradeJournal.Open path).Dispose()

                            do
                                use connection = new SqliteConnection($"Data Source={path};Pooling=False")
                                connection.Open()
                                use command = connection.CreateCommand()
                                command.CommandText <- "UPDATE meta SET value = '99' WHERE key = 'schema_version'"
                                command.ExecuteNonQuery() |> ignore

                            Expect.throwsC (fun () -> (TradeJournal.Open path).Dispose()) (fun e ->
                                Expect.isTrue (e :? InvalidOperationException) "an InvalidOperationException"
                                Expect.stringContains e.Message "schema version 99" "message")
                        finally
                            cleanup path
                    testCase "reconciles: records the exchange's missing fills and closes orders it no longer has"
                    <| fun () ->
                        withJournal (fun journal _ ->
                            let gtc =
                                { intent "g" "m1" 5m with
                                    TimeInForce = TimeInForce.Gtc
                                    Price = 0.4m
                                }

                            let crashed =
                                { intent "h" "m2" 5m with
                                    TimeInForce = TimeInForce.Gtc
                                }

                            let vanished =
                                { intent "k" "m3" 5m with
                                    TimeInForce = TimeInForce.Gtc
                                }

                            journal.RecordAll(
                                [
                                    TradingEvent.OrderPlaced(gtc, t0)
                                    TradingEvent.OrderAccepted("g", "0xg", "0xg", t0)
                                    TradingEvent.OrderPlaced(vanished, t0)
                                ]
                            )
                            |> ignore

                            // "h" was posted and the process died before the acknowledgement; its hash was
                            // recorded with the placement, so its fill is still found.
                            journal.Record(TradingEvent.OrderPlaced(crashed, t0), OrderContext(OrderHash = "0xH"))
                            |> ignore

                            let open' =
                                [|
                                    ExchangeOrder("0xG", "tok", "BUY", 0.4m, 12.5m, 5m)
                                    ExchangeOrder("0xzz", "tok", "BUY", 0.3m, 5m, 0m)
                                |]

                            let trades =
                                [|
                                    ExchangeTrade("t1", "0xg", 0.4m, 5m, 0m, t0.AddSeconds 10.0)
                                    ExchangeTrade("t2", "0xh", 0.55m, 9m, 0.1m, t0.AddSeconds 2.0)
                                    ExchangeTrade("t9", "0xother", 0.5m, 1m, 0m, t0)
                                |]

                            let report = Reconciliation.Compare(journal, open', trades)

                            Expect.equal
                                (report.UnknownOpenOrders |> Seq.map _.OrderId |> List.ofSeq)
                                [ "0xzz" ]
                                "unknown open"

                            Expect.equal
                                (report.NotOpenOnExchange |> Seq.map _.ClientOrderId |> Seq.sort |> List.ofSeq)
                                [ "h"; "k" ]
                                "h and k are not open"

                            Expect.equal
                                (report.UnrecordedFills |> Seq.map _.ClientOrderId |> Seq.sort |> List.ofSeq)
                                [ "g"; "h" ]
                                "fills"

                            Expect.equal
                                (report.UnknownTrades |> Seq.map _.TradeId |> List.ofSeq)
                                [ "t9" ]
                                "unknown trade"

                            Expect.isFalse report.IsClean "differences"
                            Expect.equal (Reconciliation.Apply(journal, report, t0.AddMinutes 1.0)) 4 "four events"
                            Expect.equal journal.State.Orders["g"].FilledShares 5m "g's fill recorded"
                            Expect.equal journal.State.Orders["h"].Status OrderStatus.Filled "h filled"
                            Expect.equal journal.State.Orders["k"].Status OrderStatus.Cancelled "k cancelled"
                            Expect.equal journal.State.Orders["g"].Status OrderStatus.Working "g still working"
                            let again = Reconciliation.Compare(journal, open', trades)
                            Expect.isEmpty again.UnrecordedFills "nothing left to record"
                            Expect.isEmpty again.NotOpenOnExchange "nothing left to close")
                    testCase
                        "reconciles by shares: fills the journal took from a reply without trade ids are not booked twice"
                    <| fun () ->
                        withJournal (fun journal _ ->
                            let fok = intent "p" "m1" 5m

                            journal.RecordAll(
                                [
                                    TradingEvent.OrderPlaced(fok, t0)
                                    TradingEvent.OrderAccepted("p", "0xp", "0xp", t0)
                                    TradingEvent.Filled("p", "post", 6m, 0.5m, 0m, t0)
                                ]
                            )
                            |> ignore

                            // The exchange filled 6 + 3 shares in two trades; the reply covered the first 6 only.
                            let trades =
                                [|
                                    ExchangeTrade("t2", "0xp", 0.52m, 3m, 0.03m, t0.AddSeconds 2.0)
                                    ExchangeTrade("t1", "0xp", 0.5m, 6m, 0.06m, t0.AddSeconds 1.0)
                                |]

                            let report = Reconciliation.Compare(journal, [||], trades)

                            Expect.equal
                                (report.UnrecordedFills |> Seq.map (fun f -> f.Trade) |> List.ofSeq)
                                [ ExchangeTrade("t2", "0xp", 0.52m, 3m, 0.03m, t0.AddSeconds 2.0) ]
                                "only the later trade is missing"

                            Reconciliation.Apply(journal, report, t0.AddMinutes 1.0) |> ignore
                            Expect.equal journal.State.Orders["p"].FilledShares 9m "9 shares, as on the exchange"
                            Expect.equal journal.State.Orders["p"].Status OrderStatus.Filled "closed as filled"

                            let partial = [| ExchangeTrade("t3", "0xq", 0.5m, 10m, 0.1m, t0.AddSeconds 1.0) |]

                            journal.RecordAll(
                                [
                                    TradingEvent.OrderPlaced(intent "q" "m2" 5m, t0)
                                    TradingEvent.OrderAccepted("q", "0xq", "0xq", t0)
                                    TradingEvent.Filled("q", "user channel:4", 4m, 0.5m, 0m, t0)
                                ]
                            )
                            |> ignore

                            let missing = Reconciliation.Compare(journal, [||], partial).UnrecordedFills

                            Expect.equal
                                (missing |> Seq.map (fun f -> f.Trade.Size, f.Trade.Fee) |> List.ofSeq)
                                [ 6m, 0.06m ]
                                "a trade partly covered is missing its remaining shares, with their share of the fee")
                ]
        ]
