using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace PolymarketAlgo.Executor.Onchain;

/// <summary>The on-chain facts of one Polygon transaction.</summary>
/// <param name="Hash">The transaction hash.</param>
/// <param name="BlockNumber">The block it was mined in.</param>
/// <param name="GasUsed">Gas used.</param>
/// <param name="EffectiveGasPrice">The price paid per gas, in wei.</param>
/// <param name="FeePol">gasUsed × effectiveGasPrice / 1e18, in POL.</param>
/// <param name="Success">The receipt's status (0x1).</param>
/// <param name="Timestamp">The block's time.</param>
public sealed record OnchainTransaction(
    string Hash,
    long BlockNumber,
    long GasUsed,
    BigInteger EffectiveGasPrice,
    decimal FeePol,
    bool Success,
    DateTimeOffset? Timestamp
);

/// <summary>
/// An Etherscan v2 client for Polygon (chain 137): transaction, receipt and block through the proxy module
/// (<c>GET {base}/v2/api?chainid=137&amp;module=proxy&amp;action=...&amp;apikey=...</c>). Results are cached and calls
/// spaced by a minimum interval (the free tier allows a few calls a second).
/// </summary>
public sealed class EtherscanClient
{
    /// <summary>The public Etherscan API host.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://api.etherscan.io/");

    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly string _apiKey;
    private readonly TimeProvider _time;
    private readonly TimeSpan _minInterval;
    private readonly ConcurrentDictionary<string, OnchainTransaction?> _cache = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset _last = DateTimeOffset.MinValue;

    /// <summary>Creates the client.</summary>
    /// <param name="http">The HTTP client.</param>
    /// <param name="apiKey">The API key (never logged).</param>
    /// <param name="baseUrl">The API host; <see cref="DefaultBaseUrl"/> when null.</param>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    /// <param name="minInterval">The least time between calls; 250 ms when null.</param>
    public EtherscanClient(
        HttpClient http,
        string apiKey,
        Uri? baseUrl = null,
        TimeProvider? timeProvider = null,
        TimeSpan? minInterval = null
    )
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        _apiKey = apiKey;
        var b = baseUrl ?? DefaultBaseUrl;
        _base = b.AbsoluteUri.EndsWith('/') ? b : new Uri(b.AbsoluteUri + "/");
        _time = timeProvider ?? TimeProvider.System;
        _minInterval = minInterval ?? TimeSpan.FromMilliseconds(250);
    }

    /// <summary>How many HTTP calls were made.</summary>
    public int Calls { get; private set; }

    /// <summary>
    /// A client from configuration: the key from <c>ETHERSCAN_API_KEY</c> or else <c>POLYGONSCAN_API_KEY</c>, the host
    /// from <c>ETHERSCAN_BASE_URL</c>; null (the feature off) when no key is set.
    /// </summary>
    /// <param name="http">The HTTP client.</param>
    /// <param name="settings">Configuration values by name.</param>
    /// <returns>The client, or null.</returns>
    public static EtherscanClient? FromSettings(HttpClient http, Func<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var key = settings("ETHERSCAN_API_KEY");
        if (string.IsNullOrWhiteSpace(key))
        {
            key = settings("POLYGONSCAN_API_KEY");
        }

        if (string.IsNullOrWhiteSpace(key))
        {
            return null;
        }

        var url = settings("ETHERSCAN_BASE_URL");
        return new EtherscanClient(http, key.Trim(), string.IsNullOrWhiteSpace(url) ? null : new Uri(url));
    }

    /// <summary>The transaction's receipt facts and block time; null when the chain does not know it (yet).</summary>
    /// <param name="hash">The transaction hash (0x…).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The facts.</returns>
    public async Task<OnchainTransaction?> GetTransactionAsync(string hash, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hash);
        if (_cache.TryGetValue(hash, out var cached))
        {
            return cached;
        }

        using var receipt = await CallAsync($"action=eth_getTransactionReceipt&txhash={Uri.EscapeDataString(hash)}", cancellationToken)
            .ConfigureAwait(false);
        if (receipt.RootElement.TryGetProperty("result", out var r) is false || r.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var block = Hex(r, "blockNumber");
        var gasUsed = Hex(r, "gasUsed");
        BigInteger price;
        if (r.TryGetProperty("effectiveGasPrice", out _))
        {
            price = Hex(r, "effectiveGasPrice");
        }
        else
        {
            using var tx = await CallAsync($"action=eth_getTransactionByHash&txhash={Uri.EscapeDataString(hash)}", cancellationToken)
                .ConfigureAwait(false);
            price = Hex(tx.RootElement.GetProperty("result"), "gasPrice");
        }

        DateTimeOffset? at = null;
        using (var b = await CallAsync($"action=eth_getBlockByNumber&tag=0x{block:x}&boolean=false", cancellationToken).ConfigureAwait(false))
        {
            if (b.RootElement.TryGetProperty("result", out var br) && br.ValueKind == JsonValueKind.Object)
            {
                at = DateTimeOffset.FromUnixTimeSeconds((long)Hex(br, "timestamp"));
            }
        }

        var info = new OnchainTransaction(
            hash,
            (long)block,
            (long)gasUsed,
            price,
            FeeOf(gasUsed, price),
            Hex(r, "status") == BigInteger.One,
            at
        );
        _cache[hash] = info;
        return info;
    }

    /// <summary>gasUsed × effectiveGasPrice / 1e18: the fee in POL.</summary>
    /// <param name="gasUsed">Gas used.</param>
    /// <param name="effectiveGasPrice">Wei per gas.</param>
    /// <returns>The fee in POL.</returns>
    public static decimal FeeOf(BigInteger gasUsed, BigInteger effectiveGasPrice) =>
        (decimal)(gasUsed * effectiveGasPrice) / 1_000_000_000_000_000_000m;

    private async Task<JsonDocument> CallAsync(string query, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var wait = _last + _minInterval - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }

            _last = _time.GetUtcNow();
            Calls++;
            var uri = new Uri(_base, $"v2/api?chainid=137&module=proxy&{query}&apikey={Uri.EscapeDataString(_apiKey)}");
            using var response = await _http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var doc = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (doc.RootElement.TryGetProperty("error", out var error))
            {
                var message = error.TryGetProperty("message", out var m) ? m.GetString() : error.ToString();
                doc.Dispose();
                throw new InvalidOperationException($"Etherscan error: {message}");
            }

            return doc;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static BigInteger Hex(JsonElement element, string name)
    {
        var text = element.GetProperty(name).GetString() ?? throw new InvalidOperationException($"{name} is null");
        var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        return BigInteger.Parse("0" + digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
