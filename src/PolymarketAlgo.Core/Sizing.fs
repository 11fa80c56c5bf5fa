namespace PolymarketAlgo.Core

open System

/// How `Sizing.size` turns a bankroll, a win probability and a share price into a bet in dollars.
/// Every rule bets at most the bankroll; a venue's minimum order is the caller's rule, not the sizer's.
type SizingRule =
    /// A fixed dollar amount, never more than the bankroll.
    | Fixed of amount: decimal
    /// Quarter Kelly at odds 1/price (the original `kelly_size`, including its $1 floor), then capped the way
    /// the original bots cap it: at most `maxBet` dollars and at most `maxBankrollFraction` of the bankroll.
    /// The bots also raised the result to MIN_BET even when Kelly saw no edge; this rule returns 0 then.
    | QuarterKelly of maxBet: decimal * maxBankrollFraction: decimal
    /// `fraction` of the bankroll, at most `cap` dollars.
    | CappedFraction of fraction: decimal * cap: decimal

/// Bet sizing: the original's fractional Kelly, fixed amounts and capped fractions of the bankroll, in decimal.
[<RequireQualifiedAccess>]
module Sizing =

    /// Streak reversal rates of the original root bot ("570-market, 2-day backtest"), by streak length.
    /// The original looks them up at min(streak, 5).
    let legacyReversalRates: Map<int, decimal> =
        Map [ 2, 0.540m; 3, 0.579m; 4, 0.667m; 5, 0.824m ]

    /// Streak reversal rates of 5-minute BTC bars ("2-year Binance BTCUSDT", hollowc2 fork), by streak length.
    let reversalRates5m: Map<int, decimal> =
        Map [ 2, 0.518m; 3, 0.527m; 4, 0.537m; 5, 0.533m; 6, 0.540m; 7, 0.550m; 8, 0.562m ]

    /// Streak reversal rates of 15-minute BTC bars (hollowc2 fork), by streak length.
    let reversalRates15m: Map<int, decimal> =
        Map [ 2, 0.537m; 3, 0.556m; 4, 0.568m; 5, 0.579m; 6, 0.603m; 7, 0.598m; 8, 0.615m ]

    /// Streak reversal rates of 1-hour BTC bars (hollowc2 fork), by streak length.
    let reversalRates1h: Map<int, decimal> =
        Map [ 2, 0.541m; 3, 0.548m; 4, 0.557m; 5, 0.546m; 6, 0.533m; 7, 0.479m; 8, 0.482m ]

    /// The reversal rate (the confidence Kelly bets with) after a streak of `streakLength` bars: the table's entry
    /// at min(streakLength, largest key), like the original. A streak shorter than the smallest key is misuse.
    let reversalRate (rates: Map<int, decimal>) (streakLength: int) : decimal =
        if Map.isEmpty rates then
            invalidArg (nameof rates) "the reversal rate table is empty"

        let key = min streakLength (fst (Map.maxKeyValue rates))

        match Map.tryFind key rates with
        | Some rate -> rate
        | None -> invalidArg (nameof streakLength) $"no reversal rate for a streak of {streakLength}"

    /// The original `kelly_size`: 0 when confidence ≤ 0, odds ≤ 1 or the Kelly fraction
    /// f* = (b·p − (1 − p))/b with b = odds − 1 is ≤ 0; otherwise max(1, round(bankroll·f*·fraction, 2)).
    /// Computed in decimal, so a result exactly on a half cent rounds to even; Python rounded the binary float,
    /// which can land a cent away on such midpoints.
    let kelly (confidence: decimal) (odds: decimal) (bankroll: decimal) (fraction: decimal) : decimal =
        if bankroll < 0m then
            invalidArg (nameof bankroll) $"bankroll must not be negative, got {bankroll}"

        if fraction < 0m then
            invalidArg (nameof fraction) $"fraction must not be negative, got {fraction}"

        if confidence <= 0m || odds <= 1m then
            0m
        else
            let b = odds - 1m
            let kellyFraction = (b * confidence - (1m - confidence)) / b

            if kellyFraction <= 0m then
                0m
            else
                max 1m (Math.Round(bankroll * kellyFraction * fraction, 2, MidpointRounding.ToEven))

    /// `kelly` at a quarter of the Kelly fraction, the original's default.
    let quarterKelly (confidence: decimal) (odds: decimal) (bankroll: decimal) : decimal =
        kelly confidence odds bankroll 0.25m

    /// A fixed amount, never more than the bankroll.
    let fixedAmount (amount: decimal) (bankroll: decimal) : decimal =
        if amount < 0m then
            invalidArg (nameof amount) $"amount must not be negative, got {amount}"

        if bankroll < 0m then
            invalidArg (nameof bankroll) $"bankroll must not be negative, got {bankroll}"

        min amount bankroll

    /// `fraction` (0..1) of the bankroll, at most `cap` dollars.
    let cappedFraction (fraction: decimal) (cap: decimal) (bankroll: decimal) : decimal =
        if fraction < 0m || fraction > 1m then
            invalidArg (nameof fraction) $"fraction must lie in [0, 1], got {fraction}"

        if cap < 0m then
            invalidArg (nameof cap) $"cap must not be negative, got {cap}"

        if bankroll < 0m then
            invalidArg (nameof bankroll) $"bankroll must not be negative, got {bankroll}"

        min (bankroll * fraction) cap

    /// The bet in dollars under `rule`, for a bankroll, a win probability `confidence` (0..1) and the price
    /// (0 < price ≤ 1) of the share bought; Kelly bets at odds 1/price. Never negative, never above the bankroll.
    let size (rule: SizingRule) (bankroll: decimal) (confidence: decimal) (price: decimal) : decimal =
        if bankroll < 0m then
            invalidArg (nameof bankroll) $"bankroll must not be negative, got {bankroll}"

        if confidence < 0m || confidence > 1m then
            invalidArg (nameof confidence) $"confidence must lie in [0, 1], got {confidence}"

        if price <= 0m || price > 1m then
            invalidArg (nameof price) $"price must lie in (0, 1], got {price}"

        match rule with
        | Fixed amount -> fixedAmount amount bankroll
        | QuarterKelly(maxBet, maxBankrollFraction) ->
            if maxBet < 0m then
                invalidArg (nameof rule) $"maxBet must not be negative, got {maxBet}"

            if maxBankrollFraction < 0m || maxBankrollFraction > 1m then
                invalidArg (nameof rule) $"maxBankrollFraction must lie in [0, 1], got {maxBankrollFraction}"

            let kellyBet = quarterKelly confidence (1m / price) bankroll
            min kellyBet (min maxBet (bankroll * maxBankrollFraction))
        | CappedFraction(fraction, cap) -> cappedFraction fraction cap bankroll
