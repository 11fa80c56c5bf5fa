/// `sim serve`: the local Polymarket-compatible exchange that replays recorded data.
module PolymarketAlgo.Cli.SimCommands

open System
open System.Globalization
open System.IO
open System.Threading
open Argu
open PolymarketAlgo.Simulator
open PolymarketAlgo.Simulator.Data
open PolymarketAlgo.Cli.Arguments
open PolymarketAlgo.Cli.Output

let private speedOf (text: string) =
    match text.Trim().ToLowerInvariant() with
    | "max" -> Nullable()
    | value ->
        match Double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture) with
        | true, speed when speed > 0.0 && Double.IsFinite speed -> Nullable speed
        | _ -> usage $"--speed '{text}' is not a positive number or max"

let private startOf (data: RecordedData) (text: string) =
    match text.Trim().ToLowerInvariant() with
    | "now" -> Nullable()
    | "recording" -> Nullable(DateTimeOffset.FromUnixTimeSeconds data.BookWindows[0].StartUnixSeconds)
    | _ -> Nullable(DataCommands.parseTime "--start" text)

let private load (dir: string) =
    try
        RecordedData.LoadAsync(dir).GetAwaiter().GetResult()
    with :? DirectoryNotFoundException as e ->
        usage $"{e.Message} Give the shared data/polymarket folder."

let private leadersOf (args: ParseResults<SimServeArgs>) =
    match args.Contains SimServeArgs.No_Leader, args.GetResults SimServeArgs.Leader with
    | true, _ -> [||]
    | false, [] -> [| LeaderWallet.Default |]
    | false, addresses ->
        [|
            for i, address in List.indexed addresses do
                match PolymarketAlgo.Executor.Crypto.Address.TryParse address with
                | true, parsed -> LeaderWallet(parsed.Checksummed, $"sim-leader-{i + 1}", 60, 20m)
                | _ -> usage $"--leader '{address}' is not an address (0x and 40 hex digits)"
        |]

/// The configuration keys (Executor `Settings`) that point the bots at the simulator.
let private environment (urls: System.Text.Json.Nodes.JsonObject) =
    [
        "CLOB_API", string urls["clob_url"]
        "GAMMA_API", string urls["gamma_url"]
        "DATA_API", string urls["data_api_url"]
        "WS_CLOB_URL", string urls["ws_market_url"]
        "WS_USER_URL", string urls["ws_user_url"]
    ]

/// Runs `sim serve` until Ctrl-C (or SIGTERM), printing the URLs the bots use.
let serve (args: ParseResults<SimServeArgs>) =
    let port = args.GetResult(SimServeArgs.Port, defaultValue = 0)

    if port < 0 || port > 65535 then
        usage $"--port {port} is not a port (0 to 65535)"

    let balance = args.GetResult(SimServeArgs.Balance, defaultValue = 1000.0)

    if not (balance >= 0.0) then
        usage $"--balance {balance} must not be negative"

    let speed = speedOf (args.GetResult(SimServeArgs.Speed, defaultValue = "1"))
    let data = load (args.GetResult SimServeArgs.Data)

    let options =
        SimulatorOptions(
            Data = data,
            Port = port,
            Speed = speed,
            Start = startOf data (args.GetResult(SimServeArgs.Start, defaultValue = "now")),
            InitialBalance = decimal balance,
            Leaders = leadersOf args
        )

    let host = new SimulatorHost(options)

    try
        host.StartAsync().GetAwaiter().GetResult() |> ignore
    with :? IOException as e ->
        failed $"cannot listen on 127.0.0.1:{port}: {e.Message}"

    let urls = host.Urls()
    let text (name: string) = string urls[name]

    let leaders = options.Leaders |> Seq.map (fun l -> l.Address) |> List.ofSeq

    if args.Contains SimServeArgs.Json then
        printJson (
            Object(
                [
                    for name in
                        [
                            "base_url"
                            "clob_url"
                            "gamma_url"
                            "data_api_url"
                            "ws_url"
                            "ws_market_url"
                            "ws_user_url"
                            "admin_url"
                        ] -> name, Text(text name)
                ]
                @ [
                    "chain_id", Integer options.ChainId
                    "start", Text(host.Clock.Start.UtcDateTime.ToString("o", CultureInfo.InvariantCulture))
                    "speed", (if speed.HasValue then Number speed.Value else Text "max")
                    "leader_wallets", Array [ for l in leaders -> Text l ]
                    "env", Object [ for key, value in environment urls -> key, Text value ]
                ]
            )
        )
    else
        printfn
            "Polymarket simulator on %s (simulated start %s, speed %s)"
            (text "base_url")
            (host.Clock.Start.ToString("u", CultureInfo.InvariantCulture))
            (if speed.HasValue then string speed.Value else "max")

        printfn "  --clob-url     %s" (text "clob_url")
        printfn "  --gamma-url    %s" (text "gamma_url")
        printfn "  --data-api-url %s" (text "data_api_url")
        printfn "  --ws-url       %s   (channels /ws/market and /ws/user)" (text "ws_url")
        printfn "  status/faults  %s/status" (text "admin_url")

        for leader in leaders do
            printfn "  leader wallet  %s" leader

        printfn "As configuration (.env or environment):"

        for key, value in environment urls do
            printfn "  %s=%s" key value

    Console.Out.Flush()
    eprintfn "serving; press Ctrl-C to stop"
    use stopped = new ManualResetEventSlim(false)

    let onCancel =
        ConsoleCancelEventHandler(fun _ e ->
            e.Cancel <- true
            stopped.Set())

    Console.CancelKeyPress.AddHandler onCancel

    use _ =
        Runtime.InteropServices.PosixSignalRegistration.Create(
            Runtime.InteropServices.PosixSignal.SIGTERM,
            fun c ->
                c.Cancel <- true
                stopped.Set()
        )

    stopped.Wait()
    Console.CancelKeyPress.RemoveHandler onCancel
    host.StopAsync().GetAwaiter().GetResult()
    eprintfn "stopped"

/// Dispatches the `sim` subcommands.
let run (args: ParseResults<SimArgs>) =
    match args.GetSubCommand() with
    | Serve serve' -> serve serve'
