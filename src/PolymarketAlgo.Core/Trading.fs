namespace PolymarketAlgo.Core

open System

/// Whether an order buys or sells outcome shares.
[<RequireQualifiedAccess>]
type OrderSide =
    /// Buy outcome shares, paying pUSD.
    | Buy
    /// Sell outcome shares, receiving pUSD.
    | Sell

/// How long an order may work: market orders (FOK, FAK) never rest, limit orders (GTC, GTD) may.
[<RequireQualifiedAccess>]
type TimeInForce =
    /// Fill or kill: fill completely at once or not at all (a market order).
    | Fok
    /// Fill and kill: fill what is possible at once, cancel the rest (a market order).
    | Fak
    /// Good till cancelled (a resting limit order).
    | Gtc
    /// Good till a date (a resting limit order that expires at `OrderIntent.Expiration`).
    | Gtd

/// An order a bot wants placed, before any risk check or exchange. Money is in pUSD (dollars).
type OrderIntent =
    {
        /// The caller's id of the order, unique per order and stable across retries and replays: the journal
        /// keys every write on it, so placing the same intent twice records one order.
        ClientOrderId: string
        /// The market, by slug (for example `btc-updown-5m-1776323700`).
        MarketId: string
        /// The start of the market's window (UTC).
        WindowStart: DateTimeOffset
        /// The outcome token bought or sold.
        Outcome: StreakReversal.Outcome
        /// Buy or sell.
        Side: OrderSide
        /// FOK or FAK (a market order) or GTC or GTD (a limit order).
        TimeInForce: TimeInForce
        /// A buy: the most pUSD to spend on shares, fees excluded (a limit buy's shares are Amount / Price).
        /// A sell: the number of shares to sell.
        Amount: decimal
        /// A market order's worst acceptable price, or a limit order's price; in (0, 1).
        Price: decimal
        /// A GTD order's expiry in Unix seconds; 0 for the other kinds.
        Expiration: int64
        /// An upper bound on the taker fee per dollar spent: the market's fee rate (for Polymarket's curve
        /// rate·(p·(1−p))^e with e ≥ 1 the fee per dollar is at most the rate). Risk checks reserve it.
        FeeRate: decimal
        /// The strategy that wants the order ("streak", "copytrade", ...).
        Strategy: string
        /// The win probability the strategy assigns to the bet (0..1); 0 when it has none.
        Confidence: decimal
        /// The streak that triggered the bet; 0 when not a streak bet.
        StreakLength: int
        /// Why the strategy wants the order, in words.
        Reason: string
    }

/// Where an order stands.
[<RequireQualifiedAccess>]
type OrderStatus =
    /// Placed and not finished: it may still fill.
    | Working
    /// Finished after filling everything it could (a FOK fill, a FAK fill, a filled limit order).
    | Filled
    /// Cancelled (by us, by the exchange, or a market order killed without a full fill).
    | Cancelled
    /// A GTD order that reached its expiry.
    | Expired
    /// The exchange (or the trader's own validation) refused it; nothing filled.
    | Rejected

/// An event of a trading account. The journal stores them in order; `Account.fold` rebuilds the state from them.
/// Every event carries its time (UTC), which also drives the daily counters' reset at UTC midnight.
[<RequireQualifiedAccess>]
type TradingEvent =
    /// The bankroll is set (the start of a journal, or an operator's override such as `--bankroll`).
    | BankrollSet of Amount: decimal * At: DateTimeOffset
    /// An order was sent (or is about to be: the journal writes it first). Counts as one of the day's bets when
    /// it is a buy, even if it is later rejected.
    | OrderPlaced of Intent: OrderIntent * At: DateTimeOffset
    /// The exchange accepted the order under its id and order hash (for Polymarket both are the EIP-712 hash).
    | OrderAccepted of ClientOrderId: string * ExchangeOrderId: string * OrderHash: string * At: DateTimeOffset
    /// Part or all of an order filled: `Shares` at `Price`, paying `Fee` pUSD. `FillId` (the exchange's trade id)
    /// makes a fill count once however often it is reported.
    | Filled of
        ClientOrderId: string *
        FillId: string *
        Shares: decimal *
        Price: decimal *
        Fee: decimal *
        At: DateTimeOffset
    /// The order finished with this status (Filled, Cancelled or Expired) and reason.
    | OrderClosed of ClientOrderId: string * Status: OrderStatus * Reason: string * At: DateTimeOffset
    /// The order was refused; nothing filled.
    | Rejected of ClientOrderId: string * Reason: string * At: DateTimeOffset
    /// The market resolved: `Winner`'s shares pay $1, the others nothing. Settles every position in the market.
    | Settled of MarketId: string * Winner: StreakReversal.Outcome * At: DateTimeOffset
    /// A position was closed without waiting for the resolution (shutdown, bankroll too low, sold out of it),
    /// for `Proceeds` pUSD after fees (0 when abandoned).
    | ForceExited of
        MarketId: string *
        Outcome: StreakReversal.Outcome *
        Proceeds: decimal *
        Reason: string *
        At: DateTimeOffset

/// One order as the state knows it.
type OrderState =
    {
        Intent: OrderIntent
        PlacedAt: DateTimeOffset
        /// The exchange's order id; empty until accepted.
        ExchangeOrderId: string
        /// The order hash; empty until accepted.
        OrderHash: string
        Status: OrderStatus
        /// Shares filled so far.
        FilledShares: decimal
        /// pUSD paid (a buy) or received (a sell) for the filled shares, fees excluded.
        FilledNotional: decimal
        /// Fees paid so far.
        Fees: decimal
        /// The fill ids applied (a fill reported twice counts once).
        FillIds: Set<string>
        /// Why it closed; empty while working.
        CloseReason: string
    }

/// Shares of one outcome of one market held, with what they cost.
type Position =
    {
        MarketId: string
        WindowStart: DateTimeOffset
        Outcome: StreakReversal.Outcome
        Shares: decimal
        /// pUSD paid for the shares held, fees excluded.
        Cost: decimal
        /// Taker fees paid buying them.
        Fees: decimal
        /// The strategy of the first buy.
        Strategy: string
        OpenedAt: DateTimeOffset
    }

/// How a position settled (`Account.settlement`).
type PositionSettlement =
    {
        Won: bool
        Shares: decimal
        /// $1 per share on a win, 0 on a loss.
        Payout: decimal
        /// Payout − cost.
        GrossProfit: decimal
        /// Fees paid buying the shares.
        Fees: decimal
        /// Gross profit − fees: what the bankroll gains.
        NetProfit: decimal
    }

/// The state of a trading account, rebuilt from its events by `Account.fold`. Money is pUSD.
type TradingState =
    {
        /// The bankroll: the amount set by the last `BankrollSet` plus the P&L realised since.
        /// Placing or filling an order does not change it; settling or exiting a position does.
        Bankroll: decimal
        /// Every order seen, by client order id.
        Orders: Map<string, OrderState>
        /// Open positions, by market id then outcome.
        Positions: Map<string * StreakReversal.Outcome, Position>
        /// The UTC day the daily counters belong to.
        Day: DateOnly
        /// Buy orders placed on `Day`.
        DailyBets: int
        /// P&L realised on `Day`.
        DailyPnl: decimal
        /// Settled bets won in a row (0 after a loss).
        ConsecutiveWins: int
        /// Settled bets lost in a row (0 after a win).
        ConsecutiveLosses: int
        /// Settled positions won.
        Wins: int
        /// Settled positions lost.
        Losses: int
        /// P&L realised since the start, after fees.
        RealizedPnl: decimal
        /// Fees paid since the start.
        FeesPaid: decimal
        /// The time of the last event folded in.
        LastEventAt: DateTimeOffset
    }

/// The trading account's state and its fold: `evolve` applies one event, `fold` a sequence. Pure and
/// deterministic: the same events always give the same state, and replayed events (an order placed twice,
/// a fill reported twice, a market settled twice) change nothing the second time.
[<RequireQualifiedAccess>]
module Account =

    /// The UTC calendar day of a time.
    let utcDay (time: DateTimeOffset) : DateOnly = DateOnly.FromDateTime time.UtcDateTime

    /// A fresh account holding `bankroll`, its daily counters on the UTC day of `at`.
    let initial (bankroll: decimal) (at: DateTimeOffset) : TradingState =
        {
            Bankroll = bankroll
            Orders = Map.empty
            Positions = Map.empty
            Day = utcDay at
            DailyBets = 0
            DailyPnl = 0m
            ConsecutiveWins = 0
            ConsecutiveLosses = 0
            Wins = 0
            Losses = 0
            RealizedPnl = 0m
            FeesPaid = 0m
            LastEventAt = at
        }

    /// The state with its daily counters moved to the UTC day of `now`: a later day starts at zero bets and
    /// zero P&L; an earlier or the same day changes nothing.
    let rollDay (now: DateTimeOffset) (state: TradingState) : TradingState =
        let day = utcDay now

        if day > state.Day then
            { state with
                Day = day
                DailyBets = 0
                DailyPnl = 0m
            }
        else
            state

    /// The time an event happened.
    let eventTime (event: TradingEvent) : DateTimeOffset =
        match event with
        | TradingEvent.BankrollSet(_, at)
        | TradingEvent.OrderPlaced(_, at)
        | TradingEvent.OrderAccepted(_, _, _, at)
        | TradingEvent.Filled(_, _, _, _, _, at)
        | TradingEvent.OrderClosed(_, _, _, at)
        | TradingEvent.Rejected(_, _, at)
        | TradingEvent.Settled(_, _, at)
        | TradingEvent.ForceExited(_, _, _, _, at) -> at

    /// How a position settles when `winner` wins: $1 per share on a win, nothing on a loss; the net profit is
    /// payout − cost − the fees paid at the fill (Polymarket charges the taker fee when the order matches).
    let settlement (position: Position) (winner: StreakReversal.Outcome) : PositionSettlement =
        let won = position.Outcome = winner
        let payout = if won then position.Shares else 0m
        let gross = payout - position.Cost

        {
            Won = won
            Shares = position.Shares
            Payout = payout
            GrossProfit = gross
            Fees = position.Fees
            NetProfit = gross - position.Fees
        }

    /// The original toolkit's settlement (seed-toolkit §6.5 `settle_trade`) in decimal: `amount` dollars bought at
    /// `executionPrice` are amount / price shares; a win pays $1 a share and is charged `feeFraction` of the gross
    /// profit; a loss loses the amount. Amount 5 at 0.5 with fee 0.025 nets +4.875. Agrees with the float
    /// `Settlement.settle`; kept for journals written under the original's fee model.
    let legacySettlement
        (amount: decimal)
        (executionPrice: decimal)
        (feeFraction: decimal)
        (won: bool)
        : PositionSettlement =
        if amount < 0m then
            invalidArg (nameof amount) $"amount must not be negative, got {amount}"

        if executionPrice <= 0m then
            invalidArg (nameof executionPrice) $"execution price must be positive, got {executionPrice}"

        let shares = amount / executionPrice

        if won then
            let gross = shares - amount
            let fee = if gross > 0m then gross * feeFraction else 0m

            {
                Won = true
                Shares = shares
                Payout = shares
                GrossProfit = gross
                Fees = fee
                NetProfit = gross - fee
            }
        else
            {
                Won = false
                Shares = shares
                Payout = 0m
                GrossProfit = -amount
                Fees = 0m
                NetProfit = -amount
            }

    /// The pUSD a working order can still put at risk: a buy's unspent amount plus the fee reserve on it
    /// ((Amount − spent)·(1 + FeeRate)); 0 for a sell or a finished order.
    let orderReserve (order: OrderState) : decimal =
        if order.Status <> OrderStatus.Working || order.Intent.Side <> OrderSide.Buy then
            0m
        else
            max 0m (order.Intent.Amount - order.FilledNotional)
            * (1m + order.Intent.FeeRate)

    /// The most a position can lose: its cost plus the fees paid.
    let positionRisk (position: Position) : decimal = position.Cost + position.Fees

    /// Everything at risk: every open position's cost and fees plus every working buy's reserve. The bankroll
    /// minus this is what could still be lost without going below zero.
    let atRisk (state: TradingState) : decimal =
        let orders =
            state.Orders |> Map.fold (fun total _ order -> total + orderReserve order) 0m

        state.Positions
        |> Map.fold (fun total _ position -> total + positionRisk position) orders

    /// The pUSD at risk in one market: its positions' cost and fees plus its working buys' reserves.
    let marketExposure (marketId: string) (state: TradingState) : decimal =
        let orders =
            state.Orders
            |> Map.fold
                (fun total _ order ->
                    if order.Intent.MarketId = marketId then
                        total + orderReserve order
                    else
                        total)
                0m

        state.Positions
        |> Map.fold
            (fun total (market, _) position ->
                if market = marketId then
                    total + positionRisk position
                else
                    total)
            orders

    /// The bankroll not at risk: Bankroll − atRisk (negative when the account is over-committed).
    let available (state: TradingState) : decimal = state.Bankroll - atRisk state

    /// The number of working orders.
    let openOrderCount (state: TradingState) : int =
        state.Orders
        |> Map.fold
            (fun count _ order ->
                if order.Status = OrderStatus.Working then
                    count + 1
                else
                    count)
            0

    /// The working orders, oldest first.
    let openOrders (state: TradingState) : OrderState[] =
        state.Orders
        |> Map.toArray
        |> Array.map snd
        |> Array.filter (fun order -> order.Status = OrderStatus.Working)
        |> Array.sortBy _.PlacedAt

    /// The open positions, oldest first.
    let positions (state: TradingState) : Position[] =
        state.Positions |> Map.toArray |> Array.map snd |> Array.sortBy _.OpenedAt

    /// Whether any order was ever placed in the market.
    let hasTraded (marketId: string) (state: TradingState) : bool =
        state.Orders |> Map.exists (fun _ order -> order.Intent.MarketId = marketId)

    /// Whether `at` falls on the state's day (events dated on an earlier day do not count in today's counters).
    let private today (at: DateTimeOffset) (state: TradingState) = utcDay at = state.Day

    let private realize (at: DateTimeOffset) (pnl: decimal) (state: TradingState) =
        { state with
            Bankroll = state.Bankroll + pnl
            DailyPnl = state.DailyPnl + (if today at state then pnl else 0m)
            RealizedPnl = state.RealizedPnl + pnl
        }

    let private applyFill
        (clientOrderId: string)
        (fillId: string)
        (shares: decimal)
        (price: decimal)
        (fee: decimal)
        (at: DateTimeOffset)
        (state: TradingState)
        =
        match Map.tryFind clientOrderId state.Orders with
        | Some order when not (order.FillIds.Contains fillId) ->
            let notional = shares * price
            let intent = order.Intent

            let order =
                { order with
                    FilledShares = order.FilledShares + shares
                    FilledNotional = order.FilledNotional + notional
                    Fees = order.Fees + fee
                    FillIds = order.FillIds.Add fillId
                }

            let state =
                { state with
                    Orders = state.Orders.Add(clientOrderId, order)
                    FeesPaid = state.FeesPaid + fee
                }

            let key = intent.MarketId, intent.Outcome

            match intent.Side, Map.tryFind key state.Positions with
            | OrderSide.Buy, existing ->
                let position =
                    match existing with
                    | Some position ->
                        { position with
                            Shares = position.Shares + shares
                            Cost = position.Cost + notional
                            Fees = position.Fees + fee
                        }
                    | None ->
                        {
                            MarketId = intent.MarketId
                            WindowStart = intent.WindowStart
                            Outcome = intent.Outcome
                            Shares = shares
                            Cost = notional
                            Fees = fee
                            Strategy = intent.Strategy
                            OpenedAt = at
                        }

                { state with
                    Positions = state.Positions.Add(key, position)
                }
            | OrderSide.Sell, Some position when position.Shares > 0m ->
                // Sold shares release their share of the cost and buying fees; the rest stays open.
                let sold = min shares position.Shares
                let fraction = sold / position.Shares
                let releasedCost = position.Cost * fraction
                let releasedFees = position.Fees * fraction
                let pnl = notional - fee - releasedCost - releasedFees

                let positions =
                    if sold = position.Shares then
                        state.Positions.Remove key
                    else
                        state.Positions.Add(
                            key,
                            { position with
                                Shares = position.Shares - sold
                                Cost = position.Cost - releasedCost
                                Fees = position.Fees - releasedFees
                            }
                        )

                realize at pnl { state with Positions = positions }
            | OrderSide.Sell, _ -> realize at (notional - fee) state
        | _ -> state

    let private close (clientOrderId: string) (status: OrderStatus) (reason: string) (state: TradingState) =
        match Map.tryFind clientOrderId state.Orders with
        | Some order when order.Status = OrderStatus.Working ->
            { state with
                Orders =
                    state.Orders.Add(
                        clientOrderId,
                        { order with
                            Status = status
                            CloseReason = reason
                        }
                    )
            }
        | _ -> state

    let private settle (marketId: string) (winner: StreakReversal.Outcome) (at: DateTimeOffset) (state: TradingState) =
        let settled = state.Positions |> Map.filter (fun (market, _) _ -> market = marketId)

        settled
        |> Map.fold
            (fun (state: TradingState) key position ->
                let result = settlement position winner

                let state =
                    realize
                        at
                        result.NetProfit
                        { state with
                            Positions = state.Positions.Remove key
                        }

                if result.Won then
                    { state with
                        Wins = state.Wins + 1
                        ConsecutiveWins = state.ConsecutiveWins + 1
                        ConsecutiveLosses = 0
                    }
                else
                    { state with
                        Losses = state.Losses + 1
                        ConsecutiveLosses = state.ConsecutiveLosses + 1
                        ConsecutiveWins = 0
                    })
            state

    /// Applies one event. Daily counters first move to the event's UTC day (`rollDay`, which never goes back); a
    /// bet or P&L dated on an earlier day than the counters' (a late fill, a backfilled settlement) changes the
    /// bankroll and totals but not today's counters. An event about an unknown
    /// order, a second placement of the same client order id, a fill id seen before, a close or rejection of a
    /// finished order, and a settlement or exit of a market without a position change nothing.
    let evolve (state: TradingState) (event: TradingEvent) : TradingState =
        let at = eventTime event

        let state =
            { rollDay at state with
                LastEventAt = max at state.LastEventAt
            }

        match event with
        | TradingEvent.BankrollSet(amount, _) -> { state with Bankroll = amount }
        | TradingEvent.OrderPlaced(intent, at) ->
            if state.Orders.ContainsKey intent.ClientOrderId then
                state
            else
                let order =
                    {
                        Intent = intent
                        PlacedAt = at
                        ExchangeOrderId = ""
                        OrderHash = ""
                        Status = OrderStatus.Working
                        FilledShares = 0m
                        FilledNotional = 0m
                        Fees = 0m
                        FillIds = Set.empty
                        CloseReason = ""
                    }

                { state with
                    Orders = state.Orders.Add(intent.ClientOrderId, order)
                    DailyBets =
                        state.DailyBets
                        + (if intent.Side = OrderSide.Buy && today at state then
                               1
                           else
                               0)
                }
        | TradingEvent.OrderAccepted(clientOrderId, exchangeOrderId, orderHash, _) ->
            match Map.tryFind clientOrderId state.Orders with
            | Some order ->
                { state with
                    Orders =
                        state.Orders.Add(
                            clientOrderId,
                            { order with
                                ExchangeOrderId = exchangeOrderId
                                OrderHash = orderHash
                            }
                        )
                }
            | None -> state
        | TradingEvent.Filled(clientOrderId, fillId, shares, price, fee, at) ->
            applyFill clientOrderId fillId shares price fee at state
        | TradingEvent.OrderClosed(clientOrderId, status, reason, _) -> close clientOrderId status reason state
        | TradingEvent.Rejected(clientOrderId, reason, _) -> close clientOrderId OrderStatus.Rejected reason state
        | TradingEvent.Settled(marketId, winner, at) -> settle marketId winner at state
        | TradingEvent.ForceExited(marketId, outcome, proceeds, _, at) ->
            match Map.tryFind (marketId, outcome) state.Positions with
            | Some position ->
                realize
                    at
                    (proceeds - positionRisk position)
                    { state with
                        Positions = state.Positions.Remove((marketId, outcome))
                    }
            | None -> state

    /// Folds events, in order, into `initialState`.
    let fold (initialState: TradingState) (events: TradingEvent seq) : TradingState =
        Seq.fold evolve initialState events
