namespace PolymarketAlgo.Executor.Timing;

/// <summary>
/// A clock that runs from a known time at a fixed multiple of a wall clock's speed: now is
/// <c>start + (wall now − wall at creation) × speed</c>, and timers and delays last their duration divided by the
/// speed. A bot given this clock follows an exchange (the simulator) that replays time faster than real time.
/// </summary>
public sealed class ScaledClock : TimeProvider
{
    private readonly DateTimeOffset _wallStart;

    /// <summary>Creates a clock that reads <paramref name="start"/> now and runs <paramref name="speed"/> times as fast as <paramref name="wall"/>.</summary>
    /// <param name="start">The time the clock reads now.</param>
    /// <param name="speed">Clock seconds per wall second; 1 is real time.</param>
    /// <param name="wall">The wall clock; the system clock when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">The speed is not a positive finite number.</exception>
    public ScaledClock(DateTimeOffset start, double speed, TimeProvider? wall = null)
    {
        if (!(speed > 0 && double.IsFinite(speed)))
        {
            throw new ArgumentOutOfRangeException(nameof(speed), speed, "The clock speed must be a positive number.");
        }

        Start = start;
        Speed = speed;
        Wall = wall ?? System;
        _wallStart = Wall.GetUtcNow();
    }

    /// <summary>The time the clock read when it was created.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Clock seconds per wall second.</summary>
    public double Speed { get; }

    /// <summary>The wall clock it runs on.</summary>
    public TimeProvider Wall { get; }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() =>
        Start + TimeSpan.FromTicks((long)((Wall.GetUtcNow() - _wallStart).Ticks * Speed));

    /// <summary>Creates a wall-clock timer whose due time and period are clock durations (divided by the speed).</summary>
    /// <param name="callback">The callback.</param>
    /// <param name="state">The callback's state.</param>
    /// <param name="dueTime">The clock delay before the first call.</param>
    /// <param name="period">The clock period between calls.</param>
    /// <returns>The timer.</returns>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(Wall.CreateTimer(callback, state, ToWall(dueTime), ToWall(period)), this);

    /// <summary>The wall duration of a clock duration (infinite and non-positive durations are kept).</summary>
    /// <param name="duration">A clock duration.</param>
    /// <returns>The wall duration.</returns>
    public TimeSpan ToWall(TimeSpan duration) =>
        duration > TimeSpan.Zero && duration != Timeout.InfiniteTimeSpan
            ? TimeSpan.FromTicks(Math.Max(1L, (long)(duration.Ticks / Speed)))
            : duration;

    private sealed class ScaledTimer(ITimer inner, ScaledClock clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(clock.ToWall(dueTime), clock.ToWall(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
