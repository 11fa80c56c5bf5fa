module PolymarketAlgo.Core.Tests.StrategyTests

open Expecto

[<Tests>]
let tests = testList "Strategy" []
