using System.Diagnostics;
using System.Text.Json.Serialization;
using PolymarketAlgo.Executor.Auth;
using PolymarketAlgo.Executor.Crypto;

namespace PolymarketAlgo.Executor.Secrets;

/// <summary>
/// Everything secret a Polymarket trader holds, in one type: the signing private key (L1) and, once created
/// or derived, the L2 API credentials (API key, HMAC secret, passphrase). <see cref="ToString"/> redacts
/// the secrets, JSON serialisation throws, and the HMAC secret and passphrase are reachable only by the
/// header builders of this assembly.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
[JsonConverter(typeof(NeverSerializeConverter<Credentials>))]
public sealed class Credentials
{
    private readonly string? _secret;

    private Credentials(PrivateKey privateKey, string? apiKey, string? secret, byte[]? hmacKey, string? passphrase)
    {
        PrivateKey = privateKey;
        ApiKey = apiKey;
        _secret = secret;
        HmacKey = hmacKey;
        Passphrase = passphrase;
    }

    /// <summary>The signing key (L1); also redacts itself.</summary>
    public PrivateKey PrivateKey { get; }

    /// <summary>The signer (EOA) address, sent as <c>POLY_ADDRESS</c>.</summary>
    public Address Address => PrivateKey.Address;

    /// <summary>
    /// The L2 API key (a UUID), or <c>null</c> before API credentials are set. It is not secret on its own:
    /// it travels as the <c>POLY_API_KEY</c> header and as the <c>owner</c> of every posted order.
    /// </summary>
    public string? ApiKey { get; }

    /// <summary>Whether the L2 API credentials are present.</summary>
    public bool HasApiCredentials => ApiKey is not null;

    /// <summary>The decoded HMAC key (from the base64url API secret).</summary>
    internal byte[]? HmacKey { get; }

    /// <summary>The API passphrase.</summary>
    internal string? Passphrase { get; }

    /// <summary>Credentials with only the private key (enough for L1 auth and order signing).</summary>
    /// <param name="privateKey">The signing key.</param>
    /// <returns>The credentials.</returns>
    public static Credentials FromPrivateKey(PrivateKey privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        return new Credentials(privateKey, null, null, null, null);
    }

    /// <summary>Credentials from a private key in hex (see <see cref="PrivateKey.Parse"/>).</summary>
    /// <param name="privateKeyHex">64 hex digits, with or without <c>0x</c>.</param>
    /// <returns>The credentials.</returns>
    /// <exception cref="InvalidPrivateKeyException">The key text is invalid.</exception>
    public static Credentials FromPrivateKey(string privateKeyHex) => FromPrivateKey(PrivateKey.Parse(privateKeyHex));

    /// <summary>Returns a copy that also holds L2 API credentials, as returned by <c>POST /auth/api-key</c>.</summary>
    /// <param name="apiKey">The API key (UUID).</param>
    /// <param name="secret">The API secret, base64 or base64url, padded or not.</param>
    /// <param name="passphrase">The passphrase.</param>
    /// <returns>The new credentials.</returns>
    /// <exception cref="ArgumentException">A value is empty or the secret is not base64.</exception>
    public Credentials WithApiCredentials(string apiKey, string secret, string passphrase)
    {
        if (string.IsNullOrEmpty(apiKey))
        {
            throw new ArgumentException("The API key is empty.", nameof(apiKey));
        }

        if (string.IsNullOrEmpty(passphrase))
        {
            throw new ArgumentException("The API passphrase is empty.", nameof(passphrase));
        }

        byte[] key;
        try
        {
            key = L2Auth.DecodeSecret(secret);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException(ex.Message, nameof(secret), ex);
        }

        return new Credentials(PrivateKey, apiKey, secret, key, passphrase);
    }

    /// <summary>The API credentials in the form the user channel's subscribe message carries them.</summary>
    /// <returns>The user channel credentials (which redact themselves too).</returns>
    /// <exception cref="InvalidOperationException">No API credentials are set.</exception>
    public Streaming.UserChannelCredentials ToUserChannelCredentials() =>
        ApiKey is not null && _secret is not null && Passphrase is not null
            ? new Streaming.UserChannelCredentials(ApiKey, _secret, Passphrase)
            : throw new InvalidOperationException("The user channel needs API credentials; derive them first.");

    /// <summary>Shows the address and API key only; the secrets are redacted.</summary>
    /// <returns>A safe description.</returns>
    public override string ToString() =>
        $"Credentials(address={Address}, apiKey={ApiKey ?? "<none>"}, privateKey=<redacted>, secret=<redacted>, passphrase=<redacted>)";
}
