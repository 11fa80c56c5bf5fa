using System.Text.Json.Serialization;

namespace PolymarketAlgo.Executor.Rest;

/// <summary>The side of a price query: BUY asks for the best bid, SELL for the best ask (CLOB docs).</summary>
public enum QuoteSide
{
    /// <summary><c>BUY</c>.</summary>
    Buy,

    /// <summary><c>SELL</c>.</summary>
    Sell,
}

/// <summary>One price level of an order book.</summary>
/// <param name="Price">The price, in pUSD per share.</param>
/// <param name="Size">The shares resting at that price.</param>
public sealed record PriceLevel(
    [property: JsonPropertyName("price")] decimal Price,
    [property: JsonPropertyName("size")] decimal Size);

/// <summary>
/// <c>GET /book</c>: an order-book snapshot of one outcome token. The levels arrive in no guaranteed
/// order; use <see cref="BestBid"/> and <see cref="BestAsk"/>.
/// </summary>
public sealed class OrderBookSummary
{
    /// <summary>The condition ID of the market.</summary>
    [JsonPropertyName("market")]
    public string Market { get; init; } = "";

    /// <summary>The outcome token ID.</summary>
    [JsonRequired]
    [JsonPropertyName("asset_id")]
    public string AssetId { get; init; } = "";

    /// <summary>The snapshot time in Unix milliseconds.</summary>
    [JsonPropertyName("timestamp")]
    public long TimestampMs { get; init; }

    /// <summary>The book hash the server reports.</summary>
    [JsonPropertyName("hash")]
    public string Hash { get; init; } = "";

    /// <summary>The bids as sent.</summary>
    [JsonRequired]
    [JsonPropertyName("bids")]
    public IReadOnlyList<PriceLevel> Bids { get; init; } = [];

    /// <summary>The asks as sent.</summary>
    [JsonRequired]
    [JsonPropertyName("asks")]
    public IReadOnlyList<PriceLevel> Asks { get; init; } = [];

    /// <summary>The minimum order size in shares, when sent.</summary>
    [JsonPropertyName("min_order_size")]
    public decimal? MinOrderSize { get; init; }

    /// <summary>The tick size, when sent.</summary>
    [JsonPropertyName("tick_size")]
    public decimal? TickSize { get; init; }

    /// <summary>Whether the market is neg-risk, when sent.</summary>
    [JsonPropertyName("neg_risk")]
    public bool? NegRisk { get; init; }

    /// <summary>The last trade price, when sent.</summary>
    [JsonPropertyName("last_trade_price")]
    public decimal? LastTradePrice { get; init; }

    /// <summary>The snapshot time.</summary>
    [JsonIgnore]
    public DateTimeOffset Timestamp => DateTimeOffset.FromUnixTimeMilliseconds(TimestampMs);

    /// <summary>The highest bid, or null for an empty side.</summary>
    public PriceLevel? BestBid() => Bids.Count == 0 ? null : Bids.MaxBy(l => l.Price);

    /// <summary>The lowest ask, or null for an empty side.</summary>
    public PriceLevel? BestAsk() => Asks.Count == 0 ? null : Asks.MinBy(l => l.Price);
}

/// <summary>The BUY and SELL prices of one token from <c>POST /prices</c>.</summary>
/// <param name="Buy">The BUY-side price (best bid), if requested.</param>
/// <param name="Sell">The SELL-side price (best ask), if requested.</param>
public sealed record TokenPrices(decimal? Buy, decimal? Sell);

/// <summary>A token and side for <c>POST /prices</c>.</summary>
/// <param name="TokenId">The outcome token ID.</param>
/// <param name="Side">The side.</param>
public sealed record PriceRequest(string TokenId, QuoteSide Side);

/// <summary>One point of <c>GET /prices-history</c>.</summary>
/// <param name="UnixSeconds">The time, Unix seconds.</param>
/// <param name="Price">The price.</param>
public sealed record PricePoint(
    [property: JsonPropertyName("t")] long UnixSeconds,
    [property: JsonPropertyName("p")] decimal Price)
{
    /// <summary>The time.</summary>
    [JsonIgnore]
    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeSeconds(UnixSeconds);
}

/// <summary>The time range of a <c>GET /prices-history</c> query: a named interval or explicit bounds.</summary>
public sealed record PriceHistoryRange
{
    private PriceHistoryRange(string? interval, long? startTs, long? endTs)
    {
        Interval = interval;
        StartTs = startTs;
        EndTs = endTs;
    }

    /// <summary>The named interval (<c>max</c>, <c>1w</c>, <c>1d</c>, <c>6h</c>, <c>1h</c>), if used.</summary>
    public string? Interval { get; }

    /// <summary>The start, Unix seconds, if bounds are used.</summary>
    public long? StartTs { get; }

    /// <summary>The end, Unix seconds, if bounds are used.</summary>
    public long? EndTs { get; }

    /// <summary>A named interval ending now.</summary>
    public static PriceHistoryRange OfInterval(string interval)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(interval);
        return new(interval, null, null);
    }

    /// <summary>Explicit bounds.</summary>
    public static PriceHistoryRange Between(DateTimeOffset start, DateTimeOffset end)
    {
        if (end < start)
        {
            throw new ArgumentException("the end precedes the start", nameof(end));
        }

        return new(null, start.ToUnixTimeSeconds(), end.ToUnixTimeSeconds());
    }
}

/// <summary>A page of a CLOB cursor-paged listing (<c>next_cursor</c> "MA==" first, "LTE=" at the end).</summary>
/// <typeparam name="T">The row type.</typeparam>
public sealed class ClobPage<T>
{
    /// <summary>The cursor of the first page.</summary>
    public const string FirstCursor = "MA==";

    /// <summary>The cursor meaning there are no more pages.</summary>
    public const string EndCursor = "LTE=";

    /// <summary>The rows.</summary>
    [JsonPropertyName("data")]
    public IReadOnlyList<T> Data { get; init; } = [];

    /// <summary>The cursor of the next page.</summary>
    [JsonPropertyName("next_cursor")]
    public string? NextCursor { get; init; }

    /// <summary>The page size limit the server applied.</summary>
    [JsonPropertyName("limit")]
    public int Limit { get; init; }

    /// <summary>The rows on this page.</summary>
    [JsonPropertyName("count")]
    public int Count { get; init; }

    /// <summary>True when no page follows.</summary>
    [JsonIgnore]
    public bool IsLastPage => string.IsNullOrEmpty(NextCursor) || NextCursor == EndCursor;
}

/// <summary>An outcome token of a CLOB market.</summary>
public sealed class ClobToken
{
    /// <summary>The token ID (empty during a new market's hydration window).</summary>
    [JsonPropertyName("token_id")]
    public string TokenId { get; init; } = "";

    /// <summary>The outcome name, e.g. <c>Yes</c> or <c>Up</c>.</summary>
    [JsonPropertyName("outcome")]
    public string Outcome { get; init; } = "";

    /// <summary>The last price.</summary>
    [JsonPropertyName("price")]
    public decimal Price { get; init; }

    /// <summary>True for the winning token of a resolved market.</summary>
    [JsonPropertyName("winner")]
    public bool Winner { get; init; }
}

/// <summary>A liquidity-reward rate of a CLOB market.</summary>
public sealed class ClobRewardRate
{
    /// <summary>The reward asset address.</summary>
    [JsonPropertyName("asset_address")]
    public string AssetAddress { get; init; } = "";

    /// <summary>The daily reward.</summary>
    [JsonPropertyName("rewards_daily_rate")]
    public decimal RewardsDailyRate { get; init; }
}

/// <summary>The liquidity-reward settings of a CLOB market.</summary>
public sealed class ClobRewards
{
    /// <summary>The reward rates (null when none).</summary>
    [JsonPropertyName("rates")]
    public IReadOnlyList<ClobRewardRate>? Rates { get; init; }

    /// <summary>The minimum qualifying size.</summary>
    [JsonPropertyName("min_size")]
    public decimal MinSize { get; init; }

    /// <summary>The maximum qualifying spread, in cents.</summary>
    [JsonPropertyName("max_spread")]
    public decimal MaxSpread { get; init; }
}

/// <summary><c>GET /markets/{condition_id}</c>: a CLOB market (legacy shape, still served).</summary>
public sealed class ClobMarket
{
    /// <summary>The condition ID.</summary>
    [JsonPropertyName("condition_id")]
    public string ConditionId { get; init; } = "";

    /// <summary>The question ID.</summary>
    [JsonPropertyName("question_id")]
    public string QuestionId { get; init; } = "";

    /// <summary>The question.</summary>
    [JsonPropertyName("question")]
    public string Question { get; init; } = "";

    /// <summary>The description, including the resolution rules.</summary>
    [JsonPropertyName("description")]
    public string Description { get; init; } = "";

    /// <summary>The market slug.</summary>
    [JsonPropertyName("market_slug")]
    public string MarketSlug { get; init; } = "";

    /// <summary>The end date.</summary>
    [JsonPropertyName("end_date_iso")]
    public DateTimeOffset? EndDate { get; init; }

    /// <summary>The game start time of a sports market.</summary>
    [JsonPropertyName("game_start_time")]
    public DateTimeOffset? GameStartTime { get; init; }

    /// <summary>Whether the CLOB accepts orders.</summary>
    [JsonPropertyName("accepting_orders")]
    public bool AcceptingOrders { get; init; }

    /// <summary>Since when the CLOB accepts orders.</summary>
    [JsonPropertyName("accepting_order_timestamp")]
    public DateTimeOffset? AcceptingOrderTimestamp { get; init; }

    /// <summary>Whether the market is active.</summary>
    [JsonPropertyName("active")]
    public bool Active { get; init; }

    /// <summary>Whether the market is archived.</summary>
    [JsonPropertyName("archived")]
    public bool Archived { get; init; }

    /// <summary>Whether the market is closed.</summary>
    [JsonPropertyName("closed")]
    public bool Closed { get; init; }

    /// <summary>Whether the order book is enabled.</summary>
    [JsonPropertyName("enable_order_book")]
    public bool EnableOrderBook { get; init; }

    /// <summary>The minimum order size in shares.</summary>
    [JsonPropertyName("minimum_order_size")]
    public decimal MinimumOrderSize { get; init; }

    /// <summary>The minimum tick size.</summary>
    [JsonPropertyName("minimum_tick_size")]
    public decimal MinimumTickSize { get; init; }

    /// <summary>Whether the market is neg-risk.</summary>
    [JsonPropertyName("neg_risk")]
    public bool NegRisk { get; init; }

    /// <summary>The neg-risk market ID (empty when not neg-risk).</summary>
    [JsonPropertyName("neg_risk_market_id")]
    public string? NegRiskMarketId { get; init; }

    /// <summary>The neg-risk request ID.</summary>
    [JsonPropertyName("neg_risk_request_id")]
    public string? NegRiskRequestId { get; init; }

    /// <summary>The legacy maker base fee, bps.</summary>
    [JsonPropertyName("maker_base_fee")]
    public decimal MakerBaseFee { get; init; }

    /// <summary>The legacy taker base fee, bps.</summary>
    [JsonPropertyName("taker_base_fee")]
    public decimal TakerBaseFee { get; init; }

    /// <summary>The matching delay in seconds.</summary>
    [JsonPropertyName("seconds_delay")]
    public int SecondsDelay { get; init; }

    /// <summary>The outcome tokens; after resolution the winner has <see cref="ClobToken.Winner"/>.</summary>
    [JsonPropertyName("tokens")]
    public IReadOnlyList<ClobToken> Tokens { get; init; } = [];

    /// <summary>The tags (null when none).</summary>
    [JsonPropertyName("tags")]
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>The liquidity-reward settings.</summary>
    [JsonPropertyName("rewards")]
    public ClobRewards? Rewards { get; init; }

    /// <summary>The winning token of a resolved market, or null.</summary>
    public ClobToken? Winner() => Tokens.FirstOrDefault(t => t.Winner);
}

/// <summary>An outcome token in the compact V2 market info.</summary>
public sealed class ClobMarketInfoToken
{
    /// <summary>The token ID.</summary>
    [JsonPropertyName("t")]
    public string TokenId { get; init; } = "";

    /// <summary>The outcome name.</summary>
    [JsonPropertyName("o")]
    public string Outcome { get; init; } = "";
}

/// <summary>The fee parameters of a market: taker fee = shares × rate × (p·(1−p))^exponent.</summary>
public sealed class ClobFeeDetails
{
    /// <summary>The fee rate.</summary>
    [JsonPropertyName("r")]
    public decimal Rate { get; init; }

    /// <summary>The exponent.</summary>
    [JsonPropertyName("e")]
    public decimal Exponent { get; init; }

    /// <summary>Whether only takers pay.</summary>
    [JsonPropertyName("to")]
    public bool TakerOnly { get; init; }
}

/// <summary><c>GET /clob-markets/{condition_id}</c>: the compact V2 market info (tick, minimum size, fees).</summary>
public sealed class ClobMarketInfo
{
    /// <summary>The condition ID.</summary>
    [JsonPropertyName("c")]
    public string ConditionId { get; init; } = "";

    /// <summary>The outcome tokens.</summary>
    [JsonPropertyName("t")]
    public IReadOnlyList<ClobMarketInfoToken> Tokens { get; init; } = [];

    /// <summary>The minimum tick size.</summary>
    [JsonPropertyName("mts")]
    public decimal MinimumTickSize { get; init; }

    /// <summary>The minimum order size.</summary>
    [JsonPropertyName("mos")]
    public decimal MinimumOrderSize { get; init; }

    /// <summary>Whether the market is neg-risk.</summary>
    [JsonPropertyName("nr")]
    public bool NegRisk { get; init; }

    /// <summary>The maker base fee.</summary>
    [JsonPropertyName("mbf")]
    public decimal MakerBaseFee { get; init; }

    /// <summary>The taker base fee.</summary>
    [JsonPropertyName("tbf")]
    public decimal TakerBaseFee { get; init; }

    /// <summary>The fee parameters, when the market charges fees.</summary>
    [JsonPropertyName("fd")]
    public ClobFeeDetails? Fees { get; init; }

    /// <summary>Whether the CLOB accepts orders.</summary>
    [JsonPropertyName("ao")]
    public bool AcceptingOrders { get; init; }

    /// <summary>The matching delay in seconds.</summary>
    [JsonPropertyName("sd")]
    public int SecondsDelay { get; init; }
}

/// <summary>The reply to <c>POST /order</c> (and each element of <c>POST /orders</c>), protocol reference §4.6.</summary>
public sealed class OrderPostResponse
{
    /// <summary>The server's success flag.</summary>
    [JsonPropertyName("success")]
    public bool Success { get; init; }

    /// <summary>The rejection reason; empty when accepted.</summary>
    [JsonPropertyName("errorMsg")]
    public string? ErrorMsg { get; init; }

    /// <summary>The order ID (the EIP-712 order hash); empty for a rejected batch leg.</summary>
    [JsonPropertyName("orderID")]
    public string? OrderId { get; init; }

    /// <summary><c>live</c>, <c>matched</c>, <c>delayed</c> or <c>unmatched</c>.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    /// <summary>What the maker gave at placement, human units (0 when nothing filled).</summary>
    [JsonPropertyName("makingAmount")]
    public decimal MakingAmount { get; init; }

    /// <summary>What the maker received at placement, human units (0 when nothing filled).</summary>
    [JsonPropertyName("takingAmount")]
    public decimal TakingAmount { get; init; }

    /// <summary>The IDs of trades made at placement.</summary>
    [JsonPropertyName("tradeIDs")]
    public IReadOnlyList<string>? TradeIds { get; init; }

    /// <summary>Settlement transaction hashes (best effort, often empty).</summary>
    [JsonPropertyName("transactionsHashes")]
    public IReadOnlyList<string>? TransactionsHashes { get; init; }

    /// <summary>True when the order was accepted: success, no error message and an order ID.</summary>
    [JsonIgnore]
    public bool IsAccepted => Success && string.IsNullOrEmpty(ErrorMsg) && !string.IsNullOrEmpty(OrderId);
}

/// <summary>The reply to the cancel endpoints.</summary>
public sealed class CancelOrdersResponse
{
    /// <summary>The IDs cancelled.</summary>
    [JsonPropertyName("canceled")]
    public IReadOnlyList<string>? Canceled { get; init; }

    /// <summary>The IDs not cancelled, with the reason.</summary>
    [JsonPropertyName("not_canceled")]
    public IReadOnlyDictionary<string, string>? NotCanceled { get; init; }
}

/// <summary>An open order (<c>GET /data/order/{id}</c>, <c>GET /data/orders</c>).</summary>
public sealed class OpenOrder
{
    /// <summary>The order ID (order hash).</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>The status: <c>LIVE</c> (also spelled <c>ORDER_STATUS_LIVE</c>), <c>MATCHED</c>, <c>CANCELED</c>…</summary>
    [JsonPropertyName("status")]
    public string Status { get; init; } = "";

    /// <summary>The API key that owns the order.</summary>
    [JsonPropertyName("owner")]
    public string Owner { get; init; } = "";

    /// <summary>The maker (funder) address.</summary>
    [JsonPropertyName("maker_address")]
    public string MakerAddress { get; init; } = "";

    /// <summary>The condition ID.</summary>
    [JsonPropertyName("market")]
    public string Market { get; init; } = "";

    /// <summary>The outcome token ID.</summary>
    [JsonPropertyName("asset_id")]
    public string AssetId { get; init; } = "";

    /// <summary><c>BUY</c> or <c>SELL</c>.</summary>
    [JsonPropertyName("side")]
    public string Side { get; init; } = "";

    /// <summary>The original size in shares.</summary>
    [JsonPropertyName("original_size")]
    public decimal OriginalSize { get; init; }

    /// <summary>The shares matched so far.</summary>
    [JsonPropertyName("size_matched")]
    public decimal SizeMatched { get; init; }

    /// <summary>The limit price.</summary>
    [JsonPropertyName("price")]
    public decimal Price { get; init; }

    /// <summary>The outcome name.</summary>
    [JsonPropertyName("outcome")]
    public string Outcome { get; init; } = "";

    /// <summary>The expiration, Unix seconds (0 for none).</summary>
    [JsonPropertyName("expiration")]
    public long Expiration { get; init; }

    /// <summary>The order type, e.g. <c>GTC</c>.</summary>
    [JsonPropertyName("order_type")]
    public string OrderType { get; init; } = "";

    /// <summary>The IDs of trades that filled the order.</summary>
    [JsonPropertyName("associate_trades")]
    public IReadOnlyList<string>? AssociateTrades { get; init; }

    /// <summary>The creation time, Unix seconds.</summary>
    [JsonPropertyName("created_at")]
    public long CreatedAt { get; init; }

    /// <summary>True while the order rests on the book.</summary>
    [JsonIgnore]
    public bool IsLive => Status is "LIVE" or "ORDER_STATUS_LIVE";

    /// <summary>The unfilled size.</summary>
    [JsonIgnore]
    public decimal RemainingSize => OriginalSize - SizeMatched;
}

/// <summary>A maker order matched in a <see cref="ClobTrade"/>.</summary>
public sealed class MakerOrderFill
{
    /// <summary>The maker order ID.</summary>
    [JsonPropertyName("order_id")]
    public string OrderId { get; init; } = "";

    /// <summary>The maker's API key.</summary>
    [JsonPropertyName("owner")]
    public string Owner { get; init; } = "";

    /// <summary>The maker address.</summary>
    [JsonPropertyName("maker_address")]
    public string MakerAddress { get; init; } = "";

    /// <summary>The shares matched against this maker order.</summary>
    [JsonPropertyName("matched_amount")]
    public decimal MatchedAmount { get; init; }

    /// <summary>The maker order's price.</summary>
    [JsonPropertyName("price")]
    public decimal Price { get; init; }

    /// <summary>The fee rate, bps.</summary>
    [JsonPropertyName("fee_rate_bps")]
    public decimal FeeRateBps { get; init; }

    /// <summary>The maker order's token.</summary>
    [JsonPropertyName("asset_id")]
    public string AssetId { get; init; } = "";

    /// <summary>The maker order's outcome.</summary>
    [JsonPropertyName("outcome")]
    public string Outcome { get; init; } = "";

    /// <summary>The maker order's side, when sent.</summary>
    [JsonPropertyName("side")]
    public string? Side { get; init; }
}

/// <summary>A trade of the authenticated user (<c>GET /data/trades</c>).</summary>
public sealed class ClobTrade
{
    /// <summary>The trade ID.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>The taker order ID.</summary>
    [JsonPropertyName("taker_order_id")]
    public string TakerOrderId { get; init; } = "";

    /// <summary>The condition ID.</summary>
    [JsonPropertyName("market")]
    public string Market { get; init; } = "";

    /// <summary>The taker's token.</summary>
    [JsonPropertyName("asset_id")]
    public string AssetId { get; init; } = "";

    /// <summary>The taker's side.</summary>
    [JsonPropertyName("side")]
    public string Side { get; init; } = "";

    /// <summary>The size in shares.</summary>
    [JsonPropertyName("size")]
    public decimal Size { get; init; }

    /// <summary>The fee rate, bps.</summary>
    [JsonPropertyName("fee_rate_bps")]
    public decimal FeeRateBps { get; init; }

    /// <summary>The price.</summary>
    [JsonPropertyName("price")]
    public decimal Price { get; init; }

    /// <summary><c>MATCHED</c>, <c>MINED</c>, <c>CONFIRMED</c>, <c>RETRYING</c> or <c>FAILED</c>.</summary>
    [JsonPropertyName("status")]
    public string Status { get; init; } = "";

    /// <summary>The match time, Unix seconds.</summary>
    [JsonPropertyName("match_time")]
    public long MatchTime { get; init; }

    /// <summary>The last update, Unix seconds.</summary>
    [JsonPropertyName("last_update")]
    public long LastUpdate { get; init; }

    /// <summary>The taker's outcome.</summary>
    [JsonPropertyName("outcome")]
    public string Outcome { get; init; } = "";

    /// <summary>The bucket index.</summary>
    [JsonPropertyName("bucket_index")]
    public int BucketIndex { get; init; }

    /// <summary>The API key of the user the trade is reported to.</summary>
    [JsonPropertyName("owner")]
    public string Owner { get; init; } = "";

    /// <summary>The maker address of the reported side.</summary>
    [JsonPropertyName("maker_address")]
    public string MakerAddress { get; init; } = "";

    /// <summary>The settlement transaction hash, once mined.</summary>
    [JsonPropertyName("transaction_hash")]
    public string? TransactionHash { get; init; }

    /// <summary><c>TAKER</c> or <c>MAKER</c>: the user's role.</summary>
    [JsonPropertyName("trader_side")]
    public string? TraderSide { get; init; }

    /// <summary>The maker orders matched.</summary>
    [JsonPropertyName("maker_orders")]
    public IReadOnlyList<MakerOrderFill> MakerOrders { get; init; } = [];

    /// <summary>True once the trade will not change: it has a transaction hash or failed (clob-client-v2 <c>isTradeResolved</c>).</summary>
    [JsonIgnore]
    public bool IsTerminal => !string.IsNullOrEmpty(TransactionHash) || Status == "FAILED";
}

/// <summary>The asset a balance/allowance query is about.</summary>
public enum BalanceAssetType
{
    /// <summary>pUSD collateral.</summary>
    Collateral,

    /// <summary>A CTF outcome token (needs a token ID).</summary>
    Conditional,

    /// <summary>A Protocol-V2 position token (needs a token ID).</summary>
    ConditionalV2,
}

/// <summary><c>GET /balance-allowance</c>: a balance and allowances, in base units (6 decimals).</summary>
public sealed class BalanceAllowance
{
    /// <summary>The balance in base units (1 pUSD or 1 share = 1 000 000).</summary>
    [JsonPropertyName("balance")]
    public decimal Balance { get; init; }

    /// <summary>Allowance per spender address, base units as decimal strings (often 2^256 − 1).</summary>
    [JsonPropertyName("allowances")]
    public IReadOnlyDictionary<string, string>? Allowances { get; init; }

    /// <summary>The balance in human units (pUSD or shares).</summary>
    [JsonIgnore]
    public decimal BalanceAmount => Balance / 1_000_000m;
}

/// <summary>The reply to <c>POST /v1/heartbeats</c>.</summary>
public sealed class HeartbeatResponse
{
    /// <summary>The heartbeat ID to send next time (on a mismatch: the one the server expects).</summary>
    [JsonPropertyName("heartbeat_id")]
    public string HeartbeatId { get; init; } = "";

    /// <summary>The error, e.g. <c>Invalid Heartbeat ID</c>; null on success.</summary>
    [JsonPropertyName("error_msg")]
    public string? ErrorMsg { get; init; }
}
