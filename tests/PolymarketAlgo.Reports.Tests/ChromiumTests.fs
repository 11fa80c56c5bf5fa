/// Renders reports in real headless Chromium (Debian's `chromium`) and checks what a reader would see.
module PolymarketAlgo.Reports.Tests.ChromiumTests

open System
open System.Diagnostics
open System.IO
open System.Text.RegularExpressions
open Expecto
open PolymarketAlgo.Core
open PolymarketAlgo.Reports
open PolymarketAlgo.Reports.Tests.ReportTests

/// Where Chromium is looked for: $CHROMIUM, then Debian's /usr/bin/chromium.
let private chromiumCandidates =
    [
        Environment.GetEnvironmentVariable "CHROMIUM"
        "/usr/bin/chromium"
        "/usr/bin/chromium-browser"
    ]

let private chromium () =
    match
        chromiumCandidates
        |> List.tryFind (fun path -> not (String.IsNullOrEmpty path) && File.Exists path)
    with
    | Some path -> path
    | None ->
        failtest
            "Chromium was not found (looked at $CHROMIUM, /usr/bin/chromium, /usr/bin/chromium-browser): install it with `apt-get install -y chromium` (the build script installs it in CI)"

/// What one Chromium run printed.
type private Run = { Stdout: string; Stderr: string }

let private processTimeout = TimeSpan.FromSeconds 90.0

/// Runs headless Chromium with a fresh profile, offline-friendly flags and console logging on stderr.
let private runChromium (arguments: string list) : Run =
    let executable = chromium ()
    let profile, profilePath = temporaryFolder ()
    use _ = profile

    let info = ProcessStartInfo(executable)

    for argument in
        [
            "--headless"
            "--no-sandbox"
            "--disable-gpu"
            "--disable-background-networking"
            "--disable-component-update"
            "--disable-sync"
            "--no-first-run"
            $"--user-data-dir={profilePath}"
            "--enable-logging=stderr"
            "--v=0"
            "--virtual-time-budget=10000"
        ]
        @ arguments do
        info.ArgumentList.Add argument

    info.RedirectStandardOutput <- true
    info.RedirectStandardError <- true
    info.UseShellExecute <- false
    use chromiumProcess = Process.Start info
    let stdout = chromiumProcess.StandardOutput.ReadToEndAsync()
    let stderr = chromiumProcess.StandardError.ReadToEndAsync()

    if not (chromiumProcess.WaitForExit processTimeout) then
        chromiumProcess.Kill true
        failtest $"Chromium did not finish within {processTimeout.TotalSeconds} s"

    chromiumProcess.WaitForExit()

    Expect.equal chromiumProcess.ExitCode 0 $"Chromium exit code; stderr:\n{stderr.Result}"

    {
        Stdout = stdout.Result
        Stderr = stderr.Result
    }

/// The lines of Chromium's stderr that report page console output or an uncaught exception. Chromium
/// logs every console message at INFO level (`INFO:CONSOLE`), whatever its level, so any console
/// output of the page counts: a report logs nothing when it renders cleanly.
let consoleProblems (stderr: string) =
    stderr.Split '\n'
    |> Array.filter (fun line -> line.Contains ":CONSOLE" || line.Contains "Uncaught")

/// The dumped DOM of one chart section.
let private sectionOf (dom: string) (id: string) =
    Regex.Match(dom, $"<section class=\"chart\" id=\"{id}\">.*?</section>", RegexOptions.Singleline).Value

let private dumpDom (file: string) =
    runChromium [ "--dump-dom"; Uri(file).AbsoluteUri ]

let private testCaseWithTimeout (name: string) (body: unit -> unit) =
    TestLabel(name, TestCase(Test.timeout 180_000 (Sync body), Normal), Normal)

/// Width and height from a PNG's IHDR chunk.
let private pngSize (bytes: byte[]) =
    let bigEndian offset =
        (int bytes[offset] <<< 24)
        ||| (int bytes[offset + 1] <<< 16)
        ||| (int bytes[offset + 2] <<< 8)
        ||| int bytes[offset + 3]

    bigEndian 16, bigEndian 20

[<Tests>]
let tests =
    testSequenced
    <| testList
        "Chromium"
        [
            testCaseWithTimeout "renders every chart of the full report as Plotly SVG without console output"
            <| fun () ->
                withReport (Fixture.content.Force()) (fun file _ ->
                    let run = dumpDom file

                    Expect.equal
                        (Regex.Matches(run.Stdout, "class=\"plot-container plotly\"").Count)
                        chartIds.Length
                        "one rendered plot per chart"

                    for id in chartIds do
                        Expect.stringContains (sectionOf run.Stdout id) "class=\"main-svg\"" $"{id} drew its SVG"

                    Expect.stringContains run.Stdout "<h1>Streak reversal on BTC 4h</h1>" "header in the DOM"
                    Expect.isEmpty (consoleProblems run.Stderr) "no console output or uncaught exception")

            testCaseWithTimeout "renders a backtest without trades, sweep or walk-forward"
            <| fun () ->
                let full = Fixture.content.Force()

                let content =
                    { full with
                        Backtest =
                            {
                                Trades = [||]
                                Equity = Array.zeroCreate full.Times.Length
                                Metrics = Fixture.metricsOf [||] (Array.zeroCreate full.Times.Length)
                            }
                        Sweep = None
                        WalkForward = None
                    }

                withReport content (fun file _ ->
                    let run = dumpDom file

                    for id in chartIds |> List.take 3 do
                        Expect.stringContains (sectionOf run.Stdout id) "class=\"main-svg\"" $"{id} drew its SVG"

                    Expect.isEmpty (consoleProblems run.Stderr) "no console output or uncaught exception")

            testCaseWithTimeout "takes a full-width screenshot of the report"
            <| fun () ->
                withReport (Fixture.content.Force()) (fun file _ ->
                    let screenshot = Path.Combine(Path.GetDirectoryName file, "report.png")

                    runChromium
                        [
                            $"--screenshot={screenshot}"
                            "--window-size=1280,2000"
                            Uri(file).AbsoluteUri
                        ]
                    |> ignore

                    Expect.isTrue (File.Exists screenshot) "screenshot written"
                    let bytes = File.ReadAllBytes screenshot
                    Expect.equal bytes[1..3] "PNG"B "a PNG file"
                    Expect.equal (pngSize bytes) (1280, 2000) "the window size"

                    Expect.isGreaterThan
                        bytes.Length
                        50_000
                        $"a page with content, not a blank one ({bytes.Length} bytes)")

            testCaseWithTimeout "catches console output and uncaught exceptions of a broken page"
            <| fun () ->
                let folder, path = temporaryFolder ()
                use _ = folder
                let file = Path.Combine(path, "broken.html")

                File.WriteAllText(
                    file,
                    "<html><body><script>console.error('broken'); throw new Error('deliberate');</script></body></html>"
                )

                let problems = consoleProblems (dumpDom file).Stderr
                Expect.equal problems.Length 2 $"console.error and the uncaught error: {problems}"
                Expect.stringContains problems[1] "Uncaught Error: deliberate" "the uncaught exception"
        ]
