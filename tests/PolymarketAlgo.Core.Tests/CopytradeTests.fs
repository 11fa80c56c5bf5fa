module PolymarketAlgo.Core.Tests.CopytradeTests

open System
open System.Globalization
open System.IO
open System.Text.Json
open Expecto
open FsCheck
open FsCheck.FSharp
open PolymarketAlgo.Core
open PolymarketAlgo.Tests.TestHelpers

let private impact delayMs orderSize depth spread =
    (DelayImpact.calculate DelayImpact.defaults delayMs orderSize depth spread).ImpactPct

let private level price size = { Price = price; Size = size }

/// The §6.2 example book: asks 0.50×10 and 0.52×20 (given out of order), one bid at 0.48.
let private exampleBook =
    {
        Bids = [| level 0.48 10.0 |]
        Asks = [| level 0.52 20.0; level 0.50 10.0 |]
    }

let private walk book side amount delayMs =
    match BookWalk.estimate DelayImpact.defaults book side amount delayMs with
    | Ok estimate -> estimate
    | Error error -> failwithf "the book walk failed: %A" error

/// A candidate every default check accepts.
let private goodCandidate =
    {
        CopyDelayMs = 5000L
        ExecutionPrice = 0.60
        Spread = 0.01
        PriceMovementPct = 5.0
        DepthAtBest = 20.0
        VolatilityFactor = 0.5
    }

let private expectReject candidate reason =
    Expect.equal (SelectiveFilter.evaluate SelectiveFilter.defaults candidate) (Reject reason) reason

let private expectAccept candidate message =
    Expect.equal (SelectiveFilter.evaluate SelectiveFilter.defaults candidate) Accept message

/// A book with a few levels a side, prices in cents, sizes up to 100, and an order of up to $300.
let private books =
    gen {
        let side = Gen.choose (1, 99) |> Gen.map (fun c -> float c / 100.0)
        let size = Gen.choose (0, 10000) |> Gen.map (fun s -> float s / 100.0)
        let! bids = Gen.zip side size |> Gen.arrayOfLength 3
        let! asks = Gen.zip side size |> Gen.arrayOfLength 3
        let! amount = Gen.choose (1, 30000) |> Gen.map (fun a -> float a / 100.0)
        let! delay = Gen.choose (0, 60000)
        let! buy = Gen.elements [ Buy; Sell ]

        let book =
            {
                Bids = bids |> Array.map (fun (p, s) -> level p s)
                Asks = asks |> Array.map (fun (p, s) -> level p s)
            }

        return book, buy, amount, int64 delay
    }
    |> Arb.fromGen

// ---------------------------------------------------------------------------------------------------------------
// Recorded trades: seed_toolkit/trade_history_full.json
// ---------------------------------------------------------------------------------------------------------------

let private historyPath = sharedPath "data/seed_toolkit/trade_history_full.json"

let private history =
    lazy
        (use document = JsonDocument.Parse(File.ReadAllText historyPath)
         document.RootElement.EnumerateArray() |> Seq.map _.Clone() |> Array.ofSeq)

/// The current-format records are the nested ones (with a "market" object); the older flat ones have none.
let private isNested (record: JsonElement) =
    match record.TryGetProperty "market" with
    | true, market -> market.ValueKind = JsonValueKind.Object
    | _ -> false

let private number (element: JsonElement) (path: string) =
    let value =
        path.Split '.'
        |> Array.fold (fun (e: JsonElement) name -> e.GetProperty name) element

    value.GetDouble()

let private integer (element: JsonElement) (path: string) =
    let value =
        path.Split '.'
        |> Array.fold (fun (e: JsonElement) name -> e.GetProperty name) element

    value.GetInt64()

let private flag (element: JsonElement) (path: string) =
    let value =
        path.Split '.'
        |> Array.fold (fun (e: JsonElement) name -> e.GetProperty name) element

    value.GetBoolean()

let private recordId (record: JsonElement) =
    match record.TryGetProperty "id" with
    | true, id -> id.GetString()
    | _ -> string (integer record "timestamp")

/// Floats the Python toolkit computed the same way must come out bit for bit the same.
let private exactly (actual: float) (expected: float) (what: string) =
    Expect.equal
        (actual.ToString("R", CultureInfo.InvariantCulture))
        (expected.ToString("R", CultureInfo.InvariantCulture))
        what

/// Recomputes one nested copytrade record from its inputs and compares every derived value.
///
/// Inputs: copytrade.delay_ms; position.amount (the order in dollars); execution.best_bid and best_ask;
/// copytrade.delay_breakdown.depth_at_best (the only record of the depth, rounded to cents; it enters only through
/// the liquidity factor, which is clamped at 0.5 for these $1 orders, so the rounding cannot matter);
/// execution.entry_price (the Gamma price at the signal); fees.rate_bps; settlement.won.
/// The book is rebuilt as one ask level holding that depth and one bid level.
///
/// Derived and compared: execution.spread, slippage_pct, fill_pct, fill_price (the delayed execution price),
/// price_movement_pct; copytrade.delay_impact_pct and the whole delay_breakdown; fees.pct (the legacy fee at the
/// fill price); position.shares; settlement.gross_payout, gross_profit, fee_amount and net_profit.
let private checkNested (record: JsonElement) =
    let id = recordId record
    let delayMs = integer record "copytrade.delay_ms"
    let amount = number record "position.amount"
    let bestBid = number record "execution.best_bid"
    let bestAsk = number record "execution.best_ask"
    let depth = number record "copytrade.delay_breakdown.depth_at_best"
    let priceAtSignal = number record "execution.entry_price"
    let feeBps = integer record "fees.rate_bps" |> int
    let won = flag record "settlement.won"

    Expect.equal (number record "copytrade.delay_breakdown.liquidity_factor") 0.5 $"{id}: liquidity factor clamped"

    let book =
        {
            Bids = [| level bestBid 1.0 |]
            Asks = [| level bestAsk (depth / bestAsk) |]
        }

    let estimate = walk book Buy amount delayMs
    exactly estimate.Spread (number record "execution.spread") $"{id}: spread"
    exactly estimate.SlippagePct (number record "execution.slippage_pct") $"{id}: slippage"
    exactly estimate.FillPct (number record "execution.fill_pct") $"{id}: fill"
    exactly estimate.DelayImpactPct (number record "copytrade.delay_impact_pct") $"{id}: delay impact"
    exactly estimate.ExecutionPrice (number record "execution.fill_price") $"{id}: execution price"

    let movement =
        SelectiveFilter.priceMovementPct priceAtSignal estimate.ExecutionPrice

    exactly movement (number record "execution.price_movement_pct") $"{id}: price movement"

    let breakdown = record.GetProperty("copytrade").GetProperty("delay_breakdown")
    let b name = number breakdown name

    let expected =
        {
            DelayMs = integer breakdown "delay_ms"
            DelaySeconds = b "delay_seconds"
            BaseImpact = b "base_impact"
            LiquidityFactor = b "liquidity_factor"
            VolatilityFactor = b "volatility_factor"
            FinalImpactPct = b "final_impact_pct"
            OrderSize = b "order_size"
            DepthAtBest = b "depth_at_best"
            Spread = b "spread"
        }

    Expect.equal estimate.DelayBreakdown (Some expected) $"{id}: delay breakdown"

    let feeFraction = LegacyFee.fraction estimate.ExecutionPrice feeBps
    exactly feeFraction (number record "fees.pct") $"{id}: fee fraction"

    let settlement = Settlement.settle amount estimate.ExecutionPrice feeFraction won
    exactly settlement.Shares (number record "position.shares") $"{id}: shares"
    exactly settlement.GrossPayout (number record "settlement.gross_payout") $"{id}: gross payout"
    exactly settlement.GrossProfit (number record "settlement.gross_profit") $"{id}: gross profit"
    exactly settlement.FeeAmount (number record "settlement.fee_amount") $"{id}: fee amount"
    exactly settlement.NetProfit (number record "settlement.net_profit") $"{id}: net profit"

[<Tests>]
let tests =
    testList
        "Copytrade"
        [
            testList
                "PythonFloat"
                [
                    testCase "rounds the stored binary value, not the decimal literal"
                    <| fun () ->
                        Expect.equal (PythonFloat.round 2 10.415) 10.41 "10.415 is stored below"
                        Expect.equal (PythonFloat.round 2 2.675) 2.67 "2.675 is stored below"
                        Expect.equal (PythonFloat.round 2 1.005) 1.0 "1.005 is stored below"
                        Expect.equal (PythonFloat.round 2 0.285) 0.28 "0.285 is stored below"
                    testCase "rounds exact halves to even"
                    <| fun () ->
                        Expect.equal (PythonFloat.round 2 0.125) 0.12 "0.125"
                        Expect.equal (PythonFloat.round 2 0.375) 0.38 "0.375"
                        Expect.equal (PythonFloat.round 0 2.5) 2.0 "2.5"
                        Expect.equal (PythonFloat.round 0 3.5) 4.0 "3.5"
                        Expect.equal (PythonFloat.round 1 -0.25) -0.2 "-0.25"
                    testCase "keeps the sign and leaves large and special values alone"
                    <| fun () ->
                        Expect.equal (PythonFloat.round 2 -2.675) -2.67 "-2.675"
                        Expect.equal (PythonFloat.round 2 1e300) 1e300 "1e300"
                        Expect.isTrue (Double.IsNaN(PythonFloat.round 2 nan)) "NaN"
                    testCase "formats like Python's fixed-point format"
                    <| fun () ->
                        Expect.equal (PythonFloat.format 1 20.999) "21.0" "20.999"
                        Expect.equal (PythonFloat.format 2 0.125) "0.12" "0.125"
                        Expect.equal (PythonFloat.format 3 0.03) "0.030" "0.03"
                    testProp "agrees with correctly rounded formatting away from exact halves"
                    <| fun (value: NormalFloat) (digits: byte) ->
                        let digits = int digits % 8
                        let x = value.Get

                        let expected =
                            Double.Parse(x.ToString("F" + string digits, CultureInfo.InvariantCulture))

                        let scaled = x * Math.Pow(10.0, float digits)
                        let isHalf = abs (scaled - Math.Truncate scaled) = 0.5
                        isHalf || abs x > 1e15 || PythonFloat.round digits x = expected
                ]
            testList
                "DelayImpact"
                [
                    testCase "is 0.8 % after one second"
                    <| fun () -> close 1e-12 (impact 1000L 0.0 0.0 0.0) 0.8 "1000 ms"
                    testCase "is 1.6 % after four seconds"
                    <| fun () -> close 1e-12 (impact 4000L 0.0 0.0 0.0) 1.6 "4000 ms"
                    testCase "is 2.4 % after nine seconds"
                    <| fun () -> close 1e-12 (impact 9000L 0.0 0.0 0.0) 2.4 "9000 ms"
                    testCase "doubles for an order of twice the half depth and grows 1.5 times at a 0.03 spread"
                    <| fun () -> close 1e-12 (impact 4000L 10.0 10.0 0.03) 4.8 "4000 ms, 10 / 10 / 0.03"
                    testCase "caps both factors at 2"
                    <| fun () -> close 1e-12 (impact 4000L 100.0 10.0 0.1) 6.4 "4000 ms, 100 / 10 / 0.1"
                    testCase "caps the impact at 10 %"
                    <| fun () -> Expect.equal (impact 200000L 0.0 0.0 0.0) 10.0 "200000 ms"
                    testCase "floors the liquidity factor at 0.5"
                    <| fun () -> close 1e-6 (impact 2500L 5.0 50.0 0.02) 0.632456 "2500 ms, 5 / 50 / 0.02"
                    testCase "is nothing without a delay"
                    <| fun () ->
                        let estimate = DelayImpact.calculate DelayImpact.defaults 0L 10.0 10.0 0.03
                        Expect.equal estimate { ImpactPct = 0.0; Breakdown = None } "0 ms"
                        Expect.equal (impact -5L 10.0 10.0 0.03) 0.0 "negative delay"
                    testCase "breaks the impact down rounded like the original"
                    <| fun () ->
                        let estimate =
                            DelayImpact.calculate DelayImpact.defaults 10415L 1.0 22.85 (0.55 - 0.54)

                        let expected =
                            {
                                DelayMs = 10415L
                                DelaySeconds = 10.41
                                BaseImpact = 2.5818
                                LiquidityFactor = 0.5
                                VolatilityFactor = 0.5
                                FinalImpactPct = 0.6454
                                OrderSize = 1.0
                                DepthAtBest = 22.85
                                Spread = 0.01
                            }

                        Expect.equal estimate.Breakdown (Some expected) "breakdown"
                        Expect.equal estimate.ImpactPct 0.6454455825241976 "unrounded impact"
                    testProp "stays within [0, max impact]"
                    <| fun (delay: int) (order: NormalFloat) (depth: NormalFloat) (spread: NormalFloat) ->
                        let value = impact (int64 delay) order.Get depth.Get spread.Get
                        value >= 0.0 && value <= 10.0
                    testProp "never falls as the delay grows"
                    <| fun (a: uint16) (b: uint16) (order: NormalFloat) (depth: NormalFloat) ->
                        let shorter, longer = min a b, max a b

                        impact (int64 shorter * 10L) order.Get depth.Get 0.02
                        <= impact (int64 longer * 10L) order.Get depth.Get 0.02
                ]
            testList
                "BookWalk"
                [
                    testCase "buys $10 at 0.5098039 with 1.9608 % slippage"
                    <| fun () ->
                        let estimate = walk exampleBook Buy 10.0 0L
                        close 1e-7 estimate.ExecutionPrice 0.5098039 "execution price"
                        close 1e-4 estimate.SlippagePct 1.9608 "slippage"
                        close 1e-12 estimate.FillPct 100.0 "fill"
                        close 1e-12 estimate.Spread 0.02 "spread"
                        close 1e-12 estimate.DepthAtBest 5.0 "depth at the best ask"
                        Expect.equal (estimate.BestBid, estimate.BestAsk) (0.48, 0.50) "best bid and ask"
                        Expect.equal estimate.DelayBreakdown None "no delay"
                    testCase "fills 77 % of $20 at 15.4/30"
                    <| fun () ->
                        let estimate = walk exampleBook Buy 20.0 0L
                        close 1e-12 estimate.ExecutionPrice (15.4 / 30.0) "execution price"
                        close 1e-7 estimate.ExecutionPrice 0.5133333 "execution price"
                        close 1e-4 estimate.SlippagePct 2.6667 "slippage"
                        close 1e-9 estimate.FillPct 77.0 "fill"
                    testCase "sells into the bids from the highest down"
                    <| fun () ->
                        let book =
                            {
                                Bids = [| level 0.40 10.0; level 0.45 10.0 |]
                                Asks = [| level 0.47 5.0 |]
                            }

                        let estimate = walk book Sell 6.5 0L
                        close 1e-12 estimate.ExecutionPrice (6.5 / 15.0) "4.5 for 10 shares, then 2 for 5"
                        close 1e-12 estimate.SlippagePct ((0.45 - 6.5 / 15.0) / 0.45 * 100.0) "slippage"
                        close 1e-12 estimate.DepthAtBest 4.5 "depth at the best bid"
                    testCase "moves a delayed buy up by the delay impact"
                    <| fun () ->
                        let estimate = walk exampleBook Buy 10.0 4000L
                        close 1e-12 estimate.DelayImpactPct 3.2 "1.6 % · liquidity 2 · volatility 1"
                        close 1e-12 estimate.ExecutionPrice (10.0 / (10.0 + 5.0 / 0.52) * 1.032) "execution price"
                        close 1e-4 estimate.SlippagePct 1.9608 "slippage excludes the delay"
                    testCase "moves a delayed sell down by the delay impact"
                    <| fun () ->
                        let estimate = walk exampleBook Sell 1.0 1000L
                        close 1e-12 estimate.ExecutionPrice (0.48 * (1.0 - estimate.DelayImpactPct / 100.0)) "price"
                        Expect.isLessThan estimate.ExecutionPrice 0.48 "below the bid"
                    testCase "clamps a delayed price to [0.01, 0.99]"
                    <| fun () ->
                        let high =
                            {
                                Bids = [| level 0.97 100.0 |]
                                Asks = [| level 0.98 100.0 |]
                            }

                        let low =
                            {
                                Bids = [| level 0.011 10.0 |]
                                Asks = [| level 0.06 100.0 |]
                            }

                        Expect.equal (walk high Buy 1.0 200000L).ExecutionPrice 0.99 "buy"
                        let sell = walk low Sell 1.0 200000L
                        Expect.equal sell.DelayImpactPct 10.0 "the capped impact"
                        Expect.equal sell.ExecutionPrice 0.01 "sell"
                    testCase "does not clamp without a delay"
                    <| fun () ->
                        let book =
                            {
                                Bids = [| level 0.99 100.0 |]
                                Asks = [| level 0.995 100.0 |]
                            }

                        let estimate = walk book Buy 1.0 0L
                        close 1e-12 estimate.ExecutionPrice 0.995 "no clamp"
                        Expect.isGreaterThan estimate.ExecutionPrice 0.99 "above the clamp"
                    testCase "reports the mid-price at 0 % fill when no level has size"
                    <| fun () ->
                        let book =
                            {
                                Bids = [| level 0.40 0.0 |]
                                Asks = [| level 0.60 0.0 |]
                            }

                        let estimate = walk book Buy 10.0 5000L
                        close 1e-12 estimate.ExecutionPrice 0.5 "mid"
                        Expect.equal estimate.FillPct 0.0 "fill"
                        Expect.equal estimate.DelayImpactPct 0.0 "no delay impact"
                    testCase "fails on a book without bids or without asks"
                    <| fun () ->
                        let noBids = { exampleBook with Bids = [||] }
                        let noAsks = { exampleBook with Asks = [||] }

                        Expect.equal
                            (BookWalk.estimate DelayImpact.defaults noBids Buy 10.0 0L)
                            (Error NoBids)
                            "no bids"

                        Expect.equal
                            (BookWalk.estimate DelayImpact.defaults noAsks Buy 10.0 0L)
                            (Error NoAsks)
                            "no asks"
                    testCase "rejects a non-positive amount"
                    <| fun () ->
                        Expect.throwsT<ArgumentException>
                            (fun () -> BookWalk.estimate DelayImpact.defaults exampleBook Buy 0.0 0L |> ignore)
                            "amount 0"
                    testProp "fills between 0 and 100 %"
                    <| fun () ->
                        Prop.forAll books (fun (book, side, amount, delay) ->
                            let estimate = walk book side amount delay
                            estimate.FillPct >= 0.0 && estimate.FillPct <= 100.0 + 1e-9)
                    testProp "keeps a delayed price within [0.01, 0.99]"
                    <| fun () ->
                        Prop.forAll books (fun (book, side, amount, delay) ->
                            let estimate = walk book side amount (delay + 1L)
                            estimate.ExecutionPrice >= 0.01 && estimate.ExecutionPrice <= 0.99)
                    testProp "fills without delay between the best and the worst level taken"
                    <| fun () ->
                        Prop.forAll books (fun (book, side, amount, _) ->
                            let estimate = walk book side amount 0L
                            let levels = if side = Buy then book.Asks else book.Bids
                            let prices = levels |> Array.filter (fun l -> l.Size > 0.0) |> Array.map _.Price

                            estimate.FillPct = 0.0
                            || estimate.ExecutionPrice >= Array.min prices - 1e-12
                               && estimate.ExecutionPrice <= Array.max prices + 1e-12)
                ]
            testList
                "SelectiveFilter"
                [
                    testCase "accepts a copy that passes every check"
                    <| fun () -> expectAccept goodCandidate "good candidate"
                    testProp
                        "off accepts every copy with a non-negative delay, depth and volatility and a fill price in [0, 1]"
                    <| fun
                           (delay: uint32)
                           (fill: float)
                           (spread: float)
                           (move: float)
                           (depth: float)
                           (volatility: float) ->
                        let finite (x: float) =
                            if Double.IsFinite x then abs x else 0.0

                        let candidate =
                            {
                                CopyDelayMs = int64 delay
                                ExecutionPrice = finite fill % 1.0
                                Spread = finite spread
                                PriceMovementPct = finite move
                                DepthAtBest = finite depth
                                VolatilityFactor = finite volatility
                            }

                        SelectiveFilter.evaluate SelectiveFilter.off candidate = Accept
                    testCase "rejects a delay over the maximum"
                    <| fun () ->
                        expectReject
                            { goodCandidate with
                                CopyDelayMs = 21000L
                            }
                            "delay 21.0s > 20.0s max"

                        expectAccept
                            { goodCandidate with
                                CopyDelayMs = 20000L
                            }
                            "exactly the maximum delay"
                    testCase "rejects a fill price under the minimum but skips the check at 0"
                    <| fun () ->
                        expectReject
                            { goodCandidate with
                                ExecutionPrice = 0.54
                            }
                            "fill_price 0.54 < 0.55 min"

                        expectAccept
                            { goodCandidate with
                                ExecutionPrice = 0.0
                            }
                            "unknown fill price"

                        expectAccept
                            { goodCandidate with
                                ExecutionPrice = 0.55
                            }
                            "exactly the minimum"
                    testCase "rejects a fill price over the maximum"
                    <| fun () ->
                        expectReject
                            { goodCandidate with
                                ExecutionPrice = 0.81
                            }
                            "fill_price 0.81 > 0.80 max"

                        expectAccept
                            { goodCandidate with
                                ExecutionPrice = 0.80
                            }
                            "exactly the maximum"
                    testCase "rejects a price move over the maximum either way"
                    <| fun () ->
                        expectReject
                            { goodCandidate with
                                PriceMovementPct = -16.04
                            }
                            "price_move 16.0% > 15.0% max"

                        expectReject
                            { goodCandidate with
                                PriceMovementPct = 15.05
                            }
                            "price_move 15.1% > 15.0% max"

                        expectAccept
                            { goodCandidate with
                                PriceMovementPct = -15.0
                            }
                            "exactly the maximum"
                    testCase "rejects a spread over the maximum"
                    <| fun () ->
                        expectReject { goodCandidate with Spread = 0.03 } "spread 0.030 > 0.025 max"
                        expectAccept { goodCandidate with Spread = 0.025 } "exactly the maximum"
                    testCase "rejects a volatility factor at or over the maximum"
                    <| fun () ->
                        expectReject
                            { goodCandidate with
                                VolatilityFactor = 1.25
                            }
                            "volatility_factor 1.25 >= 1.25 max"

                        expectReject
                            { goodCandidate with
                                VolatilityFactor = 2.0
                            }
                            "volatility_factor 2.00 >= 1.25 max"

                        expectAccept
                            { goodCandidate with
                                VolatilityFactor = 1.24
                            }
                            "just under the maximum"
                    testCase "rejects a depth under the minimum"
                    <| fun () ->
                        expectReject
                            { goodCandidate with
                                DepthAtBest = 4.99
                            }
                            "depth 4.99 < 5.00 min"

                        expectAccept { goodCandidate with DepthAtBest = 5.0 } "exactly the minimum"
                    testCase "reports the first failed check in the original order"
                    <| fun () ->
                        let bad =
                            {
                                CopyDelayMs = 30000L
                                ExecutionPrice = 0.9
                                Spread = 0.05
                                PriceMovementPct = 40.0
                                DepthAtBest = 1.0
                                VolatilityFactor = 2.0
                            }

                        expectReject bad "delay 30.0s > 20.0s max"
                        expectReject { bad with CopyDelayMs = 0L } "fill_price 0.90 > 0.80 max"

                        expectReject
                            { bad with
                                CopyDelayMs = 0L
                                ExecutionPrice = 0.7
                            }
                            "price_move 40.0% > 15.0% max"

                        expectReject
                            { bad with
                                CopyDelayMs = 0L
                                ExecutionPrice = 0.7
                                PriceMovementPct = 0.0
                            }
                            "spread 0.050 > 0.025 max"

                        expectReject
                            { bad with
                                CopyDelayMs = 0L
                                ExecutionPrice = 0.7
                                PriceMovementPct = 0.0
                                Spread = 0.01
                            }
                            "volatility_factor 2.00 >= 1.25 max"
                    testCase "uses a custom configuration"
                    <| fun () ->
                        let config =
                            { SelectiveFilter.defaults with
                                MaxDelayMs = 8000L
                                MinFillPrice = 0.5
                            }

                        Expect.equal
                            (SelectiveFilter.evaluate
                                config
                                { goodCandidate with
                                    CopyDelayMs = 8500L
                                })
                            (Reject "delay 8.5s > 8.0s max")
                            "max delay 8 s"

                        Expect.equal
                            (SelectiveFilter.evaluate
                                config
                                { goodCandidate with
                                    ExecutionPrice = 0.52
                                })
                            Accept
                            "min fill 0.5"
                    testCase "builds its candidate from a book walk like the copybot"
                    <| fun () ->
                        let estimate = walk exampleBook Buy 10.0 4000L
                        let candidate = SelectiveFilter.candidate 4000L 0.5 estimate
                        Expect.equal candidate.VolatilityFactor 1.0 "the rounded factor of the breakdown"

                        close
                            1e-12
                            candidate.PriceMovementPct
                            ((estimate.ExecutionPrice - 0.5) / 0.5 * 100.0)
                            "price movement"

                        Expect.equal candidate.DepthAtBest 5.0 "depth"

                        let undelayed = SelectiveFilter.candidate 0L 0.5 (walk exampleBook Buy 10.0 0L)
                        Expect.equal undelayed.VolatilityFactor 1.0 "1 without a breakdown"

                        Expect.equal
                            (SelectiveFilter.evaluate SelectiveFilter.defaults candidate)
                            (Reject "fill_price 0.53 < 0.55 min")
                            "decision"
                ]
            testList
                "LegacyFee"
                [
                    testCase "charges 2.5 % at 0.50 with 1000 bps"
                    <| fun () -> close 1e-15 (LegacyFee.fraction 0.5 1000) 0.025 "0.5"
                    testCase "charges 2.475 % at 0.55"
                    <| fun () -> close 1e-15 (LegacyFee.fraction 0.55 1000) 0.02475 "0.55"
                    testCase "charges 2.1 % at 0.30"
                    <| fun () -> close 1e-15 (LegacyFee.fraction 0.3 1000) 0.021 "0.3"
                    testCase "charges 0.9 % at 0.90"
                    <| fun () -> close 1e-15 (LegacyFee.fraction 0.9 1000) 0.009 "0.9"
                    testCase "charges nothing at 0 bps"
                    <| fun () -> Expect.equal (LegacyFee.fraction 0.5 0) 0.0 "0 bps"
                    testProp "is never negative and at most bps/40000 for a price in [0, 1]"
                    <| fun (cents: byte) (bps: uint16) ->
                        let price = float (int cents % 101) / 100.0
                        let fee = LegacyFee.fraction price (int bps)
                        fee >= 0.0 && fee <= float bps / 40000.0 + 1e-15
                ]
            testList
                "Settlement"
                [
                    testCase "pays 4.875 net on a $5 win at 0.50 with a 2.5 % fee"
                    <| fun () ->
                        Expect.equal
                            (Settlement.settle 5.0 0.5 0.025 true)
                            {
                                Won = true
                                Shares = 10.0
                                GrossPayout = 10.0
                                GrossProfit = 5.0
                                FeeAmount = 0.125
                                NetProfit = 4.875
                            }
                            "win"
                    testCase "loses the amount on a loss"
                    <| fun () ->
                        Expect.equal
                            (Settlement.settle 5.0 0.5 0.025 false)
                            {
                                Won = false
                                Shares = 10.0
                                GrossPayout = 0.0
                                GrossProfit = -5.0
                                FeeAmount = 0.0
                                NetProfit = -5.0
                            }
                            "loss"
                    testCase "charges no fee on a win without profit"
                    <| fun () ->
                        let settlement = Settlement.settle 5.0 1.0 0.025 true
                        Expect.equal (settlement.FeeAmount, settlement.NetProfit) (0.0, 0.0) "at a price of 1"
                    testProp "never loses more than the amount and never wins more than the gross profit"
                    <| fun (stake: uint16) (cents: byte) (feeBps: uint16) (won: bool) ->
                        let amount = float stake / 100.0
                        let price = float (1 + int cents % 99) / 100.0
                        let fee = float (int feeBps % 10001) / 10000.0
                        let settlement = Settlement.settle amount price fee won

                        settlement.NetProfit >= -amount
                        && settlement.NetProfit <= settlement.GrossProfit
                        && settlement.FeeAmount >= 0.0
                ]
            testList
                "recorded trade history"
                [
                    testCase "holds 10 current-format copytrades, 5 won and 5 lost, and 15 older flat records"
                    <| fun () ->
                        let nested, flat = history.Value |> Array.partition isNested
                        Expect.equal nested.Length 10 "nested records"
                        Expect.equal flat.Length 15 "flat records"

                        let wins = nested |> Array.filter (fun r -> flag r "settlement.won") |> Array.length
                        Expect.equal wins 5 "wins"

                        for record in nested do
                            Expect.equal
                                (record.GetProperty("context").GetProperty("strategy").GetString())
                                "copytrade"
                                "strategy"
                    testCase "reproduces every current-format copytrade bit for bit"
                    <| fun () -> history.Value |> Array.filter isNested |> Array.iter checkNested
                    testCase "settles the older flat records by the same formulas"
                    <| fun () ->
                        let settled =
                            history.Value
                            |> Array.filter (fun r ->
                                not (isNested r) && r.GetProperty("won").ValueKind <> JsonValueKind.Null)

                        Expect.equal settled.Length 13 "settled flat records"

                        for record in settled do
                            let id = recordId record
                            let price = number record "execution_price"
                            let feeFraction = LegacyFee.fraction price (int (integer record "fee_rate_bps"))
                            exactly feeFraction (number record "fee_pct") $"{id}: fee fraction"

                            let settlement =
                                Settlement.settle (number record "amount") price feeFraction (flag record "won")

                            exactly settlement.Shares (number record "shares_bought") $"{id}: shares"
                            exactly settlement.FeeAmount (number record "fee_amount") $"{id}: fee amount"
                            exactly settlement.NetProfit (number record "net_profit") $"{id}: net profit"
                    testCase "shows the flat records came from the older linear delay model, not this one"
                    <| fun () ->
                        for record in history.Value |> Array.filter (isNested >> not) do
                            let delayMs = integer record "copy_delay_ms"
                            let recorded = number record "delay_impact_pct"
                            let linear = min 5.0 (float delayMs / 1000.0 * 0.3)
                            exactly linear recorded $"{delayMs} ms: 0.3 %% per second, capped at 5 %%"
                            Expect.notEqual (impact delayMs 5.0 0.0 0.01) recorded $"{delayMs} ms: the current model"
                ]
        ]
