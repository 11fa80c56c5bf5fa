module PolymarketAlgo.Executor.Tests.CryptoTests

open System
open System.Collections.Generic
open System.Text
open Expecto
open FsCheck
open FsCheck.FSharp
open Org.BouncyCastle.Crypto.Digests
open Org.BouncyCastle.Crypto.EC
open Org.BouncyCastle.Crypto.Parameters
open Org.BouncyCastle.Crypto.Signers
open PolymarketAlgo.Executor.Crypto
open PolymarketAlgo.Executor.Secrets
open PolymarketAlgo.Tests.TestHelpers
open PolymarketAlgo.Executor.Tests.Vectors

let private curve = CustomNamedCurves.GetByName "secp256k1"

/// 32 bytes of a valid private key from arbitrary bytes (reduced into [1, n-1]).
let keyBytesFromSeed (seed: byte[]) =
    let one = Org.BouncyCastle.Math.BigInteger.One

    let d =
        Org.BouncyCastle.Math.BigInteger(1, Keccak256.Hash(ReadOnlySpan seed)).Mod(curve.N.Subtract one).Add one

    Org.BouncyCastle.Utilities.BigIntegers.AsUnsignedByteArray(32, d)

/// A valid private key from arbitrary bytes.
let keyFromSeed (seed: byte[]) =
    PrivateKey.FromBytes(ReadOnlySpan(keyBytesFromSeed seed))

/// BouncyCastle's own ECDsaSigner + HMacDsaKCalculator (the §6.0 recipe), low-S normalised: an oracle.
let referenceSign (keyBytes: byte[]) (digest: byte[]) =
    let d = Org.BouncyCastle.Math.BigInteger(1, keyBytes)
    let signer = ECDsaSigner(HMacDsaKCalculator(Sha256Digest()))
    signer.Init(true, ECPrivateKeyParameters(d, ECDomainParameters curve))
    let rs = signer.GenerateSignature digest

    let s =
        if rs[1].CompareTo(curve.N.ShiftRight 1) > 0 then
            curve.N.Subtract rs[1]
        else
            rs[1]

    Org.BouncyCastle.Utilities.BigIntegers.AsUnsignedByteArray(32, rs[0]),
    Org.BouncyCastle.Utilities.BigIntegers.AsUnsignedByteArray(32, s)

[<Tests>]
let tests =
    testList
        "Crypto"
        [
            testList
                "Keccak256"
                [
                    testCase "hashes the empty input to the Ethereum empty hash"
                    <| fun () ->
                        Expect.equal
                            (hex (Keccak256.Hash(ReadOnlySpan<byte>.Empty)))
                            "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
                            "keccak256('')"
                    testCase "hashes the ClobAuth attestation text to the documented value"
                    <| fun () ->
                        Expect.equal
                            (hex (Keccak256.Hash "This message attests that I control the given wallet"))
                            "0x474924bb27022542020023b4a52fb834ca5e3dd70b9a4d7e7fe9ca13228cbda3"
                            "keccak(message)"
                    testCase "hashes the exchange domain name and versions to the documented values"
                    <| fun () ->
                        Expect.equal
                            (hex (Keccak256.Hash "Polymarket CTF Exchange"))
                            "0xf30041e9aac4c4d3a1481d2941dfb0a844a72040e9bbc79a810d1ec5b5d6c7af"
                            "name"

                        Expect.equal
                            (hex (Keccak256.Hash "2"))
                            "0xad7c5bef027816a800da1736444fb58a807ef4c9603b7848673f7e3a68eb14a5"
                            "version 2"

                        Expect.equal
                            (hex (Keccak256.Hash "3"))
                            "0x2a80e1ef1d7842f27f2e6be0972bb708b9a135c38860dbe73c27c3486c34f4de"
                            "version 3"
                ]

            testList
                "Address"
                [
                    testCase "derives the Anvil #0 address from its key"
                    <| fun () -> Expect.equal anvilKey.Address.Checksummed anvilAddress "EIP-55 address"
                    testCase "writes the EIP-55 checksum of the spec's examples"
                    <| fun () ->
                        for text in
                            [
                                "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
                                "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
                                "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB"
                                "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"
                            ] do
                            Expect.equal (Address.Parse(text.ToLowerInvariant()).Checksummed) text "checksum"
                    testCase "rejects a mixed-case address with a wrong checksum"
                    <| fun () ->
                        Expect.isFalse
                            (fst (Address.TryParse "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"))
                            "bad checksum"
                    testCase "rejects text of the wrong length"
                    <| fun () ->
                        Expect.throwsT<FormatException> (fun () -> Address.Parse "0x1234" |> ignore) "too short"
                    testCase "accepts every contract address of the protocol reference"
                    <| fun () ->
                        for text in
                            [
                                "0xE111180000d2663C0091e4f400237545B87B996B"
                                "0xe2222d279d744050d28e00520010520000310F59"
                                "0xe3333700cA9d93003F00f0F71f8515005F6c00Aa"
                                "0x9fE6e61422AdB6F610d8597F9684b16912D50C3D"
                                "0xdFE02Eb6733538f8Ea35D585af8DE5958AD99E40"
                                "0xC5d563A36AE78145C45a50134d48A1215220f80a"
                            ] do
                            Expect.equal (Address.Parse(text).Checksummed) text "round trip"
                ]

            testList
                "Secp256k1"
                [
                    testCase "signs the EIP-712 Mail example with the key keccak('cow') as in the spec"
                    <| fun () ->
                        let key = PrivateKey.FromBytes(ReadOnlySpan(Keccak256.Hash "cow"))
                        Expect.equal key.Address.Checksummed "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826" "cow address"

                        let digest =
                            Hex.Decode "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2"

                        Expect.equal
                            ((Secp256k1.Sign(ReadOnlySpan digest, key)).ToHex())
                            "0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b915621c"
                            "signature"
                    testProp "recovers the signer's address from every signature"
                    <| fun (seed: byte[]) (message: byte[]) ->
                        let key = keyFromSeed seed
                        let digest = Keccak256.Hash(ReadOnlySpan message)
                        let signature = Secp256k1.Sign(ReadOnlySpan digest, key)
                        Secp256k1.RecoverAddress(ReadOnlySpan digest, signature) = key.Address
                    testProp "produces only low-S signatures with v of 27 or 28"
                    <| fun (seed: byte[]) (message: byte[]) ->
                        let signature =
                            Secp256k1.Sign(ReadOnlySpan(Keccak256.Hash(ReadOnlySpan message)), keyFromSeed seed)

                        signature.IsLowS && (signature.V = 27uy || signature.V = 28uy)
                    testProp "gives the same r and s as BouncyCastle's ECDsaSigner with RFC 6979 nonces"
                    <| fun (seed: byte[]) (message: byte[]) ->
                        let keyBytes = keyBytesFromSeed seed
                        let digest = Keccak256.Hash(ReadOnlySpan message)

                        let signature =
                            Secp256k1.Sign(ReadOnlySpan digest, PrivateKey.FromBytes(ReadOnlySpan keyBytes))

                        let r, s = referenceSign keyBytes digest
                        signature.R.ToArray() = r && signature.S.ToArray() = s
                    testProp "is deterministic"
                    <| fun (seed: byte[]) (message: byte[]) ->
                        let key = keyFromSeed seed
                        let digest = Keccak256.Hash(ReadOnlySpan message)
                        Secp256k1.Sign(ReadOnlySpan digest, key) = Secp256k1.Sign(ReadOnlySpan digest, key)
                    testProp "does not verify against another key's address"
                    <| fun (seed: byte[]) (message: byte[]) ->
                        let key = keyFromSeed seed
                        let other = keyFromSeed (Array.append seed [| 1uy |])
                        let digest = Keccak256.Hash(ReadOnlySpan message)
                        let signature = Secp256k1.Sign(ReadOnlySpan digest, key)
                        not (Secp256k1.Verify(ReadOnlySpan digest, signature, other.Address))
                    testCase "derives the public key of edge-case scalars as BouncyCastle's point multiplication does"
                    <| fun () ->
                        let n = curve.N
                        let one = Org.BouncyCastle.Math.BigInteger.One

                        for d in
                            [
                                one
                                one.Add one
                                n.Subtract one
                                n.Subtract(one.Add one)
                                one.ShiftLeft 255
                                one.ShiftLeft 128
                                Org.BouncyCastle.Math.BigInteger(String('f', 63) + "0", 16).Mod n
                                Org.BouncyCastle.Math.BigInteger("0f" + String('0', 62), 16)
                            ] do
                            let bytes = Org.BouncyCastle.Utilities.BigIntegers.AsUnsignedByteArray(32, d)
                            let expected = curve.G.Multiply(d).Normalize().GetEncoded false
                            let key = PrivateKey.FromBytes(ReadOnlySpan bytes)

                            Expect.equal
                                key.Address
                                (Secp256k1.AddressFromPublicKey(ReadOnlySpan expected))
                                $"address of {d.ToString 16}"

                        Expect.equal
                            (PrivateKey.FromBytes(ReadOnlySpan(Array.init 32 (fun i -> if i = 31 then 1uy else 0uy))))
                                .Address.Checksummed
                            "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"
                            "the well-known address of key 1"
                    testCase "a signature does not recover its signer for another digest"
                    <| fun () ->
                        let digest = Keccak256.Hash "a"
                        let signature = Secp256k1.Sign(ReadOnlySpan digest, anvilKey)
                        Expect.isTrue (Secp256k1.Verify(ReadOnlySpan digest, signature, anvilKey.Address)) "same digest"

                        Expect.isFalse
                            (Secp256k1.Verify(ReadOnlySpan(Keccak256.Hash "b"), signature, anvilKey.Address))
                            "other digest"
                ]
        ]
