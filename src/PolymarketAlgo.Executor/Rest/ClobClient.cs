using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PolymarketAlgo.Executor.Http;
using PolymarketAlgo.Executor.Resilience;

namespace PolymarketAlgo.Executor.Rest;

/// <summary>Filters of <c>GET /data/orders</c>; every field is optional.</summary>
/// <param name="Id">One order ID.</param>
/// <param name="Market">A condition ID.</param>
/// <param name="AssetId">A token ID.</param>
public sealed record OpenOrdersQuery(string? Id = null, string? Market = null, string? AssetId = null);

/// <summary>Filters of <c>GET /data/trades</c>; every field is optional.</summary>
/// <param name="Id">One trade ID.</param>
/// <param name="MakerAddress">A maker address.</param>
/// <param name="Market">A condition ID.</param>
/// <param name="AssetId">A token ID.</param>
/// <param name="Before">Only trades before this time.</param>
/// <param name="After">Only trades after this time.</param>
public sealed record TradesQuery(
    string? Id = null,
    string? MakerAddress = null,
    string? Market = null,
    string? AssetId = null,
    DateTimeOffset? Before = null,
    DateTimeOffset? After = null);

/// <summary>
/// The CLOB REST client (protocol reference §7.1–§7.2): public market data, and with an
/// <see cref="IRequestAuthenticator"/> the L2 endpoints (orders, cancels, ledger, balances, heartbeats).
/// Every call runs through the CLOB's resilience pipeline and fails only with <see cref="PolymarketApiException"/>.
/// </summary>
public sealed class ClobClient
{
    private static readonly PolymarketJsonContext Json = PolymarketJsonContext.Default;
    private readonly IRequestAuthenticator? _authenticator;

    /// <summary>Creates the client; <paramref name="httpClient"/> may come from <c>IHttpClientFactory</c>.</summary>
    /// <param name="httpClient">The HTTP client.</param>
    /// <param name="resilience">The shared per-host pipelines; the base URL is its <c>Options.ClobUrl</c>.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="authenticator">Adds the L2 headers; without it the authenticated methods throw <see cref="InvalidOperationException"/>.</param>
    public ClobClient(
        HttpClient httpClient,
        PolymarketResilience resilience,
        TimeProvider timeProvider,
        ILogger<ClobClient> logger,
        IRequestAuthenticator? authenticator = null)
    {
        ArgumentNullException.ThrowIfNull(resilience);
        Transport = new PolymarketRestTransport(httpClient, resilience[PolymarketHost.Clob], timeProvider, logger);
        _authenticator = authenticator;
    }

    /// <summary>The transport, for CLOB endpoints this client does not wrap.</summary>
    public PolymarketRestTransport Transport { get; }

    /// <summary><c>GET /book</c>: the order book of <paramref name="tokenId"/>.</summary>
    public Task<OrderBookSummary> GetBookAsync(string tokenId, CancellationToken cancellationToken = default) =>
        Transport.SendAsync(Get("/book", EndpointGroups.ClobBook).WithQuery("token_id", tokenId), OrderBookReader.Read, cancellationToken);

    /// <summary>Parses a <c>/book</c> response body with the same reader as <see cref="GetBookAsync"/>.</summary>
    /// <param name="utf8Json">The response body.</param>
    /// <returns>The book.</returns>
    /// <exception cref="JsonException">The body is not a book.</exception>
    public static OrderBookSummary ParseBook(ReadOnlySpan<byte> utf8Json) => OrderBookReader.Read(utf8Json);

    /// <summary><c>POST /books</c>: the order books of several tokens.</summary>
    public async Task<IReadOnlyList<OrderBookSummary>> GetBooksAsync(IEnumerable<string> tokenIds, CancellationToken cancellationToken = default)
    {
        var request = Post("/books", EndpointGroups.ClobBooks, TokenArray(tokenIds));
        return await Transport.SendAsync(request, Json.ListOrderBookSummary, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /price</c>: the best bid (<see cref="QuoteSide.Buy"/>) or best ask (<see cref="QuoteSide.Sell"/>).</summary>
    public async Task<decimal> GetPriceAsync(string tokenId, QuoteSide side, CancellationToken cancellationToken = default)
    {
        var request = Get("/price", EndpointGroups.ClobPrice).WithQuery("token_id", tokenId).WithQuery("side", SideText(side));
        var response = await Transport.SendAsync(request, Json.PriceResponse, cancellationToken).ConfigureAwait(false);
        return response.Price;
    }

    /// <summary><c>POST /prices</c>: prices of several tokens and sides, by token ID.</summary>
    public async Task<IReadOnlyDictionary<string, TokenPrices>> GetPricesAsync(IEnumerable<PriceRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var body = JsonBody.Write(w =>
        {
            w.WriteStartArray();
            foreach (var r in requests)
            {
                w.WriteStartObject();
                w.WriteString("token_id", r.TokenId);
                w.WriteString("side", SideText(r.Side));
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
        var response = await Transport
            .SendAsync(Post("/prices", EndpointGroups.ClobPrices, body), Json.DictionaryStringDictionaryStringDecimal, cancellationToken)
            .ConfigureAwait(false);
        return response.ToDictionary(
            kv => kv.Key,
            kv => new TokenPrices(kv.Value.TryGetValue("BUY", out var buy) ? buy : null, kv.Value.TryGetValue("SELL", out var sell) ? sell : null));
    }

    /// <summary><c>GET /midpoint</c>: the mid price of <paramref name="tokenId"/>.</summary>
    public async Task<decimal> GetMidpointAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        var request = Get("/midpoint", EndpointGroups.ClobMidpoint).WithQuery("token_id", tokenId);
        var response = await Transport.SendAsync(request, Json.MidpointResponse, cancellationToken).ConfigureAwait(false);
        return response.Mid;
    }

    /// <summary><c>POST /midpoints</c>: mid prices by token ID.</summary>
    public async Task<IReadOnlyDictionary<string, decimal>> GetMidpointsAsync(IEnumerable<string> tokenIds, CancellationToken cancellationToken = default) =>
        await Transport
            .SendAsync(Post("/midpoints", EndpointGroups.ClobMidpoints, TokenArray(tokenIds)), Json.DictionaryStringDecimal, cancellationToken)
            .ConfigureAwait(false);

    /// <summary><c>GET /spread</c>: the bid-ask spread of <paramref name="tokenId"/>.</summary>
    public async Task<decimal> GetSpreadAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        var request = Get("/spread", EndpointGroups.General).WithQuery("token_id", tokenId);
        var response = await Transport.SendAsync(request, Json.SpreadResponse, cancellationToken).ConfigureAwait(false);
        return response.Spread;
    }

    /// <summary><c>POST /spreads</c>: spreads by token ID.</summary>
    public async Task<IReadOnlyDictionary<string, decimal>> GetSpreadsAsync(IEnumerable<string> tokenIds, CancellationToken cancellationToken = default) =>
        await Transport
            .SendAsync(Post("/spreads", EndpointGroups.General, TokenArray(tokenIds)), Json.DictionaryStringDecimal, cancellationToken)
            .ConfigureAwait(false);

    /// <summary><c>GET /tick-size</c>: the minimum tick of <paramref name="tokenId"/>.</summary>
    public async Task<decimal> GetTickSizeAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        var request = Get("/tick-size", EndpointGroups.ClobTickSize).WithQuery("token_id", tokenId);
        var response = await Transport.SendAsync(request, Json.TickSizeResponse, cancellationToken).ConfigureAwait(false);
        return response.MinimumTickSize;
    }

    /// <summary><c>GET /neg-risk</c>: whether <paramref name="tokenId"/> belongs to a neg-risk market.</summary>
    public async Task<bool> GetNegRiskAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        var request = Get("/neg-risk", EndpointGroups.General).WithQuery("token_id", tokenId);
        var response = await Transport.SendAsync(request, Json.NegRiskResponse, cancellationToken).ConfigureAwait(false);
        return response.NegRisk;
    }

    /// <summary><c>GET /fee-rate</c>: the V1-era base fee in bps (for V2 fees use <see cref="GetMarketInfoAsync"/>).</summary>
    public async Task<int> GetFeeRateBpsAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        var request = Get("/fee-rate", EndpointGroups.General).WithQuery("token_id", tokenId);
        var response = await Transport.SendAsync(request, Json.FeeRateResponse, cancellationToken).ConfigureAwait(false);
        return response.BaseFee;
    }

    /// <summary><c>GET /prices-history</c>: the price history of <paramref name="tokenId"/>.</summary>
    /// <param name="tokenId">The outcome token (sent as <c>market</c>).</param>
    /// <param name="range">A named interval or explicit bounds.</param>
    /// <param name="fidelityMinutes">The resolution in minutes, or null for the server default.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<PricePoint>> GetPricesHistoryAsync(
        string tokenId,
        PriceHistoryRange range,
        int? fidelityMinutes = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(range);
        var request = Get("/prices-history", EndpointGroups.ClobPricesHistory)
            .WithQuery("market", tokenId)
            .WithQuery("interval", range.Interval)
            .WithQuery("startTs", range.StartTs)
            .WithQuery("endTs", range.EndTs)
            .WithQuery("fidelity", fidelityMinutes);
        var response = await Transport.SendAsync(request, Json.PricesHistoryResponse, cancellationToken).ConfigureAwait(false);
        return response.History;
    }

    /// <summary><c>GET /markets</c>: one page of CLOB markets, from <paramref name="nextCursor"/> (the first page when null).</summary>
    public Task<ClobPage<ClobMarket>> GetMarketsAsync(string? nextCursor = null, CancellationToken cancellationToken = default) =>
        Transport.SendAsync(
            Get("/markets", EndpointGroups.General).WithQuery("next_cursor", nextCursor ?? ClobPage<ClobMarket>.FirstCursor),
            Json.ClobPageClobMarket,
            cancellationToken);

    /// <summary>Every CLOB market, following <c>next_cursor</c> until the last page.</summary>
    public IAsyncEnumerable<ClobMarket> GetAllMarketsAsync(CancellationToken cancellationToken = default) =>
        Paginate(GetMarketsAsync, cancellationToken);

    /// <summary><c>GET /markets/{condition_id}</c>: one CLOB market (with <c>tokens[].winner</c> after resolution).</summary>
    public Task<ClobMarket> GetMarketAsync(string conditionId, CancellationToken cancellationToken = default) =>
        Transport.SendAsync(Get("/markets/" + Segment(conditionId), EndpointGroups.General), Json.ClobMarket, cancellationToken);

    /// <summary><c>GET /clob-markets/{condition_id}</c>: the compact V2 market info (tick, minimum size, fee parameters).</summary>
    public Task<ClobMarketInfo> GetMarketInfoAsync(string conditionId, CancellationToken cancellationToken = default) =>
        Transport.SendAsync(Get("/clob-markets/" + Segment(conditionId), EndpointGroups.General), Json.ClobMarketInfo, cancellationToken);

    /// <summary><c>GET /time</c>: the server clock (Unix seconds).</summary>
    public async Task<DateTimeOffset> GetServerTimeAsync(CancellationToken cancellationToken = default)
    {
        var seconds = await Transport.SendAsync(Get("/time", EndpointGroups.General), Json.Int64, cancellationToken).ConfigureAwait(false);
        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    /// <summary>
    /// <c>POST /order</c> (L2): sends <paramref name="orderJson"/> byte for byte, so the body the L2 signature
    /// covers is exactly what the signer serialised. Retried only after a 429: a timeout or 5xx leaves the
    /// outcome unknown, so reconcile through <see cref="GetOpenOrderAsync"/> or the user channel.
    /// A rejection by the matching engine is a normal reply (<see cref="OrderPostResponse.IsAccepted"/> false);
    /// an HTTP 4xx with <c>{"error": …}</c> is a <see cref="PolymarketApiException"/> with <c>ServerError</c>.
    /// </summary>
    public Task<OrderPostResponse> PostOrderAsync(string orderJson, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderJson);
        var request = Authenticated(HttpMethod.Post, "/order", EndpointGroups.ClobPostOrder, orderJson, RetryMode.ServerRejectedOnly);
        return Transport.SendAsync(request, Json.OrderPostResponse, cancellationToken);
    }

    /// <summary>
    /// <c>POST /orders</c> (L2): sends the JSON array <paramref name="ordersJson"/> (1–15 orders) byte for byte;
    /// one reply per order, in order. Retried only after a 429, like <see cref="PostOrderAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<OrderPostResponse>> PostOrdersAsync(string ordersJson, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ordersJson);
        var request = Authenticated(HttpMethod.Post, "/orders", EndpointGroups.ClobPostOrders, ordersJson, RetryMode.ServerRejectedOnly);
        return await Transport.SendAsync(request, Json.ListOrderPostResponse, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>DELETE /order</c> (L2): cancels one order.</summary>
    public Task<CancelOrdersResponse> CancelOrderAsync(string orderId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orderId);
        var body = JsonBody.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("orderID", orderId);
            w.WriteEndObject();
        });
        return Cancel("/order", EndpointGroups.ClobCancelOrder, body, cancellationToken);
    }

    /// <summary><c>DELETE /orders</c> (L2): cancels several orders.</summary>
    public Task<CancelOrdersResponse> CancelOrdersAsync(IEnumerable<string> orderIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(orderIds);
        return Cancel("/orders", EndpointGroups.ClobCancelOrders, JsonBody.StringArray(orderIds), cancellationToken);
    }

    /// <summary><c>DELETE /cancel-all</c> (L2): cancels every open order of the API key.</summary>
    public Task<CancelOrdersResponse> CancelAllAsync(CancellationToken cancellationToken = default) =>
        Cancel("/cancel-all", EndpointGroups.ClobCancelOrders, null, cancellationToken);

    /// <summary><c>DELETE /cancel-market-orders</c> (L2): cancels the open orders of a market and/or token.</summary>
    public Task<CancelOrdersResponse> CancelMarketOrdersAsync(string? market, string? assetId, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(market) && string.IsNullOrEmpty(assetId))
        {
            throw new ArgumentException("give a market (condition ID), an asset ID, or both");
        }

        var body = JsonBody.Write(w =>
        {
            w.WriteStartObject();
            if (!string.IsNullOrEmpty(market))
            {
                w.WriteString("market", market);
            }

            if (!string.IsNullOrEmpty(assetId))
            {
                w.WriteString("asset_id", assetId);
            }

            w.WriteEndObject();
        });
        return Cancel("/cancel-market-orders", EndpointGroups.ClobCancelOrders, body, cancellationToken);
    }

    /// <summary><c>GET /data/order/{id}</c> (L2): one order.</summary>
    public Task<OpenOrder> GetOpenOrderAsync(string orderId, CancellationToken cancellationToken = default) =>
        Transport.SendAsync(
            Authenticated(HttpMethod.Get, "/data/order/" + Segment(orderId), EndpointGroups.ClobLedger),
            Json.OpenOrder,
            cancellationToken);

    /// <summary><c>GET /data/orders</c> (L2): one page of open orders.</summary>
    public Task<ClobPage<OpenOrder>> GetOpenOrdersAsync(OpenOrdersQuery? query = null, string? nextCursor = null, CancellationToken cancellationToken = default)
    {
        var request = Authenticated(HttpMethod.Get, "/data/orders", EndpointGroups.ClobDataOrders)
            .WithQuery("id", query?.Id)
            .WithQuery("market", query?.Market)
            .WithQuery("asset_id", query?.AssetId)
            .WithQuery("next_cursor", nextCursor);
        return Transport.SendAsync(request, Json.ClobPageOpenOrder, cancellationToken);
    }

    /// <summary>Every open order matching <paramref name="query"/>, following <c>next_cursor</c>.</summary>
    public IAsyncEnumerable<OpenOrder> GetAllOpenOrdersAsync(OpenOrdersQuery? query = null, CancellationToken cancellationToken = default) =>
        Paginate((cursor, ct) => GetOpenOrdersAsync(query, cursor, ct), cancellationToken);

    /// <summary><c>GET /data/trades</c> (L2): one page of the user's trades.</summary>
    public Task<ClobPage<ClobTrade>> GetTradesAsync(TradesQuery? query = null, string? nextCursor = null, CancellationToken cancellationToken = default)
    {
        var request = Authenticated(HttpMethod.Get, "/data/trades", EndpointGroups.ClobDataTrades)
            .WithQuery("id", query?.Id)
            .WithQuery("maker_address", query?.MakerAddress)
            .WithQuery("market", query?.Market)
            .WithQuery("asset_id", query?.AssetId)
            .WithQuery("before", query?.Before?.ToUnixTimeSeconds())
            .WithQuery("after", query?.After?.ToUnixTimeSeconds())
            .WithQuery("next_cursor", nextCursor);
        return Transport.SendAsync(request, Json.ClobPageClobTrade, cancellationToken);
    }

    /// <summary>Every trade matching <paramref name="query"/>, following <c>next_cursor</c>.</summary>
    public IAsyncEnumerable<ClobTrade> GetAllTradesAsync(TradesQuery? query = null, CancellationToken cancellationToken = default) =>
        Paginate((cursor, ct) => GetTradesAsync(query, cursor, ct), cancellationToken);

    /// <summary><c>GET /balance-allowance</c> (L2): the balance and allowances of collateral or an outcome token.</summary>
    /// <param name="assetType">Collateral or a conditional token.</param>
    /// <param name="tokenId">The token ID (for conditional tokens).</param>
    /// <param name="signatureType">The signature type of the funder (0 EOA, 1 proxy, 2 Safe, 3 deposit wallet), if not the key's default.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<BalanceAllowance> GetBalanceAllowanceAsync(
        BalanceAssetType assetType,
        string? tokenId = null,
        int? signatureType = null,
        CancellationToken cancellationToken = default) =>
        Transport.SendAsync(
            BalanceRequest("/balance-allowance", EndpointGroups.ClobBalanceAllowance, assetType, tokenId, signatureType, expectsBody: true),
            Json.BalanceAllowance,
            cancellationToken);

    /// <summary><c>GET /balance-allowance/update</c> (L2): asks the CLOB to refresh its cached on-chain balance and allowance.</summary>
    public async Task UpdateBalanceAllowanceAsync(
        BalanceAssetType assetType,
        string? tokenId = null,
        int? signatureType = null,
        CancellationToken cancellationToken = default)
    {
        var request = BalanceRequest(
            "/balance-allowance/update",
            EndpointGroups.ClobBalanceAllowanceUpdate,
            assetType,
            tokenId,
            signatureType,
            expectsBody: false);
        await Transport.SendForBodyAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>POST /v1/heartbeats</c> (L2, protocol reference §8.4): sends <paramref name="heartbeatId"/> ("" the first time).
    /// A mismatch is a normal reply with <see cref="HeartbeatResponse.ErrorMsg"/> set and the expected ID in
    /// <see cref="HeartbeatResponse.HeartbeatId"/>; <see cref="ClobHeartbeat"/> handles the resend.
    /// </summary>
    public async Task<HeartbeatResponse> PostHeartbeatAsync(string heartbeatId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(heartbeatId);
        var body = JsonBody.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("heartbeat_id", heartbeatId);
            w.WriteEndObject();
        });
        var request = Authenticated(HttpMethod.Post, "/v1/heartbeats", EndpointGroups.General, body);
        try
        {
            return await Transport.SendAsync(request, Json.HeartbeatResponse, cancellationToken).ConfigureAwait(false);
        }
        catch (PolymarketApiException e) when (e is { Kind: PolymarketApiErrorKind.HttpStatus, StatusCode: >= 400 and < 500 } && MismatchOf(e) is { } mismatch)
        {
            return mismatch;
        }
    }

    private static HeartbeatResponse? MismatchOf(PolymarketApiException e)
    {
        if (e.BodyExcerpt is not { } text)
        {
            return null;
        }

        try
        {
            var reply = JsonSerializer.Deserialize(text, Json.HeartbeatResponse);
            return reply is { HeartbeatId.Length: > 0, ErrorMsg.Length: > 0 } ? reply : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async IAsyncEnumerable<T> Paginate<T>(
        Func<string?, CancellationToken, Task<ClobPage<T>>> fetch,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? cursor = null;
        while (true)
        {
            var page = await fetch(cursor, cancellationToken).ConfigureAwait(false);
            foreach (var row in page.Data)
            {
                yield return row;
            }

            if (page.IsLastPage || page.NextCursor == cursor)
            {
                yield break;
            }

            cursor = page.NextCursor;
        }
    }

    private Task<CancelOrdersResponse> Cancel(string path, string group, string? body, CancellationToken cancellationToken) =>
        Transport.SendAsync(Authenticated(HttpMethod.Delete, path, group, body), Json.CancelOrdersResponse, cancellationToken);

    private PolymarketRequest BalanceRequest(
        string path,
        string group,
        BalanceAssetType assetType,
        string? tokenId,
        int? signatureType,
        bool expectsBody)
    {
        var assetText = assetType switch
        {
            BalanceAssetType.Collateral => "COLLATERAL",
            BalanceAssetType.Conditional => "CONDITIONAL",
            BalanceAssetType.ConditionalV2 => "CONDITIONAL-V2",
            _ => throw new ArgumentOutOfRangeException(nameof(assetType), assetType, "unknown asset type"),
        };
        return Authenticated(HttpMethod.Get, path, group, expectsBody: expectsBody)
            .WithQuery("asset_type", assetText)
            .WithQuery("token_id", tokenId)
            .WithQuery("signature_type", signatureType);
    }

    private PolymarketRequest Authenticated(
        HttpMethod method,
        string path,
        string group,
        string? body = null,
        RetryMode retryMode = RetryMode.Transient,
        bool expectsBody = true) =>
        new(method, path, group)
        {
            Body = body,
            ExpectsBody = expectsBody,
            Authenticator = _authenticator
                ?? throw new InvalidOperationException($"{method.Method} {path} needs L2 authentication, but this ClobClient has no IRequestAuthenticator"),
            RetryMode = retryMode,
        };

    private static PolymarketRequest Get(string path, string group) => new(HttpMethod.Get, path, group);

    private static PolymarketRequest Post(string path, string group, string body) => new(HttpMethod.Post, path, group) { Body = body };

    private static string TokenArray(IEnumerable<string> tokenIds)
    {
        ArgumentNullException.ThrowIfNull(tokenIds);
        return JsonBody.Write(w =>
        {
            w.WriteStartArray();
            foreach (var id in tokenIds)
            {
                w.WriteStartObject();
                w.WriteString("token_id", id);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    private static string SideText(QuoteSide side) =>
        side switch
        {
            QuoteSide.Buy => "BUY",
            QuoteSide.Sell => "SELL",
            _ => throw new ArgumentOutOfRangeException(nameof(side), side, "unknown side"),
        };

    private static string Segment(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return Uri.EscapeDataString(id);
    }
}
