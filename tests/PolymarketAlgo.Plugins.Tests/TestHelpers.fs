module PolymarketAlgo.Plugins.Tests.TestHelpers

open System.IO

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
