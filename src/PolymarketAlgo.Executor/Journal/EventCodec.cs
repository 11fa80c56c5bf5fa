using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PolymarketAlgo.Core;

namespace PolymarketAlgo.Executor.Journal;

/// <summary>
/// The journal's text forms of Core trading values: event kinds, idempotency keys and JSON payloads. Times are
/// kept as ISO-8601 round-trip text and money as exact decimals, so a decoded event equals the one encoded.
/// </summary>
public static class EventCodec
{
    private static readonly HashSet<string> KnownKinds =
    [
        "bankroll_set",
        "order_placed",
        "order_accepted",
        "filled",
        "order_closed",
        "rejected",
        "settled",
        "force_exited",
    ];

    /// <summary>The kind name stored with an event.</summary>
    /// <param name="tradingEvent">The event.</param>
    /// <returns>snake_case kind, e.g. <c>order_placed</c>.</returns>
    public static string Kind(TradingEvent tradingEvent)
    {
        ArgumentNullException.ThrowIfNull(tradingEvent);
        return tradingEvent switch
        {
            TradingEvent.BankrollSet => "bankroll_set",
            TradingEvent.OrderPlaced => "order_placed",
            TradingEvent.OrderAccepted => "order_accepted",
            TradingEvent.Filled => "filled",
            TradingEvent.OrderClosed => "order_closed",
            TradingEvent.Rejected => "rejected",
            TradingEvent.Settled => "settled",
            TradingEvent.ForceExited => "force_exited",
            _ => throw new ArgumentOutOfRangeException(nameof(tradingEvent)),
        };
    }

    /// <summary>
    /// The idempotency key: a replayed write of the same fact has the same key, so the journal keeps one.
    /// Placement and acceptance are keyed by client order id, fills by client order id and fill id, a close or
    /// rejection once per order, a settlement once per market, an exit per market, outcome and time, and a
    /// bankroll setting per time and amount.
    /// </summary>
    /// <param name="tradingEvent">The event.</param>
    /// <returns>The key.</returns>
    public static string Key(TradingEvent tradingEvent)
    {
        ArgumentNullException.ThrowIfNull(tradingEvent);
        return tradingEvent switch
        {
            TradingEvent.BankrollSet e => $"bankroll:{Time(e.At)}:{Money(e.Amount)}",
            TradingEvent.OrderPlaced e => $"placed:{e.Intent.ClientOrderId}",
            TradingEvent.OrderAccepted e => $"accepted:{e.ClientOrderId}",
            TradingEvent.Filled e => $"fill:{e.ClientOrderId}:{e.FillId}",
            TradingEvent.OrderClosed e => $"closed:{e.ClientOrderId}",
            TradingEvent.Rejected e => $"closed:{e.ClientOrderId}",
            TradingEvent.Settled e => $"settled:{e.MarketId}",
            TradingEvent.ForceExited e => $"exit:{e.MarketId}:{Outcome(e.Outcome)}:{Time(e.At)}",
            _ => throw new ArgumentOutOfRangeException(nameof(tradingEvent)),
        };
    }

    /// <summary>The client order id an event is about, or null.</summary>
    /// <param name="tradingEvent">The event.</param>
    /// <returns>The id.</returns>
    public static string? ClientOrderId(TradingEvent tradingEvent) =>
        tradingEvent switch
        {
            TradingEvent.OrderPlaced e => e.Intent.ClientOrderId,
            TradingEvent.OrderAccepted e => e.ClientOrderId,
            TradingEvent.Filled e => e.ClientOrderId,
            TradingEvent.OrderClosed e => e.ClientOrderId,
            TradingEvent.Rejected e => e.ClientOrderId,
            _ => null,
        };

    /// <summary>The market an event is about, or null.</summary>
    /// <param name="tradingEvent">The event.</param>
    /// <returns>The market id.</returns>
    public static string? MarketId(TradingEvent tradingEvent) =>
        tradingEvent switch
        {
            TradingEvent.OrderPlaced e => e.Intent.MarketId,
            TradingEvent.Settled e => e.MarketId,
            TradingEvent.ForceExited e => e.MarketId,
            _ => null,
        };

    /// <summary>Encodes an event's fields as a JSON object (snake_case keys).</summary>
    /// <param name="tradingEvent">The event.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize(TradingEvent tradingEvent)
    {
        ArgumentNullException.ThrowIfNull(tradingEvent);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            switch (tradingEvent)
            {
                case TradingEvent.BankrollSet e:
                    w.WriteNumber("amount", e.Amount);
                    w.WriteString("at", Time(e.At));
                    break;
                case TradingEvent.OrderPlaced e:
                    WriteIntent(w, e.Intent);
                    w.WriteString("at", Time(e.At));
                    break;
                case TradingEvent.OrderAccepted e:
                    w.WriteString("client_order_id", e.ClientOrderId);
                    w.WriteString("exchange_order_id", e.ExchangeOrderId);
                    w.WriteString("order_hash", e.OrderHash);
                    w.WriteString("at", Time(e.At));
                    break;
                case TradingEvent.Filled e:
                    w.WriteString("client_order_id", e.ClientOrderId);
                    w.WriteString("fill_id", e.FillId);
                    w.WriteNumber("shares", e.Shares);
                    w.WriteNumber("price", e.Price);
                    w.WriteNumber("fee", e.Fee);
                    w.WriteString("at", Time(e.At));
                    break;
                case TradingEvent.OrderClosed e:
                    w.WriteString("client_order_id", e.ClientOrderId);
                    w.WriteString("status", Status(e.Status));
                    w.WriteString("reason", e.Reason);
                    w.WriteString("at", Time(e.At));
                    break;
                case TradingEvent.Rejected e:
                    w.WriteString("client_order_id", e.ClientOrderId);
                    w.WriteString("reason", e.Reason);
                    w.WriteString("at", Time(e.At));
                    break;
                case TradingEvent.Settled e:
                    w.WriteString("market_id", e.MarketId);
                    w.WriteString("winner", Outcome(e.Winner));
                    w.WriteString("at", Time(e.At));
                    break;
                case TradingEvent.ForceExited e:
                    w.WriteString("market_id", e.MarketId);
                    w.WriteString("outcome", Outcome(e.Outcome));
                    w.WriteNumber("proceeds", e.Proceeds);
                    w.WriteString("reason", e.Reason);
                    w.WriteString("at", Time(e.At));
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(tradingEvent));
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Decodes an event written by <see cref="Serialize"/>.</summary>
    /// <param name="kind">The kind from <see cref="Kind"/>.</param>
    /// <param name="json">The payload.</param>
    /// <returns>The event.</returns>
    /// <exception cref="FormatException">An unknown kind or a malformed payload.</exception>
    public static TradingEvent Deserialize(string kind, string json)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(json);
        if (!KnownKinds.Contains(kind))
        {
            throw new FormatException($"Unknown journal event kind '{kind}'.");
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var o = document.RootElement;
            var at = ParseTime(Text(o, "at"));
            return kind switch
            {
                "bankroll_set" => TradingEvent.NewBankrollSet(o.GetProperty("amount").GetDecimal(), at),
                "order_placed" => TradingEvent.NewOrderPlaced(ReadIntent(o), at),
                "order_accepted" => TradingEvent.NewOrderAccepted(
                    Text(o, "client_order_id"),
                    Text(o, "exchange_order_id"),
                    Text(o, "order_hash"),
                    at
                ),
                "filled" => TradingEvent.NewFilled(
                    Text(o, "client_order_id"),
                    Text(o, "fill_id"),
                    o.GetProperty("shares").GetDecimal(),
                    o.GetProperty("price").GetDecimal(),
                    o.GetProperty("fee").GetDecimal(),
                    at
                ),
                "order_closed" => TradingEvent.NewOrderClosed(
                    Text(o, "client_order_id"),
                    ParseStatus(Text(o, "status")),
                    Text(o, "reason"),
                    at
                ),
                "rejected" => TradingEvent.NewRejected(Text(o, "client_order_id"), Text(o, "reason"), at),
                "settled" => TradingEvent.NewSettled(Text(o, "market_id"), ParseOutcome(Text(o, "winner")), at),
                "force_exited" => TradingEvent.NewForceExited(
                    Text(o, "market_id"),
                    ParseOutcome(Text(o, "outcome")),
                    o.GetProperty("proceeds").GetDecimal(),
                    Text(o, "reason"),
                    at
                ),
                _ => throw new UnreachableException(),
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"Malformed journal event of kind '{kind}': {ex.Message}", ex);
        }
    }

    /// <summary>"up" or "down".</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns>The text.</returns>
    public static string Outcome(StreakReversal.Outcome outcome) => outcome.IsUp ? "up" : "down";

    /// <summary>Parses "up" or "down" (any case).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="FormatException">Any other text.</exception>
    public static StreakReversal.Outcome ParseOutcome(string? text) =>
        text?.ToLowerInvariant() switch
        {
            "up" => StreakReversal.Outcome.Up,
            "down" => StreakReversal.Outcome.Down,
            _ => throw new FormatException($"'{text}' is not an outcome (up or down)."),
        };

    /// <summary>"buy" or "sell".</summary>
    /// <param name="side">The side.</param>
    /// <returns>The text.</returns>
    public static string Side(OrderSide side) => side.IsBuy ? "buy" : "sell";

    /// <summary>"FOK", "FAK", "GTC" or "GTD".</summary>
    /// <param name="timeInForce">The time in force.</param>
    /// <returns>The text.</returns>
    public static string TimeInForceText(TimeInForce timeInForce) =>
        timeInForce.Tag switch
        {
            TimeInForce.Tags.Fok => "FOK",
            TimeInForce.Tags.Fak => "FAK",
            TimeInForce.Tags.Gtc => "GTC",
            _ => "GTD",
        };

    /// <summary>"working", "filled", "cancelled", "expired" or "rejected".</summary>
    /// <param name="status">The status.</param>
    /// <returns>The text.</returns>
    public static string Status(OrderStatus status) =>
        status.Tag switch
        {
            OrderStatus.Tags.Working => "working",
            OrderStatus.Tags.Filled => "filled",
            OrderStatus.Tags.Cancelled => "cancelled",
            OrderStatus.Tags.Expired => "expired",
            _ => "rejected",
        };

    private static OrderStatus ParseStatus(string text) =>
        text switch
        {
            "working" => OrderStatus.Working,
            "filled" => OrderStatus.Filled,
            "cancelled" => OrderStatus.Cancelled,
            "expired" => OrderStatus.Expired,
            "rejected" => OrderStatus.Rejected,
            _ => throw new FormatException($"'{text}' is not an order status."),
        };

    private static TimeInForce ParseTimeInForce(string text) =>
        text switch
        {
            "FOK" => TimeInForce.Fok,
            "FAK" => TimeInForce.Fak,
            "GTC" => TimeInForce.Gtc,
            "GTD" => TimeInForce.Gtd,
            _ => throw new FormatException($"'{text}' is not a time in force."),
        };

    private static OrderSide ParseSide(string text) =>
        text switch
        {
            "buy" => OrderSide.Buy,
            "sell" => OrderSide.Sell,
            _ => throw new FormatException($"'{text}' is not an order side."),
        };

    /// <summary>ISO-8601 round-trip text of a time.</summary>
    /// <param name="time">The time.</param>
    /// <returns>The text.</returns>
    public static string Time(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Parses ISO-8601 round-trip text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The time.</returns>
    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.None);

    /// <summary>Invariant text of an amount of money, exact.</summary>
    /// <param name="value">The amount.</param>
    /// <returns>The text.</returns>
    public static string Money(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static void WriteIntent(Utf8JsonWriter w, OrderIntent intent)
    {
        w.WriteString("client_order_id", intent.ClientOrderId);
        w.WriteString("market_id", intent.MarketId);
        w.WriteString("window_start", Time(intent.WindowStart));
        w.WriteString("outcome", Outcome(intent.Outcome));
        w.WriteString("side", Side(intent.Side));
        w.WriteString("time_in_force", TimeInForceText(intent.TimeInForce));
        w.WriteNumber("amount", intent.Amount);
        w.WriteNumber("price", intent.Price);
        w.WriteNumber("expiration", intent.Expiration);
        w.WriteNumber("fee_rate", intent.FeeRate);
        w.WriteString("strategy", intent.Strategy);
        w.WriteNumber("confidence", intent.Confidence);
        w.WriteNumber("streak_length", intent.StreakLength);
        w.WriteString("reason", intent.Reason);
    }

    private static OrderIntent ReadIntent(JsonElement o) =>
        new(
            Text(o, "client_order_id"),
            Text(o, "market_id"),
            ParseTime(Text(o, "window_start")),
            ParseOutcome(Text(o, "outcome")),
            ParseSide(Text(o, "side")),
            ParseTimeInForce(Text(o, "time_in_force")),
            o.GetProperty("amount").GetDecimal(),
            o.GetProperty("price").GetDecimal(),
            o.GetProperty("expiration").GetInt64(),
            o.GetProperty("fee_rate").GetDecimal(),
            Text(o, "strategy"),
            o.GetProperty("confidence").GetDecimal(),
            o.GetProperty("streak_length").GetInt32(),
            Text(o, "reason")
        );

    private static string Text(JsonElement o, string name) =>
        o.GetProperty(name).GetString() ?? throw new FormatException($"'{name}' is null.");
}
