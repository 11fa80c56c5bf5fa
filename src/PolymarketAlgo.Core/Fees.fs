namespace PolymarketAlgo.Core

open System

/// Polymarket's taker fee (polymarket-protocol §9.3): fee = shares × rate × (p·(1−p))^exponent at fill price p,
/// charged to takers in pUSD; makers pay nothing. Float versions are for backtests, decimal ones for order math.
[<RequireQualifiedAccess>]
module Fees =

    /// The crypto category's taker fee rate (0.072 since CLOB V2; read the live value per market at runtime).
    [<Literal>]
    let CryptoTakerRate = 0.072

    /// The crypto category's fee curve exponent (1).
    [<Literal>]
    let CryptoExponent = 1.0

    /// `CryptoTakerRate` as a decimal.
    let cryptoTakerRateDecimal = 0.072M

    /// `CryptoExponent` as a decimal.
    let cryptoExponentDecimal = 1M

    /// The smallest fee Polymarket charges (0.00001 pUSD); smaller fees round to zero.
    let minimumFee = 0.00001M

    /// The fee curve (p·(1−p))^exponent at price p (exponents 0, 1 and 2 without `Math.Pow`).
    let curve (price: float) (exponent: float) : float =
        let x = price * (1.0 - price)

        if exponent = 1.0 then x
        elif exponent = 2.0 then x * x
        elif exponent = 0.0 then 1.0
        else Math.Pow(x, exponent)

    /// The taker fee in dollars for `shares` bought or sold at `price`: shares × rate × (p·(1−p))^exponent.
    /// Unrounded; 0 at p = 0 and p = 1, largest at p = 0.5, symmetric in p ↔ 1 − p.
    let taker (shares: float) (rate: float) (price: float) (exponent: float) : float =
        shares * rate * curve price exponent

    let private power (x: decimal) (exponent: decimal) =
        if exponent >= 0M && exponent = Decimal.Truncate exponent then
            let mutable result = 1M

            for _ in 1 .. int exponent do
                result <- result * x

            result
        else
            decimal (Math.Pow(float x, float exponent))

    /// The fee rate per share at `price`: rate × (p·(1−p))^exponent (exact for whole exponents).
    let takerRatePerShare (rate: decimal) (price: decimal) (exponent: decimal) : decimal =
        rate * power (price * (1M - price)) exponent

    /// The taker fee in pUSD (unrounded, exact for whole exponents): shares × rate × (p·(1−p))^exponent.
    let takerDecimal (shares: decimal) (rate: decimal) (price: decimal) (exponent: decimal) : decimal =
        shares * takerRatePerShare rate price exponent

    /// Rounds a fee the way Polymarket charges it: to 5 decimal places (half away from zero), so fees below
    /// 0.000005 become 0 and the smallest fee charged is 0.00001.
    let round (fee: decimal) : decimal =
        Math.Round(fee, 5, MidpointRounding.AwayFromZero)

    /// The builder fee on a notional amount: notional × builderTakerFeeRate (rate as a fraction, bps / 10,000).
    let builder (notional: decimal) (builderTakerFeeRate: decimal) : decimal = notional * builderTakerFeeRate

    /// Raises unless `feeSlippage` is 0 or a percentage in [1, 100] (clob-client-v2's `validateFeeSlippage`).
    let validateFeeSlippage (feeSlippage: decimal) : unit =
        if feeSlippage < 0M || feeSlippage > 100M || (feeSlippage > 0M && feeSlippage < 1M) then
            invalidArg (nameof feeSlippage) "feeSlippage must be 0 or a percentage between 1 and 100."

    /// The platform fee for spending `amount` pUSD at `price`: (amount / price) × rate × (p·(1−p))^exponent,
    /// padded by `feeSlippage` percent (clob-client-v2's reserve for a fee that may move).
    let platformFeeOnAmount
        (amount: decimal)
        (price: decimal)
        (feeRate: decimal)
        (feeExponent: decimal)
        (feeSlippage: decimal)
        : decimal =
        amount * takerRatePerShare feeRate price feeExponent * (1M + feeSlippage / 100M)
        / price

    /// clob-client-v2's `adjustBuyAmountForFees`: the pUSD amount a market BUY may spend so that the amount plus
    /// the platform fee (padded by `feeSlippage` percent) plus the builder fee fits the balance. When
    /// balance ≤ amount + fees it returns max(balance − platform fee − builder fee, 0) with both fees computed
    /// on min(amount, balance); otherwise `amount` unchanged. Raises for a price outside (0, 1) or a bad slippage.
    let adjustBuyAmountForFees
        (amount: decimal)
        (price: decimal)
        (balance: decimal)
        (feeRate: decimal)
        (feeExponent: decimal)
        (builderTakerFeeRate: decimal)
        (feeSlippage: decimal)
        : decimal =
        if price <= 0M || price >= 1M then
            invalidArg (nameof price) $"The price must be in (0, 1) (got {price})."

        validateFeeSlippage feeSlippage

        let platform (base': decimal) =
            platformFeeOnAmount base' price feeRate feeExponent feeSlippage

        let total = amount + platform amount + builder amount builderTakerFeeRate

        if balance <= total then
            let feeBase = min amount balance
            max (balance - platform feeBase - builder feeBase builderTakerFeeRate) 0M
        else
            amount
