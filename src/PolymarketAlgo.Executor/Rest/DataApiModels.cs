using System.Text.Json;
using PolymarketAlgo.Executor.Http;

namespace PolymarketAlgo.Executor.Rest;

/// <summary>A row of a wallet's activity (Data API <c>/activity</c> v1 camelCase or <c>/v2/activity</c> snake_case).</summary>
public sealed record WalletActivity
{
    /// <summary>The wallet (proxy) address.</summary>
    public string ProxyWallet { get; init; } = "";

    /// <summary>The time, Unix seconds.</summary>
    public long TimestampUnix { get; init; }

    /// <summary>The time.</summary>
    public DateTimeOffset Timestamp => DateTimeOffset.FromUnixTimeSeconds(TimestampUnix);

    /// <summary>The condition ID.</summary>
    public string ConditionId { get; init; } = "";

    /// <summary>The type: TRADE, SPLIT, MERGE, REDEEM, REWARD, CONVERSION, …</summary>
    public string Type { get; init; } = "";

    /// <summary>The shares.</summary>
    public decimal Size { get; init; }

    /// <summary>The pUSD amount.</summary>
    public decimal UsdcSize { get; init; }

    /// <summary>The transaction hash.</summary>
    public string TransactionHash { get; init; } = "";

    /// <summary>The price (trades).</summary>
    public decimal Price { get; init; }

    /// <summary>The outcome token ID (v1 <c>asset</c>, v2 <c>token_id</c>).</summary>
    public string TokenId { get; init; } = "";

    /// <summary><c>BUY</c> or <c>SELL</c> (trades).</summary>
    public string Side { get; init; } = "";

    /// <summary>The outcome index.</summary>
    public int? OutcomeIndex { get; init; }

    /// <summary>The market title.</summary>
    public string Title { get; init; } = "";

    /// <summary>The market slug.</summary>
    public string Slug { get; init; } = "";

    /// <summary>The event slug.</summary>
    public string EventSlug { get; init; } = "";

    /// <summary>The outcome name.</summary>
    public string Outcome { get; init; } = "";

    /// <summary>The wallet's display name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The wallet's pseudonym.</summary>
    public string Pseudonym { get; init; } = "";
}

/// <summary>A public trade (Data API <c>/trades</c> v1 or <c>/v2/trades</c>).</summary>
public sealed record WalletTrade
{
    /// <summary>The wallet (proxy) address.</summary>
    public string ProxyWallet { get; init; } = "";

    /// <summary><c>BUY</c> or <c>SELL</c>.</summary>
    public string Side { get; init; } = "";

    /// <summary>The outcome token ID (v1 <c>asset</c>, v2 <c>token_id</c>).</summary>
    public string TokenId { get; init; } = "";

    /// <summary>The condition ID.</summary>
    public string ConditionId { get; init; } = "";

    /// <summary>The shares.</summary>
    public decimal Size { get; init; }

    /// <summary>The price.</summary>
    public decimal Price { get; init; }

    /// <summary>The time, Unix seconds.</summary>
    public long TimestampUnix { get; init; }

    /// <summary>The time.</summary>
    public DateTimeOffset Timestamp => DateTimeOffset.FromUnixTimeSeconds(TimestampUnix);

    /// <summary>The market title.</summary>
    public string Title { get; init; } = "";

    /// <summary>The market slug.</summary>
    public string Slug { get; init; } = "";

    /// <summary>The event slug.</summary>
    public string EventSlug { get; init; } = "";

    /// <summary>The outcome name.</summary>
    public string Outcome { get; init; } = "";

    /// <summary>The outcome index.</summary>
    public int? OutcomeIndex { get; init; }

    /// <summary>The wallet's display name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The wallet's pseudonym.</summary>
    public string Pseudonym { get; init; } = "";

    /// <summary>The transaction hash.</summary>
    public string TransactionHash { get; init; } = "";
}

/// <summary>A wallet position (Data API <c>/positions</c> v1 or <c>/v2/positions</c>); fields one version lacks are null.</summary>
public sealed record WalletPosition
{
    /// <summary>The wallet (proxy) address.</summary>
    public string ProxyWallet { get; init; } = "";

    /// <summary>The outcome token ID (v1 <c>asset</c>, v2 <c>token_id</c>).</summary>
    public string TokenId { get; init; } = "";

    /// <summary>The condition ID.</summary>
    public string ConditionId { get; init; } = "";

    /// <summary>The shares held (v1 <c>size</c>, v2 <c>current_size</c>).</summary>
    public decimal Size { get; init; }

    /// <summary>The average entry price.</summary>
    public decimal AvgPrice { get; init; }

    /// <summary>The cost of the position (v1 <c>initialValue</c>, v2 <c>entry_cost_usdc</c>).</summary>
    public decimal? InitialValue { get; init; }

    /// <summary>The current value.</summary>
    public decimal? CurrentValue { get; init; }

    /// <summary>The v1 cash P&amp;L.</summary>
    public decimal? CashPnl { get; init; }

    /// <summary>The v1 percent P&amp;L.</summary>
    public decimal? PercentPnl { get; init; }

    /// <summary>The realised P&amp;L.</summary>
    public decimal? RealizedPnl { get; init; }

    /// <summary>The v2 unrealised P&amp;L.</summary>
    public decimal? UnrealizedPnl { get; init; }

    /// <summary>The current price (v1).</summary>
    public decimal? CurPrice { get; init; }

    /// <summary>Whether it can be redeemed (v1).</summary>
    public bool? Redeemable { get; init; }

    /// <summary>Whether it can be merged (v1).</summary>
    public bool? Mergeable { get; init; }

    /// <summary>The v2 status: OPEN, REDEEMABLE, REDEEMABLE_LOST, MERGEABLE or CLOSED.</summary>
    public string? Status { get; init; }

    /// <summary>The market title.</summary>
    public string Title { get; init; } = "";

    /// <summary>The market slug.</summary>
    public string Slug { get; init; } = "";

    /// <summary>The event slug.</summary>
    public string EventSlug { get; init; } = "";

    /// <summary>The outcome name.</summary>
    public string Outcome { get; init; } = "";

    /// <summary>The outcome index.</summary>
    public int? OutcomeIndex { get; init; }
}

/// <summary>A page of Data API rows; v1 bare arrays have no cursor.</summary>
/// <typeparam name="T">The row type.</typeparam>
/// <param name="Items">The rows.</param>
/// <param name="NextCursor">The v2 cursor of the next page; null at the end or for v1.</param>
/// <param name="HasMore">The v2 <c>has_more</c> flag; null for v1.</param>
public sealed record DataApiPage<T>(IReadOnlyList<T> Items, string? NextCursor, bool? HasMore);

/// <summary>
/// Reads Data API rows in either shape: v1 camelCase (<c>proxyWallet</c>, <c>asset</c>, <c>usdcSize</c>) or
/// v2 snake_case (<c>proxy_wallet</c>, <c>token_id</c>, <c>usdc_size</c>). Names are matched ignoring case and
/// underscores, with aliases where the versions differ.
/// </summary>
public static class DataApiParser
{
    /// <summary>Reads a page: a bare array (v1) or a <c>{data, pagination}</c> envelope (v2).</summary>
    /// <exception cref="JsonException">The document is neither.</exception>
    public static DataApiPage<T> ParsePage<T>(JsonElement root, Func<JsonElement, T> readRow)
    {
        ArgumentNullException.ThrowIfNull(readRow);
        switch (root.ValueKind)
        {
            case JsonValueKind.Array:
                return new DataApiPage<T>(root.EnumerateArray().Select(readRow).ToArray(), null, null);
            case JsonValueKind.Object when root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array:
                string? cursor = null;
                bool? hasMore = null;
                if (root.TryGetProperty("pagination", out var pagination) && pagination.ValueKind == JsonValueKind.Object)
                {
                    var fields = new Row(pagination);
                    cursor = fields.String("next_cursor");
                    hasMore = fields.Bool("has_more");
                }

                return new DataApiPage<T>(data.EnumerateArray().Select(readRow).ToArray(), string.IsNullOrEmpty(cursor) ? null : cursor, hasMore);
            default:
                throw new JsonException($"expected an array or a {{data, pagination}} object, got {root.ValueKind}");
        }
    }

    /// <summary>Reads one activity row.</summary>
    /// <exception cref="JsonException">A field has the wrong type, or the timestamp is missing.</exception>
    public static WalletActivity ParseActivity(JsonElement row)
    {
        var r = new Row(row);
        return new WalletActivity
        {
            ProxyWallet = r.String("proxyWallet") ?? "",
            TimestampUnix = r.Long("timestamp") ?? throw new JsonException("activity row without timestamp"),
            ConditionId = r.String("conditionId") ?? "",
            Type = r.String("type") ?? "",
            Size = r.Decimal("size") ?? 0m,
            UsdcSize = r.Decimal("usdcSize") ?? 0m,
            TransactionHash = r.String("transactionHash") ?? "",
            Price = r.Decimal("price") ?? 0m,
            TokenId = r.String("tokenId", "asset") ?? "",
            Side = r.String("side") ?? "",
            OutcomeIndex = r.Int("outcomeIndex"),
            Title = r.String("title") ?? "",
            Slug = r.String("slug") ?? "",
            EventSlug = r.String("eventSlug") ?? "",
            Outcome = r.String("outcome") ?? "",
            Name = r.String("name") ?? "",
            Pseudonym = r.String("pseudonym") ?? "",
        };
    }

    /// <summary>Reads one trade row.</summary>
    /// <exception cref="JsonException">A field has the wrong type, or the timestamp is missing.</exception>
    public static WalletTrade ParseTrade(JsonElement row)
    {
        var r = new Row(row);
        return new WalletTrade
        {
            ProxyWallet = r.String("proxyWallet") ?? "",
            Side = r.String("side") ?? "",
            TokenId = r.String("tokenId", "asset") ?? "",
            ConditionId = r.String("conditionId") ?? "",
            Size = r.Decimal("size") ?? 0m,
            Price = r.Decimal("price") ?? 0m,
            TimestampUnix = r.Long("timestamp") ?? throw new JsonException("trade row without timestamp"),
            Title = r.String("title") ?? "",
            Slug = r.String("slug") ?? "",
            EventSlug = r.String("eventSlug") ?? "",
            Outcome = r.String("outcome") ?? "",
            OutcomeIndex = r.Int("outcomeIndex"),
            Name = r.String("name") ?? "",
            Pseudonym = r.String("pseudonym") ?? "",
            TransactionHash = r.String("transactionHash") ?? "",
        };
    }

    /// <summary>Reads one position row.</summary>
    /// <exception cref="JsonException">A field has the wrong type.</exception>
    public static WalletPosition ParsePosition(JsonElement row)
    {
        var r = new Row(row);
        return new WalletPosition
        {
            ProxyWallet = r.String("proxyWallet") ?? "",
            TokenId = r.String("tokenId", "asset") ?? "",
            ConditionId = r.String("conditionId") ?? "",
            Size = r.Decimal("size", "currentSize") ?? 0m,
            AvgPrice = r.Decimal("avgPrice") ?? 0m,
            InitialValue = r.Decimal("initialValue", "entryCostUsdc"),
            CurrentValue = r.Decimal("currentValue"),
            CashPnl = r.Decimal("cashPnl"),
            PercentPnl = r.Decimal("percentPnl"),
            RealizedPnl = r.Decimal("realizedPnl"),
            UnrealizedPnl = r.Decimal("unrealizedPnl"),
            CurPrice = r.Decimal("curPrice"),
            Redeemable = r.Bool("redeemable"),
            Mergeable = r.Bool("mergeable"),
            Status = r.String("status"),
            Title = r.String("title") ?? "",
            Slug = r.String("slug") ?? "",
            EventSlug = r.String("eventSlug") ?? "",
            Outcome = r.String("outcome") ?? "",
            OutcomeIndex = r.Int("outcomeIndex"),
        };
    }

    /// <summary>An object's fields by normalised name (lower case, no underscores).</summary>
    private readonly struct Row
    {
        private readonly Dictionary<string, JsonElement> _fields;

        public Row(JsonElement element)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException($"expected an object row, got {element.ValueKind}");
            }

            _fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                _fields[Normalize(property.Name)] = property.Value;
            }
        }

        public string? String(params ReadOnlySpan<string> names) =>
            Find(names) is { } e
                ? e.ValueKind switch
                {
                    JsonValueKind.String => e.GetString(),
                    JsonValueKind.Number => e.GetRawText(),
                    JsonValueKind.Null => null,
                    _ => throw new JsonException($"expected a string for {names[0]}, got {e.ValueKind}"),
                }
                : null;

        public decimal? Decimal(params ReadOnlySpan<string> names) => Find(names) is { } e ? JsonDecimal.Read(e) : null;

        public long? Long(params ReadOnlySpan<string> names) =>
            Decimal(names) is { } value
                ? value == Math.Truncate(value) ? (long)value : throw new JsonException($"expected an integer for {names[0]}, got {value}")
                : null;

        public int? Int(params ReadOnlySpan<string> names) => Long(names) is { } value ? checked((int)value) : null;

        public bool? Bool(params ReadOnlySpan<string> names) =>
            Find(names) is { } e
                ? e.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.Null => null,
                    _ => throw new JsonException($"expected a boolean for {names[0]}, got {e.ValueKind}"),
                }
                : null;

        private JsonElement? Find(ReadOnlySpan<string> names)
        {
            foreach (var name in names)
            {
                if (_fields.TryGetValue(Normalize(name), out var value))
                {
                    return value;
                }
            }

            return null;
        }

        private static string Normalize(string name) => name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
    }
}
