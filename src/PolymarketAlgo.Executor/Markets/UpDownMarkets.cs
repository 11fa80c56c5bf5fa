using PolymarketAlgo.Executor.Http;
using PolymarketAlgo.Executor.Rest;

namespace PolymarketAlgo.Executor.Markets;

/// <summary>
/// Finds the markets of an up/down series on Gamma by computing their slugs from the clock:
/// the current window, the next, or several upcoming ones (markets are listed about a day ahead).
/// </summary>
public sealed class UpDownMarkets
{
    private readonly GammaClient _gamma;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a finder for <paramref name="series"/> (default <see cref="UpDownSeries.Btc5m"/>).</summary>
    public UpDownMarkets(GammaClient gamma, TimeProvider timeProvider, UpDownSeries? series = null)
    {
        ArgumentNullException.ThrowIfNull(gamma);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _gamma = gamma;
        _timeProvider = timeProvider;
        Series = series ?? UpDownSeries.Btc5m;
    }

    /// <summary>The series.</summary>
    public UpDownSeries Series { get; }

    /// <summary>The market of <paramref name="window"/>, or null when Gamma has none (404).</summary>
    /// <exception cref="PolymarketApiException">The call failed, or the market is not a well-formed up/down market (MalformedJson).</exception>
    public async Task<UpDownMarket?> GetAsync(UpDownWindow window, CancellationToken cancellationToken = default)
    {
        var market = await _gamma.GetMarketBySlugAsync(window.Slug, cancellationToken).ConfigureAwait(false);
        if (market is null)
        {
            return null;
        }

        try
        {
            return UpDownMarket.FromGamma(market);
        }
        catch (FormatException e)
        {
            throw new PolymarketApiException(
                PolymarketApiErrorKind.MalformedJson,
                PolymarketHost.Gamma,
                "GET",
                "/markets/slug/" + window.Slug,
                $"not a well-formed up/down market: {e.Message}",
                innerException: e);
        }
    }

    /// <summary>The market of the window running now, or null.</summary>
    public Task<UpDownMarket?> GetCurrentAsync(CancellationToken cancellationToken = default) =>
        GetAsync(Series.Current(_timeProvider), cancellationToken);

    /// <summary>The market of the next window, or null.</summary>
    public Task<UpDownMarket?> GetNextAsync(CancellationToken cancellationToken = default) =>
        GetAsync(Series.Next(_timeProvider), cancellationToken);

    /// <summary>The markets of the <paramref name="count"/> windows after the current one that Gamma lists, in order.</summary>
    public async Task<IReadOnlyList<UpDownMarket>> GetUpcomingAsync(int count, CancellationToken cancellationToken = default)
    {
        var found = new List<UpDownMarket>(count);
        foreach (var window in Series.Upcoming(_timeProvider, count))
        {
            if (await GetAsync(window, cancellationToken).ConfigureAwait(false) is { } market)
            {
                found.Add(market);
            }
        }

        return found;
    }
}
