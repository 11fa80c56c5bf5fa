module PolymarketAlgo.Plugins.Tests.RegistryTests

open System
open System.IO
open System.Runtime.Loader
open Expecto
open PolymarketAlgo.Core
open PolymarketAlgo.Plugins
open PolymarketAlgo.Plugins.CSharpExample

let private names (registry: PluginRegistry) =
    [ for r in registry.Strategies -> r.Strategy.Name ]

let private registered (registry: PluginRegistry) (name: string) =
    registry.Strategies |> Seq.find (fun r -> r.Strategy.Name = name)

let private strategy (registry: PluginRegistry) (name: string) =
    match registry.TryFindStrategy name with
    | true, s -> s
    | false, _ -> failtest $"no strategy {name}"

let private problemKeys (registry: PluginRegistry) =
    registry.Problems
    |> Seq.map (fun p -> p.Kind, Path.GetFileName p.File, p.TypeName)
    |> Set.ofSeq

[<Tests>]
let tests =
    testSequenced
    <| testList
        "PluginRegistry"
        [
            testList
                "without a plugin folder"
                [
                    testCase "holds the built-in strategies and indicators in Core's order"
                    <| fun () ->
                        let registry = PluginRegistry.BuiltIn
                        Expect.equal (names registry) [ "streak-reversal"; "candle-direction" ] "strategies"

                        Expect.equal
                            [ for r in registry.Indicators -> r.Indicator.Name ]
                            [ for i in Indicator.all -> i.Name ]
                            "indicators"

                        Expect.isTrue
                            (registry.Strategies
                             |> Seq.forall (fun r -> r.Origin = PluginOrigin.BuiltIn && r.Source = "built-in"))
                            "origin"

                    testCase "gives the built-ins with no problems for a folder that does not exist"
                    <| fun () ->
                        let missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString "N")
                        let registry = PluginRegistry.Load missing
                        Expect.equal (names registry) [ "streak-reversal"; "candle-direction" ] "strategies"
                        Expect.isEmpty registry.Problems "problems"
                        Expect.equal registry.Directory missing "directory"

                    testCase "finds names ignoring case and answers false for unknown ones"
                    <| fun () ->
                        Expect.isTrue
                            (obj.ReferenceEquals(
                                strategy PluginRegistry.BuiltIn "Streak-Reversal",
                                StreakReversal.strategy
                            ))
                            "streak-reversal"

                        Expect.isFalse (fst (PluginRegistry.BuiltIn.TryFindStrategy "rsi-reversal")) "unknown strategy"
                        Expect.isFalse (fst (PluginRegistry.BuiltIn.TryFindIndicator "momentum")) "unknown indicator"
                ]

            testList
                "discovery"
                [
                    testCase "adds the C# and F# example strategies after the built-ins, with their sources"
                    <| fun () ->
                        let registry = PluginFolder.loaded.Value

                        Expect.equal
                            (names registry)
                            [ "streak-reversal"; "candle-direction"; "rsi-reversal"; "sma-trend" ]
                            "strategies in load order"

                        let csharp = registered registry "rsi-reversal"
                        Expect.equal csharp.Origin PluginOrigin.Assembly "C# origin"

                        Expect.equal
                            (Path.GetFileName csharp.Source)
                            "PolymarketAlgo.Plugins.CSharpExample.dll"
                            "C# source"

                        Expect.equal
                            csharp.TypeName
                            "PolymarketAlgo.Plugins.CSharpExample.RsiReversalStrategy"
                            "C# type"

                        let fsharp = registered registry "sma-trend"
                        Expect.equal fsharp.Origin PluginOrigin.Script "F# origin"
                        Expect.equal (Path.GetFileName fsharp.Source) "TrendFollowing.fsx" "F# source"
                        Expect.equal fsharp.TypeName "TrendFollowing+SmaTrendStrategy" "F# type"

                    testCase "adds the script's indicator after the built-ins"
                    <| fun () ->
                        let registry = PluginFolder.loaded.Value
                        let found, momentum = registry.TryFindIndicator "momentum"
                        Expect.isTrue found "momentum"

                        let values =
                            momentum.Compute([| 1.0; 2.0; 4.0; 8.0 |], Indicator.parameters [ "period", 2.0 ])

                        Expect.isTrue (Double.IsNaN values.[0].[0] && Double.IsNaN values.[0].[1]) "warm-up is NaN"
                        Expect.equal values.[0].[2..] [| 3.0; 6.0 |] "close[t] - close[t-2]"

                    testCase "exposes the C# strategy's defaults and grid"
                    <| fun () ->
                        let strategy = strategy PluginFolder.loaded.Value "rsi-reversal"

                        Expect.equal
                            (strategy.DefaultParameters |> Seq.map (fun kv -> kv.Key, kv.Value) |> List.ofSeq)
                            [ "period", 14.0; "oversold", 30.0; "overbought", 70.0; "size", 10.0 ]
                            "defaults"

                        Expect.equal
                            [ for r in strategy.ParameterGrid -> r.Name, List.ofArray r.Values ]
                            [
                                "period", [ 10.0; 14.0 ]
                                "oversold", [ 25.0; 30.0 ]
                                "overbought", [ 70.0; 75.0 ]
                            ]
                            "grid"

                        Expect.equal strategy.Timeframe "15m" "timeframe"
                ]

            testList
                "isolation"
                [
                    testCase "loads each plugin file into its own load context, never the default one"
                    <| fun () ->
                        let registry = PluginFolder.loaded.Value

                        let contexts =
                            [ "rsi-reversal"; "sma-trend" ]
                            |> List.map (fun name ->
                                AssemblyLoadContext.GetLoadContext((strategy registry name).GetType().Assembly))

                        Expect.equal
                            [ for c in contexts -> c.Name ]
                            [
                                "plugin:PolymarketAlgo.Plugins.CSharpExample.dll"
                                "script:TrendFollowing.fsx"
                            ]
                            "context names"

                        Expect.isFalse
                            (contexts
                             |> List.exists (fun c -> obj.ReferenceEquals(c, AssemblyLoadContext.Default)))
                            "not default"

                    testCase "keeps the plugin's type apart from the same assembly referenced by the host"
                    <| fun () ->
                        let plugin = strategy PluginFolder.loaded.Value "rsi-reversal"
                        Expect.equal (plugin.GetType().FullName) typeof<RsiReversalStrategy>.FullName "same full name"
                        Expect.notEqual (plugin.GetType()) typeof<RsiReversalStrategy> "different types"
                        Expect.isFalse (plugin :? RsiReversalStrategy) "not the host's class"

                    testCase "shares Core and FSharp.Core with the host even when copies sit in the plugin folder"
                    <| fun () ->
                        let registry = PluginFolder.loaded.Value
                        let plugin = strategy registry "rsi-reversal"
                        let context = AssemblyLoadContext.GetLoadContext(plugin.GetType().Assembly)

                        Expect.equal
                            [ for a in context.Assemblies -> a.GetName().Name ]
                            [ "PolymarketAlgo.Plugins.CSharpExample" ]
                            "only the plugin's own assembly loads in its context"

                        Expect.contains (plugin.GetType().GetInterfaces()) typeof<IStrategy> "the host's IStrategy"
                        let script = strategy registry "sma-trend"

                        let fsharpCore =
                            script.GetType().Assembly.GetReferencedAssemblies()
                            |> Array.find (fun name -> name.Name = "FSharp.Core")

                        Expect.equal
                            (AssemblyLoadContext.GetLoadContext(script.GetType().Assembly).LoadFromAssemblyName
                                fsharpCore)
                            typeof<list<int>>.Assembly
                            "the script binds to the host's FSharp.Core"

                        Expect.isFalse
                            (registry.Strategies
                             |> Seq.exists (fun r -> Path.GetFileName r.Source = "PolymarketAlgo.Core.dll"))
                            "the copied Core is not a plugin"

                    testCase "gives each registry its own instances"
                    <| fun () ->
                        let folder = PluginFolder.create ()
                        PluginFolder.copy folder PluginFolder.csharpExample
                        let first = PluginRegistry.Load folder
                        let second = PluginRegistry.Load folder
                        let a = strategy first "rsi-reversal"
                        let b = strategy second "rsi-reversal"
                        Expect.isFalse (obj.ReferenceEquals(a, b)) "distinct instances"
                        Expect.notEqual (a.GetType()) (b.GetType()) "distinct contexts"
                        Expect.isEmpty first.Problems "no problems"
                ]

            testList
                "failures"
                [
                    testCase "reports exactly the broken files and types, and loads the rest"
                    <| fun () ->
                        let registry = PluginFolder.loaded.Value

                        Expect.equal
                            (problemKeys registry)
                            (Set.ofList
                                [
                                    PluginProblemKind.NoParameterlessConstructor,
                                    "BadConstructors.fsx",
                                    "BadConstructors+NeedsArgument"
                                    PluginProblemKind.CreateFailed, "BadConstructors.fsx", "BadConstructors+Throws"
                                    PluginProblemKind.CompileFailed, "Broken.fsx", ""
                                    PluginProblemKind.LoadFailed, "Corrupt.dll", ""
                                    PluginProblemKind.NameClash, "Zclashes.fsx", "Zclashes+FakeStreak"
                                    PluginProblemKind.NameClash, "Zclashes.fsx", "Zclashes+FakeRsiReversal"
                                    PluginProblemKind.NameClash, "Zclashes.fsx", "Zclashes+FakeEma"
                                ])
                            "problems"

                    testCase "words every problem on one line with the file name first"
                    <| fun () ->
                        let lines = [ for p in PluginFolder.loaded.Value.Problems -> string p ]

                        for line in lines do
                            Expect.isFalse (line.Contains '\n') $"one line: {line}"

                        let find (prefix: string) =
                            lines
                            |> List.find (fun line -> line.StartsWith(prefix, StringComparison.Ordinal))

                        Expect.stringStarts
                            (find "Broken.fsx: ")
                            "Broken.fsx: Broken.fsx(3,19): error FS0001:"
                            "compile error"

                        Expect.equal
                            (find "BadConstructors.fsx (BadConstructors+Throws)")
                            "BadConstructors.fsx (BadConstructors+Throws): Exception: no market today"
                            "constructor failure"

                        Expect.equal
                            (find "BadConstructors.fsx (BadConstructors+NeedsArgument)")
                            "BadConstructors.fsx (BadConstructors+NeedsArgument): has no public parameterless constructor"
                            "missing constructor"

                        Expect.stringStarts
                            (find "Corrupt.dll")
                            "Corrupt.dll: not a valid .NET assembly ("
                            "corrupt dll"

                        Expect.equal
                            (find "Zclashes.fsx (Zclashes+FakeStreak)")
                            "Zclashes.fsx (Zclashes+FakeStreak): strategy name 'Streak-Reversal' is already taken by a built-in; skipped"
                            "clash with a built-in"

                        Expect.equal
                            (find "Zclashes.fsx (Zclashes+FakeRsiReversal)")
                            "Zclashes.fsx (Zclashes+FakeRsiReversal): strategy name 'rsi-reversal' is already taken by PolymarketAlgo.Plugins.CSharpExample.dll; skipped"
                            "clash with an earlier plugin"

                    testCase "never replaces a built-in"
                    <| fun () ->
                        let registry = PluginFolder.loaded.Value

                        Expect.isTrue
                            (obj.ReferenceEquals(strategy registry "streak-reversal", StreakReversal.strategy))
                            "strategy"

                        Expect.isTrue
                            (obj.ReferenceEquals(snd (registry.TryFindIndicator "ema"), Indicator.emaIndicator))
                            "indicator"

                        Expect.equal
                            (registry.Indicators
                             |> Seq.filter (fun r -> r.Indicator.Name = "ema")
                             |> Seq.length)
                            1
                            "one ema"

                    testCase "reports a plugin assembly without plugin types"
                    <| fun () ->
                        let folder = PluginFolder.create ()

                        PluginFolder.copy folder (Path.Combine(AppContext.BaseDirectory, "PolymarketAlgo.Data.dll"))

                        let registry = PluginRegistry.Load folder

                        Expect.equal
                            [ for p in registry.Problems -> string p ]
                            [
                                "PolymarketAlgo.Data.dll: defines no public class implementing IStrategy or IIndicator"
                            ]
                            "problems"
                ]
        ]
