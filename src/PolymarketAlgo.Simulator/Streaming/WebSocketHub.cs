using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using PolymarketAlgo.Simulator.Auth;
using PolymarketAlgo.Simulator.Exchange;

namespace PolymarketAlgo.Simulator.Streaming;

/// <summary>
/// The market and user WebSocket channels (§8.1, §8.2): tracks connections and their subscriptions, fans the
/// exchange's messages out to them through bounded per-connection queues, answers <c>PING</c> with <c>PONG</c>,
/// and can drop every connection (fault injection).
/// </summary>
public sealed class WebSocketHub : ISimEventSink
{
    private readonly Lock _gate = new();
    private readonly List<Connection> _connections = [];
    private readonly int _queueLimit;
    private SimExchange? _exchange;
    private ApiKeyRegistry? _keys;

    /// <summary>Creates a hub.</summary>
    /// <param name="queueLimit">The most frames queued per connection before it is closed as a slow consumer.</param>
    public WebSocketHub(int queueLimit) => _queueLimit = queueLimit;

    /// <summary>The number of open connections.</summary>
    public int ConnectionCount
    {
        get
        {
            lock (_gate)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>Connects the hub to the exchange (for initial books) and the key registry (for user auth).</summary>
    /// <param name="exchange">The exchange.</param>
    /// <param name="keys">The API keys.</param>
    public void Attach(SimExchange exchange, ApiKeyRegistry keys)
    {
        _exchange = exchange ?? throw new ArgumentNullException(nameof(exchange));
        _keys = keys ?? throw new ArgumentNullException(nameof(keys));
    }

    /// <inheritdoc />
    public void Market(IReadOnlyList<string> assetIds, string json)
    {
        foreach (var connection in Snapshot())
        {
            if (connection.ApiKey is null && connection.Follows(assetIds))
            {
                connection.Enqueue(json);
            }
        }
    }

    /// <inheritdoc />
    public bool IsFollowed(string assetId) => Snapshot().Any(c => c.ApiKey is null && c.Follows([assetId]));

    /// <inheritdoc />
    public void User(string apiKey, string conditionId, string json)
    {
        foreach (var connection in Snapshot())
        {
            if (connection.ApiKey == apiKey && connection.FollowsMarket(conditionId))
            {
                connection.Enqueue(json);
            }
        }
    }

    /// <summary>Aborts every open connection (the clients see the socket drop).</summary>
    /// <returns>How many connections were dropped.</returns>
    public int DropAll()
    {
        var all = Snapshot();
        foreach (var connection in all)
        {
            connection.Abort();
        }

        return all.Length;
    }

    /// <summary>Serves one market-channel connection until it closes.</summary>
    /// <param name="socket">The accepted socket.</param>
    /// <param name="cancellationToken">Stops serving.</param>
    /// <returns>A task.</returns>
    public Task RunMarketAsync(WebSocket socket, CancellationToken cancellationToken) => RunAsync(socket, user: false, cancellationToken);

    /// <summary>Serves one user-channel connection until it closes.</summary>
    /// <param name="socket">The accepted socket.</param>
    /// <param name="cancellationToken">Stops serving.</param>
    /// <returns>A task.</returns>
    public Task RunUserAsync(WebSocket socket, CancellationToken cancellationToken) => RunAsync(socket, user: true, cancellationToken);

    private Connection[] Snapshot()
    {
        lock (_gate)
        {
            return _connections.ToArray();
        }
    }

    private async Task RunAsync(WebSocket socket, bool user, CancellationToken cancellationToken)
    {
        var connection = new Connection(socket, _queueLimit);
        lock (_gate)
        {
            _connections.Add(connection);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connection.Aborted);
        var sender = SendLoopAsync(connection, stop.Token);
        try
        {
            await ReceiveLoopAsync(connection, user, stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or JsonException)
        {
            // The client went away, the server is stopping, or the socket was dropped on purpose.
        }
        finally
        {
            lock (_gate)
            {
                _connections.Remove(connection);
            }

            await stop.CancelAsync().ConfigureAwait(false);
            connection.Complete();
            await sender.ConfigureAwait(false);
            if (socket.State == WebSocketState.Open && !connection.Aborted.IsCancellationRequested)
            {
                try
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).ConfigureAwait(false);
                }
                catch (WebSocketException)
                {
                    // Already gone.
                }
            }
        }
    }

    private async Task ReceiveLoopAsync(Connection connection, bool user, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        var socket = connection.Socket;
        while (socket.State == WebSocketState.Open)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage)
            {
                continue;
            }

            var text = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            message.SetLength(0);
            if (text == "PING")
            {
                connection.Enqueue("PONG");
            }
            else if (user)
            {
                if (!HandleUserFrame(connection, text))
                {
                    await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "invalid auth", cancellationToken).ConfigureAwait(false);
                    return;
                }
            }
            else
            {
                HandleMarketFrame(connection, text);
            }
        }
    }

    private void HandleMarketFrame(Connection connection, string text)
    {
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        var assets = Strings(root, "assets_ids");
        var operation = root.TryGetProperty("operation", out var op) ? op.GetString() : root.TryGetProperty("type", out _) ? "subscribe" : null;
        if (operation == "unsubscribe")
        {
            connection.Remove(assets);
            return;
        }

        if (operation != "subscribe" || _exchange is null)
        {
            return;
        }

        // Under the exchange lock: no live message can slip between the subscription and its initial books.
        _exchange.Synchronized(books =>
        {
            var added = connection.Add(assets);
            var dump = added.Select(books).OfType<BookView>().ToArray();
            if (dump.Length > 0)
            {
                connection.Enqueue("[" + string.Join(",", dump.Select(b => b.ToJson(asEvent: true))) + "]");
            }
        });
    }

    private bool HandleUserFrame(Connection connection, string text)
    {
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        if (root.TryGetProperty("auth", out var auth))
        {
            var apiKey = auth.TryGetProperty("apiKey", out var k) ? k.GetString() : null;
            var secret = auth.TryGetProperty("secret", out var s) ? s.GetString() : null;
            var passphrase = auth.TryGetProperty("passphrase", out var p) ? p.GetString() : null;
            if (_keys is null || !_keys.TryGet(apiKey, out var record) || record.Secret != secret || record.Passphrase != passphrase)
            {
                return false;
            }

            connection.ApiKey = record.ApiKey;
            connection.AddMarkets(Strings(root, "markets"));
            return true;
        }

        if (connection.ApiKey is null)
        {
            return false;
        }

        var operation = root.TryGetProperty("operation", out var op) ? op.GetString() : null;
        if (operation == "subscribe")
        {
            connection.AddMarkets(Strings(root, "markets"));
        }
        else if (operation == "unsubscribe")
        {
            connection.RemoveMarkets(Strings(root, "markets"));
        }

        return true;
    }

    private static string[] Strings(JsonElement root, string name) =>
        root.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(e => e.GetString()).OfType<string>().ToArray()
            : [];

    private static async Task SendLoopAsync(Connection connection, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var text in connection.Queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await connection.Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection ended.
        }
    }

    private sealed class Connection(WebSocket socket, int queueLimit)
    {
        private readonly Lock _gate = new();
        private readonly HashSet<string> _assets = new(StringComparer.Ordinal);
        private readonly HashSet<string> _markets = new(StringComparer.OrdinalIgnoreCase);
        private readonly CancellationTokenSource _aborted = new();

        public WebSocket Socket { get; } = socket;

        public Channel<string> Queue { get; } = Channel.CreateBounded<string>(new BoundedChannelOptions(queueLimit) { SingleReader = true });

        public CancellationToken Aborted => _aborted.Token;

        public string? ApiKey { get; set; }

        public bool Follows(IReadOnlyList<string> assetIds)
        {
            lock (_gate)
            {
                return assetIds.Any(_assets.Contains);
            }
        }

        public bool FollowsMarket(string conditionId)
        {
            lock (_gate)
            {
                return _markets.Count == 0 || _markets.Contains(conditionId);
            }
        }

        public string[] Add(IEnumerable<string> assetIds)
        {
            lock (_gate)
            {
                return assetIds.Where(_assets.Add).ToArray();
            }
        }

        public void Remove(IEnumerable<string> assetIds)
        {
            lock (_gate)
            {
                _assets.ExceptWith(assetIds);
            }
        }

        public void AddMarkets(IEnumerable<string> conditionIds)
        {
            lock (_gate)
            {
                _markets.UnionWith(conditionIds);
            }
        }

        public void RemoveMarkets(IEnumerable<string> conditionIds)
        {
            lock (_gate)
            {
                _markets.ExceptWith(conditionIds);
            }
        }

        public void Enqueue(string text)
        {
            if (!Queue.Writer.TryWrite(text))
            {
                // A slow consumer: close it rather than buffer without bound.
                Abort();
            }
        }

        public void Complete() => Queue.Writer.TryComplete();

        public void Abort()
        {
            _aborted.Cancel();
            Socket.Abort();
        }
    }
}
