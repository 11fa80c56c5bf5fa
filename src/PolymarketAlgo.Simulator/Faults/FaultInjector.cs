namespace PolymarketAlgo.Simulator.Faults;

/// <summary>How the simulator behaves while it is down.</summary>
public enum OutageMode
{
    /// <summary>Every request gets <c>503 Service Unavailable</c> with <c>Retry-After</c>.</summary>
    ServiceUnavailable = 0,

    /// <summary>Every connection is aborted without a response (as if refused).</summary>
    Refuse = 1,
}

/// <summary>
/// Faults for tests, set through the C# API or the <c>/_sim/faults/…</c> admin endpoints: reject the next orders,
/// answer 429 with <c>Retry-After</c> for a number of requests, go down for a period, hold the replies to matched
/// orders (the order is on the exchange but the client has not heard), and drop the WebSockets.
/// Periods run on the wall clock. Thread-safe.
/// </summary>
public sealed class FaultInjector
{
    /// <summary>The default text of an injected order rejection (a documented CLOB error, §4.6).</summary>
    public const string DefaultRejection = "the market is not yet ready to process new orders";

    private readonly Lock _gate = new();
    private readonly TimeProvider _wall;
    private int _rejections;
    private string _rejectionMessage = DefaultRejection;
    private int _rateLimited;
    private TimeSpan _retryAfter;
    private DateTimeOffset _downUntil;
    private OutageMode _outageMode;
    private int _heldReplies;
    private TimeSpan _replyHold;

    /// <summary>Creates an injector.</summary>
    /// <param name="wall">The wall clock the periods run on.</param>
    public FaultInjector(TimeProvider wall) => _wall = wall ?? throw new ArgumentNullException(nameof(wall));

    /// <summary>Raised when the WebSockets should be dropped.</summary>
    public event EventHandler? WebSocketsDropped;

    /// <summary>Rejects the next <paramref name="count"/> posted orders (each order of a batch counts) with an HTTP 400 <c>{"error": message}</c>.</summary>
    /// <param name="count">How many.</param>
    /// <param name="message">The error text.</param>
    public void RejectNextOrders(int count = 1, string message = DefaultRejection)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentException.ThrowIfNullOrEmpty(message);
        lock (_gate)
        {
            _rejections = count;
            _rejectionMessage = message;
        }
    }

    /// <summary>
    /// Delays the replies to the next <paramref name="count"/> posted orders by <paramref name="hold"/> (wall time)
    /// after the exchange has processed them: the window in which a client that crashes has an order on the
    /// exchange that it never heard about.
    /// </summary>
    /// <param name="count">How many order posts.</param>
    /// <param name="hold">How long each reply is held.</param>
    public void HoldNextOrderReplies(int count, TimeSpan hold)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(hold, TimeSpan.Zero);
        lock (_gate)
        {
            _heldReplies = count;
            _replyHold = hold;
        }
    }

    /// <summary>Consumes one held order reply, if any are pending.</summary>
    /// <param name="hold">How long to hold it.</param>
    /// <returns>Whether this reply is held.</returns>
    public bool TryTakeReplyHold(out TimeSpan hold)
    {
        lock (_gate)
        {
            hold = _replyHold;
            if (_heldReplies <= 0)
            {
                return false;
            }

            _heldReplies--;
            return true;
        }
    }

    /// <summary>Answers the next <paramref name="count"/> HTTP requests (any API) with 429 and <c>Retry-After</c>.</summary>
    /// <param name="count">How many requests.</param>
    /// <param name="retryAfter">The advertised wait (whole seconds, at least 1).</param>
    public void RateLimit(int count, TimeSpan retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            _rateLimited = count;
            _retryAfter = retryAfter < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retryAfter;
        }
    }

    /// <summary>Takes the simulator down for a period of wall time (WebSocket upgrades included).</summary>
    /// <param name="duration">How long.</param>
    /// <param name="mode">503 responses or refused connections.</param>
    public void GoDown(TimeSpan duration, OutageMode mode = OutageMode.ServiceUnavailable)
    {
        lock (_gate)
        {
            _downUntil = _wall.GetUtcNow() + duration;
            _outageMode = mode;
        }
    }

    /// <summary>Drops every open WebSocket connection now.</summary>
    public void DropWebSockets() => WebSocketsDropped?.Invoke(this, EventArgs.Empty);

    /// <summary>Clears every pending fault.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rejections = 0;
            _rateLimited = 0;
            _heldReplies = 0;
            _downUntil = default;
        }
    }

    /// <summary>The outage in force, with the time left, or null.</summary>
    /// <returns>The mode and remaining time.</returns>
    public (OutageMode Mode, TimeSpan Remaining)? CurrentOutage()
    {
        lock (_gate)
        {
            var left = _downUntil - _wall.GetUtcNow();
            return left > TimeSpan.Zero ? (_outageMode, left) : null;
        }
    }

    /// <summary>Consumes one injected 429, if any are pending.</summary>
    /// <param name="retryAfter">The advertised wait.</param>
    /// <returns>Whether this request is rate limited.</returns>
    public bool TryTakeRateLimit(out TimeSpan retryAfter)
    {
        lock (_gate)
        {
            retryAfter = _retryAfter;
            if (_rateLimited <= 0)
            {
                return false;
            }

            _rateLimited--;
            return true;
        }
    }

    /// <summary>Consumes one injected order rejection, if any are pending.</summary>
    /// <param name="message">The error text.</param>
    /// <returns>Whether this order is rejected.</returns>
    public bool TryTakeOrderRejection(out string message)
    {
        lock (_gate)
        {
            message = _rejectionMessage;
            if (_rejections <= 0)
            {
                return false;
            }

            _rejections--;
            return true;
        }
    }

    /// <summary>The pending faults, for the status endpoint.</summary>
    /// <returns>Order rejections, rate-limited requests and seconds of outage left.</returns>
    public (int Rejections, int RateLimited, double DownSeconds) Pending()
    {
        lock (_gate)
        {
            return (_rejections, _rateLimited, Math.Max(0, (_downUntil - _wall.GetUtcNow()).TotalSeconds));
        }
    }
}
