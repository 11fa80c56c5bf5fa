using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;
using PolymarketAlgo.Executor.Http;

namespace PolymarketAlgo.Executor.Resilience;

/// <summary>
/// The resilience pipeline of one host and what it observes. Strategies, outermost first: total timeout,
/// retry (exponential backoff with jitter, or the server's Retry-After), circuit breaker, client-side
/// rate limiter (<see cref="EndpointRateLimiter"/>), attempt timeout.
/// </summary>
public sealed class HostResilience : IDisposable
{
    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly EndpointRateLimiter? _rateLimiter;
    private readonly ILogger _logger;

    /// <summary>Builds the pipeline of <paramref name="host"/> from <paramref name="options"/>.</summary>
    public HostResilience(PolymarketHost host, Uri baseUrl, HostResilienceOptions options, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        Host = host;
        BaseUrl = baseUrl;
        Options = options;
        Health = new HostHealthTracker(timeProvider);
        _logger = logger;
        if (options.RateLimitingEnabled && options.RateLimits.Count > 0)
        {
            _rateLimiter = new EndpointRateLimiter(options.RateLimits, options.RateLimitQueueLimit, timeProvider);
        }

        Pipeline = Build(timeProvider);
    }

    /// <summary>The host.</summary>
    public PolymarketHost Host { get; }

    /// <summary>The host's base URL.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The settings the pipeline was built from.</summary>
    public HostResilienceOptions Options { get; }

    /// <summary>The pipeline every call to the host runs through.</summary>
    public ResiliencePipeline Pipeline { get; }

    /// <summary>The host's call outcomes.</summary>
    public HostHealthTracker Health { get; }

    /// <summary>The circuit-breaker state.</summary>
    public CircuitState CircuitState => _circuit.CircuitState;

    /// <summary>The host's health now.</summary>
    public HostHealth GetHealth() => Health.Snapshot(Host, BaseUrl, CircuitState);

    /// <summary>Stops the rate limiter's timers.</summary>
    public void Dispose() => _rateLimiter?.Dispose();

    /// <summary>True when <paramref name="exception"/> counts against the host's circuit breaker.</summary>
    internal static bool IsHostFailure(Exception? exception) =>
        exception switch
        {
            PolymarketApiException api => api.IsTransient,
            TimeoutRejectedException => true,
            _ => false,
        };

    private static bool ShouldRetry(Exception? exception, RetryMode mode, TimeSpan maxRetryAfter)
    {
        if (mode == RetryMode.None || !IsHostFailure(exception))
        {
            return false;
        }

        if (exception is PolymarketApiException { RetryAfter: { } wait } && wait > maxRetryAfter)
        {
            return false;
        }

        return mode == RetryMode.Transient || exception is PolymarketApiException { ServerRejectedUnprocessed: true };
    }

    private static string OperationOf(ResilienceContext context) =>
        context.Properties.GetValue(PolymarketResilienceKeys.Operation, "request");

    private ResiliencePipeline Build(TimeProvider timeProvider)
    {
        var o = Options;
        var builder = new ResiliencePipelineBuilder { Name = $"polymarket-{Host}", TimeProvider = timeProvider };
        builder.AddTimeout(new TimeoutStrategyOptions { Name = "total-timeout", Timeout = o.TotalTimeout });
        if (o.MaxRetryAttempts > 0)
        {
            builder.AddRetry(
                new RetryStrategyOptions
                {
                    MaxRetryAttempts = o.MaxRetryAttempts,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = o.RetryBaseDelay,
                    MaxDelay = o.RetryMaxDelay,
                    ShouldHandle = args => ValueTask.FromResult(
                        ShouldRetry(
                            args.Outcome.Exception,
                            args.Context.Properties.GetValue(PolymarketResilienceKeys.RetryMode, RetryMode.Transient),
                            o.MaxRetryAfter)),
                    DelayGenerator = args => ValueTask.FromResult(
                        args.Outcome.Exception is PolymarketApiException { RetryAfter: { } wait } ? wait : (TimeSpan?)null),
                    OnRetry = args =>
                    {
                        _logger.LogWarning(
                            "{Host} {Operation} attempt {Attempt} failed ({Error}); retrying in {DelayMs} ms",
                            Host,
                            OperationOf(args.Context),
                            args.AttemptNumber + 1,
                            args.Outcome.Exception?.Message,
                            (long)args.RetryDelay.TotalMilliseconds);
                        return default;
                    },
                });
        }

        builder.AddCircuitBreaker(
            new CircuitBreakerStrategyOptions
            {
                FailureRatio = o.CircuitFailureRatio,
                MinimumThroughput = o.CircuitMinimumThroughput,
                SamplingDuration = o.CircuitSamplingDuration,
                BreakDuration = o.CircuitBreakDuration,
                StateProvider = _circuit,
                ShouldHandle = args => ValueTask.FromResult(IsHostFailure(args.Outcome.Exception)),
                OnOpened = args =>
                {
                    _logger.LogError(
                        "{Host} circuit opened for {BreakMs} ms after repeated failures (last: {Error})",
                        Host,
                        (long)args.BreakDuration.TotalMilliseconds,
                        args.Outcome.Exception?.Message);
                    return default;
                },
                OnHalfOpened = _ =>
                {
                    _logger.LogInformation("{Host} circuit half-open: letting a trial call through", Host);
                    return default;
                },
                OnClosed = _ =>
                {
                    _logger.LogInformation("{Host} circuit closed", Host);
                    return default;
                },
            });

        if (_rateLimiter is { } limiter)
        {
            builder.AddRateLimiter(
                new RateLimiterStrategyOptions
                {
                    RateLimiter = args => limiter.AcquireAsync(
                        args.Context.Properties.GetValue(PolymarketResilienceKeys.EndpointGroup, EndpointGroups.General),
                        args.Context.CancellationToken),
                    OnRejected = args =>
                    {
                        _logger.LogWarning("{Host} {Operation} rejected by the client-side rate limiter (queue full)", Host, OperationOf(args.Context));
                        return default;
                    },
                });
        }

        builder.AddTimeout(new TimeoutStrategyOptions { Name = "attempt-timeout", Timeout = o.AttemptTimeout });
        return builder.Build();
    }
}
