using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace PolymarketAlgo.Executor.Resilience;

/// <summary>
/// Client-side rate limiting for one host: one sliding window per <see cref="RateLimitBucket"/>, sliding on
/// the injected <see cref="TimeProvider"/>'s clock. A request takes one permit from every bucket that covers
/// its endpoint group, waiting in a first-in-first-out line when a bucket is exhausted (the documented
/// Cloudflare behaviour is to queue, not refuse).
/// </summary>
public sealed class EndpointRateLimiter : IDisposable
{
    private readonly (RateLimitBucket Bucket, SlidingWindowPermits Permits)[] _buckets;
    private readonly ConcurrentDictionary<string, SlidingWindowPermits[]> _byGroup = new(StringComparer.Ordinal);

    /// <summary>Creates the windows and starts their timers.</summary>
    /// <param name="buckets">The buckets; each must have a positive limit, window and segment count.</param>
    /// <param name="queueLimit">How many requests may wait per bucket.</param>
    /// <param name="timeProvider">The clock the windows slide on.</param>
    public EndpointRateLimiter(IEnumerable<RateLimitBucket> buckets, int queueLimit, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _buckets = buckets.Select(b => (b, new SlidingWindowPermits(b, queueLimit, timeProvider))).ToArray();
    }

    /// <summary>The buckets in force.</summary>
    public IReadOnlyList<RateLimitBucket> Buckets => _buckets.Select(b => b.Bucket).ToArray();

    /// <summary>
    /// Takes one permit from every bucket covering <paramref name="group"/> (endpoint-specific buckets first),
    /// waiting while any is exhausted.
    /// The returned lease is not acquired when a bucket's line was full; its <c>RetryAfter</c> metadata then
    /// suggests waiting one segment of that bucket's window.
    /// </summary>
    public async ValueTask<RateLimitLease> AcquireAsync(string group, CancellationToken cancellationToken)
    {
        foreach (var permits in _byGroup.GetOrAdd(group, Select, _buckets))
        {
            if (!await permits.AcquireAsync(cancellationToken).ConfigureAwait(false))
            {
                return new Lease(false, permits.SegmentLength);
            }
        }

        return new Lease(true, null);
    }

    /// <summary>Stops the timers; waiting requests get no permit.</summary>
    public void Dispose()
    {
        foreach (var (_, permits) in _buckets)
        {
            permits.Dispose();
        }
    }

    /// <summary>
    /// The buckets covering <paramref name="group"/>, endpoint-specific ones first: a request waiting on its
    /// group's window then holds no host-wide permit that other endpoints could use.
    /// </summary>
    private static SlidingWindowPermits[] Select(string group, (RateLimitBucket Bucket, SlidingWindowPermits Permits)[] buckets) =>
        buckets
            .Where(b => b.Bucket.Groups.Count == 0 || b.Bucket.Groups.Contains(group, StringComparer.Ordinal))
            .OrderBy(b => b.Bucket.Groups.Count == 0)
            .Select(b => b.Permits)
            .ToArray();

    /// <summary>A permit from every bucket (nothing to give back: a sliding window frees permits by time), or a refusal.</summary>
    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = wait;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
