module PolymarketAlgo.Core.Tests.CandleDirectionTests

open Expecto

[<Tests>]
let tests = testList "CandleDirection" []
