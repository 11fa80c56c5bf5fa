/// Entry point of polymarket-algo: parses arguments, runs the command, maps errors to exit codes.
module PolymarketAlgo.Cli.Program

open System
open Argu
open PolymarketAlgo.Cli.Arguments
open PolymarketAlgo.Cli.Output

let private run (results: ParseResults<CliArgs>) =
    let now = DateTimeOffset.UtcNow

    match results.GetSubCommand() with
    | Data data ->
        match data.GetSubCommand() with
        | Fetch args -> DataCommands.fetch args
        | Info args -> DataCommands.info args
    | Indicators args -> ResearchCommands.indicators args now
    | Strategies args -> ResearchCommands.strategies args
    | Backtest args -> ResearchCommands.backtest args now
    | Sim args -> SimCommands.run args
    | Verbose -> usage "give a command; see --help"

[<EntryPoint>]
let main argv =
    let parser = ArgumentParser.Create<CliArgs>(programName = "polymarket-algo")
    let verbose = argv |> Array.contains "--verbose"

    try
        let results = parser.ParseCommandLine(argv, raiseOnUsage = true)
        run results
        0
    with
    | :? ArguParseException as e when e.ErrorCode = ErrorCode.HelpText ->
        Console.Out.WriteLine e.Message
        0
    | :? ArguParseException as e ->
        let firstLine = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries) |> Array.head
        eprintfn "error: %s (see --help)" (firstLine.Trim())
        2
    | UsageError message ->
        eprintfn "error: %s" message
        2
    | OperationFailed message ->
        eprintfn "error: %s" message
        1
    | e ->
        eprintfn "error: %s" e.Message

        if verbose then
            eprintfn "%O" e

        1
