module PolymarketAlgo.Executor.Tests.OrderSigningTests

open System
open System.Collections.Generic
open Expecto
open FsCheck
open FsCheck.FSharp
open Microsoft.Extensions.Time.Testing
open PolymarketAlgo.Executor.Crypto
open PolymarketAlgo.Executor.Orders
open PolymarketAlgo.Executor.Secrets
open PolymarketAlgo.Tests.TestHelpers
open PolymarketAlgo.Executor.Tests.Vectors
open PolymarketAlgo.Executor.Tests.OrderGenerators

/// The common message of the §6.4 EOA vectors.
let vectorOrder (maker: string) (signatureType: SignatureType) =
    Order(
        479249096354L,
        Address.Parse maker,
        Address.Parse maker,
        TokenId.Parse "1234",
        100000000L,
        50000000L,
        Side.Buy,
        signatureType,
        1710000000000L
    )

/// The generic EIP-712 encoding of an order, as a dictionary.
let asMessage (order: Order) : Dictionary<string, obj> =
    dict
        [
            "salt", box order.Salt
            "maker", box order.Maker
            "signer", box order.Signer
            "tokenId", box order.TokenId.Value
            "makerAmount", box order.MakerAmount
            "takerAmount", box order.TakerAmount
            "side", box (int order.Side)
            "signatureType", box (int order.SignatureType)
            "timestamp", box order.Timestamp
            "metadata", box order.Metadata
            "builder", box order.Builder
        ]
    |> Dictionary<string, obj>

let polymarketE2eToken =
    "71321045679252212594626385532706912750332728571942532289631379312455583992563"

/// A clock at 1710000000000 ms, the timestamp of the vectors.
let vectorClock () =
    FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds 1710000000000L)

let builderWith (options: OrderBuilderOptions) = OrderBuilder(anvilKey, options)

let vectorBuilder () =
    builderWith (OrderBuilderOptions(SaltSource = Func<int64>(fun () -> 479249096354L), TimeProvider = vectorClock ()))

let market = MarketInfo(TickSize.OneHundredth, false, 5m)

let errorKind (result: OrderResult<'T>) =
    if result.IsOk then None else Some result.Error.Kind

[<Tests>]
let tests =
    testList
        "Orders"
        [
            testList
                "V2/V3 EOA signatures (§6.4)"
                [
                    testCase "hash the common message to the documented struct hash"
                    <| fun () ->
                        Expect.equal
                            (hex (OrderSigner.StructHash(vectorOrder anvilAddress SignatureType.Eoa)))
                            "0xf6bf4212bfca4d6679afc2c54a54d814a91a6c7905de5ed193fe44f329c239f0"
                            "structHash"

                        Expect.equal
                            (hex (Keccak256.Hash OrderSigner.OrderTypeString))
                            "0xbb86318a2138f5fa8ae32fbe8e659f8fcf13cc6ae4014a707893055433818589"
                            "Order typehash"
                    for version, chain, contract, separator, orderHash, signature in
                        [
                            "2",
                            80002L,
                            "0xE111180000d2663C0091e4f400237545B87B996B",
                            "0xa440cbd865bc0c6243d7a8df9a8bf48a8827b0a4abbb61c30e96d305423af148",
                            "0x962c97b18bea292cc94b9479272aa74fb59a905e84a621a40eb339131e9fb6ba",
                            "0x518472f1b081f6bd713d638bb11d1bf0720ed577e93c52eb00ec9f5f325f7d510c65cbfdfe9130de2602185f4a500863d777d8b838cb28abc75ecc1b5330315d1c"
                            "2",
                            80002L,
                            "0xe2222d279d744050d28e00520010520000310F59",
                            "0x1468e39841f0a0e05d3762b235cb7acecabf8cd7b6d3a672965a5d415bf9378e",
                            "0xde77d067d3067ed5b48bb9b27b963fa4f377ee1ae8725791f133e70dae6ce183",
                            "0x661efce33ffabbc517ef77ef58ec5fe7ebc38f372dc3213430c3033faa5870a33b0d0e4c3f9626291925573b7b708cc6eb646b06ae0a10e728d90e14edf461d41b"
                            "2",
                            137L,
                            "0xE111180000d2663C0091e4f400237545B87B996B",
                            "0x3264e159346253e26a64e00b69032db0e7d32f94628de3e6eecb50304d7af3d2",
                            "0x10124949f84e9f7438c88d02bfd546ceb27ed6eb1fdb0175137af535b6e2513d",
                            "0x42c7b4857d51e344045fcfde17b37cf1290d784471ffe618c22aa56ea5ddcf0009015b87ffb299813f5597e86d4ad56f40d634558d915edb719e6fc71dbc0d891c"
                            "2",
                            137L,
                            "0xe2222d279d744050d28e00520010520000310F59",
                            "0x9b858f53327b0bd13af8ec14cfb35234fb9eb7b0504d1a4e61f433840d30e81a",
                            "0x9c2976657c4b229cc8e467a32ce9e3281ef40a70aee31cdc4619ebf51e4a7274",
                            "0x79d82a92bd020329c6b9afad40b742c8cfaebdd992219b57e4282b6cfd53a66f2c97471d3297fa001f3eac2ead5f709c6e266893f19cef37633511420542a63b1b"
                            "3",
                            137L,
                            "0xe3333700cA9d93003F00f0F71f8515005F6c00Aa",
                            "0x466c63910185bbd55e8679264200c4e0abdcbb0c6264eb3d41d13326022e095b",
                            "0x0d34966f6a42e3b8bec3d0d0dcca74d762695a3bd4cdf1d6a1fc2201bf9daa87",
                            "0x22a4e68028c7984ff9b19217dee3a8491614e97a84ca42d53fe73e7a50745fd66706b966fa16ce911a3217958a5471343c47f2fd56ea9392522a4c1c156eac701c"
                            "3",
                            80002L,
                            "0x9fE6e61422AdB6F610d8597F9684b16912D50C3D",
                            "0xdf8b5fd204134b8d562677d7fc9346884e8f02ef2fd43358239393723e8833e6",
                            "0x5f832bdf1244ee7b330544123b14a5c6450e6f69044eba8b0f0f5304da995ed9",
                            "0x29ab1ebfd5bd2910e7d090a5dbd9f0f718f762c63c16978c2e660e812337d5e162b0cd020d3b9b7280a5ef59db4305abca497a53badecb463b1be31605da0b801c"
                        ] do
                        testCase
                            $"reproduce domain, hash and signature for version {version} on chain {chain} at {contract}"
                        <| fun () ->
                            let domain = ExchangeDomain(version, chain, Address.Parse contract)
                            Expect.equal (domain.Eip712.SeparatorHex()) separator "domain separator"

                            let signed =
                                OrderSigner.Sign(vectorOrder anvilAddress SignatureType.Eoa, domain, anvilKey)

                            Expect.equal signed.OrderId orderHash "order hash"
                            Expect.equal signed.Signature signature "signature"
                    testCase "tell Protocol-V2 position ids from CTF token ids by their reserved bits"
                    <| fun () ->
                        let positionId =
                            (Numerics.BigInteger.One <<< 248)
                            ||| (Numerics.BigInteger 0xabcdef <<< 120)
                            ||| (Numerics.BigInteger 2 <<< 104)
                            ||| (Numerics.BigInteger 0x0102 <<< 8)
                            ||| Numerics.BigInteger.One

                        Expect.isTrue (TokenId.FromValue positionId).IsProtocolV2PositionId "V2 layout"
                        Expect.isFalse (TokenId.Parse polymarketE2eToken).IsProtocolV2PositionId "CTF token id"

                        Expect.isFalse
                            (TokenId.FromValue(positionId ||| (Numerics.BigInteger.One <<< 40))).IsProtocolV2PositionId
                            "a reserved bit set"
                    testCase "reject token ids that are not decimal uint256"
                    <| fun () ->
                        for text in [ ""; "-1"; "0x10"; "1.5"; string (Numerics.BigInteger.Pow(2I, 256)) ] do
                            Expect.isFalse (fst (TokenId.TryParse text)) $"'{text}'"

                        Expect.equal
                            (string (TokenId.Parse(string (Numerics.BigInteger.Pow(2I, 256) - 1I))))
                            (string (Numerics.BigInteger.Pow(2I, 256) - 1I))
                            "max uint256"
                    testCase "select the cached live domains by market kind"
                    <| fun () ->
                        let contractOf negRisk v2 =
                            (ExchangeDomain.For(137L, negRisk, v2)).VerifyingContract.Checksummed

                        Expect.equal (contractOf false false) "0xE111180000d2663C0091e4f400237545B87B996B" "CTF V2"
                        Expect.equal (contractOf true false) "0xe2222d279d744050d28e00520010520000310F59" "NegRisk V2"
                        Expect.equal (contractOf false true) "0xe3333700cA9d93003F00f0F71f8515005F6c00Aa" "V3"
                        Expect.equal (contractOf true true) "0xe3333700cA9d93003F00f0F71f8515005F6c00Aa" "V3 neg-risk"
                        Expect.equal (ExchangeDomain.For(137L, false, true)).Version "3" "V3 version"
                        Expect.equal (ExchangeDomain.For(137L, true, false)).Version "2" "V2 version"

                        Expect.equal
                            (ExchangeDomain.For(80002L, false, true)).VerifyingContract.Checksummed
                            "0x9fE6e61422AdB6F610d8597F9684b16912D50C3D"
                            "Amoy V3"
                    testProp "the fast struct hash equals the generic EIP-712 encoder's"
                    <| Prop.forAll (Arb.fromGen order) (fun o ->
                        OrderSigner.StructHash o = OrderSigner.Types.HashStruct("Order", asMessage o))
                    testProp "signing then recovering gives the signer for every EOA order"
                    <| Prop.forAll (Arb.fromGen order) (fun o ->
                        let mine =
                            Order(
                                o.Salt,
                                anvilKey.Address,
                                anvilKey.Address,
                                o.TokenId,
                                o.MakerAmount,
                                o.TakerAmount,
                                o.Side,
                                SignatureType.Eoa,
                                o.Timestamp,
                                o.Metadata,
                                o.Builder,
                                o.Expiration
                            )

                        let domain = ExchangeDomain.For(137L, false, false)
                        let signed = OrderSigner.Sign(mine, domain, anvilKey)

                        OrderSigner.RecoverSigner(signed, domain) = anvilKey.Address
                        && EcdsaSignature.Parse(signed.Signature).IsLowS
                        && OrderSigner.RecoverSigner(signed, ExchangeDomain.For(137L, true, false))
                           <> anvilKey.Address)
                    testCase "refuse to sign an EOA order for another signer"
                    <| fun () ->
                        Expect.throwsT<ArgumentException>
                            (fun () ->
                                OrderSigner.Sign(
                                    vectorOrder "0x1111111111111111111111111111111111111111" SignatureType.Eoa,
                                    ExchangeDomain.For(137L, false, false),
                                    anvilKey
                                )
                                |> ignore)
                            "wrong key"
                ]

            testList
                "POLY_1271 deposit wallet (§6.4, official py-clob-client-v2 vector)"
                [
                    let wallet = "0x1111111111111111111111111111111111111111"
                    let domain = ExchangeDomain.Get(80002L, ExchangeKind.CtfExchangeV2)

                    testCase "reproduces the inner TypedDataSign digest"
                    <| fun () ->
                        Expect.equal
                            (hex (OrderSigner.DepositWalletDigest(vectorOrder wallet SignatureType.Poly1271, domain)))
                            "0xc31d535831b64decf4687570628e5765c218fc3c4a7b582c7bd3105525f76a8c"
                            "inner digest"

                    testCase "the inner digest agrees with the generic encoder's TypedDataSign struct"
                    <| fun () ->
                        let o = vectorOrder wallet SignatureType.Poly1271

                        let message =
                            dict
                                [
                                    "contents", box (asMessage o)
                                    "name", box "DepositWallet"
                                    "version", box "1"
                                    "chainId", box 80002
                                    "verifyingContract", box wallet
                                    "salt", box Bytes32.Zero
                                ]
                            |> Dictionary<string, obj>

                        Expect.equal
                            (OrderSigner.Types.EncodeType "TypedDataSign")
                            (OrderSigner.TypedDataSignTypeString + OrderSigner.OrderTypeString)
                            "type string"

                        Expect.equal
                            (hex (
                                Eip712.Digest(domain.Separator, OrderSigner.Types.HashStruct("TypedDataSign", message))
                            ))
                            "0xc31d535831b64decf4687570628e5765c218fc3c4a7b582c7bd3105525f76a8c"
                            "generic inner digest"

                    testCase "reproduces the full ERC-7739 signature blob"
                    <| fun () ->
                        let signed =
                            OrderSigner.Sign(vectorOrder wallet SignatureType.Poly1271, domain, anvilKey)

                        Expect.equal
                            signed.Signature
                            "0xa3a093c83b6c20c83355c16ce94c92e6e9fcbdeb840618cc74f6c57a42ad145b2b98db73d2c73cbf1f2b6af288566ae81960ddbc3a13921027358a8bff3be6ff1ca440cbd865bc0c6243d7a8df9a8bf48a8827b0a4abbb61c30e96d305423af148d23d42d3ad94e65d78258cecaf8dcbaddac0f73dc085040f2c12bb595dd838044f726465722875696e743235362073616c742c61646472657373206d616b65722c61646472657373207369676e65722c75696e7432353620746f6b656e49642c75696e74323536206d616b6572416d6f756e742c75696e743235362074616b6572416d6f756e742c75696e743820736964652c75696e7438207369676e6174757265547970652c75696e743235362074696d657374616d702c62797465733332206d657461646174612c62797465733332206275696c6465722900ba"
                            "blob"

                        Expect.equal (OrderSigner.RecoverSigner(signed, domain)) anvilKey.Address "owner recovered"

                    testCase "a POLY_1271 builder makes the deposit wallet both maker and signer"
                    <| fun () ->
                        let builder =
                            builderWith (
                                OrderBuilderOptions(
                                    SignatureType = SignatureType.Poly1271,
                                    Funder = Address.Parse wallet,
                                    SaltSource = Func<int64>(fun () -> 1L),
                                    TimeProvider = vectorClock ()
                                )
                            )

                        let signed =
                            builder
                                .CreateLimitOrder(LimitOrderRequest(TokenId.Parse "1234", Side.Buy, 0.5m, 10m), market)
                                .Value

                        Expect.equal
                            (signed.Order.Maker.Checksummed, signed.Order.Signer.Checksummed)
                            (wallet, wallet)
                            "maker = signer = wallet"

                        Expect.equal signed.Order.SignatureType SignatureType.Poly1271 "type 3"

                        Expect.equal
                            (OrderSigner.RecoverSigner(signed, builder.DomainFor market))
                            anvilKey.Address
                            "owner signs"
                ]

            testList
                "OrderBuilder"
                [
                    testCase "builds and signs the §6.4 end-to-end order"
                    <| fun () ->
                        let signed =
                            (vectorBuilder ())
                                .CreateLimitOrder(
                                    LimitOrderRequest(TokenId.Parse polymarketE2eToken, Side.Buy, 0.56m, 21.04m),
                                    market
                                )
                                .Value

                        Expect.equal
                            (signed.Order.MakerAmount, signed.Order.TakerAmount)
                            (11782400L, 21040000L)
                            "amounts (L2)"

                        Expect.equal signed.Order.Timestamp 1710000000000L "timestamp in milliseconds"

                        Expect.equal
                            signed.OrderId
                            "0xdcf2d6453bc6e997192ae0fa65e13db7725e5f21b92762696c3a661a68e4f63f"
                            "order hash"

                        Expect.equal
                            signed.Signature
                            "0xbe22dcae8bdbbedc588720605918c2bc6c556e19ff9c4089c706982b9202e0fe776c191f60767acd28e6420bce71edec0397c0b356458113130a37c5a0dd03501c"
                            "signature"
                    for signatureType in [ SignatureType.PolyProxy; SignatureType.PolyGnosisSafe ] do
                        testCase $"makes the funder the maker and the EOA the signer for {signatureType}"
                        <| fun () ->
                            let funder = Address.Parse "0x2222222222222222222222222222222222222222"

                            let builder =
                                builderWith (
                                    OrderBuilderOptions(
                                        SignatureType = signatureType,
                                        Funder = funder,
                                        TimeProvider = vectorClock ()
                                    )
                                )

                            let signed =
                                builder
                                    .CreateLimitOrder(LimitOrderRequest(TokenId.Parse "1", Side.Sell, 0.3m, 7m), market)
                                    .Value

                            Expect.equal signed.Order.Maker funder "maker"
                            Expect.equal signed.Order.Signer anvilKey.Address "signer"
                            Expect.equal signed.Order.SignatureType signatureType "type"

                            Expect.equal
                                (OrderSigner.RecoverSigner(signed, builder.DomainFor market))
                                anvilKey.Address
                                "EOA signs"
                    testCase "rejects funder configurations that do not fit the signature type"
                    <| fun () ->
                        let other = Address.Parse "0x2222222222222222222222222222222222222222"

                        Expect.throwsT<ArgumentException>
                            (fun () ->
                                builderWith (OrderBuilderOptions(SignatureType = SignatureType.Eoa, Funder = other))
                                |> ignore)
                            "EOA with a foreign funder"

                        Expect.throwsT<ArgumentException>
                            (fun () ->
                                builderWith (OrderBuilderOptions(SignatureType = SignatureType.PolyGnosisSafe))
                                |> ignore)
                            "Safe without funder"

                        Expect.throwsT<ArgumentException>
                            (fun () ->
                                builderWith (OrderBuilderOptions(SignatureType = SignatureType.Poly1271))
                                |> ignore)
                            "1271 without funder"

                        Expect.throwsT<ArgumentException>
                            (fun () -> builderWith (OrderBuilderOptions(ChainId = 1L)) |> ignore)
                            "unknown chain"
                    testCase "signs against ExchangeV3 for a Protocol-V2 market"
                    <| fun () ->
                        let v2Market = MarketInfo(TickSize.OneHundredth, true, 5m, ProtocolV2 = true)

                        let signed =
                            (vectorBuilder ())
                                .CreateLimitOrder(
                                    LimitOrderRequest(TokenId.Parse "1234", Side.Buy, 0.5m, 200m),
                                    v2Market
                                )
                                .Value

                        Expect.equal
                            signed.Hash
                            (OrderSigner.Hash(signed.Order, ExchangeDomain.Get(137L, ExchangeKind.ExchangeV3)))
                            "V3 domain"
                    testCase "draws salts below 2^53 from the default source"
                    <| fun () ->
                        let builder = builderWith (OrderBuilderOptions())

                        let salts =
                            [
                                for _ in 1..50 ->
                                    builder
                                        .BuildLimitOrder(
                                            LimitOrderRequest(TokenId.Parse "1", Side.Buy, 0.5m, 10m),
                                            market
                                        )
                                        .Value.Salt
                            ]

                        Expect.all salts (fun s -> s >= 0L && s <= Order.MaxSalt) "range"
                        Expect.isGreaterThan (List.distinct salts |> List.length) 45 "random"
                    testCase "builds a market BUY from an amount in pUSD"
                    <| fun () ->
                        let order =
                            (vectorBuilder ())
                                .BuildMarketOrder(MarketOrderRequest(TokenId.Parse "1", Side.Buy, 100m, 0.56m), market)
                                .Value

                        Expect.equal
                            (order.MakerAmount, order.TakerAmount, order.Expiration)
                            (100000000L, 178571400L, 0L)
                            "M2"
                    testCase "builds a GTD order carrying its expiration"
                    <| fun () ->
                        let request =
                            LimitOrderRequest(
                                TokenId.Parse "1",
                                Side.Buy,
                                0.5m,
                                10m,
                                OrderType = OrderType.Gtd,
                                Expiration = 1710000180L
                            )

                        Expect.equal
                            ((vectorBuilder ()).BuildLimitOrder(request, market).Value.Expiration)
                            1710000180L
                            "expiration"
                ]

            testList
                "validation"
                [
                    let limit price size =
                        (vectorBuilder ())
                            .BuildLimitOrder(LimitOrderRequest(TokenId.Parse "1", Side.Buy, price, size), market)

                    let marketOrder side amount price orderType =
                        (vectorBuilder ())
                            .BuildMarketOrder(
                                MarketOrderRequest(TokenId.Parse "1", side, amount, price, OrderType = orderType),
                                market
                            )

                    testCase "rejects a price off the tick grid"
                    <| fun () ->
                        Expect.equal (errorKind (limit 0.555m 10m)) (Some OrderErrorKind.PriceOffTick) "0.555 on 0.01"

                    testCase "rejects prices outside (0, 1)"
                    <| fun () ->
                        for price in [ 0m; 1m; -0.5m; 1.5m; 0.995m ] do
                            Expect.equal
                                (errorKind (limit price 10m))
                                (Some OrderErrorKind.PriceOutOfRange)
                                $"price {price}"

                    testCase "accepts the extreme ticks tick and 1 − tick"
                    <| fun () ->
                        Expect.isTrue (limit 0.01m 10m).IsOk "0.01"
                        Expect.isTrue (limit 0.99m 10m).IsOk "0.99"

                    testCase "rejects a size of zero or less"
                    <| fun () ->
                        Expect.equal (errorKind (limit 0.5m 0m)) (Some OrderErrorKind.SizeNotPositive) "0"
                        Expect.equal (errorKind (limit 0.5m -3m)) (Some OrderErrorKind.SizeNotPositive) "-3"

                    testCase "rejects a size below the market minimum after rounding"
                    <| fun () ->
                        Expect.equal
                            (errorKind (limit 0.5m 4.999m))
                            (Some OrderErrorKind.BelowMinimumSize)
                            "4.999 → 4.99 < 5"

                        Expect.isTrue (limit 0.5m 5m).IsOk "5 is enough"

                    testCase "rejects an amount that rounds to zero"
                    <| fun () ->
                        let noMinimum = MarketInfo(TickSize.OneHundredth, false, 0m)

                        let result =
                            (vectorBuilder ())
                                .BuildLimitOrder(
                                    LimitOrderRequest(TokenId.Parse "1", Side.Buy, 0.5m, 0.001m),
                                    noMinimum
                                )

                        Expect.equal (errorKind result) (Some OrderErrorKind.AmountRoundsToZero) "0.001 shares"

                    testCase "rejects a marketable order below $1"
                    <| fun () ->
                        Expect.equal
                            (errorKind (marketOrder Side.Buy 0.99m 0.5m OrderType.Fok))
                            (Some OrderErrorKind.BelowMinimumNotional)
                            "BUY $0.99"

                        Expect.equal
                            (errorKind (marketOrder Side.Sell 1.9m 0.5m OrderType.Fak))
                            (Some OrderErrorKind.BelowMinimumNotional)
                            "SELL 1.9 × 0.5"

                        Expect.isTrue (marketOrder Side.Sell 2m 0.5m OrderType.Fak).IsOk "SELL 2 × 0.5"

                    testCase "rejects a marketable limit order below $1"
                    <| fun () ->
                        let build price size =
                            (vectorBuilder ())
                                .BuildLimitOrder(
                                    LimitOrderRequest(
                                        TokenId.Parse "1",
                                        Side.Buy,
                                        price,
                                        size,
                                        OrderType = OrderType.Fak
                                    ),
                                    market
                                )

                        Expect.equal
                            (errorKind (build 0.1m 9.99m))
                            (Some OrderErrorKind.BelowMinimumNotional)
                            "9.99 × 0.1"

                        Expect.isTrue (build 0.1m 10m).IsOk "10 × 0.1"

                    testCase "rejects a market order that is not FOK or FAK"
                    <| fun () ->
                        Expect.equal
                            (errorKind (marketOrder Side.Buy 10m 0.5m OrderType.Gtc))
                            (Some OrderErrorKind.InvalidOrderType)
                            "GTC"

                    testCase "rejects a GTD order expiring too soon and a GTC order with an expiration"
                    <| fun () ->
                        let build orderType expiration =
                            (vectorBuilder ())
                                .BuildLimitOrder(
                                    LimitOrderRequest(
                                        TokenId.Parse "1",
                                        Side.Buy,
                                        0.5m,
                                        10m,
                                        OrderType = orderType,
                                        Expiration = expiration
                                    ),
                                    market
                                )

                        Expect.equal
                            (errorKind (build OrderType.Gtd 1710000179L))
                            (Some OrderErrorKind.InvalidExpiration)
                            "179 s ahead"

                        Expect.equal
                            (errorKind (build OrderType.Gtd 0L))
                            (Some OrderErrorKind.InvalidExpiration)
                            "GTD without expiration"

                        Expect.equal
                            (errorKind (build OrderType.Gtc 1710000500L))
                            (Some OrderErrorKind.InvalidExpiration)
                            "GTC with expiration"

                    testCase "rejects sizes beyond the supported range"
                    <| fun () ->
                        Expect.equal
                            (errorKind (limit 0.5m 2_000_000_000_000m))
                            (Some OrderErrorKind.AmountTooLarge)
                            "2e12"

                    testCase "rejects a salt above 2^53 − 1"
                    <| fun () ->
                        Expect.throwsT<ArgumentOutOfRangeException>
                            (fun () ->
                                Order(
                                    1L <<< 53,
                                    anvilKey.Address,
                                    anvilKey.Address,
                                    TokenId.Parse "1",
                                    1L,
                                    1L,
                                    Side.Buy,
                                    SignatureType.Eoa,
                                    0L
                                )
                                |> ignore)
                            "2^53"
                ]
        ]
