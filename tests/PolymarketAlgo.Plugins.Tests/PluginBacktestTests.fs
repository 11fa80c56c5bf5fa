module PolymarketAlgo.Plugins.Tests.PluginBacktestTests

open System
open Expecto
open PolymarketAlgo.Core
open PolymarketAlgo.Data
open PolymarketAlgo.Plugins
open PolymarketAlgo.Plugins.CSharpExample

/// Five-minute candles whose open, high, low and close are all `closes`.
let private candlesOf (closes: float[]) =
    let start = DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)

    {
        Time = Array.init closes.Length (fun i -> start.AddMinutes(5.0 * float i))
        Open = closes
        High = closes
        Low = closes
        Close = closes
        Volume = Array.zeroCreate closes.Length
    }

let private january =
    lazy (CandleLoader.Load(TestHelpers.sharedPath "data/binance/btcusdt_spot_5m/BTCUSDT-5m-2024-01.csv"))

let private plugin (name: string) =
    match PluginFolder.loaded.Value.TryFindStrategy name with
    | true, s -> s
    | false, _ -> failtest $"no strategy {name}"

let private evaluate (strategy: IStrategy) (candles: CandleColumns) (parameters: Map<string, float>) =
    match Strategy.evaluate strategy candles parameters with
    | Ok signals -> signals
    | Error error -> failtest $"%A{error}"

/// The original example's rule over the intended RSI: +1 below oversold, then −1 above overbought.
let private rsiOracle (period: int) (oversold: float) (overbought: float) (size: float) (close: float[]) =
    let rsi = Indicator.rsi period close

    let signal =
        rsi
        |> Array.map (fun r ->
            if r > overbought then -1
            elif r < oversold then 1
            else 0)

    {
        Signal = signal
        Size = signal |> Array.map (fun s -> if s = 0 then 0.0 else size)
    }

[<Tests>]
let tests =
    testSequenced
    <| testList
        "Plugin strategies"
        [
            testList
                "rsi-reversal (C#)"
                [
                    testCase "bets Down on the warm-up rows and on RSI above 70 in the seed's reference series"
                    <| fun () ->
                        // seed-toolkit §2.1: rsi(5) = 100 on rows 0..4 (warm-up filled), 71.2, 80.8, 84.11, …, 68.34 on row 11.
                        let closes =
                            [| 10.0; 11.0; 12.0; 11.0; 10.0; 11.0; 13.0; 14.0; 13.0; 15.0; 16.0; 15.0 |]

                        let strategy = plugin "rsi-reversal"
                        let signals = evaluate strategy (candlesOf closes) (Map.ofList [ "period", 5.0 ])
                        let rsi = Indicator.rsi 5 closes

                        Expect.equal
                            signals.Signal.[0..7]
                            (Array.create 8 -1)
                            "rows 0..7: RSI 100, 100, …, 71.2, 80.8, 84.1"

                        Expect.equal signals.Signal[9] -1 "row 9: RSI 78.66"
                        Expect.floatClose Accuracy.high rsi[11] 68.337991 "row 11 RSI"
                        Expect.equal signals.Signal[11] 0 "row 11: RSI 68.34 is between the bands"
                        Expect.equal signals.Size[0] 10.0 "default size on a bet"
                        Expect.equal signals.Size[11] 0.0 "no size without a bet"

                    testCase
                        "loaded as a plugin, backtests BTCUSDT 2024-01 to the same numbers as the class called directly"
                    <| fun () ->
                        let candles = january.Value
                        let plugin = plugin "rsi-reversal"
                        let direct = RsiReversalStrategy() :> IStrategy
                        let parameters = Map.ofList [ "period", 10.0; "oversold", 25.0 ]
                        let signals = evaluate plugin candles parameters
                        let viaPlugin = Backtest.run Backtest.defaultSettings candles signals

                        let viaClass =
                            Backtest.run Backtest.defaultSettings candles (evaluate direct candles parameters)

                        Expect.equal viaPlugin viaClass "identical backtests"

                        let bets =
                            signals.Signal.[.. candles.Length - 2] |> Array.filter ((<>) 0) |> Array.length

                        Expect.equal viaPlugin.Metrics.TradeCount bets "one trade per bet; the last bar is never traded"
                        Expect.isGreaterThan bets 100 "the strategy bets"

                    testCase "signals equal the RSI rule computed here from Core's RSI"
                    <| fun () ->
                        let candles = january.Value
                        let plugin = plugin "rsi-reversal"

                        let signals =
                            evaluate plugin candles (Map.ofList [ "overbought", 75.0; "size", 3.0 ])

                        let expected = rsiOracle 14 30.0 75.0 3.0 candles.Close
                        Expect.equal signals expected "signals"

                    testCase "sweeps its grid to the same ranked rows as the class called directly"
                    <| fun () ->
                        let candles = january.Value
                        let plugin = plugin "rsi-reversal"
                        let direct = RsiReversalStrategy() :> IStrategy

                        let settings =
                            { Sweep.defaultSettings with
                                MaxDegreeOfParallelism = 2
                            }

                        let viaPlugin =
                            Sweep.run Backtest.defaultSettings settings plugin candles plugin.ParameterGrid

                        let viaClass =
                            Sweep.run Backtest.defaultSettings settings direct candles direct.ParameterGrid

                        Expect.equal viaPlugin.Rows.Length 8 "2 × 2 × 2 combinations"
                        Expect.equal viaPlugin.Rows viaClass.Rows "rows"
                        Expect.equal viaPlugin.DeflatedSharpe viaClass.DeflatedSharpe "deflated Sharpe"
                ]

            testList
                "sma-trend (F# script)"
                [
                    testCase "signals follow the close against Core's SMA"
                    <| fun () ->
                        let candles = january.Value
                        let plugin = plugin "sma-trend"
                        let signals = evaluate plugin candles (Map.ofList [ "period", 50.0 ])
                        let sma = Indicator.sma 50 candles.Close

                        let expected =
                            Array.init candles.Length (fun t ->
                                if Double.IsNaN sma[t] then
                                    0
                                else
                                    sign (candles.Close[t] - sma[t]))

                        Expect.equal signals.Signal expected "signals"
                        Expect.equal signals.Signal.[0..48] (Array.zeroCreate 49) "no bet during the SMA warm-up"

                    testCase "backtests with the Core engine like its signals written by hand"
                    <| fun () ->
                        let candles = january.Value
                        let plugin = plugin "sma-trend"
                        let sma = Indicator.sma 20 candles.Close

                        let signal =
                            Array.init candles.Length (fun t ->
                                if Double.IsNaN sma[t] then
                                    0
                                else
                                    sign (candles.Close[t] - sma[t]))

                        let byHand =
                            {
                                Signal = signal
                                Size = signal |> Array.map (fun s -> if s = 0 then 0.0 else 10.0)
                            }

                        Expect.equal
                            (Backtest.run Backtest.seedSettings candles (evaluate plugin candles Map.empty))
                            (Backtest.run Backtest.seedSettings candles byHand)
                            "identical backtests"
                ]
        ]
