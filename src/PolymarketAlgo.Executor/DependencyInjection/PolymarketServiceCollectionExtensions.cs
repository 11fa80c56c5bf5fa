using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PolymarketAlgo.Core;
using PolymarketAlgo.Executor.Auth;
using PolymarketAlgo.Executor.Books;
using PolymarketAlgo.Executor.DependencyInjection;
using PolymarketAlgo.Executor.Http;
using PolymarketAlgo.Executor.Journal;
using PolymarketAlgo.Executor.Markets;
using PolymarketAlgo.Executor.Orders;
using PolymarketAlgo.Executor.Resilience;
using PolymarketAlgo.Executor.Rest;
using PolymarketAlgo.Executor.Streaming;
using PolymarketAlgo.Executor.Trading;

// The .NET convention for AddXxx extensions (AddHttpClient, AddLogging): they are in scope wherever services are
// configured, with no extra using. The types they register keep their PolymarketAlgo.Executor.* namespaces.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the whole Polymarket client (REST, streaming books, journal, trader) with dependency injection.</summary>
public static class PolymarketServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Polymarket client as singletons unless noted:
    /// everything of <see cref="PolymarketRestServiceCollectionExtensions.AddPolymarketRest(IServiceCollection, Action{PolymarketApiOptions}?)"/>
    /// (<see cref="PolymarketApiOptions"/>, <see cref="PolymarketResilience"/>, the typed
    /// <see cref="ClobClient"/>, <see cref="GammaClient"/> and <see cref="DataApiClient"/> through
    /// <c>IHttpClientFactory</c>, a transient <see cref="UpDownMarkets"/>, and <see cref="TimeProvider.System"/>
    /// unless a clock is registered); the <see cref="PolymarketClientOptions"/>; one <see cref="BookManager"/> and a
    /// <see cref="MarketChannelFactory"/> whose clients stream into it; <see cref="IOrderBookSource"/> over those
    /// books; the <see cref="TradeJournal"/> at <see cref="TradingOptions.JournalPath"/>; a <see cref="RiskGate"/>;
    /// and an <see cref="ITrader"/>: a <see cref="PaperTrader"/> by default, a <see cref="LiveTrader"/> only when
    /// <see cref="TradingOptions.Live"/> is set and <see cref="PolymarketClientOptions.Credentials"/> carry API
    /// credentials (which also register the L2 <see cref="IRequestAuthenticator"/> of the CLOB client).
    /// The books, the book source, the journal, the risk gate and the trader are added only when not registered yet.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; the production endpoints and paper trading when null.</param>
    /// <returns>The services.</returns>
    /// <exception cref="OptionsValidationException">The options are invalid (every problem is in the message).</exception>
    public static IServiceCollection AddPolymarketClient(this IServiceCollection services, Action<PolymarketClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new PolymarketClientOptions();
        configure?.Invoke(options);
        return Register(services, options);
    }

    /// <summary>
    /// As <see cref="AddPolymarketClient(IServiceCollection, Action{PolymarketClientOptions}?)"/>, with the options
    /// bound from a configuration section first: <c>Api</c> (<c>ClobUrl</c>, <c>GammaUrl</c>, <c>DataApiUrl</c>,
    /// <c>DataApiVersion</c>, <c>Resilience</c>), <c>MarketChannelUrl</c>, <c>Trading</c> (the
    /// <see cref="TradingOptions"/> properties, <c>Risk</c> by its field names) and <c>OrderBuilder:ChainId</c> /
    /// <c>OrderBuilder:SignatureType</c>. Credentials are never read from configuration: set them in
    /// <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section, e.g. <c>builder.Configuration.GetSection("Polymarket")</c>.</param>
    /// <param name="configure">Adjusts the bound options; may be null.</param>
    /// <returns>The services.</returns>
    /// <exception cref="OptionsValidationException">The options are invalid (every problem is in the message).</exception>
    public static IServiceCollection AddPolymarketClient(
        this IServiceCollection services,
        IConfiguration configuration,
        Action<PolymarketClientOptions>? configure = null
    )
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = Bind(configuration);
        configure?.Invoke(options);
        return Register(services, options);
    }

    private static PolymarketClientOptions Bind(IConfiguration configuration)
    {
        var options = new PolymarketClientOptions();
        try
        {
            configuration.GetSection("Api").Bind(options.Api);
            options.MarketChannelUrl = configuration.GetValue("MarketChannelUrl", options.MarketChannelUrl)!;
            var trading = configuration.GetSection("Trading");
            var tradingOptions = new TradingOptions();
            trading.Bind(tradingOptions);
            var risk = trading.GetSection("Risk");
            var limits = tradingOptions.Risk;
            options.Trading = tradingOptions with
            {
                Risk = new RiskLimits(
                    risk.GetValue("MaxDailyBets", limits.MaxDailyBets),
                    risk.GetValue("MaxDailyLoss", limits.MaxDailyLoss),
                    risk.GetValue("MinBankroll", limits.MinBankroll),
                    risk.GetValue("MaxPositionPerMarket", limits.MaxPositionPerMarket),
                    risk.GetValue("MaxOpenOrders", limits.MaxOpenOrders)
                ),
            };
            var builder = configuration.GetSection("OrderBuilder");
            options.OrderBuilder = options.OrderBuilder with
            {
                ChainId = builder.GetValue("ChainId", options.OrderBuilder.ChainId),
                SignatureType = builder.GetValue("SignatureType", options.OrderBuilder.SignatureType),
            };
        }
        catch (InvalidOperationException e)
        {
            throw new OptionsValidationException(Options.Options.DefaultName, typeof(PolymarketClientOptions), [e.Message]);
        }

        return options;
    }

    private static IServiceCollection Register(IServiceCollection services, PolymarketClientOptions options)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.Options.DefaultName, typeof(PolymarketClientOptions), errors);
        }

        PolymarketRestServiceCollectionExtensions.AddPolymarketRest(services, options.Api);
        services.AddSingleton(options);
        var credentials = options.Credentials;
        if (credentials is { HasApiCredentials: true })
        {
            services.TryAddSingleton<IRequestAuthenticator>(sp => new L2RequestAuthenticator(
                credentials,
                sp.GetRequiredService<TimeProvider>()
            ));
        }

        services.TryAddSingleton(sp => new BookManager(
            timeProvider: sp.GetRequiredService<TimeProvider>(),
            logger: sp.GetRequiredService<ILogger<BookManager>>()
        ));
        services.TryAddSingleton(sp => new MarketChannelFactory(
            new MarketChannelOptions { Url = options.MarketChannelUrl },
            sp.GetRequiredService<BookManager>(),
            new ClobBookSnapshotSource(sp.GetRequiredService<ClobClient>()),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()
        ));
        services.TryAddSingleton<IOrderBookSource>(sp => new BookManagerSource(sp.GetRequiredService<BookManager>()));
        services.TryAddSingleton(sp => OpenJournal(options.Trading, TradingClockOf(sp, options)));
        services.TryAddSingleton(_ => new RiskGate(options.Trading.Risk, options.Trading.KillSwitchEngaged));
        services.TryAddSingleton<ITrader>(sp =>
            options.Trading.Live
                ? CreateLiveTrader(sp, options)
                : new PaperTrader(
                    sp.GetRequiredService<TradeJournal>(),
                    sp.GetRequiredService<IOrderBookSource>(),
                    timeProvider: TradingClockOf(sp, options),
                    risk: sp.GetRequiredService<RiskGate>()
                )
        );
        return services;
    }

    /// <summary>Opens the journal, recording a bankroll given as an override (<see cref="TradingOptions.BankrollOverride"/>).</summary>
    private static TimeProvider TradingClockOf(IServiceProvider sp, PolymarketClientOptions options) =>
        options.TradingClock ?? sp.GetRequiredService<TimeProvider>();

    private static TradeJournal OpenJournal(TradingOptions trading, TimeProvider time)
    {
        var journal = TradeJournal.Open(trading.JournalPath, trading.Bankroll, time);
        if (trading.BankrollOverride && journal.State.Bankroll != trading.Bankroll)
        {
            journal.Record(TradingEvent.NewBankrollSet(trading.Bankroll, time.GetUtcNow()));
        }

        return journal;
    }

    /// <summary>
    /// A live trader: signs with the credentials' key and posts through the L2-authenticated CLOB client; tick size
    /// and neg-risk come from the CLOB per token.
    /// </summary>
    private static LiveTrader CreateLiveTrader(IServiceProvider sp, PolymarketClientOptions options)
    {
        var credentials = options.Credentials!;
        var time = sp.GetRequiredService<TimeProvider>();
        var clob = new ClobClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(ClobClient)),
            sp.GetRequiredService<PolymarketResilience>(),
            time,
            sp.GetRequiredService<ILogger<ClobClient>>(),
            new L2RequestAuthenticator(credentials, time)
        );
        var builderOptions = ReferenceEquals(options.OrderBuilder.TimeProvider, TimeProvider.System)
            ? options.OrderBuilder with { TimeProvider = time }
            : options.OrderBuilder;

        // A token's tick size and neg-risk flag are read once: the two REST calls stay off the order path after
        // a market's first order.
        var known = new ConcurrentDictionary<string, MarketInfo>(StringComparer.Ordinal);

        async Task<MarketInfo> MarketInfoOf(string token, CancellationToken ct)
        {
            if (known.TryGetValue(token, out var cached))
            {
                return cached;
            }

            var tick = await clob.GetTickSizeAsync(token, ct).ConfigureAwait(false);
            var negRisk = await clob.GetNegRiskAsync(token, ct).ConfigureAwait(false);
            var tickSize = TickSize.All.FirstOrDefault(t => t.Value == tick) ?? TickSize.OneHundredth;
            return known.GetOrAdd(token, new MarketInfo(tickSize, negRisk, 5m));
        }

        return new LiveTrader(
            sp.GetRequiredService<TradeJournal>(),
            clob,
            new OrderBuilder(credentials.PrivateKey, builderOptions),
            MarketInfoOf,
            new LiveTraderOptions { Owner = credentials.ApiKey! },
            TradingClockOf(sp, options),
            sp.GetRequiredService<RiskGate>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<LiveTrader>()
        );
    }
}
