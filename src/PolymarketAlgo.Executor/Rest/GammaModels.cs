using System.Text.Json.Serialization;

namespace PolymarketAlgo.Executor.Rest;

/// <summary>A market's fee schedule (Gamma <c>feeSchedule</c>): taker fee = shares × rate × (p·(1−p))^exponent.</summary>
public sealed class GammaFeeSchedule
{
    /// <summary>The fee rate, e.g. 0.07.</summary>
    [JsonPropertyName("rate")]
    public decimal Rate { get; init; }

    /// <summary>The exponent, e.g. 1.</summary>
    [JsonPropertyName("exponent")]
    public decimal Exponent { get; init; }

    /// <summary>Whether only takers pay.</summary>
    [JsonPropertyName("takerOnly")]
    public bool TakerOnly { get; init; }

    /// <summary>The share of taker fees rebated to makers, e.g. 0.2.</summary>
    [JsonPropertyName("rebateRate")]
    public decimal? RebateRate { get; init; }
}

/// <summary>The crypto up/down configuration of a market (Gamma <c>cryptoMarketConfig</c>, from August 2026).</summary>
public sealed class GammaCryptoMarketConfig
{
    /// <summary>The configuration ID, e.g. <c>btc-5m-twap-60</c>.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>The asset, e.g. <c>btc</c>.</summary>
    [JsonPropertyName("asset")]
    public string? Asset { get; init; }

    /// <summary>The window length, e.g. <c>5m</c>.</summary>
    [JsonPropertyName("duration")]
    public string? Duration { get; init; }

    /// <summary>Whether the market settles on a Chainlink TWAP rather than a spot tick.</summary>
    [JsonPropertyName("twapEnabled")]
    public bool TwapEnabled { get; init; }

    /// <summary>The TWAP lookback in seconds.</summary>
    [JsonPropertyName("twapLookbackSeconds")]
    public int? TwapLookbackSeconds { get; init; }
}

/// <summary>A Gamma series (e.g. <c>btc-up-or-down-5m</c>).</summary>
public sealed class GammaSeries
{
    /// <summary>The series ID.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>The series slug.</summary>
    [JsonPropertyName("slug")]
    public string Slug { get; init; } = "";

    /// <summary>The title.</summary>
    [JsonPropertyName("title")]
    public string? Title { get; init; }

    /// <summary>The recurrence, e.g. <c>5m</c>.</summary>
    [JsonPropertyName("recurrence")]
    public string? Recurrence { get; init; }
}

/// <summary>A Gamma event (<c>GET /events</c>); it groups markets.</summary>
public sealed class GammaEvent
{
    /// <summary>The event ID.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>The ticker.</summary>
    [JsonPropertyName("ticker")]
    public string? Ticker { get; init; }

    /// <summary>The slug.</summary>
    [JsonPropertyName("slug")]
    public string Slug { get; init; } = "";

    /// <summary>The title.</summary>
    [JsonPropertyName("title")]
    public string? Title { get; init; }

    /// <summary>The description.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary>The resolution source.</summary>
    [JsonPropertyName("resolutionSource")]
    public string? ResolutionSource { get; init; }

    /// <summary>The listing start date.</summary>
    [JsonPropertyName("startDate")]
    public DateTimeOffset? StartDate { get; init; }

    /// <summary>The end date.</summary>
    [JsonPropertyName("endDate")]
    public DateTimeOffset? EndDate { get; init; }

    /// <summary>The start of the period the event is about (up/down window start).</summary>
    [JsonPropertyName("startTime")]
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>Whether the event is active.</summary>
    [JsonPropertyName("active")]
    public bool Active { get; init; }

    /// <summary>Whether the event is closed.</summary>
    [JsonPropertyName("closed")]
    public bool Closed { get; init; }

    /// <summary>Whether the event is archived.</summary>
    [JsonPropertyName("archived")]
    public bool Archived { get; init; }

    /// <summary>Whether the event is neg-risk.</summary>
    [JsonPropertyName("negRisk")]
    public bool NegRisk { get; init; }

    /// <summary>The series slug, e.g. <c>btc-up-or-down-5m</c>.</summary>
    [JsonPropertyName("seriesSlug")]
    public string? SeriesSlug { get; init; }

    /// <summary>The series.</summary>
    [JsonPropertyName("series")]
    public IReadOnlyList<GammaSeries>? Series { get; init; }

    /// <summary>The markets (absent when the event is nested in a market).</summary>
    [JsonPropertyName("markets")]
    public IReadOnlyList<GammaMarket>? Markets { get; init; }
}

/// <summary>
/// A Gamma market (<c>GET /markets</c>, <c>/markets/slug/{slug}</c>). <see cref="Outcomes"/>,
/// <see cref="OutcomePrices"/>, <see cref="ClobTokenIds"/> and <see cref="UmaResolutionStatuses"/> are
/// JSON-encoded strings; <c>PolymarketAlgo.Executor.Markets.GammaMarketFields</c> decodes them.
/// </summary>
public sealed class GammaMarket
{
    /// <summary>The Gamma market ID.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>The question.</summary>
    [JsonPropertyName("question")]
    public string? Question { get; init; }

    /// <summary>The condition ID.</summary>
    [JsonPropertyName("conditionId")]
    public string ConditionId { get; init; } = "";

    /// <summary>The question ID.</summary>
    [JsonPropertyName("questionID")]
    public string? QuestionId { get; init; }

    /// <summary>The slug.</summary>
    [JsonPropertyName("slug")]
    public string Slug { get; init; } = "";

    /// <summary>The resolution source URL.</summary>
    [JsonPropertyName("resolutionSource")]
    public string? ResolutionSource { get; init; }

    /// <summary>The description, including the resolution rule.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary>The listing start date (up/down markets: about a day before the window).</summary>
    [JsonPropertyName("startDate")]
    public DateTimeOffset? StartDate { get; init; }

    /// <summary>The end date (up/down markets: the window end).</summary>
    [JsonPropertyName("endDate")]
    public DateTimeOffset? EndDate { get; init; }

    /// <summary>The start of the period the market is about (up/down markets: the window start).</summary>
    [JsonPropertyName("eventStartTime")]
    public DateTimeOffset? EventStartTime { get; init; }

    /// <summary>When the market was created.</summary>
    [JsonPropertyName("createdAt")]
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Since when orders are accepted.</summary>
    [JsonPropertyName("acceptingOrdersTimestamp")]
    public DateTimeOffset? AcceptingOrdersTimestamp { get; init; }

    /// <summary>When the market closed, as Gamma writes it (e.g. <c>2026-06-08 00:00:16+00</c>).</summary>
    [JsonPropertyName("closedTime")]
    public string? ClosedTime { get; init; }

    /// <summary>The outcome names, JSON-encoded, e.g. <c>["Up", "Down"]</c>.</summary>
    [JsonPropertyName("outcomes")]
    public string? Outcomes { get; init; }

    /// <summary>The outcome prices, JSON-encoded strings, e.g. <c>["0.505", "0.495"]</c>.</summary>
    [JsonPropertyName("outcomePrices")]
    public string? OutcomePrices { get; init; }

    /// <summary>The CLOB token IDs, JSON-encoded, in outcome order.</summary>
    [JsonPropertyName("clobTokenIds")]
    public string? ClobTokenIds { get; init; }

    /// <summary>Whether the market is active.</summary>
    [JsonPropertyName("active")]
    public bool Active { get; init; }

    /// <summary>Whether the market is closed.</summary>
    [JsonPropertyName("closed")]
    public bool Closed { get; init; }

    /// <summary>Whether the market is archived.</summary>
    [JsonPropertyName("archived")]
    public bool Archived { get; init; }

    /// <summary>Whether the market is geo-restricted.</summary>
    [JsonPropertyName("restricted")]
    public bool Restricted { get; init; }

    /// <summary>Whether the CLOB accepts orders.</summary>
    [JsonPropertyName("acceptingOrders")]
    public bool AcceptingOrders { get; init; }

    /// <summary>Whether the order book is enabled.</summary>
    [JsonPropertyName("enableOrderBook")]
    public bool EnableOrderBook { get; init; }

    /// <summary>The minimum tick size.</summary>
    [JsonPropertyName("orderPriceMinTickSize")]
    public decimal? OrderPriceMinTickSize { get; init; }

    /// <summary>The minimum order size in shares.</summary>
    [JsonPropertyName("orderMinSize")]
    public decimal? OrderMinSize { get; init; }

    /// <summary>Whether the market is neg-risk.</summary>
    [JsonPropertyName("negRisk")]
    public bool NegRisk { get; init; }

    /// <summary>The best bid of the first outcome.</summary>
    [JsonPropertyName("bestBid")]
    public decimal? BestBid { get; init; }

    /// <summary>The best ask of the first outcome.</summary>
    [JsonPropertyName("bestAsk")]
    public decimal? BestAsk { get; init; }

    /// <summary>The last trade price.</summary>
    [JsonPropertyName("lastTradePrice")]
    public decimal? LastTradePrice { get; init; }

    /// <summary>The spread.</summary>
    [JsonPropertyName("spread")]
    public decimal? Spread { get; init; }

    /// <summary>The traded volume.</summary>
    [JsonPropertyName("volume")]
    public decimal? Volume { get; init; }

    /// <summary>The liquidity.</summary>
    [JsonPropertyName("liquidity")]
    public decimal? Liquidity { get; init; }

    /// <summary>The legacy (V1) maker base fee in bps.</summary>
    [JsonPropertyName("makerBaseFee")]
    public decimal? MakerBaseFee { get; init; }

    /// <summary>The legacy (V1) taker base fee in bps, e.g. 1000 for crypto 5m markets.</summary>
    [JsonPropertyName("takerBaseFee")]
    public decimal? TakerBaseFee { get; init; }

    /// <summary>Whether fees are charged.</summary>
    [JsonPropertyName("feesEnabled")]
    public bool FeesEnabled { get; init; }

    /// <summary>The fee type, e.g. <c>crypto_fees</c> or <c>crypto_fees_v2</c>.</summary>
    [JsonPropertyName("feeType")]
    public string? FeeType { get; init; }

    /// <summary>The fee schedule (newer markets).</summary>
    [JsonPropertyName("feeSchedule")]
    public GammaFeeSchedule? FeeSchedule { get; init; }

    /// <summary>The crypto up/down configuration (newer markets).</summary>
    [JsonPropertyName("cryptoMarketConfig")]
    public GammaCryptoMarketConfig? CryptoMarketConfig { get; init; }

    /// <summary>The UMA resolution status, e.g. <c>resolved</c>.</summary>
    [JsonPropertyName("umaResolutionStatus")]
    public string? UmaResolutionStatus { get; init; }

    /// <summary>The UMA resolution statuses, JSON-encoded, e.g. <c>["proposed"]</c>.</summary>
    [JsonPropertyName("umaResolutionStatuses")]
    public string? UmaResolutionStatuses { get; init; }

    /// <summary>The protocol version: <c>v1</c> (CTF exchange, domain "2") or <c>v2</c> (ExchangeV3, domain "3").</summary>
    [JsonPropertyName("version")]
    public string? Version { get; init; }

    /// <summary>The Protocol-V2 position IDs (with <see cref="Version"/> <c>v2</c>).</summary>
    [JsonPropertyName("positionIds")]
    [JsonConverter(typeof(PolymarketAlgo.Executor.Http.IdListConverter))]
    public IReadOnlyList<string>? PositionIds { get; init; }

    /// <summary>The events this market belongs to.</summary>
    [JsonPropertyName("events")]
    public IReadOnlyList<GammaEvent>? Events { get; init; }
}
