/// `order build` and `auth headers`: CLOB V2 order signing and authentication headers.
module PolymarketAlgo.Cli.OrderCommands

open System
open Argu
open PolymarketAlgo.Executor.Auth
open PolymarketAlgo.Executor.Crypto
open PolymarketAlgo.Executor.Orders
open PolymarketAlgo.Cli.Arguments
open PolymarketAlgo.Cli.Output

/// A clock stopped at one instant (for `--timestamp-ms`).
type private FixedClock(now: DateTimeOffset) =
    inherit TimeProvider()
    override _.GetUtcNow() = now

let private parseSide (text: string) =
    match text.ToUpperInvariant() with
    | "BUY" -> Side.Buy
    | "SELL" -> Side.Sell
    | other -> usage $"--side '{other}' must be BUY or SELL"

let private parseOrderType (text: string) =
    match text.ToUpperInvariant() with
    | "GTC" -> OrderType.Gtc
    | "GTD" -> OrderType.Gtd
    | "FOK" -> OrderType.Fok
    | "FAK" -> OrderType.Fak
    | other -> usage $"--order-type '{other}' must be GTC, GTD, FOK or FAK"

let private parseTick (value: decimal) =
    match TickSize.TryFromValue value with
    | true, tick -> tick
    | _ -> usage $"--tick-size {value} is not a Polymarket tick (0.1, 0.01, 0.005, 0.001, 0.0025, 0.0001)"

let private orThrow (result: OrderResult<'T>) =
    match result.Error with
    | null -> result.Value
    | error -> usage error.Message

/// `order build`: builds and signs an order; with `--dry-run` prints the exact POST /order body and hash.
let build (args: ParseResults<OrderBuildArgs>) =
    let tokenId =
        match TokenId.TryParse(args.GetResult OrderBuildArgs.Token_Id) with
        | true, id -> id
        | _ -> usage "--token-id must be the token's decimal id"

    let side = parseSide (args.GetResult OrderBuildArgs.Side)

    let tick =
        parseTick (args.GetResult(OrderBuildArgs.Tick_Size, defaultValue = 0.01M))

    let exchangeVersion =
        args.GetResult(OrderBuildArgs.Exchange_Version, defaultValue = 2)

    if exchangeVersion <> 2 && exchangeVersion <> 3 then
        usage $"--exchange-version {exchangeVersion} must be 2 or 3"

    let signatureType =
        match args.GetResult(OrderBuildArgs.Signature_Type, defaultValue = 0) with
        | 0 -> SignatureType.Eoa
        | 1 -> SignatureType.PolyProxy
        | 2 -> SignatureType.PolyGnosisSafe
        | 3 -> SignatureType.Poly1271
        | other -> usage $"--signature-type {other} must be 0, 1, 2 or 3"

    let funder =
        args.TryGetResult OrderBuildArgs.Funder
        |> Option.map (fun text ->
            match Address.TryParse text with
            | true, address -> address
            | _ -> usage $"--funder '{text}' is not an address")

    let clock =
        match args.TryGetResult OrderBuildArgs.Timestamp_Ms with
        | Some ms -> FixedClock(DateTimeOffset.FromUnixTimeMilliseconds ms) :> TimeProvider
        | None -> TimeProvider.System

    let salt = args.TryGetResult OrderBuildArgs.Salt

    match salt with
    | Some s when s < 0L || s > 9007199254740991L -> usage $"--salt {s} must be between 0 and 2^53-1"
    | _ -> ()

    let credentials =
        SecretSources.credentials
            (args.TryGetResult OrderBuildArgs.Private_Key_File)
            (args.TryGetResult OrderBuildArgs.Credentials_File)

    let builder =
        try
            OrderBuilder(
                credentials.PrivateKey,
                OrderBuilderOptions(
                    ChainId = args.GetResult(OrderBuildArgs.Chain_Id, defaultValue = 137L),
                    SignatureType = signatureType,
                    Funder = Option.toObj funder,
                    SaltSource =
                        (match salt with
                         | Some s -> Func<int64>(fun () -> s)
                         | None -> null),
                    TimeProvider = clock
                )
            )
        with :? ArgumentException as e ->
            usage e.Message

    let market =
        MarketInfo(
            tick,
            args.Contains OrderBuildArgs.Neg_Risk,
            args.GetResult(OrderBuildArgs.Min_Size, defaultValue = 5M),
            ProtocolV2 = (exchangeVersion = 3)
        )

    let isMarket = args.Contains OrderBuildArgs.Market

    let orderType =
        args.TryGetResult OrderBuildArgs.Order_Type
        |> Option.map parseOrderType
        |> Option.defaultValue (if isMarket then OrderType.Fok else OrderType.Gtc)

    let signed =
        if isMarket then
            let amount =
                args.TryGetResult OrderBuildArgs.Amount
                |> Option.defaultWith (fun () -> usage "--market needs --amount (collateral for BUY, shares for SELL)")

            let price =
                args.TryGetResult OrderBuildArgs.Price
                |> Option.defaultWith (fun () -> usage "--market needs --price (the worst price you accept)")

            builder.CreateMarketOrder(MarketOrderRequest(tokenId, side, amount, price, OrderType = orderType), market)
            |> orThrow
        else
            let price =
                args.TryGetResult OrderBuildArgs.Price
                |> Option.defaultWith (fun () -> usage "a limit order needs --price")

            let size =
                args.TryGetResult OrderBuildArgs.Size
                |> Option.defaultWith (fun () -> usage "a limit order needs --size")

            let request =
                LimitOrderRequest(
                    tokenId,
                    side,
                    price,
                    size,
                    OrderType = orderType,
                    Expiration = args.GetResult(OrderBuildArgs.Expiration, defaultValue = 0L)
                )

            builder.CreateLimitOrder(request, market) |> orThrow

    // The owner field is the API key; without credentials a dry run shows the nil UUID in its place.
    let owner =
        credentials.ApiKey
        |> Option.ofObj
        |> Option.defaultValue "00000000-0000-0000-0000-000000000000"

    let submission = OrderSubmission.Create(signed, owner, orderType) |> orThrow
    let body = OrderSerializer.Serialize submission

    if args.Contains OrderBuildArgs.Dry_Run then
        if args.Contains OrderBuildArgs.Json then
            Console.Out.WriteLine($"{{\"order_hash\":\"{signed.OrderId}\",\"body\":{body}}}")
        else
            printfn "order hash: %s" signed.OrderId

            if not credentials.HasApiCredentials then
                eprintfn
                    "note: no API credentials, so \"owner\" is the nil UUID; set POLYMARKET_API_KEY/SECRET/PASSPHRASE"

            Console.Out.WriteLine body
    else
        if not credentials.HasApiCredentials then
            usage "posting an order needs API credentials: run `polymarket-algo auth derive` (or use --dry-run)"

        let endpoints: MarketCommands.Endpoints =
            {
                Clob = args.TryGetResult OrderBuildArgs.Clob_Url
                Gamma = None
                DataApi = None
            }

        let clob = MarketCommands.authenticatedClob endpoints credentials
        let response = MarketCommands.call (clob.PostOrderAsync body)

        if args.Contains OrderBuildArgs.Json then
            printJson (
                Object
                    [
                        "order_hash", Text signed.OrderId
                        "success", Bool response.Success
                        "order_id", (response.OrderId |> Option.ofObj |> Option.map Text |> Option.defaultValue Null)
                        "status", (response.Status |> Option.ofObj |> Option.map Text |> Option.defaultValue Null)
                        "error", (response.ErrorMsg |> Option.ofObj |> Option.map Text |> Option.defaultValue Null)
                    ]
            )
        else
            printfn
                "order %s: %s %s"
                signed.OrderId
                (if response.Success then "accepted" else "rejected")
                (string response.Status)

        if not response.Success then
            failed $"the exchange rejected the order: {response.ErrorMsg}"

/// `auth headers`: L1 or L2 headers for a request, to debug with curl.
let headers (args: ParseResults<AuthHeadersArgs>) =
    let credentials =
        SecretSources.credentials
            (args.TryGetResult AuthHeadersArgs.Private_Key_File)
            (args.TryGetResult AuthHeadersArgs.Credentials_File)

    let method = (args.GetResult AuthHeadersArgs.Method).ToUpperInvariant()
    let path = args.GetResult AuthHeadersArgs.Path

    if not (path.StartsWith "/") then
        usage $"--path '{path}' must start with /"

    let headers =
        match args.GetResult(AuthHeadersArgs.Level, defaultValue = 2) with
        | 1 ->
            ClobAuth.CreateHeaders(
                credentials.PrivateKey,
                args.GetResult(AuthHeadersArgs.Chain_Id, defaultValue = 137L),
                TimeProvider.System
            )
        | 2 when not credentials.HasApiCredentials ->
            usage
                "L2 headers need API credentials: run `polymarket-algo auth derive` or set POLYMARKET_API_KEY/SECRET/PASSPHRASE"
        | 2 ->
            L2Auth.CreateHeaders(
                credentials,
                TimeProvider.System,
                method,
                path,
                Option.toObj (args.TryGetResult AuthHeadersArgs.Body)
            )
        | other -> usage $"--level {other} must be 1 or 2"

    if args.Contains AuthHeadersArgs.Json then
        printJson (Object [ for KeyValue(name, value) in headers.Values -> name, Text value ])
    else
        for KeyValue(name, value) in headers.Values do
            printfn "-H '%s: %s'" name value
