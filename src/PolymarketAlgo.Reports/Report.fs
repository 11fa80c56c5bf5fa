namespace PolymarketAlgo.Reports

open System
open System.Globalization
open System.IO
open System.Net
open System.Text
open Giraffe.ViewEngine
open Plotly.NET
open PolymarketAlgo.Core

/// The metric a sweep heatmap colours its cells by. Higher is better for every case.
[<RequireQualifiedAccess>]
type SweepMetric =
    /// Fraction of trades won.
    | WinRate
    /// Net P&L in dollars.
    | TotalPnl
    /// The original's per-trade Sharpe ratio (mean/std × √trades).
    | SharpePerTrade
    /// Annualised per-bar Sharpe ratio.
    | SharpeAnnualized
    /// Mean P&L per trade.
    | Expectancy
    /// Gross wins over gross losses.
    | ProfitFactor

/// A sweep to show in a report, with the two parameters its heatmap spans.
type SweepSection =
    {
        Result: SweepResult
        /// Parameter on the heatmap's x axis.
        XParameter: string
        /// Parameter on the heatmap's y axis.
        YParameter: string
        /// Metric shown in each cell: the best value over every other parameter.
        Metric: SweepMetric
    }

/// Everything one HTML report shows.
type ReportContent =
    {
        /// Page title and heading.
        Title: string
        /// Strategy name (registry name).
        Strategy: string
        /// Parameters of the backtest shown.
        Parameters: Map<string, float>
        /// The semantics the backtest ran under.
        Semantics: Semantics
        /// The backtest: trades, per-bar equity and metrics.
        Backtest: BacktestResult
        /// Bar open times of the candles behind the backtest (`CandleColumns.Time`), one per equity point.
        Times: DateTimeOffset[]
        /// An optional sweep, shown as a heatmap with its overfitting statistics in the header.
        Sweep: SweepSection option
        /// An optional walk-forward validation, shown per step and as aggregated out-of-sample metrics.
        WalkForward: WalkForwardResult option
    }

/// Self-contained HTML reports of backtests, sweeps and walk-forward validations. The page embeds
/// plotly.js (Plotly.NET's `PlotlyJSReference.Full`), so it opens offline and loads nothing from a network.
[<RequireQualifiedAccess>]
module Report =
    /// The most points a report plots for the equity curve and its drawdown (see `equityPlotIndices`).
    [<Literal>]
    let MaxPlotPoints = 5000

    let private invariant = CultureInfo.InvariantCulture
    let private chartWidth = 1150
    let private green = Color.fromHex "#2ca02c"
    let private red = Color.fromHex "#d62728"
    let private blue = Color.fromHex "#1f77b4"
    let private orange = Color.fromHex "#ff7f0e"

    /// Indices of at most `maxPoints` points of `values` that keep the curve's shape: the first and last
    /// points and, in each of ⌊(maxPoints − 2) / 2⌋ equal buckets of the points between them, the lowest
    /// and the highest point. Indices are strictly increasing; the global minimum and maximum are always
    /// kept; every index is kept when there are no more than `maxPoints` values. `maxPoints` ≥ 4.
    let downsample (maxPoints: int) (values: float[]) : int[] =
        if maxPoints < 4 then
            invalidArg (nameof maxPoints) "downsampling keeps at least four points"

        let count = values.Length

        if count <= maxPoints then
            Array.init count id
        else
            let buckets = (maxPoints - 2) / 2
            let interior = int64 (count - 2)
            let kept = ResizeArray<int>(maxPoints)
            kept.Add 0

            for bucket in 0 .. buckets - 1 do
                let start = 1 + int (interior * int64 bucket / int64 buckets)
                let stop = 1 + int (interior * int64 (bucket + 1) / int64 buckets)

                if stop > start then
                    let mutable low = start
                    let mutable high = start

                    for index in start + 1 .. stop - 1 do
                        if values[index] < values[low] then
                            low <- index

                        if values[index] > values[high] then
                            high <- index

                    if low = high then
                        kept.Add low
                    else
                        kept.Add(min low high)
                        kept.Add(max low high)

            kept.Add(count - 1)
            kept.ToArray()

    /// The drawdown at each point of an equity curve: equity minus its running peak (≤ 0), the peak
    /// starting at the first point, as the original's `max_drawdown` measures it.
    let drawdown (equity: float[]) : float[] =
        let result = Array.zeroCreate equity.Length
        let mutable peak = Double.NegativeInfinity

        for index in 0 .. equity.Length - 1 do
            peak <- max peak equity[index]
            result[index] <- equity[index] - peak

        result

    /// The points of an equity curve a report plots: the union of `downsample` over the equity and
    /// over its drawdown, each with half of `MaxPlotPoints`, so at most `MaxPlotPoints` points that keep
    /// the first and last bar, the highest and lowest equity and the deepest drawdown.
    let equityPlotIndices (equity: float[]) : int[] =
        let half = MaxPlotPoints / 2

        Array.append (downsample half equity) (downsample half (drawdown equity))
        |> Array.distinct
        |> Array.sort

    let private timeLabel (time: DateTimeOffset) =
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", invariant)

    let private numberLabel (value: float) = value.ToString("G6", invariant)

    let private count (value: int) = value.ToString("N0", invariant)

    let private percentText (decimals: int) (value: float) =
        (value * 100.0).ToString($"F{decimals}", invariant) + "%"

    /// Equity curve (cumulative P&L per bar) above its drawdown, both downsampled by `equityPlotIndices`.
    /// `times` are the bar times, one per equity point.
    let equityChart (times: DateTimeOffset[]) (equity: float[]) : GenericChart =
        if times.Length <> equity.Length then
            invalidArg (nameof times) $"{times.Length} bar times for {equity.Length} equity points"

        let indices = equityPlotIndices equity
        let drawdowns = drawdown equity
        let x = indices |> Array.map (fun index -> timeLabel times[index])

        let equityLine =
            Chart.Line(
                x = x,
                y = (indices |> Array.map (fun index -> equity[index])),
                Name = "Equity",
                LineColor = blue
            )
            |> Chart.withYAxisStyle "Cumulative P&L ($)"

        let drawdownArea =
            Chart.Area(
                x = x,
                y = (indices |> Array.map (fun index -> drawdowns[index])),
                Name = "Drawdown",
                LineColor = red,
                FillColor = Color.fromHex "#f4a3a3"
            )
            |> Chart.withYAxisStyle "Drawdown ($)"

        [ equityLine; drawdownArea ]
        |> Chart.Grid(2, 1, Pattern = StyleParam.LayoutGridPattern.Coupled, YGap = 0.12)
        |> Chart.withTitle "Equity and drawdown"
        |> Chart.withSize (chartWidth, 650)

    /// Histogram of the trades' net P&L in 50 equal bins shared by winning and losing trades (shown in
    /// separate colours), so fixed-size bets show as narrow spikes at their win and loss amounts.
    let tradePnlChart (trades: Trade[]) : GenericChart =
        let pnl isWin =
            trades |> Array.filter (fun trade -> trade.IsWin = isWin) |> Array.map _.Pnl

        let low, high =
            if trades.Length = 0 then
                0.0, 1.0
            else
                let values = trades |> Array.map _.Pnl
                Array.min values, Array.max values

        let width = if high > low then (high - low) / 50.0 else 1.0

        let bins =
            TraceObjects.Bins.init (Start = low - width / 2.0, End = high + width / 2.0, Size = width)

        [
            Chart.Histogram(X = pnl true, Name = "Winning trades", MarkerColor = green, Opacity = 0.8, XBins = bins)
            Chart.Histogram(X = pnl false, Name = "Losing trades", MarkerColor = red, Opacity = 0.8, XBins = bins)
        ]
        |> Chart.combine
        |> Chart.withLayout (Layout.init (BarMode = StyleParam.BarMode.Overlay))
        |> Chart.withTitle $"Trade P&L distribution ({trades.Length} trades)"
        |> Chart.withXAxisStyle "Net P&L per trade ($)"
        |> Chart.withYAxisStyle "Trades"
        |> Chart.withSize (chartWidth, 450)

    /// Net P&L per calendar month (UTC) of the trades' decision times, every month from the first
    /// trade's to the last trade's included (0 when a month has no trade). Empty without trades.
    let monthlyPnl (trades: Trade[]) : (DateTime * float)[] =
        if trades.Length = 0 then
            [||]
        else
            let monthOf (trade: Trade) =
                let time = trade.Time.UtcDateTime
                DateTime(time.Year, time.Month, 1, 0, 0, 0, DateTimeKind.Utc)

            let sums =
                trades
                |> Array.groupBy monthOf
                |> Array.map (fun (month, group) -> month, group |> Array.sumBy _.Pnl)
                |> Map.ofArray

            let first = trades |> Array.minBy _.Time |> monthOf
            let last = trades |> Array.maxBy _.Time |> monthOf

            Seq.unfold
                (fun (month: DateTime) ->
                    if month > last then
                        None
                    else
                        Some(month, month.AddMonths 1))
                first
            |> Seq.map (fun month -> month, sums |> Map.tryFind month |> Option.defaultValue 0.0)
            |> Array.ofSeq

    /// Bar chart of `monthlyPnl`: gains green, losses red.
    let monthlyReturnsChart (trades: Trade[]) : GenericChart =
        let months = monthlyPnl trades

        Chart.Column(
            values = (months |> Array.map snd),
            Keys = (months |> Array.map (fun (month, _) -> month.ToString("yyyy-MM", invariant))),
            Name = "Monthly P&L",
            MarkerColor = Color.fromColors (months |> Array.map (fun (_, pnl) -> if pnl >= 0.0 then green else red))
        )
        |> Chart.withTitle "Monthly net P&L (UTC months of the trade decisions)"
        |> Chart.withXAxisStyle "Month"
        |> Chart.withYAxisStyle "Net P&L ($)"
        |> Chart.withSize (chartWidth, 450)

    /// The value of `metric` in `metrics`.
    let metricValue (metric: SweepMetric) (metrics: Metrics) : float =
        match metric with
        | SweepMetric.WinRate -> metrics.WinRate
        | SweepMetric.TotalPnl -> metrics.TotalPnl
        | SweepMetric.SharpePerTrade -> metrics.SharpePerTrade
        | SweepMetric.SharpeAnnualized -> metrics.SharpeAnnualized
        | SweepMetric.Expectancy -> metrics.Expectancy
        | SweepMetric.ProfitFactor -> metrics.ProfitFactor

    /// A human name of `metric`.
    let metricName (metric: SweepMetric) : string =
        match metric with
        | SweepMetric.WinRate -> "Win rate"
        | SweepMetric.TotalPnl -> "Total P&L ($)"
        | SweepMetric.SharpePerTrade -> "Sharpe (per trade)"
        | SweepMetric.SharpeAnnualized -> "Sharpe (annualised)"
        | SweepMetric.Expectancy -> "Expectancy ($ per trade)"
        | SweepMetric.ProfitFactor -> "Profit factor"

    /// The heatmap grid of a sweep: the distinct values of the x and y parameters (ascending) and
    /// `z[y][x]`, the best value of the section's metric over every row with those two values (whatever
    /// its other parameters); NaN where no row has them. Raises when a parameter is missing from a row
    /// or the two parameters are the same.
    let sweepGrid (section: SweepSection) : float[] * float[] * float[][] =
        if section.XParameter = section.YParameter then
            invalidArg (nameof section) "the heatmap needs two different parameters"

        let rows = section.Result.Rows

        for row in rows do
            for name in [ section.XParameter; section.YParameter ] do
                if not (row.Parameters.ContainsKey name) then
                    invalidArg (nameof section) $"the sweep has no parameter '{name}'"

        let xs =
            rows
            |> Array.map (fun row -> row.Parameters[section.XParameter])
            |> Array.distinct
            |> Array.sort

        let ys =
            rows
            |> Array.map (fun row -> row.Parameters[section.YParameter])
            |> Array.distinct
            |> Array.sort

        let z = Array.init ys.Length (fun _ -> Array.create xs.Length Double.NaN)

        for row in rows do
            let column = Array.BinarySearch(xs, row.Parameters[section.XParameter])
            let line = Array.BinarySearch(ys, row.Parameters[section.YParameter])
            let value = metricValue section.Metric row.Metrics

            let current = z[line][column]

            if Double.IsNaN current || value > current then
                z[line][column] <- value

        xs, ys, z

    let private cellLabel (metric: SweepMetric) (value: float) =
        if Double.IsNaN value then
            ""
        elif Double.IsPositiveInfinity value then
            "∞"
        else
            match metric with
            | SweepMetric.WinRate -> percentText 1 value
            | SweepMetric.TotalPnl -> value.ToString("N0", invariant)
            | _ -> value.ToString("F3", invariant)

    /// Heatmap of a sweep over its two chosen parameters (see `sweepGrid`), each cell labelled.
    let sweepHeatmap (section: SweepSection) : GenericChart =
        let xs, ys, z = sweepGrid section
        let labels = z |> Array.map (Array.map (cellLabel section.Metric))

        let finite =
            z
            |> Array.map (Array.map (fun value -> if Double.IsFinite value then value else Double.NaN))

        Chart.Heatmap(
            zData = finite,
            X = (xs |> Array.map numberLabel),
            Y = (ys |> Array.map numberLabel),
            ColorScale = StyleParam.Colorscale.Viridis,
            ColorBar = ColorBar.init (Title = Title.init (metricName section.Metric))
        )
        |> GenericChart.mapTrace (fun trace ->
            trace.SetProperty("text", labels)
            trace.SetProperty("texttemplate", "%{text}")
            trace)
        |> Chart.withTitle
            $"Sweep of {section.Result.Strategy}: {metricName section.Metric}, best over the other parameters ({section.Result.Rows.Length} combinations)"
        |> Chart.withXAxisStyle section.XParameter
        |> Chart.withYAxisStyle section.YParameter
        |> Chart.withSize (chartWidth, 550)

    let private windowLabel (times: DateTimeOffset[]) (window: WalkForwardWindow) =
        let at index =
            if index >= 0 && index < times.Length then
                times[index].UtcDateTime.ToString("yyyy-MM-dd", invariant)
            else
                $"bar {index}"

        $"train {at window.TrainStart} – {at (window.TrainEnd - 1)}, test {at window.TestStart} – {at (window.TestEnd - 1)}"

    /// Walk-forward steps: in-sample against out-of-sample win rate and expectancy per step (grouped
    /// bars, each step labelled by its test start and its windows on hover), with the aggregated
    /// out-of-sample value as a dashed line. `times` date the windows when they index into it (bar
    /// numbers otherwise).
    let walkForwardChart (times: DateTimeOffset[]) (result: WalkForwardResult) : GenericChart =
        let steps = result.Steps

        let labels =
            steps
            |> Array.mapi (fun index step ->
                if step.Window.TestStart >= 0 && step.Window.TestStart < times.Length then
                    let start =
                        times[step.Window.TestStart].UtcDateTime.ToString("yyyy-MM-dd", invariant)

                    $"Step {index + 1}<br>{start}"
                else
                    $"Step {index + 1}")

        let windows = steps |> Array.map (fun step -> windowLabel times step.Window)

        let withWindows (chart: GenericChart) =
            chart
            |> GenericChart.mapTrace (fun trace ->
                trace.SetProperty("hovertext", windows)
                trace)

        let panel (title: string) (value: Metrics -> float) (showLegend: bool) =
            [
                Chart.Column(
                    values = (steps |> Array.map (fun step -> value step.InSample)),
                    Keys = labels,
                    Name = "In-sample (train)",
                    MarkerColor = blue,
                    ShowLegend = showLegend
                )
                |> withWindows
                Chart.Column(
                    values = (steps |> Array.map (fun step -> value step.OutOfSample)),
                    Keys = labels,
                    Name = "Out-of-sample (test)",
                    MarkerColor = orange,
                    ShowLegend = showLegend
                )
                |> withWindows
                Chart.Line(
                    x = labels,
                    y = Array.create labels.Length (value result.OutOfSample),
                    Name = "Aggregated out-of-sample",
                    LineColor = Color.fromHex "#444444",
                    LineDash = StyleParam.DrawingStyle.Dash,
                    ShowLegend = showLegend
                )
            ]
            |> Chart.combine
            |> Chart.withYAxisStyle title

        [
            panel "Win rate" _.WinRate true
            panel "Expectancy ($ per trade)" _.Expectancy false
        ]
        |> Chart.Grid(2, 1, Pattern = StyleParam.LayoutGridPattern.Coupled, YGap = 0.12)
        |> Chart.withLayout (Layout.init (BarMode = StyleParam.BarMode.Group))
        |> Chart.withTitle $"Walk-forward ({result.Mode}, {steps.Length} steps): in-sample vs out-of-sample"
        |> Chart.withSize (chartWidth, 650)

    let private encode (text: string) = WebUtility.HtmlEncode text

    let private ratio (value: float) =
        if Double.IsNaN value then "n/a"
        elif Double.IsPositiveInfinity value then "∞"
        elif Double.IsNegativeInfinity value then "−∞"
        else value.ToString("F3", invariant)

    let private money (decimals: int) (value: float) =
        if Double.IsFinite value then
            value.ToString($"N{decimals}", invariant)
        else
            ratio value

    let private percent (value: float) =
        if Double.IsFinite value then
            percentText 2 value
        else
            ratio value

    /// The rows of the metrics table: a label and how each value is written.
    let metricRows: (string * (Metrics -> string)) list =
        [
            "Trades", (fun metrics -> count metrics.TradeCount)
            "Win rate", (fun metrics -> percent metrics.WinRate)
            "Total P&L ($)", (fun metrics -> money 2 metrics.TotalPnl)
            "Total fees ($)", (fun metrics -> money 2 metrics.TotalFees)
            "Average win ($)", (fun metrics -> money 4 metrics.AverageWin)
            "Average loss ($)", (fun metrics -> money 4 metrics.AverageLoss)
            "Expectancy ($ per trade)", (fun metrics -> money 4 metrics.Expectancy)
            "Profit factor", (fun metrics -> ratio metrics.ProfitFactor)
            "Max drawdown ($)", (fun metrics -> money 2 metrics.MaxDrawdown)
            "Max drawdown (% of peak)", (fun metrics -> percent metrics.MaxDrawdownPct)
            "Sharpe (per trade, not annualised)", (fun metrics -> ratio metrics.SharpePerTrade)
            "Sharpe (annualised)", (fun metrics -> ratio metrics.SharpeAnnualized)
            "Sortino (annualised)", (fun metrics -> ratio metrics.Sortino)
            "Calmar", (fun metrics -> ratio metrics.Calmar)
            "Longest losing streak", (fun metrics -> count metrics.LongestLosingStreak)
            "Exposure (bars with a bet)", (fun metrics -> percent metrics.Exposure)
        ]

    /// An HTML table of metrics: one row per metric (`metricRows`), one column per named metrics set.
    let metricsTable (columns: (string * Metrics) list) : string =
        let html = StringBuilder()
        html.Append("<table class=\"metrics\"><thead><tr><th>Metric</th>") |> ignore

        for name, _ in columns do
            html.Append($"<th>{encode name}</th>") |> ignore

        html.Append("</tr></thead><tbody>") |> ignore

        for label, write in metricRows do
            html.Append($"<tr><th>{encode label}</th>") |> ignore

            for _, metrics in columns do
                html.Append($"<td>{encode (write metrics)}</td>") |> ignore

            html.Append("</tr>") |> ignore

        html.Append("</tbody></table>").ToString()

    let private parameterList (parameters: Map<string, float>) =
        if parameters.IsEmpty then
            "(none)"
        else
            parameters
            |> Seq.map (fun pair -> $"{pair.Key} = {numberLabel pair.Value}")
            |> String.concat ", "

    let private semanticsText (semantics: Semantics) =
        match semantics with
        | Semantics.Polymarket ->
            "Polymarket: Up wins when the next close is at least this close, the last bar is never traded, taker fee at entry"
        | Semantics.Seed ->
            "Seed: the original engine (buy at 0.50, payout 0.95, a flat bar counts as Down, the last bar is traded)"
        | other -> string other

    let private span (times: DateTimeOffset[]) =
        if times.Length = 0 then
            "no bars"
        else
            let utc (time: DateTimeOffset) =
                time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", invariant)

            $"{utc times[0]} – {utc times[times.Length - 1]} UTC ({count times.Length} bars)"

    let private overfittingLines (sweep: SweepResult) =
        let dsr = sweep.DeflatedSharpe

        let deflated =
            $"{ratio dsr.Probability} (best per-trade Sharpe {ratio dsr.Sharpe} against an expected maximum of {ratio dsr.ExpectedMaxSharpe} from {count dsr.Trials} trials, {count dsr.Observations} trades)"

        let pbo =
            match sweep.Overfitting with
            | Some overfitting ->
                $"{ratio overfitting.Probability} (CSCV: {count overfitting.Splits} splits of {overfitting.Blocks} blocks)"
            | None -> "not estimated"

        [
            "Deflated Sharpe ratio", deflated
            "Probability of backtest overfitting", pbo
        ]

    /// The report header as HTML: title, strategy, parameters, semantics, data span and, when a sweep is
    /// given, its best parameters, Deflated Sharpe Ratio and Probability of Backtest Overfitting.
    let header (content: ReportContent) : string =
        let facts =
            [
                "Strategy", content.Strategy
                "Parameters", parameterList content.Parameters
                "Semantics", semanticsText content.Semantics
                "Data span", span content.Times
                "Trades", count content.Backtest.Trades.Length
            ]
            @ (match content.Sweep with
               | Some section when section.Result.Rows.Length > 0 ->
                   ("Best sweep parameters", parameterList section.Result.Rows[0].Parameters)
                   :: overfittingLines section.Result
               | Some section -> overfittingLines section.Result
               | None -> [])

        let rows =
            facts
            |> List.map (fun (label, value) -> $"<tr><th>{encode label}</th><td>{encode value}</td></tr>")
            |> String.concat ""

        $"<header><h1>{encode content.Title}</h1><table class=\"facts\">{rows}</table></header>"

    let private stylesheet =
        """
body { font-family: "Open Sans", verdana, arial, sans-serif; margin: 24px auto; max-width: 1200px; color: #2a3f5f; }
h1 { margin-bottom: 8px; } h2 { margin-top: 32px; }
table { border-collapse: collapse; margin: 8px 0 24px; }
th, td { border: 1px solid #d8dee9; padding: 4px 10px; text-align: left; }
table.metrics td { text-align: right; font-variant-numeric: tabular-nums; }
thead th { background: #e5ecf6; }
section.chart { margin: 16px 0; }
"""

    let private chartSection (id: string) (chart: GenericChart) =
        $"<section class=\"chart\" id=\"{id}\">{GenericChart.toChartHTML chart}</section>"

    /// The whole report as one HTML document with plotly.js embedded (no external reference). Charts:
    /// equity and drawdown, trade P&L histogram, monthly P&L, then the sweep heatmap and the walk-forward
    /// steps when given; the metrics table has a column for the backtest, the best sweep row and the
    /// aggregated walk-forward out-of-sample metrics when given.
    let render (content: ReportContent) : string =
        let backtest = content.Backtest

        if content.Times.Length <> backtest.Equity.Length then
            invalidArg (nameof content) $"{content.Times.Length} bar times for {backtest.Equity.Length} equity points"

        let columns =
            [
                yield "Backtest", backtest.Metrics
                match content.Sweep with
                | Some section when section.Result.Rows.Length > 0 ->
                    yield "Best sweep row (in-sample)", section.Result.Rows[0].Metrics
                | _ -> ()
                match content.WalkForward with
                | Some walkForward -> yield "Walk-forward out-of-sample", walkForward.OutOfSample
                | None -> ()
            ]

        let charts =
            [
                yield chartSection "chart-equity" (equityChart content.Times backtest.Equity)
                yield chartSection "chart-trade-pnl" (tradePnlChart backtest.Trades)
                yield chartSection "chart-monthly" (monthlyReturnsChart backtest.Trades)
                match content.Sweep with
                | Some section -> yield chartSection "chart-sweep" (sweepHeatmap section)
                | None -> ()
                match content.WalkForward with
                | Some walkForward ->
                    yield chartSection "chart-walk-forward" (walkForwardChart content.Times walkForward)
                | None -> ()
            ]

        let body =
            [
                yield rawText (header content)
                yield rawText "<h2>Metrics</h2>"
                yield rawText (metricsTable columns)
                yield rawText "<h2>Charts</h2>"
                for chart in charts -> rawText chart
            ]

        HTML.Doc(
            body,
            content.Title,
            $"Backtest report of {content.Strategy}",
            "UTF-8",
            link [ _rel "icon"; _href "data:," ],
            PlotlyJSReference.Full,
            [ style [] [ rawText stylesheet ] ],
            []
        )
        |> RenderView.AsString.htmlDocument

    /// Writes the report (see `render`) to `path` as one self-contained HTML file, atomically: the page is
    /// written to a temporary file beside `path` and then moved over it, so a reader never sees half a
    /// report. Creates the folder when missing. The equity curve is downsampled to at most
    /// `MaxPlotPoints` points, so a long backtest (100k+ bars) still writes a page of about 4 MB quickly.
    let write (path: string) (content: ReportContent) : unit =
        let html = render content
        let fullPath = Path.GetFullPath path
        let folder = Path.GetDirectoryName fullPath
        Directory.CreateDirectory folder |> ignore

        let temporary =
            Path.Combine(folder, $".{Path.GetFileName fullPath}.{Guid.NewGuid():N}.tmp")

        try
            File.WriteAllText(temporary, html, UTF8Encoding(false))
            File.Move(temporary, fullPath, true)
        finally
            if File.Exists temporary then
                File.Delete temporary
