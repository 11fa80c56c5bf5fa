using System.Buffers.Text;
using System.Text.Json;

namespace PolymarketAlgo.Executor.Rest;

/// <summary>
/// Reads a <c>/book</c> body with <see cref="Utf8JsonReader"/>: decimals are parsed from the UTF-8 bytes without
/// intermediate strings, so a 100-level book costs the levels and little else. Numbers may come as JSON strings
/// (Polymarket's form) or numbers; unknown properties are skipped.
/// </summary>
internal static class OrderBookReader
{
    /// <summary>Reads one book.</summary>
    /// <exception cref="JsonException">The body is not a book (not an object, or no asset_id, bids or asks).</exception>
    public static OrderBookSummary Read(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a book must be a JSON object");
        }

        var market = "";
        string? assetId = null;
        var hash = "";
        long timestamp = 0;
        List<PriceLevel>? bids = null, asks = null;
        decimal? minOrderSize = null, tickSize = null, lastTradePrice = null;
        bool? negRisk = null;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("bids"u8))
            {
                reader.Read();
                bids = ReadLevels(ref reader);
            }
            else if (reader.ValueTextEquals("asks"u8))
            {
                reader.Read();
                asks = ReadLevels(ref reader);
            }
            else if (reader.ValueTextEquals("asset_id"u8))
            {
                reader.Read();
                assetId = reader.GetString();
            }
            else if (reader.ValueTextEquals("market"u8))
            {
                reader.Read();
                market = reader.GetString() ?? "";
            }
            else if (reader.ValueTextEquals("hash"u8))
            {
                reader.Read();
                hash = reader.GetString() ?? "";
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                timestamp = reader.TokenType == JsonTokenType.Null ? 0 : (long)ReadDecimal(ref reader);
            }
            else if (reader.ValueTextEquals("min_order_size"u8))
            {
                reader.Read();
                minOrderSize = ReadOptionalDecimal(ref reader);
            }
            else if (reader.ValueTextEquals("tick_size"u8))
            {
                reader.Read();
                tickSize = ReadOptionalDecimal(ref reader);
            }
            else if (reader.ValueTextEquals("last_trade_price"u8))
            {
                reader.Read();
                lastTradePrice = ReadOptionalDecimal(ref reader);
            }
            else if (reader.ValueTextEquals("neg_risk"u8))
            {
                reader.Read();
                negRisk = reader.TokenType switch
                {
                    JsonTokenType.True => true,
                    JsonTokenType.False => false,
                    JsonTokenType.String => bool.Parse(reader.GetString()!),
                    _ => null,
                };
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (assetId is null || bids is null || asks is null)
        {
            throw new JsonException("a book needs asset_id, bids and asks");
        }

        return new OrderBookSummary
        {
            Market = market,
            AssetId = assetId,
            Hash = hash,
            TimestampMs = timestamp,
            Bids = bids,
            Asks = asks,
            MinOrderSize = minOrderSize,
            TickSize = tickSize,
            NegRisk = negRisk,
            LastTradePrice = lastTradePrice,
        };
    }

    private static List<PriceLevel> ReadLevels(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("book levels must be an array");
        }

        var levels = new List<PriceLevel>(32);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("a book level must be an object");
            }

            decimal? price = null, size = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("price"u8))
                {
                    reader.Read();
                    price = ReadDecimal(ref reader);
                }
                else if (reader.ValueTextEquals("size"u8))
                {
                    reader.Read();
                    size = ReadDecimal(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (price is null || size is null)
            {
                throw new JsonException("a book level needs price and size");
            }

            levels.Add(new PriceLevel(price.Value, size.Value));
        }

        return levels;
    }

    private static decimal? ReadOptionalDecimal(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null || (reader.TokenType == JsonTokenType.String && reader.ValueSpan.IsEmpty)
            ? null
            : ReadDecimal(ref reader);

    private static decimal ReadDecimal(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.GetDecimal();
            case JsonTokenType.String when !reader.HasValueSequence && !reader.ValueIsEscaped:
                var text = reader.ValueSpan;
                if (TryParsePlainDecimal(text, out var plain))
                {
                    return plain;
                }

                if (Utf8Parser.TryParse(text, out decimal value, out var consumed) && consumed == text.Length)
                {
                    return value;
                }

                throw new JsonException("a book number is not a decimal");
            case JsonTokenType.String:
                return decimal.Parse(reader.GetString()!, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
            default:
                throw new JsonException($"expected a number, found {reader.TokenType}");
        }
    }

    /// <summary>
    /// The fast path for the plain decimals Polymarket sends ("0.51", "1234.5", "-3"): at most 18 digits and one
    /// point, read into a 64-bit mantissa and a scale. Anything else (exponents, more digits) returns false.
    /// </summary>
    private static bool TryParsePlainDecimal(ReadOnlySpan<byte> text, out decimal value)
    {
        value = 0m;
        var index = 0;
        var negative = false;
        if (text.Length > 0 && text[0] == (byte)'-')
        {
            negative = true;
            index = 1;
        }

        if (index >= text.Length || text.Length - index > 19)
        {
            return false;
        }

        long mantissa = 0;
        var scale = -1;
        var digits = 0;
        for (; index < text.Length; index++)
        {
            var c = text[index];
            if (c == (byte)'.')
            {
                if (scale >= 0)
                {
                    return false;
                }

                scale = 0;
                continue;
            }

            var digit = c - (byte)'0';
            if ((uint)digit > 9)
            {
                return false;
            }

            mantissa = (mantissa * 10) + digit;
            digits++;
            if (scale >= 0)
            {
                scale++;
            }
        }

        if (digits == 0 || digits > 18 || scale == 0)
        {
            return false;
        }

        value = new decimal((int)mantissa, (int)(mantissa >> 32), 0, negative, (byte)Math.Max(scale, 0));
        return true;
    }
}
