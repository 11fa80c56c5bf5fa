using System.Net;

namespace PolymarketAlgo.Executor.Http;

/// <summary>
/// The one exception the Polymarket REST clients throw for a failed call. <see cref="Kind"/> says what
/// went wrong; <see cref="Exception.Message"/> is a single line naming the host, the request and the cause.
/// Caller cancellation still surfaces as <see cref="OperationCanceledException"/>.
/// </summary>
public sealed class PolymarketApiException : Exception
{
    /// <summary>The longest body excerpt kept on the exception, in characters.</summary>
    public const int MaxExcerptLength = 300;

    /// <summary>Creates an exception; prefer the static factories, which write the one-line message.</summary>
    /// <param name="kind">What went wrong.</param>
    /// <param name="host">The host called.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The API path (no query string).</param>
    /// <param name="detail">The cause, appended to the message.</param>
    /// <param name="statusCode">The HTTP status, when a response arrived.</param>
    /// <param name="retryAfter">How long the server or the client-side limiter asked to wait.</param>
    /// <param name="bodyExcerpt">The start of the response body.</param>
    /// <param name="serverError">The <c>error</c> / <c>error_msg</c> text of a JSON error body.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public PolymarketApiException(
        PolymarketApiErrorKind kind,
        PolymarketHost host,
        string method,
        string path,
        string detail,
        int? statusCode = null,
        TimeSpan? retryAfter = null,
        string? bodyExcerpt = null,
        string? serverError = null,
        Exception? innerException = null)
        : base($"{host} {method} {path}: {detail}", innerException)
    {
        Kind = kind;
        Host = host;
        Method = method;
        Path = path;
        StatusCode = statusCode;
        RetryAfter = retryAfter;
        BodyExcerpt = bodyExcerpt;
        ServerError = serverError;
    }

    /// <summary>What went wrong.</summary>
    public PolymarketApiErrorKind Kind { get; }

    /// <summary>The host called.</summary>
    public PolymarketHost Host { get; }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The API path, without the query string.</summary>
    public string Path { get; }

    /// <summary>The HTTP status code, when a response arrived.</summary>
    public int? StatusCode { get; }

    /// <summary>How long the server (Retry-After) or the client-side rate limiter asked to wait, if known.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The first <see cref="MaxExcerptLength"/> characters of the response body, if any.</summary>
    public string? BodyExcerpt { get; }

    /// <summary>The server's own error text (<c>error</c>, <c>error_msg</c> or <c>errorMsg</c> of a JSON error body).</summary>
    public string? ServerError { get; }

    /// <summary>
    /// True when repeating the same request later may succeed: 408, 429 and 5xx statuses (also as Cloudflare
    /// HTML pages for 429/503), transport failures and timeouts.
    /// </summary>
    public bool IsTransient =>
        Kind switch
        {
            PolymarketApiErrorKind.Transport or PolymarketApiErrorKind.Timeout => true,
            PolymarketApiErrorKind.RateLimited => StatusCode is not null,
            PolymarketApiErrorKind.HttpStatus => StatusCode is 408 or >= 500,
            PolymarketApiErrorKind.CloudflareBlocked => StatusCode is 429 or 503,
            _ => false,
        };

    /// <summary>True when the server certainly did not act on the request (it answered 429, or a Cloudflare 429 page).</summary>
    public bool ServerRejectedUnprocessed =>
        StatusCode == 429 && Kind is PolymarketApiErrorKind.RateLimited or PolymarketApiErrorKind.CloudflareBlocked;

    internal static PolymarketApiException ForStatus(
        PolymarketApiErrorKind kind,
        PolymarketHost host,
        string method,
        string path,
        HttpStatusCode status,
        string? excerpt,
        string? serverError,
        TimeSpan? retryAfter)
    {
        var code = (int)status;
        var what = kind switch
        {
            PolymarketApiErrorKind.RateLimited =>
                $"HTTP {code} rate limited{(retryAfter is { } wait ? $", retry after {wait.TotalSeconds:0.###} s" : "")}",
            PolymarketApiErrorKind.CloudflareBlocked => $"HTTP {code} HTML page (Cloudflare block or challenge) where JSON was expected",
            _ => $"HTTP {code} {status}",
        };
        var cause = serverError ?? (kind == PolymarketApiErrorKind.CloudflareBlocked ? null : excerpt);
        var detail = string.IsNullOrWhiteSpace(cause) ? what : $"{what}: {OneLine(cause)}";
        return new PolymarketApiException(kind, host, method, path, detail, code, retryAfter, excerpt, serverError);
    }

    /// <summary>Collapses whitespace runs (including newlines) to single spaces so a message stays on one line.</summary>
    internal static string OneLine(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The start of a body as text, at most <see cref="MaxExcerptLength"/> characters, or null when empty.</summary>
    internal static string? Excerpt(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        var slice = body.Length > MaxExcerptLength * 4 ? body[..(MaxExcerptLength * 4)] : body;
        var text = System.Text.Encoding.UTF8.GetString(slice);
        return text.Length > MaxExcerptLength ? text[..MaxExcerptLength] : text;
    }
}
