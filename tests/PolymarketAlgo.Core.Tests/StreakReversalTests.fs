module PolymarketAlgo.Core.Tests.StreakReversalTests

open Expecto

[<Tests>]
let tests = testList "StreakReversal" []
