using System.Diagnostics;
using PolymarketAlgo.Executor.Books;
using PolymarketAlgo.Executor.Streaming;

namespace PolymarketAlgo.Executor.Recording;

/// <summary>Settings of a replay.</summary>
public sealed record MarketReplayOptions
{
    /// <summary>
    /// Playback speed relative to the recording (2 = twice as fast); null or non-positive replays as
    /// fast as possible.
    /// </summary>
    public double? SpeedFactor { get; init; }
}

/// <summary>The final state of one asset's book after a replay.</summary>
/// <param name="AssetId">The outcome token id.</param>
/// <param name="Status">The book status.</param>
/// <param name="BestBid">The best bid price.</param>
/// <param name="BestAsk">The best ask price.</param>
/// <param name="Mid">The mid price.</param>
/// <param name="BidLevels">The number of bid levels.</param>
/// <param name="AskLevels">The number of ask levels.</param>
/// <param name="TimestampMs">Exchange time of the last update, Unix ms.</param>
public sealed record AssetBookSummary(
    string AssetId,
    BookStatus Status,
    decimal? BestBid,
    decimal? BestAsk,
    decimal? Mid,
    int BidLevels,
    int AskLevels,
    long TimestampMs
);

/// <summary>What a replay did.</summary>
/// <param name="Messages">Messages (frames) replayed.</param>
/// <param name="Events">Events dispatched.</param>
/// <param name="EventCounts">Events by type.</param>
/// <param name="Skipped">Malformed frames, malformed events and unknown events skipped.</param>
/// <param name="MalformedFrames">Frames that were not valid messages.</param>
/// <param name="UnknownEvents">Events of unknown type.</param>
/// <param name="Books">The final book of every asset seen, ordered by asset id.</param>
/// <param name="Elapsed">Wall time of the replay.</param>
public sealed record ReplaySummary(
    long Messages,
    long Events,
    IReadOnlyDictionary<MarketEventType, long> EventCounts,
    long Skipped,
    long MalformedFrames,
    long UnknownEvents,
    IReadOnlyList<AssetBookSummary> Books,
    TimeSpan Elapsed
)
{
    /// <summary>Messages per second of wall time.</summary>
    public double MessagesPerSecond => Elapsed > TimeSpan.Zero ? Messages / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Feeds recorded messages (JSONL or Parquet) through the same parser and books as the live
/// client, at a speed factor or as fast as possible, and summarises the result.
/// </summary>
public sealed class MarketReplay
{
    private readonly MarketReplayOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates a replay.</summary>
    /// <param name="options">Settings; max speed when null.</param>
    /// <param name="timeProvider">The clock used for pacing.</param>
    public MarketReplay(MarketReplayOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new MarketReplayOptions();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Replays messages from an async source.</summary>
    /// <param name="source">The messages, in receive order.</param>
    /// <param name="books">The books to update; a new manager when null.</param>
    /// <param name="handlers">More handlers, called after the books for every event.</param>
    /// <param name="cancellationToken">Stops the replay.</param>
    /// <returns>The summary.</returns>
    public async Task<ReplaySummary> RunAsync(
        IAsyncEnumerable<RecordedMessage> source,
        BookManager? books = null,
        IEnumerable<MarketEventHandler>? handlers = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(source);
        books ??= new BookManager();
        var parser = new MarketMessageParser();
        var handler = Combine(books, handlers);
        var pacer = new Pacer(_options.SpeedFactor, _time);
        var watch = Stopwatch.StartNew();
        await foreach (var m in source.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            await pacer.WaitAsync(m.ReceivedMs, cancellationToken).ConfigureAwait(false);
            parser.Parse(m.Utf8.Span, handler);
        }

        return Summarise(parser, books, watch.Elapsed);
    }

    /// <summary>Replays messages held in memory (the fastest path).</summary>
    /// <param name="messages">The messages, in receive order.</param>
    /// <param name="books">The books to update; a new manager when null.</param>
    /// <param name="handlers">More handlers, called after the books for every event.</param>
    /// <param name="cancellationToken">Stops the replay.</param>
    /// <returns>The summary.</returns>
    public async Task<ReplaySummary> RunAsync(
        IReadOnlyList<RecordedMessage> messages,
        BookManager? books = null,
        IEnumerable<MarketEventHandler>? handlers = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(messages);
        books ??= new BookManager();
        var parser = new MarketMessageParser();
        var handler = Combine(books, handlers);
        var pacer = new Pacer(_options.SpeedFactor, _time);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < messages.Count; i++)
        {
            if (pacer.Paced)
            {
                await pacer.WaitAsync(messages[i].ReceivedMs, cancellationToken).ConfigureAwait(false);
            }
            else if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            parser.Parse(messages[i].Utf8.Span, handler);
        }

        return Summarise(parser, books, watch.Elapsed);
    }

    private static MarketEventHandler Combine(BookManager books, IEnumerable<MarketEventHandler>? handlers)
    {
        var extra = handlers?.ToArray() ?? [];
        return extra.Length == 0 ? books : new MarketEventFanout([books, .. extra]);
    }

    private static ReplaySummary Summarise(MarketMessageParser parser, BookManager books, TimeSpan elapsed)
    {
        var stats = parser.Statistics;
        var summaries = new List<AssetBookSummary>();
        foreach (var id in books.AssetIds.OrderBy(x => x, StringComparer.Ordinal))
        {
            if (books.TryGetTop(id, out var top))
            {
                summaries.Add(
                    new AssetBookSummary(
                        id,
                        top.Status,
                        top.BestBid?.Price,
                        top.BestAsk?.Price,
                        top.Mid,
                        top.BidLevels,
                        top.AskLevels,
                        top.TimestampMs
                    )
                );
            }
        }

        return new ReplaySummary(
            stats.Frames,
            stats.Events,
            stats.ByType(),
            stats.Skipped,
            stats.MalformedFrames,
            stats.UnknownEvents,
            summaries,
            elapsed
        );
    }

    /// <summary>Sleeps so that message times, scaled by the speed factor, line up with the clock.</summary>
    private sealed class Pacer(double? speed, TimeProvider time)
    {
        private long _firstMs = -1;
        private long _startTicks;

        public bool Paced { get; } = speed is > 0;

        public async ValueTask WaitAsync(long receivedMs, CancellationToken ct)
        {
            if (!Paced)
            {
                return;
            }

            if (_firstMs < 0)
            {
                _firstMs = receivedMs;
                _startTicks = time.GetTimestamp();
                return;
            }

            var due = TimeSpan.FromMilliseconds((receivedMs - _firstMs) / speed!.Value);
            var wait = due - time.GetElapsedTime(_startTicks);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, ct).ConfigureAwait(false);
            }
        }
    }
}
