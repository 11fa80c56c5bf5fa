namespace PolymarketAlgo.Executor.Streaming;

/// <summary>Exponential backoff with jitter for WebSocket reconnects.</summary>
public sealed record ReconnectPolicy
{
    /// <summary>The delay before the first retry.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The growth factor per failed attempt.</summary>
    public double Multiplier { get; init; } = 2.0;

    /// <summary>Each delay is scaled by a random factor in [1 − JitterRatio, 1 + JitterRatio].</summary>
    public double JitterRatio { get; init; } = 0.2;

    /// <summary>
    /// A connection that stayed up at least this long resets the attempt counter, so the next drop
    /// retries quickly again. (The original toolkit never reset it.)
    /// </summary>
    public TimeSpan HealthyAfter { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>The attempt counter and delay computation of a <see cref="ReconnectPolicy"/>. Not thread-safe.</summary>
public sealed class ReconnectBackoff
{
    private readonly ReconnectPolicy _policy;
    private readonly Random _random;
    private readonly TimeProvider _time;
    private long _connectedAt = -1;

    /// <summary>Creates a backoff.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="timeProvider">The clock that measures how long connections last.</param>
    /// <param name="random">The jitter source; <see cref="Random.Shared"/> when null.</param>
    public ReconnectBackoff(ReconnectPolicy policy, TimeProvider? timeProvider = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfLessThan(policy.Multiplier, 1.0);
        ArgumentOutOfRangeException.ThrowIfNegative(policy.JitterRatio);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(policy.JitterRatio, 1.0);
        _policy = policy;
        _time = timeProvider ?? TimeProvider.System;
        _random = random ?? Random.Shared;
    }

    /// <summary>Failed attempts since the last healthy connection.</summary>
    public int Attempt { get; private set; }

    /// <summary>Call when a connection is established.</summary>
    public void OnConnected() => _connectedAt = _time.GetTimestamp();

    /// <summary>Call when a connection ends; resets the counter if it lasted <see cref="ReconnectPolicy.HealthyAfter"/>.</summary>
    public void OnDisconnected()
    {
        if (_connectedAt >= 0 && _time.GetElapsedTime(_connectedAt) >= _policy.HealthyAfter)
        {
            Attempt = 0;
        }

        _connectedAt = -1;
    }

    /// <summary>The delay before the next attempt, and counts the attempt.</summary>
    /// <returns>The delay.</returns>
    public TimeSpan NextDelay()
    {
        var baseMs = Math.Min(
            _policy.MaxDelay.TotalMilliseconds,
            _policy.InitialDelay.TotalMilliseconds * Math.Pow(_policy.Multiplier, Math.Min(Attempt, 64))
        );
        Attempt++;
        var jitter = 1.0 + _policy.JitterRatio * (2.0 * _random.NextDouble() - 1.0);
        return TimeSpan.FromMilliseconds(Math.Min(_policy.MaxDelay.TotalMilliseconds, baseMs * jitter));
    }
}

/// <summary>Connection settings shared by the WebSocket clients.</summary>
public record WebSocketClientOptions
{
    /// <summary>The WebSocket URL.</summary>
    public required Uri Url { get; init; }

    /// <summary>The text sent as an application keep-alive, or null for none (the CLOB wants "PING").</summary>
    public string? PingText { get; init; } = "PING";

    /// <summary>How often the keep-alive is sent (the CLOB asks for 10 s).</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Reconnect when nothing (not even a PONG) arrived for this long.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Give up a connect attempt after this long.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the maintenance loop runs (keep-alive, stall and book checks).</summary>
    public TimeSpan MaintenanceInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Reconnect backoff.</summary>
    public ReconnectPolicy Reconnect { get; init; } = new();

    /// <summary>A message larger than this drops the connection (protects memory).</summary>
    public int MaxMessageBytes { get; init; } = 16 * 1024 * 1024;
}
