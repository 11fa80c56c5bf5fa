using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using PolymarketAlgo.Core;

namespace PolymarketAlgo.Data;

/// <summary>
/// Downloads candles from Binance's <c>GET /api/v3/klines</c>, page by page (cursor = last open time +
/// one interval), with retries (exponential backoff with jitter, honouring Retry-After on 429/418) through
/// a Polly v8 pipeline, and a pause until the next minute when the used request weight
/// (<c>X-MBX-USED-WEIGHT-1M</c>) nears the limit. Only closed bars are returned.
/// </summary>
/// <remarks>
/// Register as a typed client with <c>services.AddHttpClient&lt;BinanceKlinesClient&gt;(c =&gt; c.BaseAddress = ...)</c>
/// (options and logger are resolved when registered) or pass any <see cref="HttpClient"/>; the client does not dispose it. Time (delays, "now") comes from <see cref="BinanceKlinesOptions.TimeProvider"/>.
/// </remarks>
public sealed partial class BinanceKlinesClient
{
    private const string WeightHeader = "X-MBX-USED-WEIGHT-1M";

    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly Lock _weightLock = new();
    private int _usedWeight;
    private DateTimeOffset _weightMinute = DateTimeOffset.MinValue;

    /// <summary>Creates a client over an injected <see cref="HttpClient"/>.</summary>
    /// <param name="httpClient">The HTTP client (from IHttpClientFactory or owned by the caller); its Timeout bounds each attempt.</param>
    /// <param name="options">Base URL, paging, retry, weight and clock settings; defaults when null.</param>
    /// <param name="logger">Receives retries, weight pauses and page progress; none when null.</param>
    public BinanceKlinesClient(HttpClient httpClient, BinanceKlinesOptions? options = null, ILogger<BinanceKlinesClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        options ??= new BinanceKlinesOptions();
        options.Validate();
        _http = httpClient;
        Options = options;
        BaseUrl = options.BaseUrl ?? httpClient.BaseAddress ?? new Uri(BinanceKlinesOptions.DefaultBaseUrl);
        if (!BaseUrl.IsAbsoluteUri)
        {
            throw new ArgumentException($"the base URL {BaseUrl} is not absolute", nameof(httpClient));
        }

        _logger = logger ?? (ILogger)NullLogger.Instance;
        _pipeline = BuildPipeline();
    }

    /// <summary>The client's settings.</summary>
    public BinanceKlinesOptions Options { get; }

    /// <summary>The endpoint in use: the options' BaseUrl, else the HttpClient's BaseAddress, else https://api.binance.com.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The request weight Binance last reported as used in the current minute.</summary>
    public int LastUsedWeight
    {
        get
        {
            lock (_weightLock)
            {
                return _usedWeight;
            }
        }
    }

    /// <summary>Creates a client whose base URL comes from the BINANCE_BASE_URL environment variable when it is set.</summary>
    /// <param name="httpClient">The HTTP client to use.</param>
    /// <param name="options">Other settings; defaults when null. Its BaseUrl is kept when the variable is unset.</param>
    /// <param name="logger">Optional logger.</param>
    /// <returns>The client.</returns>
    public static BinanceKlinesClient FromEnvironment(HttpClient httpClient, BinanceKlinesOptions? options = null, ILogger<BinanceKlinesClient>? logger = null) =>
        new(httpClient, (options ?? new BinanceKlinesOptions()).WithEnvironment(), logger);

    /// <summary>Downloads the closed bars whose open time lies in [<paramref name="from"/>, <paramref name="to"/>); <paramref name="to"/> is capped at now.</summary>
    /// <param name="symbol">Binance symbol, e.g. <c>BTCUSDT</c>.</param>
    /// <param name="interval">Binance interval, e.g. <c>5m</c> (see <see cref="BinanceInterval"/>).</param>
    /// <param name="from">Inclusive start.</param>
    /// <param name="to">Exclusive end.</param>
    /// <param name="progress">Receives (bars fetched, bars expected) after each page.</param>
    /// <param name="cancellationToken">Stops the download.</param>
    /// <returns>The bars, strictly increasing in time.</returns>
    /// <exception cref="BinanceApiException">Binance rejected the request or answered with something that is not klines.</exception>
    /// <exception cref="HttpRequestException">The network failed on every attempt.</exception>
    public async Task<CandleColumns> FetchAsync(
        string symbol,
        string interval,
        DateTimeOffset from,
        DateTimeOffset to,
        IProgress<(long done, long total)>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var pages = new List<CandleColumns>();
        await foreach (var page in FetchPagesAsync(symbol, interval, from, to, progress, cancellationToken).ConfigureAwait(false))
        {
            pages.Add(page);
        }

        return CandleSeries.Concat(pages);
    }

    /// <summary>
    /// Downloads [<paramref name="from"/>, <paramref name="to"/>) oldest first, one page of up to
    /// <see cref="BinanceKlinesOptions.PageSize"/> bars at a time, so a caller can save each page as it comes.
    /// </summary>
    /// <param name="symbol">Binance symbol.</param>
    /// <param name="interval">Binance interval.</param>
    /// <param name="from">Inclusive start.</param>
    /// <param name="to">Exclusive end.</param>
    /// <param name="progress">Receives (bars fetched, bars expected) after each page.</param>
    /// <param name="cancellationToken">Stops the download.</param>
    /// <returns>Non-empty pages of closed bars in increasing time.</returns>
    public async IAsyncEnumerable<CandleColumns> FetchPagesAsync(
        string symbol,
        string interval,
        DateTimeOffset from,
        DateTimeOffset to,
        IProgress<(long done, long total)>? progress = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        CheckSymbol(symbol);
        var bars = BinanceInterval.Parse(interval);
        var now = Options.TimeProvider.GetUtcNow();
        to = to < now ? to : now;
        var total = bars.CountBetween(from, to);
        long done = 0;
        var cursor = from;
        while (cursor < to)
        {
            var (page, returned) = await FetchPageAsync(symbol, bars, cursor, to, Options.PageSize, cancellationToken).ConfigureAwait(false);
            if (page.Length == 0)
            {
                break;
            }

            done += page.Length;
            progress?.Report((done, Math.Max(total, done)));
            yield return page;
            cursor = bars.Next(page.Time[^1]);
            if (returned < Options.PageSize)
            {
                break;
            }
        }
    }

    /// <summary>
    /// Downloads [<paramref name="from"/>, <paramref name="to"/>) newest first, so that bars saved page by
    /// page always stay contiguous with bars already held from <paramref name="to"/> on. Stops early
    /// when nothing exists before the current page (e.g. before the symbol was listed).
    /// </summary>
    /// <param name="symbol">Binance symbol.</param>
    /// <param name="interval">Binance interval.</param>
    /// <param name="from">Inclusive start.</param>
    /// <param name="to">Exclusive end.</param>
    /// <param name="progress">Receives (bars fetched, bars expected) after each page.</param>
    /// <param name="cancellationToken">Stops the download.</param>
    /// <returns>Non-empty pages, each in increasing time, the pages in decreasing time.</returns>
    public async IAsyncEnumerable<CandleColumns> FetchPagesBackwardAsync(
        string symbol,
        string interval,
        DateTimeOffset from,
        DateTimeOffset to,
        IProgress<(long done, long total)>? progress = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        CheckSymbol(symbol);
        var bars = BinanceInterval.Parse(interval);
        var now = Options.TimeProvider.GetUtcNow();
        var end = to < now ? to : now;
        var total = bars.CountBetween(from, end);
        long done = 0;
        while (end > from)
        {
            var start = bars.Step(end, -Options.PageSize);
            start = start < from ? from : start;
            var (page, _) = await FetchPageAsync(symbol, bars, start, end, Options.PageSize, cancellationToken).ConfigureAwait(false);
            if (page.Length > 0)
            {
                done += page.Length;
                progress?.Report((done, Math.Max(total, done)));
                yield return page;
            }
            else if (start > from)
            {
                var (earlier, _) = await FetchPageAsync(symbol, bars, from, start, 1, cancellationToken).ConfigureAwait(false);
                if (earlier.Length == 0)
                {
                    break;
                }
            }

            end = start;
        }
    }

    private async Task<(CandleColumns Page, int Returned)> FetchPageAsync(
        string symbol,
        BinanceInterval interval,
        DateTimeOffset start,
        DateTimeOffset end,
        int limit,
        CancellationToken cancellationToken)
    {
        var url = string.Create(
            CultureInfo.InvariantCulture,
            $"{BaseUrl.ToString().TrimEnd('/')}/api/v3/klines?symbol={symbol}&interval={interval.Name}&startTime={start.ToUnixTimeMilliseconds()}&endTime={end.ToUnixTimeMilliseconds() - 1}&limit={limit}");
        var state = (Client: this, Url: url);
        using var response = await _pipeline.ExecuteAsync(
            static async (s, token) =>
            {
                await s.Client.WaitForWeightAsync(token).ConfigureAwait(false);
                using var request = new HttpRequestMessage(HttpMethod.Get, s.Url);
                var answer = await s.Client._http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
                s.Client.RecordWeight(answer);
                return answer;
            },
            state,
            cancellationToken).ConfigureAwait(false);

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw ErrorFrom(response.StatusCode, body, url);
        }

        var now = Options.TimeProvider.GetUtcNow();
        var (page, returned) = ParseKlines(body, url, interval, start, end, now);
        LogPage(_logger, symbol, interval.Name, start, page.Length);
        return (page, returned);
    }

    /// <summary>Reads a klines body: an array of arrays whose first six entries are open time and OHLCV (numbers or numeric strings).</summary>
    private static (CandleColumns Page, int Returned) ParseKlines(
        byte[] body,
        string url,
        BinanceInterval interval,
        DateTimeOffset start,
        DateTimeOffset end,
        DateTimeOffset now)
    {
        var buffer = new CandleBuffer(1024);
        var returned = 0;
        Span<double> values = stackalloc double[6];
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                throw NotKlines(url, body, "expected a JSON array");
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                returned++;
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw NotKlines(url, body, $"row {returned} is not an array");
                }

                long ticks = 0;
                var count = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (count == 0)
                    {
                        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var epoch) || !TextParsing.TryEpochToTicks(epoch, out ticks))
                        {
                            throw NotKlines(url, body, $"row {returned}: the open time is not an epoch number");
                        }
                    }
                    else if (count < 6)
                    {
                        var ok = reader.TokenType switch
                        {
                            JsonTokenType.String => !reader.ValueIsEscaped && TextParsing.TryParseDouble(reader.ValueSpan, out values[count]),
                            JsonTokenType.Number => reader.TryGetDouble(out values[count]) && double.IsFinite(values[count]),
                            _ => false,
                        };
                        if (!ok)
                        {
                            throw NotKlines(url, body, $"row {returned}: entry {count} is not a number");
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }

                    count++;
                }

                if (count < 6)
                {
                    throw NotKlines(url, body, $"row {returned} has {count} entries, expected at least 6");
                }

                var open = new DateTimeOffset(ticks, TimeSpan.Zero);
                if (open < start || open >= end || interval.Next(open) > now)
                {
                    continue;
                }

                if (buffer.Count > 0 && ticks <= buffer.LastTicks)
                {
                    throw NotKlines(url, body, $"row {returned}: open times are not increasing");
                }

                buffer.Add(ticks, values[1], values[2], values[3], values[4], values[5]);
            }
        }
        catch (JsonException e)
        {
            throw new BinanceApiException(200, null, $"{url}: the response is not JSON klines: {Excerpt(body)}", e);
        }

        return (buffer.ToColumns(), returned);
    }

    private static BinanceApiException NotKlines(string url, byte[] body, string problem) =>
        new(200, null, $"{url}: the response is not klines ({problem}): {Excerpt(body)}");

    private static BinanceApiException ErrorFrom(HttpStatusCode status, byte[] body, string url)
    {
        int? code = null;
        string? message = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (document.RootElement.TryGetProperty("code", out var c) && c.TryGetInt32(out var value))
                {
                    code = value;
                }

                if (document.RootElement.TryGetProperty("msg", out var m))
                {
                    message = m.GetString();
                }
            }
        }
        catch (JsonException)
        {
            message = null;
        }

        var detail = message is null ? Excerpt(body) : $"{code}: {message}";
        return new BinanceApiException((int)status, code, $"{url}: Binance answered {(int)status} {status}: {detail}");
    }

    private static string Excerpt(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200)).ReplaceLineEndings(" ");
        return body.Length > 200 ? text + "…" : text;
    }

    private static void CheckSymbol(string symbol)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        foreach (var ch in symbol)
        {
            if (!char.IsAsciiLetterUpper(ch) && !char.IsAsciiDigit(ch))
            {
                throw new ArgumentException($"'{symbol}' is not a Binance symbol (upper-case letters and digits)", nameof(symbol));
            }
        }
    }

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline()
    {
        var retry = new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = Options.MaxRetryAttempts,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = Options.RetryBaseDelay,
            MaxDelay = Options.MaxRetryDelay,
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome switch
                {
                    { Exception: HttpRequestException } => true,
                    { Exception: OperationCanceledException } => !args.Context.CancellationToken.IsCancellationRequested,
                    { Result: { } response } => IsTransient(response),
                    _ => false,
                }),
            DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? RetryAfter(response) : null),
            OnRetry = args =>
            {
                var reason = args.Outcome.Result is { } r ? $"{(int)r.StatusCode} {r.StatusCode}" : args.Outcome.Exception?.GetType().Name ?? "failure";
                LogRetry(_logger, reason, args.AttemptNumber + 1, args.RetryDelay);
                return ValueTask.CompletedTask;
            },
        };
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = Options.TimeProvider };
        return Options.MaxRetryAttempts > 0 ? builder.AddRetry(retry).Build() : builder.Build();
    }

    private bool IsTransient(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status is 429 or 418)
        {
            return RetryAfter(response) is not { } wait || wait <= Options.MaxRetryAfter;
        }

        return status is 500 or 502 or 503 or 504;
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - Options.TimeProvider.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private void RecordWeight(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues(WeightHeader, out var values)
            && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var used))
        {
            lock (_weightLock)
            {
                _usedWeight = used;
                _weightMinute = MinuteOf(Options.TimeProvider.GetUtcNow());
            }
        }
    }

    private async Task WaitForWeightAsync(CancellationToken cancellationToken)
    {
        var now = Options.TimeProvider.GetUtcNow();
        int used;
        DateTimeOffset minute;
        lock (_weightLock)
        {
            used = _usedWeight;
            minute = _weightMinute;
        }

        if (minute == MinuteOf(now) && used >= Options.WeightLimit * Options.WeightSlowdownFraction)
        {
            var wait = minute.AddMinutes(1) - now;
            LogWeightPause(_logger, used, Options.WeightLimit, wait);
            await Task.Delay(wait, Options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private static DateTimeOffset MinuteOf(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Fetched {Symbol} {Interval} from {Start:o}: {Count} closed bars")]
    private static partial void LogPage(ILogger logger, string symbol, string interval, DateTimeOffset start, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Binance klines request failed ({Reason}); retry {Attempt} in {Delay}")]
    private static partial void LogRetry(ILogger logger, string reason, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Binance request weight {Used}/{Limit} this minute; pausing {Wait} until the next minute")]
    private static partial void LogWeightPause(ILogger logger, int used, int limit, TimeSpan wait);
}
