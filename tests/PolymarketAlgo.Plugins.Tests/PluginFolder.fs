/// Temporary plugin folders holding the example plugins and deliberately broken ones.
module PolymarketAlgo.Plugins.Tests.PluginFolder

open System
open System.IO
open PolymarketAlgo.Plugins

/// The C# example plugin as built next to the tests (the test project references it).
let csharpExample =
    Path.Combine(AppContext.BaseDirectory, "PolymarketAlgo.Plugins.CSharpExample.dll")

/// The F# script example plugin in the repository.
let fsharpExample =
    Path.Combine(TestHelpers.repoRoot, "scripts", "plugins", "TrendFollowing.fsx")

/// This run's folder under the temp directory, removed when the test process exits.
let private root =
    let path =
        Path.Combine(Path.GetTempPath(), "polymarket-algo-plugin-tests", Guid.NewGuid().ToString "N")

    AppDomain.CurrentDomain.ProcessExit.Add(fun _ ->
        if Directory.Exists path then
            Directory.Delete(path, true))

    path

/// A fresh empty folder under this run's temp folder.
let create () =
    let path = Path.Combine(root, Guid.NewGuid().ToString "N")
    Directory.CreateDirectory path |> ignore
    path

/// Copies a file into a folder, keeping its name.
let copy (folder: string) (file: string) =
    File.Copy(file, Path.Combine(folder, Path.GetFileName file))

/// Writes a text file into a folder.
let write (folder: string) (name: string) (text: string) =
    File.WriteAllText(Path.Combine(folder, name), text)

/// A script with a strategy whose constructor needs an argument and one whose constructor throws.
let badConstructors =
    """
open System.Collections.Generic
open PolymarketAlgo.Core

type NeedsArgument(threshold: float) =
    interface IStrategy with
        member _.Name = "needs-argument"
        member _.Description = ""
        member _.Timeframe = "5m"
        member _.DefaultParameters = Dictionary<string, float>() :> IReadOnlyDictionary<_, _>
        member _.ParameterGrid = [||] :> IReadOnlyList<ParameterRange>
        member _.Evaluate(_, _, _) = ()

type Throws() =
    do failwith "no market today"
    interface IStrategy with
        member _.Name = "throws"
        member _.Description = ""
        member _.Timeframe = "5m"
        member _.DefaultParameters = Dictionary<string, float>() :> IReadOnlyDictionary<_, _>
        member _.ParameterGrid = [||] :> IReadOnlyList<ParameterRange>
        member _.Evaluate(_, _, _) = ()
"""

/// A script that does not compile (a type error on line 3).
let broken =
    """
open PolymarketAlgo.Core
let answer: int = "forty-two"
"""

/// A script whose strategy takes a built-in name, whose indicator takes a built-in name, and whose second
/// strategy takes the C# example's name (which loads first).
let clashes =
    """
open System.Collections.Generic
open PolymarketAlgo.Core

type FakeStreak() =
    interface IStrategy with
        member _.Name = "Streak-Reversal"
        member _.Description = ""
        member _.Timeframe = "5m"
        member _.DefaultParameters = Dictionary<string, float>() :> IReadOnlyDictionary<_, _>
        member _.ParameterGrid = [||] :> IReadOnlyList<ParameterRange>
        member _.Evaluate(_, _, _) = ()

type FakeRsiReversal() =
    interface IStrategy with
        member _.Name = "rsi-reversal"
        member _.Description = ""
        member _.Timeframe = "5m"
        member _.DefaultParameters = Dictionary<string, float>() :> IReadOnlyDictionary<_, _>
        member _.ParameterGrid = [||] :> IReadOnlyList<ParameterRange>
        member _.Evaluate(_, _, _) = ()

type FakeEma() =
    interface IIndicator with
        member _.Name = "ema"
        member _.DefaultParameters = Dictionary<string, float>() :> IReadOnlyDictionary<_, _>
        member _.OutputNames = [||] :> IReadOnlyList<string>
        member _.Compute(_, _) = [||]
"""

/// A folder with both example plugins, the host assemblies a plugin build copies beside itself, a corrupt dll,
/// a script with bad constructors, a script that does not compile and a script full of name clashes.
let kitchenSink () =
    let folder = create ()
    copy folder csharpExample
    copy folder fsharpExample
    copy folder (Path.Combine(AppContext.BaseDirectory, "PolymarketAlgo.Core.dll"))
    copy folder (Path.Combine(AppContext.BaseDirectory, "FSharp.Core.dll"))
    File.WriteAllBytes(Path.Combine(folder, "Corrupt.dll"), Array.init 4096 (fun i -> byte (i * 7919 % 251)))
    write folder "BadConstructors.fsx" badConstructors
    write folder "Broken.fsx" broken
    write folder "Zclashes.fsx" clashes
    folder

/// The kitchen-sink folder, loaded once for every test that only reads it.
let loaded = lazy (PluginRegistry.Load(kitchenSink ()))
