using System.Text.Json.Serialization;
using PolymarketAlgo.Executor.Http;

namespace PolymarketAlgo.Executor.Rest;

/// <summary>Source-generated JSON metadata for the REST payloads (decimals and dates read leniently).</summary>
[JsonSourceGenerationOptions(
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    Converters = [typeof(FlexibleDecimalConverter), typeof(FlexibleNullableDecimalConverter), typeof(FlexibleDateTimeOffsetConverter), typeof(FlexibleBooleanConverter)])]
[JsonSerializable(typeof(OrderBookSummary))]
[JsonSerializable(typeof(List<OrderBookSummary>))]
[JsonSerializable(typeof(ClobPage<ClobMarket>))]
[JsonSerializable(typeof(ClobMarket))]
[JsonSerializable(typeof(ClobMarketInfo))]
[JsonSerializable(typeof(OrderPostResponse))]
[JsonSerializable(typeof(List<OrderPostResponse>))]
[JsonSerializable(typeof(CancelOrdersResponse))]
[JsonSerializable(typeof(OpenOrder))]
[JsonSerializable(typeof(ClobPage<OpenOrder>))]
[JsonSerializable(typeof(ClobPage<ClobTrade>))]
[JsonSerializable(typeof(BalanceAllowance))]
[JsonSerializable(typeof(HeartbeatResponse))]
[JsonSerializable(typeof(PriceResponse))]
[JsonSerializable(typeof(MidpointResponse))]
[JsonSerializable(typeof(SpreadResponse))]
[JsonSerializable(typeof(TickSizeResponse))]
[JsonSerializable(typeof(NegRiskResponse))]
[JsonSerializable(typeof(FeeRateResponse))]
[JsonSerializable(typeof(PricesHistoryResponse))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, decimal>>))]
[JsonSerializable(typeof(Dictionary<string, decimal>))]
[JsonSerializable(typeof(List<GammaEvent>))]
[JsonSerializable(typeof(GammaEvent))]
[JsonSerializable(typeof(List<GammaMarket>))]
[JsonSerializable(typeof(GammaMarket))]
[JsonSerializable(typeof(long))]
internal sealed partial class PolymarketJsonContext : JsonSerializerContext;

/// <summary><c>GET /price</c>.</summary>
internal sealed class PriceResponse
{
    [JsonRequired]
    [JsonPropertyName("price")]
    public decimal Price { get; init; }
}

/// <summary><c>GET /midpoint</c>.</summary>
internal sealed class MidpointResponse
{
    [JsonRequired]
    [JsonPropertyName("mid")]
    public decimal Mid { get; init; }
}

/// <summary><c>GET /spread</c>.</summary>
internal sealed class SpreadResponse
{
    [JsonRequired]
    [JsonPropertyName("spread")]
    public decimal Spread { get; init; }
}

/// <summary><c>GET /tick-size</c>.</summary>
internal sealed class TickSizeResponse
{
    [JsonRequired]
    [JsonPropertyName("minimum_tick_size")]
    public decimal MinimumTickSize { get; init; }
}

/// <summary><c>GET /neg-risk</c>.</summary>
internal sealed class NegRiskResponse
{
    [JsonRequired]
    [JsonPropertyName("neg_risk")]
    public bool NegRisk { get; init; }
}

/// <summary><c>GET /fee-rate</c>.</summary>
internal sealed class FeeRateResponse
{
    [JsonRequired]
    [JsonPropertyName("base_fee")]
    public int BaseFee { get; init; }
}

/// <summary><c>GET /prices-history</c>.</summary>
internal sealed class PricesHistoryResponse
{
    [JsonRequired]
    [JsonPropertyName("history")]
    public List<PricePoint> History { get; init; } = [];
}
