module PolymarketAlgo.Core.Tests.BacktestTests

open Expecto

[<Tests>]
let tests = testList "Backtest" []
