module PolymarketAlgo.Core.Tests.BookReplayTests

open System
open System.Globalization
open System.Text.Json
open Expecto
open PolymarketAlgo.Core
open PolymarketAlgo.Core.Tests.NativeData
open PolymarketAlgo.Executor.Recording

let private level (price: decimal) (size: decimal) = RecordedLevel(price, size)
let private start = DateTimeOffset.FromUnixTimeSeconds 1776323700L

let private market (frames: BookFrame[]) (resolution: TokenResolution) =
    {
        Slug = "btc-updown-5m-1776323700"
        AssetId = "token"
        WindowStart = start
        WindowEnd = start.AddMinutes 5.0
        Frames = frames
        MinimumOrderSize = 5M
        Resolution = resolution
    }

let private startMs = start.ToUnixTimeMilliseconds()

/// Asks 0.44 × 100, 0.45 × 50, 0.47 × 200; bids 0.43 × 30, 0.40 × 100 (so the other outcome's asks are
/// 0.57 × 30 and 0.60 × 100).
let private book =
    {
        TimeMs = startMs + 1000L
        Bids = [| level 0.43M 30M; level 0.40M 100M |]
        Asks = [| level 0.44M 100M; level 0.45M 50M; level 0.47M 200M |]
    }

let private buy (side: int) (shares: decimal) : BookOrder = { Side = side; Shares = shares }

/// The recorded rows: (receive ms, slug, raw message), in receive order.
let private rows =
    lazy
        (ParquetBookRecording.ReadRowsAsync([ booksPath ]).GetAwaiter().GetResult()
         |> Seq.map (fun row -> int64 (Math.Round(row.timestamp.Value * 1000.0)), row.slug, row.raw_data)
         |> Seq.sortBy (fun (t, _, _) -> t)
         |> Array.ofSeq)

let private levels (message: JsonElement) (name: string) =
    [|
        for entry in message.GetProperty(name).EnumerateArray() ->
            level
                (Decimal.Parse(entry.GetProperty("price").GetString(), CultureInfo.InvariantCulture))
                (Decimal.Parse(entry.GetProperty("size").GetString(), CultureInfo.InvariantCulture))
    |]

/// Each `book` message is a full snapshot: one frame per row, levels sorted best first.
let private frameOf (time: int64) (raw: string) =
    use document = JsonDocument.Parse raw

    {
        TimeMs = time
        Bids = levels document.RootElement "bids" |> Array.sortByDescending (fun l -> l.Price)
        Asks = levels document.RootElement "asks" |> Array.sortBy (fun l -> l.Price)
    }

let private recorded =
    lazy
        (rows.Value
         |> Array.groupBy (fun (_, slug, _) -> slug)
         |> Array.map (fun (slug, group) ->
             let windowStart =
                 DateTimeOffset.FromUnixTimeSeconds(int64 (slug.Split('-') |> Array.last))

             let frames = group |> Array.map (fun (t, _, raw) -> frameOf t raw)
             let windowEnd = windowStart.AddMinutes 5.0

             {
                 Slug = slug
                 AssetId = "recorded"
                 WindowStart = windowStart
                 WindowEnd = windowEnd
                 Frames = frames
                 MinimumOrderSize = 5M
                 Resolution = BookReplay.inferResolution frames windowEnd
             }))

/// Walks `shares` through levels (price, size) already priced for the buyer, best first, by hand: returns
/// (average price, fee with each level's fee rounded to 5 decimals).
let private walkByHand (shares: decimal) (levels: (decimal * decimal) list) =
    let rec go remaining notional fee levels =
        match levels with
        | (price, size) :: rest when remaining > 0M ->
            let take = min remaining size

            let levelFee =
                Math.Round(take * 0.072M * price * (1M - price), 5, MidpointRounding.AwayFromZero)

            go (remaining - take) (notional + take * price) (fee + levelFee) rest
        | _ -> notional / shares, fee

    go shares 0M 0M levels

[<Tests>]
let tests =
    testList
        "BookReplay"
        [
            testCase "a buy of 120 shares walks two ask levels, paying each level's fee"
            <| fun () ->
                let fill =
                    BookReplay.fill
                        BookReplay.defaultSettings
                        (market [| book |] TokenResolution.Won)
                        0
                        (buy 1 120M)
                        book.TimeMs
                // 100 × 0.44 + 20 × 0.45 = 53; fees 100 × 0.072 × 0.44 × 0.56 = 1.77408 and 20 × 0.072 × 0.45 × 0.55 = 0.3564.
                Expect.equal fill.Missed MissReason.None "filled"

                Expect.equal
                    (fill.FilledShares, fill.Notional, fill.WorstPrice, fill.LevelsUsed)
                    (120M, 53M, 0.45M, 2)
                    "walk"

                Expect.equal fill.AveragePrice (53M / 120M) "average price"
                Expect.equal fill.Fee 2.13048M "fee"
                Expect.equal fill.Payout 120M "the token won"
                Expect.equal fill.Pnl (120M - 53M - 2.13048M) "P&L"
                Expect.equal fill.Slippage (53M / 120M - 0.44M) "slippage against the best ask"

            testCase "buying the other outcome walks the recorded bids mirrored"
            <| fun () ->
                let fill =
                    BookReplay.fill
                        BookReplay.defaultSettings
                        (market [| book |] TokenResolution.Won)
                        0
                        (buy -1 50M)
                        book.TimeMs
                // 30 × 0.57 + 20 × 0.60 = 29.1; fees 30 × 0.072 × 0.57 × 0.43 = 0.529416 → 0.52942 and 0.3456.
                Expect.equal (fill.FilledShares, fill.Notional, fill.BestAtDecision) (50M, 29.1M, 0.57M) "walk"
                Expect.equal fill.Fee (0.52942M + 0.3456M) "fee rounded per level"
                Expect.equal (fill.Payout, fill.Pnl) (0M, -29.1M - 0.87502M) "the other outcome lost"

            testCase "fill-or-kill misses when the book is too thin; fill-and-kill takes what there is"
            <| fun () ->
                let m = market [| book |] TokenResolution.Lost
                let fok = BookReplay.fill BookReplay.defaultSettings m 0 (buy 1 400M) book.TimeMs

                let fak =
                    BookReplay.fill
                        { BookReplay.defaultSettings with
                            Policy = FillPolicy.FillAndKill
                        }
                        m
                        0
                        (buy 1 400M)
                        book.TimeMs

                Expect.equal fok.Missed MissReason.InsufficientDepth "FOK"
                Expect.equal (fak.Missed, fak.FilledShares, fak.IsPartial) (MissReason.None, 350M, true) "FAK"
                Expect.equal fak.Pnl (-(100M * 0.44M + 50M * 0.45M + 200M * 0.47M) - fak.Fee) "a lost partial fill"

            testCase "a price limit stops the walk"
            <| fun () ->
                let limited =
                    { BookReplay.defaultSettings with
                        MaxSlippage = Some 0.01M
                        Policy = FillPolicy.FillAndKill
                    }

                let fill =
                    BookReplay.fill limited (market [| book |] TokenResolution.Won) 0 (buy 1 300M) book.TimeMs

                Expect.equal (fill.FilledShares, fill.WorstPrice) (150M, 0.45M) "levels at most 0.44 + 0.01"

            testCase "orders under the minimum size or notional, or arriving after the close, miss"
            <| fun () ->
                let cheap =
                    { book with
                        Asks = [| level 0.10M 1000M |]
                    }

                let m = market [| book |] TokenResolution.Won
                let small = BookReplay.fill BookReplay.defaultSettings m 0 (buy 1 4M) book.TimeMs

                let under =
                    BookReplay.fill
                        BookReplay.defaultSettings
                        (market [| cheap |] TokenResolution.Won)
                        0
                        (buy 1 5M)
                        book.TimeMs

                let late =
                    BookReplay.fill
                        { BookReplay.defaultSettings with
                            LatencyMs = 300_000L
                        }
                        m
                        0
                        (buy 1 10M)
                        book.TimeMs

                let early =
                    BookReplay.fill BookReplay.defaultSettings m 0 (buy 1 10M) (book.TimeMs - 1L)

                let empty =
                    BookReplay.fill
                        BookReplay.defaultSettings
                        (market [| { book with Asks = [||] } |] TokenResolution.Won)
                        0
                        (buy 1 10M)
                        book.TimeMs

                Expect.equal small.Missed MissReason.BelowMinimumSize "4 < 5 shares"
                Expect.equal under.Missed MissReason.BelowMinimumNotional "5 × 0.10 < $1"
                Expect.equal late.Missed MissReason.MarketClosed "arrives after the window"
                Expect.equal early.Missed MissReason.NoBook "before the first frame"
                Expect.equal empty.Missed MissReason.NoLiquidity "no asks"

            testCase "latency fills against the book standing when the order arrives"
            <| fun () ->
                let later =
                    {
                        TimeMs = book.TimeMs + 200L
                        Bids = book.Bids
                        Asks = [| level 0.50M 1000M |]
                    }

                let m = market [| book; later |] TokenResolution.Won

                let quick =
                    BookReplay.fill
                        { BookReplay.defaultSettings with
                            LatencyMs = 199L
                        }
                        m
                        0
                        (buy 1 10M)
                        book.TimeMs

                let slow =
                    BookReplay.fill
                        { BookReplay.defaultSettings with
                            LatencyMs = 200L
                        }
                        m
                        0
                        (buy 1 10M)
                        book.TimeMs

                Expect.equal quick.AveragePrice 0.44M "the decision book"

                Expect.equal
                    (slow.AveragePrice, slow.LatencySlippage, slow.DepthSlippage)
                    (0.50M, 0.06M, 0M)
                    "the later book"

            testCase "the favourite rule backs the side whose mid passes the threshold at the offset"
            <| fun () ->
                let at (seconds: int64) (bid: decimal) (ask: decimal) =
                    {
                        TimeMs = startMs + seconds * 1000L
                        Bids = [| level bid 100M |]
                        Asks = [| level ask 100M |]
                    }

                let rule = BookReplay.favourite 60.0 0.6M 10M
                let frames = [| at 10L 0.70M 0.71M; at 61L 0.30M 0.32M; at 62L 0.90M 0.91M |]
                let m = market frames TokenResolution.Lost
                Expect.equal (rule m 0) BookStep.Wait "before the offset"
                Expect.equal (rule m 1) (BookStep.Buy { Side = -1; Shares = 10M }) "mid 0.31 backs the other outcome"
                let result = BookReplay.run BookReplay.defaultSettings rule [| m |]
                let order = Expect.wantSome (Array.tryExactlyOne result.Orders) "one order"

                Expect.equal
                    (order.DecisionMs, order.AveragePrice)
                    (frames[1].TimeMs, 0.70M)
                    "at the first frame after 60 s"

                Expect.isTrue order.IsWin "the recorded token lost"
                Expect.equal result.Backtest.Metrics.TradeCount 1 "one trade"
                let flat = market [| at 61L 0.45M 0.47M |] TokenResolution.Won
                Expect.equal (rule flat 0) BookStep.Skip "mid 0.46 is no favourite"

            testSequenced
            <| testList
                "CronosVirus00 recordings"
                [
                    testCase "the final books say the recorded token lost, won and won"
                    <| fun () ->
                        let markets = recorded.Value |> Array.sortBy (fun m -> m.WindowStart)
                        Expect.equal (markets |> Array.sumBy (fun m -> m.Frames.Length)) 11640 "frames"

                        Expect.equal
                            [ for m in markets -> m.Resolution ]
                            [ TokenResolution.Lost; TokenResolution.Won; TokenResolution.Won ]
                            "resolutions"

                    testCase "the favourite rule's fills match a walk done by hand on the raw messages"
                    <| fun () ->
                        for latency in [ 0L; 500L ] do
                            let settings =
                                { BookReplay.defaultSettings with
                                    LatencyMs = latency
                                }

                            let result =
                                BookReplay.run settings (BookReplay.favourite 240.0 0.6M 10M) recorded.Value

                            let expected =
                                recorded.Value
                                |> Array.sortBy (fun m -> m.WindowStart)
                                |> Array.choose (fun m ->
                                    let group = rows.Value |> Array.filter (fun (_, slug, _) -> slug = m.Slug)
                                    let decideAt = m.WindowStart.ToUnixTimeMilliseconds() + 240_000L
                                    let decision, _, raw = group |> Array.find (fun (t, _, _) -> t >= decideAt)
                                    use message = JsonDocument.Parse raw
                                    let bids = levels message.RootElement "bids"
                                    let asks = levels message.RootElement "asks"
                                    let bestBid = bids |> Array.maxBy (fun l -> l.Price)
                                    let bestAsk = asks |> Array.minBy (fun l -> l.Price)
                                    let mid = (bestBid.Price + bestAsk.Price) / 2M

                                    let side =
                                        if mid >= 0.6M then 1
                                        elif mid <= 0.4M then -1
                                        else 0

                                    if side = 0 then
                                        None
                                    else
                                        let _, _, arrivalRaw =
                                            group |> Array.findBack (fun (t, _, _) -> t <= decision + latency)

                                        use arrival = JsonDocument.Parse arrivalRaw

                                        let priced =
                                            if side = 1 then
                                                levels arrival.RootElement "asks"
                                                |> Array.map (fun l -> l.Price, l.Size)
                                                |> Array.sortBy fst
                                            else
                                                levels arrival.RootElement "bids"
                                                |> Array.map (fun l -> 1M - l.Price, l.Size)
                                                |> Array.sortBy fst

                                        let average, fee = walkByHand 10M (List.ofArray priced)

                                        let won = (m.Resolution = TokenResolution.Won) = (side = 1)

                                        Some(
                                            m.Slug,
                                            side,
                                            average,
                                            fee,
                                            (if won then 10M else 0M) - 10M * average - fee
                                        ))

                            Expect.equal
                                [ for o in result.Orders -> o.Slug, o.Side, o.AveragePrice, o.Fee, o.Pnl ]
                                (List.ofArray expected)
                                $"latency {latency} ms"

                            printfn
                                $"favourite(240 s, 0.6, 10 shares), latency {latency} ms: {result.Orders.Length} orders, P&L {result.Pnl}, mean slippage {result.AverageSlippage}"

                    testCase "a rule sees every recorded frame, and a sweep of the favourite grid ranks by P&L"
                    <| fun () ->
                        let markets = recorded.Value
                        let mutable visited = 0

                        let watching _ _ =
                            visited <- visited + 1
                            BookStep.Wait

                        let silent = BookReplay.run BookReplay.defaultSettings watching markets

                        let rows =
                            BookReplay.sweepFavourite BookReplay.defaultSettings markets BookReplay.favouriteGrid

                        Expect.equal visited 11640 "every frame visited"
                        Expect.isEmpty silent.Orders "a rule that always waits sends nothing"
                        Expect.equal rows.Length 20 "combinations"

                        Expect.isTrue
                            (rows
                             |> Array.pairwise
                             |> Array.forall (fun (a, b) -> a.Result.Pnl >= b.Result.Pnl))
                            "ranked by P&L"
                ]
        ]
