using PolymarketAlgo.Executor.Books;
using PolymarketAlgo.Simulator.Markets;

namespace PolymarketAlgo.Simulator.Exchange;

/// <summary>A token's book as served: the replayed levels merged with the simulated accounts' resting orders.</summary>
/// <param name="Window">The market.</param>
/// <param name="AssetId">The token.</param>
/// <param name="TimestampMs">Simulated time of the book, Unix ms.</param>
/// <param name="Hash">The book hash.</param>
/// <param name="Bids">Bids ascending (best last), as Polymarket sends them.</param>
/// <param name="Asks">Asks descending (best last).</param>
/// <param name="LastTradePrice">The last trade price, if any.</param>
public sealed record BookView(
    MarketWindow Window,
    string AssetId,
    long TimestampMs,
    string Hash,
    IReadOnlyList<PriceLevel> Bids,
    IReadOnlyList<PriceLevel> Asks,
    decimal? LastTradePrice)
{
    /// <summary>The best bid price.</summary>
    public decimal? BestBid => Bids.Count > 0 ? Bids[^1].Price : null;

    /// <summary>The best ask price.</summary>
    public decimal? BestAsk => Asks.Count > 0 ? Asks[^1].Price : null;

    /// <summary>The mid price, when both sides exist.</summary>
    public decimal? Mid => BestBid is { } b && BestAsk is { } a ? (a + b) / 2m : null;

    /// <summary>The spread, when both sides exist.</summary>
    public decimal? Spread => BestBid is { } b && BestAsk is { } a ? a - b : null;

    /// <summary>The book as a REST <c>/book</c> object or, with <paramref name="asEvent"/>, a market-channel <c>book</c> message.</summary>
    /// <param name="asEvent">Add <c>"event_type":"book"</c>.</param>
    /// <returns>The JSON text.</returns>
    public string ToJson(bool asEvent) =>
        JsonText.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("market", Window.ConditionId);
            w.WriteString("asset_id", AssetId);
            w.WriteString("timestamp", JsonText.Format(TimestampMs));
            w.WriteString("hash", Hash);
            WriteLevels(w, "bids", Bids);
            WriteLevels(w, "asks", Asks);
            w.WriteDecimalString("min_order_size", Window.MinimumOrderSize);
            w.WriteDecimalString("tick_size", Window.TickSize);
            w.WriteBoolean("neg_risk", false);
            if (LastTradePrice is { } last)
            {
                w.WriteDecimalString("last_trade_price", last);
            }

            if (asEvent)
            {
                w.WriteString("event_type", "book");
            }

            w.WriteEndObject();
        });

    private static void WriteLevels(System.Text.Json.Utf8JsonWriter w, string name, IReadOnlyList<PriceLevel> levels)
    {
        w.WriteStartArray(name);
        foreach (var level in levels)
        {
            w.WriteStartObject();
            w.WriteDecimalString("price", level.Price);
            w.WriteDecimalString("size", level.Size);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}

/// <summary>Where a market stands at the simulated now.</summary>
/// <param name="Listed">Gamma lists it (from 24 h before the start).</param>
/// <param name="AcceptingOrders">Orders are accepted (listed and not yet ended).</param>
/// <param name="Ended">The window has ended.</param>
/// <param name="Resolved">The outcome is published (Gamma <c>closed</c>).</param>
/// <param name="UpBook">The Up token's book while the market trades.</param>
/// <param name="DownBook">The Down token's book while the market trades.</param>
public sealed record MarketStatus(bool Listed, bool AcceptingOrders, bool Ended, bool Resolved, BookView? UpBook, BookView? DownBook);

/// <summary>An error answered with <c>{"error": message, "status": code}</c>.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Message">The error text.</param>
public sealed record ExchangeError(int Status, string Message);

/// <summary>The <c>POST /order</c> reply (§4.6).</summary>
/// <param name="Success">Whether the order was accepted.</param>
/// <param name="ErrorMsg">Why not, or empty.</param>
/// <param name="OrderId">The order hash.</param>
/// <param name="Status"><c>live</c>, <c>matched</c> or <c>unmatched</c>.</param>
/// <param name="MakingAmount">What was given at placement, or null when nothing matched.</param>
/// <param name="TakingAmount">What was received at placement, or null when nothing matched.</param>
/// <param name="TradeIds">The trades made at placement.</param>
/// <param name="TransactionHashes">Their settlement transactions.</param>
public sealed record OrderReply(
    bool Success,
    string ErrorMsg,
    string OrderId,
    string Status,
    decimal? MakingAmount,
    decimal? TakingAmount,
    IReadOnlyList<string> TradeIds,
    IReadOnlyList<string> TransactionHashes);

/// <summary>A cancel reply: <c>{"canceled":[…],"not_canceled":{id: reason}}</c>.</summary>
/// <param name="Canceled">The cancelled order ids.</param>
/// <param name="NotCanceled">Reasons for the others.</param>
public sealed record CancelReply(IReadOnlyList<string> Canceled, IReadOnlyDictionary<string, string> NotCanceled);
