using System.Text.Json;
using System.Text.Json.Serialization;

namespace PolymarketAlgo.Executor.Secrets;

/// <summary>A System.Text.Json converter that refuses to read or write a secret type.</summary>
/// <typeparam name="T">The secret type.</typeparam>
internal sealed class NeverSerializeConverter<T> : JsonConverter<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException($"{typeof(T).Name} holds secrets and is never deserialised from JSON.");

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        throw new NotSupportedException($"{typeof(T).Name} holds secrets and is never serialised to JSON.");
}
