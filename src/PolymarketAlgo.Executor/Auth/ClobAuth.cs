using System.Globalization;
using PolymarketAlgo.Executor.Crypto;
using PolymarketAlgo.Executor.Secrets;

namespace PolymarketAlgo.Executor.Auth;

/// <summary>
/// L1 authentication: the <c>ClobAuth</c> EIP-712 attestation signed by the wallet key, used to create or
/// derive L2 API credentials. Domain <c>{name:"ClobAuthDomain", version:"1", chainId}</c> (no verifying
/// contract); struct <c>ClobAuth(address address,string timestamp,uint256 nonce,string message)</c>.
/// </summary>
public static class ClobAuth
{
    /// <summary>The fixed attestation text signed in every <c>ClobAuth</c> message.</summary>
    public const string AttestationMessage = "This message attests that I control the given wallet";

    /// <summary>The <c>ClobAuth</c> type string.</summary>
    public const string TypeString = "ClobAuth(address address,string timestamp,uint256 nonce,string message)";

    private static readonly byte[] TypeHash = Keccak256.Hash(TypeString);
    private static readonly byte[] MessageHash = Keccak256.Hash(AttestationMessage);
    private static readonly Eip712Domain Polygon = new("ClobAuthDomain", "1", ChainIds.Polygon);
    private static readonly Eip712Domain Amoy = new("ClobAuthDomain", "1", ChainIds.Amoy);

    /// <summary>The <c>ClobAuthDomain</c> EIP-712 domain of a chain (cached for Polygon and Amoy).</summary>
    /// <param name="chainId">The chain id, e.g. 137.</param>
    /// <returns>The domain.</returns>
    public static Eip712Domain Domain(long chainId) => chainId switch
    {
        ChainIds.Polygon => Polygon,
        ChainIds.Amoy => Amoy,
        _ => new Eip712Domain("ClobAuthDomain", "1", chainId),
    };

    /// <summary>The struct hash of a <c>ClobAuth</c> message.</summary>
    /// <param name="address">The signer's address.</param>
    /// <param name="timestamp">Unix seconds; signed as its decimal string.</param>
    /// <param name="nonce">The nonce (normally 0).</param>
    /// <returns>The 32-byte struct hash.</returns>
    public static byte[] StructHash(Address address, long timestamp, long nonce)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfNegative(nonce);
        Span<byte> buffer = stackalloc byte[5 * 32];
        TypeHash.CopyTo(buffer);
        address.WriteWord(buffer[32..64]);
        Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture)), buffer[64..96]);
        buffer[96..128].Clear();
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(buffer[120..128], nonce);
        MessageHash.CopyTo(buffer[128..160]);
        return Keccak256.Hash(buffer);
    }

    /// <summary>The EIP-712 digest the wallet signs.</summary>
    /// <param name="chainId">The chain id.</param>
    /// <param name="address">The signer's address.</param>
    /// <param name="timestamp">Unix seconds.</param>
    /// <param name="nonce">The nonce.</param>
    /// <returns>The 32-byte digest.</returns>
    public static byte[] Digest(long chainId, Address address, long timestamp, long nonce) =>
        Eip712.Digest(Domain(chainId).Separator, StructHash(address, timestamp, nonce));

    /// <summary>Signs the <c>ClobAuth</c> attestation.</summary>
    /// <param name="key">The wallet key.</param>
    /// <param name="chainId">The chain id.</param>
    /// <param name="timestamp">Unix seconds.</param>
    /// <param name="nonce">The nonce.</param>
    /// <returns>The signature.</returns>
    public static EcdsaSignature Sign(PrivateKey key, long chainId, long timestamp, long nonce)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Secp256k1.Sign(Digest(chainId, key.Address, timestamp, nonce), key);
    }

    /// <summary>
    /// The L1 headers <c>POLY_ADDRESS</c> (checksummed), <c>POLY_SIGNATURE</c>, <c>POLY_TIMESTAMP</c> and
    /// <c>POLY_NONCE</c>, for <c>POST /auth/api-key</c> and <c>GET /auth/derive-api-key</c>.
    /// </summary>
    /// <param name="key">The wallet key.</param>
    /// <param name="chainId">The chain id.</param>
    /// <param name="timestamp">Unix seconds (the server's <c>GET /time</c> or the local clock).</param>
    /// <param name="nonce">The nonce (default 0; the same nonce derives the same API key).</param>
    /// <returns>The headers.</returns>
    public static AuthHeaders CreateHeaders(PrivateKey key, long chainId, long timestamp, long nonce = 0)
    {
        var signature = Sign(key, chainId, timestamp, nonce);
        return new AuthHeaders(
            new(HeaderNames.Address, key.Address.Checksummed),
            new(HeaderNames.Signature, signature.ToHex()),
            new(HeaderNames.Timestamp, timestamp.ToString(CultureInfo.InvariantCulture)),
            new(HeaderNames.Nonce, nonce.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>The L1 headers, timestamped from a clock.</summary>
    /// <param name="key">The wallet key.</param>
    /// <param name="chainId">The chain id.</param>
    /// <param name="time">The clock.</param>
    /// <param name="nonce">The nonce.</param>
    /// <returns>The headers.</returns>
    public static AuthHeaders CreateHeaders(PrivateKey key, long chainId, TimeProvider time, long nonce = 0)
    {
        ArgumentNullException.ThrowIfNull(time);
        return CreateHeaders(key, chainId, time.GetUtcNow().ToUnixTimeSeconds(), nonce);
    }
}
