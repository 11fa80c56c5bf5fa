using PolymarketAlgo.Executor.Timing;

namespace PolymarketAlgo.Simulator.Clock;

/// <summary>
/// The simulated exchange clock: simulated time runs from <see cref="Start"/> at <see cref="Speed"/> times the
/// speed of a wall clock (a <see cref="ScaledClock"/>), or, at maximum speed, jumps from one recorded event to the
/// next as fast as the replay can process them. Give it to bots (or let them follow it with
/// <c>trade … --sim URL</c>) when the speed is not 1.
/// </summary>
public sealed class ReplayClock : TimeProvider
{
    private readonly ScaledClock? _scaled;
    private readonly Lock _gate = new();
    private DateTimeOffset _maxSpeedNow;

    /// <summary>Creates a clock.</summary>
    /// <param name="start">The simulated time at the start.</param>
    /// <param name="speed">Simulated seconds per wall second (1 = real time), or null for maximum speed.</param>
    /// <param name="wall">The wall clock; the system clock when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">The speed is not positive.</exception>
    public ReplayClock(DateTimeOffset start, double? speed = 1.0, TimeProvider? wall = null)
    {
        if (speed is { } s && !(s > 0 && double.IsFinite(s)))
        {
            throw new ArgumentOutOfRangeException(nameof(speed), "The replay speed must be a positive number.");
        }

        Start = start;
        Speed = speed;
        Wall = wall ?? System;
        _scaled = speed is { } finite ? new ScaledClock(start, finite, Wall) : null;
        _maxSpeedNow = start;
    }

    /// <summary>The simulated time at the start.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Simulated seconds per wall second, or null at maximum speed.</summary>
    public double? Speed { get; }

    /// <summary>Whether the clock jumps from event to event (maximum speed).</summary>
    public bool IsMaxSpeed => Speed is null;

    /// <summary>The wall clock (heartbeat deadlines and fault periods run on it).</summary>
    public TimeProvider Wall { get; }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        if (_scaled is not null)
        {
            return _scaled.GetUtcNow();
        }

        lock (_gate)
        {
            return _maxSpeedNow;
        }
    }

    /// <summary>
    /// Creates a timer on the wall clock whose due time and period are simulated durations: at a finite speed they
    /// are divided by the speed, so <c>Task.Delay(d, clock)</c> waits <c>d</c> of simulated time. At maximum speed
    /// they are taken as wall durations.
    /// </summary>
    /// <param name="callback">The callback.</param>
    /// <param name="state">The callback's state.</param>
    /// <param name="dueTime">The simulated delay before the first call.</param>
    /// <param name="period">The simulated period between calls.</param>
    /// <returns>The timer.</returns>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _scaled is not null
            ? _scaled.CreateTimer(callback, state, dueTime, period)
            : Wall.CreateTimer(callback, state, dueTime, period);

    /// <summary>At maximum speed, moves the clock forward to <paramref name="time"/> (never backwards).</summary>
    /// <param name="time">The time of the next event.</param>
    /// <exception cref="InvalidOperationException">The clock is not at maximum speed.</exception>
    internal void JumpTo(DateTimeOffset time)
    {
        if (!IsMaxSpeed)
        {
            throw new InvalidOperationException("Only a maximum-speed clock jumps.");
        }

        lock (_gate)
        {
            if (time > _maxSpeedNow)
            {
                _maxSpeedNow = time;
            }
        }
    }
}
