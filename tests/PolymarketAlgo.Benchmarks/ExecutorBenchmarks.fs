/// Executor benchmarks: order signing, payload parsing, book updates and replay throughput.
module PolymarketAlgo.Benchmarks.ExecutorBenchmarks

open System
open System.IO
open System.Text
open BenchmarkDotNet.Attributes
open PolymarketAlgo.Executor.Books
open PolymarketAlgo.Executor.Orders
open PolymarketAlgo.Executor.Recording
open PolymarketAlgo.Executor.Rest
open PolymarketAlgo.Executor.Secrets
open PolymarketAlgo.Executor.Streaming
open PolymarketAlgo.Benchmarks.CoreBenchmarks

/// Hardhat's first development key: a public test key, never a real wallet.
let private testKey =
    PrivateKey.Parse "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"

let private tokenId =
    TokenId.Parse "71321045679252212594626385532706912750332728571942532289631379312455583992563"

/// Signing and serialising one V2 order.
[<MemoryDiagnoser; ShortRunJob>]
type OrderSigningBenchmark() =
    let builder =
        OrderBuilder(testKey, OrderBuilderOptions(SaltSource = Func<int64>(fun () -> 479249096354L)))

    let market = MarketInfo(TickSize.OneHundredth, false, 5M)
    let request = LimitOrderRequest(tokenId, Side.Buy, 0.56M, 21.04M)
    let order = builder.BuildLimitOrder(request, market).Value

    /// EIP-712 hash and secp256k1 signature of a built order.
    [<Benchmark>]
    member _.SignV2Order() = builder.Sign(order, market)

    /// Validate, compute amounts, sign and serialise the exact POST /order body.
    [<Benchmark>]
    member _.BuildSignSerialize() =
        let signed = builder.CreateLimitOrder(request, market).Value

        OrderSerializer.Serialize(
            OrderSubmission.Create(signed, "00000000-0000-0000-0000-000000000000", OrderType.Gtc).Value
        )

/// A `/book` response with 100 levels a side, parsed as the REST client parses it.
[<MemoryDiagnoser; ShortRunJob>]
type BookParseBenchmark() =
    let body =
        let levels (start: float) (step: float) =
            String.Join(
                ",",
                [
                    for i in 0..99 -> $"{{\"price\":\"{start + step * float i:F2}\",\"size\":\"{100 + i}.5\"}}"
                ]
            )

        Encoding.UTF8.GetBytes(
            $"{{\"market\":\"0x1a4f\",\"asset_id\":\"123\",\"timestamp\":\"1728799418260\",\"hash\":\"abc\",\"bids\":[{levels 0.01 0.004}],\"asks\":[{levels 0.99 -0.004}],\"min_order_size\":\"5\",\"tick_size\":\"0.01\",\"neg_risk\":false}}"
        )

    /// Parse 200 levels into decimals.
    [<Benchmark>]
    member _.ParseBook100Levels() = ClobClient.ParseBook(ReadOnlySpan body)

/// The recorded market-channel messages: parse one price_change, apply it, replay everything.
[<MemoryDiagnoser; ShortRunJob>]
type MarketStreamBenchmark() =
    let folder = Path.Combine(repoRoot, "..", "shared", "data", "polymarket")

    let burst =
        let text =
            File.ReadAllText(
                Path.Combine(
                    folder,
                    "nautilus_trader",
                    "crates_test_data",
                    "ws_market_price_change_crossing_burst.json"
                )
            )

        use document = Text.Json.JsonDocument.Parse text

        [|
            for element in document.RootElement.EnumerateArray() -> Encoding.UTF8.GetBytes(element.GetRawText())
        |]

    let priceChange =
        burst
        |> Array.find (fun frame -> Encoding.UTF8.GetString(frame).Contains "price_change")

    let snapshot = burst[0]
    let parser = MarketMessageParser()
    let books = BookManager()

    let recorded =
        ParquetBookRecording
            .ReadMessagesAsync(
                Directory.GetFiles(Path.Combine(folder, "cronosvirus00_btc5m_book_parquet"), "*.parquet")
                |> Array.sort
            )
            .GetAwaiter()
            .GetResult()

    do parser.Parse(ReadOnlySpan snapshot, books) |> ignore

    /// Parse one batched price_change frame (no handler work).
    [<Benchmark>]
    member _.ParsePriceChange() =
        parser.Parse(
            ReadOnlySpan priceChange,
            { new MarketEventHandler() with
                member _.OnPriceChange _ = ()
            }
        )

    /// Parse one price_change frame and apply its changes to the local books.
    [<Benchmark>]
    member _.ParseAndApplyPriceChange() =
        parser.Parse(ReadOnlySpan priceChange, books)

    /// Replay all 11,640 recorded Parquet book messages at max speed (one operation = one message).
    [<Benchmark(OperationsPerInvoke = 11640)>]
    member _.ReplayParquetPerMessage() =
        MarketReplay().RunAsync(messages = recorded).GetAwaiter().GetResult()
