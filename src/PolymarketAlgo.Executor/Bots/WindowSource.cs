using PolymarketAlgo.Core;
using PolymarketAlgo.Executor.Books;
using PolymarketAlgo.Executor.Markets;
using PolymarketAlgo.Executor.Rest;
using PolymarketAlgo.Executor.Trading;

namespace PolymarketAlgo.Executor.Bots;

/// <summary>One up/down window as a bot sees it.</summary>
/// <param name="MarketId">The market's slug (for example <c>btc-updown-5m-1776323700</c>).</param>
/// <param name="Start">The window's start (UTC).</param>
/// <param name="UpTokenId">The Up outcome token.</param>
/// <param name="DownTokenId">The Down outcome token.</param>
/// <param name="AcceptingOrders">Whether the market takes orders.</param>
/// <param name="Winner">How it resolved, or null while unresolved.</param>
public sealed record BotWindow(
    string MarketId,
    DateTimeOffset Start,
    string UpTokenId,
    string DownTokenId,
    bool AcceptingOrders,
    StreakReversal.Outcome? Winner
)
{
    /// <summary>The token of an outcome.</summary>
    /// <param name="outcome">Up or Down.</param>
    /// <returns>The token id.</returns>
    public string TokenOf(StreakReversal.Outcome outcome) => outcome.IsUp ? UpTokenId : DownTokenId;
}

/// <summary>The best prices of both sides of a window, read from the books.</summary>
/// <param name="UpAsk">The Up best ask; 0 when none.</param>
/// <param name="DownAsk">The Down best ask; 0 when none.</param>
/// <param name="UpBid">The Up best bid; 0 when none.</param>
/// <param name="DownBid">The Down best bid; 0 when none.</param>
public readonly record struct WindowPrices(decimal UpAsk, decimal DownAsk, decimal UpBid, decimal DownBid)
{
    /// <summary>The ask of an outcome.</summary>
    /// <param name="outcome">Up or Down.</param>
    /// <returns>The ask.</returns>
    public decimal AskOf(StreakReversal.Outcome outcome) => outcome.IsUp ? UpAsk : DownAsk;

    /// <summary>The bid of an outcome.</summary>
    /// <param name="outcome">Up or Down.</param>
    /// <returns>The bid.</returns>
    public decimal BidOf(StreakReversal.Outcome outcome) => outcome.IsUp ? UpBid : DownBid;
}

/// <summary>Where a bot reads windows, resolutions and prices (Gamma and the CLOB, or a test double).</summary>
public interface IWindowSource
{
    /// <summary>The window starting at <paramref name="start"/>, or null when no market exists for it.</summary>
    /// <param name="start">The window start (UTC, on the window grid).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The window.</returns>
    Task<BotWindow?> GetWindowAsync(DateTimeOffset start, CancellationToken cancellationToken);

    /// <summary>Fetches both sides' books (the paper trader walks the same books) and returns the best prices.</summary>
    /// <param name="window">The window.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The prices.</returns>
    Task<WindowPrices> GetPricesAsync(BotWindow window, CancellationToken cancellationToken);
}

/// <summary>
/// Windows from Gamma (<see cref="UpDownMarkets"/>) and books from the CLOB's REST <c>GET /book</c>; the books
/// fetched are also stored in <see cref="Books"/>, which the paper trader walks.
/// </summary>
public sealed class PolymarketWindowSource : IWindowSource
{
    private readonly UpDownMarkets _markets;
    private readonly ClobClient _clob;

    /// <summary>Creates the source.</summary>
    /// <param name="markets">The Gamma market lookup.</param>
    /// <param name="clob">The CLOB client.</param>
    public PolymarketWindowSource(UpDownMarkets markets, ClobClient clob)
    {
        _markets = markets ?? throw new ArgumentNullException(nameof(markets));
        _clob = clob ?? throw new ArgumentNullException(nameof(clob));
    }

    /// <summary>The books fetched so far, by token.</summary>
    public SnapshotBookSource Books { get; } = new();

    /// <summary>The window length of the series.</summary>
    public TimeSpan Interval => _markets.Series.Interval;

    /// <inheritdoc />
    public async Task<BotWindow?> GetWindowAsync(DateTimeOffset start, CancellationToken cancellationToken)
    {
        var window = _markets.Series.WindowStartingAt(start.ToUnixTimeSeconds());
        var market = await _markets.GetAsync(window, cancellationToken).ConfigureAwait(false);
        return market is null ? null : FromMarket(market);
    }

    /// <summary>Maps a Gamma up/down market to a bot window.</summary>
    /// <param name="market">The market.</param>
    /// <returns>The window.</returns>
    public static BotWindow FromMarket(UpDownMarket market)
    {
        ArgumentNullException.ThrowIfNull(market);
        StreakReversal.Outcome? winner = market.Winner switch
        {
            UpDownOutcome.Up => StreakReversal.Outcome.Up,
            UpDownOutcome.Down => StreakReversal.Outcome.Down,
            _ => null,
        };
        return new BotWindow(
            market.Slug,
            market.Window.Start,
            market.UpTokenId,
            market.DownTokenId,
            market.AcceptingOrders && !market.Closed,
            winner
        );
    }

    /// <inheritdoc />
    public async Task<WindowPrices> GetPricesAsync(BotWindow window, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        var up = ClobBookSnapshotSource.ToSnapshot(
            await _clob.GetBookAsync(window.UpTokenId, cancellationToken).ConfigureAwait(false)
        );
        var down = ClobBookSnapshotSource.ToSnapshot(
            await _clob.GetBookAsync(window.DownTokenId, cancellationToken).ConfigureAwait(false)
        );
        Books.Set(up);
        Books.Set(down);
        return new WindowPrices(BestAsk(up), BestAsk(down), BestBid(up), BestBid(down));
    }

    /// <summary>The lowest ask of a book, or 0.</summary>
    /// <param name="book">The book.</param>
    /// <returns>The price.</returns>
    public static decimal BestAsk(BookSnapshot book)
    {
        ArgumentNullException.ThrowIfNull(book);
        var best = 0m;
        foreach (var level in book.Asks)
        {
            if (level.Size > 0m && (best == 0m || level.Price < best))
            {
                best = level.Price;
            }
        }

        return best;
    }

    /// <summary>The highest bid of a book, or 0.</summary>
    /// <param name="book">The book.</param>
    /// <returns>The price.</returns>
    public static decimal BestBid(BookSnapshot book)
    {
        ArgumentNullException.ThrowIfNull(book);
        var best = 0m;
        foreach (var level in book.Bids)
        {
            if (level.Size > 0m && level.Price > best)
            {
                best = level.Price;
            }
        }

        return best;
    }
}
