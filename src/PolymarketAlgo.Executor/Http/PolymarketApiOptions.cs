using PolymarketAlgo.Executor.Resilience;

namespace PolymarketAlgo.Executor.Http;

/// <summary>
/// Where the REST clients connect and how they protect themselves. Point the URLs at a local server
/// (a test double or the simulator) to run the real client code against it.
/// </summary>
public sealed class PolymarketApiOptions
{
    /// <summary>The CLOB base URL (protocol reference §1).</summary>
    public Uri ClobUrl { get; set; } = new("https://clob.polymarket.com");

    /// <summary>The Gamma API base URL.</summary>
    public Uri GammaUrl { get; set; } = new("https://gamma-api.polymarket.com");

    /// <summary>The Data API base URL (v1 routes at the root, v2 under <c>/v2</c>).</summary>
    public Uri DataApiUrl { get; set; } = new("https://data-api.polymarket.com");

    /// <summary>Which Data API route family the Data API client calls.</summary>
    public DataApiVersion DataApiVersion { get; set; } = DataApiVersion.V1;

    /// <summary>Timeouts, retries, circuit breakers and client-side rate limits, per host.</summary>
    public PolymarketResilienceOptions Resilience { get; set; } = new();

    /// <summary>The base URL of <paramref name="host"/>.</summary>
    public Uri BaseUrlOf(PolymarketHost host) =>
        host switch
        {
            PolymarketHost.Clob => ClobUrl,
            PolymarketHost.Gamma => GammaUrl,
            PolymarketHost.DataApi => DataApiUrl,
            _ => throw new ArgumentOutOfRangeException(nameof(host), host, "unknown Polymarket host"),
        };
}

/// <summary>The Data API route family.</summary>
public enum DataApiVersion
{
    /// <summary>v1: camelCase rows in bare arrays, <c>limit</c>/<c>offset</c> paging.</summary>
    V1,

    /// <summary>v2 (<c>/v2/…</c>): snake_case rows in a <c>{data, pagination}</c> envelope, cursor paging.</summary>
    V2,
}
