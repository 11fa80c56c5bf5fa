module PolymarketAlgo.Executor.Tests.OrderFeeTests

open Expecto
open FsCheck
open FsCheck.FSharp
open PolymarketAlgo.Executor.Orders
open PolymarketAlgo.Tests.TestHelpers
open PolymarketAlgo.Executor.Tests.OrderGenerators

[<Tests>]
let tests =
    testList
        "OrderFees (§6.7, clob-client-v2 feeCalculations)"
        [
            for price, contracts, fee in
                [
                    0.5m, 100m, 1.5625m
                    0.3m, 100m, 1.1025m
                    0.7m, 100m, 1.1025m
                    0.1m, 100m, 0.2025m
                    0.9m, 100m, 0.2025m
                    0.05m, 100m, 0.05640625m
                    0.95m, 100m, 0.05640625m
                    0.01m, 100m, 0.00245025m
                    0.99m, 100m, 0.00245025m
                    0.5m, 125.5m, 1.9609375m
                ] do
                testCase $"the platform fee of {contracts} contracts at {price} (rate 0.25, exponent 2) is {fee}"
                <| fun () -> Expect.equal (OrderFees.PlatformFee(contracts, price, 0.25m, 2)) fee "fee"
            testCase "the builder fee is the notional times the builder rate"
            <| fun () ->
                Expect.equal (OrderFees.BuilderFee(100m * 0.5m, 0.01m)) 0.5m "100 @ 0.5, 1%"
                Expect.equal (OrderFees.BuilderFee(200m * 0.75m, 0.05m)) 7.5m "200 @ 0.75, 5%"
            for amount, price, balance, rate, exponent, builder, slippage, expected in
                [
                    50m, 0.5m, 50m, 0.25m, 2, 0m, 0m, 48.4375m
                    50m, 0.5m, 50m, 0m, 0, 0.01m, 0m, 49.5m
                    50m, 0.5m, 50m, 0.25m, 2, 0.01m, 0m, 47.9375m
                    30m, 0.3m, 30m, 0.25m, 2, 0.02m, 0m, 28.2975m
                    100m, 0.3m, 1m, 0.072m, 1, 0m, 0m, 0.9496m
                    50m, 0.5m, 50m, 0.25m, 2, 0.01m, 20m, 47.625m
                    50m, 0.5m, 51.71875m, 0.25m, 2, 0m, 20m, 49.84375m
                    50m, 0.5m, 51.5625m, 0.25m, 2, 0m, 0m, 50m
                ] do
                testCase
                    $"adjustBuyAmountForFees({amount}, {price}, balance {balance}, {rate}, {exponent}, builder {builder}, slippage {slippage}) = {expected}"
                <| fun () ->
                    Expect.equal
                        (OrderFees.AdjustBuyAmountForFees(amount, price, balance, rate, exponent, builder, slippage))
                        expected
                        "adjusted amount"
            testProp "the adjusted amount plus its fees never exceeds the balance"
            <| Prop.forAll (Arb.fromGen (Gen.zip3 tickAndPrice quantity quantity)) (fun ((_, price), amount, balance) ->
                let spend =
                    OrderFees.AdjustBuyAmountForFees(amount, price, balance, 0.072m, 1, 0.001m)

                let fees =
                    OrderFees.PlatformFee(spend / price, price, 0.072m, 1)
                    + OrderFees.BuilderFee(spend, 0.001m)

                spend >= 0m && spend <= amount && (spend = amount || spend + fees <= balance))
        ]
