/// The `trade streak` binary killed with SIGKILL mid-trade against the local simulator, then restarted on the same
/// journal: the exchange's view (its trades and balance) is the truth the journal must end up agreeing with.
module PolymarketAlgo.Cli.Tests.BotCrashCliTests

open System
open System.IO
open System.Net.Http
open System.Text.Json
open Expecto
open PolymarketAlgo.Core
open PolymarketAlgo.Executor.Journal
open PolymarketAlgo.Simulator
open PolymarketAlgo.Simulator.Data
open PolymarketAlgo.Simulator.Markets
open PolymarketAlgo.Tests.TestHelpers
open PolymarketAlgo.Cli.Tests.CliRunner
open PolymarketAlgo.Cli.Tests.SimulatorFixture

/// Simulated seconds per wall second: a 5-minute window lasts 15 s.
let private speed = 20.0

/// The first window after the first recorded book window whose two predecessors resolved the same way, so a
/// trigger of 2 bets on it.
let private targetWindow (catalog: WindowCatalog) (data: RecordedData) : DateTimeOffset =
    let upWins (start: DateTimeOffset) =
        catalog.Get(start.ToUnixTimeSeconds()).UpWins

    let first = DateTimeOffset.FromUnixTimeSeconds data.BookWindows[0].StartUnixSeconds

    Seq.initInfinite (fun k -> first.AddSeconds(float (300 * (k + 2))))
    |> Seq.take 2000
    |> Seq.find (fun t -> upWins (t.AddSeconds -600.0) = upWins (t.AddSeconds -300.0))

/// The simulator's status document.
let private status (http: HttpClient) (baseUrl: string) =
    JsonDocument.Parse(http.GetStringAsync($"{baseUrl}/_sim/status").GetAwaiter().GetResult()).RootElement

/// The simulator's pUSD balance of the test key's account.
let private collateral (http: HttpClient) (baseUrl: string) =
    (status http baseUrl).GetProperty("accounts").EnumerateArray()
    |> Seq.find (fun a ->
        String.Equals(
            a.GetProperty("address").GetString(),
            "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
            StringComparison.OrdinalIgnoreCase
        ))
    |> fun a -> a.GetProperty("collateral").GetDecimal()

let private events (journalPath: string) =
    use journal = TradeJournal.Open(journalPath, 100m)
    journal.ReadEvents() |> Seq.map _.Event |> List.ofSeq

let private placed =
    List.choose (function
        | TradingEvent.OrderPlaced(intent, _) -> Some intent
        | _ -> None)

let private fills clientOrderId =
    List.choose (function
        | TradingEvent.Filled(id, fillId, shares, price, fee, _) when id = clientOrderId ->
            Some(fillId, shares, price, fee)
        | _ -> None)

/// Starts a simulator at `start` (20×, no leaders unless given), derives API credentials with the CLI, runs
/// `bot` (the bot's arguments, before `--live --sim URL --journal PATH --max-bets 1`) until the exchange has
/// matched its first order while holding the reply, kills it with SIGKILL, restarts it on the same journal until
/// the bet settles, stops it with Ctrl-C, and checks what a crash must not break: the order journaled before the
/// post, no second order, the exchange's fills in the journal (at or below the limit), the order closed as
/// filled, the settlement to the simulator's outcome, and the exchange's balance equal to the journal's.
let private killAndRestart (start: DateTimeOffset) (leaders: LeaderWallet[]) (bot: string list) =
    let catalog = WindowCatalog recorded.Value

    withSimulator
        (SimulatorOptions(
            Data = recorded.Value,
            Port = 0,
            Start = Nullable start,
            Speed = Nullable speed,
            ResolutionDelay = TimeSpan.FromSeconds 2.0,
            Leaders = leaders
        ))
        (fun host baseUrl ->
            use http = new HttpClient()
            let home = tempDirectory ()
            let environment = [ "POLYMARKET_PRIVATE_KEY", testKey; "HOME", home ]

            let derive =
                runIn home environment [ "auth"; "derive"; "--create"; "--clob-url"; $"{baseUrl}/clob" ]

            Expect.equal derive.ExitCode 0 derive.Stderr
            let journalPath = Path.Combine(home, "journal.db")

            let args =
                bot
                @ [
                    "--live"
                    "--sim"
                    baseUrl
                    "--journal"
                    journalPath
                    "--max-bets"
                    "1"
                    "--bankroll"
                    "100"
                ]

            // The exchange matches the bet and then holds its reply: the order is on the exchange, the bot has not
            // had the reply. It is killed there.
            host.Faults.HoldNextOrderReplies(1, TimeSpan.FromSeconds 60.0)

            let crashed =
                using (startIn home environment args) (fun first ->
                    let matched =
                        waitFor 40_000 (fun () -> (status http baseUrl).GetProperty("trades").GetInt32() > 0)

                    Expect.isTrue matched $"the exchange matched the bet: {first.Lines}"
                    first.KillHard()
                    events journalPath)

            let intent =
                match placed crashed with
                | [ intent ] -> intent
                | other -> failtest $"one order journaled before the kill, got {other.Length}"

            // The user channel may have told the bot of the fill before the kill; the post's reply never came.
            Expect.isFalse
                (crashed
                 |> List.exists (function
                     | TradingEvent.OrderAccepted _ -> true
                     | _ -> false))
                "the killed bot never had the post's reply"

            let market = catalog.Get(intent.WindowStart.ToUnixTimeSeconds())
            Expect.equal intent.MarketId market.Slug "the order names its window's market"

            let lines =
                using (startIn home environment args) (fun second ->
                    let settled = second.WaitForLine 40_000 $"settlement {market.Slug}"
                    Expect.isTrue settled $"the bet settles after the restart: {second.Lines}"
                    Expect.equal (second.Interrupt 30_000) 0 $"Ctrl-C stops the bot cleanly: {second.Lines}"
                    second.Lines)

            Expect.exists lines (fun line -> line.Contains "reconcile:") "the restart reconciled with the exchange"
            Expect.exists lines (fun line -> line.StartsWith "Session (Live)") "the session summary"
            let final = events journalPath
            Expect.equal (placed final) [ intent ] "the restart placed no second order"
            let orderFills = fills intent.ClientOrderId final

            Expect.isNonEmpty
                orderFills
                "the exchange's fill is in the journal (from the user channel or the reconciliation)"

            for _, shares, price, _ in orderFills do
                Expect.isGreaterThan shares 0m "a fill has shares"
                Expect.isLessThanOrEqual price intent.Price "no fill above the limit"

            Expect.exists
                final
                (function
                | TradingEvent.OrderClosed(id, status, _, _) ->
                    id = intent.ClientOrderId && status = OrderStatus.Filled
                | _ -> false)
                "the order is closed as filled"

            let winner =
                final
                |> List.pick (function
                    | TradingEvent.Settled(m, w, _) when m = market.Slug -> Some w
                    | _ -> None)

            Expect.equal winner.IsUp market.UpWins "settled with the simulator's outcome"
            let shares = orderFills |> List.sumBy (fun (_, s, _, _) -> s)
            let cost = orderFills |> List.sumBy (fun (_, s, p, f) -> s * p + f)
            let payout = if intent.Outcome.IsUp = market.UpWins then shares else 0m

            Expect.floatClose
                Accuracy.medium
                (float (collateral http baseUrl))
                (float (1000m - cost + payout))
                "the exchange's balance agrees with the journal: one order, its fills and its settlement")

[<Tests>]
let tests =
    testSequenced
    <| testList
        "Bots killed mid-trade"
        [
            testCase
                "a live streak bot killed between the exchange's match and its reply loses no order, places none twice and settles after a restart"
            <| fun () ->
                let target = targetWindow (WindowCatalog recorded.Value) recorded.Value

                killAndRestart
                    (target.AddSeconds -40.0)
                    [||]
                    [
                        "trade"
                        "streak"
                        "--trigger"
                        "2"
                        "--sizing"
                        "fixed"
                        "--amount"
                        "5"
                        "--entry-seconds"
                        "150"
                    ]

            testCase
                "a live copy bot killed between the exchange's match and its reply loses no order, copies none twice and settles after a restart"
            <| fun () ->
                let first =
                    DateTimeOffset.FromUnixTimeSeconds recorded.Value.BookWindows[0].StartUnixSeconds

                killAndRestart
                    (first.AddSeconds 20.0)
                    [| LeaderWallet.Default |]
                    [
                        "trade"
                        "copy"
                        "--wallet"
                        LeaderWallet.Default.Address
                        "--max-amount"
                        "5"
                        "--poll-seconds"
                        "0.5"
                        "--no-filter"
                    ]
        ]
