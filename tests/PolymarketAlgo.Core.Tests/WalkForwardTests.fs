module PolymarketAlgo.Core.Tests.WalkForwardTests

open Expecto

[<Tests>]
let tests = testList "WalkForward" []
