module PolymarketAlgo.Data.Tests.TestHelpers

open System.IO
open Expecto

/// The repository root (the folder holding PolymarketAlgo.sln), found from the test binary.
let repoRoot =
    let rec up (dir: DirectoryInfo) =
        if isNull dir then
            failwith "PolymarketAlgo.sln not found above the test binary"
        elif File.Exists(Path.Combine(dir.FullName, "PolymarketAlgo.sln")) then
            dir.FullName
        else
            up dir.Parent

    up (DirectoryInfo(System.AppContext.BaseDirectory))

/// A path under ../shared beside the repository.
let sharedPath (relative: string) =
    Path.GetFullPath(Path.Combine(repoRoot, "..", "shared", relative))

/// FsCheck configuration shared by the property tests of this project.
let propertyConfig =
    { FsCheckConfig.defaultConfig with
        maxTest = 200
    }

/// A property test with the project's configuration.
let testProp name property =
    testPropertyWithConfig propertyConfig name property

/// Asserts two floats agree within an absolute tolerance.
let close (tolerance: float) (actual: float) (expected: float) message =
    if System.Double.IsNaN expected then
        Expect.isTrue (System.Double.IsNaN actual) $"{message}: expected NaN, got {actual}"
    else
        Expect.floatClose { absolute = tolerance; relative = 0.0 } actual expected message

/// A fresh temporary folder, deleted (with its content) when disposed.
type TempDir() =
    let path =
        Path.Combine(Path.GetTempPath(), "polymarketalgo-data-tests", System.Guid.NewGuid().ToString("N"))

    do Directory.CreateDirectory path |> ignore

    /// The folder's full path.
    member _.Path = path

    /// A path for `name` inside the folder.
    member _.File(name: string) = Path.Combine(path, name)

    interface System.IDisposable with
        member _.Dispose() =
            if Directory.Exists path then
                Directory.Delete(path, true)

/// A UTC time from its parts.
let utc year month day hour minute =
    System.DateTimeOffset(year, month, day, hour, minute, 0, System.TimeSpan.Zero)

/// The shared Binance data folder.
let binance (relative: string) = sharedPath ("data/binance/" + relative)

/// Drains an async sequence into a list (blocking).
let asyncToList (source: System.Collections.Generic.IAsyncEnumerable<'T>) =
    let drain =
        task {
            let items = ResizeArray<'T>()
            let e = source.GetAsyncEnumerator()
            let mutable more = true

            while more do
                let! next = e.MoveNextAsync()
                if next then items.Add e.Current else more <- false

            do! e.DisposeAsync()
            return List.ofSeq items
        }

    drain.Result
