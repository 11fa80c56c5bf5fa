using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PolymarketAlgo.Simulator.Api;
using PolymarketAlgo.Simulator.Auth;
using PolymarketAlgo.Simulator.Clock;
using PolymarketAlgo.Simulator.Exchange;
using PolymarketAlgo.Simulator.Faults;
using PolymarketAlgo.Simulator.Markets;
using PolymarketAlgo.Simulator.Streaming;

namespace PolymarketAlgo.Simulator;

/// <summary>
/// A local Polymarket-compatible exchange on 127.0.0.1 (Kestrel) that replays recorded real data. One port serves
/// the CLOB under <c>/clob</c>, Gamma under <c>/gamma</c>, the Data API under <c>/data-api</c>, the WebSockets at
/// <c>/ws/market</c> and <c>/ws/user</c>, and the simulator's own status and fault endpoints under <c>/_sim</c>.
/// Point the bots' <c>--clob-url</c>, <c>--gamma-url</c>, <c>--data-api-url</c> and <c>--ws-url</c> at
/// <see cref="ClobUrl"/>, <see cref="GammaUrl"/>, <see cref="DataApiUrl"/> and <see cref="WebSocketUrl"/>.
/// </summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    /// <summary>The CLOB mount prefix.</summary>
    public const string ClobPrefix = "/clob";

    /// <summary>The Gamma mount prefix.</summary>
    public const string GammaPrefix = "/gamma";

    /// <summary>The Data API mount prefix.</summary>
    public const string DataApiPrefix = "/data-api";

    /// <summary>The admin mount prefix.</summary>
    public const string AdminPrefix = "/_sim";

    private readonly SimulatorOptions _options;
    private readonly WebSocketHub _hub;
    private readonly ILogger _logger;
    private WebApplication? _app;
    private CancellationTokenSource? _pumpStop;
    private Task? _pump;
    private Uri? _baseUrl;

    /// <summary>Creates a simulator (not started).</summary>
    /// <param name="options">The settings.</param>
    public SimulatorHost(SimulatorOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = (options.LoggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).CreateLogger<SimulatorHost>();
        var wall = options.WallClock ?? TimeProvider.System;
        Clock = new ReplayClock(options.Start ?? wall.GetUtcNow(), options.Speed, wall);
        Catalog = new WindowCatalog(options.Data);
        _hub = new WebSocketHub(options.WebSocketQueueLimit);
        Exchange = new SimExchange(Catalog, Clock, options, _hub);
        Keys = new ApiKeyRegistry(options.KeySeed, options.ChainId);
        Faults = new FaultInjector(wall);
        _hub.Attach(Exchange, Keys);
        Faults.WebSocketsDropped += (_, _) => _hub.DropAll();
    }

    /// <summary>The simulated clock (give it to in-process bots, or read <c>GET /clob/time</c>).</summary>
    public ReplayClock Clock { get; }

    /// <summary>The markets.</summary>
    public WindowCatalog Catalog { get; }

    /// <summary>The matching engine.</summary>
    public SimExchange Exchange { get; }

    /// <summary>The API keys.</summary>
    public ApiKeyRegistry Keys { get; }

    /// <summary>Fault injection.</summary>
    public FaultInjector Faults { get; }

    /// <summary>The open WebSocket connections.</summary>
    public int WebSocketConnections => _hub.ConnectionCount;

    /// <summary>The bound base URL, e.g. <c>http://127.0.0.1:51234</c>.</summary>
    /// <exception cref="InvalidOperationException">Not started.</exception>
    public Uri BaseUrl => _baseUrl ?? throw new InvalidOperationException("The simulator is not started.");

    /// <summary>The CLOB base URL (<c>--clob-url</c>).</summary>
    public Uri ClobUrl => new(BaseUrl, ClobPrefix);

    /// <summary>The Gamma base URL (<c>--gamma-url</c>).</summary>
    public Uri GammaUrl => new(BaseUrl, GammaPrefix);

    /// <summary>The Data API base URL (<c>--data-api-url</c>).</summary>
    public Uri DataApiUrl => new(BaseUrl, DataApiPrefix);

    /// <summary>The WebSocket base URL (<c>--ws-url</c>); the channels are <c>/ws/market</c> and <c>/ws/user</c> under it.</summary>
    public Uri WebSocketUrl => new UriBuilder(BaseUrl) { Scheme = "ws" }.Uri;

    /// <summary>The market channel URL.</summary>
    public Uri MarketChannelUrl => new(WebSocketUrl, "/ws/market");

    /// <summary>The user channel URL.</summary>
    public Uri UserChannelUrl => new(WebSocketUrl, "/ws/user");

    /// <summary>Starts Kestrel on 127.0.0.1 and the replay.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The bound base URL.</returns>
    public async Task<Uri> StartAsync(CancellationToken cancellationToken = default)
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("The simulator is already started.");
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, _options.Port));
        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.Use(InjectFaultsAsync);
        ClobApi.Map(app, ClobPrefix, Exchange, Keys, Faults);
        GammaApi.Map(app, GammaPrefix, Exchange);
        DataApi.Map(app, DataApiPrefix, Exchange, _options.Data);
        AdminApi.Map(app, AdminPrefix, Exchange, Faults, _hub, Urls);
        app.Map("/ws/market", (HttpContext c) => AcceptAsync(c, user: false));
        app.Map("/ws/user", (HttpContext c) => AcceptAsync(c, user: true));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _baseUrl = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        _pumpStop = new CancellationTokenSource();
        _pump = Task.Run(() => PumpAsync(_pumpStop.Token), CancellationToken.None);
        return _baseUrl;
    }

    /// <summary>Stops the replay and the server (open WebSockets are dropped).</summary>
    /// <param name="cancellationToken">Cancels the graceful part of the stop.</param>
    /// <returns>A task.</returns>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_pumpStop is not null)
        {
            await _pumpStop.CancelAsync().ConfigureAwait(false);
            await _pump!.ConfigureAwait(false);
            _pumpStop.Dispose();
            _pumpStop = null;
        }

        if (_app is not null)
        {
            _hub.DropAll();
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>The URLs as JSON (snake_case keys), for status output.</summary>
    /// <returns>The object.</returns>
    public JsonObject Urls() =>
        new()
        {
            ["base_url"] = BaseUrl.ToString().TrimEnd('/'),
            ["clob_url"] = ClobUrl.ToString(),
            ["gamma_url"] = GammaUrl.ToString(),
            ["data_api_url"] = DataApiUrl.ToString(),
            ["ws_url"] = WebSocketUrl.ToString().TrimEnd('/'),
            ["ws_market_url"] = MarketChannelUrl.ToString(),
            ["ws_user_url"] = UserChannelUrl.ToString(),
            ["admin_url"] = new Uri(BaseUrl, AdminPrefix).ToString(),
        };

    private async Task InjectFaultsAsync(HttpContext context, RequestDelegate next)
    {
        if (!context.Request.Path.StartsWithSegments(AdminPrefix, StringComparison.Ordinal))
        {
            if (Faults.CurrentOutage() is { } outage)
            {
                if (outage.Mode == OutageMode.Refuse)
                {
                    context.Abort();
                    return;
                }

                await RespondAsync(context, StatusCodes.Status503ServiceUnavailable, "service unavailable", outage.Remaining).ConfigureAwait(false);
                return;
            }

            if (!context.WebSockets.IsWebSocketRequest && Faults.TryTakeRateLimit(out var retryAfter))
            {
                await RespondAsync(context, StatusCodes.Status429TooManyRequests, "Too Many Requests", retryAfter).ConfigureAwait(false);
                return;
            }
        }

        await next(context).ConfigureAwait(false);
    }

    private static async Task RespondAsync(HttpContext context, int status, string message, TimeSpan retryAfter)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonText.Error(message, status), context.RequestAborted).ConfigureAwait(false);
    }

    private async Task AcceptAsync(HttpContext context, bool user)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        await (user ? _hub.RunUserAsync(socket, context.RequestAborted) : _hub.RunMarketAsync(socket, context.RequestAborted)).ConfigureAwait(false);
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (Clock.IsMaxSpeed)
                {
                    Clock.JumpTo(Exchange.NextEventTime());
                }

                Exchange.Advance();
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or ArithmeticException or KeyNotFoundException)
            {
                // A replay bug must not stop the exchange; log it and keep the clock moving.
                _logger.LogError(e, "The replay failed to advance to {Now}", Clock.GetUtcNow());
            }

            try
            {
                await Task.Delay(Clock.IsMaxSpeed ? TimeSpan.FromMilliseconds(1) : _options.PumpInterval, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
