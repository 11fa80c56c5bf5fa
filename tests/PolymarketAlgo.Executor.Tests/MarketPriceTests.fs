module PolymarketAlgo.Executor.Tests.MarketPriceTests

open Expecto
open FsCheck
open FsCheck.FSharp
open PolymarketAlgo.Executor.Orders
open PolymarketAlgo.Tests.TestHelpers

let levels (pairs: (decimal * decimal) list) =
    pairs |> List.map BookLevel |> Array.ofList :> System.Collections.Generic.IReadOnlyList<_>

let outcome (result: OrderResult<decimal>) =
    if result.IsOk then
        Ok result.Value
    else
        Error result.Error.Kind

let noMatch: Result<decimal, OrderErrorKind> = Error OrderErrorKind.NoMatch

/// §6.6 (clob-client-v2 calculate{Buy,Sell}MarketPrice tests): side, book as given, amount, FOK result, FAK result.
let vectors =
    [
        Side.Buy, [], 100m, Some noMatch, noMatch
        Side.Buy, [ 0.5m, 100m; 0.4m, 100m ], 100m, Some noMatch, Ok 0.5m
        Side.Buy, [ 0.5m, 100m; 0.4m, 100m; 0.3m, 100m ], 100m, Some(Ok 0.5m), Ok 0.5m
        Side.Buy, [ 0.5m, 100m; 0.4m, 200m; 0.3m, 100m ], 100m, Some(Ok 0.4m), Ok 0.4m
        Side.Buy, [ 0.5m, 120m; 0.4m, 100m; 0.3m, 100m ], 100m, Some(Ok 0.5m), Ok 0.5m
        Side.Buy, [ 0.5m, 200m; 0.4m, 100m; 0.3m, 100m ], 100m, Some(Ok 0.5m), Ok 0.5m
        Side.Buy, [ 0.6m, 100m; 0.55m, 100m; 0.5m, 100m ], 200m, None, Ok 0.6m
        Side.Sell, [ 0.4m, 10m; 0.5m, 10m ], 100m, Some noMatch, Ok 0.4m
        Side.Sell, [ 0.3m, 100m; 0.4m, 100m; 0.5m, 100m ], 100m, Some(Ok 0.5m), Ok 0.5m
        Side.Sell, [ 0.3m, 100m; 0.4m, 100m; 0.5m, 100m ], 300m, Some(Ok 0.3m), Ok 0.3m
        Side.Sell, [ 0.3m, 100m; 0.4m, 200m; 0.5m, 100m ], 300m, Some(Ok 0.4m), Ok 0.4m
        Side.Sell, [ 0.3m, 334m; 0.4m, 100m; 0.5m, 1000m ], 600m, Some(Ok 0.5m), Ok 0.5m
    ]

/// A book of 1–8 levels at distinct prices on the 0.01 grid.
let book =
    gen {
        let! count = Gen.choose (1, 8)
        let! prices = Gen.shuffle [| 1..99 |]
        let! sizes = Gen.arrayOfLength count (Gen.choose (1, 500))
        return Array.init count (fun i -> BookLevel(decimal prices[i] / 100m, decimal sizes[i]))
    }

[<Tests>]
let tests =
    testList
        "MarketPrice"
        [
            for i, (side, book, amount, fok, fak) in List.indexed vectors do
                let described = book |> List.map (fun (p, s) -> $"({p},{s})") |> String.concat ","

                match fok with
                | Some expected ->
                    testCase $"#{i + 1} {side} {amount} on [{described}] with FOK gives {expected}"
                    <| fun () ->
                        Expect.equal
                            (outcome (MarketPrice.Calculate(side, levels book, amount, OrderType.Fok)))
                            expected
                            "FOK"
                | None -> ()

                testCase $"#{i + 1} {side} {amount} on [{described}] with FAK gives {fak}"
                <| fun () ->
                    Expect.equal (outcome (MarketPrice.Calculate(side, levels book, amount, OrderType.Fak))) fak "FAK"

            testProp "the result does not depend on the order of the levels"
            <| Prop.forAll
                (Arb.fromGen (Gen.zip3 book (Gen.choose (1, 2000)) (Gen.elements [ Side.Buy; Side.Sell ])))
                (fun (levelsArray, amount, side) ->
                    let price (book: BookLevel[]) =
                        outcome (MarketPrice.Calculate(side, book, decimal amount, OrderType.Fak))

                    price levelsArray = price (Array.rev levelsArray))
            testProp "a FOK price leaves enough liquidity at that price or better"
            <| Prop.forAll
                (Arb.fromGen (Gen.zip3 book (Gen.choose (1, 2000)) (Gen.elements [ Side.Buy; Side.Sell ])))
                (fun (levelsArray, amount, side) ->
                    match outcome (MarketPrice.Calculate(side, levelsArray, decimal amount, OrderType.Fok)) with
                    | Ok price ->
                        let reachable =
                            levelsArray
                            |> Array.filter (fun l ->
                                if side = Side.Buy then
                                    l.Price <= price
                                else
                                    l.Price >= price)
                            |> Array.sumBy (fun l -> if side = Side.Buy then l.Size * l.Price else l.Size)

                        reachable >= decimal amount
                    | Error _ ->
                        let all =
                            levelsArray
                            |> Array.sumBy (fun l -> if side = Side.Buy then l.Size * l.Price else l.Size)

                        all < decimal amount)
            testCase "refuses resting order types"
            <| fun () ->
                Expect.throwsT<System.ArgumentException>
                    (fun () ->
                        MarketPrice.Calculate(Side.Buy, levels [ 0.5m, 1m ], 1m, OrderType.Gtc)
                        |> ignore)
                    "GTC"
        ]
