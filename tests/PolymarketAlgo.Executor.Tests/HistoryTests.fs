module PolymarketAlgo.Executor.Tests.HistoryTests

open System
open System.Text.Json
open System.Threading.Tasks
open Expecto
open PolymarketAlgo.Core
open PolymarketAlgo.Executor.Journal
open PolymarketAlgo.Executor.Tests.JournalTests

/// Four orders: a win in m1, a loss in m2, one pending in m3, one rejected in m4.
let history (journal: TradeJournal) =
    let buy id market amount (outcome: StreakReversal.Outcome) =
        TradingEvent.OrderPlaced(
            { intent id market amount with
                Outcome = outcome
                Reason = "fades 4 ups, at 0.5"
            },
            t0
        )

    journal.RecordAll(
        [
            buy "w" "m1" 5m StreakReversal.Up
            TradingEvent.Filled("w", "1", 10m, 0.5m, 0.18m, t0)
            TradingEvent.OrderClosed("w", OrderStatus.Filled, "filled", t0)
            buy "l" "m2" 4m StreakReversal.Down
            TradingEvent.Filled("l", "1", 8m, 0.5m, 0.144m, t0)
            TradingEvent.OrderClosed("l", OrderStatus.Filled, "filled", t0)
            buy "p" "m3" 3m StreakReversal.Up
            TradingEvent.Filled("p", "1", 6m, 0.5m, 0.108m, t0)
            TradingEvent.OrderClosed("p", OrderStatus.Filled, "filled", t0)
            buy "r" "m4" 2m StreakReversal.Up
            TradingEvent.Rejected("r", "FOK not filled", t0)
            TradingEvent.Settled("m1", StreakReversal.Up, t0.AddMinutes 5.0)
            TradingEvent.Settled("m2", StreakReversal.Up, t0.AddMinutes 5.0)
        ],
        execution = ExecutionReport(SlippagePct = Nullable 1m, DelayImpactPct = Nullable 0.5m)
    )
    |> ignore

/// Resolutions from a table; unknown markets have not resolved.
type private TableSource(table: Map<string, StreakReversal.Outcome>) =
    interface IOutcomeSource with
        member _.GetResolutionAsync(marketId, windowStart, _) =
            Task.FromResult(
                match table.TryFind marketId with
                | Some winner -> MarketResolution(winner, windowStart.AddMinutes 5.0)
                | None -> null
            )

[<Tests>]
let tests =
    testSequenced
    <| testList
        "TradeHistory"
        [
            testCase "statistics count wins, losses, pending and fees like the original's get_statistics"
            <| fun () ->
                withJournal (fun journal _ ->
                    history journal
                    let s = TradeHistory.Statistics(journal.ReadTrades(), journal.State)
                    Expect.equal s.TotalTrades 4 "orders"
                    Expect.equal s.FilledTrades 3 "filled"
                    Expect.equal (s.SettledTrades, s.PendingTrades, s.ForceExits) (2, 1, 0) "settlement"
                    Expect.equal (s.Wins, s.Losses) (1, 1) "wins and losses"
                    Expect.equal s.WinRate 0.5 "a fraction, not the original's percentage"
                    Expect.equal s.RealizedPnl (4.82m - 4.144m) "realised"
                    Expect.equal s.TotalFees 0.432m "fees"
                    Expect.equal s.GrossProfit 1m "5 − 4"
                    Expect.equal (s.LargestWin, s.LargestLoss) (4.82m, -4.144m) "extremes"
                    Expect.equal s.AverageFeePct (0.432m / 12m * 100m) "fees over notional"
                    Expect.equal s.AverageSlippagePct 1m "slippage"
                    Expect.equal s.AverageDelayImpactPct 0.5m "delay impact"
                    Expect.equal s.Bankroll (100m + 4.82m - 4.144m) "bankroll"
                    Expect.equal s.AtRisk 3.108m "the pending position"
                    Expect.equal s.OpenPositions 1 "one open")
            testCase "exports CSV with a header row, the time first and full precision"
            <| fun () ->
                withJournal (fun journal _ ->
                    history journal

                    journal.Record(
                        TradingEvent.OrderPlaced(
                            { intent "c" "m5" 1.23456789m with
                                Reason = "comma, and \"quotes\""
                            },
                            t0.AddMinutes 1.0
                        )
                    )
                    |> ignore

                    let lines = (TradeHistory.ToCsv(journal.ReadTrades())).TrimEnd('\n').Split('\n')
                    Expect.equal lines.Length 6 "header and five rows"
                    Expect.equal lines[0] (String.Join(",", TradeHistory.Columns)) "header"
                    Expect.stringStarts lines[0] "placed_at," "time first"
                    Expect.stringStarts lines[1] "2026-04-16T07:15:00.0000000Z,w,m1," "first row"
                    Expect.stringContains lines[5] ",1.23456789," "full precision"
                    Expect.stringEnds lines[5] ",\"comma, and \"\"quotes\"\"\"" "quoted"
                    Expect.stringContains lines[1] ",settled,up,true,10,5,4.82," "settlement cells")
            testCase "exports JSON with snake_case keys and numbers as numbers"
            <| fun () ->
                withJournal (fun journal _ ->
                    history journal
                    use document = JsonDocument.Parse(TradeHistory.ToJson(journal.ReadTrades()))
                    let rows = document.RootElement.EnumerateArray() |> Array.ofSeq
                    Expect.equal rows.Length 4 "rows"
                    let win = rows[0]
                    Expect.equal (win.GetProperty("net_pnl").GetDecimal()) 4.82m "net"
                    Expect.equal (win.GetProperty("net_pnl").ValueKind) JsonValueKind.Number "a number"
                    Expect.equal (win.GetProperty("won").GetBoolean()) true "won"
                    Expect.equal (win.GetProperty("direction").GetString()) "up" "direction"
                    Expect.equal (rows[3].GetProperty("net_pnl").ValueKind) JsonValueKind.Null "rejected: no P&L"
                    Expect.equal (rows[2].GetProperty("settlement_status").GetString()) "pending" "pending")
            testCase "backfill settles the pending markets that resolved and leaves the others"
            <| fun () ->
                withJournal (fun journal _ ->
                    history journal

                    let unresolved =
                        TradeHistory.BackfillAsync(journal, TableSource Map.empty).GetAwaiter().GetResult()

                    Expect.equal unresolved (BackfillResult(0, 1, 0m)) "nothing resolved"

                    let result =
                        TradeHistory
                            .BackfillAsync(journal, TableSource(Map [ "m3", StreakReversal.Up ]))
                            .GetAwaiter()
                            .GetResult()

                    Expect.equal result (BackfillResult(1, 0, 6m - 3m - 0.108m)) "settled m3"
                    let trade = journal.FindTrade "p"
                    Expect.equal trade.SettlementStatus SettlementStatus.Settled "settled"
                    Expect.equal trade.SettledAt (Nullable(t0.AddMinutes 5.0)) "at the resolution time"
                    Expect.isEmpty journal.State.Positions "nothing pending")
        ]
