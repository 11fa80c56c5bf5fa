module PolymarketAlgo.Core.Tests.MetricsTests

open Expecto

[<Tests>]
let tests = testList "Metrics" []
