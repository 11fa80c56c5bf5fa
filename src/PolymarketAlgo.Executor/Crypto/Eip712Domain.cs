using System.Numerics;

namespace PolymarketAlgo.Executor.Crypto;

/// <summary>
/// An EIP-712 domain. Only the fields given take part, in the canonical order
/// <c>name, version, chainId, verifyingContract, salt</c>; the separator is computed once, at construction.
/// </summary>
public sealed class Eip712Domain
{
    /// <summary>The type name of a domain struct.</summary>
    public const string TypeName = "EIP712Domain";

    private readonly byte[] separator;

    /// <summary>Creates a domain from the fields that are present (at least one).</summary>
    /// <param name="name">The <c>name</c> field, or null to omit it.</param>
    /// <param name="version">The <c>version</c> field, or null to omit it.</param>
    /// <param name="chainId">The <c>chainId</c> field, or null to omit it.</param>
    /// <param name="verifyingContract">The <c>verifyingContract</c> field, or null to omit it.</param>
    /// <param name="salt">The <c>salt</c> field, or null to omit it.</param>
    public Eip712Domain(
        string? name = null,
        string? version = null,
        BigInteger? chainId = null,
        Address? verifyingContract = null,
        Bytes32? salt = null)
    {
        Name = name;
        Version = version;
        ChainId = chainId;
        VerifyingContract = verifyingContract;
        Salt = salt;
        var fields = new List<Eip712Field>(5);
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        Add("name", "string", name);
        Add("version", "string", version);
        Add("chainId", "uint256", chainId);
        Add("verifyingContract", "address", verifyingContract);
        Add("salt", "bytes32", salt);
        if (fields.Count == 0)
        {
            throw new ArgumentException("An EIP-712 domain needs at least one field.");
        }

        Fields = fields;
        Types = new Eip712Types(new Dictionary<string, IReadOnlyList<Eip712Field>> { [TypeName] = fields });
        separator = Types.HashStruct(TypeName, values);

        void Add(string fieldName, string type, object? value)
        {
            if (value is not null)
            {
                fields.Add(new Eip712Field(fieldName, type));
                values[fieldName] = value;
            }
        }
    }

    /// <summary>The <c>name</c> field, if present.</summary>
    public string? Name { get; }

    /// <summary>The <c>version</c> field, if present.</summary>
    public string? Version { get; }

    /// <summary>The <c>chainId</c> field, if present.</summary>
    public BigInteger? ChainId { get; }

    /// <summary>The <c>verifyingContract</c> field, if present.</summary>
    public Address? VerifyingContract { get; }

    /// <summary>The <c>salt</c> field, if present.</summary>
    public Bytes32? Salt { get; }

    /// <summary>The members of this domain's <c>EIP712Domain</c> type, in canonical order.</summary>
    public IReadOnlyList<Eip712Field> Fields { get; }

    /// <summary>The <c>EIP712Domain(...)</c> type string, e.g. <c>EIP712Domain(string name,string version,uint256 chainId)</c>.</summary>
    public string EncodeType() => Types.EncodeType(TypeName);

    /// <summary>The 32-byte domain separator, <c>hashStruct(domain)</c>.</summary>
    public ReadOnlySpan<byte> Separator => separator;

    /// <summary>The domain separator as <c>0x</c> hex.</summary>
    /// <returns>The hex text.</returns>
    public string SeparatorHex() => Hex.Encode(separator);

    private Eip712Types Types { get; }

    /// <summary>A readable description of the domain.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        $"EIP712Domain(name={Name}, version={Version}, chainId={ChainId}, verifyingContract={VerifyingContract}, salt={Salt})";
}
