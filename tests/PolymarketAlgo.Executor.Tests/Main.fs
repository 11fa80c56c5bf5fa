module PolymarketAlgo.Executor.Tests.Main

open Expecto

[<EntryPoint>]
let main argv =
    match argv with
    | [| JournalCrashTests.WriterArgument; path |] -> JournalCrashTests.runWriter path
    | _ -> Tests.runTestsInAssemblyWithCLIArgs [] argv
