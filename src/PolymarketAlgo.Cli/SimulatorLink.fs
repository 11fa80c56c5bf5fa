/// `trade … --sim URL`: points a bot at a running `sim serve` and makes it follow the simulator's clock.
module PolymarketAlgo.Cli.SimulatorLink

open System
open System.Diagnostics
open System.Net.Http
open System.Text.Json
open PolymarketAlgo.Executor.Timing
open PolymarketAlgo.Cli.Output

/// What a bot needs from the simulator: its endpoints and a clock that runs with the simulated one.
type Link =
    {
        /// The CLOB, Gamma and Data API base URLs.
        Endpoints: MarketCommands.Endpoints
        /// The WebSocket base URL (channels at /ws/market and /ws/user).
        WsUrl: string
        /// The simulated clock, followed locally.
        Clock: TimeProvider
    }

/// Reads `GET {url}/_sim/status` and builds the link: the simulated time is read halfway through the round trip
/// and then runs locally at the simulator's speed. A simulator at maximum speed cannot be followed.
let connect (url: string) : Link =
    let baseUrl =
        match Uri.TryCreate(url.TrimEnd('/') + "/", UriKind.Absolute) with
        | true, uri when uri.Scheme = "http" || uri.Scheme = "https" -> uri
        | _ -> usage $"--sim '{url}' is not an absolute http(s) URL"

    use http = new HttpClient(Timeout = TimeSpan.FromSeconds 10.0)
    let sent = Stopwatch.GetTimestamp()

    let body =
        try
            http.GetStringAsync(Uri(baseUrl, "_sim/status")).GetAwaiter().GetResult()
        with
        | :? HttpRequestException
        | :? Threading.Tasks.TaskCanceledException as e -> failed $"--sim {url}: no simulator answers ({e.Message})"

    let roundTrip = Stopwatch.GetElapsedTime sent

    try
        use status = JsonDocument.Parse body
        let root = status.RootElement
        let urls = root.GetProperty "urls"
        let text (name: string) = urls.GetProperty(name).GetString()

        let speed =
            match root.GetProperty("speed").ValueKind with
            | JsonValueKind.Number -> root.GetProperty("speed").GetDouble()
            | _ ->
                usage
                    $"--sim {url}: the simulator runs at maximum speed, which a bot cannot follow; serve it with a --speed"

        let simulatedNow =
            DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("now_ms").GetInt64())
            + TimeSpan.FromTicks(int64 (float roundTrip.Ticks / 2.0 * speed))

        {
            Endpoints =
                {
                    Clob = Some(text "clob_url")
                    Gamma = Some(text "gamma_url")
                    DataApi = Some(text "data_api_url")
                }
            WsUrl = text "ws_url"
            Clock = ScaledClock(simulatedNow, speed)
        }
    with
    | :? JsonException
    | :? Collections.Generic.KeyNotFoundException
    | :? InvalidOperationException as e -> failed $"--sim {url}: not a simulator status ({e.Message})"
