using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PolymarketAlgo.Executor.Streaming;

namespace PolymarketAlgo.Executor.Books;

/// <summary>Settings of a <see cref="BookManager"/>.</summary>
public sealed record BookManagerOptions
{
    /// <summary>
    /// How long a crossed or server-disagreeing book may stay so before it is marked stale, for
    /// bursts whose fragments arrive one by one (the server fills a crossing order atomically but
    /// sends the level changes as separate messages with one timestamp).
    /// </summary>
    public TimeSpan InconsistencyGrace { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Compare the local best bid/ask with the <c>best_bid</c>/<c>best_ask</c> sent with each change.</summary>
    public bool CheckServerBestPrices { get; init; } = true;

    /// <summary>Create books for assets seen in messages but never tracked (true for replay).</summary>
    public bool TrackUnknownAssets { get; init; } = true;

    /// <summary>The most deltas kept per book while it waits for a snapshot (oldest dropped first).</summary>
    public int MaxBufferedDeltas { get; init; } = 10_000;
}

/// <summary>
/// Keeps one <see cref="OrderBook"/> per asset from parsed market events, watches their consistency
/// and asks for REST snapshots when a book is stale. Thread-safe: the receive loop writes, anyone reads.
/// </summary>
/// <remarks>
/// A book is <see cref="BookStatus.Suspect"/> when it is crossed or disagrees with the server's best
/// bid/ask; it becomes <see cref="BookStatus.Stale"/> (and a snapshot is requested on
/// <see cref="SnapshotRequests"/>) if it is still so when a delta with a later exchange timestamp
/// arrives or after <see cref="BookManagerOptions.InconsistencyGrace"/> (see <see cref="ExpireSuspects"/>).
/// While not live, deltas are buffered; a snapshot is applied and then the buffered deltas at or after
/// its timestamp are replayed (sizes are absolute, so replaying one the snapshot already has is harmless).
/// The server's book hash cannot be recomputed locally, so it is not used for checking.
/// </remarks>
public sealed class BookManager : MarketEventHandler
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _books = new(StringComparer.Ordinal);
    private readonly Channel<string> _requests = Channel.CreateUnbounded<string>(
        new UnboundedChannelOptions { SingleReader = false, SingleWriter = false }
    );
    private readonly BookManagerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<BookManager> _logger;
    private Entry? _last;

    /// <summary>Creates a manager.</summary>
    /// <param name="options">Settings; defaults when null.</param>
    /// <param name="timeProvider">The clock for the inconsistency grace; the system clock when null.</param>
    /// <param name="logger">The logger.</param>
    public BookManager(
        BookManagerOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger<BookManager>? logger = null
    )
    {
        _options = options ?? new BookManagerOptions();
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<BookManager>.Instance;
    }

    /// <summary>Asset ids whose book needs a snapshot; each asset is queued at most once until one is applied.</summary>
    public ChannelReader<string> SnapshotRequests => _requests.Reader;

    /// <summary>How many times a book was marked stale.</summary>
    public long StaleTransitions { get; private set; }

    /// <summary>How many times a suspect book recovered by itself.</summary>
    public long Recoveries { get; private set; }

    /// <summary>External snapshots applied.</summary>
    public long SnapshotsApplied { get; private set; }

    /// <summary>External snapshots ignored because the book was live.</summary>
    public long SnapshotsIgnored { get; private set; }

    /// <summary>Deltas for assets not tracked (when <see cref="BookManagerOptions.TrackUnknownAssets"/> is off).</summary>
    public long UntrackedDeltas { get; private set; }

    /// <summary>The tracked asset ids.</summary>
    public IReadOnlyList<string> AssetIds
    {
        get
        {
            lock (_gate)
            {
                return _books.Keys.ToArray();
            }
        }
    }

    /// <summary>Starts tracking an asset (its book is empty until a snapshot arrives) and requests a snapshot.</summary>
    /// <param name="assetId">The outcome token id.</param>
    public void Track(string assetId)
    {
        ArgumentNullException.ThrowIfNull(assetId);
        lock (_gate)
        {
            var entry = GetOrCreate(assetId);
            if (entry.Book.HasSnapshot)
            {
                return;
            }

            Request(entry);
        }
    }

    /// <summary>Stops tracking an asset and drops its book.</summary>
    /// <param name="assetId">The outcome token id.</param>
    /// <returns>True when it was tracked.</returns>
    public bool Untrack(string assetId)
    {
        lock (_gate)
        {
            _last = null;
            return _books.Remove(assetId);
        }
    }

    /// <summary>The status of an asset's book, or null when not tracked.</summary>
    /// <param name="assetId">The outcome token id.</param>
    /// <returns>The status.</returns>
    public BookStatus? GetStatus(string assetId)
    {
        lock (_gate)
        {
            return _books.TryGetValue(assetId, out var e) ? e.Status : null;
        }
    }

    /// <summary>The top of an asset's book.</summary>
    /// <param name="assetId">The outcome token id.</param>
    /// <param name="top">The top of book.</param>
    /// <returns>False when the asset is not tracked.</returns>
    public bool TryGetTop(string assetId, out TopOfBook top)
    {
        lock (_gate)
        {
            if (_books.TryGetValue(assetId, out var e))
            {
                top = e.Book.GetTop(e.Status);
                return true;
            }
        }

        top = default;
        return false;
    }

    /// <summary>A copy of an asset's book (levels best first), or null when not tracked.</summary>
    /// <param name="assetId">The outcome token id.</param>
    /// <returns>The snapshot.</returns>
    public BookSnapshot? GetSnapshot(string assetId)
    {
        lock (_gate)
        {
            return _books.TryGetValue(assetId, out var e) ? e.Book.ToSnapshot() : null;
        }
    }

    /// <summary>Walks one side of an asset's book for a size (see <see cref="OrderBook.WalkSize"/>).</summary>
    /// <param name="assetId">The outcome token id.</param>
    /// <param name="side">The side to consume: asks to buy, bids to sell.</param>
    /// <param name="size">The size wanted.</param>
    /// <returns>The walk, or null when the asset is not tracked.</returns>
    public DepthResult? WalkSize(string assetId, BookSide side, decimal size)
    {
        lock (_gate)
        {
            return _books.TryGetValue(assetId, out var e) ? e.Book.WalkSize(side, size) : null;
        }
    }

    /// <summary>Runs a function on an asset's book under the lock; keep it short and do not keep the book.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="assetId">The outcome token id.</param>
    /// <param name="read">The function, given the book and its status.</param>
    /// <param name="result">Its result.</param>
    /// <returns>False when the asset is not tracked.</returns>
    public bool TryRead<T>(string assetId, Func<OrderBook, BookStatus, T> read, out T result)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_gate)
        {
            if (_books.TryGetValue(assetId, out var e))
            {
                result = read(e.Book, e.Status);
                return true;
            }
        }

        result = default!;
        return false;
    }

    /// <summary>Marks every book stale (e.g. on disconnect).</summary>
    /// <param name="reason">Why.</param>
    /// <param name="requestSnapshots">Also queue a snapshot request for each.</param>
    public void MarkAllStale(StaleReason reason, bool requestSnapshots)
    {
        lock (_gate)
        {
            foreach (var e in _books.Values)
            {
                MakeStale(e, reason);
                if (requestSnapshots)
                {
                    Request(e);
                }
            }
        }
    }

    /// <summary>Queues a snapshot request for every tracked book that is not live (e.g. after a reconnect).</summary>
    public void RequestSnapshotsForNonLive()
    {
        lock (_gate)
        {
            foreach (var e in _books.Values)
            {
                if (e.Status != BookStatus.Live)
                {
                    Request(e);
                }
            }
        }
    }

    /// <summary>Marks one book stale and requests a snapshot.</summary>
    /// <param name="assetId">The outcome token id.</param>
    /// <param name="reason">Why.</param>
    public void MarkStale(string assetId, StaleReason reason)
    {
        lock (_gate)
        {
            if (_books.TryGetValue(assetId, out var e))
            {
                MakeStale(e, reason);
                Request(e);
            }
        }
    }

    /// <summary>Queues a snapshot request again after a failed fetch, if the book still needs one.</summary>
    /// <param name="assetId">The outcome token id.</param>
    public void RetrySnapshot(string assetId)
    {
        lock (_gate)
        {
            if (_books.TryGetValue(assetId, out var e) && e.Status != BookStatus.Live)
            {
                e.SnapshotPending = false;
                Request(e);
            }
        }
    }

    /// <summary>
    /// Applies a snapshot fetched out of band (REST). Ignored when the book is live (the stream is
    /// authoritative) or the asset is not tracked; otherwise the buffered deltas at or after the
    /// snapshot's timestamp are replayed on top of it.
    /// </summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <returns>True when applied.</returns>
    public bool ApplySnapshot(BookSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_gate)
        {
            if (!_books.TryGetValue(snapshot.AssetId, out var e))
            {
                return false;
            }

            e.SnapshotPending = false;
            if (e.Status == BookStatus.Live)
            {
                SnapshotsIgnored++;
                return false;
            }

            e.Book.ApplySnapshot(snapshot);
            foreach (var d in e.Pending)
            {
                if (d.TimestampMs >= snapshot.TimestampMs)
                {
                    e.Book.ApplyDelta(d.Side, d.Price, d.Size, d.TimestampMs);
                }
            }

            e.Pending.Clear();
            SnapshotsApplied++;
            SettleAfterSnapshot(e);
            return true;
        }
    }

    /// <summary>Marks stale every suspect book whose grace has run out; call it on a timer.</summary>
    /// <returns>How many books were marked stale.</returns>
    public int ExpireSuspects()
    {
        var now = _time.GetTimestamp();
        var count = 0;
        lock (_gate)
        {
            foreach (var e in _books.Values)
            {
                if (
                    e.Status == BookStatus.Suspect
                    && _time.GetElapsedTime(e.SuspectSinceTicks, now) >= _options.InconsistencyGrace
                )
                {
                    MakeStale(e, e.SuspectReason);
                    Request(e);
                    count++;
                }
            }
        }

        return count;
    }

    /// <inheritdoc />
    public override void OnBook(BookMessage book)
    {
        lock (_gate)
        {
            var e = Find(book.AssetId);
            if (e is null)
            {
                return;
            }

            e.Book.ApplySnapshot(book.Bids, book.Asks, book.TimestampMs, book.TickSize);
            e.Pending.Clear();
            e.SnapshotPending = false;
            SettleAfterSnapshot(e);
        }
    }

    /// <inheritdoc />
    public override void OnPriceChange(PriceChange change)
    {
        lock (_gate)
        {
            var e = Find(change.AssetId);
            if (e is null)
            {
                UntrackedDeltas++;
                return;
            }

            e.Book.ApplyDelta(change.Side, change.Price, change.Size, change.TimestampMs);
            switch (e.Status)
            {
                case BookStatus.Empty:
                    Buffer(e, change);
                    Request(e);
                    break;
                case BookStatus.Stale:
                    Buffer(e, change);
                    break;
                default:
                    var problem = Check(e.Book, change);
                    if (problem is null)
                    {
                        if (e.Status == BookStatus.Suspect)
                        {
                            e.Status = BookStatus.Live;
                            e.Pending.Clear();
                            Recoveries++;
                        }
                    }
                    else if (e.Status == BookStatus.Live)
                    {
                        e.Status = BookStatus.Suspect;
                        e.SuspectReason = problem.Value;
                        e.SuspectSinceMs = change.TimestampMs;
                        e.SuspectSinceTicks = _time.GetTimestamp();
                        Buffer(e, change);
                    }
                    else
                    {
                        Buffer(e, change);
                        if (change.TimestampMs > e.SuspectSinceMs)
                        {
                            MakeStale(e, problem.Value);
                            Request(e);
                        }
                    }

                    break;
            }
        }
    }

    /// <inheritdoc />
    public override void OnTickSizeChange(TickSizeChange change)
    {
        lock (_gate)
        {
            var e = Find(change.AssetId);
            if (e is null)
            {
                return;
            }

            e.Book.SetTickSize(change.NewTickSize, change.TimestampMs);
            MakeStale(e, StaleReason.TickSizeChanged);
            Request(e);
        }
    }

    private StaleReason? Check(OrderBook book, PriceChange change)
    {
        if (book.IsCrossed)
        {
            return StaleReason.Crossed;
        }

        if (!_options.CheckServerBestPrices)
        {
            return null;
        }

        if (change.BestBid is { } serverBid)
        {
            var local = book.BestBid;
            var agrees = local is { } l ? l.Price == serverBid : serverBid <= 0m;
            if (!agrees)
            {
                return StaleReason.ServerBestMismatch;
            }
        }

        if (change.BestAsk is { } serverAsk)
        {
            var local = book.BestAsk;
            var agrees = local is { } l ? l.Price == serverAsk : serverAsk <= 0m || serverAsk >= 1m;
            if (!agrees)
            {
                return StaleReason.ServerBestMismatch;
            }
        }

        return null;
    }

    private void SettleAfterSnapshot(Entry e)
    {
        if (e.Book.IsCrossed)
        {
            MakeStale(e, StaleReason.Crossed);
            Request(e);
        }
        else
        {
            e.Status = BookStatus.Live;
        }
    }

    private void MakeStale(Entry e, StaleReason reason)
    {
        if (e.Status == BookStatus.Stale || (e.Status == BookStatus.Empty && reason == StaleReason.Disconnected))
        {
            return;
        }

        if (e.Status != BookStatus.Empty)
        {
            StaleTransitions++;
            _logger.LogDebug("Book {AssetId} is stale: {Reason}", e.Book.AssetId, reason);
        }

        e.Status = e.Book.HasSnapshot ? BookStatus.Stale : BookStatus.Empty;
        e.StaleReason = reason;
    }

    private void Request(Entry e)
    {
        if (!e.SnapshotPending)
        {
            e.SnapshotPending = true;
            _requests.Writer.TryWrite(e.Book.AssetId);
        }
    }

    private void Buffer(Entry e, PriceChange change)
    {
        if (e.Pending.Count >= _options.MaxBufferedDeltas)
        {
            e.Pending.RemoveRange(0, e.Pending.Count / 2);
        }

        e.Pending.Add(change);
    }

    private Entry? Find(string assetId)
    {
        if (_last is { } last && ReferenceEquals(last.Book.AssetId, assetId))
        {
            return last;
        }

        if (!_books.TryGetValue(assetId, out var e))
        {
            if (!_options.TrackUnknownAssets)
            {
                return null;
            }

            e = GetOrCreate(assetId);
        }

        _last = e;
        return e;
    }

    private Entry GetOrCreate(string assetId)
    {
        if (!_books.TryGetValue(assetId, out var e))
        {
            e = new Entry(new OrderBook(assetId));
            _books[assetId] = e;
        }

        return e;
    }

    private sealed class Entry(OrderBook book)
    {
        public OrderBook Book { get; } = book;

        public BookStatus Status { get; set; }

        public StaleReason StaleReason { get; set; } = StaleReason.NoSnapshot;

        public StaleReason SuspectReason { get; set; }

        public long SuspectSinceMs { get; set; }

        public long SuspectSinceTicks { get; set; }

        public bool SnapshotPending { get; set; }

        public List<PriceChange> Pending { get; } = [];
    }
}
