namespace PolymarketAlgo.Data;

/// <summary>Settings of <see cref="BinanceKlinesClient"/>.</summary>
public sealed record BinanceKlinesOptions
{
    /// <summary>Binance's public spot REST endpoint.</summary>
    public const string DefaultBaseUrl = "https://api.binance.com";

    /// <summary>The environment variable that overrides the base URL in <see cref="BinanceKlinesClient.FromEnvironment"/>.</summary>
    public const string BaseUrlVariable = "BINANCE_BASE_URL";

    /// <summary>
    /// The REST endpoint (scheme, host, optional port). When null (the default) the client uses its
    /// HttpClient's BaseAddress, else <see cref="DefaultBaseUrl"/>.
    /// </summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>Bars per request, 1..1000 (Binance's maximum and the default).</summary>
    public int PageSize { get; init; } = 1000;

    /// <summary>Retries of one request after a transient failure (network error, timeout, 429, 418, 5xx); default 6.</summary>
    public int MaxRetryAttempts { get; init; } = 6;

    /// <summary>The first backoff delay, doubled on each retry with jitter; default 1 s.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest backoff delay when the server gives no Retry-After; default 1 minute.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest Retry-After the client waits for; a longer ban (e.g. a 418) fails the request instead. Default 10 minutes.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Binance's request weight budget per minute (X-MBX-USED-WEIGHT-1M); default 6000.</summary>
    public int WeightLimit { get; init; } = 6000;

    /// <summary>
    /// The share of <see cref="WeightLimit"/> at which the client stops until the next minute starts;
    /// default 0.9 (5,400 of 6,000).
    /// </summary>
    public double WeightSlowdownFraction { get; init; } = 0.9;

    /// <summary>The clock used for backoff, Retry-After and weight waits, and to drop bars that have not closed yet.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>These options with <see cref="BaseUrl"/> from the BINANCE_BASE_URL environment variable when it is set.</summary>
    /// <returns>The options, possibly with a new base URL.</returns>
    /// <exception cref="UriFormatException">BINANCE_BASE_URL is not an absolute URL.</exception>
    public BinanceKlinesOptions WithEnvironment()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(BaseUrlVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? this : this with { BaseUrl = new Uri(fromEnvironment, UriKind.Absolute) };
    }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(TimeProvider);
        if (BaseUrl is { IsAbsoluteUri: false })
        {
            throw new ArgumentException("BaseUrl must be absolute", nameof(BaseUrl));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(PageSize, 1, nameof(PageSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PageSize, 1000, nameof(PageSize));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetryAttempts, nameof(MaxRetryAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThan(WeightLimit, 1, nameof(WeightLimit));
        if (WeightSlowdownFraction is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(WeightSlowdownFraction), WeightSlowdownFraction, "must be in (0, 1]");
        }
    }
}

/// <summary>Binance answered with an error that retrying does not fix (a bad symbol, a long ban, a body that is not klines).</summary>
public sealed class BinanceApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="statusCode">The HTTP status, 200 when the body could not be read as klines.</param>
    /// <param name="errorCode">Binance's error code from the body (e.g. -1121 for an invalid symbol), if any.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public BinanceApiException(int statusCode, int? errorCode, string message, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
    }

    /// <summary>The HTTP status.</summary>
    public int StatusCode { get; }

    /// <summary>Binance's error code, if the body carried one.</summary>
    public int? ErrorCode { get; }
}
