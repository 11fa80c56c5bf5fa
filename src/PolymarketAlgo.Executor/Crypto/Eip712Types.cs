using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using NumericsBigInteger = System.Numerics.BigInteger;

namespace PolymarketAlgo.Executor.Crypto;

/// <summary>One member of an EIP-712 struct type: a name and a Solidity type such as <c>uint256</c> or <c>Person[]</c>.</summary>
/// <param name="Name">The member name.</param>
/// <param name="Type">The member type.</param>
public sealed record Eip712Field(string Name, string Type);

/// <summary>
/// A set of EIP-712 struct types and the encoder over them: <c>encodeType</c> (referenced struct types
/// appended in name order), <c>typeHash</c>, <c>encodeData</c> and <c>hashStruct</c>, for every atomic type
/// (<c>address</c>, <c>bool</c>, <c>uint8…uint256</c>, <c>int8…int256</c> in two's complement,
/// <c>bytes1…bytes32</c>), the dynamic types <c>bytes</c> and <c>string</c>, nested structs and arrays
/// (fixed or dynamic, nested to any depth). Type hashes are cached. Thread-safe.
/// </summary>
/// <remarks>
/// Values may be given as .NET values or as <see cref="JsonElement"/>s (so <c>eth_signTypedData_v4</c> JSON
/// can be hashed as is): integers as <see cref="NumericsBigInteger"/>, any integral type, or decimal/<c>0x</c>
/// hex strings; addresses as <see cref="Address"/> or text; bytes as <c>byte[]</c>,
/// <see cref="ReadOnlyMemory{T}"/>, <see cref="Bytes32"/> or hex text; structs as
/// <c>IReadOnlyDictionary&lt;string, object?&gt;</c>, <c>IDictionary&lt;string, object?&gt;</c> or a JSON object;
/// arrays as any non-string <see cref="IEnumerable"/> or a JSON array. Malformed types or values raise
/// <see cref="ArgumentException"/>.
/// </remarks>
public sealed class Eip712Types
{
    private readonly Dictionary<string, Eip712Field[]> definitions;
    private readonly ConcurrentDictionary<string, string> encodedTypes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> typeHashes = new(StringComparer.Ordinal);

    /// <summary>Creates the type set; every member type must be atomic, dynamic, an array or a defined struct.</summary>
    /// <param name="types">Struct name → ordered members. An <c>EIP712Domain</c> entry may be included.</param>
    /// <exception cref="ArgumentException">A member type is unknown or malformed.</exception>
    public Eip712Types(IReadOnlyDictionary<string, IReadOnlyList<Eip712Field>> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        definitions = new Dictionary<string, Eip712Field[]>(StringComparer.Ordinal);
        foreach (var (name, fields) in types)
        {
            if (string.IsNullOrEmpty(name) || !IsIdentifier(name))
            {
                throw new ArgumentException($"'{name}' is not a valid struct type name.", nameof(types));
            }

            definitions[name] = [.. fields];
        }

        foreach (var (name, fields) in definitions)
        {
            foreach (var field in fields)
            {
                if (!IsValidType(field.Type))
                {
                    throw new ArgumentException($"Member '{name}.{field.Name}' has unknown type '{field.Type}'.", nameof(types));
                }
            }
        }
    }

    /// <summary>The names of the struct types defined.</summary>
    public IEnumerable<string> Names => definitions.Keys;

    /// <summary>Whether a struct type of this name is defined.</summary>
    /// <param name="name">The struct name.</param>
    /// <returns><c>true</c> when defined.</returns>
    public bool Contains(string name) => definitions.ContainsKey(name);

    /// <summary>The members of a struct type, in order.</summary>
    /// <param name="name">The struct name.</param>
    /// <returns>The members.</returns>
    public IReadOnlyList<Eip712Field> Fields(string name) => Definition(name);

    /// <summary>
    /// The EIP-712 <c>encodeType</c> string: the primary type's definition, then every struct type it references
    /// (directly or not), sorted by name, e.g. <c>Mail(Person from,Person to,string contents)Person(string name,address wallet)</c>.
    /// </summary>
    /// <param name="primaryType">The struct name.</param>
    /// <returns>The type string.</returns>
    public string EncodeType(string primaryType) => encodedTypes.GetOrAdd(primaryType, BuildEncodedType);

    /// <summary>keccak256 of <see cref="EncodeType"/> (cached).</summary>
    /// <param name="primaryType">The struct name.</param>
    /// <returns>The 32-byte type hash (do not modify).</returns>
    public byte[] TypeHash(string primaryType) =>
        typeHashes.GetOrAdd(primaryType, name => Keccak256.Hash(EncodeType(name)));

    /// <summary><c>typeHash ‖ enc(member₁) ‖ … ‖ enc(memberₙ)</c>, each member encoded to 32 bytes.</summary>
    /// <param name="primaryType">The struct name.</param>
    /// <param name="data">The struct value.</param>
    /// <returns>The encoding (32 × (n + 1) bytes).</returns>
    public byte[] EncodeData(string primaryType, object data)
    {
        var fields = Definition(primaryType);
        var output = new byte[32 * (fields.Length + 1)];
        TypeHash(primaryType).CopyTo(output, 0);
        for (var i = 0; i < fields.Length; i++)
        {
            var field = fields[i];
            if (!TryGetMember(data, field.Name, out var value))
            {
                throw new ArgumentException($"Missing value for '{primaryType}.{field.Name}'.", nameof(data));
            }

            EncodeValue(field.Type, value, output.AsSpan(32 * (i + 1), 32));
        }

        return output;
    }

    /// <summary><c>hashStruct(s) = keccak256(encodeData(s))</c>.</summary>
    /// <param name="primaryType">The struct name.</param>
    /// <param name="data">The struct value.</param>
    /// <returns>The 32-byte struct hash.</returns>
    public byte[] HashStruct(string primaryType, object data) => Keccak256.Hash(EncodeData(primaryType, data));

    /// <summary>Encodes one value of any EIP-712 type to its 32-byte word (hashing dynamic, struct and array values).</summary>
    /// <param name="type">The type, e.g. <c>int8</c>, <c>bytes</c>, <c>Person[2]</c>.</param>
    /// <param name="value">The value.</param>
    /// <param name="word">Receives the 32-byte encoding.</param>
    public void EncodeValue(string type, object? value, Span<byte> word)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (word.Length != 32)
        {
            throw new ArgumentException("The destination word must be 32 bytes.", nameof(word));
        }

        if (value is null)
        {
            throw new ArgumentException($"A null value cannot be encoded as '{type}'.", nameof(value));
        }

        if (type.EndsWith(']'))
        {
            EncodeArray(type, value, word);
        }
        else if (definitions.ContainsKey(type))
        {
            Keccak256.Hash(EncodeData(type, value), word);
        }
        else
        {
            EncodeAtomic(type, value, word);
        }
    }

    private Eip712Field[] Definition(string name) =>
        definitions.TryGetValue(name, out var fields)
            ? fields
            : throw new ArgumentException($"Struct type '{name}' is not defined.", nameof(name));

    private string BuildEncodedType(string primaryType)
    {
        var dependencies = new SortedSet<string>(StringComparer.Ordinal);
        CollectDependencies(primaryType, dependencies);
        dependencies.Remove(primaryType);
        var builder = new StringBuilder();
        AppendDefinition(builder, primaryType);
        foreach (var dependency in dependencies)
        {
            AppendDefinition(builder, dependency);
        }

        return builder.ToString();
    }

    private void CollectDependencies(string name, SortedSet<string> found)
    {
        if (!found.Add(name))
        {
            return;
        }

        foreach (var field in Definition(name))
        {
            var baseType = BaseType(field.Type);
            if (definitions.ContainsKey(baseType))
            {
                CollectDependencies(baseType, found);
            }
        }
    }

    private void AppendDefinition(StringBuilder builder, string name)
    {
        builder.Append(name).Append('(');
        var fields = Definition(name);
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append(fields[i].Type).Append(' ').Append(fields[i].Name);
        }

        builder.Append(')');
    }

    private void EncodeArray(string type, object value, Span<byte> word)
    {
        var open = type.LastIndexOf('[');
        var elementType = type[..open];
        var lengthText = type.AsSpan(open + 1, type.Length - open - 2);
        var items = Elements(value)
            ?? throw new ArgumentException($"A value of array type '{type}' must be a sequence.", nameof(value));
        if (lengthText.Length > 0 && items.Count != int.Parse(lengthText, CultureInfo.InvariantCulture))
        {
            throw new ArgumentException($"Array type '{type}' expects {lengthText} elements, got {items.Count}.", nameof(value));
        }

        var buffer = new byte[32 * items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            EncodeValue(elementType, items[i], buffer.AsSpan(32 * i, 32));
        }

        Keccak256.Hash(buffer, word);
    }

    private static void EncodeAtomic(string type, object value, Span<byte> word)
    {
        switch (type)
        {
            case "address":
                AsAddress(value).WriteWord(word);
                return;
            case "bool":
                word.Clear();
                word[31] = AsBool(value) ? (byte)1 : (byte)0;
                return;
            case "string":
                Keccak256.Hash(Encoding.UTF8.GetBytes(AsString(value, type)), word);
                return;
            case "bytes":
                Keccak256.Hash(AsBytes(value, type), word);
                return;
        }

        if (type.StartsWith("bytes", StringComparison.Ordinal))
        {
            var size = int.Parse(type.AsSpan(5), CultureInfo.InvariantCulture);
            var bytes = AsBytes(value, type);
            if (bytes.Length != size)
            {
                throw new ArgumentException($"A '{type}' value must be exactly {size} bytes, got {bytes.Length}.", nameof(value));
            }

            word.Clear();
            bytes.CopyTo(word);
            return;
        }

        var signed = type[0] == 'i';
        var bits = int.Parse(type.AsSpan(signed ? 3 : 4), CultureInfo.InvariantCulture);
        WriteInteger(AsInteger(value, type), bits, signed, type, word);
    }

    private static void WriteInteger(NumericsBigInteger number, int bits, bool signed, string type, Span<byte> word)
    {
        var min = signed ? -(NumericsBigInteger.One << (bits - 1)) : NumericsBigInteger.Zero;
        var max = signed ? (NumericsBigInteger.One << (bits - 1)) - 1 : (NumericsBigInteger.One << bits) - 1;
        if (number < min || number > max)
        {
            throw new ArgumentException($"{number} is out of range for '{type}'.", nameof(number));
        }

        word.Fill(number.Sign < 0 ? (byte)0xff : (byte)0);
        var length = number.GetByteCount(isUnsigned: number.Sign >= 0);
        number.TryWriteBytes(word[(32 - length)..], out _, isUnsigned: number.Sign >= 0, isBigEndian: true);
    }

    private bool IsValidType(string type)
    {
        if (type.EndsWith(']'))
        {
            var open = type.LastIndexOf('[');
            if (open <= 0)
            {
                return false;
            }

            var length = type.AsSpan(open + 1, type.Length - open - 2);
            return (length.Length == 0 || (int.TryParse(length, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 0))
                && IsValidElement(type[..open]);
        }

        return IsValidElement(type);

        bool IsValidElement(string element) => element.EndsWith(']') ? IsValidType(element) : IsAtomicOrDynamic(element) || definitions.ContainsKey(element);
    }

    private static bool IsAtomicOrDynamic(string type)
    {
        if (type is "address" or "bool" or "string" or "bytes")
        {
            return true;
        }

        if (type.StartsWith("bytes", StringComparison.Ordinal))
        {
            return int.TryParse(type.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= 32
                && type.Length == 5 + size.ToString(CultureInfo.InvariantCulture).Length;
        }

        var digits = type.StartsWith("uint", StringComparison.Ordinal) ? type.AsSpan(4)
            : type.StartsWith("int", StringComparison.Ordinal) ? type.AsSpan(3)
            : ReadOnlySpan<char>.Empty;
        return digits.Length > 0 && digits[0] != '0'
            && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var bits) && bits is >= 8 and <= 256 && bits % 8 == 0;
    }

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] is '_' or '$')
        && name.AsSpan(1).IndexOfAnyExcept("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$") < 0
        && !IsAtomicOrDynamic(name);

    private static string BaseType(string type)
    {
        var open = type.IndexOf('[');
        return open < 0 ? type : type[..open];
    }

    private static bool TryGetMember(object data, string name, out object? value)
    {
        switch (data)
        {
            case JsonElement { ValueKind: JsonValueKind.Object } json:
                var found = json.TryGetProperty(name, out var property) && property.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);
                value = found ? property : null;
                return found;
            case IReadOnlyDictionary<string, object?> readOnly:
                return readOnly.TryGetValue(name, out value) && value is not null;
            case IDictionary<string, object?> dictionary:
                return dictionary.TryGetValue(name, out value) && value is not null;
            case IDictionary untyped:
                value = untyped.Contains(name) ? untyped[name] : null;
                return value is not null;
            default:
                throw new ArgumentException($"A struct value must be a dictionary or a JSON object, not {data.GetType().Name}.", nameof(data));
        }
    }

    private static List<object?>? Elements(object value)
    {
        switch (value)
        {
            case JsonElement { ValueKind: JsonValueKind.Array } json:
                return json.EnumerateArray().Select(e => (object?)e).ToList();
            case JsonElement:
            case string:
                return null;
            case IEnumerable sequence:
                return sequence.Cast<object?>().ToList();
            default:
                return null;
        }
    }

    private static Address AsAddress(object value) => value switch
    {
        Address address => address,
        string text => Address.Parse(text),
        JsonElement { ValueKind: JsonValueKind.String } json => Address.Parse(json.GetString()!),
        _ => throw new ArgumentException($"Cannot encode {value.GetType().Name} as an address.", nameof(value)),
    };

    private static bool AsBool(object value) => value switch
    {
        bool flag => flag,
        JsonElement { ValueKind: JsonValueKind.True } => true,
        JsonElement { ValueKind: JsonValueKind.False } => false,
        _ => throw new ArgumentException($"Cannot encode {value.GetType().Name} as a bool.", nameof(value)),
    };

    private static string AsString(object value, string type) => value switch
    {
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } json => json.GetString()!,
        _ => throw new ArgumentException($"Cannot encode {value.GetType().Name} as '{type}'.", nameof(value)),
    };

    private static byte[] AsBytes(object value, string type) => value switch
    {
        byte[] bytes => bytes,
        ReadOnlyMemory<byte> memory => memory.ToArray(),
        Memory<byte> memory => memory.ToArray(),
        Bytes32 bytes32 => bytes32.ToArray(),
        string text => Hex.Decode(text),
        JsonElement { ValueKind: JsonValueKind.String } json => Hex.Decode(json.GetString()!),
        _ => throw new ArgumentException($"Cannot encode {value.GetType().Name} as '{type}'.", nameof(value)),
    };

    private static NumericsBigInteger AsInteger(object value, string type) => value switch
    {
        NumericsBigInteger number => number,
        int number => number,
        long number => number,
        uint number => number,
        ulong number => number,
        short number => number,
        ushort number => number,
        byte number => number,
        sbyte number => number,
        Int128 number => number,
        UInt128 number => number,
        decimal number when decimal.Truncate(number) == number => new NumericsBigInteger(number),
        string text => ParseInteger(text, type),
        JsonElement { ValueKind: JsonValueKind.Number or JsonValueKind.String } json =>
            ParseInteger(json.ValueKind == JsonValueKind.String ? json.GetString()! : json.GetRawText(), type),
        _ => throw new ArgumentException($"Cannot encode {value.GetType().Name} as '{type}'.", nameof(value)),
    };

    private static NumericsBigInteger ParseInteger(string text, string type)
    {
        var span = text.AsSpan().Trim();
        var negative = span.StartsWith("-");
        var body = negative ? span[1..] : span;
        NumericsBigInteger magnitude;
        if (body.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var hex = string.Concat("0", body[2..]);
            if (!NumericsBigInteger.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out magnitude))
            {
                throw new ArgumentException($"'{text}' is not an integer for '{type}'.", nameof(text));
            }
        }
        else if (!NumericsBigInteger.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out magnitude))
        {
            throw new ArgumentException($"'{text}' is not an integer for '{type}'.", nameof(text));
        }

        return negative ? -magnitude : magnitude;
    }
}
