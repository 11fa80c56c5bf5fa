/// The real StreakBot, wired as `trade streak` wires it, trading against an in-process simulator on the
/// simulator's clock (running fast), with a temporary SQLite journal.
module PolymarketAlgo.Simulator.Tests.StreakBotEndToEndTests

open System
open System.Threading.Tasks
open Expecto
open PolymarketAlgo.Core
open PolymarketAlgo.Executor.Bots
open PolymarketAlgo.Executor.Journal
open PolymarketAlgo.Executor.Trading
open PolymarketAlgo.Simulator.Faults
open PolymarketAlgo.Simulator.Markets
open PolymarketAlgo.Simulator.Tests.EndToEndRig
open PolymarketAlgo.Simulator.Tests.TestHelpers

/// Whether Up won the window starting at `start`.
let private upWins (start: DateTimeOffset) =
    catalog.Value.Get(start.ToUnixTimeSeconds()).UpWins

/// The first window from the first recorded book window on whose `streak` predecessors all resolved the same
/// way (so a trigger of 2 bets on it) and for which `extra` holds.
let private findTarget (extra: DateTimeOffset -> bool) =
    let first = DateTimeOffset.FromUnixTimeSeconds(firstWindow().StartUnixSeconds)

    Seq.initInfinite (fun k -> first.AddSeconds(float (300 * (k + 2))))
    |> Seq.take 2000
    |> Seq.find (fun t -> upWins (t.AddSeconds -600.0) = upWins (t.AddSeconds -300.0) && extra t)

/// The trading options of the runs: trigger 2, a fixed 5 pUSD bet, the given entry window.
let private tradingOptions (entry: TimeSpan) =
    TradingOptions(Trigger = 2, Sizing = SizingMode.Fixed, BetAmount = 5m, Bankroll = 100m, EntryWindow = entry)

/// Starts the simulator as `setup` says and the StreakBot on it, wired as TradeCommands.streak wires it.
let private startBot (entry: TimeSpan) (setup: RigSetup) : Task<Rig> =
    task {
        let! rig = startRig setup

        let bot =
            StreakBot(
                rig.Trader,
                rig.Windows,
                (tradingOptions entry).ToStreakConfig(),
                StreakBotOptions(),
                rig.Host.Clock,
                rig.Logger
            )

        rig.Start bot.RunAsync
        return rig
    }

/// Starts the simulator at `target − 3 s` and the StreakBot in paper or live mode.
let private startRigWith (entry: TimeSpan) (target: DateTimeOffset) (live: bool) : Task<Rig> =
    startBot
        entry
        { RigSetup.At(target.AddSeconds -3.0) with
            Live = live
        }

/// A rig with a 60 s entry window (1.5 s of wall time).
let private startRigAt = startRigWith (TimeSpan.FromSeconds 60.0)

/// Checks one bet from decision to settlement: decision, order, fill within the book's levels and the limit,
/// settlement against the simulator's outcome.
let private expectSettledBet (rig: Rig) (target: DateTimeOffset) =
    let window = rig.Market target
    let events = rig.Events
    let decisions = rig.Journal.ReadDecisions()

    let decision =
        decisions |> List.ofSeq |> List.tryFind (fun d -> d.MarketId = window.Slug)

    Expect.isSome decision $"a decision on {window.Slug} is journaled"
    Expect.equal decision.Value.Kind "place" $"the bot decided to bet: {decision.Value.Reason}"

    let intent = placed events |> List.find (fun i -> i.MarketId = window.Slug)

    let expectedSide =
        if upWins (target.AddSeconds -300.0) then
            StreakReversal.Outcome.Down
        else
            StreakReversal.Outcome.Up

    Expect.equal intent.Outcome expectedSide "it bets against the streak"
    Expect.equal intent.Amount 5m "the fixed 5 pUSD bet"
    Expect.equal decision.Value.ClientOrderId intent.ClientOrderId "the decision names the order"

    let tokenId =
        if intent.Outcome.IsUp then
            window.UpTokenId
        else
            window.DownTokenId

    let orderFills =
        fills events |> List.filter (fun (id, _, _, _) -> id = intent.ClientOrderId)

    Expect.isNonEmpty orderFills "the order filled"
    let asks = askPrices window tokenId

    for _, shares, price, fee in orderFills do
        Expect.isGreaterThan shares 0m "a fill has shares"

        Expect.isTrue
            (price >= Set.minElement asks && price <= Set.maxElement asks)
            $"fill price {price} is within the book's ask levels"

        Expect.isLessThanOrEqual price intent.Price "no fill above the limit price"
        Expect.isGreaterThanOrEqual fee 0m "fees are not negative"

    let spent = orderFills |> List.sumBy (fun (_, s, p, _) -> s * p)
    Expect.isLessThanOrEqual spent (intent.Amount + 0.01m) "it spends at most the bet"

    let winner =
        events
        |> List.pick (function
            | TradingEvent.Settled(m, w, _) when m = window.Slug -> Some w
            | _ -> None)

    Expect.equal winner.IsUp window.UpWins "settled with the simulator's outcome"

    let trade = rig.Journal.FindTrade intent.ClientOrderId
    Expect.isNotNull (box trade) "the order's trade record exists"
    Expect.equal trade.TokenId tokenId "the trade holds the bought token"
    Expect.equal trade.Won (Nullable(intent.Outcome.IsUp = window.UpWins)) "the trade is won or lost as resolved"
    intent, orderFills

[<Tests>]
let clockTimerTests =
    testList
        "ReplayClock timers"
        [
            testCase "a delay on the simulated clock lasts its simulated duration divided by the speed"
            <| fun () ->
                let wall =
                    Microsoft.Extensions.Time.Testing.FakeTimeProvider(
                        DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero)
                    )

                let clock =
                    PolymarketAlgo.Simulator.Clock.ReplayClock(
                        DateTimeOffset.FromUnixTimeSeconds 1776323700L,
                        Nullable 10.0,
                        wall
                    )

                let delay = Task.Delay(TimeSpan.FromSeconds 60.0, clock)
                wall.Advance(TimeSpan.FromSeconds 5.9)
                Expect.isFalse delay.IsCompleted "59 simulated seconds are not yet 60"
                wall.Advance(TimeSpan.FromSeconds 0.1)
                Expect.isTrue delay.IsCompleted "6 wall seconds are 60 simulated seconds at speed 10"

            testCase "a periodic timer on the simulated clock ticks at its simulated period"
            <| fun () ->
                let wall =
                    Microsoft.Extensions.Time.Testing.FakeTimeProvider(
                        DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero)
                    )

                let clock =
                    PolymarketAlgo.Simulator.Clock.ReplayClock(
                        DateTimeOffset.FromUnixTimeSeconds 1776323700L,
                        Nullable 20.0,
                        wall
                    )

                let mutable ticks = 0

                use timer =
                    clock.CreateTimer(
                        (fun _ -> ticks <- ticks + 1),
                        null,
                        TimeSpan.FromSeconds 20.0,
                        TimeSpan.FromSeconds 20.0
                    )

                wall.Advance(TimeSpan.FromSeconds 5.5)
                Expect.equal ticks 5 "5.5 wall seconds at speed 20 hold five 20 s simulated periods"
                timer.Change(TimeSpan.FromSeconds 40.0, TimeSpan.FromSeconds 40.0) |> ignore
                wall.Advance(TimeSpan.FromSeconds 4.0)
                Expect.equal ticks 7 "a changed period is simulated too"
        ]

[<Tests>]
let tests =
    testSequenced
    <| testList
        "StreakBot end to end"
        [
            testTask
                "in paper mode the bot finds the window on Gamma, bets against a 2-streak, fills on the book and settles" {
                let target = findTarget (fun _ -> true)
                use! (rig: Rig) = startRigAt target false
                let market: MarketWindow = rig.Market target
                let! settled = rig.WaitFor 20_000 (isSettled market.Slug)
                Expect.isTrue settled $"the bet on {market.Slug} settles: {rig.Logger.Lines}"
                let! (summary: SessionSummary) = rig.StopAsync()
                let intent, orderFills = expectSettledBet rig target
                Expect.equal summary.Mode TradingMode.Paper "paper mode"
                Expect.isGreaterThanOrEqual summary.OrdersFilled 1 "the summary counts the fill"
                Expect.equal summary.Settled 1 "one settlement"
                let shares, cost, payout = outcomeOf market intent orderFills

                Expect.floatClose
                    Accuracy.medium
                    (float summary.SessionPnl)
                    (float (payout - cost))
                    "P&L = payout − cost"

                Expect.isEmpty rig.Logger.Errors "no loop errors"
            }

            testTask "in live mode the signed, authenticated order reaches the simulator, fills and settles" {
                let target = findTarget (fun _ -> true)
                use! (rig: Rig) = startRigAt target true
                let market: MarketWindow = rig.Market target
                let! settled = rig.WaitFor 20_000 (isSettled market.Slug)
                Expect.isTrue settled $"the bet on {market.Slug} settles: {rig.Logger.Lines}"
                let! (summary: SessionSummary) = rig.StopAsync()
                let intent, orderFills = expectSettledBet rig target
                Expect.equal summary.Mode TradingMode.Live "live mode"

                expectAccepted rig intent

                let shares, cost, payout = outcomeOf market intent orderFills

                do!
                    expectBalance
                        rig
                        cost
                        payout
                        "the simulator's balance agrees with the journal's fills and settlement"

                Expect.floatClose
                    Accuracy.medium
                    (float summary.SessionPnl)
                    (float (payout - cost))
                    "P&L = payout − cost"

                Expect.isGreaterThan shares 0m "shares bought"
                // The reply's one fill is journaled with how it went against the book the decision saw.
                let trade = rig.Journal.FindTrade intent.ClientOrderId
                let bestAsk, bestBid = trade.Context.BestAsk.Value, trade.Context.BestBid.Value
                let average = (cost - (orderFills |> List.sumBy (fun (_, _, _, f) -> f))) / shares
                Expect.equal trade.Execution.Spread (Nullable(bestAsk - bestBid)) "the spread at the decision"

                Expect.floatClose
                    Accuracy.high
                    (float trade.Execution.SlippagePct.Value)
                    (float (max 0m ((average - bestAsk) / bestAsk * 100m)))
                    "the slippage of the average fill over the decision's best ask"
            }

            testTask
                "in live mode with the user channel, fills come once from its trade events at the book's prices and survive a WebSocket drop" {
                let target = findTarget (fun _ -> true)

                use! (rig: Rig) =
                    startBot
                        (TimeSpan.FromSeconds 150.0)
                        { RigSetup.At(target.AddSeconds -3.0) with
                            Live = true
                            UserChannel = true
                        }

                // The reply to the post is held, so the user channel reports the fill first.
                rig.Host.Faults.HoldNextOrderReplies(1, TimeSpan.FromSeconds 1.0)
                let market: MarketWindow = rig.Market target

                let! accepted =
                    rig.WaitFor 15_000 (function
                        | TradingEvent.OrderAccepted _ -> true
                        | _ -> false)

                Expect.isTrue accepted $"the held reply arrives: {rig.Logger.Lines}"
                do! expectUserChannelSurvivesDrop rig
                let! settled = rig.WaitFor 20_000 (isSettled market.Slug)
                Expect.isTrue settled $"the bet on {market.Slug} settles: {rig.Logger.Lines}"
                let! (_: SessionSummary) = rig.StopAsync()
                let intent, orderFills = expectSettledBet rig target

                let fillIds =
                    rig.Events
                    |> List.choose (function
                        | TradingEvent.Filled(id, fillId, _, _, _, _) when id = intent.ClientOrderId -> Some fillId
                        | _ -> None)

                Expect.isNonEmpty fillIds "fills recorded"

                for fillId in fillIds do
                    Expect.isFalse (fillId.StartsWith "post") $"fill {fillId} comes from a trade event, not the reply"

                let _, cost, payout = outcomeOf market intent orderFills
                do! expectBalance rig cost payout "the simulator's balance agrees: the reply added no second fill"
            }

            testTask "a rejected order is journaled as a rejection and the bot keeps deciding" {
                let target = findTarget (fun _ -> true)
                use! (rig: Rig) = startRigAt target true
                rig.Host.Faults.RejectNextOrders(1, "not ready")
                let market: MarketWindow = rig.Market target
                let next: MarketWindow = rig.Market(target.AddSeconds 300.0)

                let! rejected =
                    rig.WaitFor 10_000 (function
                        | TradingEvent.Rejected(_, reason, _) -> reason.Contains "not ready"
                        | _ -> false)

                Expect.isTrue rejected $"the rejection is journaled: {rig.Logger.Lines}"

                let! decidedNext =
                    waitUntil 15_000 (fun () ->
                        rig.Journal.ReadDecisions() |> Seq.exists (fun d -> d.MarketId = next.Slug))

                Expect.isTrue decidedNext "the bot decides on the next window after the rejection"
                let! (summary: SessionSummary) = rig.StopAsync()

                let rejectedId =
                    rig.Events
                    |> List.pick (function
                        | TradingEvent.Rejected(id, _, _) -> Some id
                        | _ -> None)

                let intent = placed rig.Events |> List.find (fun i -> i.ClientOrderId = rejectedId)
                Expect.equal intent.MarketId market.Slug "the rejected order is the bet on the target window"

                Expect.isEmpty
                    (fills rig.Events |> List.filter (fun (id, _, _, _) -> id = rejectedId))
                    "the rejected order never filled"

                Expect.isFalse
                    (rig.Journal.State.Positions |> Map.exists (fun (m, _) _ -> m = market.Slug))
                    "no position from the rejected order"

                Expect.isGreaterThanOrEqual summary.Decisions 2 "the session went on deciding"
            }

            testTask "a 429 storm and an outage after the fill: the bot rides through, recovers and settles" {
                let target = findTarget (fun _ -> true)
                use! (rig: Rig) = startRigAt target false
                let market: MarketWindow = rig.Market target

                let! filled =
                    rig.WaitFor 10_000 (function
                        | TradingEvent.Filled _ -> true
                        | _ -> false)

                Expect.isTrue filled $"the bet fills: {rig.Logger.Lines}"
                rig.Host.Faults.RateLimit(6, TimeSpan.FromSeconds 1.0)

                let! stormOver =
                    waitUntil 10_000 (fun () ->
                        let struct (_, limited, _) = rig.Host.Faults.Pending()
                        limited = 0)

                Expect.isTrue stormOver "the bot's requests used up the 429 storm"
                rig.Host.Faults.GoDown(TimeSpan.FromSeconds 2.0, OutageMode.ServiceUnavailable)
                let! settled = rig.WaitFor 25_000 (isSettled market.Slug)
                Expect.isTrue settled $"the bet settles after the outage: {rig.Logger.Lines}"
                Expect.isFalse rig.Run.IsCompleted "the bot is still running"
                let! (summary: SessionSummary) = rig.StopAsync()
                expectSettledBet rig target |> ignore
                Expect.equal summary.Settled 1 "one settlement"
            }

            testTask "a 429 storm at the decision: the bot's retries ride through and it still bets and settles" {
                let target = findTarget (fun _ -> true)
                // The retries' backoff (0.25 + 0.5 + 1 s of wall time) outlasts a 60 s entry window at 40×, so
                // this run allows 150 simulated seconds (3.75 s of wall time) to enter.
                use! (rig: Rig) = startRigWith (TimeSpan.FromSeconds 150.0) target false
                rig.Host.Faults.RateLimit(3, TimeSpan.Zero)
                let market: MarketWindow = rig.Market target
                let! settled = rig.WaitFor 20_000 (isSettled market.Slug)
                Expect.isTrue settled $"the bet on {market.Slug} settles: {rig.Logger.Lines}"
                let struct (_, limited, _) = rig.Host.Faults.Pending()
                Expect.equal limited 0 "the bot's requests met the whole storm"
                let! (summary: SessionSummary) = rig.StopAsync()
                expectSettledBet rig target |> ignore
                Expect.equal summary.Settled 1 "one settlement"
                Expect.isEmpty rig.Logger.Errors "the retries absorbed the storm"
            }

            testTask
                "the exchange refusing connections at the decision: the bot decides again once it is back, and bets" {
                let target = findTarget (fun _ -> true)
                // A round of retries lasts 0.71–1.43 s of wall time (jittered), so a 2.2 s outage (88 simulated
                // seconds) fails at least one decision and may open the circuit; a 240 s entry window (6 s of wall
                // time) leaves room to decide again after the outage and the circuit's break.
                use! (rig: Rig) = startRigWith (TimeSpan.FromSeconds 240.0) target false
                rig.Host.Faults.GoDown(TimeSpan.FromSeconds 2.2, OutageMode.Refuse)
                let market: MarketWindow = rig.Market target
                let! settled = rig.WaitFor 20_000 (isSettled market.Slug)
                Expect.isTrue settled $"the bet on {market.Slug} settles: {rig.Logger.Lines}"
                Expect.isNonEmpty rig.Logger.Errors "the outage outlasted the retries and failed a decision"
                let! (summary: SessionSummary) = rig.StopAsync()
                expectSettledBet rig target |> ignore
                Expect.equal summary.Settled 1 "one settlement"
            }
        ]
