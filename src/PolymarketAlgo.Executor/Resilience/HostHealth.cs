using Polly.CircuitBreaker;
using PolymarketAlgo.Executor.Http;

namespace PolymarketAlgo.Executor.Resilience;

/// <summary>Overall health of a host or of all hosts.</summary>
public enum PolymarketHealthStatus
{
    /// <summary>The circuit is closed and the last call succeeded (or none was made yet).</summary>
    Healthy,

    /// <summary>Calls are going through but the latest ones failed, or the circuit is half-open on trial.</summary>
    Degraded,

    /// <summary>The circuit is open (or isolated): calls fail fast without reaching the host.</summary>
    Unhealthy,
}

/// <summary>A snapshot of one host's health.</summary>
/// <param name="Host">The host.</param>
/// <param name="BaseUrl">Its base URL.</param>
/// <param name="Status">The summary status.</param>
/// <param name="Circuit">The circuit-breaker state.</param>
/// <param name="LastSuccessAt">When the last successful response arrived.</param>
/// <param name="LastFailureAt">When the last failure happened.</param>
/// <param name="LastFailureKind">What the last failure was.</param>
/// <param name="LastFailureMessage">The one-line message of the last failure.</param>
/// <param name="LastLatency">How long the last completed exchange took (request sent to body read).</param>
/// <param name="ConsecutiveFailures">Failures since the last success.</param>
public sealed record HostHealth(
    PolymarketHost Host,
    Uri BaseUrl,
    PolymarketHealthStatus Status,
    CircuitState Circuit,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? LastFailureAt,
    PolymarketApiErrorKind? LastFailureKind,
    string? LastFailureMessage,
    TimeSpan? LastLatency,
    int ConsecutiveFailures);

/// <summary>The health of every host at one moment.</summary>
/// <param name="Status">The worst host status.</param>
/// <param name="CheckedAt">When the snapshot was taken.</param>
/// <param name="Hosts">One entry per host, in <see cref="PolymarketHost"/> order.</param>
public sealed record PolymarketHealthReport(PolymarketHealthStatus Status, DateTimeOffset CheckedAt, IReadOnlyList<HostHealth> Hosts)
{
    /// <summary>The entry of <paramref name="host"/>.</summary>
    public HostHealth this[PolymarketHost host] => Hosts.First(h => h.Host == host);
}

/// <summary>Records the outcomes of one host's calls for the health check. Thread-safe.</summary>
public sealed class HostHealthTracker
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private DateTimeOffset? _lastSuccessAt;
    private DateTimeOffset? _lastFailureAt;
    private PolymarketApiErrorKind? _lastFailureKind;
    private string? _lastFailureMessage;
    private TimeSpan? _lastLatency;
    private int _consecutiveFailures;

    /// <summary>Creates a tracker stamping events with <paramref name="timeProvider"/>.</summary>
    public HostHealthTracker(TimeProvider timeProvider) => _timeProvider = timeProvider;

    /// <summary>Records a successful exchange that took <paramref name="latency"/>.</summary>
    public void RecordSuccess(TimeSpan latency)
    {
        var now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            _lastSuccessAt = now;
            _lastLatency = latency;
            _consecutiveFailures = 0;
        }
    }

    /// <summary>Records a failure; <paramref name="latency"/> is given when a response did arrive.</summary>
    public void RecordFailure(PolymarketApiErrorKind kind, string message, TimeSpan? latency = null)
    {
        var now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            _lastFailureAt = now;
            _lastFailureKind = kind;
            _lastFailureMessage = message;
            _lastLatency = latency ?? _lastLatency;
            _consecutiveFailures++;
        }
    }

    /// <summary>A snapshot combined with the circuit state.</summary>
    public HostHealth Snapshot(PolymarketHost host, Uri baseUrl, CircuitState circuit)
    {
        lock (_gate)
        {
            var status = circuit switch
            {
                CircuitState.Open or CircuitState.Isolated => PolymarketHealthStatus.Unhealthy,
                CircuitState.HalfOpen => PolymarketHealthStatus.Degraded,
                _ when _consecutiveFailures > 0 => PolymarketHealthStatus.Degraded,
                _ => PolymarketHealthStatus.Healthy,
            };
            return new HostHealth(
                host,
                baseUrl,
                status,
                circuit,
                _lastSuccessAt,
                _lastFailureAt,
                _lastFailureKind,
                _lastFailureMessage,
                _lastLatency,
                _consecutiveFailures);
        }
    }
}
