using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PolymarketAlgo.Simulator.Data;
using PolymarketAlgo.Simulator.Exchange;
using PolymarketAlgo.Simulator.Markets;
using static PolymarketAlgo.Simulator.Api.HttpJson;

namespace PolymarketAlgo.Simulator.Api;

/// <summary>
/// The Gamma API (§7.3) for the btc-updown-5m windows: the recorded Gamma object of a window (or a recorded one
/// rewritten for its slug, dates and ids) with its state at the simulated now: accepting orders from 24 h before the
/// start to the end, live outcome prices from the replayed book, then closed with prices 1/0 after resolution.
/// </summary>
internal static class GammaApi
{
    private const long Day = 86_400;

    public static void Map(IEndpointRouteBuilder app, string prefix, SimExchange exchange)
    {
        var gamma = app.MapGroup(prefix);
        gamma.MapGet("/events", (HttpContext c) =>
        {
            var windows = Select(exchange, c, QueryAll(c, "slug"), [], []);
            return Json(new JsonArray(windows.Select(w => (JsonNode)Event(exchange, w)).ToArray()).ToJsonString());
        });
        gamma.MapGet("/events/{id}", (string id) =>
            FindById(exchange, id, byEvent: true) is { } window ? Json(Event(exchange, window).ToJsonString()) : Error("event not found", 404));
        gamma.MapGet("/markets", (HttpContext c) =>
        {
            var windows = Select(exchange, c, QueryAll(c, "slug"), QueryAll(c, "condition_ids"), QueryAll(c, "clob_token_ids"));
            return Json(new JsonArray(windows.Select(w => (JsonNode)Market(exchange, w, withEvent: true)).ToArray()).ToJsonString());
        });
        gamma.MapGet("/markets/slug/{slug}", (string slug) =>
            Listed(exchange, slug) is { } window ? Json(Market(exchange, window, withEvent: true).ToJsonString()) : Error("market not found", 404));
        gamma.MapGet("/markets/{id}", (string id) =>
            FindById(exchange, id, byEvent: false) is { } window ? Json(Market(exchange, window, withEvent: true).ToJsonString()) : Error("market not found", 404));
        gamma.MapGet("/series", () => Json(new JsonArray(Series()).ToJsonString()));
    }

    /// <summary>The Gamma market object of a window at the simulated now.</summary>
    /// <param name="exchange">The exchange.</param>
    /// <param name="window">The window.</param>
    /// <param name="withEvent">Include the <c>events</c> array.</param>
    /// <returns>The object.</returns>
    public static JsonObject Market(SimExchange exchange, MarketWindow window, bool withEvent)
    {
        var status = exchange.StatusOf(window);
        var market = (JsonObject)window.GammaTemplate.DeepClone();
        market["id"] = window.GammaId;
        market["question"] = window.Question;
        market["conditionId"] = window.ConditionId;
        market["questionID"] = window.QuestionId;
        market["slug"] = window.Slug;
        market["outcomes"] = "[\"Up\", \"Down\"]";
        market["clobTokenIds"] = $"[\"{window.UpTokenId}\", \"{window.DownTokenId}\"]";
        if (!window.RecordedIdentity || market["startDate"] is null)
        {
            market["startDate"] = SimExchange.Iso(window.StartUnixSeconds - Day);
            market["createdAt"] = SimExchange.Iso(window.StartUnixSeconds - Day);
            market["acceptingOrdersTimestamp"] = SimExchange.Iso(window.StartUnixSeconds - Day);
            market["startDateIso"] = DateOnly(window.StartUnixSeconds - Day);
        }

        market["endDate"] = SimExchange.Iso(window.EndUnixSeconds);
        market["endDateIso"] = DateOnly(window.EndUnixSeconds);
        market["eventStartTime"] = SimExchange.Iso(window.StartUnixSeconds);
        market["active"] = true;
        market["archived"] = false;
        market["closed"] = status.Resolved;
        market["acceptingOrders"] = status.AcceptingOrders;
        market["enableOrderBook"] = true;
        market["negRisk"] = false;
        market["orderPriceMinTickSize"] = window.TickSize;
        market["orderMinSize"] = window.MinimumOrderSize;
        market["umaResolutionStatuses"] = "[]";
        var up = status.UpBook;
        var upPrice = status.Resolved ? (window.UpWins ? 1m : 0m) : Math.Round(up?.Mid ?? up?.LastTradePrice ?? 0.5m, 3);
        market["outcomePrices"] = $"[\"{JsonText.Format(upPrice)}\", \"{JsonText.Format(1m - upPrice)}\"]";
        Set(market, "bestBid", up?.BestBid);
        Set(market, "bestAsk", up?.BestAsk);
        Set(market, "spread", up?.Spread);
        Set(market, "lastTradePrice", up?.LastTradePrice);
        if (status.Resolved)
        {
            var closed = DateTimeOffset.FromUnixTimeSeconds(window.EndUnixSeconds).UtcDateTime;
            market["umaResolutionStatus"] = "resolved";
            market["closedTime"] = closed.ToString("yyyy-MM-dd HH:mm:ss'+00'", CultureInfo.InvariantCulture);
            market["umaEndDate"] = SimExchange.Iso(window.EndUnixSeconds);
        }
        else
        {
            market.Remove("umaResolutionStatus");
            market.Remove("closedTime");
            market.Remove("umaEndDate");
        }

        if (withEvent)
        {
            market["events"] = new JsonArray(EventHeader(window, status.Resolved));
        }
        else
        {
            market.Remove("events");
        }

        return market;
    }

    private static JsonObject Event(SimExchange exchange, MarketWindow window)
    {
        var market = Market(exchange, window, withEvent: false);
        var header = EventHeader(window, (bool?)market["closed"] == true);
        header["description"] = (string?)market["description"];
        header["resolutionSource"] = (string?)market["resolutionSource"];
        header["startDate"] = (string?)market["startDate"];
        header["creationDate"] = (string?)market["startDate"];
        header["active"] = true;
        header["archived"] = false;
        header["negRisk"] = false;
        header["markets"] = new JsonArray(market);
        return header;
    }

    private static JsonObject EventHeader(MarketWindow window, bool closed) =>
        new()
        {
            ["id"] = window.EventId,
            ["ticker"] = window.Slug,
            ["slug"] = window.Slug,
            ["title"] = window.Question,
            ["startTime"] = SimExchange.Iso(window.StartUnixSeconds),
            ["endDate"] = SimExchange.Iso(window.EndUnixSeconds),
            ["closed"] = closed,
            ["seriesSlug"] = "btc-up-or-down-5m",
            ["series"] = new JsonArray(Series()),
        };

    private static JsonObject Series() =>
        new()
        {
            ["id"] = "10684",
            ["slug"] = "btc-up-or-down-5m",
            ["title"] = "BTC Up or Down 5m",
            ["recurrence"] = "5m",
        };

    /// <summary>The windows a query names (by slug, condition id or token id), or the listed windows around now.</summary>
    private static IReadOnlyList<MarketWindow> Select(
        SimExchange exchange,
        HttpContext context,
        IReadOnlyList<string> slugs,
        IReadOnlyList<string> conditionIds,
        IReadOnlyList<string> tokenIds)
    {
        exchange.Advance();
        var now = exchange.Clock.GetUtcNow().ToUnixTimeSeconds();
        IEnumerable<MarketWindow> windows;
        if (slugs.Count + conditionIds.Count + tokenIds.Count > 0)
        {
            windows = slugs.Select(s => Listed(exchange, s))
                .Concat(conditionIds.Select(id => exchange.Catalog.TryGetByCondition(id, out var w) ? w : null))
                .Concat(tokenIds.Select(id => exchange.Catalog.TryGetByToken(id, out var w) ? w : null))
                .OfType<MarketWindow>()
                .Where(w => w.StartUnixSeconds - Day <= now)
                .DistinctBy(w => w.StartUnixSeconds);
        }
        else
        {
            var current = WindowCatalog.Floor(now);
            windows = Enumerable.Range(-12, 25).Select(i => exchange.Catalog.Get(current + (i * MarketWindow.LengthSeconds)));
        }

        var closed = QueryBool(context, "closed");
        var active = QueryBool(context, "active");
        return windows
            .Where(w => closed is null || exchange.IsResolved(w) == closed)
            .Where(w => active is null || active == true)
            .OrderBy(w => w.StartUnixSeconds)
            .Skip(QueryInt(context, "offset", 0, 100_000))
            .Take(QueryInt(context, "limit", 100, 500))
            .ToArray();
    }

    private static MarketWindow? Listed(SimExchange exchange, string slug)
    {
        if (!RecordedData.TryParseSlug(slug, out var start))
        {
            return null;
        }

        var now = exchange.Clock.GetUtcNow().ToUnixTimeSeconds();
        return start - Day <= now ? exchange.Catalog.Get(start) : null;
    }

    private static MarketWindow? FindById(SimExchange exchange, string id, bool byEvent)
    {
        exchange.Advance();
        var now = exchange.Clock.GetUtcNow().ToUnixTimeSeconds();
        return exchange.Catalog.Registered()
            .FirstOrDefault(w => (byEvent ? w.EventId : w.GammaId) == id && w.StartUnixSeconds - Day <= now);
    }

    private static void Set(JsonObject market, string name, decimal? value)
    {
        if (value is { } v)
        {
            market[name] = v;
        }
    }

    private static string DateOnly(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(unixSeconds).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
