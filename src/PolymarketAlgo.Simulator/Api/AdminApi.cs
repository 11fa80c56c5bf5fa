using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PolymarketAlgo.Simulator.Exchange;
using PolymarketAlgo.Simulator.Faults;
using PolymarketAlgo.Simulator.Streaming;
using static PolymarketAlgo.Simulator.Api.HttpJson;

namespace PolymarketAlgo.Simulator.Api;

/// <summary>
/// The simulator's own endpoints under <c>/_sim</c>: status, and fault injection (never faulted themselves).
/// </summary>
internal static class AdminApi
{
    public static void Map(IEndpointRouteBuilder app, string prefix, SimExchange exchange, FaultInjector faults, WebSocketHub hub, Func<JsonObject> urls)
    {
        var admin = app.MapGroup(prefix);
        admin.MapGet("/status", () =>
        {
            var status = exchange.Status();
            var (rejections, rateLimited, downSeconds) = faults.Pending();
            status["urls"] = urls();
            status["websocket_connections"] = hub.ConnectionCount;
            status["faults"] = new JsonObject
            {
                ["reject_orders"] = rejections,
                ["rate_limited_requests"] = rateLimited,
                ["down_seconds"] = downSeconds,
            };
            return Json(status.ToJsonString());
        });
        admin.MapPost("/faults/reject-orders", (HttpContext c) =>
        {
            faults.RejectNextOrders(QueryInt(c, "count", 1, int.MaxValue), Query(c, "message") ?? FaultInjector.DefaultRejection);
            return Ok();
        });
        admin.MapPost("/faults/rate-limit", (HttpContext c) =>
        {
            faults.RateLimit(QueryInt(c, "count", 1, int.MaxValue), TimeSpan.FromSeconds(Seconds(c, "retry_after", 1)));
            return Ok();
        });
        admin.MapPost("/faults/hold-order-replies", (HttpContext c) =>
        {
            faults.HoldNextOrderReplies(QueryInt(c, "count", 1, int.MaxValue), TimeSpan.FromSeconds(Seconds(c, "seconds", 5)));
            return Ok();
        });
        admin.MapPost("/faults/down", (HttpContext c) =>
        {
            var mode = Query(c, "mode") switch
            {
                null or "503" => OutageMode.ServiceUnavailable,
                "refuse" => OutageMode.Refuse,
                _ => (OutageMode?)null,
            };
            if (mode is null)
            {
                return Error("mode is 503 or refuse", 400);
            }

            faults.GoDown(TimeSpan.FromSeconds(Seconds(c, "seconds", 5)), mode.Value);
            return Ok();
        });
        admin.MapPost("/faults/drop-websockets", () =>
        {
            faults.DropWebSockets();
            return Ok();
        });
        admin.MapDelete("/faults", () =>
        {
            faults.Clear();
            return Ok();
        });
    }

    private static double Seconds(HttpContext context, string name, double fallback) =>
        double.TryParse(Query(context, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value : fallback;

    private static IResult Ok() => Json("{\"ok\":true}");
}
