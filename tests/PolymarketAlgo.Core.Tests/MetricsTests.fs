module PolymarketAlgo.Core.Tests.MetricsTests

open System
open Expecto
open PolymarketAlgo.Core
open PolymarketAlgo.Tests.TestHelpers

let private settings (semantics: Semantics) =
    { Backtest.defaultSettings with
        Semantics = semantics
        BarsPerYear = 100.0
    }

/// A trade at `index` with this P&L (a win when positive) and fee.
let private trade (index: int) (pnl: float) (fee: float) =
    {
        Index = index
        Time = DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(5.0 * float index)
        Side = 1
        Price = 0.5
        Size = 10.0
        Outcome = (if pnl > 0.0 then 1 else -1)
        IsWin = pnl > 0.0
        Fee = fee
        Pnl = pnl
    }

/// Five trades on six bars (bar 2 has none): −5, 4.5, −5, −5, 4.5; equity −5, −0.5, −0.5, −5.5, −10.5, −6.
let private barPnl = [| -5.0; 4.5; 0.0; -5.0; -5.0; 4.5 |]

let private trades =
    [|
        trade 0 -5.0 0.1
        trade 1 4.5 0.1
        trade 3 -5.0 0.1
        trade 4 -5.0 0.1
        trade 5 4.5 0.1
    |]

/// Trades with these P&Ls, one per bar.
let private tradesOf (pnls: int[]) =
    let values = pnls |> Array.map (fun v -> float v / 4.0)
    values |> Array.mapi (fun i pnl -> trade i pnl 0.0), values

[<Tests>]
let tests =
    testList
        "Metrics"
        [
            testList
                "hand-computed example"
                [
                    testCase "counts, win rate, averages, profit factor, streak and exposure"
                    <| fun () ->
                        let m = Metrics.compute (settings Semantics.Polymarket) trades barPnl
                        Expect.equal m.TradeCount 5 "trades"
                        close 1e-12 m.WinRate 0.4 "win rate"
                        close 1e-12 m.TotalPnl -6.0 "total"
                        close 1e-12 m.TotalFees 0.5 "fees"
                        close 1e-12 m.AverageWin 4.5 "average win"
                        close 1e-12 m.AverageLoss -5.0 "average loss"
                        close 1e-12 m.Expectancy -1.2 "expectancy"
                        close 1e-12 m.ProfitFactor 0.6 "profit factor"
                        Expect.equal m.LongestLosingStreak 2 "losing streak"
                        close 1e-12 m.Exposure (5.0 / 6.0) "exposure"

                    testCase "Sharpe per trade is mean over population std times √N, not annualised"
                    <| fun () ->
                        let m = Metrics.compute (settings Semantics.Seed) trades barPnl
                        close 1e-12 m.SharpePerTrade -0.5765500605317537 "sharpe"

                    testCase "annualised Sharpe, Sortino and Calmar scale per-bar P&L by bars per year"
                    <| fun () ->
                        let m = Metrics.compute (settings Semantics.Polymarket) trades barPnl
                        close 1e-12 m.SharpeAnnualized -2.3408229439226114 "sharpe"
                        close 1e-12 m.Sortino -2.82842712474619 "sortino"
                        close 1e-12 m.Calmar -9.523809523809524 "calmar"

                    testCase "seed drawdown starts at the first bar, as the original's min(curve − cummax(curve))"
                    <| fun () ->
                        let m = Metrics.compute (settings Semantics.Seed) trades barPnl
                        close 1e-12 m.MaxDrawdown -10.0 "dollars"
                        close 1e-12 m.MaxDrawdownPct (-10.0 / 999.5) "fraction of the peak equity"

                        Expect.equal
                            (Metrics.drawdownCurve Semantics.Seed barPnl)
                            [| 0.0; 0.0; 0.0; -5.0; -10.0; -5.5 |]
                            "curve"

                    testCase "Polymarket drawdown counts the starting equity 0 as a peak"
                    <| fun () ->
                        let m = Metrics.compute (settings Semantics.Polymarket) trades barPnl
                        close 1e-12 m.MaxDrawdown -10.5 "dollars"
                        close 1e-12 m.MaxDrawdownPct -0.0105 "fraction of 1000"

                        Expect.equal
                            (Metrics.drawdownCurve Semantics.Polymarket barPnl)
                            [| -5.0; -0.5; -0.5; -5.5; -10.5; -6.0 |]
                            "curve"
                ]

            testList
                "undefined ratios"
                [
                    testCase "are 0 without trades"
                    <| fun () ->
                        let m = Metrics.compute (settings Semantics.Polymarket) [||] (Array.zeroCreate 10)
                        Expect.equal m.TradeCount 0 "trades"

                        Expect.equal
                            [
                                m.WinRate
                                m.SharpePerTrade
                                m.SharpeAnnualized
                                m.Sortino
                                m.Calmar
                                m.ProfitFactor
                                m.MaxDrawdown
                            ]
                            [ 0.0; 0.0; 0.0; 0.0; 0.0; 0.0; 0.0 ]
                            "all zero"

                    testCase "give an infinite profit factor and zero Sharpe for identical winning trades"
                    <| fun () ->
                        let trades, pnl = tradesOf [| 18; 18; 18 |]
                        let m = Metrics.compute (settings Semantics.Seed) trades pnl
                        Expect.equal m.ProfitFactor Double.PositiveInfinity "profit factor"
                        Expect.equal m.SharpePerTrade 0.0 "zero deviation"
                        Expect.equal m.SharpeAnnualized 0.0 "zero per-bar deviation"
                        Expect.equal m.Sortino 0.0 "no downside"
                ]

            testList
                "laws"
                [
                    testProp "max drawdown and its percentage are never positive"
                    <| fun (pnls: int[]) ->
                        let trades, pnl = tradesOf pnls

                        [ Semantics.Seed; Semantics.Polymarket ]
                        |> List.forall (fun semantics ->
                            let m = Metrics.compute (settings semantics) trades pnl
                            m.MaxDrawdown <= 0.0 && m.MaxDrawdownPct <= 0.0)

                    testProp "total P&L is the sum of the trades' P&L"
                    <| fun (pnls: int[]) ->
                        let trades, pnl = tradesOf pnls
                        let m = Metrics.compute (settings Semantics.Polymarket) trades pnl
                        abs (m.TotalPnl - (trades |> Array.sumBy (fun t -> t.Pnl))) <= 1e-9

                    testProp "win rate and exposure lie in [0, 1]"
                    <| fun (pnls: int[]) (idle: byte) ->
                        let trades, pnl = tradesOf pnls

                        let m =
                            Metrics.compute
                                (settings Semantics.Polymarket)
                                trades
                                (Array.append pnl (Array.zeroCreate (int idle)))

                        m.WinRate >= 0.0 && m.WinRate <= 1.0 && m.Exposure >= 0.0 && m.Exposure <= 1.0

                    testProp "the Polymarket drawdown is at least as deep as the seed one"
                    <| fun (pnls: int[]) ->
                        let trades, pnl = tradesOf pnls
                        let seed = Metrics.compute (settings Semantics.Seed) trades pnl
                        let polymarket = Metrics.compute (settings Semantics.Polymarket) trades pnl
                        polymarket.MaxDrawdown <= seed.MaxDrawdown

                    testProp "the longest losing streak never exceeds the number of losses"
                    <| fun (pnls: int[]) ->
                        let trades, pnl = tradesOf pnls
                        let m = Metrics.compute (settings Semantics.Polymarket) trades pnl

                        m.LongestLosingStreak
                        <= (trades |> Array.filter (fun t -> not t.IsWin) |> Array.length)
                ]
        ]
