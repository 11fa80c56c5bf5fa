module PolymarketAlgo.Core.Tests.OverfittingTests

open Expecto

[<Tests>]
let tests = testList "Overfitting" []
