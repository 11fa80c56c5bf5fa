namespace PolymarketAlgo.Executor.Orders;

/// <summary>
/// An order's maker and taker amounts in 6-decimal base units (micro-pUSD or micro-shares), computed exactly
/// with the integer algorithm of the official ts-sdk (<c>fixed.ts</c>), which agrees with clob-client-v2's
/// <c>getOrderRawAmounts</c>/<c>getMarketOrderRawAmounts</c> on all their vectors.
/// </summary>
/// <param name="MakerAmount">What the maker gives, base units.</param>
/// <param name="TakerAmount">What the maker receives at least, base units.</param>
public readonly record struct OrderAmounts(long MakerAmount, long TakerAmount)
{
    /// <summary>Base units per whole pUSD or share.</summary>
    public const long UnitsPerWhole = 1_000_000;

    /// <summary>The largest size or amount accepted, in whole units (10^12).</summary>
    public const decimal MaxWholeAmount = 1_000_000_000_000m;

    /// <summary>
    /// Amounts of a limit order (GTC/GTD). The price is rounded half-up to the tick's price decimals and the size
    /// down to its size decimals; BUY gives <c>size × price</c> pUSD for <c>size</c> shares, SELL the reverse.
    /// </summary>
    /// <param name="side">BUY or SELL.</param>
    /// <param name="price">The limit price, in (0, 1).</param>
    /// <param name="size">The number of shares.</param>
    /// <param name="tick">The market's tick size.</param>
    /// <returns>The amounts.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The price or size is out of range, or a result overflows.</exception>
    public static OrderAmounts ForLimitOrder(Side side, decimal price, decimal size, TickSize tick) =>
        TryForLimitOrder(side, price, size, tick, out var amounts)
            ? amounts
            : throw new ArgumentOutOfRangeException(nameof(size), "The price must be positive after rounding and the amounts must fit.");

    /// <summary>
    /// Amounts of a market order (FOK/FAK). The price (the worst acceptable one) is rounded down to the tick's
    /// price decimals and the amount down to its size decimals. A BUY spends <paramref name="amount"/> pUSD for at
    /// least <c>amount / price</c> shares; a SELL gives <paramref name="amount"/> shares for at least
    /// <c>amount × price</c> pUSD. The received leg is rounded down to the tick's amount decimals, or up when
    /// <paramref name="protectPrice"/> is set (ts-sdk's price-protected variant).
    /// </summary>
    /// <param name="side">BUY or SELL.</param>
    /// <param name="price">The worst acceptable price, in (0, 1).</param>
    /// <param name="amount">pUSD to spend (BUY) or shares to sell (SELL).</param>
    /// <param name="tick">The market's tick size.</param>
    /// <param name="protectPrice">Round the received amount up instead of down.</param>
    /// <returns>The amounts.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The price or amount is out of range, or a result overflows.</exception>
    public static OrderAmounts ForMarketOrder(Side side, decimal price, decimal amount, TickSize tick, bool protectPrice = false) =>
        TryForMarketOrder(side, price, amount, tick, protectPrice, out var amounts)
            ? amounts
            : throw new ArgumentOutOfRangeException(nameof(amount), "The price must be positive after rounding and the amounts must fit.");

    /// <summary>The maker amount in whole units.</summary>
    public decimal Maker => (decimal)MakerAmount / UnitsPerWhole;

    /// <summary>The taker amount in whole units.</summary>
    public decimal Taker => (decimal)TakerAmount / UnitsPerWhole;

    internal static bool TryForLimitOrder(Side side, decimal price, decimal size, TickSize tick, out OrderAmounts amounts)
    {
        ArgumentNullException.ThrowIfNull(tick);
        amounts = default;
        var p = Math.Round(price, tick.PriceDecimals, MidpointRounding.AwayFromZero);
        if (!TryUnits(p, out var priceUnits) || priceUnits <= 0 || !TrySizeUnits(size, tick, out var sizeUnits))
        {
            return false;
        }

        var quantum = Quantum(tick.AmountDecimals);
        var cost = (Int128)sizeUnits * priceUnits / (UnitsPerWhole * quantum) * quantum;
        if (cost > long.MaxValue)
        {
            return false;
        }

        amounts = side == Side.Buy ? new OrderAmounts((long)cost, sizeUnits) : new OrderAmounts(sizeUnits, (long)cost);
        return true;
    }

    internal static bool TryForMarketOrder(Side side, decimal price, decimal amount, TickSize tick, bool protectPrice, out OrderAmounts amounts)
    {
        ArgumentNullException.ThrowIfNull(tick);
        amounts = default;
        var p = Math.Round(price, tick.PriceDecimals, MidpointRounding.ToZero);
        if (!TryUnits(p, out var priceUnits) || priceUnits <= 0 || !TrySizeUnits(amount, tick, out var makerUnits))
        {
            return false;
        }

        var quantum = Quantum(tick.AmountDecimals);
        Int128 numerator = side == Side.Buy ? (Int128)makerUnits * UnitsPerWhole : (Int128)makerUnits * priceUnits;
        Int128 denominator = side == Side.Buy ? (Int128)priceUnits * quantum : (Int128)UnitsPerWhole * quantum;
        var quotient = Int128.DivRem(numerator, denominator);
        var steps = protectPrice && quotient.Remainder != 0 ? quotient.Quotient + 1 : quotient.Quotient;
        var received = steps * quantum;
        if (received > long.MaxValue)
        {
            return false;
        }

        amounts = new OrderAmounts(makerUnits, (long)received);
        return true;
    }

    /// <summary>Rounds a size down to the tick's size decimals and converts it to base units.</summary>
    internal static bool TrySizeUnits(decimal size, TickSize tick, out long units)
    {
        units = 0;
        return size is >= 0m and <= MaxWholeAmount
            && TryUnits(Math.Round(size, tick.SizeDecimals, MidpointRounding.ToZero), out units);
    }

    private static bool TryUnits(decimal whole, out long units)
    {
        units = 0;
        if (whole is < 0m or > MaxWholeAmount)
        {
            return false;
        }

        var scaled = whole * UnitsPerWhole;
        if (decimal.Truncate(scaled) != scaled)
        {
            return false;
        }

        units = (long)scaled;
        return true;
    }

    private static long Quantum(int decimals) => decimals switch
    {
        >= 6 => 1,
        5 => 10,
        4 => 100,
        3 => 1_000,
        2 => 10_000,
        1 => 100_000,
        _ => 1_000_000,
    };

    /// <summary>Describes the amounts.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"maker={MakerAmount}, taker={TakerAmount}";
}
