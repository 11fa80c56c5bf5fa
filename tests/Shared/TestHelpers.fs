module PolymarketAlgo.Tests.TestHelpers

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
