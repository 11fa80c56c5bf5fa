module PolymarketAlgo.Reports.Tests.ReportTests

open Expecto

[<Tests>]
let tests = testList "Report" []
