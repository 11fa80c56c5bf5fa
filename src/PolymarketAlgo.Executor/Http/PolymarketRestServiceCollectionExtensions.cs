using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using PolymarketAlgo.Executor.Markets;
using PolymarketAlgo.Executor.Resilience;
using PolymarketAlgo.Executor.Rest;

namespace PolymarketAlgo.Executor.Http;

/// <summary>Registers the Polymarket REST clients with dependency injection.</summary>
public static class PolymarketRestServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PolymarketApiOptions"/>, the shared <see cref="PolymarketResilience"/>, the typed
    /// clients <see cref="ClobClient"/>, <see cref="GammaClient"/> and <see cref="DataApiClient"/> (through
    /// <c>IHttpClientFactory</c>), <see cref="UpDownMarkets"/> and <see cref="ClobHeartbeat"/>, and
    /// <see cref="TimeProvider.System"/> unless a clock is already registered. Register an
    /// <see cref="IRequestAuthenticator"/> for the CLOB's authenticated endpoints.
    /// <c>AddPolymarketClient</c> calls this and adds the books, the journal and a trader.
    /// </summary>
    public static IServiceCollection AddPolymarketRest(this IServiceCollection services, Action<PolymarketApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new PolymarketApiOptions();
        configure?.Invoke(options);
        return AddPolymarketRest(services, options);
    }

    /// <summary>The registrations of <see cref="AddPolymarketRest(IServiceCollection, Action{PolymarketApiOptions}?)"/> for given options.</summary>
    internal static IServiceCollection AddPolymarketRest(IServiceCollection services, PolymarketApiOptions options)
    {
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(sp => new PolymarketResilience(
            sp.GetRequiredService<PolymarketApiOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddHttpClient<ClobClient>();
        services.AddHttpClient<GammaClient>();
        services.AddHttpClient<DataApiClient>();
        services.AddTransient(sp => new UpDownMarkets(sp.GetRequiredService<GammaClient>(), sp.GetRequiredService<TimeProvider>()));
        services.AddTransient<ClobHeartbeat>();
        return services;
    }
}
