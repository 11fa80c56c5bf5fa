module PolymarketAlgo.Executor.Tests.StreakBotTests

open System
open System.Collections.Concurrent
open System.Threading
open System.Threading.Tasks
open Expecto
open Microsoft.Extensions.Logging.Abstractions
open Microsoft.Extensions.Time.Testing
open PolymarketAlgo.Core
open PolymarketAlgo.Executor.Books
open PolymarketAlgo.Executor.Bots
open PolymarketAlgo.Executor.Journal
open PolymarketAlgo.Executor.Trading
open PolymarketAlgo.Executor.Tests.JournalTests

/// The target window: 2026-04-16 07:15 UTC (on the 5-minute grid).
let private target = t0
let private window = TimeSpan.FromMinutes 5.0

let private slug (start: DateTimeOffset) =
    $"btc-updown-5m-{start.ToUnixTimeSeconds()}"

/// Windows with scripted resolutions; the window just before the target resolves after `resolveAfter` lookups.
type private FakeWindows
    (winners: Map<DateTimeOffset, StreakReversal.Outcome>, lateWindow: DateTimeOffset, resolveAfter: int) =
    let lookups = ConcurrentDictionary<DateTimeOffset, int>()
    let resolved = ConcurrentDictionary<DateTimeOffset, StreakReversal.Outcome>()

    member val Books = SnapshotBookSource()
    member _.Resolve(start: DateTimeOffset, outcome: StreakReversal.Outcome) = resolved[start] <- outcome

    interface IWindowSource with
        member this.GetWindowAsync(start, _) =
            let n = lookups.AddOrUpdate(start, 1, fun _ k -> k + 1)

            let winner =
                match resolved.TryGetValue start, Map.tryFind start winners with
                | (true, outcome), _ -> outcome
                | _, Some outcome when start <> lateWindow || n > resolveAfter -> outcome
                | _ -> Unchecked.defaultof<StreakReversal.Outcome>

            Task.FromResult(
                BotWindow(
                    slug start,
                    start,
                    $"{start.ToUnixTimeSeconds()}1",
                    $"{start.ToUnixTimeSeconds()}2",
                    true,
                    winner
                )
            )

        member this.GetPricesAsync(w, _) =
            let book token ask =
                BookSnapshot(token, [| PriceLevel(ask - 0.01m, 100m) |], [| PriceLevel(ask, 100m) |], 0L)

            this.Books.Set(book w.UpTokenId 0.51m)
            this.Books.Set(book w.DownTokenId 0.50m)
            Task.FromResult(WindowPrices(0.51m, 0.50m, 0.50m, 0.49m))

let private fourUps =
    [ for k in 1..6 -> target - float k * window, StreakReversal.Up ] |> Map.ofList

/// Runs `DecideAsync` while advancing the fake clock a second at a time.
let private decide (time: FakeTimeProvider) (bot: StreakBot) =
    let task = bot.DecideAsync(target, CancellationToken.None)

    while not task.IsCompleted do
        time.Advance(TimeSpan.FromSeconds 1.0)
        Thread.Sleep 5

    task.Result

let private withBot resolveAfter (f: FakeTimeProvider -> FakeWindows -> TradeJournal -> StreakBot -> unit) =
    let path = tempJournal ()

    try
        let time = FakeTimeProvider(target + TimeSpan.FromSeconds 1.0)
        use journal = TradeJournal.Open(path, 100m, time)
        let windows = FakeWindows(fourUps, target - window, resolveAfter)
        let trader = PaperTrader(journal, windows.Books, timeProvider = time)

        let bot =
            StreakBot(trader, windows, StreakDecision.defaults, StreakBotOptions(), time, NullLogger.Instance)

        f time windows journal bot
    finally
        cleanup path

[<Tests>]
let tests =
    testSequenced
    <| testList
        "StreakBot"
        [
            test "bets down after four ups once the window just closed resolves, and settles the win" {
                withBot 2 (fun time windows journal bot ->
                    let decision = decide time bot

                    match decision with
                    | Decision.Place intent ->
                        Expect.equal intent.ClientOrderId $"streak-{target.ToUnixTimeSeconds()}-down" "the id"
                        Expect.equal intent.Amount 5m "the original's $5 bet at 50 cents (seed §8.1)"
                    | other -> failtestf "expected a bet, got %A" other

                    let position = Account.positions journal.State |> Array.exactlyOne
                    Expect.equal position.Outcome StreakReversal.Down "bought Down"
                    Expect.equal position.Shares 10m "$5 at 0.50"
                    Expect.equal position.Fees 0.18m "10 shares x 0.072 x 0.5 x 0.5"
                    time.Advance(TimeSpan.FromMinutes 5.0)
                    windows.Resolve(target, StreakReversal.Down)
                    let settled = bot.Session.SettleAsync(CancellationToken.None).Result
                    Expect.equal settled 1 "one market settled"
                    Expect.equal journal.State.Bankroll 104.82m "100 + 10 − 5 − 0.18"
                    Expect.equal journal.State.Wins 1 "one win")
            }

            test "skips with stale outcomes when the window just closed does not resolve within the entry window" {
                withBot 1000 (fun time _ journal bot ->
                    let decision = decide time bot

                    match decision with
                    | Decision.Skip reason ->
                        Expect.isTrue reason.IsOutcomesNotCurrent "the original's one-window lag is refused"
                    | other -> failtestf "expected a skip, got %A" other

                    Expect.isTrue
                        (time.GetUtcNow() <= target + TimeSpan.FromSeconds 31.0)
                        "waited at most the entry window"

                    Expect.isEmpty (Account.positions journal.State) "nothing bought")
            }

            test "a second decision on the same window places nothing" {
                withBot 0 (fun time _ journal bot ->
                    decide time bot |> ignore
                    let again = decide time bot

                    match again with
                    | Decision.Skip reason -> Expect.isTrue reason.IsAlreadyTraded "already traded"
                    | other -> failtestf "expected a skip, got %A" other

                    Expect.equal journal.State.Orders.Count 1 "one order")
            }

            test "shutdown journals the unresolved position as a force exit and summarises the session" {
                withBot 0 (fun time _ journal bot ->
                    decide time bot |> ignore
                    use cancelled = new CancellationTokenSource()
                    cancelled.Cancel()
                    let summary = bot.RunAsync(cancelled.Token).Result
                    Expect.equal summary.ForceExited 1 "one position force-exited"
                    Expect.equal summary.OrdersPlaced 1 "one order"
                    Expect.equal summary.OrdersFilled 1 "one fill"
                    Expect.isEmpty (Account.positions journal.State) "no position left"
                    Expect.equal journal.State.Bankroll (100m - 5.18m) "a force exit at 0 loses cost and fees")
            }
        ]
