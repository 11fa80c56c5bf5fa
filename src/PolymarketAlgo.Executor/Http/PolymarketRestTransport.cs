using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;
using PolymarketAlgo.Executor.Resilience;

namespace PolymarketAlgo.Executor.Http;

/// <summary>
/// Sends <see cref="PolymarketRequest"/>s to one host through its resilience pipeline and turns every
/// failure into a <see cref="PolymarketApiException"/>. The typed clients are built on it; use it
/// directly for endpoints they do not cover.
/// </summary>
public sealed class PolymarketRestTransport
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");
    private readonly HttpClient _http;
    private readonly HostResilience _host;
    private readonly string _baseUrl;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates a transport for the host of <paramref name="host"/>.</summary>
    /// <param name="httpClient">The HTTP client (from <c>IHttpClientFactory</c> or a test); its BaseAddress is not used.</param>
    /// <param name="host">The host's base URL, pipeline and health tracker.</param>
    /// <param name="timeProvider">The clock for latency and Retry-After dates.</param>
    /// <param name="logger">The logger.</param>
    public PolymarketRestTransport(HttpClient httpClient, HostResilience host, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(host);
        _http = httpClient;
        _host = host;
        _baseUrl = host.BaseUrl.ToString().TrimEnd('/');
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>The host this transport talks to.</summary>
    public PolymarketHost Host => _host.Host;

    /// <summary>Sends <paramref name="request"/> and deserialises the JSON response with <paramref name="typeInfo"/>.</summary>
    /// <exception cref="PolymarketApiException">The call failed; see <see cref="PolymarketApiException.Kind"/>.</exception>
    public async Task<T> SendAsync<T>(PolymarketRequest request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var body = await SendForBodyAsync(request, cancellationToken).ConfigureAwait(false);
        return Deserialize(request, body, typeInfo);
    }

    /// <summary>
    /// Sends <paramref name="request"/> and reads the response with <paramref name="read"/> over the parsed
    /// document (for shapes read by hand); a <see cref="JsonException"/>, <see cref="FormatException"/> or
    /// <see cref="InvalidOperationException"/> (wrong element kind) from it becomes <see cref="PolymarketApiErrorKind.MalformedJson"/>.
    /// </summary>
    /// <exception cref="PolymarketApiException">The call failed; see <see cref="PolymarketApiException.Kind"/>.</exception>
    public async Task<T> SendAsync<T>(PolymarketRequest request, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var body = await SendForBodyAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(body);
            return read(document.RootElement);
        }
        catch (JsonException e)
        {
            throw Malformed(request, body, e.Path, e.Message, e);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw Malformed(request, body, null, e.Message, e);
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> and reads the body with a UTF-8 reader (for hot payloads read by hand with
    /// <see cref="Utf8JsonReader"/>); a <see cref="JsonException"/> or <see cref="FormatException"/> from it becomes
    /// <see cref="PolymarketApiErrorKind.MalformedJson"/>.
    /// </summary>
    /// <exception cref="PolymarketApiException">The call failed; see <see cref="PolymarketApiException.Kind"/>.</exception>
    public async Task<T> SendAsync<T>(PolymarketRequest request, Utf8BodyReader<T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var body = await SendForBodyAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            return read(body.Span);
        }
        catch (JsonException e)
        {
            throw Malformed(request, body, e.Path, e.Message, e);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or OverflowException)
        {
            throw Malformed(request, body, null, e.Message, e);
        }
    }

    /// <summary>Deserialises <paramref name="body"/>, mapping any JSON failure to <see cref="PolymarketApiErrorKind.MalformedJson"/>.</summary>
    public T Deserialize<T>(PolymarketRequest request, ReadOnlyMemory<byte> body, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(request);
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(body.Span, typeInfo);
        }
        catch (JsonException e)
        {
            throw Malformed(request, body, e.Path, e.Message, e);
        }

        return value ?? throw Malformed(request, body, null, "the document is null", null);
    }

    /// <summary>
    /// Sends <paramref name="request"/> and returns the body of a successful (2xx) response, which is never empty
    /// unless <see cref="PolymarketRequest.ExpectsBody"/> is false.
    /// </summary>
    /// <exception cref="PolymarketApiException">The call failed; see <see cref="PolymarketApiException.Kind"/>.</exception>
    public async Task<ReadOnlyMemory<byte>> SendForBodyAsync(PolymarketRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(PolymarketResilienceKeys.EndpointGroup, request.EndpointGroup);
        context.Properties.Set(PolymarketResilienceKeys.RetryMode, request.RetryMode);
        context.Properties.Set(PolymarketResilienceKeys.Operation, request.ToString());
        try
        {
            return await _host.Pipeline
                .ExecuteAsync(
                    static (ctx, state) => state.Self.AttemptAsync(state.Request, ctx.CancellationToken),
                    context,
                    (Self: this, Request: request))
                .ConfigureAwait(false);
        }
        catch (PolymarketApiException)
        {
            throw;
        }
        catch (TimeoutRejectedException e)
        {
            throw Fail(request, PolymarketApiErrorKind.Timeout, $"timed out after {e.Timeout.TotalSeconds:0.###} s", e);
        }
        catch (BrokenCircuitException e)
        {
            var detail = e.RetryAfter is { } wait
                ? $"circuit open after repeated failures; calls resume in {wait.TotalSeconds:0.###} s"
                : "circuit open after repeated failures";
            throw new PolymarketApiException(PolymarketApiErrorKind.CircuitOpen, Host, request.Method.Method, request.Path, detail, retryAfter: e.RetryAfter, innerException: e);
        }
        catch (RateLimiterRejectedException e)
        {
            throw new PolymarketApiException(
                PolymarketApiErrorKind.RateLimited,
                Host,
                request.Method.Method,
                request.Path,
                $"client-side rate limit queue for '{request.EndpointGroup}' is full",
                retryAfter: e.RetryAfter,
                innerException: e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout expired (the caller did not cancel).
            throw Fail(request, PolymarketApiErrorKind.Timeout, "timed out (HttpClient.Timeout)", e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<ReadOnlyMemory<byte>> AttemptAsync(PolymarketRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(request.Method, _baseUrl + request.PathAndQuery);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (request.Body is { } text)
        {
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(text)) { Headers = { ContentType = JsonMediaType } };
        }

        if (request.Authenticator is { } authenticator)
        {
            await authenticator.AuthenticateAsync(message, request.Method.Method, request.Path, request.Body, cancellationToken).ConfigureAwait(false);
        }

        var started = _timeProvider.GetTimestamp();
        HttpStatusCode status;
        HttpResponseHeaders headers;
        string? mediaType;
        byte[] body;
        try
        {
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            status = response.StatusCode;
            headers = response.Headers;
            mediaType = response.Content.Headers.ContentType?.MediaType;
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw Fail(request, PolymarketApiErrorKind.Transport, $"transport failure: {PolymarketApiException.OneLine(e.Message)}", e);
        }

        var latency = _timeProvider.GetElapsedTime(started);
        var failure = Classify(request, status, headers, mediaType, body);
        if (failure is not null)
        {
            _host.Health.RecordFailure(failure.Kind, failure.Message, latency);
            throw failure;
        }

        _host.Health.RecordSuccess(latency);
        return body;
    }

    private PolymarketApiException? Classify(PolymarketRequest request, HttpStatusCode status, HttpResponseHeaders headers, string? mediaType, byte[] body)
    {
        var code = (int)status;
        var method = request.Method.Method;
        var isHtml = string.Equals(mediaType, "text/html", StringComparison.OrdinalIgnoreCase) || StartsWithAngle(body);
        if (code is >= 200 and < 300)
        {
            return request.ExpectsBody && IsBlank(body)
                ? new PolymarketApiException(PolymarketApiErrorKind.EmptyBody, Host, method, request.Path, $"HTTP {code} with an empty body where JSON was expected", code)
                : null;
        }

        var excerpt = PolymarketApiException.Excerpt(body);
        var retryAfter = RetryAfterOf(headers);
        if (isHtml && code is 403 or 429 or 503)
        {
            return PolymarketApiException.ForStatus(PolymarketApiErrorKind.CloudflareBlocked, Host, method, request.Path, status, excerpt, null, retryAfter);
        }

        var serverError = isHtml ? null : ServerErrorOf(body);
        var kind = code == 429 ? PolymarketApiErrorKind.RateLimited : PolymarketApiErrorKind.HttpStatus;
        return PolymarketApiException.ForStatus(kind, Host, method, request.Path, status, excerpt, serverError, retryAfter);
    }

    private TimeSpan? RetryAfterOf(HttpResponseHeaders headers)
    {
        if (headers.RetryAfter is not { } value)
        {
            return null;
        }

        if (value.Delta is { } delta)
        {
            return delta;
        }

        if (value.Date is { } date)
        {
            var wait = date - _timeProvider.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>The <c>error</c>, <c>error_msg</c>, <c>errorMsg</c> or <c>message</c> string of a JSON error body.</summary>
    private static string? ServerErrorOf(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var name in (ReadOnlySpan<string>)["error", "error_msg", "errorMsg", "message"])
            {
                if (document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
                {
                    return text;
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> body) => body.TrimStart(" \t\r\n"u8).IsEmpty;

    private static bool StartsWithAngle(ReadOnlySpan<byte> body)
    {
        var trimmed = body.TrimStart(" \t\r\n"u8);
        return !trimmed.IsEmpty && trimmed[0] == (byte)'<';
    }

    private PolymarketApiException Fail(PolymarketRequest request, PolymarketApiErrorKind kind, string detail, Exception inner)
    {
        var failure = new PolymarketApiException(kind, Host, request.Method.Method, request.Path, detail, innerException: inner);
        _host.Health.RecordFailure(kind, failure.Message);
        return failure;
    }

    private PolymarketApiException Malformed(PolymarketRequest request, ReadOnlyMemory<byte> body, string? jsonPath, string reason, Exception? inner)
    {
        var where = jsonPath is { Length: > 0 } ? $" at {jsonPath}" : "";
        var why = PolymarketApiException.OneLine(reason);
        var excerpt = PolymarketApiException.Excerpt(body.Span);
        var failure = new PolymarketApiException(
            PolymarketApiErrorKind.MalformedJson,
            Host,
            request.Method.Method,
            request.Path,
            $"response is not the expected JSON{where}: {why}",
            bodyExcerpt: excerpt,
            innerException: inner);
        _logger.LogWarning("{Message}", failure.Message);
        _host.Health.RecordFailure(failure.Kind, failure.Message);
        return failure;
    }
}

/// <summary>Reads a value from a UTF-8 JSON response body.</summary>
/// <typeparam name="T">The value read.</typeparam>
/// <param name="utf8">The body.</param>
/// <returns>The value.</returns>
public delegate T Utf8BodyReader<out T>(ReadOnlySpan<byte> utf8);
