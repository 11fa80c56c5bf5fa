using PolymarketAlgo.Executor.Http;
using PolymarketAlgo.Executor.Orders;
using PolymarketAlgo.Executor.Secrets;
using PolymarketAlgo.Executor.Streaming;
using PolymarketAlgo.Executor.Trading;

namespace PolymarketAlgo.Executor.DependencyInjection;

/// <summary>
/// What <c>services.AddPolymarketClient(…)</c> registers: where the REST clients and the market channel connect,
/// the journal and trading settings, and, for live trading only, the credentials and how orders are signed.
/// Paper trading is the default; a live trader is registered only when <see cref="TradingOptions.Live"/> is set
/// and <see cref="Credentials"/> carry API credentials.
/// </summary>
public sealed class PolymarketClientOptions
{
    /// <summary>The CLOB, Gamma and Data API base URLs and the REST clients' resilience settings.</summary>
    public PolymarketApiOptions Api { get; set; } = new();

    /// <summary>The market channel WebSocket URL (<see cref="MarketChannelOptions.DefaultUrl"/> by default).</summary>
    public Uri MarketChannelUrl { get; set; } = MarketChannelOptions.DefaultUrl;

    /// <summary>
    /// Paper or live, the journal file and the bankroll of a new journal, the risk limits and the kill switch file.
    /// A bankroll marked as an override (<see cref="TradingOptions.BankrollOverride"/>) is recorded in the journal.
    /// </summary>
    public TradingOptions Trading { get; set; } = new();

    /// <summary>
    /// The wallet's key and API credentials; needed for live trading and the CLOB's authenticated endpoints. Set
    /// them from a secret store in code: they are never read from configuration and never logged.
    /// </summary>
    public Credentials? Credentials { get; set; }

    /// <summary>How live orders are signed: chain, signature type and funder (proxy or Safe) address.</summary>
    public OrderBuilderOptions OrderBuilder { get; set; } = new();

    /// <summary>
    /// The clock the journal and the trader run on, when it is not the registered <see cref="TimeProvider"/>: a
    /// <see cref="Timing.ScaledClock"/> that follows a simulator replaying faster than real time. HTTP retries, rate
    /// limits and request signatures keep the registered (wall) clock.
    /// </summary>
    public TimeProvider? TradingClock { get; set; }

    /// <summary>Checks the options; one message per problem, empty when they are usable.</summary>
    /// <returns>The problems.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Url(string name, Uri? url, string scheme)
        {
            if (url is null || !url.IsAbsoluteUri || (url.Scheme != scheme && url.Scheme != scheme + "s"))
            {
                errors.Add($"{name} must be an absolute {scheme}:// or {scheme}s:// URL, got '{url}'");
            }
        }

        Url("Api.ClobUrl", Api?.ClobUrl, "http");
        Url("Api.GammaUrl", Api?.GammaUrl, "http");
        Url("Api.DataApiUrl", Api?.DataApiUrl, "http");
        Url("MarketChannelUrl", MarketChannelUrl, "ws");
        if (Trading is null)
        {
            errors.Add("Trading must be set (new TradingOptions() for the defaults)");
            return errors;
        }

        if (string.IsNullOrWhiteSpace(Trading.JournalPath))
        {
            errors.Add("Trading.JournalPath must name the journal file");
        }

        if (Trading.Bankroll < 0m)
        {
            errors.Add($"Trading.Bankroll must be at least 0, got {Trading.Bankroll}");
        }

        if (Trading.Live)
        {
            if (Credentials is null)
            {
                errors.Add("Live trading needs Credentials (the private key and API credentials); paper trading is the default");
            }
            else if (!Credentials.HasApiCredentials)
            {
                errors.Add("Live trading needs API credentials (key, secret, passphrase) in Credentials; derive them first (polymarket-algo auth derive)");
            }
            else if (OrderBuilder is null)
            {
                errors.Add("OrderBuilder must be set for live trading (new OrderBuilderOptions() for an EOA wallet)");
            }
            else
            {
                try
                {
                    _ = new OrderBuilder(Credentials.PrivateKey, OrderBuilder);
                }
                catch (ArgumentException e)
                {
                    errors.Add($"OrderBuilder: {e.Message}");
                }
            }
        }

        return errors;
    }
}
