module PolymarketAlgo.Core.Tests.IndicatorTests

open Expecto

[<Tests>]
let tests = testList "Indicator" []
