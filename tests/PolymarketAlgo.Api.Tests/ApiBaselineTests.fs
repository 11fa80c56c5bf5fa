module PolymarketAlgo.Api.Tests.ApiBaselineTests

open System
open System.IO
open System.Reflection
open Expecto
open PolymarketAlgo.Api.Tests.ApiRenderer

/// The libraries whose public surface is pinned, by a type each one defines.
let private libraries: (string * Assembly) list =
    [
        "PolymarketAlgo.Core", typeof<PolymarketAlgo.Core.IStrategy>.Assembly
        "PolymarketAlgo.Data", typeof<PolymarketAlgo.Data.CandleLoader>.Assembly
        "PolymarketAlgo.Executor", typeof<PolymarketAlgo.Executor.Configuration.AlgoOptions>.Assembly
        "PolymarketAlgo.Reports", typeof<PolymarketAlgo.Reports.ReportContent>.Assembly
        "PolymarketAlgo.Plugins", typeof<PolymarketAlgo.Plugins.PluginRegistry>.Assembly
    ]

let private baselineDirectory =
    Path.Combine(TestHelpers.repoRoot, "tests", "PolymarketAlgo.Api.Tests", "api")

let private accepting = Environment.GetEnvironmentVariable "ACCEPT_API" = "1"

/// Lines only in `expected` (prefixed "-") and only in `actual` ("+"), at most `limit` of them.
let private difference (expected: string) (actual: string) (limit: int) =
    let lines (text: string) = text.Split('\n') |> Set.ofArray
    let before = lines expected
    let after = lines actual

    [
        for line in Set.difference before after -> "- " + line
        for line in Set.difference after before -> "+ " + line
    ]
    |> List.truncate limit

/// Compares the rendering with the checked-in baseline; on a mismatch writes NAME.received.txt beside it and
/// fails, unless ACCEPT_API=1, which overwrites the baseline.
let private checkBaseline (name: string) (assembly: Assembly) =
    let baseline = Path.Combine(baselineDirectory, name + ".txt")
    let received = Path.Combine(baselineDirectory, name + ".received.txt")
    let actual = render assembly

    let expected =
        if File.Exists baseline then
            File.ReadAllText baseline
        else
            ""

    if actual = expected then
        File.Delete received
    elif accepting then
        File.WriteAllText(baseline, actual)
        File.Delete received
    else
        File.WriteAllText(received, actual)
        let changes = String.Join("\n", difference expected actual 40)

        failtest
            $"The public API of {name} changed (or has no baseline). Review tests/PolymarketAlgo.Api.Tests/api/{name}.received.txt; to accept it run: ACCEPT_API=1 dotnet run --project tests/PolymarketAlgo.Api.Tests -c Release\n{changes}"

[<Tests>]
let tests =
    testSequenced
    <| testList
        "Public API"
        [
            testList
                "renderer"
                [
                    testCase "shows an F# record's properties and constructor"
                    <| fun () ->
                        let lines = (render typeof<PolymarketAlgo.Core.IStrategy>.Assembly).Split('\n')

                        let start =
                            lines
                            |> Array.findIndex (fun line ->
                                line.StartsWith "sealed class PolymarketAlgo.Core.ParameterRange : ")

                        let members =
                            lines[start + 1 ..] |> Array.takeWhile (fun line -> line.StartsWith "    ")

                        Expect.contains members "    .ctor(string name, double[] values)" "constructor"
                        Expect.contains members "    string Name { get; }" "Name"
                        Expect.contains members "    double[] Values { get; }" "Values"

                    testCase "shows optional parameters with their defaults, out parameters and init-only setters"
                    <| fun () ->
                        let core = (render typeof<PolymarketAlgo.Core.IStrategy>.Assembly).Split('\n')

                        let plugins =
                            (render typeof<PolymarketAlgo.Plugins.PluginRegistry>.Assembly).Split('\n')

                        let executor =
                            (render typeof<PolymarketAlgo.Executor.Configuration.AlgoOptions>.Assembly).Split('\n')

                        Expect.contains
                            core
                            "    static double[] Ema(double[] input, int period = 20)"
                            "C# optional parameter"

                        Expect.contains
                            plugins
                            "    bool TryFindStrategy(string name, out PolymarketAlgo.Core.IStrategy strategy)"
                            "out parameter"

                        Expect.contains executor "    string DotEnvFile { get; init; }" "init-only setter"

                    testCase "lists enum values with their numbers"
                    <| fun () ->
                        let lines =
                            (render typeof<PolymarketAlgo.Plugins.PluginRegistry>.Assembly).Split('\n')

                        let start =
                            lines |> Array.findIndex ((=) "enum PolymarketAlgo.Plugins.PluginOrigin : int")

                        Expect.equal
                            lines[start + 1 .. start + 3]
                            [| "    Assembly = 1"; "    BuiltIn = 0"; "    Script = 2" |]
                            "values"
                ]

            testList
                "matches the baseline"
                [
                    for name, assembly in libraries ->
                        testCase $"of {name} (api/{name}.txt)" <| fun () -> checkBaseline name assembly
                ]
        ]
