using PolymarketAlgo.Executor.Http;
using PolymarketAlgo.Executor.Secrets;

namespace PolymarketAlgo.Executor.Auth;

/// <summary>Adds the L2 (HMAC) headers of §3 to the CLOB's authenticated requests.</summary>
public sealed class L2RequestAuthenticator : IRequestAuthenticator
{
    private readonly Credentials credentials;
    private readonly TimeProvider time;

    /// <summary>Creates the authenticator.</summary>
    /// <param name="credentials">The wallet and its API credentials.</param>
    /// <param name="time">The clock stamping each request.</param>
    /// <exception cref="ArgumentException">The credentials carry no API key, secret and passphrase.</exception>
    public L2RequestAuthenticator(Credentials credentials, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        if (!credentials.HasApiCredentials)
        {
            throw new ArgumentException("L2 authentication needs API credentials (key, secret, passphrase)", nameof(credentials));
        }

        this.credentials = credentials;
        this.time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public ValueTask AuthenticateAsync(HttpRequestMessage request, string method, string requestPath, string? body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        L2Auth.CreateHeaders(credentials, time, method, requestPath, body).ApplyTo(request);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Adds the L1 (wallet signature) headers of §2 to a request: used to create or derive API keys.</summary>
public sealed class L1RequestAuthenticator : IRequestAuthenticator
{
    private readonly PrivateKey key;
    private readonly long chainId;
    private readonly TimeProvider time;
    private readonly long nonce;

    /// <summary>Creates the authenticator.</summary>
    /// <param name="key">The wallet key.</param>
    /// <param name="chainId">137 (Polygon) or 80002 (Amoy).</param>
    /// <param name="time">The clock stamping each request.</param>
    /// <param name="nonce">The ClobAuth nonce (0 unless keys were made with another).</param>
    public L1RequestAuthenticator(PrivateKey key, long chainId = ChainIds.Polygon, TimeProvider? time = null, long nonce = 0)
    {
        this.key = key ?? throw new ArgumentNullException(nameof(key));
        this.chainId = chainId;
        this.time = time ?? TimeProvider.System;
        this.nonce = nonce;
    }

    /// <inheritdoc />
    public ValueTask AuthenticateAsync(HttpRequestMessage request, string method, string requestPath, string? body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ClobAuth.CreateHeaders(key, chainId, time, nonce).ApplyTo(request);
        return ValueTask.CompletedTask;
    }
}

/// <summary>API credentials returned by the CLOB's key endpoints. <see cref="ToString"/> redacts the secrets.</summary>
/// <param name="ApiKey">The API key (a UUID).</param>
/// <param name="Secret">The url-safe base64 HMAC secret.</param>
/// <param name="Passphrase">The passphrase.</param>
public sealed record ApiKeyCredentials(string ApiKey, string Secret, string Passphrase)
{
    /// <inheritdoc />
    public override string ToString() => $"ApiKeyCredentials(apiKey={ApiKey}, secret=<redacted>, passphrase=<redacted>)";
}

/// <summary>The L1 key endpoints of §2.3: derive (GET /auth/derive-api-key) or create (POST /auth/api-key).</summary>
public static class ApiKeys
{
    /// <summary>Derives the wallet's existing API credentials, or creates them when <paramref name="create"/> is true.</summary>
    /// <param name="transport">The CLOB transport (e.g. <c>ClobClient.Transport</c>).</param>
    /// <param name="authenticator">The L1 authenticator of the wallet.</param>
    /// <param name="create">POST /auth/api-key instead of GET /auth/derive-api-key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The credentials.</returns>
    /// <exception cref="PolymarketApiException">The CLOB refused or answered something else.</exception>
    public static Task<ApiKeyCredentials> DeriveAsync(PolymarketRestTransport transport, L1RequestAuthenticator authenticator, bool create = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var request = new PolymarketRequest(create ? HttpMethod.Post : HttpMethod.Get, create ? "/auth/api-key" : "/auth/derive-api-key")
        {
            Authenticator = authenticator,
        };
        return transport.SendAsync(request, root => new ApiKeyCredentials(
            root.GetProperty("apiKey").GetString() ?? throw new FormatException("apiKey is null"),
            root.GetProperty("secret").GetString() ?? throw new FormatException("secret is null"),
            root.GetProperty("passphrase").GetString() ?? throw new FormatException("passphrase is null")), cancellationToken);
    }
}
