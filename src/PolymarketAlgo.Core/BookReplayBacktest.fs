namespace PolymarketAlgo.Core

open System

/// One price level of a recorded book: a price and the size resting there (shares).
[<Struct>]
type RecordedLevel(price: decimal, size: decimal) =
    /// The level's price.
    member _.Price = price
    /// The shares resting at the price.
    member _.Size = size

/// The book of one token as it stood from `TimeMs` (receive time, Unix ms) until the next frame, levels best first
/// (bids descending, asks ascending).
type BookFrame =
    {
        TimeMs: int64
        Bids: RecordedLevel[]
        Asks: RecordedLevel[]
    }

/// How a market resolved for the token whose book was recorded.
type TokenResolution =
    /// Not known: bets on it are reported but not scored.
    | Unknown = 0
    /// The recorded token paid 1.
    | Won = 1
    /// The recorded token paid 0 (the other outcome paid 1).
    | Lost = 2

/// The recorded book of one token of one market window. Only one token's book is needed: a binary market's other
/// outcome is its mirror (a bid at b for this token is an ask at 1 − b for the other).
type RecordedMarket =
    {
        /// The market slug, e.g. `btc-updown-5m-1776323700`.
        Slug: string
        /// The recorded token's id.
        AssetId: string
        /// When the window opens.
        WindowStart: DateTimeOffset
        /// When the window closes; no order may arrive at or after it.
        WindowEnd: DateTimeOffset
        /// The book after every recorded message, in receive-time order.
        Frames: BookFrame[]
        /// The market's minimum order size in shares (Gamma `orderMinSize`, 5 for btc-updown-5m).
        MinimumOrderSize: decimal
        /// How the market resolved for the recorded token.
        Resolution: TokenResolution
    }

/// A buy a book rule asks for. `Side` +1 buys the recorded token (walking its asks); −1 buys the other outcome
/// (walking the recorded bids, mirrored).
type BookOrder = { Side: int; Shares: decimal }

/// What a book rule does at one frame.
[<RequireQualifiedAccess>]
type BookStep =
    /// Look at the next frame.
    | Wait
    /// No bet on this market.
    | Skip
    /// Send this order now.
    | Buy of BookOrder

/// How orders are filled against recorded books.
type FillPolicy =
    /// All of the order within the price limit, or nothing (Polymarket FOK).
    | FillOrKill = 0
    /// As much as the book holds within the price limit; the rest is cancelled (Polymarket FAK).
    | FillAndKill = 1

/// Settings of a book-replay backtest. Money in decimal.
type BookFillSettings =
    {
        /// Time from decision to the order reaching the book (ms): the fill walks the book standing then.
        LatencyMs: int64
        /// Taker fee rate (0.072 for crypto).
        FeeRate: decimal
        /// Taker fee exponent (1).
        FeeExponent: decimal
        /// Smallest notional of a marketable order (the venue's $1), priced at the best price on arrival.
        MinimumNotional: decimal
        /// FOK or FAK.
        Policy: FillPolicy
        /// The worst price accepted, as an amount above the best price at decision time; None walks the whole side.
        MaxSlippage: decimal option
        /// Windows per year, for annualised metrics (105,120 five-minute windows).
        WindowsPerYear: float
    }

/// Why an order did not fill.
type MissReason =
    /// The order filled (fully or in part).
    | None = 0
    /// The order would reach the book at or after the window's end.
    | MarketClosed = 1
    /// No recorded book stands at the order's arrival.
    | NoBook = 2
    /// The order is smaller than the market's minimum order size.
    | BelowMinimumSize = 3
    /// The order's notional at the best price is below the minimum notional.
    | BelowMinimumNotional = 4
    /// Nothing rests on the side within the price limit.
    | NoLiquidity = 5
    /// Fill-or-kill and the side holds less than the order within the price limit.
    | InsufficientDepth = 6

/// One order sent into a recorded book and what came of it. Prices are of the token bought; slippages are per
/// share (positive = paid more).
type BookOrderResult =
    {
        /// The market's slug.
        Slug: string
        /// The market's index in the backtest's market order.
        MarketIndex: int
        /// +1 bought the recorded token, −1 the other outcome.
        Side: int
        /// When the rule decided (ms).
        DecisionMs: int64
        /// When the order reached the book (decision + latency).
        ArrivalMs: int64
        /// Shares asked for.
        RequestedShares: decimal
        /// Shares filled (0 when missed).
        FilledShares: decimal
        /// Why it missed (`MissReason.None` when it filled).
        Missed: MissReason
        /// Best price of the bought token when the rule decided (0 when that side was empty).
        BestAtDecision: decimal
        /// Best price when the order arrived (0 when that side was empty or there was no book).
        BestAtArrival: decimal
        /// Volume-weighted fill price (0 when missed).
        AveragePrice: decimal
        /// Price of the last level touched (0 when missed).
        WorstPrice: decimal
        /// Σ price × size over the fills.
        Notional: decimal
        /// Taker fee, each level's fee rounded to 5 decimals like Polymarket's.
        Fee: decimal
        /// Levels consumed.
        LevelsUsed: int
        /// How the market resolved for the recorded token.
        Resolution: TokenResolution
        /// Settlement value of the shares bought (filled shares × 1 or 0; 0 when unresolved).
        Payout: decimal
        /// Payout − notional − fee (0 when unresolved or missed).
        Pnl: decimal
    }

    /// True when some shares filled.
    member this.IsFilled = this.FilledShares > 0M

    /// True when the order filled only in part.
    member this.IsPartial = this.IsFilled && this.FilledShares < this.RequestedShares

    /// Average price − best price at decision: the whole cost of latency and depth per share (0 when missed).
    member this.Slippage =
        if this.IsFilled && this.BestAtDecision > 0M then
            this.AveragePrice - this.BestAtDecision
        else
            0M

    /// Best at arrival − best at decision: what the book moved during the latency.
    member this.LatencySlippage =
        if this.IsFilled && this.BestAtDecision > 0M then
            this.BestAtArrival - this.BestAtDecision
        else
            0M

    /// Average price − best at arrival: the cost of walking the book.
    member this.DepthSlippage =
        if this.IsFilled then
            this.AveragePrice - this.BestAtArrival
        else
            0M

    /// True when the fill resolved and paid.
    member this.IsWin = this.IsFilled && this.Payout > 0M

/// A book-replay backtest: every order with its fill, totals, and the resolved fills as a `BacktestResult` with one
/// bar per market (for metrics and reports; a trade's Side and Outcome are relative to the recorded token).
type BookReplayResult =
    {
        /// The markets replayed, in the backtest's order.
        Markets: RecordedMarket[]
        /// Every order sent, in market order.
        Orders: BookOrderResult[]
        /// Orders that filled fully.
        Filled: int
        /// Orders that filled in part.
        Partial: int
        /// Orders that missed.
        Missed: int
        /// Filled orders whose market has no known resolution.
        Unresolved: int
        /// Shares filled.
        FilledShares: decimal
        /// Σ notional of the fills.
        Notional: decimal
        /// Σ fees.
        Fees: decimal
        /// Σ P&L of resolved fills.
        Pnl: decimal
        /// Share-weighted mean slippage against the best price at decision time.
        AverageSlippage: decimal
        /// Resolved fills as trades, one bar per market.
        Backtest: BacktestResult
    }

/// One parameter set of a book-replay sweep.
type BookSweepRow =
    {
        Parameters: Map<string, float>
        Result: BookReplayResult
    }

/// Backtests through recorded order books: a rule looks at each market's frames in time order and may send one
/// buy; the buy walks the book standing at decision time + latency, pays Polymarket's taker fee per level, and
/// must meet the market's minimum order size and the minimum notional, or it is reported as missed.
[<RequireQualifiedAccess>]
module BookReplay =

    /// Latency 0, the crypto taker fee, $1 minimum notional, fill-or-kill, no price limit, 5-minute windows.
    let defaultSettings: BookFillSettings =
        {
            LatencyMs = 0L
            FeeRate = Fees.cryptoTakerRateDecimal
            FeeExponent = Fees.cryptoExponentDecimal
            MinimumNotional = 1M
            Policy = FillPolicy.FillOrKill
            MaxSlippage = None
            WindowsPerYear = 105120.0
        }

    /// The one conversion from money (decimal) to statistics (float).
    let toFloat (amount: decimal) : float = Decimal.ToDouble amount

    /// (best bid + best ask) / 2 of a frame, when both sides hold a level.
    let mid (frame: BookFrame) : decimal option =
        if frame.Bids.Length > 0 && frame.Asks.Length > 0 then
            Some((frame.Bids[0].Price + frame.Asks[0].Price) / 2M)
        else
            None

    /// The index of the last frame received at or before `timeMs`, or −1.
    let frameAt (frames: BookFrame[]) (timeMs: int64) : int =
        let mutable lo = 0
        let mutable hi = frames.Length - 1

        while lo <= hi do
            let middle = (lo + hi) >>> 1

            if frames[middle].TimeMs <= timeMs then
                lo <- middle + 1
            else
                hi <- middle - 1

        hi

    /// The best price of the token bought by `side`: the best ask (+1) or 1 − the best bid (−1); 0 when empty.
    let bestPrice (frame: BookFrame) (side: int) : decimal =
        if side > 0 then
            (if frame.Asks.Length > 0 then frame.Asks[0].Price else 0M)
        elif frame.Bids.Length > 0 then
            1M - frame.Bids[0].Price
        else
            0M

    /// How the recorded token resolved, read from the last frame at or after the window's end: Won when its best
    /// bid is at least 0.9, Lost when its best ask is at most 0.1, else (or without such a frame) Unknown.
    let inferResolution (frames: BookFrame[]) (windowEnd: DateTimeOffset) : TokenResolution =
        let last = frames.Length - 1

        if last < 0 || frames[last].TimeMs < windowEnd.ToUnixTimeMilliseconds() then
            TokenResolution.Unknown
        else
            let frame = frames[last]
            let won = frame.Bids.Length > 0 && frame.Bids[0].Price >= 0.9M
            let lost = frame.Asks.Length > 0 && frame.Asks[0].Price <= 0.1M

            if won && not lost then TokenResolution.Won
            elif lost && not won then TokenResolution.Lost
            else TokenResolution.Unknown

    /// Sends `order`, decided at `decisionMs`, into `market`'s book standing at decision + latency (see
    /// `BookReplayResult`). Raises for a side other than ±1 or a non-positive size.
    let fill
        (settings: BookFillSettings)
        (market: RecordedMarket)
        (marketIndex: int)
        (order: BookOrder)
        (decisionMs: int64)
        : BookOrderResult =
        if abs order.Side <> 1 then
            invalidArg (nameof order) $"The side must be +1 or −1 (got {order.Side})."

        if order.Shares <= 0M then
            invalidArg (nameof order) $"The size must be positive (got {order.Shares})."

        let frames = market.Frames
        let arrival = decisionMs + settings.LatencyMs
        let decisionFrame = frameAt frames decisionMs
        let arrivalFrame = frameAt frames arrival

        let bestAtDecision =
            if decisionFrame >= 0 then
                bestPrice frames[decisionFrame] order.Side
            else
                0M

        let bestAtArrival =
            if arrivalFrame >= 0 then
                bestPrice frames[arrivalFrame] order.Side
            else
                0M

        let result =
            {
                Slug = market.Slug
                MarketIndex = marketIndex
                Side = order.Side
                DecisionMs = decisionMs
                ArrivalMs = arrival
                RequestedShares = order.Shares
                FilledShares = 0M
                Missed = MissReason.None
                BestAtDecision = bestAtDecision
                BestAtArrival = bestAtArrival
                AveragePrice = 0M
                WorstPrice = 0M
                Notional = 0M
                Fee = 0M
                LevelsUsed = 0
                Resolution = market.Resolution
                Payout = 0M
                Pnl = 0M
            }

        let missed reason = { result with Missed = reason }

        if arrival >= market.WindowEnd.ToUnixTimeMilliseconds() then
            missed MissReason.MarketClosed
        elif arrivalFrame < 0 then
            missed MissReason.NoBook
        elif order.Shares < market.MinimumOrderSize then
            missed MissReason.BelowMinimumSize
        elif bestAtArrival = 0M then
            missed MissReason.NoLiquidity
        elif order.Shares * bestAtArrival < settings.MinimumNotional then
            missed MissReason.BelowMinimumNotional
        else
            let frame = frames[arrivalFrame]
            let levels = if order.Side > 0 then frame.Asks else frame.Bids

            let reference =
                if bestAtDecision > 0M then
                    bestAtDecision
                else
                    bestAtArrival

            let limit =
                match settings.MaxSlippage with
                | Some slippage -> reference + slippage
                | None -> 1M

            let mutable remaining = order.Shares
            let mutable notional = 0M
            let mutable fee = 0M
            let mutable worst = 0M
            let mutable used = 0
            let mutable i = 0

            while remaining > 0M && i < levels.Length do
                let price =
                    if order.Side > 0 then
                        levels[i].Price
                    else
                        1M - levels[i].Price

                if price > limit then
                    i <- levels.Length
                else
                    let take = min remaining levels[i].Size
                    notional <- notional + take * price

                    fee <-
                        fee
                        + Fees.round (Fees.takerDecimal take settings.FeeRate price settings.FeeExponent)

                    remaining <- remaining - take
                    worst <- price
                    used <- used + 1
                    i <- i + 1

            let filled = order.Shares - remaining

            if filled = 0M then
                missed MissReason.NoLiquidity
            elif remaining > 0M && settings.Policy = FillPolicy.FillOrKill then
                missed MissReason.InsufficientDepth
            else
                let wins =
                    match market.Resolution with
                    | TokenResolution.Won -> Some(order.Side > 0)
                    | TokenResolution.Lost -> Some(order.Side < 0)
                    | _ -> None

                let payout =
                    match wins with
                    | Some true -> filled
                    | _ -> 0M

                { result with
                    FilledShares = filled
                    AveragePrice = notional / filled
                    WorstPrice = worst
                    Notional = notional
                    Fee = fee
                    LevelsUsed = used
                    Payout = payout
                    Pnl =
                        match wins with
                        | Some _ -> payout - notional - fee
                        | None -> 0M
                }

    /// Drives `rule` through each market's frames in time order until it buys or skips; a buy is filled with
    /// `fill` at that frame's time. Markets are replayed in order of window start (at most one order each).
    let run
        (settings: BookFillSettings)
        (rule: RecordedMarket -> int -> BookStep)
        (markets: RecordedMarket[])
        : BookReplayResult =
        let markets = markets |> Array.sortBy (fun market -> market.WindowStart)
        let orders = ResizeArray()

        for index in 0 .. markets.Length - 1 do
            let market = markets[index]
            let mutable i = 0

            while i < market.Frames.Length do
                match rule market i with
                | BookStep.Wait -> i <- i + 1
                | BookStep.Skip -> i <- market.Frames.Length
                | BookStep.Buy order ->
                    orders.Add(fill settings market index order market.Frames[i].TimeMs)
                    i <- market.Frames.Length

        let orders = orders.ToArray()
        let filled = orders |> Array.filter (fun order -> order.IsFilled)

        let resolved =
            filled
            |> Array.filter (fun order -> order.Resolution <> TokenResolution.Unknown)

        let trades =
            resolved
            |> Array.map (fun order ->
                {
                    Index = order.MarketIndex
                    Time = markets[order.MarketIndex].WindowStart
                    Side = order.Side
                    Price = toFloat order.AveragePrice
                    Size = toFloat order.FilledShares
                    Outcome =
                        if markets[order.MarketIndex].Resolution = TokenResolution.Won then
                            1
                        else
                            -1
                    IsWin = order.IsWin
                    Fee = toFloat order.Fee
                    Pnl = toFloat order.Pnl
                })

        let barPnl = Array.zeroCreate markets.Length

        for trade in trades do
            barPnl[trade.Index] <- barPnl[trade.Index] + trade.Pnl

        let equity = Array.scan (+) 0.0 barPnl |> Array.tail

        let metricSettings =
            { Backtest.defaultSettings with
                BarsPerYear = settings.WindowsPerYear
                FeeRate = toFloat settings.FeeRate
                FeeExponent = toFloat settings.FeeExponent
            }

        let filledShares = filled |> Array.sumBy (fun order -> order.FilledShares)

        {
            Markets = markets
            Orders = orders
            Filled = filled.Length - (filled |> Array.filter (fun order -> order.IsPartial)).Length
            Partial = (filled |> Array.filter (fun order -> order.IsPartial)).Length
            Missed = orders.Length - filled.Length
            Unresolved = filled.Length - resolved.Length
            FilledShares = filledShares
            Notional = filled |> Array.sumBy (fun order -> order.Notional)
            Fees = filled |> Array.sumBy (fun order -> order.Fee)
            Pnl = resolved |> Array.sumBy (fun order -> order.Pnl)
            AverageSlippage =
                if filledShares = 0M then
                    0M
                else
                    (filled |> Array.sumBy (fun order -> order.Slippage * order.FilledShares))
                    / filledShares
            Backtest =
                {
                    Trades = trades
                    Equity = equity
                    Metrics = Metrics.compute metricSettings trades barPnl
                }
        }

    /// Default parameters of the favourite rule: decide 240 s into the window, a threshold of 0.6, 10 shares.
    let favouriteDefaults: Map<string, float> =
        Map [ "offset", 240.0; "threshold", 0.6; "shares", 10.0 ]

    /// The favourite rule's sweep grid: offsets 60–270 s, thresholds 0.55–0.8, 10 shares.
    let favouriteGrid: ParameterRange list =
        [
            {
                Name = "offset"
                Values = [| 60.0; 120.0; 180.0; 240.0; 270.0 |]
            }
            {
                Name = "threshold"
                Values = [| 0.55; 0.6; 0.7; 0.8 |]
            }
            { Name = "shares"; Values = [| 10.0 |] }
        ]

    /// Back the favourite: at the first frame at least `offsetSeconds` into the window (and before its end), buy
    /// `shares` of the recorded token when its mid is at least `threshold`, of the other outcome when the mid is at
    /// most 1 − threshold, else skip the market. Raises unless 0.5 < threshold < 1 and the offset is not negative.
    let favourite (offsetSeconds: float) (threshold: decimal) (shares: decimal) : RecordedMarket -> int -> BookStep =
        if not (threshold > 0.5M && threshold < 1M) then
            invalidArg (nameof threshold) $"The threshold must be strictly between 0.5 and 1 (got {threshold})."

        if not (offsetSeconds >= 0.0) then
            invalidArg (nameof offsetSeconds) $"The offset must not be negative (got {offsetSeconds})."

        fun market index ->
            let frame = market.Frames[index]

            let decideAt =
                market.WindowStart.ToUnixTimeMilliseconds() + int64 (offsetSeconds * 1000.0)

            if frame.TimeMs < decideAt then
                BookStep.Wait
            elif frame.TimeMs >= market.WindowEnd.ToUnixTimeMilliseconds() then
                BookStep.Skip
            else
                match mid frame with
                | Some price when price >= threshold -> BookStep.Buy { Side = 1; Shares = shares }
                | Some price when price <= 1M - threshold -> BookStep.Buy { Side = -1; Shares = shares }
                | _ -> BookStep.Skip

    /// The favourite rule from named parameters (offset, threshold, shares; missing ones take their defaults).
    /// Raises for an unknown name.
    let favouriteOf (parameters: Map<string, float>) : RecordedMarket -> int -> BookStep =
        for KeyValue(name, _) in parameters do
            if not (favouriteDefaults.ContainsKey name) then
                invalidArg
                    (nameof parameters)
                    $"The favourite rule has no parameter '{name}' (offset, threshold, shares)."

        let read name =
            parameters.TryFind name |> Option.defaultValue favouriteDefaults[name]

        favourite (read "offset") (decimal (read "threshold")) (decimal (read "shares"))

    /// Runs the favourite rule for every combination of `grid`, best total P&L first (ties keep grid order).
    let sweepFavourite
        (settings: BookFillSettings)
        (markets: RecordedMarket[])
        (grid: ParameterRange seq)
        : BookSweepRow[] =
        Strategy.gridCombinations (Array.ofSeq grid)
        |> Array.mapi (fun index parameters ->
            index,
            {
                Parameters = parameters
                Result = run settings (favouriteOf parameters) markets
            })
        |> Array.sortWith (fun (i, a) (j, b) ->
            match compare b.Result.Pnl a.Result.Pnl with
            | 0 -> compare i j
            | order -> order)
        |> Array.map snd
