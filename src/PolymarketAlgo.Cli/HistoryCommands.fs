/// `history stats`, `history export` and `history backfill` over the trading journal.
module PolymarketAlgo.Cli.HistoryCommands

open System
open System.Collections.Generic
open System.Globalization
open System.IO
open System.Threading.Tasks
open Argu
open PolymarketAlgo.Core
open PolymarketAlgo.Data
open PolymarketAlgo.Executor.Journal
open PolymarketAlgo.Executor.Trading
open PolymarketAlgo.Cli.Arguments
open PolymarketAlgo.Cli.Output

/// The journal path: the flag, else JOURNAL_PATH from the environment or .env, else data/journal.db.
let private journalPath (flag: string option) =
    let flags = Dictionary<string, string>()
    flag |> Option.iter (fun path -> flags["journal"] <- path)
    let path = (TradingOptions.Load(flags)).Options.JournalPath

    if not (File.Exists path) then
        usage $"no trading journal at {path}; pass --journal or set JOURNAL_PATH"

    path

let private openJournal (flag: string option) =
    try
        TradeJournal.Open(journalPath flag)
    with :? InvalidOperationException as e ->
        failed e.Message

let private money (value: decimal) = float value

let private cents (value: decimal) =
    value.ToString("0.00", CultureInfo.InvariantCulture)

/// Resolutions read from a recorded outcome history, by market slug.
type private HistorySource(history: OutcomeHistory) =
    let bySlug = history.Windows |> Seq.map (fun w -> w.Slug, w) |> dict

    interface IOutcomeSource with
        member _.GetResolutionAsync(marketId, _, _) =
            Task.FromResult(
                match bySlug.TryGetValue marketId with
                | true, window when window.Outcome = MarketOutcome.Up -> MarketResolution(StreakReversal.Up, window.End)
                | true, window when window.Outcome = MarketOutcome.Down ->
                    MarketResolution(StreakReversal.Down, window.End)
                | _ -> null
            )

/// `history stats`: the original's statistics block, or one JSON object.
let stats (args: ParseResults<HistoryStatsArgs>) =
    use journal = openJournal (args.TryGetResult HistoryStatsArgs.Journal)
    let s = TradeHistory.Statistics(journal.ReadTrades(), journal.State)

    if args.Contains HistoryStatsArgs.Json then
        printJson (
            Object
                [
                    "journal", Text journal.Path
                    "total_trades", Integer(int64 s.TotalTrades)
                    "filled_trades", Integer(int64 s.FilledTrades)
                    "settled_trades", Integer(int64 s.SettledTrades)
                    "pending_trades", Integer(int64 s.PendingTrades)
                    "force_exits", Integer(int64 s.ForceExits)
                    "wins", Integer(int64 s.Wins)
                    "losses", Integer(int64 s.Losses)
                    "win_rate", Number s.WinRate
                    "realized_pnl", Number(money s.RealizedPnl)
                    "total_fees", Number(money s.TotalFees)
                    "gross_profit", Number(money s.GrossProfit)
                    "average_win", Number(money s.AverageWin)
                    "average_loss", Number(money s.AverageLoss)
                    "largest_win", Number(money s.LargestWin)
                    "largest_loss", Number(money s.LargestLoss)
                    "average_slippage_pct", Number(money s.AverageSlippagePct)
                    "average_fee_pct", Number(money s.AverageFeePct)
                    "average_delay_impact_pct", Number(money s.AverageDelayImpactPct)
                    "bankroll", Number(money s.Bankroll)
                    "at_risk", Number(money s.AtRisk)
                    "open_orders", Integer(int64 s.OpenOrders)
                    "open_positions", Integer(int64 s.OpenPositions)
                    "day", Text(s.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                    "daily_bets", Integer(int64 s.DailyBets)
                    "daily_pnl", Number(money s.DailyPnl)
                ]
        )
    else
        printfn "Journal: %s" journal.Path
        printfn ""

        printfn
            "Trades   %d total, %d filled, %d settled, %d pending, %d exited early"
            s.TotalTrades
            s.FilledTrades
            s.SettledTrades
            s.PendingTrades
            s.ForceExits

        printfn "         %d won, %d lost, win rate %s%%" s.Wins s.Losses (fmt 1 (s.WinRate * 100.0))
        printfn ""

        printfn
            "P&L      realised $%s, gross profit $%s, fees paid $%s"
            (cents s.RealizedPnl)
            (cents s.GrossProfit)
            (cents s.TotalFees)

        printfn
            "         average win $%s, average loss $%s, largest win $%s, largest loss $%s"
            (cents s.AverageWin)
            (cents s.AverageLoss)
            (cents s.LargestWin)
            (cents s.LargestLoss)

        printfn ""

        printfn
            "Costs    fees %s%% of notional, slippage %s%%, delay impact %s%%"
            (fmt 3 (float s.AverageFeePct))
            (fmt 3 (float s.AverageSlippagePct))
            (fmt 3 (float s.AverageDelayImpactPct))

        printfn ""

        printfn
            "Account  bankroll $%s, at risk $%s in %d positions and %d working orders"
            (cents s.Bankroll)
            (cents s.AtRisk)
            s.OpenPositions
            s.OpenOrders

        printfn
            "         %s UTC: %d bets, P&L $%s"
            (s.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            s.DailyBets
            (cents s.DailyPnl)

/// `history export --format csv|json [--out FILE]`: every order, to stdout or a file.
let export (args: ParseResults<HistoryExportArgs>) =
    let render =
        match (args.GetResult HistoryExportArgs.Format).ToLowerInvariant() with
        | "csv" -> TradeHistory.ToCsv
        | "json" -> TradeHistory.ToJson
        | other -> usage $"unknown --format '{other}': use csv or json"

    use journal = openJournal (args.TryGetResult HistoryExportArgs.Journal)
    let trades = journal.ReadTrades()
    let text = render trades

    match args.TryGetResult HistoryExportArgs.Out with
    | Some path ->
        try
            File.WriteAllText(path, text)
        with
        | :? IOException
        | :? UnauthorizedAccessException as e -> failed $"cannot write {path}: {e.Message}"

        printfn "%d trades written to %s" trades.Count path
    | None -> Console.Out.Write text

/// `history backfill --outcomes FILE`: settles pending trades whose markets resolved in the file.
let backfill (args: ParseResults<HistoryBackfillArgs>) =
    let outcomes = args.GetResult HistoryBackfillArgs.Outcomes

    if not (File.Exists outcomes) then
        usage $"no outcome file at {outcomes}"

    let history =
        try
            OutcomeHistoryLoader.LoadAsync(outcomes).GetAwaiter().GetResult()
        with :? OutcomeFormatException as e ->
            usage e.Message

    use journal = openJournal (args.TryGetResult HistoryBackfillArgs.Journal)

    let result =
        TradeHistory.BackfillAsync(journal, HistorySource history).GetAwaiter().GetResult()

    if args.Contains HistoryBackfillArgs.Json then
        printJson (
            Object
                [
                    "settled", Integer(int64 result.Settled)
                    "still_pending", Integer(int64 result.StillPending)
                    "realized_pnl", Number(money result.RealizedPnl)
                    "bankroll", Number(money journal.State.Bankroll)
                ]
        )
    else
        printfn
            "Settled %d market(s), %d still pending; realised $%s; bankroll $%s"
            result.Settled
            result.StillPending
            (cents result.RealizedPnl)
            (cents journal.State.Bankroll)

/// Dispatches `history` subcommands.
let run (args: ParseResults<HistoryArgs>) =
    match args.GetSubCommand() with
    | Stats stats' -> stats stats'
    | Export export' -> export export'
    | Backfill backfill' -> backfill backfill'
