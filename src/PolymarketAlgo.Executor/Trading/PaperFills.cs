using PolymarketAlgo.Core;
using PolymarketAlgo.Executor.Books;

namespace PolymarketAlgo.Executor.Trading;

/// <summary>One match of a paper fill: shares at a price, and the taker fee charged on it.</summary>
/// <param name="Shares">Shares.</param>
/// <param name="Price">The price.</param>
/// <param name="Fee">Polymarket's taker fee on the match, rounded to 5 decimals as the venue charges it.</param>
public readonly record struct FillPart(decimal Shares, decimal Price, decimal Fee);

/// <summary>What taking liquidity from a book gives.</summary>
/// <param name="Parts">The matches: one per book level taken, or one at the moved price when a delay impact applies.</param>
/// <param name="Complete">Whether the whole amount filled within the limit price.</param>
/// <param name="BestBid">The best bid, when the book has bids.</param>
/// <param name="BestAsk">The best ask, when the book has asks.</param>
/// <param name="SlippagePct">How far the average (before the delay impact) is from the best price, in percent.</param>
/// <param name="DelayImpactPct">The copy-delay impact applied, in percent (0 without a delay).</param>
public sealed record PaperFill(
    IReadOnlyList<FillPart> Parts,
    bool Complete,
    decimal? BestBid,
    decimal? BestAsk,
    decimal SlippagePct,
    decimal DelayImpactPct
)
{
    /// <summary>Shares filled.</summary>
    public decimal Shares => Parts.Sum(p => p.Shares);

    /// <summary>pUSD paid or received for the shares, fees excluded.</summary>
    public decimal Notional => Parts.Sum(p => p.Shares * p.Price);

    /// <summary>The average price; 0 when nothing filled.</summary>
    public decimal Price => Shares > 0m ? Notional / Shares : 0m;

    /// <summary>The fees of all parts.</summary>
    public decimal Fee => Parts.Sum(p => p.Fee);

    /// <summary>Best ask − best bid when both sides exist.</summary>
    public decimal? Spread => BestBid is { } bid && BestAsk is { } ask ? ask - bid : null;
}

/// <summary>
/// The paper trader's fill model, in decimal: a buy walks the asks (best first) and a sell the bids, never past the
/// limit price; a partial level is taken to 6 decimals of a share. Each level taken is one match, charged
/// Polymarket's taker fee (Core <c>Fees</c>) at its price. A copy trade's delay instead moves the average price
/// against the order by Core's <c>DelayImpact</c> model, clamped to [0.01, 0.99] (the rule of Core's
/// <c>BookWalk.estimate</c>), and fills as one match at that price.
/// </summary>
public static class PaperFills
{
    /// <summary>Takes liquidity for a market buy of <paramref name="dollars"/> pUSD at prices at or below <paramref name="limitPrice"/>.</summary>
    /// <param name="book">The book.</param>
    /// <param name="dollars">pUSD to spend, fees excluded.</param>
    /// <param name="limitPrice">The worst price accepted.</param>
    /// <param name="feeRate">The market's taker fee rate.</param>
    /// <param name="feeExponent">The fee curve exponent.</param>
    /// <param name="copyDelayMs">A copy trade's delay (0 for none).</param>
    /// <param name="impact">The delay impact model's parameters.</param>
    /// <returns>The fill.</returns>
    public static PaperFill BuyDollars(
        OrderBook book,
        decimal dollars,
        decimal limitPrice,
        decimal feeRate,
        int feeExponent,
        long copyDelayMs,
        DelayImpactParameters impact
    )
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dollars);
        var remaining = dollars;
        var parts = new List<FillPart>();
        for (var depth = 0; depth < book.AskCount && remaining > 0m; depth++)
        {
            var level = book.GetLevel(BookSide.Ask, depth);
            if (level.Price > limitPrice)
            {
                break;
            }

            var value = level.Price * level.Size;
            if (value >= remaining)
            {
                parts.Add(Part(Math.Round(remaining / level.Price, 6, MidpointRounding.ToZero), level.Price, feeRate, feeExponent));
                remaining = 0m;
            }
            else
            {
                parts.Add(Part(level.Size, level.Price, feeRate, feeExponent));
                remaining -= value;
            }
        }

        return Finish(book, buy: true, parts, remaining == 0m, dollars, feeRate, feeExponent, copyDelayMs, impact);
    }

    /// <summary>
    /// Takes liquidity for <paramref name="size"/> shares: a buy walks the asks at or below the limit, a sell the
    /// bids at or above it.
    /// </summary>
    /// <param name="book">The book.</param>
    /// <param name="buy">True to buy, false to sell.</param>
    /// <param name="size">Shares wanted.</param>
    /// <param name="limitPrice">The worst price accepted.</param>
    /// <param name="feeRate">The market's taker fee rate.</param>
    /// <param name="feeExponent">The fee curve exponent.</param>
    /// <param name="copyDelayMs">A copy trade's delay (0 for none).</param>
    /// <param name="impact">The delay impact model's parameters.</param>
    /// <returns>The fill.</returns>
    public static PaperFill TakeShares(
        OrderBook book,
        bool buy,
        decimal size,
        decimal limitPrice,
        decimal feeRate,
        int feeExponent,
        long copyDelayMs,
        DelayImpactParameters impact
    )
    {
        ArgumentNullException.ThrowIfNull(book);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        var side = buy ? BookSide.Ask : BookSide.Bid;
        var remaining = size;
        var parts = new List<FillPart>();
        for (var depth = 0; depth < book.LevelCount(side) && remaining > 0m; depth++)
        {
            var level = book.GetLevel(side, depth);
            if (buy ? level.Price > limitPrice : level.Price < limitPrice)
            {
                break;
            }

            var take = Math.Min(remaining, level.Size);
            parts.Add(Part(take, level.Price, feeRate, feeExponent));
            remaining -= take;
        }

        var orderDollars = parts.Count > 0 ? parts.Sum(p => p.Shares * p.Price) : size * limitPrice;
        return Finish(book, buy, parts, remaining == 0m, orderDollars, feeRate, feeExponent, copyDelayMs, impact);
    }

    /// <summary>Polymarket's taker fee on a fill, rounded as the venue charges it (Core <c>Fees</c>).</summary>
    /// <param name="shares">Shares filled.</param>
    /// <param name="price">The fill price.</param>
    /// <param name="feeRate">The fee rate.</param>
    /// <param name="feeExponent">The curve exponent.</param>
    /// <returns>The fee in pUSD.</returns>
    public static decimal TakerFee(decimal shares, decimal price, decimal feeRate, int feeExponent) =>
        Fees.round(Fees.takerDecimal(shares, feeRate, price, feeExponent));

    /// <summary>The one conversion of the float delay-impact percentage into money math.</summary>
    /// <param name="percent">The impact in percent.</param>
    /// <returns>The same percentage as a decimal, to 10 decimals.</returns>
    public static decimal ImpactToDecimal(double percent) => Math.Round((decimal)percent, 10);

    private static FillPart Part(decimal shares, decimal price, decimal feeRate, int feeExponent) =>
        new(shares, price, TakerFee(shares, price, feeRate, feeExponent));

    private static PaperFill Finish(
        OrderBook book,
        bool buy,
        List<FillPart> parts,
        bool complete,
        decimal orderDollars,
        decimal feeRate,
        int feeExponent,
        long copyDelayMs,
        DelayImpactParameters impact
    )
    {
        decimal? bestBid = book.BestBid?.Price;
        decimal? bestAsk = book.BestAsk?.Price;
        var shares = parts.Sum(p => p.Shares);
        if (shares == 0m)
        {
            return new PaperFill([], false, bestBid, bestAsk, 0m, 0m);
        }

        var notional = parts.Sum(p => p.Shares * p.Price);
        var average = notional / shares;
        var best = buy ? bestAsk!.Value : bestBid!.Value;
        var slippage = Math.Max(0m, (buy ? average - best : best - average) / best * 100m);
        if (copyDelayMs <= 0)
        {
            return new PaperFill(parts, complete, bestBid, bestAsk, slippage, 0m);
        }

        var bestLevel = buy ? book.BestAsk!.Value : book.BestBid!.Value;
        var spread = bestBid is { } b && bestAsk is { } a ? a - b : 0m;
        var impactPct = ImpactToDecimal(
            DelayImpact
                .calculate(
                    impact,
                    copyDelayMs,
                    (double)orderDollars,
                    (double)(bestLevel.Price * bestLevel.Size),
                    (double)spread
                )
                .ImpactPct
        );
        var moved = buy ? average * (1m + impactPct / 100m) : average * (1m - impactPct / 100m);
        var price = Math.Clamp(moved, 0.01m, 0.99m);

        // A buy spends the same dollars for fewer shares at the worse price; a sell sells the same shares for less.
        var filled = buy ? Math.Round(notional / price, 6, MidpointRounding.ToZero) : shares;
        return new PaperFill([Part(filled, price, feeRate, feeExponent)], complete, bestBid, bestAsk, slippage, impactPct);
    }
}
