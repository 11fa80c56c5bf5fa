module PolymarketAlgo.Core.Tests.StreakDecisionTests

open System
open Expecto
open FsCheck.FSharp
open PolymarketAlgo.Core
open PolymarketAlgo.Tests.TestHelpers

let private five = TimeSpan.FromMinutes 5.0
let private target = DateTimeOffset(2026, 4, 16, 7, 30, 0, TimeSpan.Zero)

/// Windows resolving as `outcomes`, the last one just before `target`.
let private windows (outcomes: StreakReversal.Outcome list) =
    let n = outcomes.Length

    outcomes
    |> List.mapi (fun i outcome ->
        {
            Start = target - five * float (n - i)
            Outcome = outcome
        })
    |> Array.ofList

let private up = StreakReversal.Up
let private down = StreakReversal.Down

let private input (outcomes: ResolvedWindow[]) =
    {
        Now = target.AddSeconds 2.0
        MarketId = "btc-updown-5m-1776324600"
        TargetWindowStart = target
        Outcomes = outcomes
        UpPrice = 0.5m
        DownPrice = 0.5m
        KillSwitch = false
    }

let private config = StreakDecision.defaults
let private fresh = Account.initial 100m (target.AddHours -1.0)

let private decide state i = StreakDecision.decide config state i

let private skip reason = Decision.Skip reason

/// Random close paths with ties, a trigger and a bar to decide at.
let private paths =
    gen {
        let! steps = Gen.listOfLength 80 (Gen.choose (-2, 2))
        let! trigger = Gen.choose (2, 6)
        let! bar = Gen.choose (0, 79)

        let closes =
            steps |> List.scan (fun c s -> c + float s) 100.0 |> List.tail |> Array.ofList

        return closes, trigger, bar
    }
    |> Arb.fromGen

/// The outcomes of a close path's bars 0..bar (a tie resolves Down, as the backtest's directions say).
let private outcomesUpTo (closes: float[]) (bar: int) =
    StreakReversal.directions closes
    |> Array.take (bar + 1)
    |> Array.map (fun d -> if d > 0 then up else down)
    |> List.ofArray

[<Tests>]
let tests =
    testList
        "StreakDecision"
        [
            testList
                "decide"
                [
                    testCase "bets $5 against four ups at 0.5 with a bankroll of 100 (seed-toolkit §8.1)"
                    <| fun () ->
                        match decide fresh (input (windows [ down; up; up; up; up ])) with
                        | Decision.Place order ->
                            Expect.equal order.Outcome down "fades the streak"
                            Expect.equal order.Side OrderSide.Buy "buys"
                            // Kelly 8.35 at 0.667, capped at $5 and 10 % of 100.
                            Expect.equal order.Amount 5m "amount"
                            Expect.equal order.Confidence 0.667m "legacy reversal rate of 4"
                            Expect.equal order.StreakLength 4 "streak"
                            Expect.equal order.Price 0.55m "ask + 5 cents"
                            Expect.equal order.TimeInForce TimeInForce.Fok "FOK"
                            Expect.equal order.ClientOrderId "streak-1776324600-down" "id"
                            Expect.equal order.MarketId "btc-updown-5m-1776324600" "market"
                            Expect.equal order.WindowStart target "window"
                            Expect.equal order.Reason "Streak of 4x up; reversal rate 66.7%; betting down" "reason"
                        | other -> failtest $"expected a bet, got {other}"
                    testCase "sizes quarter Kelly on the 5-minute rates at the side's price"
                    <| fun () ->
                        let config =
                            { config with
                                ReversalRates = Sizing.reversalRates5m
                                Sizing = QuarterKelly(100m, 1m)
                            }

                        let i =
                            { input (windows [ down; down; down; down; down ]) with
                                UpPrice = 0.45m
                            }

                        match StreakDecision.decide config fresh i with
                        | Decision.Place order ->
                            Expect.equal order.Outcome up "up"
                            // kelly(0.533, 1/0.45, 100) at a quarter.
                            Expect.equal order.Amount (Sizing.quarterKelly 0.533m (1m / 0.45m) 100m) "amount"
                            Expect.equal order.Confidence 0.533m "rate of 5"
                        | other -> failtest $"expected a bet, got {other}"
                    testCase "does not bet on a streak shorter than the trigger"
                    <| fun () ->
                        Expect.equal
                            (decide fresh (input (windows [ down; up; up; up ])))
                            (skip (SkipReason.NoStreak(3, 4)))
                            "three ups"
                    testCase "refuses outcomes one window late, the original live bot's lag"
                    <| fun () ->
                        let late = windows [ up; up; up; up; up ] |> Array.take 4

                        Expect.equal
                            (decide fresh (input late))
                            (skip (SkipReason.OutcomesNotCurrent(target - five * 2.0, target - five)))
                            "streak ends two windows before the target"
                    testCase "waits for the target window to open and stops after the entry window"
                    <| fun () ->
                        let streak = windows [ up; up; up; up ]

                        Expect.equal
                            (decide
                                fresh
                                { input streak with
                                    Now = target.AddSeconds -30.0
                                })
                            (skip (SkipReason.WindowNotOpen target))
                            "30 s early, as the original entered"

                        Expect.equal
                            (decide
                                fresh
                                { input streak with
                                    Now = target.AddSeconds 31.0
                                })
                            (skip (SkipReason.EntryClosed(target.AddSeconds 30.0)))
                            "31 s late"

                        Expect.isTrue (decide fresh { input streak with Now = target }).IsPlace "at the opening"
                    testCase "a missing window breaks the streak"
                    <| fun () ->
                        let streak = windows [ up; up; up; up; up; up ]
                        let holed = Array.append streak[0..2] streak[4..]

                        Expect.equal
                            (decide fresh (input holed))
                            (skip (SkipReason.GapInOutcomes(target - five * 3.0)))
                            "only two contiguous windows"

                        let longEnough = Array.append streak[0..0] streak[2..]

                        Expect.isTrue (decide fresh (input longEnough)).IsPlace "four contiguous windows suffice"
                    testCase "bets once per market"
                    <| fun () ->
                        let i = input (windows [ up; up; up; up ])

                        match decide fresh i with
                        | Decision.Place order ->
                            let state = Account.evolve fresh (TradingEvent.OrderPlaced(order, i.Now))

                            Expect.equal (decide state i) (skip (SkipReason.AlreadyTraded i.MarketId)) "second time"
                        | other -> failtest $"expected a bet, got {other}"
                    testCase "rejects the bet when the kill switch is engaged"
                    <| fun () ->
                        Expect.equal
                            (decide
                                fresh
                                { input (windows [ up; up; up; up ]) with
                                    KillSwitch = true
                                })
                            (Decision.Reject RiskBreach.KillSwitchEngaged)
                            "kill switch"
                    testCase "rejects the bet past the daily bet limit"
                    <| fun () ->
                        let config =
                            { config with
                                Risk = { config.Risk with MaxDailyBets = 0 }
                            }

                        Expect.equal
                            (StreakDecision.decide config fresh (input (windows [ up; up; up; up ])))
                            (Decision.Reject(RiskBreach.DailyBetLimit(0, 0)))
                            "no bets allowed"
                    testCase "skips a side without a price or dearer than the maximum"
                    <| fun () ->
                        let streak = windows [ up; up; up; up ]

                        Expect.equal
                            (decide fresh { input streak with DownPrice = 0m })
                            (skip (SkipReason.NoPrice 0m))
                            "no ask"

                        Expect.equal
                            (decide fresh { input streak with DownPrice = 0.97m })
                            (skip (SkipReason.NoPrice 0.97m))
                            "too dear"
                    testCase "skips when Kelly sees no edge at the price"
                    <| fun () ->
                        Expect.equal
                            (decide
                                fresh
                                { input (windows [ up; up; up; up ]) with
                                    DownPrice = 0.7m
                                })
                            (skip SkipReason.NoEdge)
                            "0.667 at 0.7"
                    testCase "skips a bet below the minimum order"
                    <| fun () ->
                        let config = { config with Sizing = Fixed 0.5m }

                        Expect.equal
                            (StreakDecision.decide config fresh (input (windows [ up; up; up; up ])))
                            (skip (SkipReason.BelowMinimum(0.5m, 1m)))
                            "50 cents"
                    testCase "sizes on the bankroll not at risk"
                    <| fun () ->
                        let config =
                            { config with
                                Sizing = CappedFraction(0.1m, 100m)
                                Risk = { config.Risk with MaxDailyLoss = 100m }
                            }

                        let busy =
                            Account.evolve
                                fresh
                                (TradingEvent.OrderPlaced(
                                    { TradingTests.intent "x" "other" 50m 0.5m with
                                        FeeRate = 0m
                                    },
                                    target
                                ))

                        match StreakDecision.decide config busy (input (windows [ up; up; up; up ])) with
                        | Decision.Place order -> Expect.equal order.Amount 5m "10 % of 100 − 50"
                        | other -> failtest $"expected a bet, got {other}"
                    testCase "raises on outcomes out of order"
                    <| fun () ->
                        let streak = windows [ up; up; up; up ] |> Array.rev

                        Expect.throwsT<ArgumentException> (fun () -> decide fresh (input streak) |> ignore) "unsorted"
                    testCase "describes its decisions in one line"
                    <| fun () ->
                        Expect.equal
                            (StreakDecision.describe (skip (SkipReason.NoStreak(2, 4))))
                            "Streak 2 < trigger 4"
                            "no streak"

                        Expect.equal
                            (StreakDecision.describe (skip (SkipReason.WindowNotOpen target)))
                            "Target window opens at 2026-04-16 07:30:00Z"
                            "timing"
                ]
            testProp "bets exactly where the backtest's StreakReversal signal fires, on the same side"
            <| fun () ->
                Prop.forAll paths (fun (closes, trigger, bar) ->
                    let signals = StreakReversal.evaluate trigger 1.0 closes
                    let directions = StreakReversal.directions closes

                    let outcomes =
                        directions[0..bar]
                        |> Array.map (fun d -> if d > 0 then up else down)
                        |> List.ofArray

                    let config =
                        { config with
                            Trigger = trigger
                            Sizing = Fixed 5m
                        }

                    match StreakDecision.decide config fresh (input (windows outcomes)), signals.Signal[bar] with
                    | Decision.Place order, 1 -> order.Outcome = up
                    | Decision.Place order, -1 -> order.Outcome = down
                    | Decision.Skip(SkipReason.NoStreak _), 0 -> true
                    | _ -> false)
            testProp "following the streak-reversal strategy over the outcomes bets exactly where the streak rule does"
            <| fun () ->
                Prop.forAll paths (fun (closes, trigger, bar) ->
                    let outcomes = outcomesUpTo closes bar

                    let config =
                        { config with
                            Trigger = trigger
                            Sizing = Fixed 5m
                        }

                    let strategy =
                        {
                            Strategy = Strategy.tryFind "streak-reversal" |> Option.get
                            Parameters = Map [ "trigger", float trigger ]
                        }

                    let placed decision =
                        match decision with
                        | Decision.Place order -> Some order.Outcome
                        | _ -> None

                    let i = input (windows outcomes)

                    placed (StreakDecision.decideBy strategy config fresh i) =
                        placed (StreakDecision.decide config fresh i))
            testCase "a strategy's bet carries its name and skips with it when it has no signal"
            <| fun () ->
                let strategy =
                    {
                        Strategy = Strategy.tryFind "streak-reversal" |> Option.get
                        Parameters = Map [ "trigger", 3.0 ]
                    }

                let sized = { config with Sizing = Fixed 5m }

                match StreakDecision.decideBy strategy sized fresh (input (windows [ up; up; up ])) with
                | Decision.Place order ->
                    Expect.equal order.Outcome down "bets against three Ups"
                    Expect.equal order.Strategy "streak-reversal" "the strategy's name"
                    Expect.equal order.Amount 5m "fixed size"
                | other -> failtest $"expected a bet, got {other}"

                Expect.equal
                    (StreakDecision.decideBy strategy sized fresh (input (windows [ down; up; up ])))
                    (skip (SkipReason.NoSignal "streak-reversal"))
                    "no signal after two Ups"

                Expect.throwsT<ArgumentException>
                    (fun () ->
                        StreakDecision.decideBy
                            { strategy with
                                Parameters = Map [ "no-such", 1.0 ]
                            }
                            sized
                            fresh
                            (input (windows [ up ]))
                        |> ignore)
                    "an unknown parameter is a misconfiguration"
            testProp "never bets on outcomes that end before the window just before the target"
            <| fun () ->
                Prop.forAll paths (fun (closes, trigger, bar) ->
                    let outcomes = outcomesUpTo closes bar

                    let lagged =
                        windows outcomes |> Array.map (fun w -> { w with Start = w.Start - five })

                    match StreakDecision.decide { config with Trigger = trigger } fresh (input lagged) with
                    | Decision.Skip(SkipReason.OutcomesNotCurrent _) -> true
                    | _ -> false)
        ]
