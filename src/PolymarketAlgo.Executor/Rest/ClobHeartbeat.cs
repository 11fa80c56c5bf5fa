using Microsoft.Extensions.Logging;
using PolymarketAlgo.Executor.Http;

namespace PolymarketAlgo.Executor.Rest;

/// <summary>
/// The CLOB order heartbeat (dead-man's switch, protocol reference §8.4): once started, the CLOB cancels the
/// API key's orders if no heartbeat arrives within ten seconds. Each beat sends the ID the previous one returned;
/// on an "Invalid Heartbeat ID" reply it resends once with the ID the server expects.
/// </summary>
public sealed class ClobHeartbeat
{
    /// <summary>The documented sending interval (the deadline is ten seconds).</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    private readonly ClobClient _client;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ClobHeartbeat> _logger;

    /// <summary>Creates a heartbeat over <paramref name="client"/> (which needs an authenticator).</summary>
    public ClobHeartbeat(ClobClient client, TimeProvider timeProvider, ILogger<ClobHeartbeat> logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>The ID the next beat sends ("" before the first).</summary>
    public string LastHeartbeatId { get; private set; } = "";

    /// <summary>When the last beat was acknowledged.</summary>
    public DateTimeOffset? LastAcknowledgedAt { get; private set; }

    /// <summary>Sends one heartbeat, resending once with the server's expected ID after a mismatch.</summary>
    /// <exception cref="PolymarketApiException">The beat failed, or the resend was refused too.</exception>
    public async Task<HeartbeatResponse> BeatAsync(CancellationToken cancellationToken = default)
    {
        var reply = await _client.PostHeartbeatAsync(LastHeartbeatId, cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(reply.ErrorMsg) && !string.IsNullOrEmpty(reply.HeartbeatId))
        {
            _logger.LogWarning("heartbeat ID mismatch ({Error}); resending with the expected ID", reply.ErrorMsg);
            reply = await _client.PostHeartbeatAsync(reply.HeartbeatId, cancellationToken).ConfigureAwait(false);
        }

        if (!string.IsNullOrEmpty(reply.ErrorMsg))
        {
            throw new PolymarketApiException(
                PolymarketApiErrorKind.HttpStatus,
                PolymarketHost.Clob,
                "POST",
                "/v1/heartbeats",
                $"heartbeat refused: {reply.ErrorMsg}",
                serverError: reply.ErrorMsg);
        }

        LastHeartbeatId = reply.HeartbeatId;
        LastAcknowledgedAt = _timeProvider.GetUtcNow();
        return reply;
    }

    /// <summary>
    /// Beats every <paramref name="interval"/> until <paramref name="cancellationToken"/> is cancelled; a failed
    /// beat is logged and the loop goes on (the next beat may still arrive before the deadline).
    /// </summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, _timeProvider);
        try
        {
            do
            {
                try
                {
                    await BeatAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (PolymarketApiException e)
                {
                    _logger.LogError("heartbeat failed: {Error}", e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _logger.LogInformation("heartbeat stopped");
        }
    }
}
