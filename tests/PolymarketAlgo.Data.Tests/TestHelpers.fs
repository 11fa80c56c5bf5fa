/// The Data tests' own helpers, beside the shared ones (tests/Shared/TestHelpers.fs).
module PolymarketAlgo.Data.Tests.TestHelpers

open System.IO
open PolymarketAlgo.Tests.TestHelpers

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
