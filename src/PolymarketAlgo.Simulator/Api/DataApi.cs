using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PolymarketAlgo.Simulator.Data;
using PolymarketAlgo.Simulator.Exchange;
using static PolymarketAlgo.Simulator.Api.HttpJson;

namespace PolymarketAlgo.Simulator.Api;

/// <summary>
/// The Data API v1 routes (§7.4, camelCase rows in bare arrays, <c>limit</c>/<c>offset</c>): <c>/activity</c>,
/// <c>/trades</c> and <c>/positions</c> of the simulated accounts and leader wallets (generated from their fills)
/// and of the real wallets of the py-sdk fixtures.
/// </summary>
internal static class DataApi
{
    public static void Map(IEndpointRouteBuilder app, string prefix, SimExchange exchange, RecordedData data)
    {
        var api = app.MapGroup(prefix);
        api.MapGet("/activity", (HttpContext c) => Rows(c, user =>
        {
            var types = QueryAll(c, "type");
            var side = Query(c, "side");
            var start = QueryLong(c, "start");
            var end = QueryLong(c, "end");
            return exchange.Activity(user)
                .Concat(Fixture(data.FixtureActivity, user))
                .Where(r => types.Count == 0 || types.Contains((string?)r["type"] ?? "", StringComparer.OrdinalIgnoreCase))
                .Where(r => side is null || string.Equals((string?)r["side"], side, StringComparison.OrdinalIgnoreCase))
                .Where(r => start is null || (long?)r["timestamp"] >= start)
                .Where(r => end is null || (long?)r["timestamp"] <= end);
        }, maxLimit: 500));
        api.MapGet("/trades", (HttpContext c) => Rows(c, user =>
        {
            var side = Query(c, "side");
            return exchange.WalletTrades(user)
                .Concat(Fixture(data.FixtureTrades, user))
                .Where(r => side is null || string.Equals((string?)r["side"], side, StringComparison.OrdinalIgnoreCase));
        }, maxLimit: 10_000));
        api.MapGet("/positions", (HttpContext c) => Rows(c, user => exchange.Positions(user), maxLimit: 500));
    }

    private static IResult Rows(HttpContext context, Func<string, IEnumerable<JsonObject>> rows, int maxLimit)
    {
        if (Query(context, "user") is not { } user)
        {
            return Error("user is required", 400);
        }

        var markets = QueryAll(context, "market");
        var selected = rows(user)
            .Where(r => markets.Count == 0 || markets.Contains((string?)r["conditionId"] ?? "", StringComparer.OrdinalIgnoreCase))
            .OrderByDescending(r => (long?)r["timestamp"] ?? 0)
            .Skip(QueryInt(context, "offset", 0, 10_000))
            .Take(QueryInt(context, "limit", 100, maxLimit))
            .Select(r => (JsonNode)r)
            .ToArray();
        return Json(new JsonArray(selected).ToJsonString());
    }

    private static IEnumerable<JsonObject> Fixture(IReadOnlyList<JsonObject> rows, string user) =>
        rows.Where(r => string.Equals((string?)r["proxyWallet"], user, StringComparison.OrdinalIgnoreCase)).Select(r => (JsonObject)r.DeepClone());
}
