module PolymarketAlgo.Core.Tests.FeeTests

open System
open Expecto
open FsCheck
open PolymarketAlgo.Core
open PolymarketAlgo.Tests.TestHelpers

/// clob-client-v2 `tests/client/feeCalculations.test.ts` (polymarket-protocol §6.7): platform fee at rate 0.25,
/// exponent 2, for (price, contracts, fee).
let private platformVectors =
    [
        0.5M, 100M, 1.5625M
        0.3M, 100M, 1.1025M
        0.7M, 100M, 1.1025M
        0.1M, 100M, 0.2025M
        0.9M, 100M, 0.2025M
        0.05M, 100M, 0.05640625M
        0.95M, 100M, 0.05640625M
        0.01M, 100M, 0.00245025M
        0.99M, 100M, 0.00245025M
        0.5M, 125.5M, 1.9609375M
    ]

/// (amount, price, balance, fee rate, exponent, builder rate, slippage %, expected).
let private adjustVectors =
    [
        50M, 0.5M, 50M, 0.25M, 2M, 0M, 0M, 48.4375M
        50M, 0.5M, 50M, 0M, 0M, 0.01M, 0M, 49.5M
        50M, 0.5M, 50M, 0.25M, 2M, 0.01M, 0M, 47.9375M
        30M, 0.3M, 30M, 0.25M, 2M, 0.02M, 0M, 28.2975M
        100M, 0.3M, 1M, 0.072M, 1M, 0M, 0M, 0.9496M
        50M, 0.5M, 50M, 0.25M, 2M, 0.01M, 20M, 47.625M
        50M, 0.5M, 51.71875M, 0.25M, 2M, 0M, 20M, 49.84375M
        50M, 0.5M, 51.5625M, 0.25M, 2M, 0M, 0M, 50M
    ]

/// A price strictly inside (0, 1) from an integer.
let private priceOf (n: int) = float ((abs (n % 999)) + 1) / 1000.0

[<Tests>]
let tests =
    testList
        "Fees"
        [
            testList
                "platform fee vectors of clob-client-v2"
                [
                    for price, contracts, fee in platformVectors do
                        testCase $"{contracts} contracts at {price} pay {fee} (rate 0.25, exponent 2)"
                        <| fun () ->
                            Expect.equal (Fees.takerDecimal contracts 0.25M price 2M) fee "decimal, exact"
                            close 1e-12 (Fees.taker (float contracts) 0.25 (float price) 2.0) (float fee) "float"
                ]

            testList
                "builder fee vectors of clob-client-v2"
                [
                    testCase "1% on 100 tokens at 50c is 0.5"
                    <| fun () -> Expect.equal (Fees.builder (100M * 0.5M) 0.01M) 0.5M "builder"
                    testCase "5% on 200 tokens at 75c is 7.5"
                    <| fun () -> Expect.equal (Fees.builder (200M * 0.75M) 0.05M) 7.5M "builder"
                    testCase "platform and builder fees add up to 2.0625 for 100 tokens at 50c"
                    <| fun () ->
                        Expect.equal (Fees.takerDecimal 100M 0.25M 0.5M 2M + Fees.builder 50M 0.01M) 2.0625M "combined"
                ]

            testList
                "adjustBuyAmountForFees vectors of clob-client-v2"
                [
                    for amount, price, balance, rate, exponent, builder, slippage, expected in adjustVectors do
                        testCase
                            $"amount {amount} at {price} with balance {balance}, rate {rate}^{exponent}, builder {builder}, slippage {slippage} gives {expected}"
                        <| fun () ->
                            Expect.equal
                                (Fees.adjustBuyAmountForFees amount price balance rate exponent builder slippage)
                                expected
                                "adjusted amount"

                    testCase "reserves 0.0504 of fee on a $1 balance at 0.3 with the crypto rate"
                    <| fun () ->
                        Expect.equal
                            (Fees.platformFeeOnAmount 1M 0.3M Fees.cryptoTakerRateDecimal 1M 0M)
                            0.0504M
                            "reserved fee"

                    testCase "pads only the platform fee by the slippage (1.875 at 20%)"
                    <| fun () -> Expect.equal (Fees.platformFeeOnAmount 50M 0.5M 0.25M 2M 20M) 1.875M "padded fee"

                    testCase "rejects a slippage between 0 and 1 or above 100"
                    <| fun () ->
                        for slippage in [ 0.5M; 101M; -1M ] do
                            Expect.throwsT<ArgumentException>
                                (fun () -> Fees.adjustBuyAmountForFees 50M 0.5M 50M 0.25M 2M 0M slippage |> ignore)
                                $"slippage {slippage}"

                    testCase "rejects a price outside (0, 1)"
                    <| fun () ->
                        Expect.throwsT<ArgumentException>
                            (fun () -> Fees.adjustBuyAmountForFees 50M 1M 50M 0.25M 2M 0M 0M |> ignore)
                            "price 1"
                ]

            testList
                "crypto rate"
                [
                    testCase "is 0.072 with exponent 1"
                    <| fun () ->
                        Expect.equal Fees.CryptoTakerRate 0.072 "rate"
                        Expect.equal Fees.CryptoExponent 1.0 "exponent"
                        Expect.equal Fees.cryptoTakerRateDecimal 0.072M "decimal rate"

                    testCase "charges 1.8% of shares at 0.50 and 0.648% at 0.90 (protocol §9.3)"
                    <| fun () ->
                        Expect.equal
                            (Fees.takerDecimal 100M Fees.cryptoTakerRateDecimal 0.5M Fees.cryptoExponentDecimal)
                            1.8M
                            "p = 0.5"

                        Expect.equal
                            (Fees.takerDecimal 100M Fees.cryptoTakerRateDecimal 0.9M Fees.cryptoExponentDecimal)
                            0.648M
                            "p = 0.9"

                        close 1e-12 (Fees.taker 100.0 Fees.CryptoTakerRate 0.5 Fees.CryptoExponent) 1.8 "float"

                    testCase "matches clob-client-v2's production crypto_fees_v2 values for $100"
                    <| fun () ->
                        for price, fee in [ 0.5M, 3.6M; 0.3M, 5.04M; 0.7M, 2.16M ] do
                            Expect.equal (Fees.platformFeeOnAmount 100M price 0.072M 1M 0M) fee $"price {price}"
                ]

            testList
                "rounding to Polymarket's 5 decimals"
                [
                    testCase "keeps the smallest fee 0.00001 and drops anything below half of it"
                    <| fun () ->
                        Expect.equal (Fees.round 0.00001M) Fees.minimumFee "smallest"
                        Expect.equal (Fees.round 0.000004M) 0M "below half rounds to zero"
                        Expect.equal (Fees.round 0.000005M) 0.00001M "half rounds up"
                        Expect.equal (Fees.round 1.234564999M) 1.23456M "down"
                        Expect.equal (Fees.round 1.234565M) 1.23457M "up"

                    testCase "rounds one share at 0.999 to zero fee"
                    <| fun () -> Expect.equal (Fees.takerDecimal 0.05M 0.072M 0.999M 1M |> Fees.round) 0M "tiny fee"
                ]

            testList
                "properties"
                [
                    testProp "a fee is never negative"
                    <| fun (shares: NonNegativeInt) (n: int) ->
                        Fees.taker (float shares.Get) Fees.CryptoTakerRate (priceOf n) 1.0 >= 0.0
                        && Fees.takerDecimal (decimal shares.Get) 0.072M (decimal (priceOf n)) 1M >= 0M

                    testProp "a fee is symmetric in p and 1 − p"
                    <| fun (n: int) ->
                        let p = decimal (priceOf n)

                        Fees.takerDecimal 100M 0.072M p 1M = Fees.takerDecimal 100M 0.072M (1M - p) 1M
                        && Fees.takerDecimal 100M 0.25M p 2M = Fees.takerDecimal 100M 0.25M (1M - p) 2M

                    testProp "a fee is largest at p = 0.5"
                    <| fun (n: int) ->
                        let p = priceOf n

                        Fees.taker 100.0 0.072 p 1.0 <= Fees.taker 100.0 0.072 0.5 1.0
                        && Fees.taker 100.0 0.25 p 2.0 <= Fees.taker 100.0 0.25 0.5 2.0

                    testProp "the adjusted buy amount plus its reserved fees never exceeds the balance"
                    <| fun (amount: PositiveInt) (balance: PositiveInt) (n: int) ->
                        let price = decimal (priceOf n)
                        let amount = decimal amount.Get
                        let balance = decimal balance.Get
                        let adjusted = Fees.adjustBuyAmountForFees amount price balance 0.072M 1M 0.01M 0M

                        adjusted >= 0M
                        && adjusted <= amount
                        && (adjusted = amount
                            || adjusted
                               + Fees.platformFeeOnAmount adjusted price 0.072M 1M 0M
                               + Fees.builder adjusted 0.01M
                               <= balance)
                ]
        ]
