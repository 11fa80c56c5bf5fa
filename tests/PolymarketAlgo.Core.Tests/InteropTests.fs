module PolymarketAlgo.Core.Tests.InteropTests

open Expecto

[<Tests>]
let tests = testList "Interop" []
