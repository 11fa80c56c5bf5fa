using Microsoft.Extensions.Logging;
using PolymarketAlgo.Executor.Http;

namespace PolymarketAlgo.Executor.Resilience;

/// <summary>
/// One <see cref="HostResilience"/> per Polymarket host, shared by every client of that host so they draw
/// from the same rate limits and trip the same circuit. Register it as a singleton.
/// </summary>
public sealed class PolymarketResilience : IDisposable
{
    private readonly HostResilience[] _hosts;
    private readonly TimeProvider _timeProvider;

    /// <summary>Builds the three pipelines from <paramref name="options"/>.</summary>
    public PolymarketResilience(PolymarketApiOptions options, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        Options = options;
        _timeProvider = timeProvider;
        var logger = loggerFactory.CreateLogger<PolymarketResilience>();
        _hosts = Enum.GetValues<PolymarketHost>()
            .Select(h => new HostResilience(h, options.BaseUrlOf(h), options.Resilience.For(h), timeProvider, logger))
            .ToArray();
    }

    /// <summary>The options the pipelines and base URLs come from.</summary>
    public PolymarketApiOptions Options { get; }

    /// <summary>The pipeline and health of <paramref name="host"/>.</summary>
    public HostResilience this[PolymarketHost host] => _hosts[(int)host];

    /// <summary>The health of every host: circuit state, last success and failure, last latency.</summary>
    public PolymarketHealthReport CheckHealth()
    {
        var hosts = _hosts.Select(h => h.GetHealth()).ToArray();
        var worst = hosts.Max(h => h.Status);
        return new PolymarketHealthReport(worst, _timeProvider.GetUtcNow(), hosts);
    }

    /// <summary>Disposes the pipelines' rate limiters.</summary>
    public void Dispose()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }
    }
}
