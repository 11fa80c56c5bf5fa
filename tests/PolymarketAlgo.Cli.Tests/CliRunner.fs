/// Runs the built polymarket-algo binary as a child process and captures what it prints.
module PolymarketAlgo.Cli.Tests.CliRunner

open System
open System.Diagnostics
open System.IO
open System.Text.Json
open PolymarketAlgo.Tests.TestHelpers

/// What one run of the CLI gave.
type CliRun =
    {
        ExitCode: int
        Stdout: string
        Stderr: string
    }

    /// Stdout parsed as JSON.
    member this.Json = JsonDocument.Parse(this.Stdout).RootElement

/// The CLI assembly built in the same configuration as the tests.
let cliDll =
    let configuration =
        if AppContext.BaseDirectory.Contains "/Debug/" then
            "Debug"
        else
            "Release"

    Path.Combine(repoRoot, "src", "PolymarketAlgo.Cli", "bin", configuration, "net10.0", "polymarket-algo.dll")

/// Runs `polymarket-algo args` in `workingDirectory` with extra environment variables.
let runIn (workingDirectory: string) (environment: (string * string) list) (args: string list) : CliRun =
    let info =
        ProcessStartInfo(
            "dotnet",
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false
        )

    info.ArgumentList.Add cliDll
    args |> List.iter info.ArgumentList.Add
    // No key, API credentials or Binance endpoint leaks in from the developer's shell.
    for name in
        [
            "POLYMARKET_PRIVATE_KEY"
            "POLYMARKET_API_KEY"
            "POLYMARKET_API_SECRET"
            "POLYMARKET_API_PASSPHRASE"
        ] do
        info.Environment.Remove name |> ignore

    info.Environment["BINANCE_BASE_URL"] <- "http://127.0.0.1:9"
    info.Environment["HOME"] <- workingDirectory

    for name, value in environment do
        info.Environment[name] <- value

    use proc = Process.Start info
    let stdout = proc.StandardOutput.ReadToEndAsync()
    let stderr = proc.StandardError.ReadToEndAsync()

    if not (proc.WaitForExit(TimeSpan.FromMinutes 2.0)) then
        proc.Kill true
        failwithf "polymarket-algo %s timed out" (String.Join(" ", args))

    {
        ExitCode = proc.ExitCode
        Stdout = stdout.Result
        Stderr = stderr.Result
    }

/// A fresh temporary directory.
let tempDirectory () =
    let dir = Path.Combine(Path.GetTempPath(), "pa-cli-" + Guid.NewGuid().ToString("N"))
    Directory.CreateDirectory dir |> ignore
    dir

/// Runs the CLI in a fresh temporary directory.
let run (args: string list) = runIn (tempDirectory ()) [] args
