using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PolymarketAlgo.Executor.Books;
using PolymarketAlgo.Executor.Recording;

namespace PolymarketAlgo.Executor.Streaming;

/// <summary>Settings of a <see cref="MarketChannelClient"/>.</summary>
public sealed record MarketChannelOptions : WebSocketClientOptions
{
    /// <summary>The production market channel.</summary>
    public static readonly Uri DefaultUrl = new("wss://ws-subscriptions-clob.polymarket.com/ws/market");

    /// <summary>Creates options for the production URL.</summary>
    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    public MarketChannelOptions() => Url = DefaultUrl;

    /// <summary>Ask for the custom events (<c>best_bid_ask</c>, <c>new_market</c>, <c>market_resolved</c>).</summary>
    public bool CustomFeatureEnabled { get; init; } = true;

    /// <summary>The most assets on one connection (the server stops sending initial books past 500).</summary>
    public int MaxAssets { get; init; } = 500;

    /// <summary>How long to wait before retrying a failed snapshot fetch.</summary>
    public TimeSpan SnapshotRetryDelay { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// The CLOB market channel: subscribes to assets, keeps a <see cref="BookManager"/> up to date,
/// reconnects with backoff, resubscribes everything after a reconnect, and fetches REST snapshots
/// for books that are stale (after every reconnect, on a persistent cross, on a tick size change).
/// </summary>
public sealed class MarketChannelClient : ReconnectingWebSocketClient
{
    private readonly MarketChannelOptions _options;
    private readonly IBookSnapshotSource? _snapshots;
    private readonly IRawFrameSink? _recorder;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _assets = new(StringComparer.Ordinal);
    private readonly List<MarketEventHandler> _handlers = [];
    private MarketEventHandler _handler;

    /// <summary>Creates the client.</summary>
    /// <param name="options">Settings.</param>
    /// <param name="books">The books to keep; a new manager when null.</param>
    /// <param name="snapshots">Where stale books get snapshots from (the REST book); none when null.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="recorder">Receives every raw frame (e.g. a <see cref="JsonlRecorder"/>).</param>
    /// <param name="socketFactory">Creates sockets.</param>
    public MarketChannelClient(
        MarketChannelOptions options,
        BookManager? books = null,
        IBookSnapshotSource? snapshots = null,
        TimeProvider? timeProvider = null,
        ILogger<MarketChannelClient>? logger = null,
        IRawFrameSink? recorder = null,
        Func<ClientWebSocket>? socketFactory = null
    )
        : base(options, timeProvider, logger ?? (ILogger)NullLogger<MarketChannelClient>.Instance, socketFactory)
    {
        _options = options;
        Books = books ?? new BookManager(timeProvider: timeProvider);
        _snapshots = snapshots;
        _recorder = recorder;
        _handler = Books;
    }

    /// <summary>The books.</summary>
    public BookManager Books { get; }

    /// <summary>The parser (its statistics count frames, events and skips).</summary>
    public MarketMessageParser Parser { get; } = new();

    /// <summary>Snapshots fetched and applied.</summary>
    public long SnapshotsFetched => Interlocked.Read(ref _snapshotsFetched);

    /// <summary>Snapshot fetches that failed.</summary>
    public long SnapshotFailures => Interlocked.Read(ref _snapshotFailures);

    private long _snapshotsFetched;
    private long _snapshotFailures;

    /// <summary>The subscribed asset ids.</summary>
    public IReadOnlyList<string> Assets
    {
        get
        {
            lock (_gate)
            {
                return _assets.ToArray();
            }
        }
    }

    /// <summary>Adds a handler that sees every event after the books were updated. Call before running.</summary>
    /// <param name="handler">The handler.</param>
    public void AddHandler(MarketEventHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_gate)
        {
            _handlers.Add(handler);
            _handler = new MarketEventFanout([Books, .. _handlers]);
        }
    }

    /// <summary>Subscribes to assets; sent now if connected, and on every (re)connect.</summary>
    /// <param name="assetIds">The outcome token ids.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task.</returns>
    public async Task SubscribeAsync(IEnumerable<string> assetIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assetIds);
        string[] added;
        lock (_gate)
        {
            added = assetIds.Where(_assets.Add).ToArray();
            if (_assets.Count > _options.MaxAssets)
            {
                foreach (var a in added)
                {
                    _assets.Remove(a);
                }

                throw new InvalidOperationException(
                    $"A market connection carries at most {_options.MaxAssets} assets; open another client."
                );
            }
        }

        foreach (var a in added)
        {
            Books.Track(a);
        }

        if (added.Length > 0)
        {
            await SendTextAsync(OperationMessage("subscribe", added), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Unsubscribes from assets and drops their books.</summary>
    /// <param name="assetIds">The outcome token ids.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task.</returns>
    public async Task UnsubscribeAsync(IEnumerable<string> assetIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assetIds);
        string[] removed;
        lock (_gate)
        {
            removed = assetIds.Where(_assets.Remove).ToArray();
        }

        foreach (var a in removed)
        {
            Books.Untrack(a);
        }

        if (removed.Length > 0)
        {
            await SendTextAsync(OperationMessage("unsubscribe", removed), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The first frame on a connection: <c>{"type":"market","assets_ids":[…],"custom_feature_enabled":true}</c>.</summary>
    /// <param name="assetIds">The outcome token ids.</param>
    /// <param name="customFeatureEnabled">Ask for the custom events.</param>
    /// <returns>The JSON text.</returns>
    public static string SubscribeMessage(IEnumerable<string> assetIds, bool customFeatureEnabled = true) =>
        Json(w =>
        {
            w.WriteString("type", "market");
            WriteIds(w, "assets_ids", assetIds);
            w.WriteBoolean("custom_feature_enabled", customFeatureEnabled);
        });

    /// <inheritdoc />
    protected override async Task OnConnectedAsync(bool isReconnect, CancellationToken cancellationToken)
    {
        var assets = Assets;
        await SendTextAsync(SubscribeMessage(assets, _options.CustomFeatureEnabled), cancellationToken)
            .ConfigureAwait(false);
        Logger.LogInformation("Subscribed to {Count} assets", assets.Count);
        if (isReconnect)
        {
            Books.RequestSnapshotsForNonLive();
        }
    }

    /// <inheritdoc />
    protected override void OnTextFrame(ReadOnlySpan<byte> utf8, long receivedMs)
    {
        _recorder?.OnFrame(receivedMs, utf8);
        Parser.Parse(utf8, Volatile.Read(ref _handler));
    }

    /// <inheritdoc />
    protected override void OnDisconnected() => Books.MarkAllStale(StaleReason.Disconnected, requestSnapshots: false);

    /// <inheritdoc />
    protected override void OnMaintenance() => Books.ExpireSuspects();

    /// <inheritdoc />
    protected override async Task RunBackgroundAsync(CancellationToken cancellationToken)
    {
        if (_snapshots is null)
        {
            return;
        }

        try
        {
            await foreach (var assetId in Books.SnapshotRequests.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (Books.GetStatus(assetId) is null or BookStatus.Live)
                {
                    continue;
                }

                try
                {
                    var snapshot = await _snapshots.GetBookAsync(assetId, cancellationToken).ConfigureAwait(false);
                    Books.ApplySnapshot(snapshot);
                    Interlocked.Increment(ref _snapshotsFetched);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _snapshotFailures);
                    Logger.LogWarning("Snapshot of {AssetId} failed: {Message}", assetId, e.Message);
                    _ = RetryLaterAsync(assetId, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    private async Task RetryLaterAsync(string assetId, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(_options.SnapshotRetryDelay, Time, cancellationToken).ConfigureAwait(false);
            Books.RetrySnapshot(assetId);
        }
        catch (OperationCanceledException) { }
    }

    private string OperationMessage(string operation, IEnumerable<string> assetIds) =>
        Json(w =>
        {
            w.WriteString("operation", operation);
            WriteIds(w, "assets_ids", assetIds);
            if (operation == "subscribe")
            {
                w.WriteBoolean("custom_feature_enabled", _options.CustomFeatureEnabled);
            }
        });

    internal static void WriteIds(Utf8JsonWriter w, string name, IEnumerable<string> ids)
    {
        w.WriteStartArray(name);
        foreach (var id in ids)
        {
            w.WriteStringValue(id);
        }

        w.WriteEndArray();
    }

    internal static string Json(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
