namespace PolymarketAlgo.Executor.Http;

/// <summary>What went wrong with a Polymarket REST call.</summary>
public enum PolymarketApiErrorKind
{
    /// <summary>The server answered with a non-success HTTP status (other than 429).</summary>
    HttpStatus,

    /// <summary>Too many requests: the server answered 429, or the client-side rate limiter's queue was full.</summary>
    RateLimited,

    /// <summary>An HTML page (typically Cloudflare's) came back with 403, 429 or 503 where JSON was expected.</summary>
    CloudflareBlocked,

    /// <summary>The response body was empty where a JSON document was expected.</summary>
    EmptyBody,

    /// <summary>The response body was not the JSON document expected.</summary>
    MalformedJson,

    /// <summary>An attempt or the whole call exceeded its time limit.</summary>
    Timeout,

    /// <summary>The host's circuit breaker is open after repeated failures; the call was not sent.</summary>
    CircuitOpen,

    /// <summary>The connection failed (DNS, refused, reset) before a complete response arrived.</summary>
    Transport,
}
