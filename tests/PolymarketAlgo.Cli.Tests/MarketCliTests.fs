module PolymarketAlgo.Cli.Tests.MarketCliTests

open System
open System.IO
open System.Net
open System.Net.Sockets
open System.Text
open System.Text.Json
open System.Threading
open Expecto
open PolymarketAlgo.Tests.TestHelpers
open PolymarketAlgo.Cli.Tests.CliRunner

let private gammaMarket =
    sharedPath "data/polymarket/nautilus_trader/crates_test_data/gamma_market.json"

let private clobBook =
    sharedPath "data/polymarket/nautilus_trader/integration_resources/http_responses/book.json"

/// A free loopback port.
let private freePort () =
    use listener = new TcpListener(IPAddress.Loopback, 0)
    listener.Start()
    (listener.LocalEndpoint :?> IPEndPoint).Port

/// An HttpListener on 127.0.0.1 serving recorded payloads by path until disposed.
type private RecordedServer(routes: Map<string, string>) =
    let port = freePort ()
    let listener = new HttpListener()
    let stop = new CancellationTokenSource()
    do listener.Prefixes.Add $"http://127.0.0.1:{port}/"
    do listener.Start()

    let loop =
        task {
            while not stop.IsCancellationRequested do
                let! context = listener.GetContextAsync()
                let path = context.Request.Url.AbsolutePath

                let status, body =
                    match routes.TryFind path with
                    | Some file -> 200, File.ReadAllBytes file
                    | None -> 404, Encoding.UTF8.GetBytes """{"error":"not found"}"""

                context.Response.StatusCode <- status
                context.Response.ContentType <- "application/json"
                do! context.Response.OutputStream.WriteAsync(body, 0, body.Length)
                context.Response.Close()
        }

    member _.Url = $"http://127.0.0.1:{port}"

    interface IDisposable with
        member _.Dispose() =
            stop.Cancel()
            listener.Stop()
            listener.Close()

[<Tests>]
let tests =
    testSequenced
    <| testList
        "CLI market data commands"
        [
            testCase "market SLUG parses the recorded Gamma market's tokens and prices"
            <| fun () ->
                use server =
                    new RecordedServer(Map [ "/markets/slug/btc-updown-5m-1773307200", gammaMarket ])

                let result =
                    run [ "market"; "btc-updown-5m-1773307200"; "--gamma-url"; server.Url; "--json" ]

                Expect.equal result.ExitCode 0 result.Stderr
                use recorded = JsonDocument.Parse(File.ReadAllText gammaMarket)

                let tokens =
                    JsonDocument.Parse(recorded.RootElement.GetProperty("clobTokenIds").GetString()).RootElement

                let prices =
                    JsonDocument.Parse(recorded.RootElement.GetProperty("outcomePrices").GetString()).RootElement

                let json = result.Json
                Expect.equal (json.GetProperty("up_token_id").GetString()) (tokens[0].GetString()) "up token"
                Expect.equal (json.GetProperty("down_token_id").GetString()) (tokens[1].GetString()) "down token"

                Expect.equal
                    (json.GetProperty("up_price").GetDouble())
                    (Double.Parse(prices[0].GetString(), Globalization.CultureInfo.InvariantCulture))
                    "up price"

                Expect.equal
                    (json.GetProperty("window_start").GetString())
                    "2026-03-12T09:20:00Z"
                    "window start from the slug"

            testCase "book TOKEN_ID sorts the recorded book's levels best first"
            <| fun () ->
                use server = new RecordedServer(Map [ "/book", clobBook ])

                let result =
                    run [ "book"; "123"; "--clob-url"; server.Url; "--json"; "--depth"; "3" ]

                Expect.equal result.ExitCode 0 result.Stderr
                use recorded = JsonDocument.Parse(File.ReadAllText clobBook)

                let prices side =
                    [
                        for level in recorded.RootElement.GetProperty(side: string).EnumerateArray() ->
                            Double.Parse(
                                level.GetProperty("price").GetString(),
                                Globalization.CultureInfo.InvariantCulture
                            )
                    ]

                let shown side =
                    [
                        for level in result.Json.GetProperty(side: string).EnumerateArray() ->
                            level.GetProperty("price").GetDouble()
                    ]

                Expect.equal (shown "bids") (prices "bids" |> List.sortDescending |> List.truncate 3) "best bids"
                Expect.equal (shown "asks") (prices "asks" |> List.sort |> List.truncate 3) "best asks"

            testCase "an unknown slug and an unreachable host fail in one line with exit code 1"
            <| fun () ->
                use server = new RecordedServer(Map.empty)

                let missing =
                    run [ "market"; "btc-updown-5m-1773307200"; "--gamma-url"; server.Url ]

                Expect.equal missing.ExitCode 1 missing.Stderr
                Expect.stringContains missing.Stderr "no market" "says no market"
                let bad = run [ "book"; "1"; "--clob-url"; "not a url" ]
                Expect.equal bad.ExitCode 2 bad.Stderr
        ]

[<Tests>]
let replayTests =
    testList
        "CLI replay"
        [
            testCase "replay of the Parquet book recordings counts every recorded message"
            <| fun () ->
                let result =
                    run
                        [
                            "replay"
                            "--input"
                            sharedPath "data/polymarket/cronosvirus00_btc5m_book_parquet"
                            "--json"
                        ]

                Expect.equal result.ExitCode 0 result.Stderr
                // SOURCES.md: 4,550 + 3,956 + 3,134 rows, one book message each.
                Expect.equal (result.Json.GetProperty("messages").GetInt64()) 11640L "messages"
                Expect.equal (result.Json.GetProperty("events").GetProperty("Book").GetInt64()) 11640L "book events"
                Expect.equal (result.Json.GetProperty("skipped").GetInt64()) 0L "nothing skipped"
                Expect.isGreaterThan (result.Json.GetProperty("books").GetArrayLength()) 0 "books"

            testCase "replay of a missing recording is bad input"
            <| fun () ->
                let result = run [ "replay"; "--input"; "/no/such/recording" ]
                Expect.equal result.ExitCode 2 result.Stderr
        ]
