module PolymarketAlgo.Executor.Tests.OrderBookReaderTests

open System
open System.Globalization
open System.IO
open System.Text
open System.Text.Json
open Expecto
open PolymarketAlgo.Executor.Rest
open PolymarketAlgo.Tests.TestHelpers

/// A decimal from a mantissa and a scale, written the way a JSON book writes it.
let private text (mantissa: int64) (scale: byte) =
    let value =
        Decimal(int (mantissa &&& 0xFFFFFFFFL), int (mantissa >>> 32), 0, false, scale % 10uy)

    value, value.ToString(CultureInfo.InvariantCulture)

[<Tests>]
let tests =
    testList
        "OrderBookReader"
        [
            testProp "reads every decimal exactly, as a string or a number"
            <| fun (mantissa: FsCheck.NonNegativeInt) (scale: byte) (negative: bool) ->
                let value, written = text (int64 mantissa.Get * 1013L) scale
                let value, written = if negative then -value, "-" + written else value, written

                let json =
                    $"{{\"asset_id\":\"1\",\"bids\":[{{\"price\":\"{written}\",\"size\":{written}}}],\"asks\":[]}}"

                let book = ClobClient.ParseBook(ReadOnlySpan(Encoding.UTF8.GetBytes json))
                book.Bids[0].Price = value && book.Bids[0].Size = value

            testCase "reads the recorded CLOB book level by level"
            <| fun () ->
                let path =
                    sharedPath "data/polymarket/nautilus_trader/integration_resources/http_responses/book.json"

                let bytes = File.ReadAllBytes path
                let book = ClobClient.ParseBook(ReadOnlySpan bytes)
                use document = JsonDocument.Parse bytes

                let levels (side: string) =
                    [
                        for level in document.RootElement.GetProperty(side).EnumerateArray() ->
                            Decimal.Parse(level.GetProperty("price").GetString(), CultureInfo.InvariantCulture),
                            Decimal.Parse(level.GetProperty("size").GetString(), CultureInfo.InvariantCulture)
                    ]

                Expect.equal [ for l in book.Bids -> l.Price, l.Size ] (levels "bids") "bids"
                Expect.equal [ for l in book.Asks -> l.Price, l.Size ] (levels "asks") "asks"
                Expect.equal book.AssetId (document.RootElement.GetProperty("asset_id").GetString()) "asset"

            testCase "a body without bids is not a book"
            <| fun () ->
                Expect.throwsT<JsonException>
                    (fun () ->
                        ClobClient.ParseBook(ReadOnlySpan(Encoding.UTF8.GetBytes """{"asset_id":"1","asks":[]}"""))
                        |> ignore)
                    "missing bids"
        ]
