using Microsoft.Extensions.Logging;
using PolymarketAlgo.Executor.Crypto;
using PolymarketAlgo.Executor.Http;
using PolymarketAlgo.Executor.Orders;
using PolymarketAlgo.Executor.Resilience;
using PolymarketAlgo.Executor.Secrets;

namespace PolymarketAlgo.Executor.Configuration;

/// <summary>
/// Every setting of PolymarketAlgo in one typed place, with the original toolkit's defaults (its
/// <c>config.py</c>). Bind it with <see cref="AlgoConfiguration.Load"/> from <c>appsettings.json</c>, <c>.env</c>,
/// the environment and command-line overrides; each property documents its key. Money is <see cref="decimal"/>.
/// <see cref="ToString"/> never shows the private key.
/// </summary>
public sealed class AlgoOptions
{
    /// <summary><c>CLOB_API</c>: the CLOB REST base URL.</summary>
    public Uri ClobApi { get; set; } = new("https://clob.polymarket.com");

    /// <summary><c>GAMMA_API</c>: the Gamma (market metadata) REST base URL.</summary>
    public Uri GammaApi { get; set; } = new("https://gamma-api.polymarket.com");

    /// <summary><c>DATA_API</c>: the Data API (wallet activity, positions) base URL.</summary>
    public Uri DataApi { get; set; } = new("https://data-api.polymarket.com");

    /// <summary><c>WS_CLOB_URL</c>: the market channel WebSocket URL.</summary>
    public Uri WsClobUrl { get; set; } = new("wss://ws-subscriptions-clob.polymarket.com/ws/market");

    /// <summary><c>WS_USER_URL</c>: the user channel WebSocket URL.</summary>
    public Uri WsUserUrl { get; set; } = new("wss://ws-subscriptions-clob.polymarket.com/ws/user");

    /// <summary><c>CHAIN_ID</c>: 137 (Polygon) or 80002 (Amoy).</summary>
    public long ChainId { get; set; } = 137;

    /// <summary>
    /// <c>PRIVATE_KEY</c> (or <c>POLYMARKET_PRIVATE_KEY</c>, which the order commands read): the Polygon wallet key
    /// (64 hex digits), needed for live trading only.
    /// </summary>
    public PrivateKey? PrivateKey { get; set; }

    /// <summary><c>SIGNATURE_TYPE</c>: 0 EOA, 1 Polymarket proxy (Magic), 2 Gnosis Safe, 3 ERC-1271 deposit wallet.</summary>
    public SignatureType SignatureType { get; set; } = SignatureType.Eoa;

    /// <summary><c>FUNDER_ADDRESS</c>: the proxy or Safe that holds the funds; required unless the signature type is EOA.</summary>
    public Address? FunderAddress { get; set; }

    /// <summary><c>PAPER_TRADE</c>: paper trading (the default) instead of real orders.</summary>
    public bool PaperTrade { get; set; } = true;

    /// <summary><c>STREAK_TRIGGER</c>: the streak length that fires the streak bot (at least 2).</summary>
    public int StreakTrigger { get; set; } = 4;

    /// <summary><c>BET_AMOUNT</c>: dollars per bet.</summary>
    public decimal BetAmount { get; set; } = 5m;

    /// <summary><c>MIN_BET</c>: the smallest bet in dollars.</summary>
    public decimal MinBet { get; set; } = 1m;

    /// <summary><c>MAX_DAILY_BETS</c>: bets per UTC day before the bot stops.</summary>
    public int MaxDailyBets { get; set; } = 100;

    /// <summary><c>MAX_DAILY_LOSS</c>: dollars lost per UTC day before the bot stops.</summary>
    public decimal MaxDailyLoss { get; set; } = 50m;

    /// <summary><c>ENTRY_SECONDS_BEFORE</c>: how long before a 5-minute window opens the bot enters (1–299 seconds).</summary>
    public int EntrySecondsBefore { get; set; } = 30;

    /// <summary><c>COPY_WALLETS</c>: the wallets to copy, comma-separated.</summary>
    public IReadOnlyList<Address> CopyWallets { get; set; } = [];

    /// <summary><c>COPY_POLL_INTERVAL</c>: seconds between polls of the copied wallets' activity.</summary>
    public TimeSpan CopyPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>USE_WEBSOCKET</c>: stream books and fills instead of polling.</summary>
    public bool UseWebsocket { get; set; } = true;

    /// <summary><c>FAST_POLL_INTERVAL</c>: seconds between fast polls when not streaming.</summary>
    public TimeSpan FastPollInterval { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// <c>REST_TIMEOUT</c>: seconds before one REST attempt times out; null keeps the REST clients' own default
    /// (<see cref="HostResilienceOptions.AttemptTimeout"/>). The original's circuit-breaker threshold and
    /// requests-per-minute keys have no counterpart: the clients use a failure ratio and Polymarket's documented
    /// per-endpoint limits instead.
    /// </summary>
    public TimeSpan? RestTimeout { get; set; }

    /// <summary><c>REST_RETRIES</c>: retries of a failed REST call (0 = none); null keeps the clients' default.</summary>
    public int? RestRetries { get; set; }

    /// <summary><c>CIRCUIT_BREAKER_RECOVERY_TIME</c>: seconds an open circuit stays open; null keeps the clients' default.</summary>
    public TimeSpan? CircuitBreakerRecoveryTime { get; set; }

    /// <summary><c>LOG_LEVEL</c>: DEBUG, INFO, WARNING, ERROR or CRITICAL (or a .NET level name).</summary>
    public LogLevel LogLevel { get; set; } = LogLevel.Information;

    /// <summary><c>DELAY_MODEL_BASE_COEF</c>: the copy-delay impact model's base coefficient.</summary>
    public double DelayModelBaseCoef { get; set; } = 0.8;

    /// <summary><c>DELAY_MODEL_MAX_IMPACT</c>: the impact cap in percent.</summary>
    public double DelayModelMaxImpact { get; set; } = 10.0;

    /// <summary><c>DELAY_MODEL_BASELINE_SPREAD</c>: the spread the model treats as normal.</summary>
    public double DelayModelBaselineSpread { get; set; } = 0.02;

    /// <summary>
    /// <c>SELECTIVE_FILTER</c>: gate copied trades through the selective filter. On by default here (the original's
    /// default was off), as the copy bot runs it.
    /// </summary>
    public bool SelectiveFilter { get; set; } = true;

    /// <summary><c>SELECTIVE_MAX_DELAY_MS</c>: the largest copy delay accepted, in milliseconds.</summary>
    public int SelectiveMaxDelayMs { get; set; } = 20000;

    /// <summary><c>SELECTIVE_MIN_FILL_PRICE</c>: the lowest fill price accepted (0–1).</summary>
    public double SelectiveMinFillPrice { get; set; } = 0.55;

    /// <summary><c>SELECTIVE_MAX_FILL_PRICE</c>: the highest fill price accepted (0–1).</summary>
    public double SelectiveMaxFillPrice { get; set; } = 0.80;

    /// <summary><c>SELECTIVE_MAX_PRICE_MOVEMENT_PCT</c>: the largest price move since the copied fill, in percent.</summary>
    public double SelectiveMaxPriceMovementPct { get; set; } = 15.0;

    /// <summary><c>SELECTIVE_MAX_SPREAD</c>: the widest spread accepted.</summary>
    public double SelectiveMaxSpread { get; set; } = 0.025;

    /// <summary><c>SELECTIVE_MAX_VOLATILITY_FACTOR</c>: the largest volatility relative to normal.</summary>
    public double SelectiveMaxVolatilityFactor { get; set; } = 1.25;

    /// <summary><c>SELECTIVE_MIN_DEPTH_AT_BEST</c>: the least depth at the best price, in dollars.</summary>
    public double SelectiveMinDepthAtBest { get; set; } = 5.0;

    /// <summary>
    /// REST client options from these settings: the three base URLs, and the timeout, retries and circuit break
    /// duration for every host when they are set (the clients' documented defaults otherwise).
    /// </summary>
    /// <returns>New options for <c>AddPolymarketRest</c> or the clients.</returns>
    public PolymarketApiOptions ToApiOptions()
    {
        var api = new PolymarketApiOptions { ClobUrl = ClobApi, GammaUrl = GammaApi, DataApiUrl = DataApi };
        foreach (var host in new[] { api.Resilience.Clob, api.Resilience.Gamma, api.Resilience.DataApi })
        {
            host.AttemptTimeout = RestTimeout ?? host.AttemptTimeout;
            host.MaxRetryAttempts = RestRetries ?? host.MaxRetryAttempts;
            host.CircuitBreakDuration = CircuitBreakerRecoveryTime ?? host.CircuitBreakDuration;
        }

        return api;
    }

    /// <summary>A one-line summary that never shows the private key.</summary>
    /// <returns>The summary.</returns>
    public override string ToString() =>
        $"AlgoOptions(clob={ClobApi}, paper={PaperTrade}, private_key={(PrivateKey is null ? "not set" : "<redacted>")})";
}
