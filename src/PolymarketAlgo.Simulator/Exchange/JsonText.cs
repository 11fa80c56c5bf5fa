using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PolymarketAlgo.Simulator.Exchange;

/// <summary>Writes compact JSON text and formats decimals the way the Polymarket APIs do (no trailing zeros).</summary>
public static class JsonText
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes JSON with a writer callback.</summary>
    /// <param name="body">Writes one JSON value.</param>
    /// <returns>The text.</returns>
    public static string Write(Action<Utf8JsonWriter> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            body(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A decimal as text without trailing zeros, e.g. <c>0.5</c>, <c>100</c>.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public static string Format(decimal value) => value.ToString("0.##########", CultureInfo.InvariantCulture);

    /// <summary>An integer as invariant text.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes a decimal as a JSON string property.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="name">The property.</param>
    /// <param name="value">The value.</param>
    public static void WriteDecimalString(this Utf8JsonWriter writer, string name, decimal value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString(name, Format(value));
    }

    /// <summary>Writes a decimal as a JSON number property without trailing zeros.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="name">The property.</param>
    /// <param name="value">The value.</param>
    public static void WriteDecimalNumber(this Utf8JsonWriter writer, string name, decimal value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(name);
        writer.WriteRawValue(Format(value), skipInputValidation: true);
    }

    /// <summary>The <c>{"error": message, "status": code}</c> body of a failed request.</summary>
    /// <param name="message">The error text.</param>
    /// <param name="status">The HTTP status.</param>
    /// <returns>The text.</returns>
    public static string Error(string message, int status) =>
        Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("error", message);
            w.WriteNumber("status", status);
            w.WriteEndObject();
        });
}
