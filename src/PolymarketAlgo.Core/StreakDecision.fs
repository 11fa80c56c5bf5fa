namespace PolymarketAlgo.Core

open System
open System.Globalization

/// A resolved up/down window: its start (UTC) and how it resolved.
type ResolvedWindow =
    {
        Start: DateTimeOffset
        Outcome: StreakReversal.Outcome
    }

/// The settings of the streak bot's decision. Money is pUSD.
type StreakConfig =
    {
        /// The streak length that fires (the original's STREAK_TRIGGER, default 4; at least 2).
        Trigger: int
        /// The window length (5 minutes for the btc-updown-5m markets).
        Window: TimeSpan
        /// How long after the target window opens a bet may still be placed. The bet can only be placed once the
        /// window before it has resolved, that is once the target window is open; later entries pay for the
        /// price moving inside the window, so keep this short (default 30 s).
        EntryWindow: TimeSpan
        /// How the bet is sized: fixed, quarter Kelly on the streak's reversal rate, or a capped fraction.
        Sizing: SizingRule
        /// Reversal rates by streak length: the confidence Kelly bets with (`Sizing.legacyReversalRates`,
        /// `Sizing.reversalRates5m`, ...). Looked up at min(streak, largest key).
        ReversalRates: Map<int, decimal>
        /// The smallest order worth placing (Polymarket's marketable minimum is $1; the original's MIN_BET).
        MinOrderAmount: decimal
        /// How far above the side's current ask the order may fill (the market order's worst price is
        /// min(ask + tolerance, MaxPrice)).
        PriceTolerance: decimal
        /// The highest price ever paid for a share; a side already dearer is skipped.
        MaxPrice: decimal
        /// The market's taker fee rate (0.072 for crypto), reserved by the risk checks.
        FeeRate: decimal
        /// FOK (the original) or FAK.
        TimeInForce: TimeInForce
        /// The risk limits every bet must pass.
        Risk: RiskLimits
    }

/// What the streak decision looks at, gathered by the bot loop.
type StreakInput =
    {
        /// The time of the decision (UTC), from the caller's clock.
        Now: DateTimeOffset
        /// The slug of the target window's market.
        MarketId: string
        /// The start of the window to bet on.
        TargetWindowStart: DateTimeOffset
        /// Resolved windows, oldest first, strictly increasing starts. The last must be the window just before
        /// the target (see `StreakDecision.decide`); windows missing in between are allowed and break the streak.
        Outcomes: ResolvedWindow[]
        /// The price of an Up share now (the best ask), in (0, 1); 0 when unknown.
        UpPrice: decimal
        /// The price of a Down share now (the best ask), in (0, 1); 0 when unknown.
        DownPrice: decimal
        /// Whether the operator's kill switch is engaged.
        KillSwitch: bool
    }

/// Why the streak bot does not bet on a window.
[<RequireQualifiedAccess>]
type SkipReason =
    /// No resolved outcome was given.
    | NoOutcomes
    /// The latest resolved outcome is not the window just before the target: betting now would use a stale streak.
    | OutcomesNotCurrent of Latest: DateTimeOffset * Needed: DateTimeOffset
    /// The target window has not opened yet, so the window before it cannot have resolved.
    | WindowNotOpen of OpensAt: DateTimeOffset
    /// The entry window has passed.
    | EntryClosed of ClosedAt: DateTimeOffset
    /// An order was already placed in this market.
    | AlreadyTraded of MarketId: string
    /// The contiguous run of resolved windows is shorter than the trigger because this window is missing.
    | GapInOutcomes of MissingWindow: DateTimeOffset
    /// The trailing streak is shorter than the trigger.
    | NoStreak of Length: int * Trigger: int
    /// The side to buy has no usable price, or costs more than MaxPrice.
    | NoPrice of Price: decimal
    /// The sizing rule bets nothing (no edge, or nothing available to bet).
    | NoEdge
    /// The sized bet is below the minimum order.
    | BelowMinimum of Amount: decimal * Minimum: decimal
    /// The strategy the bot follows gives no signal for the target window.
    | NoSignal of Strategy: string

/// The streak bot's decision.
[<RequireQualifiedAccess>]
type Decision =
    /// Place this order.
    | Place of OrderIntent
    /// Do not bet on this window.
    | Skip of SkipReason
    /// A bet was due but a risk limit refuses it.
    | Reject of RiskBreach

/// A strategy the bot follows instead of the streak rule: any `IStrategy` (built in or a plugin) with its
/// parameters, evaluated over the resolved outcomes as synthetic candles (see `OutcomeBacktest`).
type OutcomeStrategy =
    {
        Strategy: IStrategy
        /// Parameter values; missing ones take the strategy's defaults.
        Parameters: Map<string, float>
    }

/// The streak reversal bot's decision: a pure function of its settings, the account state and the inputs the bot
/// loop gathered (resolved outcomes, window timing, prices, the kill switch).
[<RequireQualifiedAccess>]
module StreakDecision =

    /// The original's settings: trigger 4, 5-minute windows, a 30 s entry window, quarter Kelly on the legacy
    /// reversal rates capped at $5 and 10 % of the bankroll, $1 minimum, FOK at up to 5 cents over the ask
    /// (never above 0.95), the 0.072 crypto fee rate and the default risk limits.
    let defaults =
        {
            Trigger = StreakReversal.DefaultTrigger
            Window = TimeSpan.FromMinutes 5.0
            EntryWindow = TimeSpan.FromSeconds 30.0
            Sizing = QuarterKelly(5m, 0.10m)
            ReversalRates = Sizing.legacyReversalRates
            MinOrderAmount = 1m
            PriceTolerance = 0.05m
            MaxPrice = 0.95m
            FeeRate = Fees.cryptoTakerRateDecimal
            TimeInForce = TimeInForce.Fok
            Risk = Risk.defaults
        }

    /// The client order id of the streak bet on a window: `streak-<window start unix seconds>-<up|down>`. The
    /// same window and side always give the same id, so a replayed decision never places a second order.
    let clientOrderId (windowStart: DateTimeOffset) (outcome: StreakReversal.Outcome) : string =
        let side =
            match outcome with
            | StreakReversal.Up -> "up"
            | StreakReversal.Down -> "down"

        "streak-"
        + windowStart.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)
        + "-"
        + side

    let private validate (config: StreakConfig) (input: StreakInput) =
        if config.Trigger < 2 then
            invalidArg (nameof config) $"the trigger must be at least 2, got {config.Trigger}"

        if config.Window <= TimeSpan.Zero then
            invalidArg (nameof config) $"the window must be positive, got {config.Window}"

        if config.EntryWindow < TimeSpan.Zero then
            invalidArg (nameof config) $"the entry window must not be negative, got {config.EntryWindow}"

        if config.MinOrderAmount < 0m || config.PriceTolerance < 0m || config.FeeRate < 0m then
            invalidArg (nameof config) "MinOrderAmount, PriceTolerance and FeeRate must not be negative"

        if config.MaxPrice <= 0m || config.MaxPrice >= 1m then
            invalidArg (nameof config) $"MaxPrice must lie in (0, 1), got {config.MaxPrice}"

        for i in 1 .. input.Outcomes.Length - 1 do
            if input.Outcomes[i].Start <= input.Outcomes[i - 1].Start then
                invalidArg (nameof input) "the outcomes must be in strictly increasing window order"

    /// The trailing run of windows with no window missing between them (oldest first), and whether a missing
    /// window cut it short.
    let private contiguousTail (window: TimeSpan) (outcomes: ResolvedWindow[]) =
        let mutable first = outcomes.Length - 1

        while first > 0 && outcomes[first - 1].Start + window = outcomes[first].Start do
            first <- first - 1

        outcomes[first..], first > 0

    /// The bet the chosen side makes on the target: the price check, the size (`Sizing.size` on the bankroll not at
    /// risk), the order intent and `Risk.check`.
    let private bet
        (config: StreakConfig)
        (state: TradingState)
        (input: StreakInput)
        (side: StreakReversal.Outcome)
        (confidence: decimal)
        (length: int)
        (strategy: string)
        (reason: string)
        =
        let price =
            match side with
            | StreakReversal.Up -> input.UpPrice
            | StreakReversal.Down -> input.DownPrice

        if price <= 0m || price > config.MaxPrice then
            Decision.Skip(SkipReason.NoPrice price)
        else
            let bankroll = max 0m (Account.available state)
            let amount = Sizing.size config.Sizing bankroll confidence price

            if amount <= 0m then
                Decision.Skip SkipReason.NoEdge
            elif amount < config.MinOrderAmount then
                Decision.Skip(SkipReason.BelowMinimum(amount, config.MinOrderAmount))
            else
                let intent =
                    {
                        ClientOrderId = clientOrderId input.TargetWindowStart side
                        MarketId = input.MarketId
                        WindowStart = input.TargetWindowStart
                        Outcome = side
                        Side = OrderSide.Buy
                        TimeInForce = config.TimeInForce
                        Amount = amount
                        Price = min config.MaxPrice (price + config.PriceTolerance)
                        Expiration = 0L
                        FeeRate = config.FeeRate
                        Strategy = strategy
                        Confidence = confidence
                        StreakLength = length
                        Reason = reason
                    }

                match Risk.check config.Risk input.KillSwitch input.Now state intent with
                | Ok intent -> Decision.Place intent
                | Error breach -> Decision.Reject breach

    /// The checks every decision makes before it looks at the outcomes' pattern: outcomes present and current,
    /// timing, one order per market; then `choose` decides on the contiguous run of outcomes.
    let private decideWith
        (config: StreakConfig)
        (state: TradingState)
        (input: StreakInput)
        (choose: ResolvedWindow[] -> bool -> Decision)
        =
        validate config input
        let needed = input.TargetWindowStart - config.Window

        if input.Outcomes.Length = 0 then
            Decision.Skip SkipReason.NoOutcomes
        elif input.Outcomes[input.Outcomes.Length - 1].Start <> needed then
            Decision.Skip(SkipReason.OutcomesNotCurrent(input.Outcomes[input.Outcomes.Length - 1].Start, needed))
        elif input.Now < input.TargetWindowStart then
            Decision.Skip(SkipReason.WindowNotOpen input.TargetWindowStart)
        elif input.Now > input.TargetWindowStart + config.EntryWindow then
            Decision.Skip(SkipReason.EntryClosed(input.TargetWindowStart + config.EntryWindow))
        elif Account.hasTraded input.MarketId state then
            Decision.Skip(SkipReason.AlreadyTraded input.MarketId)
        else
            let tail, cut = contiguousTail config.Window input.Outcomes
            choose tail cut

    /// Decides whether to bet on the window starting at `input.TargetWindowStart`, with the same rule as the
    /// backtest (`StreakReversal.evaluate`): after `Trigger` or more windows in a row resolving the same way, bet
    /// the other way on the very next window.
    ///
    /// The streak must end with the window just before the target. The original live bot (seed-toolkit §8.1) bet
    /// 30 s before the target window opened, when the window still running had not resolved, so its streak ended
    /// one window earlier than the backtest's: it acted on outcomes one window late, and skipped unresolved
    /// windows so its "consecutive" outcomes could have holes. Here the last outcome must be the window just
    /// before the target (else `OutcomesNotCurrent`), a missing window breaks the run (`GapInOutcomes`), and the
    /// bet is placed in the first `EntryWindow` of the target window, right after the previous one resolved.
    /// On an exact tie (close = open) Polymarket resolves Up, where the backtest's close-to-close streak counts
    /// a flat bar as Down; the outcomes given here are the resolutions.
    ///
    /// Checks, in order: outcomes present and current, timing, one order per market, the streak, the price,
    /// the size (`Sizing.size` on the bankroll not at risk, confidence = the reversal rate of the streak), then
    /// `Risk.check`.
    let decide (config: StreakConfig) (state: TradingState) (input: StreakInput) : Decision =
        decideWith config state input (fun tail cut ->
            let length, direction =
                tail |> Array.map _.Outcome |> List.ofArray |> StreakReversal.detectStreak

            match direction with
            | Some streakDirection when length >= config.Trigger ->
                let side =
                    match streakDirection with
                    | StreakReversal.Up -> StreakReversal.Down
                    | StreakReversal.Down -> StreakReversal.Up

                let confidence = Sizing.reversalRate config.ReversalRates length

                let reason =
                    String.Format(
                        CultureInfo.InvariantCulture,
                        "Streak of {0}x {1}; reversal rate {2:0.0}%; betting {3}",
                        length,
                        (if streakDirection = StreakReversal.Up then "up" else "down"),
                        confidence * 100m,
                        (if side = StreakReversal.Up then "up" else "down")
                    )

                bet config state input side confidence length "streak" reason
            | _ when cut && length = tail.Length ->
                Decision.Skip(SkipReason.GapInOutcomes(tail[0].Start - config.Window))
            | _ -> Decision.Skip(SkipReason.NoStreak(length, config.Trigger)))

    /// The signal of `strategy` at the latest of `windows` (oldest first, the last being the window before the
    /// target): +1 bet Up, −1 bet Down, 0 no bet. The outcomes become synthetic candles exactly as in an outcome
    /// backtest (`OutcomeBacktest.strategy`), so live and backtest agree; the target window is appended as a
    /// placeholder resolved both ways and a signal counts only when both agree, so a strategy that looked ahead
    /// could not bet on the outcome it is betting on.
    let strategySignal
        (window: TimeSpan)
        (strategy: OutcomeStrategy)
        (windows: ResolvedWindow[])
        : Result<int, StrategyError> =
        if windows.Length = 0 then
            Ok 0
        else
            let target = windows[windows.Length - 1].Start + window

            let signalWith (placeholder: int) =
                let history =
                    Array.append
                        (windows
                         |> Array.map (fun w ->
                             {
                                 Start = w.Start
                                 Outcome = (if w.Outcome = StreakReversal.Up then 1 else -1)
                                 UpPrice = nan
                             }))
                        [|
                            {
                                Start = target
                                Outcome = placeholder
                                UpPrice = nan
                            }
                        |]

                let series = OutcomeBacktest.series window history

                Strategy.evaluate (OutcomeBacktest.strategy series strategy.Strategy) series.Candles strategy.Parameters
                |> Result.map (fun signals -> sign signals.Signal[series.Candles.Length - 2])

            match signalWith 1, signalWith -1 with
            | Ok asUp, Ok asDown -> Ok(if asUp = asDown then asUp else 0)
            | Error e, _
            | _, Error e -> Error e

    /// Decides like `decide`, with the same checks, timing and sizing, but the side comes from `strategy`'s signal
    /// at the window before the target (`strategySignal` over the contiguous run of outcomes). The sizing's
    /// confidence is the streak table's rate at the trigger, so pair a strategy with fixed or fraction sizing. A
    /// strategy that fails to evaluate (an unknown parameter) raises: it is a misconfiguration, caught at start.
    let decideBy
        (strategy: OutcomeStrategy)
        (config: StreakConfig)
        (state: TradingState)
        (input: StreakInput)
        : Decision =
        decideWith config state input (fun tail _ ->
            match strategySignal config.Window strategy tail with
            | Error error -> invalidArg (nameof strategy) (string error)
            | Ok 0 -> Decision.Skip(SkipReason.NoSignal strategy.Strategy.Name)
            | Ok signal ->
                let side =
                    if signal > 0 then
                        StreakReversal.Up
                    else
                        StreakReversal.Down

                let confidence = Sizing.reversalRate config.ReversalRates config.Trigger

                let direction = if signal > 0 then "up" else "down"

                let reason =
                    $"{strategy.Strategy.Name} signals {direction} after {tail.Length} windows"

                bet config state input side confidence tail.Length strategy.Strategy.Name reason)

    /// A one-line description of a skip, for logs and the journal.
    let describeSkip (reason: SkipReason) : string =
        let time (t: DateTimeOffset) =
            t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)

        match reason with
        | SkipReason.NoOutcomes -> "No resolved outcomes"
        | SkipReason.OutcomesNotCurrent(latest, needed) ->
            $"Latest outcome is the window at {time latest}; the streak needs the window at {time needed}"
        | SkipReason.WindowNotOpen opensAt -> $"Target window opens at {time opensAt}"
        | SkipReason.EntryClosed closedAt -> $"Entry window closed at {time closedAt}"
        | SkipReason.AlreadyTraded market -> $"Already traded {market}"
        | SkipReason.GapInOutcomes missing -> $"The outcome of the window at {time missing} is missing"
        | SkipReason.NoStreak(length, trigger) -> $"Streak {length} < trigger {trigger}"
        | SkipReason.NoPrice price -> $"No usable price ({price})"
        | SkipReason.NoEdge -> "Sizing bets nothing (no edge)"
        | SkipReason.BelowMinimum(amount, minimum) -> $"Bet ${amount} is below the ${minimum} minimum"
        | SkipReason.NoSignal strategy -> $"{strategy} gives no signal"

    /// A one-line description of a decision.
    let describe (decision: Decision) : string =
        match decision with
        | Decision.Place intent -> intent.Reason
        | Decision.Skip reason -> describeSkip reason
        | Decision.Reject breach -> Risk.describe breach
