using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PolymarketAlgo.Core;

namespace PolymarketAlgo.Data;

/// <summary>The outcome of <see cref="CandleCache.SyncAsync"/>.</summary>
/// <param name="Candles">The stored bars whose open time lies in the requested range.</param>
/// <param name="FetchedBars">How many bars this sync downloaded.</param>
/// <param name="Path">The store file that now holds the bars.</param>
public sealed record CandleSyncResult(CandleColumns Candles, int FetchedBars, string Path);

/// <summary>
/// Keeps a <see cref="CandleStore"/> file in step with Binance: a sync downloads only the bars after
/// the last stored one and, when the requested start is earlier, the bars before the first stored one,
/// then merges and writes atomically. Pages are saved every <see cref="CheckpointEveryPages"/> pages
/// and whenever the download fails or is cancelled, so an interrupted sync resumes where it stopped.
/// </summary>
/// <remarks>
/// Bars between the first and the last stored bar are never refetched: the stored file is always a
/// contiguous download (gaps in it are the exchange's, e.g. trading halts).
/// </remarks>
public sealed partial class CandleCache
{
    private readonly BinanceKlinesClient _client;
    private readonly CandleStore _store;
    private readonly ILogger _logger;

    /// <summary>Creates a cache over a client and a store.</summary>
    /// <param name="client">Downloads the klines.</param>
    /// <param name="store">Holds one file per symbol and interval.</param>
    /// <param name="logger">Receives a line per checkpoint and per sync; none when null.</param>
    public CandleCache(BinanceKlinesClient client, CandleStore store, ILogger<CandleCache>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(store);
        _client = client;
        _store = store;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>How many downloaded pages are merged into the file at once (default 10, at least 1).</summary>
    public int CheckpointEveryPages { get; init; } = 10;

    /// <summary>
    /// Brings the stored candles of <paramref name="symbol"/> and <paramref name="interval"/> up to date for
    /// [<paramref name="from"/>, <paramref name="to"/>) and returns the stored bars in that range.
    /// </summary>
    /// <param name="symbol">Binance symbol, e.g. <c>BTCUSDT</c>.</param>
    /// <param name="interval">Binance interval, e.g. <c>5m</c>.</param>
    /// <param name="from">Inclusive start.</param>
    /// <param name="to">Exclusive end; now (from the client's clock) when null. Bars that have not closed are never stored.</param>
    /// <param name="progress">Receives (bars fetched, bars expected) after each page.</param>
    /// <param name="cancellationToken">Stops the sync after saving the pages already fetched.</param>
    /// <returns>The stored bars in range, how many were fetched, and the file path.</returns>
    public async Task<CandleSyncResult> SyncAsync(
        string symbol,
        string interval,
        DateTimeOffset from,
        DateTimeOffset? to = null,
        IProgress<(long done, long total)>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var bars = BinanceInterval.Parse(interval);
        var end = to ?? _client.Options.TimeProvider.GetUtcNow();
        var path = _store.PathFor(symbol, interval);
        var stored = await _store.ReadOrEmptyAsync(symbol, interval, cancellationToken).ConfigureAwait(false);

        // An empty store downloads forward from `from`; otherwise only what lies after the last and before the first stored bar.
        var forwardFrom = stored.Length == 0 ? from : bars.Next(stored.Time[^1]);
        var backwardTo = stored.Length == 0 ? from : stored.Time[0];
        var total = bars.CountBetween(forwardFrom, end) + bars.CountBetween(from, backwardTo);
        var pending = new List<CandleColumns>();
        var fetched = 0;

        async Task Checkpoint(CancellationToken token)
        {
            stored = CandleSeries.Merge(stored, CandleSeries.Concat(pending.OrderBy(p => p.Time[0]).ToArray()));
            pending.Clear();
            await _store.WriteAsync(symbol, interval, stored, token).ConfigureAwait(false);
            LogCheckpoint(_logger, path, stored.Length, stored.Time[0], stored.Time[^1]);
        }

        async Task Take(CandleColumns page)
        {
            pending.Add(page);
            fetched += page.Length;
            progress?.Report((fetched, Math.Max(total, fetched)));
            if (pending.Count >= Math.Max(1, CheckpointEveryPages))
            {
                await Checkpoint(cancellationToken).ConfigureAwait(false);
            }
        }

        try
        {
            if (forwardFrom < end)
            {
                await foreach (var page in _client.FetchPagesAsync(symbol, interval, forwardFrom, end, null, cancellationToken).ConfigureAwait(false))
                {
                    await Take(page).ConfigureAwait(false);
                }
            }

            if (from < backwardTo)
            {
                await foreach (var page in _client.FetchPagesBackwardAsync(symbol, interval, from, backwardTo, null, cancellationToken).ConfigureAwait(false))
                {
                    await Take(page).ConfigureAwait(false);
                }
            }

            if (pending.Count > 0)
            {
                await Checkpoint(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception failure) when (pending.Count > 0)
        {
            LogInterrupted(_logger, path, failure.GetType().Name, pending.Sum(p => p.Length));
            await Checkpoint(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        LogSynced(_logger, symbol, interval, fetched, stored.Length);
        return new CandleSyncResult(CandleSeries.Between(stored, from, end), fetched, path);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Saved {Path}: {Count} bars from {First:o} to {Last:o}")]
    private static partial void LogCheckpoint(ILogger logger, string path, int count, DateTimeOffset first, DateTimeOffset last);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync of {Path} interrupted by {Error}; saving the {Count} bars already fetched")]
    private static partial void LogInterrupted(ILogger logger, string path, string error, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Synced {Symbol} {Interval}: fetched {Fetched} bars, {Stored} stored")]
    private static partial void LogSynced(ILogger logger, string symbol, string interval, int fetched, int stored);
}
