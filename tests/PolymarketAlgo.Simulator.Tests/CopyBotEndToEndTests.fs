/// The real CopyBot, wired as `trade copy` wires it, copying simulated leader wallets whose trades the simulator
/// generates against the replayed real books, on the simulator's clock (running fast), with a temporary journal.
module PolymarketAlgo.Simulator.Tests.CopyBotEndToEndTests

open System
open System.Collections.Generic
open System.Net.Http
open System.Security.Cryptography
open System.Text
open System.Threading
open System.Threading.Tasks
open Expecto
open PolymarketAlgo.Core
open PolymarketAlgo.Executor.Books
open PolymarketAlgo.Executor.Bots
open PolymarketAlgo.Executor.Journal
open PolymarketAlgo.Executor.Rest
open PolymarketAlgo.Executor.Trading
open PolymarketAlgo.Simulator
open PolymarketAlgo.Simulator.Data
open PolymarketAlgo.Simulator.Faults
open PolymarketAlgo.Simulator.Markets
open PolymarketAlgo.Simulator.Tests.EndToEndRig
open PolymarketAlgo.Simulator.Tests.TestHelpers

// The runs copy the windows that replay the first recorded book window, with leaders entering at moments when
// that window's favourite passes the default selective filter (fill 0.55..0.80, spread ≤ 0.025, $5 at the best
// level) for several seconds after: 25 s (0.59), 60 s (0.58), 108 s (0.60), 210 s (0.76) and 286 s (0.60) in.
// LeaderWallet.Default enters at 60 s, where two of the three recorded book windows fail the filter.

/// A leader buying 20 pUSD of the favourite `offset` seconds into every window.
let private leader (address: string) (offset: int) =
    LeaderWallet(address, $"leader-{offset}", offset, 20m)

let private leaderAt25 = leader "0xa11ce00000000000000000000000000000000025" 25
let private leaderAt60 = leader "0xa11ce00000000000000000000000000000000060" 60
let private leaderAt108 = leader "0xa11ce00000000000000000000000000000000108" 108

let private leaderAt210 = leader "0xa11ce00000000000000000000000000000000210" 210
let private leaderAt286 = leader "0xa11ce00000000000000000000000000000000286" 286

/// The most a copy spends (`--max-amount`, TradingOptions' bet amount).
let private maxAmount = TradingOptions().BetAmount

/// The copy bot's options as `trade copy --wallet … --ratio … --poll-seconds 0.5` builds them.
let private copyOptions (leaders: LeaderWallet list) (ratio: decimal) =
    let trading = TradingOptions()

    CopyBotOptions(
        Wallets = (leaders |> List.map _.Address |> Array.ofList),
        Ratio = ratio,
        MaxAmount = trading.BetAmount,
        MinAmount = trading.MinBet,
        Poll = TimeSpan.FromSeconds 0.5,
        PriceTolerance = trading.PriceTolerance,
        MaxPrice = trading.MaxPrice,
        FeeRate = trading.FeeRate
    )

/// A CopyBot on the rig's trader, Data API client, CLOB books and windows, as TradeCommands.copy wires it.
let private copyBot (rig: Rig) (leaders: LeaderWallet list) (ratio: decimal) =
    CopyBot(
        rig.Trader,
        rig.Data,
        ClobBookSnapshotSource(rig.Clob),
        rig.Windows,
        copyOptions leaders ratio,
        rig.Host.Clock,
        rig.Logger,
        paperBooks = rig.Windows.Books
    )

/// The instant `seconds` into `window`.
let private secondsInto (window: MarketWindow) (seconds: float) =
    DateTimeOffset.FromUnixTimeSeconds(window.StartUnixSeconds).AddSeconds seconds

/// A paper rig setup `secondsIn` seconds into `window`, with `leaders` trading.
let private setupAt (window: MarketWindow) (secondsIn: float) (leaders: LeaderWallet list) =
    { RigSetup.At(secondsInto window secondsIn) with
        Leaders = leaders
    }

/// Starts a rig and a running copy bot that follows the setup's leaders.
let private startCopying (setup: RigSetup) (ratio: decimal) =
    task {
        let! rig = startRig setup
        let bot = copyBot rig setup.Leaders ratio
        rig.Start bot.RunAsync
        return rig
    }

/// The first window replaying the first recorded book window for which `extra` holds.
let private findWindow (extra: MarketWindow -> bool) =
    let first = firstWindow().StartUnixSeconds

    Seq.initInfinite (fun k -> catalog.Value.Get(first + 300L * int64 k))
    |> Seq.take 2000
    |> Seq.find (fun w -> w.Books.StartUnixSeconds = first && extra w)

/// The recorded snapshot the replay shows just before `offsetMs` into the window (a leader trades before a
/// snapshot of the same instant is applied).
let private shownBefore (window: MarketWindow) (offsetMs: int64) =
    window.Books.Snapshots
    |> Seq.filter (fun s -> s.OffsetMs < offsetMs)
    |> Seq.last

/// The token the simulated leader buys `offset` seconds in: the favourite, the side whose mid is at least 0.5.
let private favouriteAt (window: MarketWindow) (offset: int) =
    let snapshot = shownBefore window (int64 offset * 1000L)
    let bid, ask = bestOf snapshot
    let recordedMid = (bid + ask) / 2m

    let upMid =
        if window.RecordedAssetIsUp then
            recordedMid
        else
            1m - recordedMid

    if upMid >= 0.5m then
        window.UpTokenId
    else
        window.DownTokenId

/// The snapshots the replay shows from `fromMs` (the one then in force) to `toMs` into the window.
let private snapshotsBetween (window: MarketWindow) (fromMs: int64) (toMs: int64) =
    let first = shownBefore window (fromMs + 1L)

    window.Books.Snapshots
    |> Seq.filter (fun s -> obj.ReferenceEquals(s, first) || (s.OffsetMs > fromMs && s.OffsetMs <= toMs))
    |> List.ofSeq

/// The first window replaying the first recorded book window in which the leader entering at 210 s buys the winner.
let private winningAt210 () =
    findWindow (fun w -> favouriteAt w leaderAt210.EntryOffsetSeconds = w.WinningTokenId)

/// A live rig 205 s into `window` (optionally with the user channel) copying the leader at 210 s with ratio 1.
let private startLiveCopyAt210 (window: MarketWindow) (userChannel: bool) =
    startCopying
        { setupAt window 205.0 [ leaderAt210 ] with
            Live = true
            UserChannel = userChannel
        }
        1m

/// The leader's trades as the simulator's Data API reports them, oldest first.
let private leaderTrades (rig: Rig) (leader: LeaderWallet) : Task<WalletActivity list> =
    task {
        let! page =
            rig.Data.GetActivityAsync(DataApiQuery(leader.Address, Types = [| "TRADE" |]))

        return page.Items |> Seq.sortBy _.TimestampUnix |> List.ofSeq
    }

/// The leader's one trade in `window`, checked against the recorded book: the favourite bought at its best ask
/// for (nearly) the leader's notional.
let private leaderTradeIn (rig: Rig) (leader: LeaderWallet) (window: MarketWindow) : Task<WalletActivity> =
    task {
        let! trades = leaderTrades rig leader
        let inWindow = trades |> List.filter (fun t -> t.Slug = window.Slug)
        Expect.hasLength inWindow 1 $"{leader.Name} bought once in {window.Slug} (one level held the notional)"
        let row = inWindow.Head
        let token = favouriteAt window leader.EntryOffsetSeconds

        let asks =
            asksOf window token (shownBefore window (int64 leader.EntryOffsetSeconds * 1000L))

        Expect.equal row.TokenId token "the leader bought the favourite"
        Expect.equal row.Side "BUY" "a buy"
        Expect.equal row.Price (asks |> Array.map fst |> Array.min) "at the recorded best ask"
        Expect.equal row.TimestampUnix (window.StartUnixSeconds + int64 leader.EntryOffsetSeconds) "at its entry time"
        Expect.isTrue (row.UsdcSize > leader.Notional - 0.01m && row.UsdcSize <= leader.Notional) "for its notional"
        return row
    }

/// The client order id a copy of `row` must carry: "copy-" and 24 hex digits of SHA-256 over the leader's
/// transaction hash, asset and side (so a trade seen again maps to the same order).
let private copyIdOf (row: WalletActivity) =
    let key =
        String.Join('|', row.TransactionHash.ToLowerInvariant(), row.TokenId, row.Side.ToUpperInvariant())

    "copy-"
    + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes key)).Substring(0, 24)

/// What a copy of `row` spends: the leader's pUSD × ratio, capped by the maximum, rounded down to cents.
let private copyAmount (row: WalletActivity) (ratio: decimal) =
    Math.Round(min (row.UsdcSize * ratio) maxAmount, 2, MidpointRounding.ToZero)

/// A handler under the Data API client that runs `OnTrade` once, when an activity response first reports a trade
/// (so a test can inject a fault between the poll that sees a trade and the copy).
type private TradeTap() =
    inherit DelegatingHandler(new HttpClientHandler())
    let mutable fired = 0

    /// Runs once, before the client reads the first activity response holding a trade.
    member val OnTrade: unit -> unit = ignore with get, set

    /// Whether OnTrade ran.
    member _.Fired = fired = 1

    member private _.Forward(request, cancellationToken) =
        base.SendAsync(request, cancellationToken)

    override this.SendAsync(request, cancellationToken) =
        task {
            let! response = this.Forward(request, cancellationToken)

            if
                response.IsSuccessStatusCode
                && request.RequestUri.AbsolutePath.EndsWith "/activity"
            then
                do! response.Content.LoadIntoBufferAsync()
                let! body = response.Content.ReadAsStringAsync()

                if body.Contains "\"TRADE\"" && Interlocked.Exchange(&fired, 1) = 0 then
                    this.OnTrade()

            return response
        }

/// When the order was journaled as placed and when its last fill was (simulated time).
let private placedAndFilled clientOrderId (events: TradingEvent list) =
    let placedAt =
        events
        |> List.pick (function
            | TradingEvent.OrderPlaced(intent, at) when intent.ClientOrderId = clientOrderId -> Some at
            | _ -> None)

    let filledAt =
        events
        |> List.choose (function
            | TradingEvent.Filled(id, _, _, _, _, at) when id = clientOrderId -> Some at
            | _ -> None)
        |> List.max

    placedAt, filledAt

/// Checks the copy of the leader's `row`: one copytrade decision naming it, one FOK buy of the copy size on the
/// leader's token, fills within the replayed book's ask levels between the leader's trade and the order and at or
/// below the limit, and the copy delay, leader and book at the decision in the journal.
let private expectCopy (rig: Rig) (window: MarketWindow) (row: WalletActivity) (ratio: decimal) =
    let events = rig.Events
    let id = copyIdOf row

    let decisions =
        rig.Journal.ReadDecisions()
        |> Seq.filter (fun d -> d.ClientOrderId = id && d.Kind = "place")
        |> List.ofSeq

    Expect.hasLength decisions 1 $"one decision to copy names the copy of {row.TransactionHash}"
    let decision = decisions.Head
    Expect.equal decision.Strategy "copytrade" "a copytrade decision"
    Expect.equal decision.Kind "place" $"the bot copied: {decision.Reason}"
    Expect.equal decision.MarketId window.Slug "on the leader's market"
    let intents = placed events |> List.filter (fun i -> i.ClientOrderId = id)
    Expect.hasLength intents 1 "one order for the leader's trade"
    let intent = intents.Head
    Expect.isTrue intent.TimeInForce.IsFok "a FOK order"
    Expect.isTrue intent.Side.IsBuy "a buy"
    Expect.equal intent.Amount (copyAmount row ratio) "the leader's pUSD × ratio, capped by the maximum"
    Expect.equal (intent.Outcome.IsUp) (row.TokenId = window.UpTokenId) "the leader's outcome"
    let trade = rig.Journal.FindTrade id
    Expect.equal trade.TokenId row.TokenId "the leader's token"
    let orderFills = fills events |> List.filter (fun (fillId, _, _, _) -> fillId = id)

    Expect.isNonEmpty orderFills "the copy filled"
    let placedAt, filledAt = placedAndFilled id events

    let offsetOf (t: DateTimeOffset) =
        t.ToUnixTimeMilliseconds() - window.StartUnixSeconds * 1000L

    let leaderMs = row.TimestampUnix * 1000L - window.StartUnixSeconds * 1000L
    let shownByOrder = snapshotsBetween window leaderMs (offsetOf placedAt)

    let asks =
        snapshotsBetween window leaderMs (offsetOf filledAt)
        |> List.collect (fun s -> asksOf window row.TokenId s |> Array.map fst |> List.ofArray)
        |> Set.ofList

    let low, high = Set.minElement asks, Set.maxElement asks
    let impact = trade.Execution.DelayImpactPct

    if trade.Mode = TradingMode.Paper then
        Expect.isTrue
            (impact.HasValue && impact.Value > 0m && impact.Value <= 10m)
            $"the paper fill carries the copy-delay impact: {impact}"

    for _, shares, price, fee in orderFills do
        let walked =
            if impact.HasValue then
                price / (1m + impact.Value / 100m)
            else
                price

        Expect.isGreaterThan shares 0m "a fill has shares"

        Expect.isTrue
            (walked >= low - 1e-9m && walked <= high + 1e-9m)
            $"fill price {price} (before the delay impact {walked}) lies within the ask levels {low}..{high} replayed since the leader's trade"

        Expect.isLessThanOrEqual price intent.Price "no fill above the limit price"
        Expect.isGreaterThanOrEqual fee 0m "fees are not negative"

    let spent = orderFills |> List.sumBy (fun (_, s, p, _) -> s * p)
    Expect.isLessThanOrEqual spent (intent.Amount + 0.01m) "it spends at most the copy size"
    let context = trade.Context
    Expect.equal context.CopiedFrom row.ProxyWallet "the copied wallet"
    Expect.equal context.TraderAmount (Nullable row.UsdcSize) "the leader's pUSD"
    Expect.equal context.TraderPrice (Nullable row.Price) "the leader's price"
    Expect.equal context.TraderTimestampMs (Nullable(row.TimestampUnix * 1000L)) "the leader's trade time"
    let delay = context.CopyDelayMs.Value
    Expect.isGreaterThan delay 0L "the copy is later than the leader's trade"

    Expect.isLessThanOrEqual
        delay
        (placedAt.ToUnixTimeMilliseconds() - row.TimestampUnix * 1000L)
        "the copy delay ends by the order"

    Expect.isLessThanOrEqual delay SelectiveFilter.defaults.MaxDelayMs "within the filter's delay"

    let spreads =
        shownByOrder
        |> List.map (fun s ->
            let bid, ask = bestOf s
            ask - bid)
        |> Set.ofList

    let bestAsks =
        shownByOrder
        |> List.map (fun s -> asksOf window row.TokenId s |> Array.map fst |> Array.min)
        |> Set.ofList

    Expect.isTrue
        (bestAsks.Contains context.BestAsk.Value)
        $"the best ask at the decision {context.BestAsk} was replayed"

    Expect.isTrue
        (spreads.Contains(context.BestAsk.Value - context.BestBid.Value))
        $"the spread at the decision {context.BestAsk.Value - context.BestBid.Value} was replayed"

    intent, orderFills

/// Checks the settlement of the copy of `intent`: with the simulator's outcome, won or lost as resolved.
let private expectSettled (rig: Rig) (window: MarketWindow) (intent: OrderIntent) =
    let winner = winnerOf window.Slug rig.Events
    Expect.equal winner.IsUp window.UpWins "settled with the simulator's outcome"
    let trade = rig.Journal.FindTrade intent.ClientOrderId

    Expect.equal trade.Won (Nullable(intent.Outcome.IsUp = window.UpWins)) "the copy is won or lost as resolved"

/// The bot's decision log lines that name `tx`.
let private loggedTx (rig: Rig) (tx: string) =
    rig.Logger.Lines
    |> List.filter (fun (_, line) -> line.StartsWith("copy decision", StringComparison.Ordinal) && line.Contains tx)

/// Whether a copy on `slug` filled.
let private copiedIn (rig: Rig) (slug: string) =
    let events = rig.Events

    let ids =
        placed events
        |> List.filter (fun i -> i.MarketId = slug)
        |> List.map _.ClientOrderId
        |> Set.ofList

    fills events |> List.exists (fun (id, _, _, _) -> ids.Contains id)

/// The bot's log, one line per line, for failure messages.
let private logOf (rig: Rig) =
    String.Join("\n", rig.Logger.Lines |> List.map snd)

[<Tests>]
let tests =
    testSequenced
    <| testList
        "CopyBot end to end"
        [
            testTask
                "in paper mode the bot copies the leader's buy with a FOK of ratio × its pUSD, fills on the book and settles" {
                let window = findWindow (fun _ -> true)
                use! (rig: Rig) = startCopying (setupAt window 281.0 [ leaderAt286 ]) 0.2m
                let! settled = rig.WaitFor 15_000 (isSettled window.Slug)
                Expect.isTrue settled $"the copy on {window.Slug} settles: {logOf rig}"
                let! (summary: SessionSummary) = rig.StopAsync()
                let! (row: WalletActivity) = leaderTradeIn rig leaderAt286 window
                let intent, orderFills = expectCopy rig window row 0.2m
                Expect.isLessThan intent.Amount maxAmount "0.2 × 20 pUSD is under the cap"
                expectSettled rig window intent
                let trade = rig.Journal.FindTrade intent.ClientOrderId
                let impact = trade.Execution.DelayImpactPct.Value
                let walked = trade.ExecutionPrice.Value / (1m + impact / 100m)
                let bestAsk = trade.Execution.BestAsk.Value

                Expect.floatClose
                    Accuracy.high
                    (float trade.Execution.SlippagePct.Value)
                    (float (max 0m ((walked - bestAsk) / bestAsk * 100m)))
                    "the slippage is the walked average's distance from the best ask"

                Expect.equal
                    trade.Execution.Spread
                    (Nullable(trade.Context.BestAsk.Value - trade.Context.BestBid.Value))
                    "the paper fill walked the book the bot decided on"

                Expect.hasLength (loggedTx rig row.TransactionHash) 1 "the decision log names the leader's tx"
                let _, cost, payout = outcomeOf window intent orderFills
                Expect.equal summary.Mode TradingMode.Paper "paper mode"
                Expect.equal summary.Decisions 1 "one decision"
                Expect.equal summary.OrdersPlaced 1 "one order"
                Expect.equal summary.OrdersFilled 1 "one fill"
                Expect.equal summary.Settled 1 "one settlement"
                Expect.equal summary.SessionPnl (payout - cost) "P&L = payout − cost"
                Expect.isEmpty rig.Logger.Errors "no loop errors"
            }

            testTask "in live mode the signed copy is accepted by the simulator, whose balance agrees with the journal" {
                let window = winningAt210 ()
                use! (rig: Rig) = startLiveCopyAt210 window false

                let! settled = rig.WaitFor 15_000 (isSettled window.Slug)
                Expect.isTrue settled $"the copy on {window.Slug} settles: {logOf rig}"
                let! (summary: SessionSummary) = rig.StopAsync()
                let! (row: WalletActivity) = leaderTradeIn rig leaderAt210 window
                let intent, orderFills = expectCopy rig window row 1m
                Expect.equal intent.Amount maxAmount "20 pUSD × 1 is capped at the maximum"
                expectSettled rig window intent

                expectAccepted rig intent
                let shares, cost, payout = outcomeOf window intent orderFills
                Expect.isGreaterThan payout 0m "the window was picked so the copy wins"

                do!
                    expectBalance
                        rig
                        cost
                        payout
                        "the simulator's balance agrees with the journal's fills and settlement"

                Expect.equal summary.Mode TradingMode.Live "live mode"
                Expect.equal summary.Settled 1 "one settlement"

                Expect.floatClose
                    Accuracy.medium
                    (float summary.SessionPnl)
                    (float (payout - cost))
                    "P&L = payout − cost"

                Expect.isGreaterThan shares 0m "shares bought"
            }

            testTask
                "in live mode with the user channel, a copy whose reply is held fills once though the WebSocket drops meanwhile" {
                let window = winningAt210 ()
                use! (rig: Rig) = startLiveCopyAt210 window true

                // The exchange holds its reply to the copy and the WebSocket drops once the copy is journaled, so the
                // fill reaches the bot through the user channel, the held reply or both, and must be booked once.
                rig.Host.Faults.HoldNextOrderReplies(1, TimeSpan.FromSeconds 1.0)

                let! posted =
                    rig.WaitFor 10_000 (function
                        | TradingEvent.OrderPlaced _ -> true
                        | _ -> false)

                Expect.isTrue posted $"the copy is journaled before the post: {logOf rig}"
                do! expectUserChannelSurvivesDrop rig
                let! settled = rig.WaitFor 15_000 (isSettled window.Slug)
                Expect.isTrue settled $"the copy on {window.Slug} settles: {logOf rig}"
                let! (summary: SessionSummary) = rig.StopAsync()
                let! (row: WalletActivity) = leaderTradeIn rig leaderAt210 window
                let intent, orderFills = expectCopy rig window row 1m
                expectAccepted rig intent
                let _, cost, payout = outcomeOf window intent orderFills

                do!
                    expectBalance
                        rig
                        cost
                        payout
                        "the simulator's balance agrees: the held reply and the channel booked the fill once"

                Expect.equal summary.OrdersPlaced 1 "one order"
                Expect.equal summary.Settled 1 "one settlement"
            }

            testTask
                "a rejected copy is journaled as a rejection, leaves no position, and the bot copies the next trade" {
                let window = findWindow (fun _ -> true)
                let leaders = [ leaderAt25; leaderAt60 ]

                use! (rig: Rig) =
                    startRig
                        { setupAt window 20.0 leaders with
                            Live = true
                        }

                rig.Host.Faults.RejectNextOrders(1, "not ready")
                let bot = copyBot rig leaders 0.2m
                rig.Start bot.RunAsync
                let! copiedNext = waitUntil 10_000 (fun () -> copiedIn rig window.Slug)
                Expect.isTrue copiedNext $"the next leader trade is copied: {logOf rig}"
                let positions = rig.Journal.State.Positions
                let! (summary: SessionSummary) = rig.StopAsync()
                let! (first: WalletActivity) = leaderTradeIn rig leaderAt25 window
                let! (next: WalletActivity) = leaderTradeIn rig leaderAt60 window
                let firstId = copyIdOf first

                let rejected =
                    rig.Events
                    |> List.choose (function
                        | TradingEvent.Rejected(id, reason, _) -> Some(id, reason)
                        | _ -> None)

                Expect.hasLength rejected 1 "one rejection"
                let rejectedId, reason = rejected.Head
                Expect.equal rejectedId firstId "the rejected order is the copy of the first leader trade"
                Expect.stringContains reason "not ready" "the simulator's refusal is journaled"

                Expect.isEmpty
                    (fills rig.Events |> List.filter (fun (id, _, _, _) -> id = firstId))
                    "the rejected order never filled"

                Expect.equal (rig.Journal.FindTrade firstId).Status "rejected" "the trade record says rejected"

                let decision =
                    rig.Journal.ReadDecisions() |> Seq.find (fun d -> d.ClientOrderId = firstId)

                Expect.stringContains decision.Reason "not ready" "the decision records the venue's refusal"
                let intent, nextFills = expectCopy rig window next 0.2m

                let held =
                    positions
                    |> Map.toList
                    |> List.filter (fun ((market, _), _) -> market = window.Slug)
                    |> List.sumBy (fun (_, position) -> position.Shares)

                Expect.equal
                    held
                    (nextFills |> List.sumBy (fun (_, s, _, _) -> s))
                    $"only the second copy holds shares: {positions}"

                Expect.equal summary.Decisions 2 "two decisions"
            }

            testTask
                "a 503 outage and a 429 storm on the polling: the bot rides through, copies nothing twice and copies after recovery" {
                let window = findWindow (fun _ -> true)
                let leaders = [ leaderAt25; leaderAt108; leaderAt210 ]
                use! (rig: Rig) = startCopying (setupAt window 20.0 leaders) 0.2m
                let! firstCopied = waitUntil 10_000 (fun () -> copiedIn rig window.Slug)
                Expect.isTrue firstCopied $"the first leader trade is copied: {logOf rig}"
                rig.Host.Faults.GoDown(TimeSpan.FromSeconds 0.5, OutageMode.ServiceUnavailable)
                rig.Host.Faults.RateLimit(2, TimeSpan.FromSeconds 1.0)
                let! copiedAfter = waitUntil 15_000 (fun () -> (placed rig.Events).Length > 1)
                Expect.isTrue copiedAfter $"a leader trade after the faults is copied: {logOf rig}"
                let struct (_, limited, down) = rig.Host.Faults.Pending()
                Expect.equal limited 0 "the bot's requests met the whole 429 storm"
                Expect.equal down 0.0 "the outage is over"
                Expect.isFalse rig.Run.IsCompleted "the bot is still running"
                let! (summary: SessionSummary) = rig.StopAsync()

                let retries (status: string) =
                    rig.HttpLog.Lines
                    |> List.filter (fun (_, line) -> line.Contains "retrying" && line.Contains $"HTTP {status}")
                    |> List.length

                Expect.equal (retries "503") 1 "one request met the outage and waited out its Retry-After"
                Expect.equal (retries "429") 2 "two requests met the storm and waited out its Retry-After"
                let! (first: WalletActivity) = leaderTradeIn rig leaderAt25 window
                let! (during: WalletActivity) = leaderTradeIn rig leaderAt108 window
                let! (after: WalletActivity) = leaderTradeIn rig leaderAt210 window
                expectCopy rig window first 0.2m |> ignore
                expectCopy rig window after 0.2m |> ignore

                Expect.equal
                    (placed rig.Events |> List.map _.ClientOrderId)
                    [ copyIdOf first; copyIdOf after ]
                    "one order per copied leader trade, none twice"

                let skips =
                    rig.Journal.ReadDecisions()
                    |> Seq.filter (fun d -> d.Kind = "skip")
                    |> List.ofSeq

                Expect.hasLength skips 1 "one skip"
                Expect.stringStarts skips.Head.Reason "delay " "the trade made during the faults is seen late"
                let duringLog = loggedTx rig during.TransactionHash
                Expect.hasLength duringLog 1 "the trade made during the faults is decided on once"
                Expect.stringContains (snd duringLog.Head) " skip: delay " "and skipped for its delay"
                Expect.equal summary.Decisions 3 "three leader trades, three decisions"
                Expect.equal summary.OrdersPlaced 2 "two orders"
            }

            testTask "a leader trade seen by two overlapping polls produces exactly one order" {
                let window = findWindow (fun _ -> true)
                let leaders = [ leaderAt60 ]

                use! (rig: Rig) = startRig (setupAt window 57.0 leaders)

                let bot = copyBot rig leaders 0.2m
                let overlapping = copyBot rig leaders 0.2m
                rig.Wall.Release()
                let! (before: IReadOnlyList<CopyDecision>) = bot.PollOnceAsync CancellationToken.None
                Expect.isEmpty before $"nothing to copy before the leader trades: {logOf rig}"

                Expect.isLessThan
                    (rig.Host.Clock.GetUtcNow())
                    (secondsInto window 60.0)
                    "the first poll ended before the leader's trade"

                let! traded =
                    waitUntil 5_000 (fun () -> rig.Host.Clock.GetUtcNow() >= secondsInto window 61.5)

                Expect.isTrue traded "the simulated clock passed the leader's trade"

                let pollOne = bot.PollOnceAsync CancellationToken.None
                let pollOther = overlapping.PollOnceAsync CancellationToken.None
                let! (one: IReadOnlyList<CopyDecision>) = pollOne
                let! (other: IReadOnlyList<CopyDecision>) = pollOther
                let! (again: IReadOnlyList<CopyDecision>) = bot.PollOnceAsync CancellationToken.None
                Expect.isEmpty again "a later poll does not decide on the trade again"
                let! (row: WalletActivity) = leaderTradeIn rig leaderAt60 window
                let id = copyIdOf row
                let decided = Seq.append one other |> List.ofSeq
                Expect.hasLength decided 2 "both polls saw the leader's trade"

                for d in decided do
                    Expect.equal d.Signal.Activity.TransactionHash row.TransactionHash "the leader's trade"
                    Expect.equal d.Result.ClientOrderId id "one client order id for the trade"

                Expect.hasLength
                    (decided |> List.filter (fun d -> not d.Result.AlreadyPlaced))
                    1
                    "one poll placed the order, the other found it placed"

                expectCopy rig window row 0.2m |> ignore
                Expect.hasLength (placed rig.Events) 1 "exactly one order"

                let journaled =
                    rig.Journal.ReadDecisions()
                    |> Seq.filter (fun d -> d.ClientOrderId = id)
                    |> List.ofSeq

                Expect.equal
                    (journaled |> List.map _.Kind |> List.sort)
                    [ "place"; "skip" ]
                    "one decision placed, the other is journaled as a skip"

                Expect.exists
                    journaled
                    (fun d -> d.Reason.StartsWith "already placed")
                    "the skip says the order was placed"
            }

            testTask
                "a 429 the client cannot wait out on the book right after the poll saw a trade: the next poll copies it, once" {
                let window = findWindow (fun _ -> true)
                let leaders = [ leaderAt108 ]
                let tap = new TradeTap()

                use! (rig: Rig) =
                    startRig
                        { setupAt window 103.0 leaders with
                            DataHandler = Some tap
                        }

                // The 60 s Retry-After exceeds the client's 30 s limit, so the book fetch fails at once.
                tap.OnTrade <- fun () -> rig.Host.Faults.RateLimit(1, TimeSpan.FromSeconds 60.0)
                let bot = copyBot rig leaders 0.2m
                rig.Start bot.RunAsync
                let! copied = waitUntil 3_000 (fun () -> copiedIn rig window.Slug)
                Expect.isTrue copied $"the trade is copied: {logOf rig}"
                let! (summary: SessionSummary) = rig.StopAsync()
                Expect.isTrue tap.Fired "the poll that first saw the trade armed the fault"
                let struct (_, limited, _) = rig.Host.Faults.Pending()
                Expect.equal limited 0 "the 429 was served"

                Expect.hasLength
                    (rig.Logger.Errors
                     |> List.filter (fun e -> e.Contains "GET /book" && e.Contains "HTTP 429"))
                    1
                    "the book fetch of the copy met it, and the failed copy is logged once"

                let! (row: WalletActivity) = leaderTradeIn rig leaderAt108 window
                expectCopy rig window row 0.2m |> ignore
                Expect.hasLength (placed rig.Events) 1 "exactly one order"
                Expect.hasLength (loggedTx rig row.TransactionHash) 1 "one decision on the trade"
                Expect.equal summary.Decisions 1 "the failed attempt is not counted as a decision"
            }
        ]
