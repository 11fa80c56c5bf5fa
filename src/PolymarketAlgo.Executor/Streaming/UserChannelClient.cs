using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PolymarketAlgo.Executor.Streaming;

/// <summary>The API credentials the user channel sends in its first frame. <see cref="ToString"/> hides them.</summary>
/// <param name="ApiKey">The API key (a UUID).</param>
/// <param name="Secret">The API secret.</param>
/// <param name="Passphrase">The API passphrase.</param>
public sealed record UserChannelCredentials(string ApiKey, string Secret, string Passphrase)
{
    /// <summary>A redacted description.</summary>
    /// <returns>Text without the secrets.</returns>
    public override string ToString() => "UserChannelCredentials { ApiKey = ***, Secret = ***, Passphrase = *** }";
}

/// <summary>Settings of a <see cref="UserChannelClient"/>.</summary>
public sealed record UserChannelOptions : WebSocketClientOptions
{
    /// <summary>The production user channel.</summary>
    public static readonly Uri DefaultUrl = new("wss://ws-subscriptions-clob.polymarket.com/ws/user");

    /// <summary>Creates options for the production URL.</summary>
    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    public UserChannelOptions() => Url = DefaultUrl;
}

/// <summary>
/// The authenticated CLOB user channel: our order and trade events. Sends
/// <c>{"auth":{"apiKey","secret","passphrase"},"markets":[…],"type":"user"}</c> on every connect
/// (markets are condition ids; empty means all), reconnects with backoff, and raises events.
/// After a reconnect, reconcile orders and trades over REST (<see cref="ReconnectingWebSocketClient.Reconnected"/>).
/// </summary>
public sealed class UserChannelClient : ReconnectingWebSocketClient
{
    private readonly UserChannelCredentials _credentials;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _markets = new(StringComparer.Ordinal);
    private readonly Dispatcher _dispatcher;

    /// <summary>Creates the client.</summary>
    /// <param name="options">Settings.</param>
    /// <param name="credentials">The API credentials.</param>
    /// <param name="markets">Condition ids to follow; all when empty.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="socketFactory">Creates sockets.</param>
    public UserChannelClient(
        UserChannelOptions options,
        UserChannelCredentials credentials,
        IEnumerable<string>? markets = null,
        TimeProvider? timeProvider = null,
        ILogger<UserChannelClient>? logger = null,
        Func<ClientWebSocket>? socketFactory = null
    )
        : base(options, timeProvider, logger ?? (ILogger)NullLogger<UserChannelClient>.Instance, socketFactory)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        _credentials = credentials;
        foreach (var m in markets ?? [])
        {
            _markets.Add(m);
        }

        _dispatcher = new Dispatcher(this);
    }

    /// <summary>Raised for every <c>order</c> event.</summary>
    public event EventHandler<UserOrderEvent>? OrderReceived;

    /// <summary>Raised for every <c>trade</c> event (one per status a trade reaches).</summary>
    public event EventHandler<UserTradeEvent>? TradeReceived;

    /// <summary>The parser (its statistics count frames, events and skips).</summary>
    public MarketMessageParser Parser { get; } = new();

    /// <summary>The followed condition ids.</summary>
    public IReadOnlyList<string> Markets
    {
        get
        {
            lock (_gate)
            {
                return _markets.ToArray();
            }
        }
    }

    /// <summary>Follows more markets; sent now if connected.</summary>
    /// <param name="conditionIds">The condition ids.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task.</returns>
    public Task SubscribeAsync(IEnumerable<string> conditionIds, CancellationToken cancellationToken) =>
        Change("subscribe", conditionIds, cancellationToken);

    /// <summary>Stops following markets.</summary>
    /// <param name="conditionIds">The condition ids.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task.</returns>
    public Task UnsubscribeAsync(IEnumerable<string> conditionIds, CancellationToken cancellationToken) =>
        Change("unsubscribe", conditionIds, cancellationToken);

    /// <summary>The first frame: <c>{"auth":{…},"markets":[…],"type":"user"}</c>. It holds secrets: never log it.</summary>
    /// <param name="credentials">The credentials.</param>
    /// <param name="markets">The condition ids.</param>
    /// <returns>The JSON text.</returns>
    public static string SubscribeMessage(UserChannelCredentials credentials, IEnumerable<string> markets)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return MarketChannelClient.Json(w =>
        {
            w.WriteStartObject("auth");
            w.WriteString("apiKey", credentials.ApiKey);
            w.WriteString("secret", credentials.Secret);
            w.WriteString("passphrase", credentials.Passphrase);
            w.WriteEndObject();
            MarketChannelClient.WriteIds(w, "markets", markets);
            w.WriteString("type", "user");
        });
    }

    /// <inheritdoc />
    protected override Task OnConnectedAsync(bool isReconnect, CancellationToken cancellationToken) =>
        SendTextAsync(SubscribeMessage(_credentials, Markets), cancellationToken);

    /// <inheritdoc />
    protected override void OnTextFrame(ReadOnlySpan<byte> utf8, long receivedMs) => Parser.Parse(utf8, _dispatcher);

    private async Task Change(string operation, IEnumerable<string> conditionIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conditionIds);
        string[] changed;
        lock (_gate)
        {
            changed = operation == "subscribe"
                ? conditionIds.Where(_markets.Add).ToArray()
                : conditionIds.Where(_markets.Remove).ToArray();
        }

        if (changed.Length > 0)
        {
            var text = MarketChannelClient.Json(w =>
            {
                w.WriteString("operation", operation);
                MarketChannelClient.WriteIds(w, "markets", changed);
            });
            await SendTextAsync(text, cancellationToken).ConfigureAwait(false);
        }
    }

    private sealed class Dispatcher(UserChannelClient owner) : MarketEventHandler
    {
        public override void OnOrder(UserOrderEvent order) => owner.OrderReceived?.Invoke(owner, order);

        public override void OnTrade(UserTradeEvent trade) => owner.TradeReceived?.Invoke(owner, trade);
    }
}
