module PolymarketAlgo.Core.Tests.SizingTests

open Expecto
open FsCheck.FSharp
open PolymarketAlgo.Core
open PolymarketAlgo.Tests.TestHelpers

/// A decimal in [lo, hi] with the given number of decimals.
let private decimalIn (lo: decimal) (hi: decimal) (decimals: int) =
    let scale = pown 10m decimals

    Gen.choose (int (lo * scale), int (hi * scale))
    |> Gen.map (fun n -> decimal n / scale)

let private rules =
    Gen.oneof
        [
            decimalIn 0m 50m 2 |> Gen.map Fixed
            Gen.map2 (fun maxBet fraction -> QuarterKelly(maxBet, fraction)) (decimalIn 0m 50m 2) (decimalIn 0m 1m 3)
            Gen.map2 (fun fraction cap -> CappedFraction(fraction, cap)) (decimalIn 0m 1m 3) (decimalIn 0m 50m 2)
        ]

/// A rule, a bankroll, two confidences and a price.
let private cases =
    gen {
        let! rule = rules
        let! bankroll = decimalIn 0m 10000m 2
        let! confidence = decimalIn 0m 1m 4
        let! other = decimalIn 0m 1m 4
        let! price = decimalIn 0.001m 1m 3
        return rule, bankroll, confidence, other, price
    }
    |> Arb.fromGen

/// The most a rule may bet out of a bankroll.
let private ceiling rule bankroll =
    match rule with
    | Fixed amount -> min amount bankroll
    | QuarterKelly(maxBet, fraction) -> min maxBet (bankroll * fraction)
    | CappedFraction(fraction, cap) -> min cap (bankroll * fraction)

[<Tests>]
let tests =
    testList
        "Sizing"
        [
            testList
                "kelly"
                [
                    testCase "bets 8.35 of 100 at 66.7 % and even odds"
                    <| fun () -> Expect.equal (Sizing.kelly 0.667m 2m 100m 0.25m) 8.35m "kelly(0.667, 2, 100)"
                    testCase "bets 1.85 of 100 at 53.7 % and even odds"
                    <| fun () -> Expect.equal (Sizing.kelly 0.537m 2m 100m 0.25m) 1.85m "kelly(0.537, 2, 100)"
                    testCase "bets 3.95 of 100 at 53.7 % and odds 1/0.45"
                    <| fun () ->
                        Expect.equal (Sizing.kelly 0.537m (1m / 0.45m) 100m 0.25m) 3.95m "kelly(0.537, 1/0.45, 100)"
                    testCase "bets nothing without an edge"
                    <| fun () -> Expect.equal (Sizing.kelly 0.5m 2m 100m 0.25m) 0m "kelly(0.5, 2, 100)"
                    testCase "bets at least one dollar when there is an edge"
                    <| fun () -> Expect.equal (Sizing.kelly 0.51m 2m 10m 0.25m) 1m "kelly(0.51, 2, 10)"
                    testCase "bets nothing at odds of 1 or less or without confidence"
                    <| fun () ->
                        Expect.equal (Sizing.kelly 0.9m 1m 100m 0.25m) 0m "odds 1"
                        Expect.equal (Sizing.kelly 0.9m 0.5m 100m 0.25m) 0m "odds 0.5"
                        Expect.equal (Sizing.kelly 0m 3m 100m 0.25m) 0m "confidence 0"
                    testCase "rounds an exact half cent to even (Python's float rounding gave 4.13 here)"
                    <| fun () ->
                        Expect.equal (Sizing.kelly 0.5825m 2m 100m 0.25m) 4.12m "100 · 0.165 · 0.25 = 4.125"
                        Expect.equal (Sizing.kelly 0.5823m 2m 100m 0.25m) 4.12m "100 · 0.1646 · 0.25 = 4.115"
                    testCase "quarterKelly is kelly at a quarter"
                    <| fun () -> Expect.equal (Sizing.quarterKelly 0.667m 2m 100m) 8.35m "quarterKelly(0.667, 2, 100)"
                    testCase "rejects a negative bankroll"
                    <| fun () ->
                        Expect.throwsT<System.ArgumentException>
                            (fun () -> Sizing.kelly 0.6m 2m -1m 0.25m |> ignore)
                            "negative bankroll"
                ]
            testList
                "reversalRate"
                [
                    testCase "looks the legacy table up at min(streak, 5)"
                    <| fun () ->
                        Expect.equal (Sizing.reversalRate Sizing.legacyReversalRates 4) 0.667m "streak 4"
                        Expect.equal (Sizing.reversalRate Sizing.legacyReversalRates 9) 0.824m "streak 9 reads 5"
                    testCase "looks the 5m table up at min(streak, 8)"
                    <| fun () ->
                        Expect.equal (Sizing.reversalRate Sizing.reversalRates5m 4) 0.537m "streak 4"
                        Expect.equal (Sizing.reversalRate Sizing.reversalRates5m 12) 0.562m "streak 12 reads 8"
                    testCase "has no rate for a streak of one"
                    <| fun () ->
                        Expect.throwsT<System.ArgumentException>
                            (fun () -> Sizing.reversalRate Sizing.reversalRates1h 1 |> ignore)
                            "streak 1"
                ]
            testList
                "size"
                [
                    testCase "bets 5 where the root bot's Kelly says 8.35 and its bet amount is 5"
                    <| fun () ->
                        let confidence = Sizing.reversalRate Sizing.legacyReversalRates 4
                        Expect.equal (Sizing.size (QuarterKelly(5m, 0.10m)) 100m confidence 0.5m) 5m "min(8.35, 5, 10)"
                    testCase "bets 1.85 after four 5m ups at 50 cents (the hollowc2 example)"
                    <| fun () ->
                        let confidence = Sizing.reversalRate Sizing.reversalRates5m 4
                        Expect.equal (Sizing.size (QuarterKelly(5m, 0.10m)) 100m confidence 0.5m) 1.85m "size"
                    testCase "caps a 15m Kelly of 5.36 at 45 cents to the 5 dollar bet (the hollowc2 example)"
                    <| fun () ->
                        let confidence = Sizing.reversalRate Sizing.reversalRates15m 4
                        Expect.equal (Sizing.quarterKelly confidence (1m / 0.45m) 100m) 5.36m "kelly"
                        Expect.equal (Sizing.size (QuarterKelly(5m, 0.10m)) 100m confidence 0.45m) 5m "size"
                    testCase "caps the one dollar Kelly floor at the bankroll fraction"
                    <| fun () -> Expect.equal (Sizing.size (QuarterKelly(5m, 0.10m)) 5m 0.6m 0.5m) 0.5m "10 % of 5"
                    testCase "bets nothing under Kelly at a price of 1"
                    <| fun () -> Expect.equal (Sizing.size (QuarterKelly(5m, 0.10m)) 100m 0.99m 1m) 0m "odds 1"
                    testCase "bets a fixed amount up to the bankroll"
                    <| fun () ->
                        Expect.equal (Sizing.size (Fixed 5m) 100m 0.6m 0.5m) 5m "bankroll 100"
                        Expect.equal (Sizing.size (Fixed 5m) 3.5m 0.6m 0.5m) 3.5m "bankroll 3.5"
                    testCase "bets a fraction of the bankroll up to the cap"
                    <| fun () ->
                        Expect.equal (Sizing.size (CappedFraction(0.02m, 5m)) 100m 0.6m 0.5m) 2m "2 % of 100"
                        Expect.equal (Sizing.size (CappedFraction(0.02m, 5m)) 1000m 0.6m 0.5m) 5m "capped at 5"
                    testCase "rejects a price outside (0, 1] and a confidence outside [0, 1]"
                    <| fun () ->
                        Expect.throwsT<System.ArgumentException>
                            (fun () -> Sizing.size (Fixed 5m) 100m 0.6m 0m |> ignore)
                            "price 0"

                        Expect.throwsT<System.ArgumentException>
                            (fun () -> Sizing.size (Fixed 5m) 100m 0.6m 1.2m |> ignore)
                            "price 1.2"

                        Expect.throwsT<System.ArgumentException>
                            (fun () -> Sizing.size (Fixed 5m) 100m 1.5m 0.5m |> ignore)
                            "confidence 1.5"
                    testProp "is never negative"
                    <| fun () ->
                        Prop.forAll cases (fun (rule, bankroll, confidence, _, price) ->
                            Sizing.size rule bankroll confidence price >= 0m)
                    testProp "never exceeds the rule's cap or the bankroll"
                    <| fun () ->
                        Prop.forAll cases (fun (rule, bankroll, confidence, _, price) ->
                            let bet = Sizing.size rule bankroll confidence price
                            bet <= ceiling rule bankroll && bet <= bankroll)
                    testProp "never bets less on a higher confidence"
                    <| fun () ->
                        Prop.forAll cases (fun (rule, bankroll, confidence, other, price) ->
                            let low, high = min confidence other, max confidence other
                            Sizing.size rule bankroll low price <= Sizing.size rule bankroll high price)
                ]
        ]
