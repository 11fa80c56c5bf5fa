using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PolymarketAlgo.Executor.Auth;
using PolymarketAlgo.Executor.Crypto;

namespace PolymarketAlgo.Simulator.Auth;

/// <summary>One issued API key. <see cref="ToString"/> hides the secret and passphrase.</summary>
/// <param name="ApiKey">The key (a UUID).</param>
/// <param name="Address">The signer (EOA) it is bound to.</param>
/// <param name="Secret">The base64url HMAC secret.</param>
/// <param name="Passphrase">The passphrase.</param>
/// <param name="Nonce">The ClobAuth nonce it was derived for.</param>
public sealed record ApiKeyRecord(string ApiKey, Address Address, string Secret, string Passphrase, long Nonce)
{
    /// <summary>A redacted description.</summary>
    /// <returns>The key and address only.</returns>
    public override string ToString() => $"ApiKeyRecord {{ ApiKey = {ApiKey}, Address = {Address}, Secret = ***, Passphrase = *** }}";
}

/// <summary>Why a request failed authentication.</summary>
/// <param name="Status">The HTTP status to answer with.</param>
/// <param name="Message">The <c>error</c> text.</param>
public sealed record AuthFailure(int Status, string Message);

/// <summary>
/// Issues API keys (L1, §2) and checks L1 ClobAuth signatures and L2 HMAC headers (§3) with the Executor's Auth and
/// Crypto code. Keys are derived from the signer address and nonce, so create and derive agree. Thread-safe.
/// </summary>
public sealed class ApiKeyRegistry
{
    private readonly byte[] _seed;
    private readonly long _chainId;
    private readonly ConcurrentDictionary<string, ApiKeyRecord> _keys = new(StringComparer.Ordinal);

    /// <summary>Creates a registry.</summary>
    /// <param name="seed">The derivation seed.</param>
    /// <param name="chainId">The chain the ClobAuth messages are signed for.</param>
    public ApiKeyRegistry(string seed, long chainId)
    {
        _seed = Encoding.UTF8.GetBytes(seed ?? throw new ArgumentNullException(nameof(seed)));
        _chainId = chainId;
    }

    /// <summary>The key issued for an address and nonce (issued now if it was not yet).</summary>
    /// <param name="address">The signer.</param>
    /// <param name="nonce">The nonce.</param>
    /// <returns>The key.</returns>
    public ApiKeyRecord Issue(Address address, long nonce)
    {
        ArgumentNullException.ThrowIfNull(address);
        var material = HMACSHA256.HashData(_seed, Encoding.UTF8.GetBytes(address.Lowercase + ":" + nonce.ToString(CultureInfo.InvariantCulture)));
        var secret = HMACSHA256.HashData(_seed, Encoding.UTF8.GetBytes("secret:" + Convert.ToHexString(material)));
        var passphrase = HMACSHA256.HashData(_seed, Encoding.UTF8.GetBytes("passphrase:" + Convert.ToHexString(material)));
        var record = new ApiKeyRecord(
            new Guid(material.AsSpan(0, 16)).ToString(),
            address,
            Convert.ToBase64String(secret).Replace('+', '-').Replace('/', '_'),
            Convert.ToHexStringLower(passphrase),
            nonce);
        return _keys.GetOrAdd(record.ApiKey, record);
    }

    /// <summary>Removes a key.</summary>
    /// <param name="apiKey">The key.</param>
    /// <returns>Whether it existed.</returns>
    public bool Revoke(string apiKey) => _keys.TryRemove(apiKey, out _);

    /// <summary>The keys bound to an address.</summary>
    /// <param name="address">The signer.</param>
    /// <returns>The keys.</returns>
    public IReadOnlyList<ApiKeyRecord> KeysOf(Address address) => _keys.Values.Where(k => k.Address == address).ToArray();

    /// <summary>Looks up a key.</summary>
    /// <param name="apiKey">The key.</param>
    /// <param name="record">The record.</param>
    /// <returns>Whether the key exists.</returns>
    public bool TryGet(string? apiKey, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ApiKeyRecord? record)
    {
        record = apiKey is not null && _keys.TryGetValue(apiKey, out var found) ? found : null;
        return record is not null;
    }

    /// <summary>Checks the L1 headers (<c>POLY_ADDRESS</c>, <c>POLY_SIGNATURE</c>, <c>POLY_TIMESTAMP</c>, <c>POLY_NONCE</c>).</summary>
    /// <param name="header">Reads a request header (null when absent).</param>
    /// <param name="address">The verified signer.</param>
    /// <param name="nonce">The signed nonce.</param>
    /// <returns>Null when valid, otherwise why not.</returns>
    public AuthFailure? VerifyL1(Func<string, string?> header, out Address? address, out long nonce)
    {
        ArgumentNullException.ThrowIfNull(header);
        address = null;
        nonce = 0;
        var addressText = header(HeaderNames.Address);
        var signatureText = header(HeaderNames.Signature);
        var timestampText = header(HeaderNames.Timestamp);
        var nonceText = header(HeaderNames.Nonce) ?? "0";
        if (!Address.TryParse(addressText, out var claimed)
            || signatureText is null
            || !long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || !long.TryParse(nonceText, NumberStyles.None, CultureInfo.InvariantCulture, out nonce))
        {
            return new AuthFailure(400, "Invalid L1 Request headers");
        }

        EcdsaSignature signature;
        try
        {
            signature = EcdsaSignature.Parse(signatureText);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return new AuthFailure(401, "Invalid L1 Request headers");
        }

        var recovered = Secp256k1.RecoverAddress(ClobAuth.Digest(_chainId, claimed, timestamp, nonce), signature);
        if (recovered != claimed)
        {
            return new AuthFailure(401, "Invalid L1 Request headers");
        }

        address = claimed;
        return null;
    }

    /// <summary>
    /// Checks the L2 headers: a known <c>POLY_API_KEY</c> bound to <c>POLY_ADDRESS</c>, the right passphrase, and a
    /// <c>POLY_SIGNATURE</c> equal to the HMAC of <c>timestamp + method + path + body</c>. The path is tried without and
    /// then with the mount prefix, since a client may sign either.
    /// </summary>
    /// <param name="header">Reads a request header (null when absent).</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="paths">The request path candidates (the API path first).</param>
    /// <param name="body">The exact body text, or null.</param>
    /// <param name="record">The key on success.</param>
    /// <returns>Null when valid, otherwise why not.</returns>
    public AuthFailure? VerifyL2(Func<string, string?> header, string method, IReadOnlyList<string> paths, string? body, out ApiKeyRecord? record)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(paths);
        record = null;
        if (!TryGet(header(HeaderNames.ApiKey), out var key)
            || !Address.TryParse(header(HeaderNames.Address), out var address)
            || address != key.Address
            || !FixedTimeEquals(header(HeaderNames.Passphrase), key.Passphrase)
            || !long.TryParse(header(HeaderNames.Timestamp), NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || header(HeaderNames.Signature) is not { } signature)
        {
            return new AuthFailure(401, "Unauthorized/Invalid api key");
        }

        var secret = L2Auth.DecodeSecret(key.Secret);
        foreach (var path in paths)
        {
            if (FixedTimeEquals(signature, L2Auth.ComputeSignature(secret, timestamp, method, path, string.IsNullOrEmpty(body) ? null : body)))
            {
                record = key;
                return null;
            }
        }

        return new AuthFailure(401, "Unauthorized/Invalid api key");
    }

    private static bool FixedTimeEquals(string? a, string b) =>
        a is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
