namespace PolymarketAlgo.Core

open System
open System.Globalization
open System.Numerics

/// Python's float rounding and fixed-point formatting, reproduced exactly: `round(x, n)` and `f"{x:.nf}"`
/// round the exact binary value half to even, which `Math.Round` (it scales by 10ⁿ first) does not.
[<RequireQualifiedAccess>]
module PythonFloat =

    /// Python's `round(value, digits)` for 0 ≤ digits ≤ 22: the double nearest to the exact binary value
    /// rounded half to even at `digits` decimals. round 2 10.415 = 10.41, because 10.415 is stored just below.
    let round (digits: int) (value: float) : float =
        if digits < 0 || digits > 22 then
            invalidArg (nameof digits) $"digits must lie in [0, 22], got {digits}"

        if Double.IsNaN value || Double.IsInfinity value || value = 0.0 then
            value
        else
            let bits = BitConverter.DoubleToInt64Bits value
            let biasedExponent = int ((bits >>> 52) &&& 0x7FFL)
            let fraction = bits &&& 0xFFFFFFFFFFFFFL

            let mantissa, exponent =
                if biasedExponent = 0 then
                    fraction, -1074
                else
                    fraction ||| (1L <<< 52), biasedExponent - 1075

            if exponent >= 0 then
                value
            else
                let numerator = BigInteger mantissa * BigInteger.Pow(BigInteger 10, digits)
                let denominator = BigInteger.One <<< -exponent
                let quotient = BigInteger.Divide(numerator, denominator)
                let twiceRemainder = (numerator - quotient * denominator) * BigInteger 2

                let rounded =
                    match compare twiceRemainder denominator with
                    | c when c > 0 -> quotient + BigInteger.One
                    | 0 when not quotient.IsEven -> quotient + BigInteger.One
                    | _ -> quotient

                let magnitude =
                    Double.Parse($"{rounded}E-{digits}", NumberStyles.Float, CultureInfo.InvariantCulture)

                if value < 0.0 then -magnitude else magnitude

    /// Python's `f"{value:.{digits}f}"`.
    let format (digits: int) (value: float) : string =
        (round digits value).ToString("F" + string digits, CultureInfo.InvariantCulture)

/// Parameters of the copy-delay price impact model (the original `DelayImpactModel`).
type DelayImpactParameters =
    {
        /// Impact in percent per √second of delay (0.8).
        BaseCoefficient: float
        /// Cap on the impact, in percent (10).
        MaxImpactPct: float
        /// The spread at which the volatility factor is 1 (0.02).
        BaselineSpread: float
    }

/// The original's breakdown of a delay impact, rounded the way it rounds it.
type DelayImpactBreakdown =
    {
        DelayMs: int64
        /// Seconds, rounded to 2 places.
        DelaySeconds: float
        /// √seconds · base coefficient, rounded to 4 places.
        BaseImpact: float
        /// Rounded to 2 places.
        LiquidityFactor: float
        /// Rounded to 2 places.
        VolatilityFactor: float
        /// Rounded to 4 places.
        FinalImpactPct: float
        /// Rounded to 2 places.
        OrderSize: float
        /// Rounded to 2 places.
        DepthAtBest: float
        /// Rounded to 4 places.
        Spread: float
    }

/// The price impact of copying a trade late.
type DelayImpactEstimate =
    {
        /// Impact in percent, unrounded (1.5 means the price moves 1.5 % against us).
        ImpactPct: float
        /// None when there was no delay.
        Breakdown: DelayImpactBreakdown option
    }

/// The copy-delay impact model: impact % = min(max, √(delay s)·coef · liquidity factor · volatility factor).
[<RequireQualifiedAccess>]
module DelayImpact =

    /// The original's defaults: base coefficient 0.8, max impact 10 %, baseline spread 0.02.
    let defaults =
        {
            BaseCoefficient = 0.8
            MaxImpactPct = 10.0
            BaselineSpread = 0.02
        }

    /// The impact of copying `delayMs` late with an order of `orderSize` dollars into a book with `depthAtBest`
    /// dollars at the best level and the given spread. The liquidity factor is orderSize/(0.5·depth) and the
    /// volatility factor spread/baseline, each clamped to [0.5, 2] and 1 when its input is not positive.
    let calculate
        (parameters: DelayImpactParameters)
        (delayMs: int64)
        (orderSize: float)
        (depthAtBest: float)
        (spread: float)
        : DelayImpactEstimate =
        if
            parameters.BaseCoefficient < 0.0
            || parameters.MaxImpactPct < 0.0
            || parameters.BaselineSpread <= 0.0
        then
            invalidArg (nameof parameters) $"invalid delay impact parameters {parameters}"

        if delayMs <= 0L then
            { ImpactPct = 0.0; Breakdown = None }
        else
            let delaySeconds = float delayMs / 1000.0
            let baseImpact = sqrt delaySeconds * parameters.BaseCoefficient

            let liquidityFactor =
                if depthAtBest > 0.0 && orderSize > 0.0 then
                    min 2.0 (max 0.5 (orderSize / (depthAtBest * 0.5)))
                else
                    1.0

            let volatilityFactor =
                if spread > 0.0 then
                    min 2.0 (max 0.5 (spread / parameters.BaselineSpread))
                else
                    1.0

            let impact =
                min parameters.MaxImpactPct (baseImpact * liquidityFactor * volatilityFactor)

            {
                ImpactPct = impact
                Breakdown =
                    Some
                        {
                            DelayMs = delayMs
                            DelaySeconds = PythonFloat.round 2 delaySeconds
                            BaseImpact = PythonFloat.round 4 baseImpact
                            LiquidityFactor = PythonFloat.round 2 liquidityFactor
                            VolatilityFactor = PythonFloat.round 2 volatilityFactor
                            FinalImpactPct = PythonFloat.round 4 impact
                            OrderSize = PythonFloat.round 2 orderSize
                            DepthAtBest = PythonFloat.round 2 depthAtBest
                            Spread = PythonFloat.round 4 spread
                        }
            }

/// One order book level: a price and a size in shares.
type BookLevel = { Price: float; Size: float }

/// An order book of one outcome token, levels in any order.
type OrderBookSnapshot =
    { Bids: BookLevel[]; Asks: BookLevel[] }

/// The side a taker order takes: a buy walks the asks, a sell the bids.
type TakerSide =
    | Buy
    | Sell

/// What walking the book for a dollar amount gives (the original `get_execution_price`).
type ExecutionEstimate =
    {
        /// Average fill price, after the delay impact and its clamp to [0.01, 0.99] when a delay was given.
        ExecutionPrice: float
        /// Best ask − best bid.
        Spread: float
        /// How far the average fill (before delay impact) is from the best price, in percent, never negative.
        SlippagePct: float
        /// Share of the dollar amount filled, in percent.
        FillPct: float
        DelayImpactPct: float
        DelayBreakdown: DelayImpactBreakdown option
        BestBid: float
        BestAsk: float
        /// Dollars (price·size) at the best level of the side taken.
        DepthAtBest: float
    }

/// Why a book could not be walked.
type BookWalkError =
    /// The book has no bids (the original then assumed a fill at 0.50).
    | NoBids
    /// The book has no asks (the original then assumed a fill at 0.50).
    | NoAsks

/// Execution price estimates by walking an order book in dollars.
[<RequireQualifiedAccess>]
module BookWalk =

    /// Walks the asks (Buy) or bids (Sell) for `amountUsd` dollars: a level worth at least what remains fills the
    /// rest at its price, a smaller level is taken whole. With `copyDelayMs` > 0 the average price then moves
    /// against us by the delay impact (×(1 + impact/100) for a buy, ×(1 − impact/100) for a sell) and is clamped
    /// to [0.01, 0.99]. When no share could be bought (levels without size) the estimate is the mid-price at 0 % fill.
    let estimate
        (parameters: DelayImpactParameters)
        (book: OrderBookSnapshot)
        (side: TakerSide)
        (amountUsd: float)
        (copyDelayMs: int64)
        : Result<ExecutionEstimate, BookWalkError> =
        if not (amountUsd > 0.0) then
            invalidArg (nameof amountUsd) $"amount must be positive, got {amountUsd}"

        for level in Array.append book.Bids book.Asks do
            if not (level.Price > 0.0) || not (level.Size >= 0.0) then
                invalidArg (nameof book) $"invalid book level {level}"

        if book.Bids.Length = 0 then
            Error NoBids
        elif book.Asks.Length = 0 then
            Error NoAsks
        else
            let asks = book.Asks |> List.ofArray |> List.sortBy _.Price |> Array.ofList

            let bids =
                book.Bids |> List.ofArray |> List.sortByDescending _.Price |> Array.ofList

            let bestAsk = asks[0].Price
            let bestBid = bids[0].Price
            let spread = bestAsk - bestBid
            let levels = if side = Buy then asks else bids
            let depthAtBest = levels[0].Price * levels[0].Size
            let mutable remaining = amountUsd
            let mutable shares = 0.0
            let mutable cost = 0.0
            let mutable i = 0

            while i < levels.Length && remaining > 0.0 do
                let level = levels[i]
                let value = level.Price * level.Size

                if value >= remaining then
                    shares <- shares + remaining / level.Price
                    cost <- cost + remaining
                    remaining <- 0.0
                else
                    shares <- shares + level.Size
                    cost <- cost + value
                    remaining <- remaining - value

                i <- i + 1

            let fillPct = (amountUsd - remaining) / amountUsd * 100.0

            if shares = 0.0 then
                Ok
                    {
                        ExecutionPrice = (bestAsk + bestBid) / 2.0
                        Spread = spread
                        SlippagePct = 0.0
                        FillPct = 0.0
                        DelayImpactPct = 0.0
                        DelayBreakdown = None
                        BestBid = bestBid
                        BestAsk = bestAsk
                        DepthAtBest = depthAtBest
                    }
            else
                let average = cost / shares

                let slippagePct =
                    match side with
                    | Buy -> (average - bestAsk) / bestAsk * 100.0
                    | Sell -> (bestBid - average) / bestBid * 100.0

                let impact, executionPrice =
                    if copyDelayMs > 0L then
                        let impact =
                            DelayImpact.calculate parameters copyDelayMs amountUsd depthAtBest spread

                        let moved =
                            match side with
                            | Buy -> average * (1.0 + impact.ImpactPct / 100.0)
                            | Sell -> average * (1.0 - impact.ImpactPct / 100.0)

                        impact, max 0.01 (min 0.99 moved)
                    else
                        { ImpactPct = 0.0; Breakdown = None }, average

                Ok
                    {
                        ExecutionPrice = executionPrice
                        Spread = spread
                        SlippagePct = max 0.0 slippagePct
                        FillPct = fillPct
                        DelayImpactPct = impact.ImpactPct
                        DelayBreakdown = impact.Breakdown
                        BestBid = bestBid
                        BestAsk = bestAsk
                        DepthAtBest = depthAtBest
                    }

/// Thresholds of the selective copytrade filter.
type SelectiveFilterConfig =
    {
        MaxDelayMs: int64
        MinFillPrice: float
        MaxFillPrice: float
        /// Percent.
        MaxPriceMovementPct: float
        MaxSpread: float
        /// Rejects at or above this volatility factor.
        MaxVolatilityFactor: float
        /// Dollars at the best level.
        MinDepthAtBest: float
    }

/// What the selective filter judges about a copy it is about to place.
type CopyCandidate =
    {
        CopyDelayMs: int64
        /// Estimated fill price; 0 when unknown (skips the minimum fill check).
        ExecutionPrice: float
        Spread: float
        /// Signed; the filter compares its absolute value.
        PriceMovementPct: float
        DepthAtBest: float
        /// The rounded volatility factor of the delay breakdown; 1 when there is none.
        VolatilityFactor: float
    }

/// The selective filter's decision.
type FilterDecision =
    | Accept
    /// The first failed check, worded exactly as the original words it.
    | Reject of reason: string

/// The selective copytrade filter (the original `SelectiveFilter`): a pre-trade quality gate.
[<RequireQualifiedAccess>]
module SelectiveFilter =

    /// The original's defaults: 20 s delay, fill price 0.55..0.80, 15 % price move, 0.025 spread,
    /// volatility factor 1.25, $5 at the best level.
    let defaults =
        {
            MaxDelayMs = 20000L
            MinFillPrice = 0.55
            MaxFillPrice = 0.80
            MaxPriceMovementPct = 15.0
            MaxSpread = 0.025
            MaxVolatilityFactor = 1.25
            MinDepthAtBest = 5.0
        }

    /// No gate: accepts every copy whose fill price is a probability (`trade copy --no-filter`).
    let off =
        {
            MaxDelayMs = Int64.MaxValue
            MinFillPrice = 0.0
            MaxFillPrice = 1.0
            MaxPriceMovementPct = infinity
            MaxSpread = infinity
            MaxVolatilityFactor = infinity
            MinDepthAtBest = 0.0
        }

    /// How far the fill moved from the price at signal, in percent: (execution − signal)/signal·100.
    let priceMovementPct (priceAtSignal: float) (executionPrice: float) : float =
        if not (priceAtSignal > 0.0) then
            invalidArg (nameof priceAtSignal) $"price at signal must be positive, got {priceAtSignal}"

        (executionPrice - priceAtSignal) / priceAtSignal * 100.0

    /// The candidate the filter judges for a book walk estimate, the way the copybot builds it.
    let candidate (copyDelayMs: int64) (priceAtSignal: float) (estimate: ExecutionEstimate) : CopyCandidate =
        {
            CopyDelayMs = copyDelayMs
            ExecutionPrice = estimate.ExecutionPrice
            Spread = estimate.Spread
            PriceMovementPct = priceMovementPct priceAtSignal estimate.ExecutionPrice
            DepthAtBest = estimate.DepthAtBest
            VolatilityFactor =
                estimate.DelayBreakdown
                |> Option.map _.VolatilityFactor
                |> Option.defaultValue 1.0
        }

    /// Runs the checks in the original's order and rejects on the first failure: delay, minimum fill price
    /// (skipped for a 0 price), maximum fill price, |price move|, spread, volatility factor (≥ rejects), depth.
    let evaluate (config: SelectiveFilterConfig) (candidate: CopyCandidate) : FilterDecision =
        let f = PythonFloat.format
        let fill = candidate.ExecutionPrice
        let move = abs candidate.PriceMovementPct

        if candidate.CopyDelayMs > config.MaxDelayMs then
            Reject
                $"delay {f 1 (float candidate.CopyDelayMs / 1000.0)}s > {f 1 (float config.MaxDelayMs / 1000.0)}s max"
        elif fill > 0.0 && fill < config.MinFillPrice then
            Reject $"fill_price {f 2 fill} < {f 2 config.MinFillPrice} min"
        elif fill > config.MaxFillPrice then
            Reject $"fill_price {f 2 fill} > {f 2 config.MaxFillPrice} max"
        elif move > config.MaxPriceMovementPct then
            Reject $"price_move {f 1 move}%% > {f 1 config.MaxPriceMovementPct}%% max"
        elif candidate.Spread > config.MaxSpread then
            Reject $"spread {f 3 candidate.Spread} > {f 3 config.MaxSpread} max"
        elif candidate.VolatilityFactor >= config.MaxVolatilityFactor then
            Reject $"volatility_factor {f 2 candidate.VolatilityFactor} >= {f 2 config.MaxVolatilityFactor} max"
        elif candidate.DepthAtBest < config.MinDepthAtBest then
            Reject $"depth {f 2 candidate.DepthAtBest} < {f 2 config.MinDepthAtBest} min"
        else
            Accept

/// The original's legacy taker fee in basis points (`calculate_fee`).
[<RequireQualifiedAccess>]
module LegacyFee =

    /// The fee as a fraction of the stake: price·(1 − price)·bps/10000, or 0 when bps is 0.
    /// 0.025 at 0.5 with 1000 bps. The original stored it as `fee_pct` although it is a fraction.
    let fraction (price: float) (baseFeeBps: int) : float =
        if baseFeeBps < 0 then
            invalidArg (nameof baseFeeBps) $"fee rate must not be negative, got {baseFeeBps}"

        if baseFeeBps = 0 then
            0.0
        else
            price * (1.0 - price) * float baseFeeBps / 10000.0

/// The settlement of a paper copytrade position.
type SettlementResult =
    {
        Won: bool
        /// amount / execution price.
        Shares: float
        /// $1 per share on a win, 0 on a loss.
        GrossPayout: float
        /// Payout − amount.
        GrossProfit: float
        /// Gross profit · fee fraction on a profitable win, else 0.
        FeeAmount: float
        /// Gross profit − fee.
        NetProfit: float
    }

/// Settlement of paper positions the way the original `settle_trade` does it.
[<RequireQualifiedAccess>]
module Settlement =

    /// Settles `amount` dollars bought at `executionPrice` with fee fraction `feeFraction`: a win pays $1 per share
    /// and the fee is charged on the gross profit; a loss loses the amount. Amount 5 at 0.5 with fee 0.025 wins 4.875.
    let settle (amount: float) (executionPrice: float) (feeFraction: float) (won: bool) : SettlementResult =
        if not (amount >= 0.0) then
            invalidArg (nameof amount) $"amount must not be negative, got {amount}"

        if not (executionPrice > 0.0) then
            invalidArg (nameof executionPrice) $"execution price must be positive, got {executionPrice}"

        let shares = amount / executionPrice

        if won then
            let grossProfit = shares - amount
            let fee = if grossProfit > 0.0 then grossProfit * feeFraction else 0.0

            {
                Won = true
                Shares = shares
                GrossPayout = shares
                GrossProfit = grossProfit
                FeeAmount = fee
                NetProfit = grossProfit - fee
            }
        else
            {
                Won = false
                Shares = shares
                GrossPayout = 0.0
                GrossProfit = -amount
                FeeAmount = 0.0
                NetProfit = -amount
            }
