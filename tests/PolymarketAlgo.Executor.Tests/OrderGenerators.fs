/// FsCheck generators for orders and order inputs.
module PolymarketAlgo.Executor.Tests.OrderGenerators

open System
open FsCheck
open FsCheck.FSharp
open PolymarketAlgo.Executor.Crypto
open PolymarketAlgo.Executor.Orders

let private bytes (length: int) =
    Gen.arrayOfLength length (Gen.choose (0, 255) |> Gen.map byte)

/// A long in [0, max].
let longUpTo (max: int64) =
    Gen.map2
        (fun (hi: int) (lo: int) -> (int64 hi * 2147483648L + int64 lo) % (max + 1L))
        (Gen.choose (0, Int32.MaxValue))
        (Gen.choose (0, Int32.MaxValue))
    |> Gen.map abs

/// Any address.
let address = bytes 20 |> Gen.map (fun b -> Address.FromBytes(ReadOnlySpan b))

/// Any bytes32.
let bytes32 =
    Gen.frequency
        [
            1, Gen.constant Bytes32.Zero
            3, bytes 32 |> Gen.map (fun b -> Bytes32.FromBytes(ReadOnlySpan b))
        ]

/// Any uint256 token id.
let tokenId =
    bytes 32
    |> Gen.map (fun b -> TokenId.FromValue(Numerics.BigInteger(ReadOnlySpan b, isUnsigned = true, isBigEndian = true)))

/// Any well-formed order.
let order =
    gen {
        let! salt = longUpTo Order.MaxSalt
        let! maker = address
        let! signer = address
        let! token = tokenId
        let! makerAmount = longUpTo 1_000_000_000_000_000L
        let! takerAmount = longUpTo 1_000_000_000_000_000L
        let! side = Gen.elements [ Side.Buy; Side.Sell ]

        let! signatureType =
            Gen.elements
                [
                    SignatureType.Eoa
                    SignatureType.PolyProxy
                    SignatureType.PolyGnosisSafe
                    SignatureType.Poly1271
                ]

        let! timestamp = longUpTo 9_999_999_999_999L
        let! metadata = bytes32
        let! builder = bytes32
        let! expiration = Gen.oneof [ Gen.constant 0L; longUpTo 9_999_999_999L ]

        return
            Order(
                salt,
                maker,
                signer,
                token,
                makerAmount,
                takerAmount,
                side,
                signatureType,
                timestamp,
                metadata,
                builder,
                expiration
            )
    }

/// A tick with a price on its grid strictly inside (0, 1).
let tickAndPrice =
    gen {
        let! tick = Gen.elements (List.ofSeq TickSize.All)
        let steps = int (1m / tick.Value)
        let! k = Gen.choose (1, steps - 1)
        return tick, decimal k * tick.Value
    }

/// A positive size or amount with up to 6 decimals, below 10^7.
let quantity =
    Gen.map2
        (fun (whole: int) (micro: int) -> decimal whole + decimal micro / 1_000_000m)
        (Gen.choose (0, 10_000_000))
        (Gen.choose (1, 999_999))
