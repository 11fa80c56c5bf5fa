module PolymarketAlgo.Core.Tests.SweepTests

open Expecto

[<Tests>]
let tests = testList "Sweep" []
