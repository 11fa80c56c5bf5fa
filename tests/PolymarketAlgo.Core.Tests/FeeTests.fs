module PolymarketAlgo.Core.Tests.FeeTests

open Expecto

[<Tests>]
let tests = testList "Fee" []
