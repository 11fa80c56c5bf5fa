using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace PolymarketAlgo.Executor.Resilience;

/// <summary>
/// Client-side rate limiting for one host: one sliding-window limiter per <see cref="RateLimitBucket"/>,
/// replenished by timers of the injected <see cref="TimeProvider"/>. A request takes one permit from every
/// bucket that covers its endpoint group, waiting in a first-in-first-out queue when a bucket is exhausted
/// (the documented Cloudflare behaviour is to queue, not refuse).
/// </summary>
public sealed class EndpointRateLimiter : IDisposable
{
    private readonly (RateLimitBucket Bucket, SlidingWindowRateLimiter Limiter)[] _buckets;
    private readonly ITimer[] _timers;
    private readonly ConcurrentDictionary<string, SlidingWindowRateLimiter[]> _byGroup = new(StringComparer.Ordinal);

    /// <summary>Creates the limiters and starts their replenishment timers.</summary>
    /// <param name="buckets">The buckets; each must have a positive limit and a window divisible into its segments.</param>
    /// <param name="queueLimit">How many requests may wait per bucket.</param>
    /// <param name="timeProvider">The clock driving replenishment.</param>
    public EndpointRateLimiter(IEnumerable<RateLimitBucket> buckets, int queueLimit, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _buckets = buckets.Select(b => (b, CreateLimiter(b, queueLimit))).ToArray();
        _timers = _buckets
            .Select(entry =>
            {
                var limiter = entry.Limiter;
                var period = entry.Bucket.Window / entry.Bucket.SegmentsPerWindow;
                return timeProvider.CreateTimer(static state => ((SlidingWindowRateLimiter)state!).TryReplenish(), limiter, period, period);
            })
            .ToArray();
    }

    /// <summary>The buckets in force.</summary>
    public IReadOnlyList<RateLimitBucket> Buckets => _buckets.Select(b => b.Bucket).ToArray();

    /// <summary>
    /// Takes one permit from every bucket covering <paramref name="group"/>, waiting while any is exhausted.
    /// The returned lease is not acquired when a bucket's queue was full; its <c>RetryAfter</c> metadata then says when to try again.
    /// </summary>
    public async ValueTask<RateLimitLease> AcquireAsync(string group, CancellationToken cancellationToken)
    {
        var limiters = _byGroup.GetOrAdd(group, Select, _buckets);
        var leases = new List<RateLimitLease>(limiters.Length);
        foreach (var limiter in limiters)
        {
            RateLimitLease lease;
            try
            {
                lease = await limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                leases.ForEach(l => l.Dispose());
                throw;
            }

            if (!lease.IsAcquired)
            {
                leases.ForEach(l => l.Dispose());
                return lease;
            }

            leases.Add(lease);
        }

        return new CompositeLease(leases);
    }

    /// <summary>Stops the timers and disposes the limiters (waiting requests fail).</summary>
    public void Dispose()
    {
        foreach (var timer in _timers)
        {
            timer.Dispose();
        }

        foreach (var (_, limiter) in _buckets)
        {
            limiter.Dispose();
        }
    }

    private static SlidingWindowRateLimiter[] Select(string group, (RateLimitBucket Bucket, SlidingWindowRateLimiter Limiter)[] buckets) =>
        buckets
            .Where(b => b.Bucket.Groups.Count == 0 || b.Bucket.Groups.Contains(group, StringComparer.Ordinal))
            .Select(b => b.Limiter)
            .ToArray();

    private static SlidingWindowRateLimiter CreateLimiter(RateLimitBucket bucket, int queueLimit)
    {
        if (bucket.PermitLimit <= 0 || bucket.Window <= TimeSpan.Zero || bucket.SegmentsPerWindow <= 0)
        {
            throw new ArgumentException(
                $"rate-limit bucket '{bucket.Name}' needs a positive permit limit, window and segment count",
                nameof(bucket));
        }

        return new SlidingWindowRateLimiter(
            new SlidingWindowRateLimiterOptions
            {
                PermitLimit = bucket.PermitLimit,
                Window = bucket.Window,
                SegmentsPerWindow = bucket.SegmentsPerWindow,
                QueueLimit = queueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = false,
            });
    }

    private sealed class CompositeLease(List<RateLimitLease> leases) : RateLimitLease
    {
        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => leases.SelectMany(l => l.MetadataNames).Distinct();

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            foreach (var lease in leases)
            {
                if (lease.TryGetMetadata(metadataName, out metadata))
                {
                    return true;
                }
            }

            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                leases.ForEach(l => l.Dispose());
            }
        }
    }
}
