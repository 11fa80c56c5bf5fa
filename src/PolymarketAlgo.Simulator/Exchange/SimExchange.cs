using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using PolymarketAlgo.Executor.Books;
using PolymarketAlgo.Executor.Crypto;
using PolymarketAlgo.Executor.Orders;
using PolymarketAlgo.Simulator.Auth;
using PolymarketAlgo.Simulator.Clock;
using PolymarketAlgo.Simulator.Markets;

namespace PolymarketAlgo.Simulator.Exchange;

/// <summary>
/// The simulated matching engine. Markets replay their recorded books on the <see cref="ReplayClock"/>; orders of
/// simulated accounts match against the replayed liquidity (FOK/FAK walk the book; GTC/GTD rest and fill when a
/// replayed book crosses them, at their own price); windows close at their end and resolve after
/// <see cref="SimulatorOptions.ResolutionDelay"/>, paying 1 pUSD per winning share. Accounts never match each
/// other. Every public member takes one lock and first advances the replay to the clock.
/// </summary>
public sealed class SimExchange
{
    private const long Day = 86_400;
    private const decimal Micro = 0.000001m;

    private readonly WindowCatalog _catalog;
    private readonly ReplayClock _clock;
    private readonly SimulatorOptions _options;
    private readonly ISimEventSink _sink;
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, WindowState> _active = [];
    private readonly Dictionary<string, SimOrder> _orders = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<SimOrder>> _liveByToken = new(StringComparer.Ordinal);
    private readonly List<SimTrade> _trades = [];
    private readonly Dictionary<string, Account> _accounts = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _funderOfKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Id, DateTimeOffset Last)> _heartbeats = new(StringComparer.Ordinal);
    private long _materializedTo = long.MinValue;
    private long _nowMs;
    private long _sequence;

    /// <summary>Creates the exchange.</summary>
    /// <param name="catalog">The markets.</param>
    /// <param name="clock">The simulated clock.</param>
    /// <param name="options">The settings.</param>
    /// <param name="sink">Receives the WebSocket messages.</param>
    public SimExchange(WindowCatalog catalog, ReplayClock clock, SimulatorOptions options, ISimEventSink sink)
    {
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        Domain = ExchangeDomain.For(options.ChainId, negRisk: false, protocolV2: false);
        foreach (var leader in options.Leaders)
        {
            _accounts[leader.Address] = new Account(leader.Address, leader.Name, 0m, unlimited: true);
        }
    }

    /// <summary>The EIP-712 domain orders are signed for (CTF Exchange V2: the btc-updown-5m markets are Gamma <c>version:"v1"</c>, not neg-risk).</summary>
    public ExchangeDomain Domain { get; }

    /// <summary>The markets.</summary>
    public WindowCatalog Catalog => _catalog;

    /// <summary>The simulated clock.</summary>
    public ReplayClock Clock => _clock;

    /// <summary>Advances the replay to the clock's now.</summary>
    public void Advance()
    {
        lock (_gate)
        {
            AdvanceLocked();
        }
    }

    /// <summary>The simulated time of the next scheduled replay event after the clock's now (for maximum speed).</summary>
    /// <returns>The time.</returns>
    public DateTimeOffset NextEventTime()
    {
        lock (_gate)
        {
            AdvanceLocked();
            var next = (WindowCatalog.Floor(_nowMs / 1000) + MarketWindow.LengthSeconds) * 1000;
            foreach (var state in _active.Values)
            {
                foreach (var time in PendingTimes(state))
                {
                    if (time > _nowMs && time < next)
                    {
                        next = time;
                    }
                }
            }

            return DateTimeOffset.FromUnixTimeMilliseconds(next);
        }
    }

    /// <summary>A token's current book, or null when the token is unknown or its market has ended.</summary>
    /// <param name="tokenId">The token.</param>
    /// <returns>The book.</returns>
    public BookView? GetBook(string tokenId)
    {
        lock (_gate)
        {
            AdvanceLocked();
            return _catalog.TryGetByToken(tokenId, out var window) && Trading(window) is { } state ? View(state, tokenId) : null;
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> under the exchange lock with a book lookup, so nothing the exchange publishes
    /// can interleave with it (the market channel registers a subscription and queues its initial books this way).
    /// </summary>
    /// <param name="action">Receives a function from token id to its current book (null when unknown or ended).</param>
    public void Synchronized(Action<Func<string, BookView?>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        lock (_gate)
        {
            AdvanceLocked();
            action(tokenId => _catalog.TryGetByToken(tokenId, out var window) && Trading(window) is { } state ? View(state, tokenId) : null);
        }
    }

    /// <summary>Where a market stands now (books while it trades). Does not start replaying the market.</summary>
    /// <param name="window">The market.</param>
    /// <returns>The status.</returns>
    public MarketStatus StatusOf(MarketWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        lock (_gate)
        {
            AdvanceLocked();
            var now = _nowMs / 1000;
            var state = Peek(window);
            return new MarketStatus(
                now >= window.StartUnixSeconds - Day,
                now >= window.StartUnixSeconds - Day && now < window.EndUnixSeconds,
                now >= window.EndUnixSeconds,
                IsResolved(window),
                state is null ? null : View(state, window.UpTokenId),
                state is null ? null : View(state, window.DownTokenId));
        }
    }

    /// <summary>Whether a market's outcome is published.</summary>
    /// <param name="window">The market.</param>
    /// <returns>True after its end plus the resolution delay.</returns>
    public bool IsResolved(MarketWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        return _clock.GetUtcNow().ToUnixTimeMilliseconds() >= ResolutionMs(window);
    }

    /// <summary>Places a signed order for an API key (the signature and owner are checked here).</summary>
    /// <param name="submission">The order.</param>
    /// <param name="key">The authenticated API key.</param>
    /// <returns>The reply, or an error to answer with an HTTP status.</returns>
    public (OrderReply? Reply, ExchangeError? Error) Place(OrderSubmission submission, ApiKeyRecord key)
    {
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentNullException.ThrowIfNull(key);
        var signed = submission.SignedOrder;
        var order = signed.Order;
        if (submission.Owner != key.ApiKey)
        {
            return (null, new ExchangeError(400, "the order owner has to be the owner of the API KEY"));
        }

        var recovered = OrderSigner.RecoverSigner(signed, Domain);
        var expectedSigner = order.SignatureType == SignatureType.Poly1271 ? key.Address : order.Signer;
        if (recovered is null || recovered != expectedSigner || (order.SignatureType != SignatureType.Poly1271 && order.Signer != key.Address))
        {
            return (null, new ExchangeError(400, "invalid signature"));
        }

        lock (_gate)
        {
            AdvanceLocked();
            return PlaceLocked(submission, key);
        }
    }

    /// <summary>Cancels orders of an API key.</summary>
    /// <param name="apiKey">The key.</param>
    /// <param name="orderIds">The order ids.</param>
    /// <returns>The reply.</returns>
    public CancelReply Cancel(string apiKey, IEnumerable<string> orderIds)
    {
        ArgumentNullException.ThrowIfNull(orderIds);
        lock (_gate)
        {
            AdvanceLocked();
            var canceled = new List<string>();
            var notCanceled = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var id in orderIds)
            {
                if (!_orders.TryGetValue(id, out var order) || order.Owner != apiKey)
                {
                    notCanceled[id] = "order not found";
                }
                else if (!order.IsLive)
                {
                    notCanceled[id] = "already canceled or matched";
                }
                else
                {
                    CancelLocked(order);
                    canceled.Add(order.Id);
                }
            }

            return new CancelReply(canceled, notCanceled);
        }
    }

    /// <summary>Cancels every resting order of an API key, optionally only in one market and/or token.</summary>
    /// <param name="apiKey">The key.</param>
    /// <param name="market">A condition id, or null.</param>
    /// <param name="assetId">A token id, or null.</param>
    /// <returns>The reply.</returns>
    public CancelReply CancelAll(string apiKey, string? market = null, string? assetId = null)
    {
        lock (_gate)
        {
            AdvanceLocked();
            var canceled = LiveOrders()
                .Where(o => o.Owner == apiKey
                    && (market is null || string.Equals(o.Window.ConditionId, market, StringComparison.OrdinalIgnoreCase))
                    && (assetId is null || o.TokenId == assetId))
                .ToList();
            foreach (var order in canceled)
            {
                CancelLocked(order);
            }

            return new CancelReply(canceled.Select(o => o.Id).ToArray(), new Dictionary<string, string>());
        }
    }

    /// <summary>One order of an API key.</summary>
    /// <param name="apiKey">The key.</param>
    /// <param name="orderId">The order id.</param>
    /// <returns>The order, or null.</returns>
    public SimOrder? GetOrder(string apiKey, string orderId)
    {
        lock (_gate)
        {
            AdvanceLocked();
            return _orders.TryGetValue(orderId, out var order) && order.Owner == apiKey ? order : null;
        }
    }

    /// <summary>The resting orders of an API key, filtered.</summary>
    /// <param name="apiKey">The key.</param>
    /// <param name="id">An order id, or null.</param>
    /// <param name="market">A condition id, or null.</param>
    /// <param name="assetId">A token id, or null.</param>
    /// <returns>The orders, oldest first.</returns>
    public IReadOnlyList<SimOrder> OpenOrders(string apiKey, string? id = null, string? market = null, string? assetId = null)
    {
        lock (_gate)
        {
            AdvanceLocked();
            return LiveOrders()
                .Where(o => o.Owner == apiKey
                    && (id is null || string.Equals(o.Id, id, StringComparison.OrdinalIgnoreCase))
                    && (market is null || string.Equals(o.Window.ConditionId, market, StringComparison.OrdinalIgnoreCase))
                    && (assetId is null || o.TokenId == assetId))
                .OrderBy(o => o.CreatedAt)
                .ToArray();
        }
    }

    /// <summary>The trades of an API key, filtered, newest first.</summary>
    /// <param name="apiKey">The key.</param>
    /// <param name="id">A trade id, or null.</param>
    /// <param name="market">A condition id, or null.</param>
    /// <param name="assetId">A token id, or null.</param>
    /// <param name="before">Only trades before this Unix time, or null.</param>
    /// <param name="after">Only trades after this Unix time, or null.</param>
    /// <returns>The trades.</returns>
    public IReadOnlyList<SimTrade> Trades(string apiKey, string? id = null, string? market = null, string? assetId = null, long? before = null, long? after = null)
    {
        lock (_gate)
        {
            AdvanceLocked();
            return _trades
                .Where(t => t.Owner == apiKey
                    && (id is null || t.Id == id)
                    && (market is null || string.Equals(t.Window.ConditionId, market, StringComparison.OrdinalIgnoreCase))
                    && (assetId is null || t.TokenId == assetId)
                    && (before is null || t.MatchTime < before)
                    && (after is null || t.MatchTime > after))
                .Reverse()
                .ToArray();
        }
    }

    /// <summary>The balance of an API key's funder in base units (10^-6): pUSD for <c>COLLATERAL</c>, shares of a token otherwise.</summary>
    /// <param name="key">The key.</param>
    /// <param name="tokenId">The token for a conditional balance, or null for collateral.</param>
    /// <returns>The balance in base units.</returns>
    public long BalanceOf(ApiKeyRecord key, string? tokenId)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            AdvanceLocked();
            var account = AccountOf(_funderOfKey.GetValueOrDefault(key.ApiKey) ?? key.Address.Checksummed);
            var whole = tokenId is null
                ? account.Collateral
                : account.Positions.TryGetValue(tokenId, out var position) ? position.Shares : 0m;
            return (long)decimal.Floor(whole * 1_000_000m);
        }
    }

    /// <summary>
    /// Records a heartbeat (§8.4). The first one (any id) arms the dead-man's switch and returns a new id; later ones
    /// must send the last id. When none arrives within <see cref="SimulatorOptions.HeartbeatTimeout"/> of wall time,
    /// the key's resting orders are cancelled and the switch disarms.
    /// </summary>
    /// <param name="apiKey">The key.</param>
    /// <param name="heartbeatId">The id sent.</param>
    /// <returns>Whether it was accepted, and the new (or expected) id.</returns>
    public (bool Accepted, string HeartbeatId) Heartbeat(string apiKey, string heartbeatId)
    {
        lock (_gate)
        {
            AdvanceLocked();
            if (_heartbeats.TryGetValue(apiKey, out var current) && current.Id != heartbeatId)
            {
                return (false, current.Id);
            }

            var id = Guid.CreateVersion7(_clock.Wall.GetUtcNow()).ToString();
            _heartbeats[apiKey] = (id, _clock.Wall.GetUtcNow());
            return (true, id);
        }
    }

    /// <summary>The Data API <c>/activity</c> rows of a wallet (simulated accounts and leaders), newest first.</summary>
    /// <param name="user">The wallet address.</param>
    /// <returns>Copies of the rows.</returns>
    public IReadOnlyList<JsonObject> Activity(string user)
    {
        lock (_gate)
        {
            AdvanceLocked();
            return _accounts.TryGetValue(user, out var account)
                ? account.Activity.AsEnumerable().Reverse().Select(r => (JsonObject)r.DeepClone()).ToArray()
                : [];
        }
    }

    /// <summary>The Data API <c>/trades</c> rows of a wallet, newest first.</summary>
    /// <param name="user">The wallet address.</param>
    /// <returns>Copies of the rows.</returns>
    public IReadOnlyList<JsonObject> WalletTrades(string user)
    {
        lock (_gate)
        {
            AdvanceLocked();
            return _accounts.TryGetValue(user, out var account)
                ? account.Trades.AsEnumerable().Reverse().Select(r => (JsonObject)r.DeepClone()).ToArray()
                : [];
        }
    }

    /// <summary>The Data API <c>/positions</c> rows of a wallet (open positions valued at the current mid).</summary>
    /// <param name="user">The wallet address.</param>
    /// <returns>The rows.</returns>
    public IReadOnlyList<JsonObject> Positions(string user)
    {
        lock (_gate)
        {
            AdvanceLocked();
            if (!_accounts.TryGetValue(user, out var account))
            {
                return [];
            }

            var rows = new List<JsonObject>();
            foreach (var position in account.Positions.Values.Where(p => p.Shares > 0m))
            {
                var window = position.Window;
                var price = _active.TryGetValue(window.StartUnixSeconds, out var state) ? View(state, position.TokenId).Mid ?? 0m : 0m;
                var average = position.Shares > 0m ? position.Cost / position.Shares : 0m;
                var value = position.Shares * price;
                var outcome = window.OutcomeIndexOf(position.TokenId);
                rows.Add(new JsonObject
                {
                    ["proxyWallet"] = account.Address.ToLowerInvariant(),
                    ["asset"] = position.TokenId,
                    ["conditionId"] = window.ConditionId,
                    ["size"] = position.Shares,
                    ["avgPrice"] = Math.Round(average, 6),
                    ["initialValue"] = position.Cost,
                    ["currentValue"] = value,
                    ["cashPnl"] = value - position.Cost,
                    ["percentPnl"] = position.Cost > 0m ? Math.Round((value - position.Cost) / position.Cost * 100m, 4) : 0m,
                    ["totalBought"] = position.Bought,
                    ["realizedPnl"] = position.RealizedPnl,
                    ["percentRealizedPnl"] = 0m,
                    ["curPrice"] = price,
                    ["redeemable"] = false,
                    ["mergeable"] = false,
                    ["title"] = window.Question,
                    ["slug"] = window.Slug,
                    ["icon"] = Icon,
                    ["eventSlug"] = window.Slug,
                    ["eventId"] = window.EventId,
                    ["outcome"] = outcome == 0 ? "Up" : "Down",
                    ["outcomeIndex"] = outcome,
                    ["oppositeOutcome"] = outcome == 0 ? "Down" : "Up",
                    ["oppositeAsset"] = window.OppositeOf(position.TokenId),
                    ["endDate"] = Iso(window.EndUnixSeconds),
                    ["negativeRisk"] = false,
                });
            }

            return rows;
        }
    }

    /// <summary>A summary of the exchange for <c>GET /_sim/status</c>.</summary>
    /// <returns>The summary.</returns>
    public JsonObject Status()
    {
        lock (_gate)
        {
            AdvanceLocked();
            var current = _catalog.Get(WindowCatalog.Floor(_nowMs / 1000));
            return new JsonObject
            {
                ["now"] = Iso(_nowMs / 1000),
                ["now_ms"] = _nowMs,
                ["speed"] = _clock.Speed is { } s ? JsonValue.Create(s) : null,
                ["current_slug"] = current.Slug,
                ["current_up_token"] = current.UpTokenId,
                ["current_down_token"] = current.DownTokenId,
                ["replayed_from"] = current.Books.Slug,
                ["active_markets"] = _active.Count,
                ["live_orders"] = LiveOrders().Count(),
                ["trades"] = _trades.Count,
                ["accounts"] = new JsonArray(_accounts.Values.Select(a => (JsonNode)new JsonObject
                {
                    ["address"] = a.Address,
                    ["name"] = a.Name,
                    ["collateral"] = a.Unlimited ? null : JsonValue.Create(a.Collateral),
                    ["reserved"] = a.ReservedCollateral,
                    ["positions"] = a.Positions.Values.Count(p => p.Shares > 0m),
                }).ToArray()),
            };
        }
    }

    internal const string Icon = "https://polymarket-upload.s3.us-east-2.amazonaws.com/BTC+fullsize.png";

    internal static string Iso(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private long ResolutionMs(MarketWindow window) => (window.EndUnixSeconds * 1000) + (long)_options.ResolutionDelay.TotalMilliseconds;

    private IEnumerable<SimOrder> LiveOrders() => _liveByToken.Values.SelectMany(l => l);

    private IEnumerable<long> PendingTimes(WindowState state)
    {
        var window = state.Window;
        if (state.Next < window.Books.Snapshots.Count)
        {
            yield return state.TimeOf(state.Next);
        }

        foreach (var leader in _options.Leaders)
        {
            yield return (window.StartUnixSeconds + leader.EntryOffsetSeconds) * 1000;
        }

        yield return window.EndUnixSeconds * 1000;
        yield return ResolutionMs(window);
    }

    private void AdvanceLocked()
    {
        var nowMs = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (nowMs < _nowMs)
        {
            nowMs = _nowMs;
        }

        _nowMs = nowMs;
        var now = nowMs / 1000;
        if (now + Day > _materializedTo)
        {
            _catalog.Materialize(_materializedTo == long.MinValue ? now - (2 * Day) : _materializedTo, now + Day + MarketWindow.LengthSeconds);
            _materializedTo = now + Day + MarketWindow.LengthSeconds;
        }

        Activate(_catalog.Get(WindowCatalog.Floor(now)));
        foreach (var state in _active.Values.ToArray())
        {
            Step(state, nowMs);
            if (state.Resolved)
            {
                _active.Remove(state.Window.StartUnixSeconds);
            }
        }

        foreach (var order in LiveOrders().Where(o => o.Expiration > 0 && o.Expiration - 60 <= now).ToArray())
        {
            CancelLocked(order);
        }

        var wall = _clock.Wall.GetUtcNow();
        foreach (var (apiKey, beat) in _heartbeats.ToArray())
        {
            if (wall - beat.Last > _options.HeartbeatTimeout)
            {
                _heartbeats.Remove(apiKey);
                foreach (var order in LiveOrders().Where(o => o.Owner == apiKey).ToArray())
                {
                    CancelLocked(order);
                }
            }
        }
    }

    /// <summary>The state of a market that still trades or awaits resolution, activated if needed; null once resolved.</summary>
    private WindowState? Trading(MarketWindow window) =>
        _nowMs >= ResolutionMs(window) ? null : Activate(window);

    private WindowState? Activate(MarketWindow window)
    {
        if (_active.TryGetValue(window.StartUnixSeconds, out var state))
        {
            return state;
        }

        if (_nowMs >= ResolutionMs(window))
        {
            return null;
        }

        state = Positioned(window);

        // A leader's entry that passed before the market was activated did not happen in this replay.
        foreach (var leader in _options.Leaders.Where(l => (window.StartUnixSeconds + l.EntryOffsetSeconds) * 1000 < _nowMs))
        {
            state.LeadersDone.Add(leader.Address);
        }

        _active[window.StartUnixSeconds] = state;
        return state;
    }

    /// <summary>A market's state without activating it (no replay runs for it): the active one, or a throwaway view of now.</summary>
    private WindowState? Peek(MarketWindow window) =>
        _nowMs >= ResolutionMs(window) ? null
        : _active.TryGetValue(window.StartUnixSeconds, out var state) ? state
        : Positioned(window);

    /// <summary>A new state showing the recorded book of now (the first one before the window starts).</summary>
    private WindowState Positioned(MarketWindow window)
    {
        var state = new WindowState(window);
        var snapshots = window.Books.Snapshots;
        var index = 0;
        while (index + 1 < snapshots.Count && state.TimeOf(index + 1) <= Math.Min(_nowMs, window.EndUnixSeconds * 1000))
        {
            index++;
        }

        state.Apply(snapshots[index], Math.Min(state.TimeOf(index), Math.Max(_nowMs, 0)));
        state.Next = index + 1;
        return state;
    }

    private void Step(WindowState state, long nowMs)
    {
        var window = state.Window;
        var endMs = window.EndUnixSeconds * 1000;
        while (true)
        {
            var snapshotMs = state.Next < window.Books.Snapshots.Count ? state.TimeOf(state.Next) : long.MaxValue;
            var leader = _options.Leaders
                .Where(l => !state.LeadersDone.Contains(l.Address))
                .Select(l => (Leader: l, Ms: (window.StartUnixSeconds + l.EntryOffsetSeconds) * 1000))
                .Where(l => l.Ms < endMs)
                .OrderBy(l => l.Ms)
                .FirstOrDefault();
            var leaderMs = leader.Leader is null ? long.MaxValue : leader.Ms;
            if (leaderMs <= nowMs && leaderMs <= snapshotMs)
            {
                state.LeadersDone.Add(leader.Leader!.Address);
                LeaderTrade(state, leader.Leader, leaderMs);
                continue;
            }

            if (snapshotMs <= nowMs && snapshotMs <= endMs)
            {
                state.Apply(window.Books.Snapshots[state.Next], snapshotMs);
                state.Next++;
                MatchResting(state, window.UpTokenId, snapshotMs);
                MatchResting(state, window.DownTokenId, snapshotMs);
                foreach (var tokenId in new[] { window.UpTokenId, window.DownTokenId })
                {
                    if (_sink.IsFollowed(tokenId))
                    {
                        _sink.Market([tokenId], View(state, tokenId).ToJson(asEvent: true));
                    }
                }

                continue;
            }

            break;
        }

        if (nowMs >= endMs && !state.Closed)
        {
            state.Closed = true;
            foreach (var order in LiveOrders().Where(o => o.Window == window).ToArray())
            {
                CancelLocked(order);
            }
        }

        if (nowMs >= ResolutionMs(window) && !state.Resolved)
        {
            state.Resolved = true;
            Resolve(window, ResolutionMs(window));
        }
    }

    private BookView View(WindowState state, string tokenId)
    {
        var book = state.BookOf(tokenId);
        var bids = Merge(book.ToArray(BookSide.Bid), tokenId, Side.Buy);
        var asks = Merge(book.ToArray(BookSide.Ask), tokenId, Side.Sell);
        var hash = tokenId == state.Window.RecordedTokenId && bids.Length == book.BidCount && asks.Length == book.AskCount && !HasOwnOrders(tokenId)
            ? state.Hash
            : DerivedHash(state.Hash, tokenId);
        return new BookView(
            state.Window,
            tokenId,
            book.TimestampMs,
            hash,
            bids.Reverse().ToArray(),
            asks.Reverse().ToArray(),
            state.LastTrade.TryGetValue(tokenId, out var last) ? last.Price : null);
    }

    private bool HasOwnOrders(string tokenId) => _liveByToken.TryGetValue(tokenId, out var live) && live.Count > 0;

    private static string DerivedHash(string hash, string tokenId) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(Encoding.UTF8.GetBytes(hash + ":" + tokenId)));

    /// <summary>Adds the resting orders of one side to replayed levels (best first in, best first out).</summary>
    private PriceLevel[] Merge(PriceLevel[] replayed, string tokenId, Side side)
    {
        if (!_liveByToken.TryGetValue(tokenId, out var live) || !live.Any(o => o.Side == side))
        {
            return replayed;
        }

        var sizes = replayed.ToDictionary(l => l.Price, l => l.Size);
        foreach (var order in live.Where(o => o.Side == side))
        {
            sizes[order.Price] = sizes.GetValueOrDefault(order.Price) + order.Remaining;
        }

        var merged = sizes.Select(kv => new PriceLevel(kv.Key, kv.Value));
        return (side == Side.Buy ? merged.OrderByDescending(l => l.Price) : merged.OrderBy(l => l.Price)).ToArray();
    }

    private (OrderReply? Reply, ExchangeError? Error) PlaceLocked(OrderSubmission submission, ApiKeyRecord key)
    {
        var signed = submission.SignedOrder;
        var order = signed.Order;
        var tokenId = order.TokenId.ToString();
        if (!_catalog.TryGetByToken(tokenId, out var window))
        {
            return (null, new ExchangeError(400, $"the orderbook {tokenId} does not exist"));
        }

        var now = _nowMs / 1000;
        if (now < window.StartUnixSeconds - Day)
        {
            return (null, new ExchangeError(400, "the market is not yet ready to process new orders"));
        }

        if (now >= window.EndUnixSeconds || Trading(window) is not { } state)
        {
            return (null, new ExchangeError(400, "the market is not accepting orders"));
        }

        if (_orders.ContainsKey(signed.OrderId))
        {
            return (null, new ExchangeError(400, "order already exists"));
        }

        if (order.MakerAmount == 0 || order.TakerAmount == 0)
        {
            return (null, new ExchangeError(400, "invalid order amounts"));
        }

        var type = submission.OrderType;
        if (type == OrderType.Gtd && order.Expiration - 60 <= now)
        {
            return (null, new ExchangeError(400, "invalid expiration"));
        }

        var maker = (decimal)order.MakerAmount * Micro;
        var taker = (decimal)order.TakerAmount * Micro;
        var buy = order.Side == Side.Buy;
        var price = Math.Round(buy ? maker / taker : taker / maker, 6);
        var marketOrder = type is OrderType.Fok or OrderType.Fak;
        if (!marketOrder)
        {
            if (price % window.TickSize != 0m || price < window.TickSize || price > 1m - window.TickSize)
            {
                return (null, new ExchangeError(400, $"invalid price ({JsonText.Format(price)}), min: {JsonText.Format(window.TickSize)} - max: {JsonText.Format(1m - window.TickSize)}"));
            }

            var size = buy ? taker : maker;
            if (size < window.MinimumOrderSize)
            {
                return (null, new ExchangeError(400, $"Size ({JsonText.Format(size)}) lower than the minimum: {JsonText.Format(window.MinimumOrderSize)}"));
            }
        }
        else if ((buy ? maker : taker) < 1m)
        {
            return (null, new ExchangeError(400, $"invalid amount for a marketable {(buy ? "BUY" : "SELL")} order (${JsonText.Format(buy ? maker : taker)}), min size: $1"));
        }

        var funder = order.Maker.Checksummed;
        _funderOfKey[key.ApiKey] = funder;
        var account = AccountOf(funder);
        var maxFee = (buy ? taker : maker) * window.FeeRate;
        if (buy ? account.AvailableCollateral < maker + maxFee : account.AvailableShares(tokenId) < maker)
        {
            return (null, new ExchangeError(400, "not enough balance / allowance"));
        }

        var bookSide = buy ? BookSide.Ask : BookSide.Bid;
        var fills = Walk(state, tokenId, bookSide, price, marketOrder && buy ? null : (buy ? taker : maker), marketOrder && buy ? maker : null);
        var filledShares = fills.Sum(f => f.Size);
        var filledCash = fills.Sum(f => f.Size * f.Price);
        if (submission.PostOnly && fills.Count > 0)
        {
            return (null, new ExchangeError(400, "invalid post-only order: order crosses book"));
        }

        if (type == OrderType.Fok && (buy ? maker - filledCash >= price * Micro : filledShares < maker))
        {
            return (Unmatched(signed.OrderId, "order couldn't be fully filled. FOK orders are fully filled or killed."), null);
        }

        if (type == OrderType.Fak && fills.Count == 0)
        {
            return (Unmatched(signed.OrderId, "no orders found to match with FAK order. FAK orders are partially filled or killed if no match is found."), null);
        }

        var simOrder = new SimOrder(
            signed.OrderId,
            key.ApiKey,
            funder,
            window,
            tokenId,
            order.Side,
            price,
            marketOrder && buy ? filledShares : (buy ? taker : maker),
            type,
            order.Expiration,
            now);
        _orders[simOrder.Id] = simOrder;
        var trades = new List<SimTrade>();
        foreach (var (levelPrice, levelSize, remaining) in fills)
        {
            state.Consume(tokenId, bookSide, levelPrice, remaining);
            trades.Add(TakerFill(state, simOrder, account, levelPrice, levelSize));
        }

        var rests = !marketOrder && simOrder.Remaining > 0m;
        simOrder.Status = rests ? "LIVE" : "MATCHED";
        if (rests)
        {
            Reserve(account, simOrder, simOrder.Remaining);
            if (!_liveByToken.TryGetValue(tokenId, out var live))
            {
                live = [];
                _liveByToken[tokenId] = live;
            }

            live.Add(simOrder);
        }

        _sink.User(key.ApiKey, window.ConditionId, OrderEvent(simOrder, "PLACEMENT"));
        foreach (var trade in trades)
        {
            PublishTrade(trade);
        }

        var changes = fills.Select(f => (f.Price, bookSide)).ToList();
        if (rests)
        {
            changes.Add((price, buy ? BookSide.Bid : BookSide.Ask));
        }

        PublishPriceChanges(state, tokenId, changes);
        return (new OrderReply(
            true,
            "",
            simOrder.Id,
            trades.Count > 0 ? "matched" : "live",
            trades.Count > 0 ? (buy ? filledCash : filledShares) : null,
            trades.Count > 0 ? (buy ? filledShares : filledCash) : null,
            trades.Select(t => t.Id).ToArray(),
            trades.Select(t => t.TransactionHash).ToArray()), null);
    }

    private static OrderReply Unmatched(string orderId, string message) => new(false, message, orderId, "unmatched", null, null, [], []);

    /// <summary>
    /// Walks a token's book side from the best level: up to <paramref name="shares"/> shares, or until
    /// <paramref name="cash"/> pUSD is spent, at prices no worse than <paramref name="limit"/>. Sizes are whole
    /// micro-shares. Returns each level's price, the size taken and the size left.
    /// </summary>
    private static List<(decimal Price, decimal Size, decimal Remaining)> Walk(
        WindowState state,
        string tokenId,
        BookSide side,
        decimal limit,
        decimal? shares,
        decimal? cash)
    {
        var book = state.BookOf(tokenId);
        var fills = new List<(decimal, decimal, decimal)>();
        var sharesLeft = shares ?? decimal.MaxValue;
        var cashLeft = cash ?? decimal.MaxValue;
        for (var depth = 0; depth < book.LevelCount(side); depth++)
        {
            var level = book.GetLevel(side, depth);
            if (side == BookSide.Ask ? level.Price > limit : level.Price < limit)
            {
                break;
            }

            var affordable = cash is null ? decimal.MaxValue : decimal.Floor(cashLeft / level.Price / Micro) * Micro;
            var take = Math.Min(level.Size, Math.Min(sharesLeft, affordable));
            if (take <= 0m)
            {
                break;
            }

            fills.Add((level.Price, take, level.Size - take));
            sharesLeft -= take;
            cashLeft -= take * level.Price;
        }

        return fills;
    }

    private SimTrade TakerFill(WindowState state, SimOrder order, Account account, decimal price, decimal size)
    {
        var fee = Fee(order.Window, size, price);
        var position = account.PositionOf(order.Window, order.TokenId);
        ApplyFill(account, position, order.Side, size, price, fee);
        order.SizeMatched += size;
        var id = NextId(order.Id);
        var trade = new SimTrade(
            id,
            order.Id,
            order.Window,
            order.TokenId,
            order.Side,
            size,
            price,
            order.Window.FeeRate * 10_000m,
            fee,
            _nowMs / 1000,
            order.Owner,
            order.MakerAddress,
            "TAKER",
            [new MakerLeg(Hash("replay-order:" + id), "replay", Address.Zero.Checksummed, size, price, Opposite(order.Side))],
            Hash("tx:" + id));
        order.TradeIds.Add(id);
        RecordTrade(state, trade, account, order.Side);
        return trade;
    }

    private void MatchResting(WindowState state, string tokenId, long timeMs)
    {
        if (!_liveByToken.TryGetValue(tokenId, out var live) || live.Count == 0)
        {
            return;
        }

        foreach (var order in live.ToArray())
        {
            var side = order.Side == Side.Buy ? BookSide.Ask : BookSide.Bid;
            var fills = Walk(state, tokenId, side, order.Price, order.Remaining, null);
            foreach (var (levelPrice, size, remaining) in fills)
            {
                state.Consume(tokenId, side, levelPrice, remaining);
                MakerFill(state, order, size, timeMs);
            }

            if (fills.Count > 0)
            {
                _sink.User(order.Owner, order.Window.ConditionId, OrderEvent(order, "UPDATE"));
            }
        }
    }

    private void MakerFill(WindowState state, SimOrder order, decimal size, long timeMs)
    {
        var account = AccountOf(order.MakerAddress);
        Release(account, order, size);
        var position = account.PositionOf(order.Window, order.TokenId);
        ApplyFill(account, position, order.Side, size, order.Price, 0m);
        order.SizeMatched += size;
        if (order.Remaining <= 0m)
        {
            order.Status = "MATCHED";
            _liveByToken[order.TokenId].Remove(order);
        }

        var id = NextId(order.Id);
        var trade = new SimTrade(
            id,
            Hash("replay-order:" + id),
            order.Window,
            order.TokenId,
            Opposite(order.Side),
            size,
            order.Price,
            0m,
            0m,
            timeMs / 1000,
            order.Owner,
            order.MakerAddress,
            "MAKER",
            [new MakerLeg(order.Id, order.Owner, order.MakerAddress, size, order.Price, order.Side)],
            Hash("tx:" + id));
        order.TradeIds.Add(id);
        RecordTrade(state, trade, account, order.Side);
        PublishTrade(trade);
    }

    private void LeaderTrade(WindowState state, LeaderWallet leader, long timeMs)
    {
        var window = state.Window;
        var up = View(state, window.UpTokenId).Mid ?? 0.5m;
        var tokenId = up >= 0.5m ? window.UpTokenId : window.DownTokenId;
        var fills = Walk(state, tokenId, BookSide.Ask, 0.99m, null, leader.Notional);
        var account = AccountOf(leader.Address);
        var position = account.PositionOf(window, tokenId);
        foreach (var (price, size, remaining) in fills)
        {
            state.Consume(tokenId, BookSide.Ask, price, remaining);
            var fee = Fee(window, size, price);
            ApplyFill(account, position, Side.Buy, size, price, fee);
            var id = NextId(leader.Address + ":" + window.Slug);
            state.LastTrade[tokenId] = (price, size, "BUY");
            _sink.Market([tokenId], LastTradeEvent(window, tokenId, price, size, Side.Buy, window.FeeRate * 10_000m, timeMs));
            AddWalletRows(account, window, tokenId, Side.Buy, size, price, Hash("tx:" + id), timeMs / 1000);
        }

        PublishPriceChanges(state, tokenId, fills.Select(f => (f.Price, BookSide.Ask)));
    }

    private void RecordTrade(WindowState state, SimTrade trade, Account account, Side accountSide)
    {
        _trades.Add(trade);
        state.LastTrade[trade.TokenId] = (trade.Price, trade.Size, trade.Side.ToWire());
        _sink.Market([trade.TokenId], LastTradeEvent(trade.Window, trade.TokenId, trade.Price, trade.Size, trade.Side, trade.FeeRateBps, trade.MatchTime * 1000));
        AddWalletRows(account, trade.Window, trade.TokenId, accountSide, trade.Size, trade.Price, trade.TransactionHash, trade.MatchTime);
    }

    private static void ApplyFill(Account account, Position position, Side side, decimal size, decimal price, decimal fee)
    {
        if (side == Side.Buy)
        {
            account.Collateral -= (size * price) + fee;
            position.Shares += size;
            position.Cost += size * price;
            position.Bought += size;
        }
        else
        {
            var average = position.Shares > 0m ? position.Cost / position.Shares : 0m;
            account.Collateral += (size * price) - fee;
            position.RealizedPnl += (size * (price - average)) - fee;
            position.Cost -= average * size;
            position.Shares -= size;
        }
    }

    private static void Reserve(Account account, SimOrder order, decimal size)
    {
        if (order.Side == Side.Buy)
        {
            account.ReservedCollateral += size * order.Price;
        }
        else
        {
            account.PositionOf(order.Window, order.TokenId).Reserved += size;
        }
    }

    private static void Release(Account account, SimOrder order, decimal size)
    {
        if (order.Side == Side.Buy)
        {
            account.ReservedCollateral -= size * order.Price;
        }
        else
        {
            account.PositionOf(order.Window, order.TokenId).Reserved -= size;
        }
    }

    private void CancelLocked(SimOrder order)
    {
        order.Status = "CANCELED";
        _liveByToken[order.TokenId].Remove(order);
        Release(AccountOf(order.MakerAddress), order, order.Remaining);
        _sink.User(order.Owner, order.Window.ConditionId, OrderEvent(order, "CANCELLATION"));
        if (_active.TryGetValue(order.Window.StartUnixSeconds, out var state))
        {
            var side = order.Side == Side.Buy ? BookSide.Bid : BookSide.Ask;
            PublishPriceChanges(state, order.TokenId, [(order.Price, side)]);
        }
    }

    private void Resolve(MarketWindow window, long timeMs)
    {
        foreach (var account in _accounts.Values)
        {
            foreach (var tokenId in new[] { window.UpTokenId, window.DownTokenId })
            {
                if (!account.Positions.Remove(tokenId, out var position) || position.Shares <= 0m)
                {
                    continue;
                }

                var payout = tokenId == window.WinningTokenId ? position.Shares : 0m;
                account.Collateral += payout;
                account.Activity.Add(new JsonObject
                {
                    ["proxyWallet"] = account.Address.ToLowerInvariant(),
                    ["timestamp"] = timeMs / 1000,
                    ["conditionId"] = window.ConditionId,
                    ["type"] = "REDEEM",
                    ["size"] = position.Shares,
                    ["usdcSize"] = payout,
                    ["transactionHash"] = Hash("redeem:" + account.Address + ":" + tokenId),
                    ["price"] = 0,
                    ["asset"] = tokenId,
                    ["side"] = "",
                    ["outcomeIndex"] = window.OutcomeIndexOf(tokenId),
                    ["title"] = window.Question,
                    ["slug"] = window.Slug,
                    ["icon"] = Icon,
                    ["eventSlug"] = window.Slug,
                    ["outcome"] = window.OutcomeOf(tokenId),
                    ["name"] = account.Name,
                    ["pseudonym"] = "",
                });
            }
        }

        _sink.Market(
            [window.UpTokenId, window.DownTokenId],
            JsonText.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("event_type", "market_resolved");
                w.WriteString("id", window.GammaId);
                w.WriteString("market", window.ConditionId);
                w.WriteStartArray("assets_ids");
                w.WriteStringValue(window.UpTokenId);
                w.WriteStringValue(window.DownTokenId);
                w.WriteEndArray();
                w.WriteString("winning_asset_id", window.WinningTokenId);
                w.WriteString("winning_outcome", window.UpWins ? "Up" : "Down");
                w.WriteString("timestamp", JsonText.Format(timeMs));
                w.WriteEndObject();
            }));
    }

    private void AddWalletRows(Account account, MarketWindow window, string tokenId, Side side, decimal size, decimal price, string transactionHash, long time)
    {
        var row = new JsonObject
        {
            ["proxyWallet"] = account.Address.ToLowerInvariant(),
            ["side"] = side.ToWire(),
            ["asset"] = tokenId,
            ["conditionId"] = window.ConditionId,
            ["size"] = size,
            ["price"] = price,
            ["timestamp"] = time,
            ["title"] = window.Question,
            ["slug"] = window.Slug,
            ["icon"] = Icon,
            ["eventSlug"] = window.Slug,
            ["outcome"] = window.OutcomeOf(tokenId),
            ["outcomeIndex"] = window.OutcomeIndexOf(tokenId),
            ["name"] = account.Name,
            ["pseudonym"] = "",
            ["bio"] = "",
            ["profileImage"] = "",
            ["profileImageOptimized"] = "",
            ["transactionHash"] = transactionHash,
        };
        account.Trades.Add(row);
        account.Activity.Add(new JsonObject
        {
            ["proxyWallet"] = account.Address.ToLowerInvariant(),
            ["timestamp"] = time,
            ["conditionId"] = window.ConditionId,
            ["type"] = "TRADE",
            ["size"] = size,
            ["usdcSize"] = size * price,
            ["transactionHash"] = transactionHash,
            ["price"] = price,
            ["asset"] = tokenId,
            ["side"] = side.ToWire(),
            ["outcomeIndex"] = window.OutcomeIndexOf(tokenId),
            ["title"] = window.Question,
            ["slug"] = window.Slug,
            ["icon"] = Icon,
            ["eventSlug"] = window.Slug,
            ["outcome"] = window.OutcomeOf(tokenId),
            ["name"] = account.Name,
            ["pseudonym"] = "",
        });
    }

    private void PublishTrade(SimTrade trade)
    {
        foreach (var status in new[] { "MATCHED", "CONFIRMED" })
        {
            _sink.User(trade.Owner, trade.Window.ConditionId, TradeEvent(trade, status));
        }
    }

    /// <summary>Publishes the new sizes of some price levels of a token, with the mirrored levels of the other token.</summary>
    private void PublishPriceChanges(WindowState state, string tokenId, IEnumerable<(decimal Price, BookSide Side)> changes)
    {
        var levels = changes.Distinct().ToArray();
        if (levels.Length == 0)
        {
            return;
        }

        var window = state.Window;
        var other = window.OppositeOf(tokenId);
        var view = View(state, tokenId);
        var otherView = View(state, other);
        _sink.Market(
            [tokenId, other],
            JsonText.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("market", window.ConditionId);
                w.WriteStartArray("price_changes");
                foreach (var (price, side) in levels)
                {
                    WriteChange(w, view, price, side);
                    WriteChange(w, otherView, 1m - price, side == BookSide.Bid ? BookSide.Ask : BookSide.Bid);
                }

                w.WriteEndArray();
                w.WriteString("timestamp", JsonText.Format(Math.Max(view.TimestampMs, _nowMs)));
                w.WriteString("event_type", "price_change");
                w.WriteEndObject();
            }));
    }

    private static void WriteChange(System.Text.Json.Utf8JsonWriter w, BookView view, decimal price, BookSide side)
    {
        var levels = side == BookSide.Bid ? view.Bids : view.Asks;
        w.WriteStartObject();
        w.WriteString("asset_id", view.AssetId);
        w.WriteDecimalString("price", price);
        w.WriteDecimalString("size", levels.Where(l => l.Price == price).Sum(l => l.Size));
        w.WriteString("side", side == BookSide.Bid ? "BUY" : "SELL");
        w.WriteString("hash", view.Hash);
        w.WriteDecimalString("best_bid", view.BestBid ?? 0m);
        w.WriteDecimalString("best_ask", view.BestAsk ?? 1m);
        w.WriteEndObject();
    }

    private static string LastTradeEvent(MarketWindow window, string tokenId, decimal price, decimal size, Side takerSide, decimal feeRateBps, long timeMs) =>
        JsonText.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("event_type", "last_trade_price");
            w.WriteString("market", window.ConditionId);
            w.WriteString("asset_id", tokenId);
            w.WriteDecimalString("price", price);
            w.WriteDecimalString("size", size);
            w.WriteString("side", takerSide.ToWire());
            w.WriteDecimalString("fee_rate_bps", feeRateBps);
            w.WriteString("timestamp", JsonText.Format(timeMs));
            w.WriteEndObject();
        });

    internal string OrderEvent(SimOrder order, string type) =>
        JsonText.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("event_type", "order");
            w.WriteString("type", type);
            WriteOrderFields(w, order, createdAtAsText: true);
            w.WriteString("order_owner", order.Owner);
            w.WriteString("timestamp", JsonText.Format(_nowMs / 1000));
            w.WriteEndObject();
        });

    /// <summary>Writes the fields an open order shares with a user-channel order event.</summary>
    internal static void WriteOrderFields(System.Text.Json.Utf8JsonWriter w, SimOrder order, bool createdAtAsText)
    {
        w.WriteString("id", order.Id);
        w.WriteString("status", order.Status);
        w.WriteString("owner", order.Owner);
        w.WriteString("maker_address", order.MakerAddress);
        w.WriteString("market", order.Window.ConditionId);
        w.WriteString("asset_id", order.TokenId);
        w.WriteString("side", order.Side.ToWire());
        w.WriteDecimalString("original_size", order.OriginalSize);
        w.WriteDecimalString("size_matched", order.SizeMatched);
        w.WriteDecimalString("price", order.Price);
        w.WriteString("outcome", order.Window.OutcomeOf(order.TokenId));
        w.WriteString("expiration", JsonText.Format(order.Expiration));
        w.WriteString("order_type", order.OrderType.ToWire());
        w.WriteStartArray("associate_trades");
        foreach (var id in order.TradeIds)
        {
            w.WriteStringValue(id);
        }

        w.WriteEndArray();
        if (createdAtAsText)
        {
            w.WriteString("created_at", JsonText.Format(order.CreatedAt));
        }
        else
        {
            w.WriteNumber("created_at", order.CreatedAt);
        }
    }

    internal static string TradeEvent(SimTrade trade, string status) =>
        JsonText.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("event_type", "trade");
            w.WriteString("type", "TRADE");
            WriteTradeFields(w, trade, status);
            w.WriteString("trade_owner", trade.Owner);
            w.WriteEndObject();
        });

    /// <summary>Writes the fields a REST trade shares with a user-channel trade event.</summary>
    internal static void WriteTradeFields(System.Text.Json.Utf8JsonWriter w, SimTrade trade, string status)
    {
        var outcome = trade.Window.OutcomeOf(trade.TokenId);
        w.WriteString("id", trade.Id);
        w.WriteString("taker_order_id", trade.TakerOrderId);
        w.WriteString("market", trade.Window.ConditionId);
        w.WriteString("asset_id", trade.TokenId);
        w.WriteString("side", trade.Side.ToWire());
        w.WriteDecimalString("size", trade.Size);
        w.WriteDecimalString("fee_rate_bps", trade.FeeRateBps);
        w.WriteDecimalString("price", trade.Price);
        w.WriteString("status", status);
        w.WriteString("match_time", JsonText.Format(trade.MatchTime));
        w.WriteString("last_update", JsonText.Format(trade.MatchTime));
        w.WriteString("outcome", outcome);
        w.WriteNumber("bucket_index", 0);
        w.WriteString("owner", trade.Owner);
        w.WriteString("maker_address", trade.MakerAddress);
        w.WriteString("transaction_hash", status == "MATCHED" ? "" : trade.TransactionHash);
        w.WriteString("trader_side", trade.TraderSide);
        w.WriteStartArray("maker_orders");
        foreach (var leg in trade.MakerOrders)
        {
            w.WriteStartObject();
            w.WriteString("order_id", leg.OrderId);
            w.WriteString("owner", leg.Owner);
            w.WriteString("maker_address", leg.MakerAddress);
            w.WriteDecimalString("matched_amount", leg.MatchedAmount);
            w.WriteDecimalString("price", leg.Price);
            w.WriteString("fee_rate_bps", "0");
            w.WriteString("asset_id", trade.TokenId);
            w.WriteString("outcome", outcome);
            w.WriteString("side", leg.Side.ToWire());
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private Account AccountOf(string address)
    {
        if (!_accounts.TryGetValue(address, out var account))
        {
            account = new Account(address, "", _options.InitialBalance, unlimited: false);
            _accounts[address] = account;
        }

        return account;
    }

    /// <summary>The taker fee: shares × rate × (p(1 − p))^exponent, rounded to 5 decimals (§9.3).</summary>
    private static decimal Fee(MarketWindow window, decimal shares, decimal price) =>
        Math.Round(OrderFees.PlatformFee(shares, price, window.FeeRate, window.FeeExponent), 5, MidpointRounding.AwayFromZero);

    private string NextId(string seed)
    {
        var bytes = Executor.Crypto.Keccak256.Hash(Encoding.UTF8.GetBytes(seed + ":" + (++_sequence).ToString(CultureInfo.InvariantCulture)));
        return new Guid(bytes.AsSpan(0, 16)).ToString();
    }

    private static string Hash(string seed) => Hex.Encode(Executor.Crypto.Keccak256.Hash(Encoding.UTF8.GetBytes(seed)));

    private static Side Opposite(Side side) => side == Side.Buy ? Side.Sell : Side.Buy;
}
