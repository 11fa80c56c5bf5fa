using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PolymarketAlgo.Executor.Orders;
using PolymarketAlgo.Simulator.Auth;
using PolymarketAlgo.Simulator.Exchange;
using PolymarketAlgo.Simulator.Faults;
using PolymarketAlgo.Simulator.Markets;
using static PolymarketAlgo.Simulator.Api.HttpJson;

namespace PolymarketAlgo.Simulator.Api;

/// <summary>The CLOB REST API (§2, §3, §4, §7.1, §7.2, §8.4) under a mount prefix.</summary>
internal static class ClobApi
{
    private const string NoBook = "No orderbook exists for the requested token id";

    public static void Map(IEndpointRouteBuilder app, string prefix, SimExchange exchange, ApiKeyRegistry keys, FaultInjector faults)
    {
        var clob = app.MapGroup(prefix);
        clob.MapGet("/", () => Results.Text("OK"));
        clob.MapGet("/ok", () => Results.Text("OK"));
        clob.MapGet("/time", () => Json(JsonText.Format(exchange.Clock.GetUtcNow().ToUnixTimeSeconds())));
        clob.MapGet("/version", () => Json("{\"version\":2}"));

        clob.MapGet("/book", (HttpContext c) => exchange.GetBook(Query(c, "token_id") ?? "") is { } book ? Json(book.ToJson(asEvent: false)) : Error(NoBook, 404));
        clob.MapPost("/books", async (HttpContext c) =>
        {
            var tokens = await TokenRequestsAsync(c).ConfigureAwait(false);
            var books = tokens.Select(t => exchange.GetBook(t.TokenId)).OfType<BookView>();
            return Json("[" + string.Join(",", books.Select(b => b.ToJson(asEvent: false))) + "]");
        });
        clob.MapGet("/price", (HttpContext c) =>
        {
            var side = Query(c, "side");
            if (side is not ("BUY" or "SELL"))
            {
                return Error("Invalid side", 400);
            }

            var price = exchange.GetBook(Query(c, "token_id") ?? "") is { } book ? (side == "BUY" ? book.BestBid : book.BestAsk) : null;
            return price is { } p ? Json(Object(w => w.WriteDecimalString("price", p))) : Error(NoBook, 404);
        });
        clob.MapPost("/prices", async (HttpContext c) =>
        {
            var requests = await TokenRequestsAsync(c).ConfigureAwait(false);
            return Json(JsonText.Write(w =>
            {
                w.WriteStartObject();
                foreach (var group in requests.GroupBy(r => r.TokenId))
                {
                    if (exchange.GetBook(group.Key) is not { } book)
                    {
                        continue;
                    }

                    w.WriteStartObject(group.Key);
                    foreach (var side in group.Select(r => r.Side).OfType<string>().Distinct())
                    {
                        if ((side == "BUY" ? book.BestBid : book.BestAsk) is { } price)
                        {
                            w.WriteDecimalString(side, price);
                        }
                    }

                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }));
        });
        clob.MapGet("/midpoint", (HttpContext c) =>
            exchange.GetBook(Query(c, "token_id") ?? "")?.Mid is { } mid ? Json(Object(w => w.WriteDecimalString("mid", mid))) : Error(NoBook, 404));
        clob.MapPost("/midpoints", async (HttpContext c) => Json(TokenMap(await TokenRequestsAsync(c).ConfigureAwait(false), exchange, b => b.Mid)));
        clob.MapGet("/spread", (HttpContext c) =>
            exchange.GetBook(Query(c, "token_id") ?? "")?.Spread is { } spread ? Json(Object(w => w.WriteDecimalString("spread", spread))) : Error(NoBook, 404));
        clob.MapPost("/spreads", async (HttpContext c) => Json(TokenMap(await TokenRequestsAsync(c).ConfigureAwait(false), exchange, b => b.Spread)));
        clob.MapGet("/last-trade-price", (HttpContext c) =>
            exchange.GetBook(Query(c, "token_id") ?? "") is { } book
                ? Json(Object(w =>
                {
                    w.WriteDecimalString("price", book.LastTradePrice ?? book.Mid ?? 0.5m);
                    w.WriteString("side", "BUY");
                }))
                : Error(NoBook, 404));
        clob.MapGet("/tick-size", (HttpContext c) => WithWindow(exchange, Query(c, "token_id"), w => Object(j => j.WriteDecimalNumber("minimum_tick_size", w.TickSize))));
        clob.MapGet("/neg-risk", (HttpContext c) => WithWindow(exchange, Query(c, "token_id"), _ => "{\"neg_risk\":false}"));
        clob.MapGet("/fee-rate", (HttpContext c) => WithWindow(exchange, Query(c, "token_id"), w => Object(j => j.WriteNumber("base_fee", 1000))));
        clob.MapGet("/markets", (HttpContext c) => Json(MarketsPage(exchange, Query(c, "next_cursor"))));
        clob.MapGet("/markets/{conditionId}", (string conditionId) =>
            exchange.Catalog.TryGetByCondition(conditionId, out var window) ? Json(JsonText.Write(w => WriteClobMarket(w, exchange, window))) : Error("market not found", 404));
        clob.MapGet("/clob-markets/{conditionId}", (string conditionId) =>
            exchange.Catalog.TryGetByCondition(conditionId, out var window) ? Json(CompactMarket(exchange, window)) : Error("market not found", 404));

        clob.MapPost("/auth/api-key", (HttpContext c) => IssueKey(c, keys));
        clob.MapGet("/auth/derive-api-key", (HttpContext c) => IssueKey(c, keys));
        clob.MapGet("/auth/api-keys", (HttpContext c) => L2(c, keys, prefix, null, key => Json(JsonText.Write(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("apiKeys");
            foreach (var k in keys.KeysOf(key.Address))
            {
                w.WriteStringValue(k.ApiKey);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }))));
        clob.MapDelete("/auth/api-key", (HttpContext c) => L2(c, keys, prefix, null, key =>
        {
            keys.Revoke(key.ApiKey);
            return Json("\"OK\"");
        }));
        clob.MapGet("/auth/ban-status/closed-only", (HttpContext c) => L2(c, keys, prefix, null, _ => Json("{\"closed_only\":false}")));

        clob.MapPost("/order", async (HttpContext c) =>
        {
            var body = await BodyAsync(c).ConfigureAwait(false);
            var held = TimeSpan.Zero;
            var result = L2(c, keys, prefix, body, key =>
            {
                if (faults.TryTakeOrderRejection(out var injected))
                {
                    return Error(injected, 400);
                }

                var (reply, error) = PlaceOne(exchange, key, body);
                if (error is null && faults.TryTakeReplyHold(out var hold))
                {
                    held = hold;
                }

                return error is not null ? Error(error) : Json(ReplyJson(reply!));
            });
            if (held > TimeSpan.Zero)
            {
                await Task.Delay(held, c.RequestAborted).ConfigureAwait(false);
            }

            return result;
        });
        clob.MapPost("/orders", async (HttpContext c) =>
        {
            var body = await BodyAsync(c).ConfigureAwait(false);
            return L2(c, keys, prefix, body, key => PlaceBatch(exchange, faults, key, body));
        });
        clob.MapDelete("/order", async (HttpContext c) =>
        {
            var body = await BodyAsync(c).ConfigureAwait(false);
            return L2(c, keys, prefix, body, key =>
                ReadJson(body, root => root.TryGetProperty("orderID", out var id) ? id.GetString() : null) is { } orderId
                    ? Json(CancelJson(exchange.Cancel(key.ApiKey, [orderId])))
                    : Error("Invalid payload", 400));
        });
        clob.MapDelete("/orders", async (HttpContext c) =>
        {
            var body = await BodyAsync(c).ConfigureAwait(false);
            return L2(c, keys, prefix, body, key =>
                ReadJson(body, root => root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().Select(e => e.GetString()).OfType<string>().ToArray() : null) is { } ids
                    ? Json(CancelJson(exchange.Cancel(key.ApiKey, ids)))
                    : Error("Invalid payload", 400));
        });
        clob.MapDelete("/cancel-all", async (HttpContext c) =>
        {
            var body = await BodyAsync(c).ConfigureAwait(false);
            return L2(c, keys, prefix, body, key => Json(CancelJson(exchange.CancelAll(key.ApiKey))));
        });
        clob.MapDelete("/cancel-market-orders", async (HttpContext c) =>
        {
            var body = await BodyAsync(c).ConfigureAwait(false);
            return L2(c, keys, prefix, body, key =>
            {
                var filter = ReadJson(body, root => (
                    Market: root.TryGetProperty("market", out var m) ? m.GetString() : null,
                    Asset: root.TryGetProperty("asset_id", out var a) ? a.GetString() : null));
                return string.IsNullOrEmpty(filter.Market) && string.IsNullOrEmpty(filter.Asset)
                    ? Error("Invalid payload: give a market or an asset_id", 400)
                    : Json(CancelJson(exchange.CancelAll(key.ApiKey, NullIfEmpty(filter.Market), NullIfEmpty(filter.Asset))));
            });
        });
        clob.MapGet("/data/order/{orderId}", (HttpContext c, string orderId) => L2(c, keys, prefix, null, key =>
            exchange.GetOrder(key.ApiKey, orderId) is { } order
                ? Json(JsonText.Write(w =>
                {
                    w.WriteStartObject();
                    SimExchange.WriteOrderFields(w, order, createdAtAsText: false);
                    w.WriteEndObject();
                }))
                : Error("order not found", 404)));
        clob.MapGet("/data/orders", (HttpContext c) => L2(c, keys, prefix, null, key =>
        {
            var orders = exchange.OpenOrders(key.ApiKey, Query(c, "id"), Query(c, "market"), Query(c, "asset_id"));
            return Json(Page(orders, Query(c, "next_cursor"), (w, o) =>
            {
                w.WriteStartObject();
                SimExchange.WriteOrderFields(w, o, createdAtAsText: false);
                w.WriteEndObject();
            }));
        }));
        clob.MapGet("/data/trades", (HttpContext c) => L2(c, keys, prefix, null, key =>
        {
            var trades = exchange.Trades(
                key.ApiKey,
                Query(c, "id"),
                Query(c, "market"),
                Query(c, "asset_id"),
                QueryLong(c, "before"),
                QueryLong(c, "after"));
            return Json(Page(trades, Query(c, "next_cursor"), (w, t) =>
            {
                w.WriteStartObject();
                SimExchange.WriteTradeFields(w, t, "CONFIRMED");
                w.WriteEndObject();
            }));
        }));
        clob.MapGet("/balance-allowance", (HttpContext c) => L2(c, keys, prefix, null, key => BalanceJson(c, exchange, key)));
        clob.MapGet("/balance-allowance/update", (HttpContext c) => L2(c, keys, prefix, null, key => BalanceJson(c, exchange, key)));
        clob.MapPost("/heartbeats", async (HttpContext c) =>
        {
            var body = await BodyAsync(c).ConfigureAwait(false);
            return L2(c, keys, prefix, body, _ => Json("{\"status\":\"ok\"}"));
        });
        clob.MapPost("/v1/heartbeats", async (HttpContext c) =>
        {
            var body = await BodyAsync(c).ConfigureAwait(false);
            return L2(c, keys, prefix, body, key =>
            {
                var sent = ReadJson(body, root => root.TryGetProperty("heartbeat_id", out var id) ? id.GetString() ?? "" : "") ?? "";
                var (accepted, heartbeatId) = exchange.Heartbeat(key.ApiKey, sent);
                return accepted
                    ? Json(Object(w => w.WriteString("heartbeat_id", heartbeatId)))
                    : Json(Object(w =>
                    {
                        w.WriteString("error_msg", "Invalid Heartbeat ID");
                        w.WriteString("heartbeat_id", heartbeatId);
                    }), 400);
            });
        });
    }

    private static IResult IssueKey(HttpContext context, ApiKeyRegistry keys)
    {
        if (keys.VerifyL1(name => Header(context, name), out var address, out var nonce) is { } failure)
        {
            return Error(failure.Message, failure.Status);
        }

        var key = keys.Issue(address!, nonce);
        return Json(Object(w =>
        {
            w.WriteString("apiKey", key.ApiKey);
            w.WriteString("secret", key.Secret);
            w.WriteString("passphrase", key.Passphrase);
        }));
    }

    private static IResult L2(HttpContext context, ApiKeyRegistry keys, string prefix, string? body, Func<ApiKeyRecord, IResult> handler)
    {
        if (AuthenticateL2(context, keys, prefix, body, out var key) is { } failure)
        {
            return Error(failure.Message, failure.Status);
        }

        return handler(key!);
    }

    private static (OrderReply? Reply, ExchangeError? Error) PlaceOne(SimExchange exchange, ApiKeyRecord key, string body)
    {
        OrderResult<OrderSubmission> parsed;
        try
        {
            parsed = OrderSerializer.Deserialize(body, exchange.Domain);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return (null, new ExchangeError(400, "Invalid order payload"));
        }

        return parsed.TryGetValue(out var submission)
            ? exchange.Place(submission, key)
            : (null, new ExchangeError(400, parsed.Error!.Message));
    }

    private static IResult PlaceBatch(SimExchange exchange, FaultInjector faults, ApiKeyRecord key, string body)
    {
        string[] legs;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return Error("Invalid order payload", 400);
            }

            legs = document.RootElement.EnumerateArray().Select(e => e.GetRawText()).ToArray();
        }
        catch (JsonException)
        {
            return Error("Invalid order payload", 400);
        }

        if (legs.Length is 0 or > OrderSerializer.MaxBatchSize)
        {
            return Error($"Too many orders in payload, max {OrderSerializer.MaxBatchSize}", 400);
        }

        var replies = new List<string>();
        foreach (var leg in legs)
        {
            if (faults.TryTakeOrderRejection(out var injected))
            {
                replies.Add(ReplyJson(new OrderReply(true, injected, "", "unmatched", null, null, [], [])));
                continue;
            }

            var (reply, error) = PlaceOne(exchange, key, leg);
            replies.Add(ReplyJson(reply ?? new OrderReply(true, error!.Message, "", "unmatched", null, null, [], [])));
        }

        return Json("[" + string.Join(",", replies) + "]");
    }

    private static string ReplyJson(OrderReply reply) =>
        Object(w =>
        {
            w.WriteBoolean("success", reply.Success);
            w.WriteString("errorMsg", reply.ErrorMsg);
            w.WriteString("orderID", reply.OrderId);
            w.WriteString("status", reply.Status);
            w.WriteString("makingAmount", reply.MakingAmount is { } making ? JsonText.Format(making) : "");
            w.WriteString("takingAmount", reply.TakingAmount is { } taking ? JsonText.Format(taking) : "");
            w.WriteStartArray("tradeIDs");
            foreach (var id in reply.TradeIds)
            {
                w.WriteStringValue(id);
            }

            w.WriteEndArray();
            w.WriteStartArray("transactionsHashes");
            foreach (var hash in reply.TransactionHashes)
            {
                w.WriteStringValue(hash);
            }

            w.WriteEndArray();
        });

    private static string CancelJson(CancelReply reply) =>
        Object(w =>
        {
            w.WriteStartArray("canceled");
            foreach (var id in reply.Canceled)
            {
                w.WriteStringValue(id);
            }

            w.WriteEndArray();
            w.WriteStartObject("not_canceled");
            foreach (var (id, reason) in reply.NotCanceled)
            {
                w.WriteString(id, reason);
            }

            w.WriteEndObject();
        });

    private static IResult BalanceJson(HttpContext context, SimExchange exchange, ApiKeyRecord key)
    {
        var assetType = Query(context, "asset_type");
        if (assetType is not ("COLLATERAL" or "CONDITIONAL" or "CONDITIONAL-V2"))
        {
            return Error("Invalid asset_type", 400);
        }

        var tokenId = assetType == "COLLATERAL" ? null : Query(context, "token_id");
        if (assetType != "COLLATERAL" && tokenId is null)
        {
            return Error("token_id is required for conditional balances", 400);
        }

        var balance = exchange.BalanceOf(key, tokenId);
        return Json(Object(w =>
        {
            w.WriteString("balance", JsonText.Format(balance));
            w.WriteStartObject("allowances");
            foreach (var contract in new[] { PolygonContracts.CtfExchangeV2, PolygonContracts.NegRiskCtfExchangeV2, PolygonContracts.NegRiskAdapter })
            {
                w.WriteString(contract.Checksummed, "115792089237316195423570985008687907853269984665640564039457584007913129639935");
            }

            w.WriteEndObject();
        }));
    }

    private static string Page<T>(IReadOnlyList<T> rows, string? cursor, Action<Utf8JsonWriter, T> write)
    {
        const int limit = 100;
        var offset = DecodeCursor(cursor);
        var page = rows.Skip(offset).Take(limit).ToArray();
        var next = offset + page.Length < rows.Count ? EncodeCursor(offset + page.Length) : "LTE=";
        return Object(w =>
        {
            w.WriteNumber("limit", limit);
            w.WriteNumber("count", page.Length);
            w.WriteString("next_cursor", next);
            w.WriteStartArray("data");
            foreach (var row in page)
            {
                write(w, row);
            }

            w.WriteEndArray();
        });
    }

    private static string MarketsPage(SimExchange exchange, string? cursor)
    {
        var now = exchange.Clock.GetUtcNow().ToUnixTimeSeconds();
        var windows = exchange.Catalog.Registered()
            .Where(w => w.StartUnixSeconds - 86_400 <= now && w.EndUnixSeconds + 86_400 >= now)
            .ToArray();
        return Page(windows, cursor, (w, window) => WriteClobMarket(w, exchange, window));
    }

    private static void WriteClobMarket(Utf8JsonWriter w, SimExchange exchange, MarketWindow window)
    {
        var status = exchange.StatusOf(window);
        w.WriteStartObject();
        w.WriteBoolean("enable_order_book", true);
        w.WriteBoolean("active", true);
        w.WriteBoolean("closed", status.Resolved);
        w.WriteBoolean("archived", false);
        w.WriteBoolean("accepting_orders", status.AcceptingOrders);
        w.WriteString("accepting_order_timestamp", SimExchange.Iso(window.StartUnixSeconds - 86_400));
        w.WriteDecimalNumber("minimum_order_size", window.MinimumOrderSize);
        w.WriteDecimalNumber("minimum_tick_size", window.TickSize);
        w.WriteString("condition_id", window.ConditionId);
        w.WriteString("question_id", window.QuestionId);
        w.WriteString("question", window.Question);
        w.WriteString("description", (string?)window.GammaTemplate["description"] ?? "");
        w.WriteString("market_slug", window.Slug);
        w.WriteString("end_date_iso", SimExchange.Iso(window.EndUnixSeconds));
        w.WriteString("game_start_time", SimExchange.Iso(window.StartUnixSeconds));
        w.WriteNumber("seconds_delay", 0);
        w.WriteString("fpmm", "");
        w.WriteNumber("maker_base_fee", 1000);
        w.WriteNumber("taker_base_fee", 1000);
        w.WriteBoolean("neg_risk", false);
        w.WriteString("neg_risk_market_id", "");
        w.WriteString("neg_risk_request_id", "");
        w.WriteString("icon", SimExchange.Icon);
        w.WriteString("image", SimExchange.Icon);
        w.WriteStartObject("rewards");
        w.WriteNull("rates");
        w.WriteNumber("min_size", 0);
        w.WriteNumber("max_spread", 0);
        w.WriteEndObject();
        w.WriteStartArray("tokens");
        foreach (var (tokenId, book) in new[] { (window.UpTokenId, status.UpBook), (window.DownTokenId, status.DownBook) })
        {
            w.WriteStartObject();
            w.WriteString("token_id", tokenId);
            w.WriteString("outcome", window.OutcomeOf(tokenId));
            var price = status.Resolved ? (tokenId == window.WinningTokenId ? 1m : 0m) : book?.Mid ?? 0.5m;
            w.WriteDecimalNumber("price", price);
            w.WriteBoolean("winner", status.Resolved && tokenId == window.WinningTokenId);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("tags");
        foreach (var tag in new[] { "Crypto", "Bitcoin", "Up or Down", "5M" })
        {
            w.WriteStringValue(tag);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static string CompactMarket(SimExchange exchange, MarketWindow window)
    {
        var status = exchange.StatusOf(window);
        return Object(w =>
        {
            w.WriteString("c", window.ConditionId);
            w.WriteStartArray("t");
            foreach (var tokenId in new[] { window.UpTokenId, window.DownTokenId })
            {
                w.WriteStartObject();
                w.WriteString("t", tokenId);
                w.WriteString("o", window.OutcomeOf(tokenId));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteDecimalNumber("mts", window.TickSize);
            w.WriteDecimalNumber("mos", window.MinimumOrderSize);
            w.WriteBoolean("nr", false);
            w.WriteNumber("mbf", 0);
            w.WriteNumber("tbf", 0);
            w.WriteStartObject("fd");
            w.WriteDecimalNumber("r", window.FeeRate);
            w.WriteNumber("e", window.FeeExponent);
            w.WriteBoolean("to", true);
            w.WriteEndObject();
            w.WriteNull("r");
            w.WriteBoolean("ao", status.AcceptingOrders);
            w.WriteNumber("sd", 0);
            w.WriteBoolean("rfqe", false);
            w.WriteBoolean("itode", false);
            w.WriteBoolean("ibce", false);
        });
    }

    private static IResult WithWindow(SimExchange exchange, string? tokenId, Func<MarketWindow, string> json)
    {
        exchange.Advance();
        return exchange.Catalog.TryGetByToken(tokenId, out var window) ? Json(json(window)) : Error(NoBook, 404);
    }

    private static string TokenMap(IEnumerable<(string TokenId, string? Side)> requests, SimExchange exchange, Func<BookView, decimal?> value) =>
        JsonText.Write(w =>
        {
            w.WriteStartObject();
            foreach (var tokenId in requests.Select(r => r.TokenId).Distinct())
            {
                if (exchange.GetBook(tokenId) is { } book && value(book) is { } v)
                {
                    w.WriteDecimalString(tokenId, v);
                }
            }

            w.WriteEndObject();
        });

    private static async Task<IReadOnlyList<(string TokenId, string? Side)>> TokenRequestsAsync(HttpContext context)
    {
        var body = await BodyAsync(context).ConfigureAwait(false);
        return ReadJson(body, root => root.ValueKind == JsonValueKind.Array
            ? root.EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("token_id", out _))
                .Select(e => (e.GetProperty("token_id").GetString() ?? "", e.TryGetProperty("side", out var s) ? s.GetString() : null))
                .ToArray()
            : []) ?? [];
    }

    private static T? ReadJson<T>(string body, Func<JsonElement, T> read)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return read(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return default;
        }
    }

    private static string Object(Action<Utf8JsonWriter> body) =>
        JsonText.Write(w =>
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        });

    private static int DecodeCursor(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor) || cursor == "MA==")
        {
            return 0;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset : int.MaxValue;
        }
        catch (FormatException)
        {
            return int.MaxValue;
        }
    }

    private static string EncodeCursor(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes(offset.ToString(CultureInfo.InvariantCulture)));

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
