module PolymarketAlgo.Core.Tests.SizingTests

open Expecto

[<Tests>]
let tests = testList "Sizing" []
