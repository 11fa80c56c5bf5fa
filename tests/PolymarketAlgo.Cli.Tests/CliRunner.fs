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

/// The start information of `polymarket-algo args` in `workingDirectory` with extra environment variables.
let private startInfo (workingDirectory: string) (environment: (string * string) list) (args: string list) =
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

    info

/// Runs `polymarket-algo args` in `workingDirectory` with extra environment variables.
let runIn (workingDirectory: string) (environment: (string * string) list) (args: string list) : CliRun =
    use proc = Process.Start(startInfo workingDirectory environment args)
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

/// Polls `condition` every 50 ms of wall time until it holds or `timeoutMs` pass; returns whether it held.
let waitFor (timeoutMs: int) (condition: unit -> bool) =
    let watch = Stopwatch.StartNew()

    while not (condition ()) && watch.ElapsedMilliseconds < int64 timeoutMs do
        Threading.Thread.Sleep 50

    condition ()

/// A CLI process left running (a bot), with what it has printed so far.
type RunningCli(proc: Process) =
    let lines = Collections.Concurrent.ConcurrentQueue<string>()

    do
        proc.OutputDataReceived.Add(fun e ->
            if not (isNull e.Data) then
                lines.Enqueue e.Data)

        proc.ErrorDataReceived.Add(fun e ->
            if not (isNull e.Data) then
                lines.Enqueue e.Data)

        proc.BeginOutputReadLine()
        proc.BeginErrorReadLine()

    /// Every line printed on stdout and stderr so far.
    member _.Lines = List.ofSeq lines

    /// The process.
    member _.Process = proc

    /// Waits (wall time) until a printed line contains `text`.
    member this.WaitForLine (timeoutMs: int) (text: string) =
        waitFor timeoutMs (fun () -> this.Lines |> List.exists (fun line -> line.Contains text))

    /// Kills the process with SIGKILL (no shutdown code runs) and waits for it to be gone.
    member _.KillHard() =
        proc.Kill()
        proc.WaitForExit()

    /// Sends SIGINT (Ctrl-C) and waits up to `timeoutMs` for the exit code.
    member _.Interrupt(timeoutMs: int) =
        use kill = Process.Start("kill", [ "-INT"; string proc.Id ])
        kill.WaitForExit()

        if not (proc.WaitForExit timeoutMs) then
            proc.Kill true
            failwith "the CLI did not stop after SIGINT"

        proc.ExitCode

    interface IDisposable with
        member _.Dispose() =
            if not proc.HasExited then
                proc.Kill true

            proc.Dispose()

/// Starts `polymarket-algo args` in `workingDirectory` with extra environment variables, without waiting for it.
let startIn (workingDirectory: string) (environment: (string * string) list) (args: string list) =
    new RunningCli(Process.Start(startInfo workingDirectory environment args))

/// A fresh temporary directory.
let tempDirectory () =
    let dir = Path.Combine(Path.GetTempPath(), "pa-cli-" + Guid.NewGuid().ToString("N"))
    Directory.CreateDirectory dir |> ignore
    dir

/// Runs the CLI in a fresh temporary directory.
let run (args: string list) = runIn (tempDirectory ()) [] args
