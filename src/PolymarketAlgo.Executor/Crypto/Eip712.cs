using System.Numerics;
using System.Text.Json;

namespace PolymarketAlgo.Executor.Crypto;

/// <summary>The final EIP-712 step: <c>digest = keccak256(0x19 0x01 ‖ domainSeparator ‖ hashStruct(message))</c>.</summary>
public static class Eip712
{
    /// <summary>Computes the EIP-712 digest into a caller-supplied buffer, without allocating.</summary>
    /// <param name="domainSeparator">The 32-byte domain separator.</param>
    /// <param name="structHash">The 32-byte struct hash of the message.</param>
    /// <param name="digest">Receives the 32-byte digest.</param>
    public static void Digest(ReadOnlySpan<byte> domainSeparator, ReadOnlySpan<byte> structHash, Span<byte> digest)
    {
        if (domainSeparator.Length != 32 || structHash.Length != 32)
        {
            throw new ArgumentException("The domain separator and the struct hash are 32 bytes each.");
        }

        Span<byte> preimage = stackalloc byte[66];
        preimage[0] = 0x19;
        preimage[1] = 0x01;
        domainSeparator.CopyTo(preimage[2..]);
        structHash.CopyTo(preimage[34..]);
        Keccak256.Hash(preimage, digest);
    }

    /// <summary>Computes the EIP-712 digest.</summary>
    /// <param name="domainSeparator">The 32-byte domain separator.</param>
    /// <param name="structHash">The 32-byte struct hash of the message.</param>
    /// <returns>The 32-byte digest.</returns>
    public static byte[] Digest(ReadOnlySpan<byte> domainSeparator, ReadOnlySpan<byte> structHash)
    {
        var digest = new byte[32];
        Digest(domainSeparator, structHash, digest);
        return digest;
    }
}

/// <summary>A complete EIP-712 typed-data payload: types, primary type, domain and message.</summary>
public sealed class Eip712TypedData
{
    /// <summary>Creates the payload.</summary>
    /// <param name="types">The struct types (an <c>EIP712Domain</c> entry, if any, is ignored in favour of <paramref name="domain"/>).</param>
    /// <param name="primaryType">The message's struct type.</param>
    /// <param name="domain">The domain.</param>
    /// <param name="message">The message value (see <see cref="Eip712Types"/> for accepted shapes).</param>
    public Eip712TypedData(Eip712Types types, string primaryType, Eip712Domain domain, object message)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(primaryType);
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(message);
        if (!types.Contains(primaryType))
        {
            throw new ArgumentException($"Primary type '{primaryType}' is not defined.", nameof(primaryType));
        }

        Types = types;
        PrimaryType = primaryType;
        Domain = domain;
        Message = message;
    }

    /// <summary>The struct types.</summary>
    public Eip712Types Types { get; }

    /// <summary>The message's struct type.</summary>
    public string PrimaryType { get; }

    /// <summary>The domain.</summary>
    public Eip712Domain Domain { get; }

    /// <summary>The message value.</summary>
    public object Message { get; }

    /// <summary><c>hashStruct(message)</c>.</summary>
    /// <returns>The 32-byte struct hash.</returns>
    public byte[] StructHash() => Types.HashStruct(PrimaryType, Message);

    /// <summary>The digest to sign: <c>keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(message))</c>.</summary>
    /// <returns>The 32-byte digest.</returns>
    public byte[] Digest() => Eip712.Digest(Domain.Separator, StructHash());

    /// <summary>
    /// Reads the <c>eth_signTypedData_v4</c> JSON layout <c>{"types":…,"primaryType":…,"domain":…,"message":…}</c>.
    /// If <c>types</c> lists <c>EIP712Domain</c>, its members must be exactly the domain fields present.
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The typed data.</returns>
    /// <exception cref="ArgumentException">The JSON does not describe valid typed data.</exception>
    public static Eip712TypedData FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var typeDefinitions = new Dictionary<string, IReadOnlyList<Eip712Field>>(StringComparer.Ordinal);
        foreach (var type in Required(root, "types").EnumerateObject())
        {
            typeDefinitions[type.Name] = type.Value.EnumerateArray()
                .Select(f => new Eip712Field(Required(f, "name").GetString()!, Required(f, "type").GetString()!))
                .ToList();
        }

        var domainJson = Required(root, "domain");
        var domain = new Eip712Domain(
            Optional(domainJson, "name")?.GetString(),
            Optional(domainJson, "version")?.GetString(),
            Optional(domainJson, "chainId") is { } chain
                ? BigInteger.Parse(chain.ValueKind == JsonValueKind.String ? chain.GetString()! : chain.GetRawText(), System.Globalization.CultureInfo.InvariantCulture)
                : null,
            Optional(domainJson, "verifyingContract") is { } contract ? Address.Parse(contract.GetString()!) : null,
            Optional(domainJson, "salt") is { } salt ? Bytes32.Parse(salt.GetString()!) : null);
        if (typeDefinitions.Remove(Eip712Domain.TypeName, out var declared)
            && !declared.Select(f => (f.Name, f.Type)).SequenceEqual(domain.Fields.Select(f => (f.Name, f.Type))))
        {
            throw new ArgumentException("The EIP712Domain type does not match the domain fields present.", nameof(json));
        }

        return new Eip712TypedData(
            new Eip712Types(typeDefinitions),
            Required(root, "primaryType").GetString()!,
            domain,
            Required(root, "message").Clone());
    }

    private static JsonElement Required(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value : throw new ArgumentException($"Typed data is missing '{name}'.");

    private static JsonElement? Optional(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
}
