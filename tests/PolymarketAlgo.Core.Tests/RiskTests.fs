module PolymarketAlgo.Core.Tests.RiskTests

open System
open Expecto
open FsCheck.FSharp
open PolymarketAlgo.Core
open PolymarketAlgo.Tests.TestHelpers
open PolymarketAlgo.Core.Tests.TradingTests

let private t0 = DateTimeOffset(2026, 4, 16, 7, 15, 0, TimeSpan.Zero)

let private limits =
    {
        MaxDailyBets = 3
        MaxDailyLoss = 20m
        MinBankroll = 10m
        MaxPositionPerMarket = 12m
        MaxOpenOrders = 2
    }

let private check state i = Risk.check limits false t0 state i

/// What the property's account tries to do next.
type private Command =
    | Place of market: int * cents: int * priceCents: int * feeBps: int * sell: bool
    | Fill of pick: int * percent: int * priceCents: int * feeShare: int
    | Close of pick: int
    | Settle of market: int * up: bool
    | Exit of market: int * up: bool * percent: int
    | Wait of minutes: int

let private commands =
    Gen.oneof
        [
            Gen.map5
                (fun m c p f s -> Place(m, c, p, f, s))
                (Gen.choose (0, 2))
                (Gen.choose (1, 1500))
                (Gen.choose (1, 99))
                (Gen.choose (0, 1000))
                (Gen.elements [ false; false; false; true ])
            Gen.map4
                (fun k pct p f -> Fill(k, pct, p, f))
                (Gen.choose (0, 9))
                (Gen.choose (1, 100))
                (Gen.choose (1, 99))
                (Gen.choose (0, 100))
            Gen.choose (0, 9) |> Gen.map Close
            Gen.map2 (fun m up -> Settle(m, up)) (Gen.choose (0, 2)) (Gen.elements [ true; false ])
            Gen.map3
                (fun m up pct -> Exit(m, up, pct))
                (Gen.choose (0, 2))
                (Gen.elements [ true; false ])
                (Gen.choose (0, 100))
            Gen.choose (1, 900) |> Gen.map Wait
        ]

let private scenarios =
    gen {
        let! bankroll = Gen.choose (1000, 20000) |> Gen.map (fun c -> decimal c / 100m)
        let! killSwitchEvery = Gen.choose (0, 9)
        let! steps = Gen.listOfLength 120 commands
        return bankroll, killSwitchEvery, steps
    }
    |> Arb.fromGen

/// Runs commands: a new order is placed only when `Risk.check` allows it; fills, closes, settlements and exits
/// happen whatever the limits (the exchange decides them). Returns every state reached and the breaches seen.
let private run (bankroll: decimal) (killSwitchEvery: int) (steps: Command list) =
    let mutable now = t0
    let mutable state = Account.initial bankroll t0
    let states = Collections.Generic.List<TradingState>()
    let breaches = Collections.Generic.List<RiskBreach>()
    let mutable n = 0

    let outcome up =
        if up then StreakReversal.Up else StreakReversal.Down

    for step in steps do
        n <- n + 1
        now <- now.AddSeconds 1.0

        let events =
            match step with
            | Place(market, cents, priceCents, feeBps, sell) ->
                let i =
                    { intent $"o{n}" $"m{market}" (decimal cents / 100m) (decimal priceCents / 100m) with
                        Outcome = outcome (cents % 2 = 0)
                        FeeRate = decimal feeBps / 10000m
                        Side = if sell then OrderSide.Sell else OrderSide.Buy
                    }

                let killSwitch = killSwitchEvery > 0 && n % killSwitchEvery = 0

                match Risk.check limits killSwitch now state i with
                | Ok i -> [ TradingEvent.OrderPlaced(i, now) ]
                | Error breach ->
                    breaches.Add breach
                    []
            | Fill(pick, percent, priceCents, feeShare) ->
                let working = Account.openOrders state

                if working.Length = 0 then
                    []
                else
                    let order = working[pick % working.Length]
                    let price = decimal priceCents / 100m
                    let id = order.Intent.ClientOrderId

                    match order.Intent.Side with
                    | OrderSide.Buy ->
                        // The exchange never spends more than the amount nor charges more than the fee rate.
                        let remaining = order.Intent.Amount - order.FilledNotional

                        let shares =
                            Math.Round(remaining * decimal percent / 100m / price, 6, MidpointRounding.ToZero)

                        let fee = shares * price * order.Intent.FeeRate * decimal feeShare / 100m

                        if shares > 0m then
                            [ TradingEvent.Filled(id, $"f{n}", shares, price, fee, now) ]
                        else
                            []
                    | OrderSide.Sell ->
                        let held =
                            state.Positions
                            |> Map.tryFind (order.Intent.MarketId, order.Intent.Outcome)
                            |> Option.map _.Shares
                            |> Option.defaultValue 0m

                        let shares = min held (order.Intent.Amount * decimal percent / 100m)
                        let fee = shares * price * 0.072m * decimal feeShare / 100m

                        if shares > 0m then
                            [ TradingEvent.Filled(id, $"f{n}", shares, price, fee, now) ]
                        else
                            []
            | Close pick ->
                let working = Account.openOrders state

                if working.Length = 0 then
                    []
                else
                    [
                        TradingEvent.OrderClosed(
                            working[pick % working.Length].Intent.ClientOrderId,
                            OrderStatus.Cancelled,
                            "killed",
                            now
                        )
                    ]
            | Settle(market, up) -> [ TradingEvent.Settled($"m{market}", outcome up, now) ]
            | Exit(market, up, percent) ->
                match Map.tryFind ($"m{market}", outcome up) state.Positions with
                | Some position ->
                    [
                        TradingEvent.ForceExited(
                            $"m{market}",
                            outcome up,
                            position.Shares * decimal percent / 100m,
                            "shutdown",
                            now
                        )
                    ]
                | None -> []
            | Wait minutes ->
                now <- now.AddMinutes(float minutes)
                []

        state <- Account.fold state events
        states.Add(Account.rollDay now state)

    states, breaches

let private withinLimits (state: TradingState) =
    let markets = state.Positions |> Map.toList |> List.map (fst >> fst)

    let orderMarkets =
        Account.openOrders state |> Array.map _.Intent.MarketId |> List.ofArray

    state.DailyBets <= limits.MaxDailyBets
    && Account.openOrderCount state <= limits.MaxOpenOrders
    && state.DailyPnl >= -limits.MaxDailyLoss
    && state.Bankroll >= limits.MinBankroll
    && min state.DailyPnl 0m - Account.atRisk state >= -limits.MaxDailyLoss
    && (markets @ orderMarkets
        |> List.forall (fun m -> Account.marketExposure m state <= limits.MaxPositionPerMarket))

[<Tests>]
let tests =
    testList
        "Risk"
        [
            testList
                "check"
                [
                    testCase "passes an order within every limit"
                    <| fun () ->
                        let i = intent "a" "m1" 5m 0.5m
                        Expect.equal (check (Account.initial 100m t0) i) (Ok i) "ok"
                    testCase "refuses everything when the kill switch is engaged"
                    <| fun () ->
                        let i = intent "a" "m1" 5m 0.5m

                        Expect.equal
                            (Risk.check limits true t0 (Account.initial 100m t0) i)
                            (Error RiskBreach.KillSwitchEngaged)
                            "kill switch"
                    testCase "refuses the bet after the day's limit and allows it again after UTC midnight"
                    <| fun () ->
                        let state =
                            Account.fold
                                (Account.initial 100m t0)
                                [
                                    for k in 1..3 -> TradingEvent.OrderPlaced(intent $"o{k}" $"m{k}" 1m 0.5m, t0)
                                    for k in 1..3 -> TradingEvent.Rejected($"o{k}", "no match", t0)
                                ]

                        let i = intent "x" "m9" 1m 0.5m
                        Expect.equal (check state i) (Error(RiskBreach.DailyBetLimit(3, 3))) "fourth bet"
                        let midnight = DateTimeOffset(2026, 4, 17, 0, 0, 0, TimeSpan.Zero)
                        Expect.equal (Risk.check limits false midnight state i) (Ok i) "next day"
                    testCase "refuses a third working order"
                    <| fun () ->
                        let state =
                            Account.fold
                                (Account.initial 100m t0)
                                [
                                    TradingEvent.OrderPlaced(intent "a" "m1" 1m 0.5m, t0)
                                    TradingEvent.OrderPlaced(intent "b" "m2" 1m 0.5m, t0)
                                ]

                        Expect.equal
                            (check state (intent "c" "m3" 1m 0.5m))
                            (Error(RiskBreach.OpenOrderLimit(2, 2)))
                            "third"
                    testCase "counts what is at risk as lost against the daily loss limit"
                    <| fun () ->
                        let state =
                            Account.fold
                                (Account.initial 100m t0)
                                [
                                    TradingEvent.OrderPlaced(intent "a" "m1" 10m 0.5m, t0)
                                    TradingEvent.Filled("a", "t", 20m, 0.5m, 0m, t0)
                                    TradingEvent.Settled("m1", StreakReversal.Down, t0)
                                ]

                        Expect.equal state.DailyPnl -10m "lost 10"
                        // −10 − 10·1.072 = −20.72 < −20.
                        Expect.equal
                            (check state (intent "b" "m2" 10m 0.5m))
                            (Error(RiskBreach.DailyLossLimit(-20.72m, 20m)))
                            "would exceed"

                        let small = intent "c" "m2" 9m 0.5m
                        Expect.equal (check state small) (Ok small) "−10 − 9.648 fits"
                    testCase "keeps the bankroll above the floor even if every bet loses"
                    <| fun () ->
                        let state = Account.initial 15m t0

                        Expect.equal
                            (check state (intent "a" "m1" 5m 0.5m))
                            (Error(RiskBreach.BankrollTooLow(15m - 5.36m, 10m)))
                            "15 − 5.36 < 10"
                    testCase "caps the exposure in one market"
                    <| fun () ->
                        let state =
                            Account.fold
                                (Account.initial 100m t0)
                                [
                                    TradingEvent.OrderPlaced(intent "a" "m1" 10m 0.5m, t0)
                                    TradingEvent.Filled("a", "t", 20m, 0.5m, 0.1m, t0)
                                    TradingEvent.OrderClosed("a", OrderStatus.Filled, "", t0)
                                ]

                        Expect.equal
                            (check state (intent "b" "m1" 2m 0.5m))
                            (Error(RiskBreach.MarketExposureLimit("m1", 10.1m + 2.144m, 12m)))
                            "m1"

                        let elsewhere = intent "c" "m2" 1m 0.5m
                        Expect.equal (check state elsewhere) (Ok elsewhere) "m2"
                    testCase "lets a sell through the loss and exposure limits"
                    <| fun () ->
                        let sell =
                            { intent "s" "m1" 100m 0.5m with
                                Side = OrderSide.Sell
                            }

                        Expect.equal (check (Account.initial 10m t0) sell) (Ok sell) "sell"
                    testCase "describes a breach in one line"
                    <| fun () ->
                        Expect.equal
                            (Risk.describe (RiskBreach.DailyBetLimit(100, 100)))
                            "Max daily bets reached (100 of 100)"
                            "bets"

                        Expect.equal
                            (Risk.describe (RiskBreach.BankrollTooLow(0.5m, 1m)))
                            "Bankroll too low (worst case $0.50 < $1.00)"
                            "bankroll"
                    testCase "raises on an order without an amount"
                    <| fun () ->
                        Expect.throwsT<ArgumentException>
                            (fun () -> check (Account.initial 100m t0) (intent "a" "m1" 0m 0.5m) |> ignore)
                            "amount 0"
                ]
            testProp "no limit is ever exceeded, whatever fills, cancels, settles, exits and days follow"
            <| fun () ->
                Prop.forAll scenarios (fun (bankroll, killSwitchEvery, steps) ->
                    let states, _ = run bankroll killSwitchEvery steps
                    states |> Seq.forall withinLimits)
            testCase "the property's accounts meet every kind of breach, so the limits do bind"
            <| fun () ->
                let kinds =
                    Gen.sampleWithSeed (FsCheck.Rnd(20260416UL, 0x9E3779B97F4A7C15UL)) 50 100 scenarios.Generator
                    |> Seq.collect (fun (bankroll, killSwitchEvery, steps) -> snd (run bankroll killSwitchEvery steps))
                    |> Seq.map (fun breach ->
                        match breach with
                        | RiskBreach.KillSwitchEngaged -> "kill switch"
                        | RiskBreach.DailyBetLimit _ -> "daily bets"
                        | RiskBreach.OpenOrderLimit _ -> "open orders"
                        | RiskBreach.DailyLossLimit _ -> "daily loss"
                        | RiskBreach.BankrollTooLow _ -> "bankroll"
                        | RiskBreach.MarketExposureLimit _ -> "market exposure")
                    |> Set.ofSeq

                Expect.equal
                    kinds
                    (set
                        [
                            "kill switch"
                            "daily bets"
                            "open orders"
                            "daily loss"
                            "bankroll"
                            "market exposure"
                        ])
                    "every breach kind"
        ]
