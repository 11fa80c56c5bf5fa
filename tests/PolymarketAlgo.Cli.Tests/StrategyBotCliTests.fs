/// `trade streak --strategy NAME` following a plugin strategy (the `.fsx` example) over the simulator's resolved
/// outcomes: the bet it places is the side Core computes from the recorded outcomes with the same plugin.
module PolymarketAlgo.Cli.Tests.StrategyBotCliTests

open System
open System.IO
open Expecto
open PolymarketAlgo.Core
open PolymarketAlgo.Executor.Journal
open PolymarketAlgo.Plugins
open PolymarketAlgo.Simulator
open PolymarketAlgo.Simulator.Data
open PolymarketAlgo.Simulator.Markets
open PolymarketAlgo.Tests.TestHelpers
open PolymarketAlgo.Cli.Tests.CliRunner
open PolymarketAlgo.Cli.Tests.SimulatorFixture

/// The folder of the example plugins (`sma-trend` in TrendFollowing.fsx).
let private pluginFolder = Path.Combine(repoRoot, "scripts", "plugins")

/// Windows of outcome history the bot reads.
let private history = 8

[<Tests>]
let tests =
    testSequenced
    <| testList
        "trade streak following a plugin"
        [
            testCase "bets the side the plugin strategy signals over the recorded outcomes, named after it"
            <| fun () ->
                let data = recorded.Value

                let catalog = WindowCatalog data
                let window = TimeSpan.FromMinutes 5.0

                let plugin =
                    match (PluginRegistry.Load pluginFolder).TryFindStrategy "sma-trend" with
                    | true, strategy -> strategy
                    | _ -> failtest "the example plugin loads"

                let strategy =
                    {
                        Strategy = plugin
                        Parameters = Map [ "period", 3.0 ]
                    }

                let outcomesBefore (target: DateTimeOffset) =
                    [|
                        for k in history .. -1 .. 1 ->
                            let start = target - window * float k

                            {
                                Start = start
                                Outcome =
                                    if catalog.Get(start.ToUnixTimeSeconds()).UpWins then
                                        StreakReversal.Up
                                    else
                                        StreakReversal.Down
                            }
                    |]

                let signalAt target =
                    match StreakDecision.strategySignal window strategy (outcomesBefore target) with
                    | Ok signal -> signal
                    | Error e -> failtest $"the plugin evaluates: {e}"

                let first = DateTimeOffset.FromUnixTimeSeconds data.BookWindows[0].StartUnixSeconds

                let target =
                    Seq.initInfinite (fun k -> first + window * float (history + 1 + k))
                    |> Seq.take 500
                    |> Seq.find (fun t -> signalAt t <> 0)

                let expected =
                    if signalAt target > 0 then
                        StreakReversal.Up
                    else
                        StreakReversal.Down

                withSimulator
                    (SimulatorOptions(
                        Data = data,
                        Port = 0,
                        Start = Nullable(target.AddSeconds -40.0),
                        Speed = Nullable 20.0,
                        ResolutionDelay = TimeSpan.FromSeconds 2.0,
                        Leaders = [||]
                    ))
                    (fun host baseUrl ->
                        let home = tempDirectory ()
                        let journalPath = Path.Combine(home, "journal.db")
                        let market = catalog.Get(target.ToUnixTimeSeconds())

                        let bot =
                            runIn
                                home
                                []
                                [
                                    "--plugins"
                                    pluginFolder
                                    "trade"
                                    "streak"
                                    "--sim"
                                    baseUrl
                                    "--strategy"
                                    "sma-trend"
                                    "--param"
                                    "period=3"
                                    "--history"
                                    string history
                                    "--entry-seconds"
                                    "150"
                                    "--amount"
                                    "5"
                                    "--journal"
                                    journalPath
                                    "--seconds"
                                    "10"
                                ]

                        Expect.equal bot.ExitCode 0 bot.Stderr
                        Expect.stringContains bot.Stdout "Session (Paper)" "the session summary"
                        use journal = TradeJournal.Open(journalPath, 100m)

                        let intent =
                            journal.ReadEvents()
                            |> Seq.tryPick (fun e ->
                                match e.Event with
                                | TradingEvent.OrderPlaced(intent, _) when intent.MarketId = market.Slug ->
                                    Some intent
                                | _ -> None)

                        Expect.isSome intent $"a bet on {market.Slug}: {bot.Stdout}"

                        Expect.equal
                            intent.Value.Outcome
                            expected
                            "the side the plugin signals over the recorded outcomes"

                        Expect.equal intent.Value.Strategy "sma-trend" "journaled under the plugin's name"
                        Expect.equal intent.Value.Amount 5m "a fixed 5 pUSD bet (Kelly needs the streak's rate)")
        ]
