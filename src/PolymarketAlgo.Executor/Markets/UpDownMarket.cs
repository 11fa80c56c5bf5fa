using PolymarketAlgo.Executor.Rest;

namespace PolymarketAlgo.Executor.Markets;

/// <summary>An outcome of an up/down market.</summary>
public enum UpDownOutcome
{
    /// <summary>The price at the window end is at least the price at its start (ties resolve Up).</summary>
    Up,

    /// <summary>The price fell over the window.</summary>
    Down,
}

/// <summary>
/// A crypto up/down market read from Gamma: its window, Up/Down token IDs, prices, trading constraints,
/// fees and resolution. Build it with <see cref="FromGamma"/>.
/// </summary>
public sealed class UpDownMarket
{
    private UpDownMarket(GammaMarket gamma, UpDownWindow window)
    {
        Gamma = gamma;
        Window = window;
    }

    /// <summary>The Gamma market it was read from.</summary>
    public GammaMarket Gamma { get; }

    /// <summary>The window, from the slug.</summary>
    public UpDownWindow Window { get; }

    /// <summary>The slug.</summary>
    public string Slug => Gamma.Slug;

    /// <summary>The condition ID.</summary>
    public string ConditionId => Gamma.ConditionId;

    /// <summary>The CLOB token ID of Up.</summary>
    public string UpTokenId { get; private init; } = "";

    /// <summary>The CLOB token ID of Down.</summary>
    public string DownTokenId { get; private init; } = "";

    /// <summary>The Up price from <c>outcomePrices</c>, if present.</summary>
    public decimal? UpPrice { get; private init; }

    /// <summary>The Down price from <c>outcomePrices</c>, if present.</summary>
    public decimal? DownPrice { get; private init; }

    /// <summary>The resolution (state, winner, UMA status).</summary>
    public MarketResolution Resolution { get; private init; } = new(ResolutionState.Open, null, null, false);

    /// <summary>The winning outcome once resolved, otherwise null.</summary>
    public UpDownOutcome? Winner { get; private init; }

    /// <summary>Gamma <c>eventStartTime</c>: the window start as Gamma states it.</summary>
    public DateTimeOffset? EventStartTime => Gamma.EventStartTime;

    /// <summary>Gamma <c>endDate</c>: the window end as Gamma states it.</summary>
    public DateTimeOffset? EndDate => Gamma.EndDate;

    /// <summary>Whether the CLOB accepts orders.</summary>
    public bool AcceptingOrders => Gamma.AcceptingOrders;

    /// <summary>Whether the market is closed.</summary>
    public bool Closed => Gamma.Closed;

    /// <summary>The minimum tick size.</summary>
    public decimal? TickSize => Gamma.OrderPriceMinTickSize;

    /// <summary>The minimum order size in shares.</summary>
    public decimal? MinOrderSize => Gamma.OrderMinSize;

    /// <summary>Whether the market is neg-risk (selects the exchange contract when signing).</summary>
    public bool NegRisk => Gamma.NegRisk;

    /// <summary>Gamma <c>version</c>: <c>v1</c> (CTF exchange, EIP-712 domain "2") or <c>v2</c> (ExchangeV3, domain "3").</summary>
    public string? ProtocolVersion => Gamma.Version;

    /// <summary>Whether fees are charged.</summary>
    public bool FeesEnabled => Gamma.FeesEnabled;

    /// <summary>The fee type, e.g. <c>crypto_fees</c>.</summary>
    public string? FeeType => Gamma.FeeType;

    /// <summary>The fee schedule (rate, exponent, taker-only, rebate), when Gamma gives one.</summary>
    public GammaFeeSchedule? FeeSchedule => Gamma.FeeSchedule;

    /// <summary>The legacy (V1) taker base fee in bps.</summary>
    public decimal? TakerBaseFeeBps => Gamma.TakerBaseFee;

    /// <summary>The legacy (V1) maker base fee in bps.</summary>
    public decimal? MakerBaseFeeBps => Gamma.MakerBaseFee;

    /// <summary>The crypto market configuration, when Gamma gives one.</summary>
    public GammaCryptoMarketConfig? CryptoMarketConfig => Gamma.CryptoMarketConfig;

    /// <summary>True when the market settles on a Chainlink TWAP (<c>cryptoMarketConfig.twapEnabled</c>).</summary>
    public bool SettlesOnTwap => Gamma.CryptoMarketConfig?.TwapEnabled == true;

    /// <summary>The resolution source URL.</summary>
    public string? ResolutionSource => Gamma.ResolutionSource;

    /// <summary>The description, which states the resolution rule of this market.</summary>
    public string? Description => Gamma.Description;

    /// <summary>The token ID of <paramref name="outcome"/>.</summary>
    public string TokenIdOf(UpDownOutcome outcome) => outcome == UpDownOutcome.Up ? UpTokenId : DownTokenId;

    /// <summary>
    /// Reads an up/down market: the window from the slug, Up and Down by outcome name (not position), their
    /// token IDs and prices from the JSON-encoded fields, and the resolution.
    /// </summary>
    /// <exception cref="FormatException">The slug is not an up/down slug, or the outcomes, token IDs or prices do not line up.</exception>
    public static UpDownMarket FromGamma(GammaMarket market)
    {
        ArgumentNullException.ThrowIfNull(market);
        if (!UpDownSeries.TryParse(market.Slug, out var window))
        {
            throw new FormatException($"'{market.Slug}' is not an up/down market slug");
        }

        var outcomes = GammaMarketFields.Outcomes(market);
        var tokens = GammaMarketFields.ClobTokenIds(market);
        var prices = GammaMarketFields.OutcomePrices(market);
        var up = IndexOf(outcomes, "Up", market.Slug);
        var down = IndexOf(outcomes, "Down", market.Slug);
        if (tokens.Count != outcomes.Count)
        {
            throw new FormatException($"{market.Slug}: {tokens.Count} token IDs for {outcomes.Count} outcomes");
        }

        if (prices.Count != 0 && prices.Count != outcomes.Count)
        {
            throw new FormatException($"{market.Slug}: {prices.Count} prices for {outcomes.Count} outcomes");
        }

        var resolution = GammaMarketFields.Resolution(market);
        return new UpDownMarket(market, window)
        {
            UpTokenId = tokens[up],
            DownTokenId = tokens[down],
            UpPrice = prices.Count == 0 ? null : prices[up],
            DownPrice = prices.Count == 0 ? null : prices[down],
            Resolution = resolution,
            Winner = resolution.WinnerIndex switch
            {
                { } i when i == up => UpDownOutcome.Up,
                { } i when i == down => UpDownOutcome.Down,
                _ => null,
            },
        };
    }

    private static int IndexOf(IReadOnlyList<string> outcomes, string name, string slug)
    {
        for (var i = 0; i < outcomes.Count; i++)
        {
            if (string.Equals(outcomes[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new FormatException($"{slug}: no '{name}' outcome in [{string.Join(", ", outcomes)}]");
    }
}
