using System.Buffers;
using System.Text;
using System.Text.Json;

namespace PolymarketAlgo.Executor.Http;

/// <summary>Writes small JSON request bodies without reflection.</summary>
public static class JsonBody
{
    /// <summary>The compact JSON text <paramref name="write"/> produces.</summary>
    public static string Write(Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A JSON array of strings, e.g. <c>["0xabc","0xdef"]</c>.</summary>
    public static string StringArray(IEnumerable<string> values) =>
        Write(w =>
        {
            w.WriteStartArray();
            foreach (var value in values)
            {
                w.WriteStringValue(value);
            }

            w.WriteEndArray();
        });
}
