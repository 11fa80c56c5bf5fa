using PolymarketAlgo.Executor.Http;

namespace PolymarketAlgo.Executor.Resilience;

/// <summary>A sliding-window limit: at most <see cref="PermitLimit"/> requests in any <see cref="Window"/>.</summary>
public sealed class RateLimitBucket
{
    /// <summary>A name for logs and diagnostics, e.g. <c>clob.book</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>Requests allowed per window.</summary>
    public int PermitLimit { get; set; }

    /// <summary>The window length.</summary>
    public TimeSpan Window { get; set; }

    /// <summary>How many segments the window slides in (the window must divide evenly into them).</summary>
    public int SegmentsPerWindow { get; set; } = 10;

    /// <summary>The endpoint groups (<see cref="EndpointGroups"/>) this bucket limits; empty means every request to the host.</summary>
    public List<string> Groups { get; set; } = [];

    /// <summary>A bucket of <paramref name="permits"/> per <paramref name="window"/> over <paramref name="groups"/>.</summary>
    public static RateLimitBucket Of(string name, int permits, TimeSpan window, params string[] groups) =>
        new()
        {
            Name = name,
            PermitLimit = permits,
            Window = window,
            Groups = [.. groups],
        };
}

/// <summary>Resilience settings of one host: timeouts, retry, circuit breaker and client-side rate limits.</summary>
public sealed class HostResilienceOptions
{
    /// <summary>Time limit of one attempt, including reading the body.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time limit of the whole call: queueing for a rate-limit permit, every attempt and every retry delay.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries after the first attempt (0 disables retrying).</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first exponential backoff delay (jittered); later delays grow from it.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest backoff delay.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest server Retry-After the client will wait out; a longer one fails the call as rate limited.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Share of failed calls in the sampling window that opens the circuit.</summary>
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>Calls needed in the sampling window before the circuit may open.</summary>
    public int CircuitMinimumThroughput { get; set; } = 10;

    /// <summary>The circuit breaker's sampling window.</summary>
    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the circuit stays open before a trial call is let through.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Whether the client-side rate limiter runs.</summary>
    public bool RateLimitingEnabled { get; set; } = true;

    /// <summary>Requests that may wait for a permit per bucket; beyond this a call fails as rate limited.</summary>
    public int RateLimitQueueLimit { get; set; } = 10_000;

    /// <summary>The sliding-window buckets; by default Polymarket's documented Cloudflare limits (protocol reference §9.1).</summary>
    public List<RateLimitBucket> RateLimits { get; set; } = [];
}

/// <summary>Resilience settings for the three hosts, defaulting to the documented limits of protocol reference §9.</summary>
public sealed class PolymarketResilienceOptions
{
    private static readonly TimeSpan TenSeconds = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan TenMinutes = TimeSpan.FromMinutes(10);

    /// <summary>CLOB settings.</summary>
    public HostResilienceOptions Clob { get; set; } = new() { RateLimits = ClobLimits() };

    /// <summary>Gamma settings.</summary>
    public HostResilienceOptions Gamma { get; set; } = new() { RateLimits = GammaLimits() };

    /// <summary>Data API settings.</summary>
    public HostResilienceOptions DataApi { get; set; } = new() { RateLimits = DataApiLimits() };

    /// <summary>The settings of <paramref name="host"/>.</summary>
    public HostResilienceOptions For(PolymarketHost host) =>
        host switch
        {
            PolymarketHost.Clob => Clob,
            PolymarketHost.Gamma => Gamma,
            PolymarketHost.DataApi => DataApi,
            _ => throw new ArgumentOutOfRangeException(nameof(host), host, "unknown Polymarket host"),
        };

    /// <summary>The CLOB's documented limits (§9.1): general, market data, ledger, balance and trading (burst and sustained).</summary>
    public static List<RateLimitBucket> ClobLimits() =>
    [
        RateLimitBucket.Of("clob.general", 9_000, TenSeconds),
        RateLimitBucket.Of(EndpointGroups.ClobBook, 1_500, TenSeconds, EndpointGroups.ClobBook),
        RateLimitBucket.Of(EndpointGroups.ClobPrice, 1_500, TenSeconds, EndpointGroups.ClobPrice),
        RateLimitBucket.Of(EndpointGroups.ClobMidpoint, 1_500, TenSeconds, EndpointGroups.ClobMidpoint),
        RateLimitBucket.Of(EndpointGroups.ClobBooks, 500, TenSeconds, EndpointGroups.ClobBooks),
        RateLimitBucket.Of(EndpointGroups.ClobPrices, 500, TenSeconds, EndpointGroups.ClobPrices),
        RateLimitBucket.Of(EndpointGroups.ClobMidpoints, 500, TenSeconds, EndpointGroups.ClobMidpoints),
        RateLimitBucket.Of(EndpointGroups.ClobPricesHistory, 1_000, TenSeconds, EndpointGroups.ClobPricesHistory),
        RateLimitBucket.Of(EndpointGroups.ClobTickSize, 200, TenSeconds, EndpointGroups.ClobTickSize),
        RateLimitBucket.Of(EndpointGroups.ClobBalanceAllowance, 200, TenSeconds, EndpointGroups.ClobBalanceAllowance),
        RateLimitBucket.Of(EndpointGroups.ClobBalanceAllowanceUpdate, 50, TenSeconds, EndpointGroups.ClobBalanceAllowanceUpdate),
        RateLimitBucket.Of(EndpointGroups.ClobLedger, 900, TenSeconds, EndpointGroups.ClobLedger),
        RateLimitBucket.Of(EndpointGroups.ClobDataOrders, 500, TenSeconds, EndpointGroups.ClobDataOrders),
        RateLimitBucket.Of(EndpointGroups.ClobDataTrades, 500, TenSeconds, EndpointGroups.ClobDataTrades),
        RateLimitBucket.Of("clob.post-order.burst", 3_500, TenSeconds, EndpointGroups.ClobPostOrder),
        RateLimitBucket.Of("clob.post-order.sustained", 36_000, TenMinutes, EndpointGroups.ClobPostOrder),
        RateLimitBucket.Of("clob.cancel-order.burst", 3_000, TenSeconds, EndpointGroups.ClobCancelOrder),
        RateLimitBucket.Of("clob.cancel-order.sustained", 30_000, TenMinutes, EndpointGroups.ClobCancelOrder),
        RateLimitBucket.Of("clob.post-orders.burst", 1_000, TenSeconds, EndpointGroups.ClobPostOrders),
        RateLimitBucket.Of("clob.post-orders.sustained", 15_000, TenMinutes, EndpointGroups.ClobPostOrders),
        RateLimitBucket.Of("clob.cancel-orders.burst", 1_000, TenSeconds, EndpointGroups.ClobCancelOrders),
        RateLimitBucket.Of("clob.cancel-orders.sustained", 15_000, TenMinutes, EndpointGroups.ClobCancelOrders),
    ];

    /// <summary>Gamma's documented limits (§9.1): general, <c>/events</c>, <c>/markets</c> and their shared listing limit.</summary>
    public static List<RateLimitBucket> GammaLimits() =>
    [
        RateLimitBucket.Of("gamma.general", 4_000, TenSeconds),
        RateLimitBucket.Of(EndpointGroups.GammaEvents, 500, TenSeconds, EndpointGroups.GammaEvents),
        RateLimitBucket.Of(EndpointGroups.GammaMarkets, 300, TenSeconds, EndpointGroups.GammaMarkets),
        RateLimitBucket.Of("gamma.listing", 900, TenSeconds, EndpointGroups.GammaEvents, EndpointGroups.GammaMarkets),
    ];

    /// <summary>The Data API's documented limits (§9.1): general, <c>/trades</c> and <c>/positions</c>.</summary>
    public static List<RateLimitBucket> DataApiLimits() =>
    [
        RateLimitBucket.Of("data.general", 1_000, TenSeconds),
        RateLimitBucket.Of(EndpointGroups.DataTrades, 200, TenSeconds, EndpointGroups.DataTrades),
        RateLimitBucket.Of(EndpointGroups.DataPositions, 150, TenSeconds, EndpointGroups.DataPositions),
    ];
}
