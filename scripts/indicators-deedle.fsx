// Indicators as Deedle series: load candles, add EMA/RSI/MACD columns to the frame, print the last rows.
// Run: dotnet fsi scripts/indicators-deedle.fsx [DATA_PATH] [--smoke]
#load "_references.fsx"

open Deedle
open PolymarketAlgo.Core
open PolymarketAlgo.Data
open _references

let candles = CandleLoader.Load dataPath

let frame =
    Candles.toFrame (
        if smoke then
            CandleSeries.Slice(candles, 0, 5_000)
        else
            candles
    )

let close: Series<System.DateTimeOffset, float> = frame.GetColumn "close"

frame.AddColumn("ema20", Indicator.emaSeries 20 close)
frame.AddColumn("rsi14", Indicator.rsiSeries 14 close)
let macd = Indicator.macdFrame 12 26 9 close
frame.AddColumn("macd", macd.GetColumn<float> "macd")

let tail = frame |> Frame.takeLast 5
tail.Print()

let last = tail.GetColumn<float> "rsi14" |> Series.lastValue

if not (last >= 0.0 && last <= 100.0) then
    failwithf "RSI out of range: %f" last
