module PolymarketAlgo.Executor.Tests.Eip712Tests

open System
open System.Collections.Generic
open Expecto
open PolymarketAlgo.Executor.Crypto
open PolymarketAlgo.Executor.Tests.Vectors

/// The EIP-712 specification's Mail example in eth_signTypedData_v4 layout.
let mailJson =
    """{"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},{"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
"Person":[{"name":"name","type":"string"},{"name":"wallet","type":"address"}],
"Mail":[{"name":"from","type":"Person"},{"name":"to","type":"Person"},{"name":"contents","type":"string"}]},
"primaryType":"Mail",
"domain":{"name":"Ether Mail","version":"1","chainId":1,"verifyingContract":"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
"message":{"from":{"name":"Cow","wallet":"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},"to":{"name":"Bob","wallet":"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},"contents":"Hello, Bob!"}}"""

/// web3.js's "Array Data" vectors: a typed-data document with the given ArrayData members and message.
let arrayDataJson (members: string) (message: string) =
    $"""{{"types":{{"EIP712Domain":[{{"name":"name","type":"string"}},{{"name":"version","type":"string"}},{{"name":"chainId","type":"uint256"}},{{"name":"verifyingContract","type":"address"}}],
"ArrayData":[{members}]}},"primaryType":"ArrayData",
"domain":{{"name":"Array Data","version":"1","chainId":1,"verifyingContract":"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"}},
"message":{message}}}"""

let arrays addressType =
    arrayDataJson
        $"""{{"name":"array1","type":"string[]"}},{{"name":"array2","type":"{addressType}"}},{{"name":"array3","type":"uint256[]"}}"""
        """{"array1":["string","string2","string3"],"array2":["0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC","0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826","0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"],"array3":[123456,654321,42]}"""

let bytesMessage =
    """{"bytes32":"0x133d00e67f2390ce846a631aeb6718a674a3923f5320b79b6d3e2f5bf146319e"}"""

/// A one-member struct type set for encoding single values.
let single (fieldType: string) =
    Eip712Types(dict [ "T", [ Eip712Field("v", fieldType) ] :> IReadOnlyList<_> ] |> Dictionary)

/// encodeData of a one-member struct, minus the type hash: the member's 32-byte word.
let word (fieldType: string) (value: obj) =
    let encoded =
        (single fieldType).EncodeData("T", dict [ "v", value ] |> Dictionary<string, obj>)

    hex encoded[32..]

/// The V1 (dead) 12-field order type, used only as a regression test of the generic encoder.
let v1Types =
    Eip712Types(
        dict
            [
                "Order",
                [
                    for name, t in
                        [
                            "salt", "uint256"
                            "maker", "address"
                            "signer", "address"
                            "taker", "address"
                            "tokenId", "uint256"
                            "makerAmount", "uint256"
                            "takerAmount", "uint256"
                            "expiration", "uint256"
                            "nonce", "uint256"
                            "feeRateBps", "uint256"
                            "side", "uint8"
                            "signatureType", "uint8"
                        ] -> Eip712Field(name, t)
                ]
                :> IReadOnlyList<_>
            ]
        |> Dictionary
    )

let v1Order: IReadOnlyDictionary<string, obj> =
    dict
        [
            "salt", box 479249096354L
            "maker", box anvilAddress
            "signer", box anvilAddress
            "taker", box "0x0000000000000000000000000000000000000000"
            "tokenId", box 1234
            "makerAmount", box 100000000
            "takerAmount", box 50000000
            "expiration", box 0
            "nonce", box 0
            "feeRateBps", box 100
            "side", box 0
            "signatureType", box 0
        ]
    |> Dictionary<string, obj>
    :> _

[<Tests>]
let tests =
    testList
        "Eip712"
        [
            testList
                "the specification's Mail example"
                [
                    testCase "encodes the type with referenced structs appended"
                    <| fun () ->
                        let data = Eip712TypedData.FromJson mailJson

                        Expect.equal
                            (data.Types.EncodeType "Mail")
                            "Mail(Person from,Person to,string contents)Person(string name,address wallet)"
                            "encodeType"

                        Expect.equal
                            (hex (data.Types.TypeHash "Mail"))
                            "0xa0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2"
                            "typeHash"
                    testCase "hashes domain, struct and digest as the specification does"
                    <| fun () ->
                        let data = Eip712TypedData.FromJson mailJson

                        Expect.equal
                            (data.Domain.SeparatorHex())
                            "0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f"
                            "domain separator"

                        Expect.equal
                            (hex (data.StructHash()))
                            "0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e"
                            "hashStruct"

                        Expect.equal
                            (hex (data.Digest()))
                            "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2"
                            "digest"
                    testCase "accepts .NET dictionaries as well as JSON"
                    <| fun () ->
                        let data = Eip712TypedData.FromJson mailJson

                        let person (name: string) (wallet: string) =
                            dict [ "name", box name; "wallet", box (Address.Parse wallet) ]
                            |> Dictionary<string, obj>

                        let message =
                            dict
                                [
                                    "from", box (person "Cow" "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826")
                                    "to", box (person "Bob" "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB")
                                    "contents", box "Hello, Bob!"
                                ]
                            |> Dictionary<string, obj>

                        Expect.equal
                            (hex (Eip712TypedData(data.Types, "Mail", data.Domain, message).Digest()))
                            "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2"
                            "digest"
                ]

            testList
                "web3.js array and bytes vectors"
                [
                    testCase "hashes dynamic arrays of strings, addresses and integers"
                    <| fun () ->
                        let data = Eip712TypedData.FromJson(arrays "address[]")

                        Expect.equal
                            (data.Domain.SeparatorHex())
                            "0x928e4773f1f7243172cd0dd213906be49eb9d275e09c8bd0575921c51ba00058"
                            "domain"

                        Expect.equal
                            (hex (data.StructHash()))
                            "0x596a0bafab67b5b49cfe99456c50dd5b6294b1383e4f17c6e5c3c14afee96ac3"
                            "hashStruct"

                        Expect.equal
                            (hex (data.Digest()))
                            "0x3e4d581a408c8c2fa8775017c26e0127df030593d83a8202e6c19b3380bde3da"
                            "digest"
                    testCase "hashes a fixed-length array"
                    <| fun () ->
                        let data = Eip712TypedData.FromJson(arrays "address[3]")

                        Expect.equal
                            (hex (data.StructHash()))
                            "0xb068b45d685c16bc9ef637106b4fd3a4fb9aa259f53218491a3d9eb65b1b574c"
                            "hashStruct"

                        Expect.equal
                            (hex (data.Digest()))
                            "0x133d00e67f2390ce846a631aeb6718a674a3923f5320b79b6d3e2f5bf146319e"
                            "digest"
                    testCase "rejects a fixed-length array of the wrong length"
                    <| fun () ->
                        let json = (arrays "address[4]")
                        let data = Eip712TypedData.FromJson json
                        Expect.throwsT<ArgumentException> (fun () -> data.Digest() |> ignore) "length 3 for address[4]"
                    testCase "hashes bytes32 as is and bytes by keccak"
                    <| fun () ->
                        let fixedBytes =
                            Eip712TypedData.FromJson(
                                arrayDataJson """{"name":"bytes32","type":"bytes32"}""" bytesMessage
                            )

                        Expect.equal
                            (hex (fixedBytes.StructHash()))
                            "0x7c9d26380d51aac5dc2ff6f794d1c043ea4259bb42068f70f79d2e4849133ac3"
                            "bytes32 hashStruct"

                        Expect.equal
                            (hex (fixedBytes.Digest()))
                            "0xa6cd048c02ef3cb70feee1bd9795decbbc8b431b976dfc86e3b09e55e0d2a3f3"
                            "bytes32 digest"

                        let dynamicBytes =
                            Eip712TypedData.FromJson(arrayDataJson """{"name":"bytes32","type":"bytes"}""" bytesMessage)

                        Expect.equal
                            (hex (dynamicBytes.StructHash()))
                            "0x353ed034fd1df0cd409a19133f4a89f5e99ddc735ad3fbb767d0bb72c97ef175"
                            "bytes hashStruct"
                ]

            testList
                "atomic values"
                [
                    testCase "encodes negative integers in 256-bit two's complement"
                    <| fun () ->
                        Expect.equal (word "int8" (box -1)) ("0x" + String('f', 64)) "int8 -1"

                        Expect.equal
                            (word "int256" (box (-(Numerics.BigInteger.Pow(2I, 255)))))
                            ("0x8" + String('0', 63))
                            "int256 min"

                        Expect.equal (word "int16" (box "-2")) ("0x" + String('f', 63) + "e") "int16 -2 from text"
                    testCase "encodes unsigned integers big-endian from numbers, decimal text and hex text"
                    <| fun () ->
                        let expected = "0x" + String('0', 60) + "04d2"
                        Expect.equal (word "uint256" (box 1234)) expected "int"
                        Expect.equal (word "uint256" (box "1234")) expected "decimal text"
                        Expect.equal (word "uint256" (box "0x4d2")) expected "hex text"
                        Expect.equal (word "uint16" (box 1234UL)) expected "ulong"
                    testCase "rejects integers outside the type's range"
                    <| fun () ->
                        Expect.throwsT<ArgumentException> (fun () -> word "uint8" (box 256) |> ignore) "uint8 256"
                        Expect.throwsT<ArgumentException> (fun () -> word "int8" (box -129) |> ignore) "int8 -129"
                        Expect.throwsT<ArgumentException> (fun () -> word "uint256" (box -1) |> ignore) "uint256 -1"
                    testCase "encodes bool, address and short fixed bytes"
                    <| fun () ->
                        Expect.equal (word "bool" (box true)) ("0x" + String('0', 63) + "1") "true"
                        Expect.equal (word "bool" (box false)) ("0x" + String('0', 64)) "false"

                        Expect.equal
                            (word "address" (box anvilAddress))
                            ("0x" + String('0', 24) + anvilAddress.Substring(2).ToLowerInvariant())
                            "address left-padded"

                        Expect.equal
                            (word "bytes3" (box "0xabcdef"))
                            ("0xabcdef" + String('0', 58))
                            "bytes3 right-padded"

                        Expect.throwsT<ArgumentException>
                            (fun () -> word "bytes3" (box "0xabcd") |> ignore)
                            "bytes3 needs exactly 3 bytes"
                    testCase "hashes strings and bytes by keccak of their content"
                    <| fun () ->
                        Expect.equal (word "string" (box "1")) (hex (Keccak256.Hash "1")) "string"

                        Expect.equal
                            (word "bytes" (box [| 1uy; 2uy |]))
                            (hex (Keccak256.Hash(ReadOnlySpan [| 1uy; 2uy |])))
                            "bytes"
                    testCase "hashes a nested array as keccak of its inner arrays' hashes"
                    <| fun () ->
                        let inner (values: int list) =
                            values
                            |> List.map (fun v -> Hex.Decode(word "uint256" (box v)))
                            |> Array.concat
                            |> fun b -> Keccak256.Hash(ReadOnlySpan b)

                        let expected =
                            Array.append (inner [ 1; 2 ]) (inner [ 3 ])
                            |> fun b -> hex (Keccak256.Hash(ReadOnlySpan b))

                        Expect.equal (word "uint256[][]" (box [| [| 1; 2 |]; [| 3 |] |])) expected "uint256[][]"
                    testCase "rejects unknown types and missing members"
                    <| fun () ->
                        Expect.throwsT<ArgumentException> (fun () -> single "uint7" |> ignore) "uint7"
                        Expect.throwsT<ArgumentException> (fun () -> single "bytes33" |> ignore) "bytes33"
                        Expect.throwsT<ArgumentException> (fun () -> single "Missing" |> ignore) "undefined struct"

                        Expect.throwsT<ArgumentException>
                            (fun () -> (single "uint256").EncodeData("T", Dictionary<string, obj>()) |> ignore)
                            "missing member"
                ]

            testList
                "Polymarket type hashes (§2.1, §4.1, §4.2)"
                [
                    testCase "hash the ClobAuth, V2 order and domain type strings to the documented values"
                    <| fun () ->
                        let h (s: string) = hex (Keccak256.Hash s)

                        Expect.equal
                            (h "EIP712Domain(string name,string version,uint256 chainId)")
                            "0xc2f8787176b8ac6bf7215b4adcc1e069bf4ab82d9ab1df05a57a91d425935b6e"
                            "ClobAuth domain"

                        Expect.equal
                            (h "ClobAuth(address address,string timestamp,uint256 nonce,string message)")
                            "0x52578c5c725a28a84fedc8c22aa47947822942f35b4dc350db028e45320e035c"
                            "ClobAuth"

                        Expect.equal
                            (Eip712Domain("n", "v", Numerics.BigInteger 1, Address.Zero).EncodeType())
                            "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
                            "domain type string"

                        Expect.equal
                            (h "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
                            "0x8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f"
                            "exchange domain"
                ]

            testList
                "V1 order signatures (§6.3, dead protocol: a regression test of the encoder)"
                [
                    testCase "hash the V1 order struct to the documented struct hash"
                    <| fun () ->
                        Expect.equal
                            (v1Types.EncodeType "Order")
                            "Order(uint256 salt,address maker,address signer,address taker,uint256 tokenId,uint256 makerAmount,uint256 takerAmount,uint256 expiration,uint256 nonce,uint256 feeRateBps,uint8 side,uint8 signatureType)"
                            "type string"

                        Expect.equal
                            (hex (v1Types.TypeHash "Order"))
                            "0xa852566c4e14d00869b6db0220888a9090a13eccdaea03713ff0a3d27bf9767c"
                            "typehash"

                        Expect.equal
                            (hex (v1Types.HashStruct("Order", v1Order)))
                            "0x26eb80b08612a9945a9a2af3af152f3bcdccd154f9708a68d2f261f44b66a11d"
                            "structHash"
                    for name, contract, separator, orderHash, signature in
                        [
                            "exchange",
                            "0xdFE02Eb6733538f8Ea35D585af8DE5958AD99E40",
                            "0x44b180a7e548e2d916b5410176db13a07744966f9b6c93c4bccdabebbcdfca93",
                            "0x02ca1d1aa31103804173ad1acd70066cb6c1258a4be6dada055111f9a7ea4e55",
                            "0x302cd9abd0b5fcaa202a344437ec0b6660da984e24ae9ad915a592a90facf5a51bb8a873cd8d270f070217fea1986531d5eec66f1162a81f66e026db653bf7ce1c"
                            "negRiskExchange",
                            "0xC5d563A36AE78145C45a50134d48A1215220f80a",
                            "0x9fa10822e4b86fd1eed68ea1c2628e0ee9a6c523cb2570592768432cfdb09bf1",
                            "0xf15790d3edc4b5aed427b0b543a9206fcf4b1a13dfed016d33bfb313076263b8",
                            "0x1b3646ef347e5bd144c65bd3357ba19c12c12abaeedae733cf8579bc51a2752c0454c3bc6b236957e393637982c769b8dc0706c0f5c399983d933850afd1cbcd1c"
                        ] do
                        testCase $"reproduce the official V1 hash and signature on the {name} domain"
                        <| fun () ->
                            let domain =
                                Eip712Domain(
                                    "Polymarket CTF Exchange",
                                    "1",
                                    Numerics.BigInteger 80002,
                                    Address.Parse contract
                                )

                            Expect.equal (domain.SeparatorHex()) separator "domain separator"
                            let digest = Eip712.Digest(domain.Separator, v1Types.HashStruct("Order", v1Order))
                            Expect.equal (hex digest) orderHash "order hash"
                            Expect.equal ((Secp256k1.Sign(ReadOnlySpan digest, anvilKey)).ToHex()) signature "signature"
                ]
        ]
