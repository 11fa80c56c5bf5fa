// PolymarketAlgo build script: `dotnet fsi build.fsx <target>`.
// Targets: restore, build, format, check-format, test, bench, pack, demo (see README.md).

open System
open System.Diagnostics
open System.IO
open System.Text.RegularExpressions

let root = __SOURCE_DIRECTORY__
let solution = Path.Combine(root, "PolymarketAlgo.sln")
let configuration = "Release"

/// Runs a process in the repository root, streaming its output; returns the exit code.
let run (file: string) (args: string list) =
    let info = ProcessStartInfo(file, WorkingDirectory = root, UseShellExecute = false)
    args |> List.iter info.ArgumentList.Add
    use proc = Process.Start info
    proc.WaitForExit()
    proc.ExitCode

/// Runs a process and fails the build when it does not succeed.
let exec (file: string) (args: string list) =
    let code = run file args

    if code <> 0 then
        failwithf "'%s %s' failed with exit code %d" file (String.Join(" ", args)) code

/// Runs a process, capturing stdout while echoing it; returns the exit code and the text.
let capture (file: string) (args: string list) =
    let info =
        ProcessStartInfo(file, WorkingDirectory = root, UseShellExecute = false, RedirectStandardOutput = true)

    args |> List.iter info.ArgumentList.Add
    info.Environment["NO_COLOR"] <- "1"
    use proc = Process.Start info
    let lines = Collections.Generic.List<string>()

    let rec pump () =
        match proc.StandardOutput.ReadLine() with
        | null -> ()
        | line ->
            Console.WriteLine line
            lines.Add line
            pump ()

    pump ()
    proc.WaitForExit()
    proc.ExitCode, String.Join("\n", lines)

let testProjects () =
    Directory.GetDirectories(Path.Combine(root, "tests"), "*.Tests")
    |> Array.sort
    |> Array.map (fun dir -> Path.Combine(dir, Path.GetFileName dir + ".fsproj"))
    |> Array.filter File.Exists

/// Debian packages the test run needs (headless Chromium renders the HTML reports).
let ensureDebianPackages () =
    let chromium = "/usr/bin/chromium"

    if
        not (File.Exists chromium)
        && Environment.UserName = "root"
        && File.Exists "/usr/bin/apt-get"
    then
        printfn "Installing chromium (report rendering tests)..."

        if run "apt-get" [ "update"; "-qq" ] = 0 then
            run "apt-get" [ "install"; "-y"; "-qq"; "--no-install-recommends"; "chromium" ]
            |> ignore

let restore () =
    exec "dotnet" [ "tool"; "restore" ]
    exec "dotnet" [ "paket"; "restore" ]
    exec "dotnet" [ "restore"; solution ]

let build () =
    restore ()

    exec
        "dotnet"
        [
            "build"
            solution
            "-c"
            configuration
            "--no-restore"
            "-nologo"
            "-clp:ErrorsOnly"
        ]

let formatTargets = [ "src"; "tests"; "scripts"; "build.fsx" ]

let format () =
    exec "dotnet" ([ "fantomas" ] @ formatTargets)

let checkFormat () =
    exec "dotnet" ([ "fantomas"; "--check" ] @ formatTargets)

/// Expecto's closing line: "N tests run in … – P passed, I ignored, F failed, E errored."
let summaryPattern =
    Regex(@"(\d+) passed, (\d+) ignored, (\d+) failed, (\d+) errored", RegexOptions.Compiled)

let runScripts () =
    let scripts =
        let dir = Path.Combine(root, "scripts")

        if Directory.Exists dir then
            Directory.GetFiles(dir, "*.fsx")
            |> Array.filter (fun path -> not (Path.GetFileName(path).StartsWith "_"))
            |> Array.sort
        else
            [||]

    scripts
    |> Array.map (fun script ->
        printfn "--- script %s" (Path.GetFileName script)
        let code = run "dotnet" [ "fsi"; script; "--smoke" ]
        Path.GetFileName script, code = 0)

let test () =
    build ()
    ensureDebianPackages ()
    let mutable passed = 0
    let mutable failed = 0

    for project in testProjects () do
        printfn "=== %s" (Path.GetFileNameWithoutExtension project)

        let code, output =
            capture
                "dotnet"
                [
                    "run"
                    "--project"
                    project
                    "-c"
                    configuration
                    "--no-build"
                    "--"
                    "--colours"
                    "0"
                    "--summary"
                ]

        let matches = summaryPattern.Matches output

        if matches.Count = 0 then
            printfn "%s ended with exit code %d and no Expecto summary" project code
            failed <- failed + 1
        else
            let last = matches[matches.Count - 1]
            passed <- passed + int last.Groups[1].Value
            failed <- failed + int last.Groups[3].Value + int last.Groups[4].Value

            if code <> 0 && int last.Groups[3].Value + int last.Groups[4].Value = 0 then
                failed <- failed + 1

    for script, ok in runScripts () do
        if ok then
            passed <- passed + 1
        else
            printfn "script %s failed" script
            failed <- failed + 1

    printfn "%d passed, %d failed" passed failed

    if failed > 0 then
        exit 1

let bench () =
    build ()

    let project =
        Path.Combine(root, "tests", "PolymarketAlgo.Benchmarks", "PolymarketAlgo.Benchmarks.fsproj")

    let artifacts = Path.Combine(root, "artifacts", "bench")

    exec
        "dotnet"
        [
            "run"
            "--project"
            project
            "-c"
            configuration
            "--no-build"
            "--"
            "--filter"
            "*"
            "--artifacts"
            artifacts
        ]

    printfn ""
    printfn "Benchmark summary"

    for report in
        Directory.GetFiles(Path.Combine(artifacts, "results"), "*-report-github.md")
        |> Array.sort do
        File.ReadAllLines report
        |> Array.filter (fun line -> line.StartsWith "|")
        |> Array.iter (printfn "%s")

/// Installs the packed CLI tool from the local package folder alone into a fresh tool path and runs
/// `polymarket-algo strategies` with the example F# script plugin, so a broken tool package fails the pack target.
let checkToolPackage (packages: string) =
    let scratch =
        Path.Combine(Path.GetTempPath(), "polymarket-algo-tool-check", Guid.NewGuid().ToString "N")

    let toolPath = Path.Combine(scratch, "tools")

    try
        let version =
            Directory.GetFiles(packages, "polymarket-algo.*.nupkg")
            |> Array.exactlyOne
            |> Path.GetFileNameWithoutExtension
            |> fun name -> name.Substring "polymarket-algo.".Length

        exec
            "dotnet"
            [
                "tool"
                "install"
                "polymarket-algo"
                "--version"
                version
                "--tool-path"
                toolPath
                "--source"
                packages
            ]

        let tool = Path.Combine(toolPath, "polymarket-algo")
        let plugins = Directory.CreateDirectory(Path.Combine(scratch, "plugins")).FullName

        File.Copy(
            Path.Combine(root, "scripts", "plugins", "TrendFollowing.fsx"),
            Path.Combine(plugins, "TrendFollowing.fsx")
        )

        let code, output = capture tool [ "--plugins"; plugins; "strategies" ]

        if
            code <> 0
            || not (output.Contains "streak-reversal" && output.Contains "sma-trend")
        then
            failwithf
                "the installed polymarket-algo tool did not list the built-in and plugin strategies (exit code %d)"
                code

        printfn "polymarket-algo %s installs from %s and runs" version packages
    finally
        if Directory.Exists scratch then
            Directory.Delete(scratch, true)

let pack () =
    build ()
    let output = Path.Combine(root, "artifacts", "packages")

    if Directory.Exists output then
        Directory.Delete(output, true)

    for project in
        Directory.GetFiles(Path.Combine(root, "src"), "*.*proj", SearchOption.AllDirectories)
        |> Array.sort do
        exec "dotnet" [ "pack"; project; "-c"; configuration; "--no-build"; "-o"; output ]

    checkToolPackage output

let demo () =
    build ()

    let cli =
        Path.Combine(root, "src", "PolymarketAlgo.Cli", "PolymarketAlgo.Cli.fsproj")

    let shared =
        Path.GetFullPath(Path.Combine(root, "..", "shared", "data", "binance", "btcusdt_spot_5m"))

    let data = if Directory.Exists shared then [ "--data"; shared ] else []

    exec
        "dotnet"
        ([
            "run"
            "--project"
            cli
            "-c"
            configuration
            "--no-build"
            "--"
            "backtest"
            "--strategy"
            "streak-reversal"
         ]
         @ data)

let targets =
    [
        "restore", restore
        "build", build
        "format", format
        "check-format", checkFormat
        "test", test
        "bench", bench
        "pack", pack
        "demo", demo
    ]
    |> Map.ofList

match fsi.CommandLineArgs |> Array.tail |> Array.toList with
| [ name ] when targets.ContainsKey name -> targets[name]()
| _ ->
    eprintfn "usage: dotnet fsi build.fsx <%s>" (String.Join("|", targets.Keys))
    exit 2
