/// Entry point of polymarket-algo: parses arguments, runs the command, maps errors to exit codes.
module PolymarketAlgo.Cli.Program

open System
open Argu
open PolymarketAlgo.Cli.Arguments
open PolymarketAlgo.Cli.Output

let private endpoints (args: ParseResults<MarketDataArgs>) : MarketCommands.Endpoints =
    {
        Clob = args.TryGetResult MarketDataArgs.Clob_Url
        Gamma = args.TryGetResult MarketDataArgs.Gamma_Url
        DataApi = None
    }

let private streamEndpoints (args: ParseResults<StreamArgs>) : MarketCommands.Endpoints =
    {
        Clob = args.TryGetResult StreamArgs.Clob_Url
        Gamma = args.TryGetResult StreamArgs.Gamma_Url
        DataApi = None
    }

let private family (args: ParseResults<StreamArgs>) =
    args.TryGetResult StreamArgs.Family
    |> Option.orElse (args.TryGetResult StreamArgs.Market)
    |> Option.defaultValue "btc-5m"

let private run (results: ParseResults<CliArgs>) =
    let now = DateTimeOffset.UtcNow
    PluginCatalog.configure (results.TryGetResult CliArgs.Plugins)

    match results.GetSubCommand() with
    | Data data ->
        match data.GetSubCommand() with
        | Fetch args -> DataCommands.fetch args
        | Info args -> DataCommands.info args
    | Indicators args -> ResearchCommands.indicators args now
    | Strategies args -> ResearchCommands.strategies args
    | Backtest args -> ResearchCommands.backtest args now
    | Order order ->
        match order.GetSubCommand() with
        | Build args -> OrderCommands.build args
    | Auth auth ->
        match auth.GetSubCommand() with
        | Headers args -> OrderCommands.headers args
        | Derive args ->
            MarketCommands.derive
                {
                    Clob = args.TryGetResult AuthDeriveArgs.Clob_Url
                    Gamma = None
                    DataApi = None
                }
                (args.TryGetResult AuthDeriveArgs.Private_Key_File)
                (args.TryGetResult AuthDeriveArgs.Out)
                (args.Contains AuthDeriveArgs.Create)
                (args.GetResult(AuthDeriveArgs.Chain_Id, defaultValue = 137L))
    | Markets args ->
        MarketCommands.markets
            (endpoints args)
            (args.GetResult Target)
            (args.GetResult(Count, defaultValue = 3))
            (args.Contains MarketDataArgs.Json)
    | Market args -> MarketCommands.market (endpoints args) (args.GetResult Target) (args.Contains MarketDataArgs.Json)
    | Book args ->
        MarketCommands.book
            (endpoints args)
            (args.GetResult Target)
            (args.GetResult(Depth, defaultValue = 10))
            (args.Contains MarketDataArgs.Json)
    | Replay args ->
        StreamCommands.replay
            (args.GetResult ReplayArgs.Input)
            (args.TryGetResult ReplayArgs.Speed)
            (args.TryGetResult ReplayArgs.Asset)
            (args.Contains ReplayArgs.Json)
    | Record args ->
        StreamCommands.record
            (streamEndpoints args)
            (family args)
            (args.GetResult(StreamArgs.Out, defaultValue = "recordings"))
            (args.TryGetResult StreamArgs.Ws_Url)
            (args.TryGetResult StreamArgs.Seconds)
    | Watch args ->
        StreamCommands.watch
            (streamEndpoints args)
            (family args)
            (args.TryGetResult StreamArgs.Ws_Url)
            (args.TryGetResult StreamArgs.Seconds)
    | Price args -> MarketCommands.price (endpoints args) (args.GetResult Target) (args.Contains MarketDataArgs.Json)
    | Sim args -> SimCommands.run args
    | History args -> HistoryCommands.run args
    | Trade args -> TradeCommands.run args
    | Config config -> ConfigCommands.check (config.GetResult ConfigArgs.Check)
    | Plugins _
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
        let firstLine =
            e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries) |> Array.head

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
