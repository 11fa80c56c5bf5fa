using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PolymarketAlgo.Executor.Streaming;

namespace PolymarketAlgo.Executor.Feeds;

/// <summary>Settings of a <see cref="BinanceDataFeed"/>.</summary>
public sealed record BinanceFeedOptions : WebSocketClientOptions
{
    /// <summary>Binance's public combined-stream endpoint.</summary>
    public static readonly Uri DefaultUrl = new("wss://stream.binance.com:9443/stream");

    /// <summary>Creates options for the public endpoint, no app-level ping (Binance pings at the protocol level).</summary>
    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    public BinanceFeedOptions()
    {
        Url = DefaultUrl;
        PingText = null;
        StallTimeout = TimeSpan.FromSeconds(60);
    }

    /// <summary>Subscribe to the trade stream (<c>&lt;symbol&gt;@trade</c>) of each symbol.</summary>
    public bool Trades { get; init; } = true;

    /// <summary>The kline interval to subscribe to (<c>&lt;symbol&gt;@kline_&lt;interval&gt;</c>), or null for none.</summary>
    public string? KlineInterval { get; init; } = "1m";
}

/// <summary>
/// Binance public trade and kline streams behind <see cref="IDataFeed"/>: a trade gives a
/// <c>binance-trade</c> tick (price, quantity, aggressor side), a kline update a
/// <c>binance-kline</c> tick at the candle's current close. Symbols like <c>BTCUSDT</c>.
/// </summary>
public sealed class BinanceDataFeed : ReconnectingWebSocketClient, IDataFeed
{
    private readonly BinanceFeedOptions _options;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _symbols = new(StringComparer.OrdinalIgnoreCase);
    private readonly BackgroundRun _run = new();
    private int _requestId;

    /// <summary>Creates the feed.</summary>
    /// <param name="options">Settings.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="socketFactory">Creates sockets.</param>
    public BinanceDataFeed(
        BinanceFeedOptions options,
        TimeProvider? timeProvider = null,
        ILogger<BinanceDataFeed>? logger = null,
        Func<ClientWebSocket>? socketFactory = null
    )
        : base(options, timeProvider, logger ?? (ILogger)NullLogger<BinanceDataFeed>.Instance, socketFactory)
    {
        _options = options;
    }

    /// <inheritdoc />
    public string Name => "binance-websocket";

    /// <inheritdoc />
    public event EventHandler<PriceTick>? TickReceived;

    /// <summary>Frames that were not a trade or kline event (subscription replies included).</summary>
    public long IgnoredFrames => Interlocked.Read(ref _ignored);

    private long _ignored;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _run.Start(RunAsync, cancellationToken);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync() => _run.StopAsync();

    /// <inheritdoc />
    public async Task SubscribeAsync(string symbol, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        bool added;
        lock (_gate)
        {
            added = _symbols.Add(symbol);
        }

        if (added)
        {
            await SendTextAsync(Request("SUBSCRIBE", StreamsOf([symbol])), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task UnsubscribeAsync(string symbol, CancellationToken cancellationToken)
    {
        bool removed;
        lock (_gate)
        {
            removed = _symbols.Remove(symbol);
        }

        if (removed)
        {
            await SendTextAsync(Request("UNSUBSCRIBE", StreamsOf([symbol])), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>
    /// Parses one Binance stream frame (raw or wrapped as <c>{"stream":…,"data":{…}}</c>) into a tick.
    /// </summary>
    /// <param name="utf8">The frame.</param>
    /// <param name="tick">The tick.</param>
    /// <returns>False for anything that is not a trade or kline event, or malformed.</returns>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out PriceTick? tick)
    {
        tick = null;
        try
        {
            var reader = new Utf8JsonReader(utf8);
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject && ReadEvent(ref reader, out tick);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    protected override Task OnConnectedAsync(bool isReconnect, CancellationToken cancellationToken)
    {
        string[] symbols;
        lock (_gate)
        {
            symbols = _symbols.ToArray();
        }

        return symbols.Length == 0
            ? Task.CompletedTask
            : SendTextAsync(Request("SUBSCRIBE", StreamsOf(symbols)), cancellationToken);
    }

    /// <inheritdoc />
    protected override void OnTextFrame(ReadOnlySpan<byte> utf8, long receivedMs)
    {
        if (TryParse(utf8, out var tick))
        {
            TickReceived?.Invoke(this, tick!);
        }
        else
        {
            Interlocked.Increment(ref _ignored);
        }
    }

    private IEnumerable<string> StreamsOf(IEnumerable<string> symbols)
    {
        foreach (var s in symbols)
        {
            var lower = s.ToLowerInvariant();
            if (_options.Trades)
            {
                yield return lower + "@trade";
            }

            if (_options.KlineInterval is { } interval)
            {
                yield return lower + "@kline_" + interval;
            }
        }
    }

    private string Request(string method, IEnumerable<string> streams) =>
        MarketChannelClient.Json(w =>
        {
            w.WriteString("method", method);
            MarketChannelClient.WriteIds(w, "params", streams);
            w.WriteNumber("id", Interlocked.Increment(ref _requestId));
        });

    /// <summary>Reads an event object (the reader is on its StartObject); unwraps a combined-stream envelope.</summary>
    private static bool ReadEvent(ref Utf8JsonReader reader, out PriceTick? tick)
    {
        tick = null;
        string? type = null,
            symbol = null;
        decimal? price = null,
            quantity = null;
        long eventTime = 0,
            tradeTime = 0;
        bool? buyerIsMaker = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            if (name.SequenceEqual("data"u8))
            {
                reader.Read();
                return reader.TokenType == JsonTokenType.StartObject && ReadEvent(ref reader, out tick);
            }

            if (name.SequenceEqual("k"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    return false;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var kname = reader.ValueSpan;
                    reader.Read();
                    if (kname.SequenceEqual("c"u8))
                    {
                        price = Decimal(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                continue;
            }

            var isE = name.SequenceEqual("e"u8);
            var isS = name.SequenceEqual("s"u8);
            var isP = name.SequenceEqual("p"u8);
            var isQ = name.SequenceEqual("q"u8);
            var isBigE = name.SequenceEqual("E"u8);
            var isT = name.SequenceEqual("T"u8);
            var isM = name.SequenceEqual("m"u8);
            reader.Read();
            if (isE)
            {
                type = reader.GetString();
            }
            else if (isS)
            {
                symbol = reader.GetString();
            }
            else if (isP)
            {
                price = Decimal(ref reader);
            }
            else if (isQ)
            {
                quantity = Decimal(ref reader);
            }
            else if (isBigE && reader.TokenType == JsonTokenType.Number)
            {
                eventTime = reader.GetInt64();
            }
            else if (isT && reader.TokenType == JsonTokenType.Number)
            {
                tradeTime = reader.GetInt64();
            }
            else if (isM && reader.TokenType is JsonTokenType.True or JsonTokenType.False)
            {
                buyerIsMaker = reader.GetBoolean();
            }
            else
            {
                reader.Skip();
            }
        }

        if (symbol is null || price is not { } p)
        {
            return false;
        }

        if (type == "trade")
        {
            var time = tradeTime > 0 ? tradeTime : eventTime;
            // The buyer being the maker means the seller took liquidity.
            TradeSide? side = buyerIsMaker is { } m ? (m ? TradeSide.Sell : TradeSide.Buy) : null;
            tick = new PriceTick(symbol, p, DateTimeOffset.FromUnixTimeMilliseconds(time), quantity, side, "binance-trade");
            return true;
        }

        if (type == "kline")
        {
            tick = new PriceTick(symbol, p, DateTimeOffset.FromUnixTimeMilliseconds(eventTime), null, null, "binance-kline");
            return true;
        }

        return false;
    }

    private static decimal? Decimal(ref Utf8JsonReader reader) =>
        reader.TokenType switch
        {
            JsonTokenType.String when Utf8Numbers.TryParseDecimal(reader.ValueSpan, out var d) => d,
            JsonTokenType.Number when reader.TryGetDecimal(out var d) => d,
            _ => null,
        };
}
