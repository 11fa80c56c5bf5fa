using Microsoft.Extensions.Logging;
using PolymarketAlgo.Executor.Http;
using PolymarketAlgo.Executor.Resilience;

namespace PolymarketAlgo.Executor.Rest;

/// <summary>Filters of Gamma <c>GET /markets</c>; every field is optional.</summary>
public sealed record GammaMarketsQuery
{
    /// <summary>Market slugs.</summary>
    public IReadOnlyList<string> Slugs { get; init; } = [];

    /// <summary>Condition IDs.</summary>
    public IReadOnlyList<string> ConditionIds { get; init; } = [];

    /// <summary>CLOB token IDs.</summary>
    public IReadOnlyList<string> ClobTokenIds { get; init; } = [];

    /// <summary>Only closed (true) or open (false) markets.</summary>
    public bool? Closed { get; init; }

    /// <summary>Only active (true) or inactive (false) markets.</summary>
    public bool? Active { get; init; }

    /// <summary>The page size.</summary>
    public int? Limit { get; init; }

    /// <summary>Rows to skip.</summary>
    public int? Offset { get; init; }
}

/// <summary>The Gamma API client (protocol reference §7.3): events and markets by slug or ID.</summary>
public sealed class GammaClient
{
    private static readonly PolymarketJsonContext Json = PolymarketJsonContext.Default;

    /// <summary>Creates the client; <paramref name="httpClient"/> may come from <c>IHttpClientFactory</c>.</summary>
    /// <param name="httpClient">The HTTP client.</param>
    /// <param name="resilience">The shared per-host pipelines; the base URL is its <c>Options.GammaUrl</c>.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public GammaClient(HttpClient httpClient, PolymarketResilience resilience, TimeProvider timeProvider, ILogger<GammaClient> logger)
    {
        ArgumentNullException.ThrowIfNull(resilience);
        Transport = new PolymarketRestTransport(httpClient, resilience[PolymarketHost.Gamma], timeProvider, logger);
    }

    /// <summary>The transport, for Gamma endpoints this client does not wrap.</summary>
    public PolymarketRestTransport Transport { get; }

    /// <summary><c>GET /events?slug=</c>: the events with <paramref name="slug"/> (usually one).</summary>
    public async Task<IReadOnlyList<GammaEvent>> GetEventsBySlugAsync(string slug, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(slug);
        var request = new PolymarketRequest(HttpMethod.Get, "/events", EndpointGroups.GammaEvents).WithQuery("slug", slug);
        return await Transport.SendAsync(request, Json.ListGammaEvent, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The event with <paramref name="slug"/>, or null when there is none.</summary>
    public async Task<GammaEvent?> GetEventBySlugAsync(string slug, CancellationToken cancellationToken = default)
    {
        var events = await GetEventsBySlugAsync(slug, cancellationToken).ConfigureAwait(false);
        return events.Count == 0 ? null : events[0];
    }

    /// <summary><c>GET /events/{id}</c>: one event.</summary>
    public Task<GammaEvent> GetEventAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var request = new PolymarketRequest(HttpMethod.Get, "/events/" + Uri.EscapeDataString(id), EndpointGroups.GammaEvents);
        return Transport.SendAsync(request, Json.GammaEvent, cancellationToken);
    }

    /// <summary><c>GET /markets</c>: markets matching <paramref name="query"/>.</summary>
    public async Task<IReadOnlyList<GammaMarket>> GetMarketsAsync(GammaMarketsQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var request = new PolymarketRequest(HttpMethod.Get, "/markets", EndpointGroups.GammaMarkets);
        foreach (var slug in query.Slugs)
        {
            request.WithQuery("slug", slug);
        }

        foreach (var id in query.ConditionIds)
        {
            request.WithQuery("condition_ids", id);
        }

        foreach (var id in query.ClobTokenIds)
        {
            request.WithQuery("clob_token_ids", id);
        }

        request.WithQuery("closed", query.Closed).WithQuery("active", query.Active).WithQuery("limit", query.Limit).WithQuery("offset", query.Offset);
        return await Transport.SendAsync(request, Json.ListGammaMarket, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /markets/slug/{slug}</c>: the market with <paramref name="slug"/>, or null when Gamma answers 404.</summary>
    public async Task<GammaMarket?> GetMarketBySlugAsync(string slug, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(slug);
        var request = new PolymarketRequest(HttpMethod.Get, "/markets/slug/" + Uri.EscapeDataString(slug), EndpointGroups.GammaMarkets);
        try
        {
            return await Transport.SendAsync(request, Json.GammaMarket, cancellationToken).ConfigureAwait(false);
        }
        catch (PolymarketApiException e) when (e is { Kind: PolymarketApiErrorKind.HttpStatus, StatusCode: 404 })
        {
            return null;
        }
    }

    /// <summary><c>GET /markets/{id}</c>: one market by Gamma ID.</summary>
    public Task<GammaMarket> GetMarketAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var request = new PolymarketRequest(HttpMethod.Get, "/markets/" + Uri.EscapeDataString(id), EndpointGroups.GammaMarkets);
        return Transport.SendAsync(request, Json.GammaMarket, cancellationToken);
    }
}
