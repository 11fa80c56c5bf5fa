namespace PolymarketAlgo.Core

open System
open System.Globalization

/// The risk limits every new order must pass. Money is pUSD.
type RiskLimits =
    {
        /// The most buy orders placed per UTC day (the original's MAX_DAILY_BETS, default 100).
        MaxDailyBets: int
        /// The most the account may lose in a UTC day, counting everything at risk as lost (MAX_DAILY_LOSS, 50).
        MaxDailyLoss: decimal
        /// The bankroll must stay at or above this even if everything at risk is lost (0: never bet money the
        /// account does not have).
        MinBankroll: decimal
        /// The most pUSD at risk in one market (positions' cost and fees plus working buys' reserves).
        MaxPositionPerMarket: decimal
        /// The most orders working at once.
        MaxOpenOrders: int
    }

/// Why a new order was refused. Each case carries the numbers that broke the limit.
[<RequireQualifiedAccess>]
type RiskBreach =
    /// The kill switch is engaged: no new orders at all.
    | KillSwitchEngaged
    /// The day's buy orders reached the limit.
    | DailyBetLimit of Placed: int * Limit: int
    /// The working orders reached the limit.
    | OpenOrderLimit of Working: int * Limit: int
    /// The day's P&L, if everything at risk (the new order included) were lost, would fall below −limit.
    | DailyLossLimit of WorstCaseDailyPnl: decimal * Limit: decimal
    /// The bankroll, if everything at risk (the new order included) were lost, would fall below the minimum.
    | BankrollTooLow of WorstCaseBankroll: decimal * Minimum: decimal
    /// The market's exposure with the new order would pass the per-market limit.
    | MarketExposureLimit of MarketId: string * Exposure: decimal * Limit: decimal

/// Pre-trade risk checks: pure functions of the limits, the kill switch, the time and the state. A breach is a
/// value, never an exception.
[<RequireQualifiedAccess>]
module Risk =

    /// The original's defaults: 100 bets and $50 of loss a day; no minimum bankroll beyond never betting money
    /// the account does not have; at most $50 in one market and 10 working orders (this toolkit's additions).
    let defaults =
        {
            MaxDailyBets = 100
            MaxDailyLoss = 50m
            MinBankroll = 0m
            MaxPositionPerMarket = 50m
            MaxOpenOrders = 10
        }

    /// Raises unless the limits are usable: counts not negative, money not negative.
    let validate (limits: RiskLimits) : unit =
        if limits.MaxDailyBets < 0 then
            invalidArg (nameof limits) $"MaxDailyBets must not be negative, got {limits.MaxDailyBets}"

        if limits.MaxOpenOrders < 0 then
            invalidArg (nameof limits) $"MaxOpenOrders must not be negative, got {limits.MaxOpenOrders}"

        if limits.MaxDailyLoss < 0m then
            invalidArg (nameof limits) $"MaxDailyLoss must not be negative, got {limits.MaxDailyLoss}"

        if limits.MinBankroll < 0m then
            invalidArg (nameof limits) $"MinBankroll must not be negative, got {limits.MinBankroll}"

        if limits.MaxPositionPerMarket < 0m then
            invalidArg (nameof limits) $"MaxPositionPerMarket must not be negative, got {limits.MaxPositionPerMarket}"

    /// What a new order would put at risk: a buy's amount plus its fee reserve, Amount·(1 + FeeRate); 0 for a sell.
    let orderRisk (intent: OrderIntent) : decimal =
        match intent.Side with
        | OrderSide.Buy -> intent.Amount * (1m + intent.FeeRate)
        | OrderSide.Sell -> 0m

    /// Checks a new order at time `now` against the limits, in this order: kill switch, daily bets (buys),
    /// working orders, daily loss, bankroll floor, market exposure. Sells face only the kill switch and the
    /// working-order limit, since they reduce what is at risk. Daily counters of an earlier UTC day count as
    /// zero. The loss checks count everything at risk as lost, so whatever fills and settles afterwards, the
    /// day's loss stays within MaxDailyLoss and the bankroll at or above MinBankroll.
    let check
        (limits: RiskLimits)
        (killSwitch: bool)
        (now: DateTimeOffset)
        (state: TradingState)
        (intent: OrderIntent)
        : Result<OrderIntent, RiskBreach> =
        validate limits

        if intent.Amount <= 0m then
            invalidArg (nameof intent) $"the order amount must be positive, got {intent.Amount}"

        if intent.FeeRate < 0m then
            invalidArg (nameof intent) $"the fee rate must not be negative, got {intent.FeeRate}"

        let state = Account.rollDay now state
        let isBuy = intent.Side = OrderSide.Buy
        let risk = orderRisk intent
        let atRisk = Account.atRisk state
        let working = Account.openOrderCount state
        let worstDaily = min state.DailyPnl 0m - atRisk - risk
        let worstBankroll = state.Bankroll - atRisk - risk
        let exposure = Account.marketExposure intent.MarketId state + risk

        if killSwitch then
            Error RiskBreach.KillSwitchEngaged
        elif isBuy && state.DailyBets >= limits.MaxDailyBets then
            Error(RiskBreach.DailyBetLimit(state.DailyBets, limits.MaxDailyBets))
        elif working >= limits.MaxOpenOrders then
            Error(RiskBreach.OpenOrderLimit(working, limits.MaxOpenOrders))
        elif isBuy && worstDaily < -limits.MaxDailyLoss then
            Error(RiskBreach.DailyLossLimit(worstDaily, limits.MaxDailyLoss))
        elif isBuy && worstBankroll < limits.MinBankroll then
            Error(RiskBreach.BankrollTooLow(worstBankroll, limits.MinBankroll))
        elif isBuy && exposure > limits.MaxPositionPerMarket then
            Error(RiskBreach.MarketExposureLimit(intent.MarketId, exposure, limits.MaxPositionPerMarket))
        else
            Ok intent

    /// A one-line description of a breach, for logs and the journal.
    let describe (breach: RiskBreach) : string =
        let money (value: decimal) =
            value.ToString("0.00", CultureInfo.InvariantCulture)

        match breach with
        | RiskBreach.KillSwitchEngaged -> "Kill switch engaged"
        | RiskBreach.DailyBetLimit(placed, limit) -> $"Max daily bets reached ({placed} of {limit})"
        | RiskBreach.OpenOrderLimit(working, limit) -> $"Max open orders reached ({working} of {limit})"
        | RiskBreach.DailyLossLimit(worst, limit) ->
            $"Max daily loss would be exceeded (worst case ${money worst} against -${money limit})"
        | RiskBreach.BankrollTooLow(worst, minimum) ->
            $"Bankroll too low (worst case ${money worst} < ${money minimum})"
        | RiskBreach.MarketExposureLimit(market, exposure, limit) ->
            $"Max position per market exceeded in {market} (${money exposure} > ${money limit})"
