namespace PolymarketAlgo.Executor.Resilience;

/// <summary>Which failures a request may be retried after.</summary>
public enum RetryMode
{
    /// <summary>Any transient failure (408, 429, 5xx, transport error, timeout): for reads and idempotent writes.</summary>
    Transient,

    /// <summary>
    /// Only failures where the server certainly did not act (429): for order placement, where a timeout or a 5xx
    /// leaves the outcome unknown and the caller must reconcile rather than blindly re-send.
    /// </summary>
    ServerRejectedOnly,

    /// <summary>Never retried.</summary>
    None,
}

/// <summary>The resilience-context properties a request carries through its host's pipeline.</summary>
public static class PolymarketResilienceKeys
{
    /// <summary>The endpoint group whose rate-limit buckets the request draws from (<see cref="EndpointGroups"/>).</summary>
    public static readonly Polly.ResiliencePropertyKey<string> EndpointGroup = new("polymarket.endpoint-group");

    /// <summary>The retry mode of the request.</summary>
    public static readonly Polly.ResiliencePropertyKey<RetryMode> RetryMode = new("polymarket.retry-mode");

    /// <summary>A short description of the request for logs, e.g. <c>GET /book</c>.</summary>
    public static readonly Polly.ResiliencePropertyKey<string> Operation = new("polymarket.operation");
}
