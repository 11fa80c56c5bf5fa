using Microsoft.Extensions.Logging;
using PolymarketAlgo.Executor.Http;
using PolymarketAlgo.Executor.Resilience;

namespace PolymarketAlgo.Executor.Rest;

/// <summary>Filters of the Data API wallet endpoints; each endpoint uses the fields it supports.</summary>
/// <param name="User">The wallet (proxy) address.</param>
public sealed record DataApiQuery(string User)
{
    /// <summary>Condition IDs to restrict to (v1 <c>market</c>, v2 <c>condition</c>; at most 20 on v2).</summary>
    public IReadOnlyList<string> Markets { get; init; } = [];

    /// <summary>Activity types, e.g. TRADE, REDEEM (activity only).</summary>
    public IReadOnlyList<string> Types { get; init; } = [];

    /// <summary><c>BUY</c> or <c>SELL</c> (activity and trades).</summary>
    public string? Side { get; init; }

    /// <summary>Only rows at or after this time (activity).</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>Only rows at or before this time (activity).</summary>
    public DateTimeOffset? End { get; init; }

    /// <summary>Only taker trades (trades).</summary>
    public bool? TakerOnly { get; init; }

    /// <summary>The v2 position status: OPEN, REDEEMABLE, REDEEMABLE_LOST, MERGEABLE or CLOSED (positions, v2).</summary>
    public string? Status { get; init; }

    /// <summary>The page size.</summary>
    public int? Limit { get; init; }

    /// <summary>Rows to skip (v1).</summary>
    public int? Offset { get; init; }

    /// <summary>The cursor of the page to read (v2).</summary>
    public string? Cursor { get; init; }
}

/// <summary>
/// The Data API client (protocol reference §7.4): wallet activity, trades and positions, reading both the v1
/// camelCase and v2 snake_case shapes into one model. <see cref="PolymarketApiOptions.DataApiVersion"/> picks the routes.
/// </summary>
public sealed class DataApiClient
{
    private readonly DataApiVersion _version;

    /// <summary>Creates the client; <paramref name="httpClient"/> may come from <c>IHttpClientFactory</c>.</summary>
    /// <param name="httpClient">The HTTP client.</param>
    /// <param name="resilience">The shared per-host pipelines; the base URL is its <c>Options.DataApiUrl</c>.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public DataApiClient(HttpClient httpClient, PolymarketResilience resilience, TimeProvider timeProvider, ILogger<DataApiClient> logger)
    {
        ArgumentNullException.ThrowIfNull(resilience);
        Transport = new PolymarketRestTransport(httpClient, resilience[PolymarketHost.DataApi], timeProvider, logger);
        _version = resilience.Options.DataApiVersion;
    }

    /// <summary>The transport, for Data API endpoints this client does not wrap.</summary>
    public PolymarketRestTransport Transport { get; }

    /// <summary><c>GET /activity</c> or <c>/v2/activity</c>: a wallet's activity, newest first.</summary>
    public Task<DataApiPage<WalletActivity>> GetActivityAsync(DataApiQuery query, CancellationToken cancellationToken = default)
    {
        var request = Request("activity", EndpointGroups.General, query)
            .WithQuery("type", Join(query.Types))
            .WithQuery("start", query.Start?.ToUnixTimeSeconds())
            .WithQuery("end", query.End?.ToUnixTimeSeconds())
            .WithQuery("side", query.Side);
        return Transport.SendAsync(request, root => DataApiParser.ParsePage(root, DataApiParser.ParseActivity), cancellationToken);
    }

    /// <summary><c>GET /trades</c> or <c>/v2/trades</c>: a wallet's trades.</summary>
    public Task<DataApiPage<WalletTrade>> GetTradesAsync(DataApiQuery query, CancellationToken cancellationToken = default)
    {
        var request = Request("trades", EndpointGroups.DataTrades, query).WithQuery("side", query.Side).WithQuery("takerOnly", query.TakerOnly);
        return Transport.SendAsync(request, root => DataApiParser.ParsePage(root, DataApiParser.ParseTrade), cancellationToken);
    }

    /// <summary><c>GET /positions</c> or <c>/v2/positions</c>: a wallet's positions.</summary>
    public Task<DataApiPage<WalletPosition>> GetPositionsAsync(DataApiQuery query, CancellationToken cancellationToken = default)
    {
        var request = Request("positions", EndpointGroups.DataPositions, query);
        if (_version == DataApiVersion.V2)
        {
            request.WithQuery("status", query.Status);
        }

        return Transport.SendAsync(request, root => DataApiParser.ParsePage(root, DataApiParser.ParsePosition), cancellationToken);
    }

    private PolymarketRequest Request(string route, string group, DataApiQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentException.ThrowIfNullOrWhiteSpace(query.User);
        var v2 = _version == DataApiVersion.V2;
        var request = new PolymarketRequest(HttpMethod.Get, v2 ? "/v2/" + route : "/" + route, group)
            .WithQuery("user", query.User)
            .WithQuery(v2 ? "condition" : "market", Join(query.Markets))
            .WithQuery("limit", query.Limit);
        return v2
            ? request.WithQuery("cursor", query.Cursor)
            : request.WithQuery("offset", query.Offset);
    }

    private static string? Join(IReadOnlyList<string> values) =>
        values.Count == 0 ? null : string.Join(',', values);
}
