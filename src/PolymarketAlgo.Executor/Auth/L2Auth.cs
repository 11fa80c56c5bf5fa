using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PolymarketAlgo.Executor.Secrets;

namespace PolymarketAlgo.Executor.Auth;

/// <summary>
/// L2 authentication: an HMAC-SHA256 over <c>timestamp + METHOD + requestPath + body</c>, keyed by the
/// base64url-decoded API secret, sent url-safe base64 with its <c>=</c> padding kept.
/// </summary>
public static class L2Auth
{
    /// <summary>The exact text that is signed: <c>timestamp + method + requestPath + body</c> (body omitted when null or empty).</summary>
    /// <param name="timestamp">Unix seconds.</param>
    /// <param name="method">The HTTP method as sent, e.g. <c>POST</c> (not case-normalised).</param>
    /// <param name="requestPath">The path only, e.g. <c>/order</c>: no host, no query string.</param>
    /// <param name="body">The exact JSON text sent, or null/empty for none.</param>
    /// <returns>The message.</returns>
    public static string BuildMessage(long timestamp, string method, string requestPath, string? body)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(requestPath);
        return string.Concat(timestamp.ToString(CultureInfo.InvariantCulture), method, requestPath, body ?? string.Empty);
    }

    /// <summary>
    /// Decodes an API secret: base64 or base64url (<c>-</c>→<c>+</c>, <c>_</c>→<c>/</c>), with or without padding.
    /// </summary>
    /// <param name="secret">The secret.</param>
    /// <returns>The HMAC key bytes.</returns>
    /// <exception cref="FormatException">The secret is empty or not base64 (the message never repeats it).</exception>
    public static byte[] DecodeSecret(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            throw new FormatException("The API secret is empty.");
        }

        var standard = secret.Replace('-', '+').Replace('_', '/').TrimEnd('=');
        if (standard.Length % 4 == 1)
        {
            throw new FormatException("The API secret is not valid base64 (bad length).");
        }

        standard += new string('=', (4 - standard.Length % 4) % 4);
        var buffer = new byte[standard.Length * 3 / 4];
        return Convert.TryFromBase64String(standard, buffer, out var written)
            ? buffer[..written]
            : throw new FormatException("The API secret is not valid base64.");
    }

    /// <summary>Computes the <c>POLY_SIGNATURE</c> HMAC from a decoded key.</summary>
    /// <param name="key">The decoded secret.</param>
    /// <param name="timestamp">Unix seconds.</param>
    /// <param name="method">The HTTP method as sent.</param>
    /// <param name="requestPath">The path only.</param>
    /// <param name="body">The exact body text, or null.</param>
    /// <returns>The url-safe base64 HMAC, padding kept.</returns>
    public static string ComputeSignature(ReadOnlySpan<byte> key, long timestamp, string method, string requestPath, string? body)
    {
        var message = BuildMessage(timestamp, method, requestPath, body);
        var maxBytes = Encoding.UTF8.GetMaxByteCount(message.Length);
        var rented = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            var length = Encoding.UTF8.GetBytes(message, rented);
            Span<byte> mac = stackalloc byte[32];
            HMACSHA256.HashData(key, rented.AsSpan(0, length), mac);
            return Convert.ToBase64String(mac).Replace('+', '-').Replace('/', '_');
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Computes the <c>POLY_SIGNATURE</c> HMAC from the API secret text.</summary>
    /// <param name="secret">The API secret (base64 or base64url).</param>
    /// <param name="timestamp">Unix seconds.</param>
    /// <param name="method">The HTTP method as sent.</param>
    /// <param name="requestPath">The path only.</param>
    /// <param name="body">The exact body text, or null.</param>
    /// <returns>The url-safe base64 HMAC, padding kept.</returns>
    public static string ComputeSignature(string secret, long timestamp, string method, string requestPath, string? body) =>
        ComputeSignature(DecodeSecret(secret), timestamp, method, requestPath, body);

    /// <summary>
    /// The L2 headers <c>POLY_ADDRESS</c>, <c>POLY_SIGNATURE</c>, <c>POLY_TIMESTAMP</c>, <c>POLY_API_KEY</c>
    /// and <c>POLY_PASSPHRASE</c> for one request. Sign the exact body string that is sent.
    /// </summary>
    /// <param name="credentials">Credentials holding API credentials.</param>
    /// <param name="timestamp">Unix seconds.</param>
    /// <param name="method">The HTTP method, e.g. <c>POST</c>.</param>
    /// <param name="requestPath">The path only, e.g. <c>/order</c>.</param>
    /// <param name="body">The exact body text, or null for none.</param>
    /// <returns>The headers.</returns>
    /// <exception cref="InvalidOperationException">The credentials have no API credentials yet.</exception>
    public static AuthHeaders CreateHeaders(Credentials credentials, long timestamp, string method, string requestPath, string? body = null)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        if (credentials.ApiKey is null || credentials.HmacKey is null || credentials.Passphrase is null)
        {
            throw new InvalidOperationException("L2 headers need API credentials: call Credentials.WithApiCredentials first.");
        }

        return new AuthHeaders(
            new(HeaderNames.Address, credentials.Address.Checksummed),
            new(HeaderNames.Signature, ComputeSignature(credentials.HmacKey, timestamp, method, requestPath, body)),
            new(HeaderNames.Timestamp, timestamp.ToString(CultureInfo.InvariantCulture)),
            new(HeaderNames.ApiKey, credentials.ApiKey),
            new(HeaderNames.Passphrase, credentials.Passphrase));
    }

    /// <summary>The L2 headers, timestamped from a clock.</summary>
    /// <param name="credentials">Credentials holding API credentials.</param>
    /// <param name="time">The clock.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="requestPath">The path only.</param>
    /// <param name="body">The exact body text, or null.</param>
    /// <returns>The headers.</returns>
    public static AuthHeaders CreateHeaders(Credentials credentials, TimeProvider time, string method, string requestPath, string? body = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        return CreateHeaders(credentials, time.GetUtcNow().ToUnixTimeSeconds(), method, requestPath, body);
    }
}
