module PolymarketAlgo.Core.Tests.AgreementTests

open System
open System.Collections.Generic
open Expecto
open PolymarketAlgo.Core
open PolymarketAlgo.Tests.TestHelpers
open PolymarketAlgo.Core.Tests.NativeData

let private fiveMinutes = TimeSpan.FromMinutes 5.0
let private streak = Map [ "trigger", 4.0; "size", 15.0 ]

let private compareOrFail (candles: CandleColumns) (windows: HistoryWindow[]) =
    match Agreement.compare Backtest.defaultSettings StreakReversal.strategy streak candles fiveMinutes windows with
    | Ok comparison -> comparison
    | Error error -> failwithf "%A" error

/// The proxy's streak bets counted directly over candle closes (direction +1 when the close rose, else −1, the
/// first bar −1; a bet on the next bar, which is Up when its close is at least this one): (bar, bet) pairs.
let private proxyBets (trigger: int) (close: float[]) =
    let bets = ResizeArray()
    let mutable run = 0
    let mutable previous = 0

    for t in 0 .. close.Length - 2 do
        let direction = if t > 0 && close[t] > close[t - 1] then 1 else -1
        run <- if direction = previous then run + 1 else 1
        previous <- direction

        if run >= trigger then
            bets.Add(t, -direction)

    bets.ToArray()

let private fee = 15.0 * Fees.CryptoTakerRate * 0.25
let private scored (won: bool) = if won then 7.5 - fee else -7.5 - fee

[<Tests>]
let tests =
    testList
        "Agreement"
        [
            testCase "candles whose closes step with the outcomes agree fully and rescore to the proxy's own P&L"
            <| fun () ->
                let t0 = DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)

                let outcomes =
                    [| 1; 1; -1; -1; -1; -1; -1; 1; 1; 1; 1; 1; -1; 1; -1; -1; -1; -1; 1 |]

                let close = Array.scan (fun level o -> level + float o) 100.0 outcomes

                let candles =
                    Candles.ofArrays
                        [| for i in 0 .. close.Length - 1 -> t0.AddMinutes(5.0 * float (i - 1)) |]
                        (Array.append [| 100.0 |] close[.. close.Length - 2])
                        close
                        close
                        close
                        (Array.zeroCreate close.Length)

                let windows =
                    outcomes
                    |> Array.mapi (fun i o ->
                        {
                            Start = t0.AddMinutes(5.0 * float i)
                            Outcome = o
                            UpPrice = Double.NaN
                        })

                let comparison = compareOrFail candles windows
                Expect.equal comparison.Agreement.Matched outcomes.Length "every window has its candle"
                Expect.equal comparison.Agreement.ColourAgreements outcomes.Length "colours agree"
                Expect.equal comparison.Agreement.StepAgreements outcomes.Length "steps agree"
                Expect.equal comparison.Rescored comparison.Proxy "rescoring changes nothing"
                Expect.isGreaterThan comparison.Proxy.TradeCount 0 "the proxy bets"

            testSequenced
            <| testList
                "Binance futures December 2025 against felixdoteth"
                [
                    testCase "candle colour agrees with the real outcome on 93–97% of the overlapping windows"
                    <| fun () ->
                        let rows = futuresDecember.Value
                        let byTime = Dictionary<int64, float * float>()

                        for time, o, c in rows do
                            byTime[time / 1000L] <- (o, c)

                        let mutable matched = 0
                        let mutable agree = 0
                        let mutable stepMatched = 0
                        let mutable stepAgree = 0

                        for start, outcome in felixOutcomes.Value do
                            match byTime.TryGetValue start with
                            | true, (o, c) ->
                                matched <- matched + 1

                                if (if c >= o then 1 else -1) = outcome then
                                    agree <- agree + 1

                                match byTime.TryGetValue(start - 300L) with
                                | true, (_, previous) ->
                                    stepMatched <- stepMatched + 1

                                    if (if c >= previous then 1 else -1) = outcome then
                                        stepAgree <- stepAgree + 1
                                | _ -> ()
                            | _ -> ()

                        let measured =
                            Agreement.measure futuresDecemberCandles.Value fiveMinutes felixWindows.Value

                        Expect.equal measured.Windows matched "every overlapping window has a candle"
                        Expect.equal (measured.Matched, measured.ColourAgreements) (matched, agree) "colour"
                        Expect.equal (measured.StepMatched, measured.StepAgreements) (stepMatched, stepAgree) "step"

                        printfn
                            $"agreement over {matched} windows: colour {measured.ColourRate:P2}, close-to-close {measured.StepRate:P2}"

                        Expect.isGreaterThan measured.ColourRate 0.93 "at least 93%"
                        Expect.isLessThan measured.ColourRate 0.97 "under 97%"

                    testCase "the proxy and real streak backtests differ by what the bets counted directly say"
                    <| fun () ->
                        let candles = futuresDecemberCandles.Value
                        let comparison = compareOrFail candles felixWindows.Value
                        let first = comparison.First.ToUnixTimeSeconds()
                        let last = comparison.Last.ToUnixTimeSeconds()

                        let overlap =
                            felixOutcomes.Value |> Array.filter (fun (s, _) -> s >= first && s <= last)

                        let realTrades, _, realPnl = streakBets 4 15.0 0.5 Fees.CryptoTakerRate overlap

                        let start = candles.Time |> Array.findIndex (fun t -> t = comparison.First)
                        let finish = candles.Time |> Array.findIndex (fun t -> t = comparison.Last)
                        let closes = candles.Close[start..finish]
                        let bets = proxyBets 4 closes

                        let proxyPnl =
                            bets
                            |> Array.sumBy (fun (t, bet) -> scored ((bet = 1) = (closes[t + 1] >= closes[t])))

                        let outcome = dict overlap

                        let rescored =
                            bets
                            |> Array.choose (fun (t, bet) ->
                                match outcome.TryGetValue(candles.Time[start + t + 1].ToUnixTimeSeconds()) with
                                | true, o -> Some(scored (bet = o))
                                | _ -> None)

                        Expect.equal comparison.Candles closes.Length "candles in the overlap"
                        Expect.equal comparison.Real.TradeCount realTrades "real trades"
                        close 1e-6 comparison.Real.TotalPnl realPnl "real P&L"
                        Expect.equal comparison.Proxy.TradeCount bets.Length "proxy trades"
                        close 1e-6 comparison.Proxy.TotalPnl proxyPnl "proxy P&L"
                        Expect.equal comparison.Rescored.TradeCount rescored.Length "rescored trades"
                        close 1e-6 comparison.Rescored.TotalPnl (Array.sum rescored) "rescored P&L"
                        close 1e-6 comparison.PnlDifference (realPnl - proxyPnl) "difference"

                        printfn
                            $"{comparison.First:u} .. {comparison.Last:u}: proxy {bets.Length} bets P&L {proxyPnl:F2}, real {realTrades} bets P&L {realPnl:F2}, proxy bets rescored {Array.sum rescored:F2}"
                ]
        ]
