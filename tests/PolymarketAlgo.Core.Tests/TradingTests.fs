module PolymarketAlgo.Core.Tests.TradingTests

open System
open Expecto
open FsCheck.FSharp
open PolymarketAlgo.Core
open PolymarketAlgo.Tests.TestHelpers

let private t0 = DateTimeOffset(2026, 4, 16, 7, 15, 0, TimeSpan.Zero)

/// A buy intent in `market` for `amount` dollars at up to `price`.
let intent (id: string) (market: string) (amount: decimal) (price: decimal) : OrderIntent =
    {
        ClientOrderId = id
        MarketId = market
        WindowStart = t0
        Outcome = StreakReversal.Up
        Side = OrderSide.Buy
        TimeInForce = TimeInForce.Fok
        Amount = amount
        Price = price
        Expiration = 0L
        FeeRate = 0.072m
        Strategy = "streak"
        Confidence = 0.6m
        StreakLength = 4
        Reason = "test"
    }

let private placed (i: OrderIntent) (at: DateTimeOffset) = TradingEvent.OrderPlaced(i, at)

/// A buy of 10 shares at 0.5 with a 0.18 fee, filled and closed, in market "m1".
let private boughtTen =
    [
        placed (intent "a" "m1" 5m 0.55m) t0
        TradingEvent.OrderAccepted("a", "0xabc", "0xabc", t0.AddSeconds 1.0)
        TradingEvent.Filled("a", "trade-1", 10m, 0.5m, 0.18m, t0.AddSeconds 1.0)
        TradingEvent.OrderClosed("a", OrderStatus.Filled, "filled", t0.AddSeconds 1.0)
    ]

/// Event times in minutes after t0 (never decreasing) and a kind per event.
let private eventSequences =
    gen {
        let! steps = Gen.listOfLength 40 (Gen.choose (0, 600))
        let! kinds = Gen.listOfLength 40 (Gen.choose (0, 5))
        let! markets = Gen.listOfLength 40 (Gen.choose (0, 3))
        let! cents = Gen.listOfLength 40 (Gen.choose (1, 99))

        let times =
            steps
            |> List.scan (+) 0
            |> List.tail
            |> List.map (fun m -> t0.AddMinutes(float m))

        return
            List.zip (List.zip times kinds) (List.zip markets cents)
            |> List.mapi (fun i ((at, kind), (market, c)) ->
                let id = $"o{i % 7}"
                let price = decimal c / 100m

                match kind with
                | 0
                | 1 -> placed (intent id $"m{market}" 2m price) at
                | 2 -> TradingEvent.Filled(id, $"f{i % 5}", 2m, price, 0.01m, at)
                | 3 -> TradingEvent.OrderClosed(id, OrderStatus.Cancelled, "done", at)
                | 4 ->
                    TradingEvent.Settled(
                        $"m{market}",
                        (if c % 2 = 0 then StreakReversal.Up else StreakReversal.Down),
                        at
                    )
                | _ -> TradingEvent.ForceExited($"m{market}", StreakReversal.Up, price, "shutdown", at))
    }
    |> Arb.fromGen

[<Tests>]
let tests =
    testList
        "Trading"
        [
            testList
                "legacySettlement"
                [
                    testCase "nets +4.875 on $5 bought at 0.5 with a 0.025 fee (seed-toolkit §6.5)"
                    <| fun () ->
                        let result = Account.legacySettlement 5m 0.5m 0.025m true
                        Expect.equal result.Shares 10m "shares"
                        Expect.equal result.Payout 10m "payout"
                        Expect.equal result.GrossProfit 5m "gross profit"
                        Expect.equal result.Fees 0.125m "fee"
                        Expect.equal result.NetProfit 4.875m "net"
                    testCase "agrees with the float Settlement module on the §6.5 example, win and loss"
                    <| fun () ->
                        let won = Settlement.settle 5.0 0.5 0.025 true
                        let lost = Settlement.settle 5.0 0.5 0.025 false
                        Expect.equal won.NetProfit 4.875 "Settlement.settle win"

                        Expect.equal
                            (float (Account.legacySettlement 5m 0.5m 0.025m true).NetProfit)
                            won.NetProfit
                            "win"

                        Expect.equal lost.NetProfit -5.0 "Settlement.settle loss"

                        Expect.equal
                            (float (Account.legacySettlement 5m 0.5m 0.025m false).NetProfit)
                            lost.NetProfit
                            "loss"
                    testProp "agrees with the float Settlement module on any amount, price and fee"
                    <| fun (amountCents: uint16) (priceCents: byte) (feeBps: byte) (won: bool) ->
                        let amount = decimal amountCents / 100m
                        let price = decimal (1 + int priceCents % 99) / 100m
                        let fee = decimal feeBps / 10000m
                        let exact = Account.legacySettlement amount price fee won
                        let reference = Settlement.settle (float amount) (float price) (float fee) won

                        abs (float exact.NetProfit - reference.NetProfit) < 1e-9
                        && abs (float exact.Fees - reference.FeeAmount) < 1e-9
                        && exact.Won = reference.Won
                ]
            testList
                "settlement"
                [
                    testCase "a win pays $1 a share less the cost and the fee paid at the fill"
                    <| fun () ->
                        let state = Account.fold (Account.initial 100m t0) boughtTen
                        let position = (Account.positions state)[0]
                        let result = Account.settlement position StreakReversal.Up
                        Expect.equal result.Payout 10m "payout"
                        Expect.equal result.GrossProfit 5m "gross"
                        Expect.equal result.NetProfit 4.82m "5 − 0.18"
                    testCase "a loss loses the cost and the fee"
                    <| fun () ->
                        let state = Account.fold (Account.initial 100m t0) boughtTen
                        let position = (Account.positions state)[0]
                        let result = Account.settlement position StreakReversal.Down
                        Expect.equal result.NetProfit -5.18m "−5 − 0.18"
                ]
            testList
                "fold"
                [
                    testCase "a fill opens a position; placing and filling leave the bankroll alone"
                    <| fun () ->
                        let state = Account.fold (Account.initial 100m t0) boughtTen
                        Expect.equal state.Bankroll 100m "bankroll"
                        Expect.equal state.DailyBets 1 "one bet"
                        Expect.equal state.FeesPaid 0.18m "fees"
                        Expect.equal (Account.openOrderCount state) 0 "no working order"
                        Expect.equal (Account.atRisk state) 5.18m "cost and fee at risk"
                        let order = state.Orders["a"]
                        Expect.equal order.ExchangeOrderId "0xabc" "exchange id"
                        Expect.equal order.Status OrderStatus.Filled "status"
                        let position = (Account.positions state)[0]
                        Expect.equal position.Shares 10m "shares"
                    testCase "settling realises the P&L into the bankroll, the day and the streak counters"
                    <| fun () ->
                        let events =
                            boughtTen @ [ TradingEvent.Settled("m1", StreakReversal.Up, t0.AddMinutes 5.0) ]

                        let state = Account.fold (Account.initial 100m t0) events
                        Expect.equal state.Bankroll 104.82m "bankroll"
                        Expect.equal state.DailyPnl 4.82m "daily"
                        Expect.equal state.RealizedPnl 4.82m "realised"
                        Expect.equal (state.Wins, state.Losses, state.ConsecutiveWins) (1, 0, 1) "counters"
                        Expect.isEmpty state.Positions "no position"
                        Expect.equal (Account.atRisk state) 0m "nothing at risk"
                    testCase "a loss resets the winning streak and counts a losing one"
                    <| fun () ->
                        let second =
                            [
                                placed
                                    { intent "b" "m2" 5m 0.55m with
                                        Outcome = StreakReversal.Down
                                    }
                                    t0
                                TradingEvent.Filled("b", "trade-2", 10m, 0.5m, 0m, t0)
                            ]

                        let events =
                            boughtTen
                            @ [ TradingEvent.Settled("m1", StreakReversal.Up, t0.AddMinutes 5.0) ]
                            @ second
                            @ [ TradingEvent.Settled("m2", StreakReversal.Up, t0.AddMinutes 10.0) ]

                        let state = Account.fold (Account.initial 100m t0) events
                        Expect.equal (state.ConsecutiveWins, state.ConsecutiveLosses) (0, 1) "streaks"
                        Expect.equal state.Bankroll 99.82m "100 + 4.82 − 5"
                    testCase "partial fills accumulate and a working buy reserves its unspent amount and fee"
                    <| fun () ->
                        let events =
                            [
                                placed
                                    { intent "g" "m1" 10m 0.4m with
                                        TimeInForce = TimeInForce.Gtc
                                    }
                                    t0
                                TradingEvent.Filled("g", "t1", 5m, 0.4m, 0.1m, t0.AddSeconds 5.0)
                                TradingEvent.Filled("g", "t2", 5m, 0.4m, 0.1m, t0.AddSeconds 9.0)
                            ]

                        let state = Account.fold (Account.initial 100m t0) events
                        let order = state.Orders["g"]
                        Expect.equal order.FilledShares 10m "shares"
                        Expect.equal order.FilledNotional 4m "notional"
                        Expect.equal (Account.orderReserve order) (6m * 1.072m) "reserve"
                        Expect.equal (Account.atRisk state) (4.2m + 6m * 1.072m) "position + reserve"
                        Expect.equal (Account.marketExposure "m1" state) (4.2m + 6m * 1.072m) "market exposure"
                        Expect.equal (Account.marketExposure "m2" state) 0m "other market"
                    testCase "selling part of a position realises its share of the cost"
                    <| fun () ->
                        let sell =
                            { intent "s" "m1" 4m 0.6m with
                                Side = OrderSide.Sell
                            }

                        let events =
                            boughtTen
                            @ [
                                placed sell t0
                                TradingEvent.Filled("s", "t9", 4m, 0.6m, 0.02m, t0.AddSeconds 3.0)
                            ]

                        let state = Account.fold (Account.initial 100m t0) events
                        // 4 of 10 shares: cost 2 and fees 0.072 released; proceeds 2.4 − 0.02.
                        Expect.equal state.RealizedPnl (2.4m - 0.02m - 2m - 0.072m) "realised"
                        let position = (Account.positions state)[0]
                        Expect.equal position.Shares 6m "shares left"
                        Expect.equal state.DailyBets 1 "a sell is not a bet"
                    testCase "a force exit realises its proceeds less the cost and fees"
                    <| fun () ->
                        let events =
                            boughtTen
                            @ [
                                TradingEvent.ForceExited("m1", StreakReversal.Up, 0m, "shutdown", t0.AddMinutes 1.0)
                            ]

                        let state = Account.fold (Account.initial 100m t0) events
                        Expect.equal state.Bankroll 94.82m "lost 5.18"
                        Expect.isEmpty state.Positions "closed"
                        Expect.equal (state.Wins, state.Losses) (0, 0) "not a settled bet"
                    testCase "a rejected order counts as a bet but holds nothing at risk"
                    <| fun () ->
                        let events =
                            [
                                placed (intent "r" "m1" 5m 0.5m) t0
                                TradingEvent.Rejected("r", "no match", t0)
                            ]

                        let state = Account.fold (Account.initial 100m t0) events
                        Expect.equal state.Orders["r"].Status OrderStatus.Rejected "rejected"
                        Expect.equal state.DailyBets 1 "counted"
                        Expect.equal (Account.atRisk state) 0m "nothing at risk"
                    testCase "a fill after a rejection of the same order is still recorded (the exchange is right)"
                    <| fun () ->
                        let events =
                            [
                                placed (intent "r" "m1" 5m 0.5m) t0
                                TradingEvent.Rejected("r", "timeout", t0)
                                TradingEvent.Filled("r", "late", 10m, 0.5m, 0m, t0.AddSeconds 2.0)
                            ]

                        let state = Account.fold (Account.initial 100m t0) events
                        let position = (Account.positions state)[0]
                        Expect.equal position.Shares 10m "position"
                    testCase "events about unknown orders change nothing but the clock"
                    <| fun () ->
                        let start = Account.initial 100m t0

                        let state =
                            Account.fold
                                start
                                [
                                    TradingEvent.Filled("x", "t", 1m, 0.5m, 0m, t0)
                                    TradingEvent.OrderClosed("x", OrderStatus.Cancelled, "", t0)
                                    TradingEvent.Settled("nowhere", StreakReversal.Up, t0)
                                ]

                        Expect.equal state start "unchanged"
                    testProp "is deterministic: the same events give the same state"
                    <| fun () ->
                        Prop.forAll eventSequences (fun events ->
                            Account.fold (Account.initial 500m t0) events =
                                Account.fold (Account.initial 500m t0) events)
                    testProp "ignores a replayed event: each event delivered twice gives the state of once"
                    <| fun () ->
                        Prop.forAll eventSequences (fun events ->
                            let twice = events |> List.collect (fun e -> [ e; e ])

                            Account.fold (Account.initial 500m t0) twice =
                                Account.fold (Account.initial 500m t0) events)
                ]
            testList
                "daily counters"
                [
                    testCase "reset at UTC midnight, not before"
                    <| fun () ->
                        let evening = DateTimeOffset(2026, 4, 16, 23, 59, 59, TimeSpan.Zero)
                        let midnight = DateTimeOffset(2026, 4, 17, 0, 0, 0, TimeSpan.Zero)

                        let first =
                            Account.fold (Account.initial 100m evening) [ placed (intent "a" "m1" 5m 0.5m) evening ]

                        Expect.equal first.DailyBets 1 "before midnight"
                        Expect.equal (Account.rollDay (evening.AddMilliseconds 999.0) first).DailyBets 1 "23:59:59.999"
                        let next = Account.rollDay midnight first
                        Expect.equal next.DailyBets 0 "00:00:00"
                        Expect.equal next.Day (DateOnly(2026, 4, 17)) "day"
                    testCase "follow UTC, not the caller's offset"
                    <| fun () ->
                        let jakartaMorning = DateTimeOffset(2026, 4, 17, 6, 0, 0, TimeSpan.FromHours 7.0)
                        Expect.equal (Account.utcDay jakartaMorning) (DateOnly(2026, 4, 16)) "23:00 UTC the day before"
                    testCase "leave out a bet or a settlement dated on an earlier day"
                    <| fun () ->
                        let today = t0.AddDays 1.0

                        let state =
                            Account.fold
                                (Account.initial 100m today)
                                [
                                    TradingEvent.BankrollSet(100m, today)
                                    placed (intent "late" "m1" 5m 0.55m) t0
                                    TradingEvent.Filled("late", "1", 10m, 0.5m, 0m, t0)
                                    TradingEvent.Settled("m1", StreakReversal.Up, t0.AddMinutes 5.0)
                                ]

                        Expect.equal state.Day (Account.utcDay today) "the day stays"
                        Expect.equal state.DailyBets 0 "yesterday's bet"
                        Expect.equal state.DailyPnl 0m "yesterday's settlement"
                        Expect.equal state.Bankroll 105m "but the bankroll has it"
                    testCase "count a settlement's P&L on the day it settles"
                    <| fun () ->
                        let nextDay = t0.AddDays 1.0

                        let state =
                            Account.fold
                                (Account.initial 100m t0)
                                (boughtTen @ [ TradingEvent.Settled("m1", StreakReversal.Down, nextDay) ])

                        Expect.equal state.DailyPnl -5.18m "today's loss"
                        Expect.equal state.DailyBets 0 "yesterday's bet"
                    testProp "equal the buys placed on the last event's UTC day"
                    <| fun () ->
                        Prop.forAll eventSequences (fun events ->
                            let state = Account.fold (Account.initial 500m t0) events
                            let lastDay = Account.utcDay (Account.eventTime (List.last events))

                            let firstPlacements =
                                events
                                |> List.choose (function
                                    | TradingEvent.OrderPlaced(i, at) -> Some(i.ClientOrderId, at)
                                    | _ -> None)
                                |> List.distinctBy fst

                            let expected =
                                firstPlacements
                                |> List.filter (fun (_, at) -> Account.utcDay at = lastDay)
                                |> List.length

                            state.DailyBets = expected && state.Day = lastDay)
                ]
        ]
