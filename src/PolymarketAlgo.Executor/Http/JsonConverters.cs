using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PolymarketAlgo.Executor.Http;

/// <summary>
/// Reads a <see cref="decimal"/> from a JSON number or a decimal string (Polymarket sends prices and sizes
/// as strings, e.g. <c>"0.48"</c>); an empty string reads as 0 (how <c>makingAmount: ""</c> means nothing filled).
/// Writes the invariant decimal string.
/// </summary>
public sealed class FlexibleDecimalConverter : JsonConverter<decimal>
{
    /// <inheritdoc />
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonDecimal.Read(ref reader) ?? 0m;

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
}

/// <summary>Reads a nullable <see cref="decimal"/> from a JSON number, a decimal string, null or an empty string (null).</summary>
public sealed class FlexibleNullableDecimalConverter : JsonConverter<decimal?>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override decimal? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonDecimal.Read(ref reader);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, decimal? value, JsonSerializerOptions options)
    {
        if (value is { } v)
        {
            writer.WriteStringValue(v.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

/// <summary>
/// Reads a nullable <see cref="DateTimeOffset"/> from an ISO-8601 string (UTC when no offset is given),
/// null or an empty string, or from a Unix time number (seconds, or milliseconds when above 10^11).
/// An unparseable string is a <see cref="JsonException"/>.
/// </summary>
public sealed class FlexibleDateTimeOffsetConverter : JsonConverter<DateTimeOffset?>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                var unix = reader.GetInt64();
                return unix > 100_000_000_000 ? DateTimeOffset.FromUnixTimeMilliseconds(unix) : DateTimeOffset.FromUnixTimeSeconds(unix);
            case JsonTokenType.String:
                var text = reader.GetString();
                if (string.IsNullOrWhiteSpace(text))
                {
                    return null;
                }

                return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                    ? parsed
                    : throw new JsonException($"'{text}' is not a date");
            default:
                throw new JsonException($"expected a date, got {reader.TokenType}");
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is { } v)
        {
            writer.WriteStringValue(v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}

/// <summary>Reads a <see cref="bool"/> from true/false, the strings "true"/"false", or null (false).</summary>
public sealed class FlexibleBooleanConverter : JsonConverter<bool>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False or JsonTokenType.Null => false,
            JsonTokenType.String when bool.TryParse(reader.GetString(), out var value) => value,
            _ => throw new JsonException($"expected a boolean, got {reader.TokenType}"),
        };

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
}

/// <summary>Reads a list of IDs written as JSON strings or numbers (kept as their exact text); null reads as null.</summary>
public sealed class IdListConverter : JsonConverter<IReadOnlyList<string>>
{
    /// <inheritdoc />
    public override IReadOnlyList<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"expected an array of IDs, got {reader.TokenType}");
        }

        var ids = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            ids.Add(reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString()!,
                JsonTokenType.Number => Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
                _ => throw new JsonException($"expected an ID string or number, got {reader.TokenType}"),
            });
        }

        return ids;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var id in value)
        {
            writer.WriteStringValue(id);
        }

        writer.WriteEndArray();
    }
}

/// <summary>Decimal reading shared by the converters and the hand-written Data API parser.</summary>
public static class JsonDecimal
{
    /// <summary>Reads the current token as a decimal: number or decimal string; null and "" give null.</summary>
    /// <exception cref="JsonException">The token is neither, or the text is not a decimal.</exception>
    public static decimal? Read(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                return reader.TryGetDecimal(out var number) ? number : Parse(Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan));
            case JsonTokenType.String:
                var text = reader.GetString();
                return string.IsNullOrWhiteSpace(text) ? null : Parse(text);
            default:
                throw new JsonException($"expected a decimal number or string, got {reader.TokenType}");
        }
    }

    /// <summary>Reads an element as a decimal: number or decimal string; null, absent or "" give null.</summary>
    /// <exception cref="JsonException">The element is neither, or the text is not a decimal.</exception>
    public static decimal? Read(JsonElement element) =>
        element.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.Number => element.TryGetDecimal(out var number) ? number : Parse(element.GetRawText()),
            JsonValueKind.String => element.GetString() is { } text && !string.IsNullOrWhiteSpace(text) ? Parse(text) : null,
            _ => throw new JsonException($"expected a decimal number or string, got {element.ValueKind}"),
        };

    /// <summary>Parses invariant decimal text, accepting exponents (<c>1e-5</c>).</summary>
    /// <exception cref="JsonException">The text is not a decimal in range.</exception>
    public static decimal Parse(string text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new JsonException($"'{text}' is not a decimal");
}
