module PolymarketAlgo.Core.Tests.CopytradeTests

open Expecto

[<Tests>]
let tests = testList "Copytrade" []
