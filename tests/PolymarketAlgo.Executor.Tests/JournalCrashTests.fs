module PolymarketAlgo.Executor.Tests.JournalCrashTests

open System
open System.Diagnostics
open System.IO
open Expecto
open Microsoft.Data.Sqlite
open PolymarketAlgo.Core
open PolymarketAlgo.Executor.Journal
open PolymarketAlgo.Executor.Tests.JournalTests

/// The argument that turns the test executable into the crash test's writer.
[<Literal>]
let WriterArgument = "journal-crash-writer"

/// The child process: writes orders in a loop, each placement, then its fill and close, in two transactions,
/// replaying the previous placement every time; prints "ack N" once order N is committed. Never returns.
/// On a restart it resumes at the first order not filled, so an order caught between its two transactions is
/// placed again (the journal ignores that) and then filled.
let runWriter (path: string) : int =
    use journal = TradeJournal.Open(path, 100m)

    let mutable i =
        journal.State.Orders
        |> Seq.filter (fun kv -> kv.Value.Status = OrderStatus.Filled)
        |> Seq.length

    while true do
        let id = $"crash-{i}"
        let now = DateTimeOffset.UtcNow
        journal.Record(TradingEvent.OrderPlaced(intent id $"m{i}" 1m, now)) |> ignore

        journal.RecordAll(
            [
                TradingEvent.OrderAccepted(id, $"0x{i:x}", $"0x{i:x}", now)
                TradingEvent.Filled(id, "t1", 2m, 0.5m, 0.01m, now)
                TradingEvent.OrderClosed(id, OrderStatus.Filled, "filled", now)
            ]
        )
        |> ignore

        if i > 0 then
            journal.Record(TradingEvent.OrderPlaced(intent $"crash-{i - 1}" $"m{i - 1}" 1m, now))
            |> ignore

        Console.Out.WriteLine $"ack {i}"
        Console.Out.Flush()
        i <- i + 1

    0

/// Starts the writer on `path`, waits for `acks` more acknowledgements, kills it with SIGKILL and returns the
/// highest order acknowledged.
let private crashAfter (path: string) (acks: int) : int =
    let self = Environment.ProcessPath
    let dll = Reflection.Assembly.GetExecutingAssembly().Location

    let info =
        ProcessStartInfo(self, RedirectStandardOutput = true, UseShellExecute = false)

    if Path.GetFileNameWithoutExtension(self) = "dotnet" then
        info.ArgumentList.Add dll

    info.ArgumentList.Add WriterArgument
    info.ArgumentList.Add path
    use child = Process.Start info
    let mutable last = -1
    let mutable seen = 0
    let deadline = Stopwatch.StartNew()

    while seen < acks && deadline.Elapsed < TimeSpan.FromSeconds 120.0 do
        match child.StandardOutput.ReadLine() with
        | null -> failtest "the writer exited early"
        | line when line.StartsWith "ack " ->
            last <- int (line.Substring 4)
            seen <- seen + 1
        | _ -> ()

    child.Kill()
    child.WaitForExit()
    Expect.equal seen acks "acknowledgements before the kill"
    last

let private count (path: string) (sql: string) =
    use connection = new SqliteConnection($"Data Source={path};Pooling=False")
    connection.Open()
    use command = connection.CreateCommand()
    command.CommandText <- sql
    Convert.ToInt64(command.ExecuteScalar())

let private check (path: string) (lastAcked: int) =
    use journal = TradeJournal.Open(path, 100m)
    let state = journal.State

    for i in 0..lastAcked do
        match state.Orders.TryFind $"crash-{i}" with
        | Some order ->
            Expect.equal order.Status OrderStatus.Filled $"order {i} filled"
            Expect.equal order.FilledShares 2m $"order {i} filled once"
        | None -> failtest $"acknowledged order {i} was lost"

    let placed = count path "SELECT count(*) FROM events WHERE kind = 'order_placed'"

    let distinct =
        count path "SELECT count(DISTINCT client_order_id) FROM events WHERE kind = 'order_placed'"

    let fills = count path "SELECT count(*) FROM fills"
    let rows = count path "SELECT count(*) FROM orders"
    Expect.equal placed distinct "no order placed twice"
    Expect.equal rows placed "one history row per order"
    Expect.isLessThanOrEqual fills placed "at most one fill per order"
    Expect.isGreaterThanOrEqual placed (int64 (lastAcked + 1)) "every acknowledged order is there"
    Expect.isLessThanOrEqual placed (int64 (lastAcked + 2)) "at most the one in flight beyond"
    Expect.equal state.Orders.Count (int placed) "the rebuilt state has every order"

    Expect.equal state.FeesPaid (0.01m * decimal fills) "the rebuilt state has every fill once"

[<Tests>]
let tests =
    testSequenced
    <| testList
        "Journal crash"
        [
            testCase "a writer killed with SIGKILL mid-loop loses no acknowledged order and duplicates none, twice over"
            <| fun () ->
                let path = tempJournal ()

                try
                    let first = crashAfter path 120
                    check path first
                    let second = crashAfter path 40
                    Expect.isGreaterThan second first "the restarted writer continued"
                    check path second
                finally
                    cleanup path
        ]
