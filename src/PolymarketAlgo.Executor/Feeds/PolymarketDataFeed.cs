using PolymarketAlgo.Executor.Books;
using PolymarketAlgo.Executor.Streaming;

namespace PolymarketAlgo.Executor.Feeds;

/// <summary>
/// Ticks from the CLOB market channel: one per trade (<c>polymarket-trade</c>) and one whenever a
/// live book's mid changes (<c>polymarket-mid</c>). Symbols are token (asset) ids. Unlike the
/// original, reconnect callbacks are raised.
/// </summary>
public sealed class PolymarketDataFeed : IDataFeed
{
    private readonly MarketChannelClient _client;
    private readonly BackgroundRun _run = new();

    /// <summary>Creates the feed over a market channel client (it adds a handler to it).</summary>
    /// <param name="client">The client.</param>
    /// <param name="timeProvider">The clock for events without an exchange time.</param>
    public PolymarketDataFeed(MarketChannelClient client, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        Ticks = new TickHandler(client.Books, timeProvider ?? TimeProvider.System, t => TickReceived?.Invoke(this, t));
        client.AddHandler(Ticks);
        client.Reconnected += (_, e) => Reconnected?.Invoke(this, e);
    }

    /// <inheritdoc />
    public string Name => "polymarket-websocket";

    /// <inheritdoc />
    public bool IsConnected => _client.IsConnected;

    /// <summary>The handler that turns events into ticks (usable on its own, e.g. in a replay).</summary>
    public TickHandler Ticks { get; }

    /// <inheritdoc />
    public event EventHandler<PriceTick>? TickReceived;

    /// <inheritdoc />
    public event EventHandler? Reconnected;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _run.Start(_client.RunAsync, cancellationToken);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync() => _run.StopAsync();

    /// <inheritdoc />
    public Task SubscribeAsync(string symbol, CancellationToken cancellationToken) =>
        _client.SubscribeAsync([symbol], cancellationToken);

    /// <inheritdoc />
    public Task UnsubscribeAsync(string symbol, CancellationToken cancellationToken) =>
        _client.UnsubscribeAsync([symbol], cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>Turns market events into ticks; must run after the <see cref="BookManager"/> for the same events.</summary>
    public sealed class TickHandler : MarketEventHandler
    {
        private readonly BookManager _books;
        private readonly TimeProvider _time;
        private readonly Action<PriceTick> _emit;
        private readonly Dictionary<string, decimal> _lastMid = new(StringComparer.Ordinal);

        /// <summary>Creates the handler.</summary>
        /// <param name="books">The books whose mids are watched.</param>
        /// <param name="timeProvider">The clock for events without an exchange time.</param>
        /// <param name="emit">Receives the ticks.</param>
        public TickHandler(BookManager books, TimeProvider timeProvider, Action<PriceTick> emit)
        {
            ArgumentNullException.ThrowIfNull(books);
            ArgumentNullException.ThrowIfNull(timeProvider);
            ArgumentNullException.ThrowIfNull(emit);
            _books = books;
            _time = timeProvider;
            _emit = emit;
        }

        /// <inheritdoc />
        public override void OnLastTradePrice(LastTradePrice trade) =>
            _emit(
                new PriceTick(
                    trade.AssetId,
                    trade.Price,
                    TimeOf(trade.TimestampMs),
                    trade.Size,
                    trade.Side,
                    "polymarket-trade"
                )
            );

        /// <inheritdoc />
        public override void OnBook(BookMessage book) => CheckMid(book.AssetId, book.TimestampMs);

        /// <inheritdoc />
        public override void OnPriceChange(PriceChange change) => CheckMid(change.AssetId, change.TimestampMs);

        private void CheckMid(string assetId, long timestampMs)
        {
            if (
                !_books.TryGetTop(assetId, out var top)
                || top.Status != BookStatus.Live
                || top.Mid is not { } mid
            )
            {
                return;
            }

            if (_lastMid.TryGetValue(assetId, out var last) && last == mid)
            {
                return;
            }

            _lastMid[assetId] = mid;
            _emit(new PriceTick(assetId, mid, TimeOf(timestampMs), null, null, "polymarket-mid"));
        }

        private DateTimeOffset TimeOf(long ms) =>
            ms > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : _time.GetUtcNow();
    }
}
