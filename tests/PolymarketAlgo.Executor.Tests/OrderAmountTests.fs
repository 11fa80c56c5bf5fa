module PolymarketAlgo.Executor.Tests.OrderAmountTests

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open PolymarketAlgo.Executor.Orders
open PolymarketAlgo.Tests.TestHelpers
open PolymarketAlgo.Executor.Tests.OrderGenerators

let tick (value: decimal) = TickSize.FromValue value

/// §6.5 limit-order vectors (clob-client-v2 buildOrderCreationArgs + py test_builder): id, side, price, size, tick, maker, taker.
let limitVectors =
    [
        "L1", Side.Buy, 0.5m, 21.04m, 0.1m, 10520000L, 21040000L
        "L2", Side.Buy, 0.56m, 21.04m, 0.01m, 11782400L, 21040000L
        "L3", Side.Buy, 0.056m, 21.04m, 0.001m, 1178240L, 21040000L
        "L4", Side.Buy, 0.0056m, 21.04m, 0.0001m, 117824L, 21040000L
        "L5", Side.Sell, 0.5m, 21.04m, 0.1m, 21040000L, 10520000L
        "L6", Side.Sell, 0.56m, 21.04m, 0.01m, 21040000L, 11782400L
        "L7", Side.Sell, 0.056m, 21.04m, 0.001m, 21040000L, 1178240L
        "L8", Side.Sell, 0.0056m, 21.04m, 0.0001m, 21040000L, 117824L
        "L9", Side.Buy, 0.7m, 170m, 0.1m, 119000000L, 170000000L
        "L10", Side.Buy, 0.8m, 101m, 0.1m, 80800000L, 101000000L
        "L11", Side.Buy, 0.7m, 12.8205m, 0.1m, 8974000L, 12820000L
        "L12", Side.Buy, 0.3m, 2435.89m, 0.1m, 730767000L, 2435890000L
        "L13", Side.Sell, 0.7m, 170m, 0.1m, 170000000L, 119000000L
        "L14", Side.Sell, 0.8m, 101m, 0.1m, 101000000L, 80800000L
        "L15", Side.Sell, 0.7m, 12.8205m, 0.1m, 12820000L, 8974000L
        "L16", Side.Sell, 0.3m, 2435.89m, 0.1m, 2435890000L, 730767000L
        "L17", Side.Buy, 0.7m, 170m, 0.01m, 119000000L, 170000000L
        "L18", Side.Buy, 0.82m, 101m, 0.01m, 82820000L, 101000000L
        "L19", Side.Buy, 0.78m, 12.8205m, 0.01m, 9999600L, 12820000L
        "L20", Side.Buy, 0.39m, 2435.89m, 0.01m, 949997100L, 2435890000L
        "L21", Side.Sell, 0.7m, 170m, 0.01m, 170000000L, 119000000L
        "L22", Side.Sell, 0.82m, 101m, 0.01m, 101000000L, 82820000L
        "L23", Side.Sell, 0.78m, 12.8205m, 0.01m, 12820000L, 9999600L
        "L24", Side.Sell, 0.39m, 2435.89m, 0.01m, 2435890000L, 949997100L
        "L25", Side.Buy, 0.007m, 170m, 0.001m, 1190000L, 170000000L
        "L26", Side.Buy, 0.082m, 101m, 0.001m, 8282000L, 101000000L
        "L27", Side.Buy, 0.078m, 12.8205m, 0.001m, 999960L, 12820000L
        "L28", Side.Buy, 0.039m, 2435.89m, 0.001m, 94999710L, 2435890000L
        "L29", Side.Sell, 0.007m, 170m, 0.001m, 170000000L, 1190000L
        "L30", Side.Sell, 0.082m, 101m, 0.001m, 101000000L, 8282000L
        "L31", Side.Sell, 0.078m, 12.8205m, 0.001m, 12820000L, 999960L
        "L32", Side.Sell, 0.039m, 2435.89m, 0.001m, 2435890000L, 94999710L
        "L33", Side.Buy, 0.0007m, 170m, 0.0001m, 119000L, 170000000L
        "L34", Side.Buy, 0.0082m, 101m, 0.0001m, 828200L, 101000000L
        "L35", Side.Buy, 0.0078m, 12.8205m, 0.0001m, 99996L, 12820000L
        "L36", Side.Buy, 0.0039m, 2435.89m, 0.0001m, 9499971L, 2435890000L
        "L37", Side.Sell, 0.0007m, 170m, 0.0001m, 170000000L, 119000L
        "L38", Side.Sell, 0.0082m, 101m, 0.0001m, 101000000L, 828200L
        "L39", Side.Sell, 0.0078m, 12.8205m, 0.0001m, 12820000L, 99996L
        "L40", Side.Sell, 0.0039m, 2435.89m, 0.0001m, 2435890000L, 9499971L
        "buildOrder precision", Side.Buy, 0.82m, 20.0m, 0.01m, 16400000L, 20000000L
        "buildOrder '0.1' case on the 0.01 config", Side.Buy, 0.5m, 21.04m, 0.01m, 10520000L, 21040000L
        "py test_builder BUY on 0.1", Side.Buy, 0.5m, 100m, 0.1m, 50000000L, 100000000L
        "py test_builder SELL on 0.1", Side.Sell, 0.5m, 100m, 0.1m, 100000000L, 50000000L
        "ts-sdk truncates size 12.349", Side.Buy, 0.37m, 12.349m, 0.01m, 4565800L, 12340000L
    ]

/// §6.5 market-order vectors (clob-client-v2 buildMarketOrderCreationArgs + py test_builder): id, side, price, amount, tick, maker, taker.
let marketVectors =
    [
        "M1", Side.Buy, 0.5m, 100m, 0.1m, 100000000L, 200000000L
        "M2", Side.Buy, 0.56m, 100m, 0.01m, 100000000L, 178571400L
        "M3", Side.Buy, 0.056m, 100m, 0.001m, 100000000L, 1785714280L
        "M4", Side.Buy, 0.0056m, 100m, 0.0001m, 100000000L, 17857142857L
        "M5", Side.Sell, 0.5m, 100m, 0.1m, 100000000L, 50000000L
        "M6", Side.Sell, 0.56m, 100m, 0.01m, 100000000L, 56000000L
        "M7", Side.Sell, 0.056m, 100m, 0.001m, 100000000L, 5600000L
        "M8", Side.Sell, 0.0056m, 100m, 0.0001m, 100000000L, 560000L
        "M9", Side.Buy, 0.5m, 100m, 0.1m, 100000000L, 200000000L
        "M10", Side.Buy, 0.7m, 119m, 0.1m, 119000000L, 170000000L
        "M11", Side.Buy, 0.8m, 82.8m, 0.1m, 82800000L, 103500000L
        "M12", Side.Buy, 0.7m, 9.9996m, 0.1m, 9990000L, 14271000L
        "M13", Side.Buy, 0.3m, 949.9971m, 0.1m, 949990000L, 3166633000L
        "M14", Side.Buy, 0.5m, 1m, 0.1m, 1000000L, 2000000L
        "M15", Side.Buy, 0.5m, 1m, 0.01m, 1000000L, 2000000L
        "M16", Side.Buy, 0.05m, 100m, 0.01m, 100000000L, 2000000000L
        "M17", Side.Buy, 0.07m, 119m, 0.01m, 119000000L, 1700000000L
        "M18", Side.Buy, 0.82m, 82.82m, 0.01m, 82820000L, 101000000L
        "M19", Side.Buy, 0.78m, 9.9996m, 0.01m, 9990000L, 12807600L
        "M20", Side.Buy, 0.39m, 949.9971m, 0.01m, 949990000L, 2435871700L
        "M21", Side.Buy, 0.56m, 1m, 0.01m, 1000000L, 1785700L
        "M22", Side.Buy, 0.57m, 1m, 0.01m, 1000000L, 1754300L
        "M23", Side.Buy, 0.005m, 100m, 0.001m, 100000000L, 20000000000L
        "M24", Side.Buy, 0.007m, 119m, 0.001m, 119000000L, 17000000000L
        "M25", Side.Buy, 0.082m, 82.82m, 0.001m, 82820000L, 1010000000L
        "M26", Side.Buy, 0.078m, 9.9996m, 0.001m, 9990000L, 128076920L
        "M27", Side.Buy, 0.039m, 949.9971m, 0.001m, 949990000L, 24358717940L
        "M28", Side.Buy, 0.056m, 1m, 0.001m, 1000000L, 17857140L
        "M29", Side.Buy, 0.057m, 1m, 0.001m, 1000000L, 17543850L
        "M30", Side.Buy, 0.0005m, 100m, 0.0001m, 100000000L, 200000000000L
        "M31", Side.Buy, 0.0007m, 119m, 0.0001m, 119000000L, 170000000000L
        "M32", Side.Buy, 0.0082m, 82.82m, 0.0001m, 82820000L, 10100000000L
        "M33", Side.Buy, 0.0078m, 9.9996m, 0.0001m, 9990000L, 1280769230L
        "M34", Side.Buy, 0.0039m, 949.9971m, 0.0001m, 949990000L, 243587179487L
        "M35", Side.Buy, 0.0056m, 1m, 0.0001m, 1000000L, 178571428L
        "M36", Side.Buy, 0.0057m, 1m, 0.0001m, 1000000L, 175438596L
        "py test_builder market BUY 50 on 0.1", Side.Buy, 0.5m, 50m, 0.1m, 50000000L, 100000000L
        "py test_builder market SELL 100 on 0.1", Side.Sell, 0.5m, 100m, 0.1m, 100000000L, 50000000L
    ]

/// ts-sdk amounts.test.ts, input 12.34 on every tick: tick, price, limit BUY maker (= SELL taker),
/// market BUY taker floor, market BUY taker ceil (protected), market SELL taker.
let tsSdkVectors =
    [
        0.1m, 0.3m, 3702000L, 41133000L, 41134000L, 3702000L
        0.01m, 0.37m, 4565800L, 33351300L, 33351400L, 4565800L
        0.005m, 0.375m, 4627500L, 32906660L, 32906670L, 4627500L
        0.0025m, 0.3725m, 4596650L, 33127516L, 33127517L, 4596650L
        0.001m, 0.373m, 4602820L, 33083100L, 33083110L, 4602820L
        0.0001m, 0.3729m, 4601586L, 33091981L, 33091982L, 4601586L
    ]

/// ts-sdk protected market cases: name, side, price, amount, tick, maker, taker.
let tsSdkProtected =
    [
        "BUY 12.349 @ 0.37", Side.Buy, 0.37m, 12.349m, 0.01m, 12340000L, 33351400L
        "BUY 100 @ 0.55", Side.Buy, 0.55m, 100m, 0.01m, 100000000L, 181818200L
        "SELL 180 @ 0.54", Side.Sell, 0.54m, 180m, 0.01m, 180000000L, 97200000L
        "SELL 9.99 @ 0.1 (exact, not rounded up)", Side.Sell, 0.1m, 9.99m, 0.1m, 9990000L, 999000L
    ]

/// The float algorithm of §4.3 (clob-client-v2), computed in exact decimals: an independent oracle.
module Reference =
    let private pow10 (d: int) = pown 10m d
    let floorAt (x: decimal) d = Math.Floor(x * pow10 d) / pow10 d
    let ceilAt (x: decimal) d = Math.Ceiling(x * pow10 d) / pow10 d

    let private scale (x: decimal) =
        let mutable d = 0

        while Math.Round(x, d) <> x do
            d <- d + 1

        d

    let fixup (x: decimal) (amount: int) =
        if scale x > amount then
            let y = ceilAt x (amount + 4)
            if scale y > amount then floorAt y amount else y
        else
            x

    let units (x: decimal) = int64 (x * 1_000_000m)

    let limit (side: Side) (price: decimal) (size: decimal) (tick: TickSize) =
        let raw = Math.Round(price, tick.PriceDecimals, MidpointRounding.AwayFromZero)
        let shares = floorAt size tick.SizeDecimals
        let cost = fixup (shares * raw) tick.AmountDecimals

        if side = Side.Buy then
            units cost, units shares
        else
            units shares, units cost

    let market (side: Side) (price: decimal) (amount: decimal) (tick: TickSize) =
        let raw = floorAt price tick.PriceDecimals
        let maker = floorAt amount tick.SizeDecimals
        let taker = if side = Side.Buy then maker / raw else maker * raw
        units maker, units (fixup taker tick.AmountDecimals)

[<Tests>]
let tests =
    testList
        "OrderAmounts"
        [
            testList
                "limit orders reproduce the official vectors"
                [
                    for name, side, price, size, t, maker, taker in limitVectors ->
                        testCase $"{name}: {side} {size} @ {price} on tick {t} gives {maker}/{taker}"
                        <| fun () ->
                            let amounts = OrderAmounts.ForLimitOrder(side, price, size, tick t)
                            Expect.equal (amounts.MakerAmount, amounts.TakerAmount) (maker, taker) "maker/taker"
                ]

            testList
                "market orders reproduce the official vectors"
                [
                    for name, side, price, amount, t, maker, taker in marketVectors ->
                        testCase $"{name}: {side} {amount} @ {price} on tick {t} gives {maker}/{taker}"
                        <| fun () ->
                            let amounts = OrderAmounts.ForMarketOrder(side, price, amount, tick t)
                            Expect.equal (amounts.MakerAmount, amounts.TakerAmount) (maker, taker) "maker/taker"
                ]

            testList
                "ts-sdk fixed-point vectors on every tick"
                [
                    for t, price, limitCost, buyFloor, buyCeil, sellTaker in tsSdkVectors ->
                        testCase $"tick {t} @ {price}"
                        <| fun () ->
                            let tk = tick t
                            let amounts (a: OrderAmounts) = a.MakerAmount, a.TakerAmount

                            Expect.equal
                                (amounts (OrderAmounts.ForLimitOrder(Side.Buy, price, 12.34m, tk)))
                                (limitCost, 12340000L)
                                "limit BUY"

                            Expect.equal
                                (amounts (OrderAmounts.ForLimitOrder(Side.Sell, price, 12.34m, tk)))
                                (12340000L, limitCost)
                                "limit SELL"

                            Expect.equal
                                (amounts (OrderAmounts.ForMarketOrder(Side.Buy, price, 12.34m, tk)))
                                (12340000L, buyFloor)
                                "market BUY"

                            Expect.equal
                                (amounts (OrderAmounts.ForMarketOrder(Side.Buy, price, 12.34m, tk, true)))
                                (12340000L, buyCeil)
                                "market BUY protected"

                            Expect.equal
                                (amounts (OrderAmounts.ForMarketOrder(Side.Sell, price, 12.34m, tk)))
                                (12340000L, sellTaker)
                                "market SELL"
                    for name, side, price, amount, t, maker, taker in tsSdkProtected ->
                        testCase $"protected {name}"
                        <| fun () ->
                            let a = OrderAmounts.ForMarketOrder(side, price, amount, tick t, true)
                            Expect.equal (a.MakerAmount, a.TakerAmount) (maker, taker) "maker/taker"
                ]

            testList
                "properties"
                [
                    testProp "limit amounts are exactly size × price in micro-units, size rounded down to 2 decimals"
                    <| Prop.forAll (Arb.fromGen (Gen.zip tickAndPrice quantity)) (fun ((tk, price), size) ->
                        let a = OrderAmounts.ForLimitOrder(Side.Buy, price, size, tk)
                        let shares = Math.Floor(size * 100m) / 100m
                        let s = OrderAmounts.ForLimitOrder(Side.Sell, price, size, tk)

                        a.TakerAmount = int64 (shares * 1_000_000m)
                        && a.MakerAmount = int64 (shares * price * 1_000_000m)
                        && (s.MakerAmount, s.TakerAmount) = (a.TakerAmount, a.MakerAmount))
                    testProp "market BUY receives amount / price floored to the tick's amount decimals"
                    <| Prop.forAll (Arb.fromGen (Gen.zip tickAndPrice quantity)) (fun ((tk, price), amount) ->
                        let a = OrderAmounts.ForMarketOrder(Side.Buy, price, amount, tk)
                        let c = OrderAmounts.ForMarketOrder(Side.Buy, price, amount, tk, true)
                        let spent = a.Maker
                        let exact = spent / price
                        let step = pown 0.1m tk.AmountDecimals

                        a.MakerAmount = int64 (Math.Floor(amount * 100m) * 10_000m)
                        && a.Taker <= exact
                        && exact - a.Taker < step
                        && c.Taker >= exact
                        && c.Taker - exact < step
                        && a.TakerAmount % (int64 (step * 1_000_000m)) = 0L)
                    testProp "market SELL receives shares × price exactly"
                    <| Prop.forAll (Arb.fromGen (Gen.zip tickAndPrice quantity)) (fun ((tk, price), amount) ->
                        let a = OrderAmounts.ForMarketOrder(Side.Sell, price, amount, tk)
                        a.Taker = a.Maker * price)
                    testProp "the integer algorithm agrees with the official float algorithm done in exact decimals"
                    <| Prop.forAll
                        (Arb.fromGen (Gen.zip3 tickAndPrice quantity (Gen.elements [ Side.Buy; Side.Sell ])))
                        (fun ((tk, price), size, side) ->
                            let l = OrderAmounts.ForLimitOrder(side, price, size, tk)
                            let m = OrderAmounts.ForMarketOrder(side, price, size, tk)

                            (l.MakerAmount, l.TakerAmount) = Reference.limit side price size tk
                            && (m.MakerAmount, m.TakerAmount) = Reference.market side price size tk)
                    testCase "the implied price of a limit order is its price"
                    <| fun () ->
                        let a = OrderAmounts.ForLimitOrder(Side.Buy, 0.56m, 21.04m, TickSize.OneHundredth)
                        Expect.equal (a.Maker / a.Taker) 0.56m "maker / taker"
                ]

            testList
                "tick sizes"
                [
                    testCase "parse the six supported ticks with their rounding configuration"
                    <| fun () ->
                        let config (t: TickSize) =
                            t.Value, t.PriceDecimals, t.SizeDecimals, t.AmountDecimals

                        Expect.equal
                            ([ "0.1"; "0.01"; "0.005"; "0.0025"; "0.001"; "0.0001" ]
                             |> List.map (TickSize.Parse >> config))
                            [
                                0.1m, 1, 2, 3
                                0.01m, 2, 2, 4
                                0.005m, 3, 2, 5
                                0.0025m, 4, 2, 6
                                0.001m, 3, 2, 5
                                0.0001m, 4, 2, 6
                            ]
                            "rounding config"
                    testCase "reject an unsupported tick"
                    <| fun () -> Expect.throwsT<FormatException> (fun () -> TickSize.Parse "0.02" |> ignore) "0.02"
                ]
        ]
