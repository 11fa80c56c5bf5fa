module PolymarketAlgo.Reports.Tests.ReportTests

open System
open System.Globalization
open System.IO
open System.Text.RegularExpressions
open Expecto
open FsCheck
open Plotly.NET
open PolymarketAlgo.Core
open PolymarketAlgo.Reports
open PolymarketAlgo.Tests.TestHelpers

let private occurrences (pattern: string) (text: string) = Regex.Matches(text, pattern).Count

/// A fresh folder under the system temp folder, deleted by `use`.
let temporaryFolder () =
    let path = Path.Combine(Path.GetTempPath(), $"reports-tests-{Guid.NewGuid():N}")
    Directory.CreateDirectory path |> ignore

    { new IDisposable with
        member _.Dispose() = Directory.Delete(path, true)
    },
    path

/// Writes the fixture report into a fresh folder and passes its path and text to `check`.
let withReport (content: ReportContent) (check: string -> string -> unit) =
    let folder, path = temporaryFolder ()
    use _ = folder
    let file = Path.Combine(path, "report.html")
    Report.write file content
    check file (File.ReadAllText file)

let private emptyMetrics =
    {
        TradeCount = 0
        WinRate = 0.0
        TotalPnl = 0.0
        TotalFees = 0.0
        AverageWin = 0.0
        AverageLoss = 0.0
        Expectancy = 0.0
        ProfitFactor = 0.0
        MaxDrawdown = 0.0
        MaxDrawdownPct = 0.0
        SharpePerTrade = 0.0
        SharpeAnnualized = 0.0
        Sortino = 0.0
        Calmar = 0.0
        LongestLosingStreak = 0
        Exposure = 0.0
    }

/// A sweep row with only the parameters and a win rate and total P&L that matter.
let private row (parameters: (string * float) list) (winRate: float) (totalPnl: float) =
    {
        Parameters = Map.ofList parameters
        Metrics =
            { emptyMetrics with
                WinRate = winRate
                TotalPnl = totalPnl
            }
        TradeMoments = ReturnMoments.empty
    }

let private section rows metric =
    {
        Result =
            {
                Strategy = "streak-reversal"
                Rows = rows
                DeflatedSharpe =
                    {
                        Sharpe = 0.0
                        ExpectedMaxSharpe = 0.0
                        Trials = rows.Length
                        Observations = 0
                        Probability = 0.0
                    }
                Overfitting = None
            }
        XParameter = "trigger"
        YParameter = "body_bps"
        Metric = metric
    }

let downsampleTests =
    testList
        "downsample"
        [
            testProp "keeps the first, last, lowest and highest points in increasing order"
            <| fun (values: NormalFloat[]) (extra: NonNegativeInt) ->
                let values = values |> Array.map _.Get
                let maxPoints = 4 + extra.Get % 40
                let kept = Report.downsample maxPoints values

                Expect.isLessThanOrEqual kept.Length (max maxPoints values.Length) "at most maxPoints points"

                if values.Length > maxPoints then
                    Expect.isLessThanOrEqual kept.Length maxPoints "at most maxPoints points"

                Expect.isTrue (kept |> Array.pairwise |> Array.forall (fun (a, b) -> a < b)) "strictly increasing"

                if values.Length > 0 then
                    Expect.equal kept[0] 0 "first point kept"
                    Expect.equal kept[kept.Length - 1] (values.Length - 1) "last point kept"
                    let keptValues = kept |> Array.map (fun index -> values[index])
                    Expect.equal (Array.min keptValues) (Array.min values) "lowest point kept"
                    Expect.equal (Array.max keptValues) (Array.max values) "highest point kept"

            testProp "keeps every point of a short series"
            <| fun (values: NormalFloat[]) ->
                let kept = Report.downsample (max 4 values.Length) (values |> Array.map _.Get)
                Expect.equal kept (Array.init values.Length id) "every index"

            testCase "refuses to keep fewer than four points"
            <| fun () ->
                Expect.throwsT<ArgumentException>
                    (fun () -> Report.downsample 3 [| 1.0 .. 10.0 |] |> ignore)
                    "invalidArg"

            testCase "reduces a 123,000-bar equity curve to at most 5,000 points keeping the deepest drawdown"
            <| fun () ->
                let random = Random 20260101

                let equity =
                    Array.scan (fun total _ -> total + random.NextDouble() - 0.49) 0.0 [| 1..122_999 |]

                let drawdown = Report.drawdown equity
                let kept = Report.equityPlotIndices equity
                Expect.isLessThanOrEqual kept.Length Report.MaxPlotPoints "at most MaxPlotPoints"
                Expect.isGreaterThanOrEqual kept.Length (Report.MaxPlotPoints / 2) "uses at least half the budget"
                let deepest = drawdown |> Array.min
                Expect.contains (kept |> Array.map (fun index -> drawdown[index])) deepest "deepest drawdown kept"
                Expect.contains kept (Array.IndexOf(equity, Array.max equity)) "equity high kept"
                Expect.contains kept (Array.IndexOf(equity, Array.min equity)) "equity low kept"
                Expect.equal (kept[0], kept[kept.Length - 1]) (0, equity.Length - 1) "first and last bar kept"

            testCase "measures drawdown from the running peak like the original"
            <| fun () ->
                Expect.equal
                    (Report.drawdown [| 0.0; 5.0; 3.0; 7.0; 2.0; 8.0 |])
                    [| 0.0; 0.0; -2.0; 0.0; -5.0; 0.0 |]
                    "equity − cummax(equity)"
        ]

let aggregationTests =
    testList
        "aggregation"
        [
            testCase "sums the fixture's trades into every month from the first trade to the last"
            <| fun () ->
                let trades = Fixture.content.Force().Backtest.Trades
                let months = Report.monthlyPnl trades
                close 1e-6 (months |> Array.sumBy snd) (trades |> Array.sumBy _.Pnl) "monthly sums add up to total"

                Expect.isTrue
                    (months
                     |> Array.pairwise
                     |> Array.forall (fun ((a, _), (b, _)) -> a.AddMonths 1 = b))
                    "contiguous months"

                let first = trades[0].Time.UtcDateTime
                Expect.equal (fst months[0]) (DateTime(first.Year, first.Month, 1)) "starts at the first trade's month"

                let january2022 =
                    trades
                    |> Array.filter (fun trade -> trade.Time.UtcDateTime.Year = 2022 && trade.Time.Month = 1)
                    |> Array.sumBy _.Pnl

                close 1e-9 (snd months[0]) january2022 "January 2022 is the sum of its trades"

            testCase "has no month without trades"
            <| fun () -> Expect.isEmpty (Report.monthlyPnl [||]) "empty"

            testCase "keeps the best value over the other parameters in each heatmap cell"
            <| fun () ->
                let rows =
                    [|
                        row [ "trigger", 3.0; "body_bps", 0.0; "size", 5.0 ] 0.52 10.0
                        row [ "trigger", 3.0; "body_bps", 0.0; "size", 10.0 ] 0.55 4.0
                        row [ "trigger", 4.0; "body_bps", 0.0; "size", 5.0 ] 0.50 -3.0
                        row [ "trigger", 3.0; "body_bps", 10.0; "size", 5.0 ] 0.58 7.0
                    |]

                let xs, ys, z = Report.sweepGrid (section rows SweepMetric.WinRate)
                Expect.equal xs [| 3.0; 4.0 |] "x values"
                Expect.equal ys [| 0.0; 10.0 |] "y values"
                Expect.equal (z[0]) [| 0.55; 0.50 |] "best win rate over size"
                Expect.equal (z[1][0]) 0.58 "single row"
                Expect.isTrue (Double.IsNaN(z[1][1])) "missing combination is NaN"
                let _, _, byPnl = Report.sweepGrid (section rows SweepMetric.TotalPnl)
                Expect.equal (byPnl[0][0]) 10.0 "best total P&L over size"

            testCase "matches a brute-force best over the fixture sweep"
            <| fun () ->
                let sweep = Fixture.sweep.Force()

                let xs, ys, z =
                    Report.sweepGrid
                        { section sweep.Rows SweepMetric.TotalPnl with
                            Result = sweep
                        }

                for line in 0 .. ys.Length - 1 do
                    for column in 0 .. xs.Length - 1 do
                        let expected =
                            sweep.Rows
                            |> Array.filter (fun row ->
                                row.Parameters["trigger"] = xs[column] && row.Parameters["body_bps"] = ys[line])
                            |> Array.map _.Metrics.TotalPnl
                            |> Array.max

                        Expect.equal (z[line][column]) expected $"cell trigger {xs[column]}, body {ys[line]}"

                Expect.equal (xs.Length, ys.Length) (6, 5) "6 triggers × 5 bodies"

            testCase "refuses a parameter the sweep does not have"
            <| fun () ->
                let rows = [| row [ "trigger", 3.0; "body_bps", 0.0 ] 0.5 1.0 |]

                Expect.throwsT<ArgumentException>
                    (fun () ->
                        Report.sweepGrid
                            { section rows SweepMetric.WinRate with
                                YParameter = "size"
                            }
                        |> ignore)
                    "invalidArg"

            testCase "refuses bar times that do not match the equity curve"
            <| fun () ->
                let content = Fixture.content.Force()

                Expect.throwsT<ArgumentException>
                    (fun () ->
                        Report.render
                            { content with
                                Times = content.Times[1..]
                            }
                        |> ignore)
                    "invalidArg"
        ]

let chartIds =
    [
        "chart-equity"
        "chart-trade-pnl"
        "chart-monthly"
        "chart-sweep"
        "chart-walk-forward"
    ]

let writeTests =
    testSequenced
    <| testList
        "write"
        [
            testCase "writes one self-contained file with plotly.js embedded and no network reference"
            <| fun () ->
                withReport (Fixture.content.Force()) (fun _ html ->
                    Expect.equal (occurrences @"<script[^>]*\bsrc\s*=" html) 0 "no script src at all"

                    Expect.equal
                        (occurrences @"<(script|link|img|iframe)[^>]*(src|href)\s*=\s*[""']?(https?:)?//" html)
                        0
                        "no remote resource"

                    Expect.stringContains html $"plotly.js v{Globals.PLOTLYJS_VERSION}" "plotly.js banner"
                    Expect.stringContains html "exports.Plotly=e()" "plotly.js code"
                    Expect.isGreaterThan html.Length 3_000_000 "the 3.6 MB plotly.js is inline")

            testCase "has one chart div per chart"
            <| fun () ->
                withReport (Fixture.content.Force()) (fun _ html ->
                    Expect.equal (occurrences "Plotly\\.newPlot\\('" html) 5 "five plots"
                    Expect.equal (occurrences "<!-- Plotly chart will be drawn inside this DIV -->" html) 5 "five divs"

                    for id in chartIds do
                        Expect.equal (occurrences $"<section class=\"chart\" id=\"{id}\">" html) 1 id)

            testCase "shows the backtest, best sweep row and walk-forward metrics"
            <| fun () ->
                let content = Fixture.content.Force()
                let metrics = content.Backtest.Metrics
                let outOfSample = content.WalkForward.Value.OutOfSample

                withReport content (fun _ html ->
                    let table = Regex.Match(html, "<table class=\"metrics\">.*?</table>").Value

                    let text (format: string) (value: float) =
                        value.ToString(format, CultureInfo.InvariantCulture)

                    for expected in
                        [
                            $"<td>{metrics.TradeCount:N0}</td>"
                            $"""<td>{text "F2" (metrics.WinRate * 100.0)}%%</td>"""
                            $"""<td>{text "N2" metrics.TotalPnl}</td>"""
                            $"""<td>{text "N2" metrics.MaxDrawdown}</td>"""
                            $"""<td>{text "F3" metrics.SharpePerTrade}</td>"""
                            $"""<td>{text "F2" (outOfSample.WinRate * 100.0)}%%</td>"""
                            $"""<td>{text "N2" outOfSample.TotalPnl}</td>"""
                        ] do
                        Expect.stringContains table expected $"metric value {expected}"

                    Expect.equal (occurrences "<tr>" table) 17 "header row and 16 metric rows"
                    Expect.equal (occurrences "<td>" table) (16 * 3) "three columns of values")

            testCase "heads the page with strategy, parameters, semantics, span, DSR and PBO"
            <| fun () ->
                let content = Fixture.content.Force()
                let sweep = content.Sweep.Value.Result

                withReport content (fun _ html ->
                    let header = Regex.Match(html, "<header>.*?</header>").Value
                    Expect.stringContains header "<h1>Streak reversal on BTC 4h</h1>" "title"
                    Expect.stringContains header "streak-reversal" "strategy"

                    let parameters =
                        content.Parameters
                        |> Seq.map (fun pair -> sprintf "%s = %g" pair.Key pair.Value)
                        |> String.concat ", "

                    Expect.stringContains header parameters "parameters"

                    Expect.stringContains
                        header
                        "Polymarket: Up wins when the next close is at least this close"
                        "semantics"

                    Expect.stringContains header "2022-01-01 00:00 – " "span start"
                    Expect.stringContains header "(9,051 bars)" "bar count"

                    Expect.stringContains
                        header
                        $"Deflated Sharpe ratio</th><td>{sweep.DeflatedSharpe.Probability:F3} "
                        "DSR"

                    Expect.stringContains header "from 60 trials" "trials"

                    Expect.stringContains
                        header
                        $"Probability of backtest overfitting</th><td>{sweep.Overfitting.Value.Probability:F3} "
                        "PBO"

                    Expect.stringContains header "70 splits of 8 blocks" "CSCV splits")

            testCase "writes only the charts it has data for"
            <| fun () ->
                let content =
                    { Fixture.content.Force() with
                        Sweep = None
                        WalkForward = None
                    }

                withReport content (fun _ html ->
                    Expect.equal (occurrences "Plotly\\.newPlot\\('" html) 3 "three plots"
                    Expect.isFalse (html.Contains "Deflated Sharpe") "no DSR without a sweep")

            testCase "replaces an existing report atomically and leaves no temporary file"
            <| fun () ->
                let folder, path = temporaryFolder ()
                use _ = folder
                let file = Path.Combine(path, "nested", "report.html")

                Report.write
                    file
                    { Fixture.content.Force() with
                        Title = "First"
                    }

                Report.write
                    file
                    { Fixture.content.Force() with
                        Title = "Second"
                    }

                Expect.equal (Directory.GetFiles(Path.GetDirectoryName file)) [| file |] "only the report"
                Expect.stringContains (File.ReadAllText file) "<h1>Second</h1>" "second write wins"

            testCase "writes a 123,000-bar backtest quickly with a bounded page"
            <| fun () ->
                let random = Random 42
                let start = DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)
                let times = Array.init 123_000 (fun index -> start.AddMinutes(5.0 * float index))

                let trades =
                    times
                    |> Array.mapi (fun index time ->
                        let isWin = random.NextDouble() < 0.53
                        let fee = 10.0 * 0.072 * 0.25

                        {
                            Index = index
                            Time = time
                            Side = 1
                            Price = 0.5
                            Size = 10.0
                            Outcome = (if isWin then 1 else -1)
                            IsWin = isWin
                            Fee = fee
                            Pnl = (if isWin then 5.0 else -5.0) - fee
                        })
                    |> Array.filter (fun trade -> trade.Index % 3 = 0)

                let equity = Array.zeroCreate times.Length
                let mutable total = 0.0
                let mutable next = 0

                for index in 0 .. times.Length - 1 do
                    if next < trades.Length && trades[next].Index = index then
                        total <- total + trades[next].Pnl
                        next <- next + 1

                    equity[index] <- total

                let content =
                    { Fixture.content.Force() with
                        Times = times
                        Backtest =
                            {
                                Trades = trades
                                Equity = equity
                                Metrics = Fixture.metricsOf trades equity
                            }
                        Sweep = None
                        WalkForward = None
                    }

                let folder, path = temporaryFolder ()
                use _ = folder
                let file = Path.Combine(path, "big.html")
                Report.write file content
                let size = FileInfo(file).Length
                Expect.isLessThan size 5_500_000L $"page of {size} bytes stays near plotly.js's size"
        ]

[<Tests>]
let tests = testList "Report" [ downsampleTests; aggregationTests; writeTests ]
