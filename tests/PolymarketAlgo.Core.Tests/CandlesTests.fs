module PolymarketAlgo.Core.Tests.CandlesTests

open Expecto

[<Tests>]
let tests = testList "Candles" []
