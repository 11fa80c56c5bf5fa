namespace PolymarketAlgo.Executor.Resilience;

/// <summary>
/// A sliding-window request limit on the clock of a <see cref="TimeProvider"/>: at most
/// <see cref="RateLimitBucket.PermitLimit"/> permits are taken in any <see cref="RateLimitBucket.Window"/>.
/// The window slides in segments; a permit comes back between one window and one window plus one segment
/// after it was taken, so the documented limit is never exceeded. Waiters are served first in, first out.
/// </summary>
/// <remarks>
/// System.Threading.RateLimiting's sliding-window limiter measures elapsed time with the real stopwatch even
/// when replenished by hand, so it cannot follow an injected clock; this small limiter can.
/// </remarks>
internal sealed class SlidingWindowPermits : IDisposable
{
    private readonly Lock _gate = new();
    private readonly int[] _taken;
    private readonly int _queueLimit;
    private readonly LinkedList<TaskCompletionSource<bool>> _waiters = new();
    private readonly ITimer _timer;
    private int _current;
    private int _available;
    private bool _disposed;

    public SlidingWindowPermits(RateLimitBucket bucket, int queueLimit, TimeProvider timeProvider)
    {
        if (bucket.PermitLimit <= 0 || bucket.Window <= TimeSpan.Zero || bucket.SegmentsPerWindow <= 0)
        {
            throw new ArgumentException(
                $"rate-limit bucket '{bucket.Name}' needs a positive permit limit, window and segment count",
                nameof(bucket));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(queueLimit);
        Name = bucket.Name;
        SegmentLength = bucket.Window / bucket.SegmentsPerWindow;
        _taken = new int[bucket.SegmentsPerWindow + 1];
        _available = bucket.PermitLimit;
        _queueLimit = queueLimit;
        _timer = timeProvider.CreateTimer(static state => ((SlidingWindowPermits)state!).Slide(), this, SegmentLength, SegmentLength);
    }

    /// <summary>The bucket name.</summary>
    public string Name { get; }

    /// <summary>How often the window slides; the wait suggested when the queue is full.</summary>
    public TimeSpan SegmentLength { get; }

    /// <summary>Takes a permit, waiting in line if none is free; false when the line is full or the limiter is disposed.</summary>
    public Task<bool> AcquireAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource<bool> waiter;
        LinkedListNode<TaskCompletionSource<bool>> node;
        lock (_gate)
        {
            if (_disposed)
            {
                return Task.FromResult(false);
            }

            if (_waiters.Count == 0 && _available > 0)
            {
                Take();
                return Task.FromResult(true);
            }

            if (_waiters.Count >= _queueLimit)
            {
                return Task.FromResult(false);
            }

            waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _waiters.AddLast(waiter);
        }

        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                lock (_gate)
                {
                    if (node.List is not null)
                    {
                        _waiters.Remove(node);
                    }
                }

                waiter.TrySetCanceled(cancellationToken);
            });
            waiter.Task.ContinueWith(static (_, state) => ((CancellationTokenRegistration)state!).Dispose(), registration, TaskScheduler.Default);
        }

        return waiter.Task;
    }

    /// <summary>Stops the timer; waiting requests get no permit.</summary>
    public void Dispose()
    {
        _timer.Dispose();
        lock (_gate)
        {
            _disposed = true;
            foreach (var waiter in _waiters)
            {
                waiter.TrySetResult(false);
            }

            _waiters.Clear();
        }
    }

    private void Take()
    {
        _available--;
        _taken[_current]++;
    }

    private void Slide()
    {
        lock (_gate)
        {
            _current = (_current + 1) % _taken.Length;
            _available += _taken[_current];
            _taken[_current] = 0;
            while (_available > 0 && _waiters.First is { } first)
            {
                _waiters.RemoveFirst();
                if (first.Value.TrySetResult(true))
                {
                    Take();
                }
            }
        }
    }
}
