namespace PolymarketAlgo.Executor.Orders;

/// <summary>
/// Taker fees of CLOB V2 (charged by the operator at match time, never signed) and the official clients'
/// fee-aware sizing of market BUYs (clob-client-v2 <c>adjustBuyAmountForFees</c>). All in pUSD, exact decimals.
/// </summary>
public static class OrderFees
{
    /// <summary>The platform taker fee on a number of shares: <c>shares × rate × (p·(1 − p))^exponent</c>.</summary>
    /// <param name="shares">Shares filled.</param>
    /// <param name="price">Fill price, in (0, 1).</param>
    /// <param name="feeRate">The market's fee rate (e.g. 0.072 for crypto).</param>
    /// <param name="exponent">The market's fee exponent (e.g. 1).</param>
    /// <returns>The fee in pUSD.</returns>
    public static decimal PlatformFee(decimal shares, decimal price, decimal feeRate, int exponent)
    {
        CheckPrice(price);
        ArgumentOutOfRangeException.ThrowIfNegative(shares);
        ArgumentOutOfRangeException.ThrowIfNegative(feeRate);
        ArgumentOutOfRangeException.ThrowIfNegative(exponent);
        var curve = 1m;
        var variance = price * (1m - price);
        for (var i = 0; i < exponent; i++)
        {
            curve *= variance;
        }

        return shares * feeRate * curve;
    }

    /// <summary>The builder fee: <c>notional × builderTakerFeeRate</c> (only for orders carrying a builder code).</summary>
    /// <param name="notional">The order's notional in pUSD.</param>
    /// <param name="builderTakerFeeRate">The builder's taker fee rate as a fraction (bps / 10 000).</param>
    /// <returns>The fee in pUSD.</returns>
    public static decimal BuilderFee(decimal notional, decimal builderTakerFeeRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(notional);
        ArgumentOutOfRangeException.ThrowIfNegative(builderTakerFeeRate);
        return notional * builderTakerFeeRate;
    }

    /// <summary>
    /// The pUSD a market BUY may spend so that amount plus fees fit the balance: when
    /// <c>balance ≤ amount + fees</c>, returns <c>max(balance − platformFee − builderFee, 0)</c> with the fees computed
    /// on <c>min(amount, balance)</c> (the platform fee padded by <paramref name="feeSlippagePercent"/>); otherwise
    /// returns <paramref name="amount"/> unchanged.
    /// </summary>
    /// <param name="amount">The pUSD the caller wants to spend.</param>
    /// <param name="price">The expected fill price.</param>
    /// <param name="balance">The pUSD available.</param>
    /// <param name="feeRate">The market's fee rate.</param>
    /// <param name="exponent">The market's fee exponent.</param>
    /// <param name="builderTakerFeeRate">The builder's taker fee rate as a fraction, 0 when none.</param>
    /// <param name="feeSlippagePercent">Extra padding of the platform fee, in percent (e.g. 20).</param>
    /// <returns>The amount to spend.</returns>
    public static decimal AdjustBuyAmountForFees(
        decimal amount,
        decimal price,
        decimal balance,
        decimal feeRate,
        int exponent,
        decimal builderTakerFeeRate = 0m,
        decimal feeSlippagePercent = 0m)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        ArgumentOutOfRangeException.ThrowIfNegative(balance);
        ArgumentOutOfRangeException.ThrowIfNegative(feeSlippagePercent);
        var basis = Math.Min(amount, balance);
        var platform = PlatformFee(basis / price, price, feeRate, exponent) * (1m + feeSlippagePercent / 100m);
        var builder = BuilderFee(basis, builderTakerFeeRate);
        return balance <= amount + platform + builder ? Math.Max(balance - platform - builder, 0m) : amount;
    }

    private static void CheckPrice(decimal price)
    {
        if (price is <= 0m or >= 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(price), "A price lies strictly between 0 and 1.");
        }
    }
}
