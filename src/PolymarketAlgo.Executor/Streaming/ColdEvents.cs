using System.Globalization;
using System.Text.Json;

namespace PolymarketAlgo.Executor.Streaming;

/// <summary>
/// The rare events (<c>new_market</c>, <c>market_resolved</c>, user <c>order</c> and <c>trade</c>)
/// are parsed into full records through <see cref="JsonDocument"/>; they allocate, which is fine at
/// their rate.
/// </summary>
internal static class ColdEvents
{
    public static bool Dispatch(MarketEventType type, ReadOnlySpan<byte> objectUtf8, MarketEventHandler handler)
    {
        var reader = new Utf8JsonReader(objectUtf8);
        using var doc = JsonDocument.ParseValue(ref reader);
        var e = doc.RootElement;
        switch (type)
        {
            case MarketEventType.NewMarket:
                handler.OnNewMarket(
                    new NewMarketEvent(
                        Str(e, "id"),
                        Str(e, "question"),
                        Str(e, "market") ?? Str(e, "condition_id"),
                        Str(e, "slug"),
                        StrList(e, "assets_ids", "clob_token_ids"),
                        StrList(e, "outcomes"),
                        Bool(e, "active"),
                        Dec(e, "order_price_min_tick_size"),
                        e.TryGetProperty("event_message", out var em) && em.ValueKind == JsonValueKind.Object
                            ? Str(em, "slug")
                            : null,
                        StrList(e, "tags"),
                        TimestampMs(e, "timestamp") ?? 0
                    )
                );
                return true;
            case MarketEventType.MarketResolved:
                handler.OnMarketResolved(
                    new MarketResolvedEvent(
                        Str(e, "id"),
                        Str(e, "market"),
                        StrList(e, "assets_ids"),
                        Str(e, "winning_asset_id"),
                        Str(e, "winning_outcome"),
                        TimestampMs(e, "timestamp") ?? 0
                    )
                );
                return true;
            case MarketEventType.Order:
            {
                if (Str(e, "id") is not { } id)
                {
                    return false;
                }

                handler.OnOrder(
                    new UserOrderEvent(
                        id,
                        Str(e, "type") switch
                        {
                            "PLACEMENT" => OrderEventKind.Placement,
                            "UPDATE" => OrderEventKind.Update,
                            "CANCELLATION" => OrderEventKind.Cancellation,
                            _ => OrderEventKind.Unknown,
                        },
                        Str(e, "status"),
                        Str(e, "market"),
                        Str(e, "asset_id"),
                        Side(e, "side"),
                        Dec(e, "price"),
                        Dec(e, "original_size"),
                        Dec(e, "size_matched"),
                        Str(e, "outcome"),
                        Str(e, "order_type"),
                        Str(e, "owner"),
                        Str(e, "maker_address"),
                        StrList(e, "associate_trades"),
                        TimestampMs(e, "timestamp") ?? TimestampMs(e, "created_at") ?? 0
                    )
                );
                return true;
            }

            case MarketEventType.Trade:
            {
                if (Str(e, "id") is not { } id)
                {
                    return false;
                }

                var raw = Str(e, "status");
                var makers = new List<MakerOrderFill>();
                if (e.TryGetProperty("maker_orders", out var mo) && mo.ValueKind == JsonValueKind.Array)
                {
                    foreach (var m in mo.EnumerateArray())
                    {
                        if (m.ValueKind != JsonValueKind.Object)
                        {
                            return false;
                        }

                        makers.Add(
                            new MakerOrderFill(
                                Str(m, "order_id"),
                                Str(m, "owner"),
                                Str(m, "maker_address"),
                                Str(m, "asset_id"),
                                Dec(m, "matched_amount"),
                                Dec(m, "price"),
                                Dec(m, "fee_rate_bps"),
                                Str(m, "outcome")
                            )
                        );
                    }
                }

                handler.OnTrade(
                    new UserTradeEvent(
                        id,
                        ParseTradeStatus(raw),
                        raw,
                        Str(e, "taker_order_id"),
                        Str(e, "market"),
                        Str(e, "asset_id"),
                        Side(e, "side"),
                        Dec(e, "size"),
                        Dec(e, "price"),
                        Dec(e, "fee_rate_bps"),
                        Str(e, "outcome"),
                        Str(e, "owner"),
                        Str(e, "trader_side"),
                        Str(e, "transaction_hash"),
                        Int(e, "match_time"),
                        Int(e, "last_update"),
                        makers,
                        TimestampMs(e, "timestamp") ?? 0
                    )
                );
                return true;
            }

            default:
                return false;
        }
    }

    /// <summary>Maps a trade status text to the lifecycle enum.</summary>
    public static TradeStatus ParseTradeStatus(string? status) =>
        status?.ToUpperInvariant() switch
        {
            "MATCHED" => TradeStatus.Matched,
            "MINED" => TradeStatus.Mined,
            "CONFIRMED" => TradeStatus.Confirmed,
            "RETRYING" => TradeStatus.Retrying,
            "FAILED" => TradeStatus.Failed,
            _ => TradeStatus.Unknown,
        };

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number => v.GetRawText(),
                _ => null,
            }
            : null;

    private static IReadOnlyList<string> StrList(JsonElement e, string name, string? alternative = null)
    {
        if (!e.TryGetProperty(name, out var v) && (alternative is null || !e.TryGetProperty(alternative, out v)))
        {
            return [];
        }

        if (v.ValueKind == JsonValueKind.String && v.GetString() is { } text && text.StartsWith('['))
        {
            // Gamma sometimes sends arrays as JSON text inside a string.
            using var inner = JsonDocument.Parse(text);
            v = inner.RootElement.Clone();
        }

        return v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray()
                .Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText())
                .ToArray()
            : [];
    }

    private static decimal? Dec(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v))
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetDecimal(out var d) => d,
            JsonValueKind.String when decimal.TryParse(
                    v.GetString(),
                    NumberStyles.Float,
                    CultureInfo.InvariantCulture,
                    out var d
                ) => d,
            _ => null,
        };
    }

    private static long? Int(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v))
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.Number when v.TryGetInt64(out var n) => n,
            JsonValueKind.String when long.TryParse(v.GetString(), CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
    }

    /// <summary>A timestamp in ms; values below 10^11 are taken as seconds (the user channel sends both).</summary>
    private static long? TimestampMs(JsonElement e, string name) =>
        Int(e, name) is { } n ? (n < 100_000_000_000L ? n * 1000 : n) : null;

    private static bool? Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => null,
            }
            : null;

    private static TradeSide? Side(JsonElement e, string name) =>
        Str(e, name)?.ToUpperInvariant() switch
        {
            "BUY" => TradeSide.Buy,
            "SELL" => TradeSide.Sell,
            _ => null,
        };
}
