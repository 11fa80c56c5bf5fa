namespace PolymarketAlgo.Executor.Orders;

/// <summary>One price level of an order book.</summary>
/// <param name="Price">The price.</param>
/// <param name="Size">The shares resting at that price.</param>
public readonly record struct BookLevel(decimal Price, decimal Size);

/// <summary>
/// The market-price walker of the official clients (<c>calculateBuyMarketPrice</c> /
/// <c>calculateSellMarketPrice</c>): the worst price a market order must accept to fill, from the book.
/// </summary>
/// <remarks>
/// A BUY walks the asks from the best (lowest) price, accumulating <c>size × price</c> pUSD until it reaches the
/// amount; a SELL walks the bids from the best (highest) price, accumulating shares. The price of the level where
/// the amount is reached is returned. If the book runs out, FOK fails with <see cref="OrderErrorKind.NoMatch"/> and
/// FAK returns the worst level's price. The official code walks the REST arrays from their end (asks arrive
/// descending, bids ascending); the levels are ordered here by price, so any input order gives the same answer.
/// </remarks>
public static class MarketPrice
{
    /// <summary>The worst price a market order must accept.</summary>
    /// <param name="side">BUY (walks the asks) or SELL (walks the bids).</param>
    /// <param name="levels">The opposite side of the book: asks for a BUY, bids for a SELL.</param>
    /// <param name="amount">pUSD to spend (BUY) or shares to sell (SELL).</param>
    /// <param name="orderType">FOK or FAK.</param>
    /// <returns>The price, or <see cref="OrderErrorKind.NoMatch"/>.</returns>
    /// <exception cref="ArgumentException">The order type is not FOK or FAK.</exception>
    public static OrderResult<decimal> Calculate(Side side, IReadOnlyList<BookLevel> levels, decimal amount, OrderType orderType)
    {
        ArgumentNullException.ThrowIfNull(levels);
        if (orderType is not (OrderType.Fok or OrderType.Fak))
        {
            throw new ArgumentException("The market price is computed for FOK or FAK orders only.", nameof(orderType));
        }

        if (levels.Count == 0)
        {
            return OrderResult<decimal>.Fail(OrderErrorKind.NoMatch, "no match: the book is empty.");
        }

        // Best first: lowest ask for a BUY, highest bid for a SELL; a stable sort keeps equal prices in input order.
        var sorted = side == Side.Buy
            ? levels.OrderBy(level => level.Price).ToArray()
            : levels.OrderByDescending(level => level.Price).ToArray();
        var total = 0m;
        foreach (var level in sorted)
        {
            total += side == Side.Buy ? level.Size * level.Price : level.Size;
            if (total >= amount)
            {
                return OrderResult<decimal>.Ok(level.Price);
            }
        }

        return orderType == OrderType.Fak
            ? OrderResult<decimal>.Ok(sorted[^1].Price)
            : OrderResult<decimal>.Fail(OrderErrorKind.NoMatch, $"no match: the book holds only {total} of the {amount} needed.");
    }
}
