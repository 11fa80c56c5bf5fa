using System.Globalization;
using PolymarketAlgo.Core;

namespace PolymarketAlgo.Executor.Trading;

/// <summary>How the streak bot sizes its bets.</summary>
public enum SizingMode
{
    /// <summary>A fixed amount (<see cref="TradingOptions.BetAmount"/>).</summary>
    Fixed = 0,

    /// <summary>Quarter Kelly on the reversal rate, capped at the bet amount and a fraction of the bankroll (the original).</summary>
    Kelly = 1,

    /// <summary>A fraction of the bankroll, capped at the bet amount.</summary>
    Fraction = 2,
}

/// <summary>Where a setting's value came from.</summary>
public enum OptionSource
{
    /// <summary>The built-in default.</summary>
    Default = 0,

    /// <summary>The <c>.env</c> file.</summary>
    DotEnv = 1,

    /// <summary>The process environment.</summary>
    Environment = 2,

    /// <summary>A command-line flag.</summary>
    Flag = 3,
}

/// <summary>The result of loading options: the options when valid, else one message per problem.</summary>
/// <param name="Options">The options (defaults where a value was invalid).</param>
/// <param name="Errors">One line per invalid value; empty when the options are usable.</param>
public sealed record TradingOptionsResult(TradingOptions Options, IReadOnlyList<string> Errors)
{
    /// <summary>True when there is no error.</summary>
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// The trading and risk settings of the bots, read from command-line flags, the environment and a <c>.env</c> file,
/// in that order of precedence (a flag beats the environment, which beats <c>.env</c>, which beats the default).
/// The original read only the environment and ignored <c>--max-bets</c>/<c>--max-loss</c>; here every flag counts.
/// Secrets (PRIVATE_KEY and API credentials) are not read here.
/// </summary>
public sealed record TradingOptions
{
    /// <summary>Every setting: flag name (without <c>--</c>), environment variable, and description.</summary>
    public static IReadOnlyList<(string Flag, string Variable, string Description)> Keys { get; } =
    [
        ("live", "PAPER_TRADE", "trade live (flag) / PAPER_TRADE=false; paper by default"),
        ("trigger", "STREAK_TRIGGER", "streak length that fires, at least 2 (4)"),
        ("amount", "BET_AMOUNT", "bet amount or cap in pUSD (5)"),
        ("min-bet", "MIN_BET", "smallest order in pUSD (1)"),
        ("bankroll", "BANKROLL", "bankroll of a new journal, or an override when given as a flag (100)"),
        ("max-bets", "MAX_DAILY_BETS", "most bets per UTC day (100)"),
        ("max-loss", "MAX_DAILY_LOSS", "most loss per UTC day in pUSD, counting open risk (50)"),
        ("min-bankroll", "MIN_BANKROLL", "bankroll floor even if every open bet loses (0)"),
        ("max-position", "MAX_POSITION_PER_MARKET", "most pUSD at risk in one market (50)"),
        ("max-open-orders", "MAX_OPEN_ORDERS", "most working orders (10)"),
        ("entry-seconds", "ENTRY_WINDOW_SECONDS", "seconds after the target window opens to still bet (30)"),
        ("sizing", "SIZING", "fixed, kelly or fraction (kelly)"),
        ("bankroll-fraction", "MAX_BANKROLL_FRACTION", "Kelly cap / fraction bet, of the bankroll (0.10)"),
        ("rates", "REVERSAL_RATES", "reversal rate table: legacy, 5m, 15m or 1h (legacy)"),
        ("price-tolerance", "PRICE_TOLERANCE", "how far above the ask a market order may fill (0.05)"),
        ("max-price", "MAX_PRICE", "never pay more than this per share (0.95)"),
        ("fee-rate", "FEE_RATE", "taker fee rate (0.072)"),
        ("journal", "JOURNAL_PATH", "SQLite journal file (data/journal.db)"),
        ("kill-switch", "KILL_SWITCH_FILE", "no new orders while this file exists (KILL_SWITCH)"),
        ("selective-filter", "SELECTIVE_FILTER", "copy bot: gate copies through the SelectiveFilter (true)"),
        ("max-delay-ms", "SELECTIVE_MAX_DELAY_MS", "copy bot filter: largest copy delay, ms (20000)"),
        ("min-fill", "SELECTIVE_MIN_FILL_PRICE", "copy bot filter: lowest fill price (0.55)"),
        ("max-fill", "SELECTIVE_MAX_FILL_PRICE", "copy bot filter: highest fill price (0.80)"),
        ("max-price-move", "SELECTIVE_MAX_PRICE_MOVEMENT_PCT", "copy bot filter: largest price move since the leader's fill, % (15)"),
        ("max-spread", "SELECTIVE_MAX_SPREAD", "copy bot filter: widest spread (0.025)"),
        ("max-volatility", "SELECTIVE_MAX_VOLATILITY_FACTOR", "copy bot filter: volatility factor at which it rejects (1.25)"),
        ("min-depth", "SELECTIVE_MIN_DEPTH_AT_BEST", "copy bot filter: least pUSD at the best level (5)"),
    ];

    /// <summary>Paper (default) or live.</summary>
    public bool Live { get; init; }

    /// <summary>The streak length that fires.</summary>
    public int Trigger { get; init; } = StreakReversal.DefaultTrigger;

    /// <summary>The bet amount (fixed sizing) or the cap (Kelly and fraction sizing), in pUSD.</summary>
    public decimal BetAmount { get; init; } = 5m;

    /// <summary>The smallest order worth placing.</summary>
    public decimal MinBet { get; init; } = 1m;

    /// <summary>The bankroll of a new journal.</summary>
    public decimal Bankroll { get; init; } = 100m;

    /// <summary>True when the bankroll was given as a flag: it then overrides the journal's bankroll.</summary>
    public bool BankrollOverride { get; init; }

    /// <summary>The risk limits.</summary>
    public RiskLimits Risk { get; init; } = Core.Risk.defaults;

    /// <summary>How long after the target window opens a bet may still be placed.</summary>
    public TimeSpan EntryWindow { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The sizing rule.</summary>
    public SizingMode Sizing { get; init; } = SizingMode.Kelly;

    /// <summary>Kelly's cap, or the fraction bet, as a fraction of the bankroll.</summary>
    public decimal BankrollFraction { get; init; } = 0.10m;

    /// <summary>The reversal rate table name.</summary>
    public string Rates { get; init; } = "legacy";

    /// <summary>How far above the ask a market order may fill.</summary>
    public decimal PriceTolerance { get; init; } = 0.05m;

    /// <summary>The highest price paid per share.</summary>
    public decimal MaxPrice { get; init; } = 0.95m;

    /// <summary>The taker fee rate reserved and charged.</summary>
    public decimal FeeRate { get; init; } = Fees.cryptoTakerRateDecimal;

    /// <summary>The journal file.</summary>
    public string JournalPath { get; init; } = System.IO.Path.Combine("data", "journal.db");

    /// <summary>The kill switch file: no new orders while it exists.</summary>
    public string KillSwitchFile { get; init; } = "KILL_SWITCH";

    /// <summary>
    /// The copy bot's SelectiveFilter (<c>SELECTIVE_*</c>), or null when it is off (<c>SELECTIVE_FILTER=false</c>,
    /// <c>--no-filter</c>). On with the original's thresholds by default.
    /// </summary>
    public SelectiveFilterConfig? CopyFilter { get; init; } = SelectiveFilter.defaults;

    /// <summary>Where each setting came from, by environment variable name.</summary>
    public IReadOnlyDictionary<string, OptionSource> Sources { get; init; } = new Dictionary<string, OptionSource>();

    /// <summary>True while the kill switch file exists.</summary>
    /// <returns>Whether new orders are forbidden.</returns>
    public bool KillSwitchEngaged() => File.Exists(KillSwitchFile);

    /// <summary>The Core sizing rule.</summary>
    /// <returns>The rule.</returns>
    public SizingRule ToSizingRule() =>
        Sizing switch
        {
            SizingMode.Fixed => SizingRule.NewFixed(BetAmount),
            SizingMode.Fraction => SizingRule.NewCappedFraction(BankrollFraction, BetAmount),
            _ => SizingRule.NewQuarterKelly(BetAmount, BankrollFraction),
        };

    /// <summary>The reversal rate table.</summary>
    /// <returns>The rates by streak length.</returns>
    private Microsoft.FSharp.Collections.FSharpMap<int, decimal> ToReversalRates() =>
        Rates switch
        {
            "5m" => Core.Sizing.reversalRates5m,
            "15m" => Core.Sizing.reversalRates15m,
            "1h" => Core.Sizing.reversalRates1h,
            _ => Core.Sizing.legacyReversalRates,
        };

    /// <summary>The Core streak decision settings.</summary>
    /// <returns>The settings.</returns>
    public StreakConfig ToStreakConfig() =>
        new(
            Trigger,
            TimeSpan.FromMinutes(5),
            EntryWindow,
            ToSizingRule(),
            ToReversalRates(),
            MinBet,
            PriceTolerance,
            MaxPrice,
            FeeRate,
            TimeInForce.Fok,
            Risk
        );

    /// <summary>
    /// Loads the options. Flags are given by name without <c>--</c> (a switch such as <c>live</c> or <c>paper</c>
    /// with a null value); the environment and the <c>.env</c> file use the variable names of <see cref="Keys"/>.
    /// </summary>
    /// <param name="flags">Command-line flags by name.</param>
    /// <param name="environment">Environment variables; the process environment when null.</param>
    /// <param name="dotEnvPath">The <c>.env</c> file; skipped when null or missing.</param>
    /// <returns>The options and one message per invalid value.</returns>
    public static TradingOptionsResult Load(
        IReadOnlyDictionary<string, string?> flags,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? dotEnvPath = ".env"
    )
    {
        ArgumentNullException.ThrowIfNull(flags);
        environment ??= ProcessEnvironment();
        var dotEnv =
            dotEnvPath is not null && File.Exists(dotEnvPath)
                ? DotEnv.Parse(File.ReadAllText(dotEnvPath))
                : new Dictionary<string, string>();
        var errors = new List<string>();
        var sources = new Dictionary<string, OptionSource>(StringComparer.Ordinal);

        (string? Value, OptionSource Source) Raw(string flag, string variable)
        {
            if (flags.TryGetValue(flag, out var f))
            {
                return (f, OptionSource.Flag);
            }

            if (environment.TryGetValue(variable, out var e) && !string.IsNullOrWhiteSpace(e))
            {
                return (e, OptionSource.Environment);
            }

            return dotEnv.TryGetValue(variable, out var d) && !string.IsNullOrWhiteSpace(d)
                ? (d, OptionSource.DotEnv)
                : (null, OptionSource.Default);
        }

        string Where(string flag, string variable, OptionSource source) =>
            source switch
            {
                OptionSource.Flag => $"--{flag}",
                OptionSource.Environment => $"{variable} (environment)",
                _ => $"{variable} (.env)",
            };

        T Read<T>(string flag, string variable, T fallback, Func<string, T?> parse, Func<T, bool> valid, string rule)
            where T : struct
        {
            var (raw, source) = Raw(flag, variable);
            sources[variable] = source;
            if (raw is null)
            {
                return fallback;
            }

            var parsed = parse(raw.Trim());
            if (parsed is { } value && valid(value))
            {
                return value;
            }

            errors.Add($"{Where(flag, variable, source)} must be {rule}, got '{raw}'.");
            return fallback;
        }

        string ReadText(string flag, string variable, string fallback, IReadOnlyCollection<string>? allowed)
        {
            var (raw, source) = Raw(flag, variable);
            sources[variable] = source;
            if (raw is null)
            {
                return fallback;
            }

            var text = raw.Trim();
            if (text.Length == 0 || (allowed is not null && !allowed.Contains(text.ToLowerInvariant())))
            {
                errors.Add(
                    $"{Where(flag, variable, source)} must be {(allowed is null ? "a non-empty path" : "one of " + string.Join(", ", allowed))}, got '{raw}'."
                );
                return fallback;
            }

            return allowed is null ? text : text.ToLowerInvariant();
        }

        static int? Int(string s) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
        static long? Long(string s) => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
        static double? Dbl(string s) =>
            double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;
        static decimal? Dec(string s) =>
            decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : null;

        var defaults = new TradingOptions();
        var live = ReadLive(flags, environment, dotEnv, sources, errors);
        var bankrollFlag = flags.ContainsKey("bankroll");
        var trigger = Read("trigger", "STREAK_TRIGGER", defaults.Trigger, Int, v => v >= 2, "a whole number of at least 2");
        var amount = Read("amount", "BET_AMOUNT", defaults.BetAmount, Dec, v => v > 0m, "a positive amount");
        var minBet = Read("min-bet", "MIN_BET", defaults.MinBet, Dec, v => v >= 0m, "an amount of at least 0");
        var bankroll = Read("bankroll", "BANKROLL", defaults.Bankroll, Dec, v => v >= 0m, "an amount of at least 0");
        var maxBets = Read("max-bets", "MAX_DAILY_BETS", defaults.Risk.MaxDailyBets, Int, v => v >= 0, "a whole number of at least 0");
        var maxLoss = Read("max-loss", "MAX_DAILY_LOSS", defaults.Risk.MaxDailyLoss, Dec, v => v >= 0m, "an amount of at least 0");
        var minBankroll = Read("min-bankroll", "MIN_BANKROLL", defaults.Risk.MinBankroll, Dec, v => v >= 0m, "an amount of at least 0");
        var maxPosition = Read(
            "max-position",
            "MAX_POSITION_PER_MARKET",
            defaults.Risk.MaxPositionPerMarket,
            Dec,
            v => v >= 0m,
            "an amount of at least 0"
        );
        var maxOpen = Read("max-open-orders", "MAX_OPEN_ORDERS", defaults.Risk.MaxOpenOrders, Int, v => v >= 0, "a whole number of at least 0");
        var entry = Read(
            "entry-seconds",
            "ENTRY_WINDOW_SECONDS",
            (int)defaults.EntryWindow.TotalSeconds,
            Int,
            v => v is >= 0 and < 300,
            "whole seconds from 0 to 299"
        );
        var sizing = ReadText("sizing", "SIZING", "kelly", ["fixed", "kelly", "fraction"]);
        var fraction = Read("bankroll-fraction", "MAX_BANKROLL_FRACTION", defaults.BankrollFraction, Dec, v => v is >= 0m and <= 1m, "a fraction from 0 to 1");
        var rates = ReadText("rates", "REVERSAL_RATES", defaults.Rates, ["legacy", "5m", "15m", "1h"]);
        var tolerance = Read("price-tolerance", "PRICE_TOLERANCE", defaults.PriceTolerance, Dec, v => v is >= 0m and < 1m, "a price difference from 0 to 1");
        var maxPrice = Read("max-price", "MAX_PRICE", defaults.MaxPrice, Dec, v => v is > 0m and < 1m, "a price between 0 and 1");
        var feeRate = Read("fee-rate", "FEE_RATE", defaults.FeeRate, Dec, v => v is >= 0m and < 1m, "a rate from 0 to 1");
        var journal = ReadText("journal", "JOURNAL_PATH", defaults.JournalPath, null);
        var killSwitch = ReadText("kill-switch", "KILL_SWITCH_FILE", defaults.KillSwitchFile, null);
        var filterOn = ReadText("selective-filter", "SELECTIVE_FILTER", "true", ["true", "false", "1", "0", "yes", "no"]) is "true" or "1" or "yes";
        var filter = SelectiveFilter.defaults;
        var maxDelay = Read("max-delay-ms", "SELECTIVE_MAX_DELAY_MS", filter.MaxDelayMs, Long, v => v >= 0, "whole milliseconds of at least 0");
        var minFill = Read("min-fill", "SELECTIVE_MIN_FILL_PRICE", filter.MinFillPrice, Dbl, v => v is >= 0 and <= 1, "a price from 0 to 1");
        var maxFill = Read("max-fill", "SELECTIVE_MAX_FILL_PRICE", filter.MaxFillPrice, Dbl, v => v is >= 0 and <= 1, "a price from 0 to 1");
        var maxMove = Read("max-price-move", "SELECTIVE_MAX_PRICE_MOVEMENT_PCT", filter.MaxPriceMovementPct, Dbl, v => v >= 0, "a percentage of at least 0");
        var maxSpread = Read("max-spread", "SELECTIVE_MAX_SPREAD", filter.MaxSpread, Dbl, v => v >= 0, "a spread of at least 0");
        var maxVolatility = Read("max-volatility", "SELECTIVE_MAX_VOLATILITY_FACTOR", filter.MaxVolatilityFactor, Dbl, v => v > 0, "a positive factor");
        var minDepth = Read("min-depth", "SELECTIVE_MIN_DEPTH_AT_BEST", filter.MinDepthAtBest, Dbl, v => v >= 0, "an amount of at least 0");
        if (minFill > maxFill)
        {
            errors.Add($"SELECTIVE_MIN_FILL_PRICE ({minFill}) is above SELECTIVE_MAX_FILL_PRICE ({maxFill}): the filter would refuse every copy.");
        }

        if (minBet > amount)
        {
            errors.Add($"MIN_BET ({minBet}) is larger than BET_AMOUNT ({amount}): no bet could be placed.");
        }

        var options = new TradingOptions
        {
            Live = live,
            Trigger = trigger,
            BetAmount = amount,
            MinBet = minBet,
            Bankroll = bankroll,
            BankrollOverride = bankrollFlag,
            Risk = new RiskLimits(maxBets, maxLoss, minBankroll, maxPosition, maxOpen),
            EntryWindow = TimeSpan.FromSeconds(entry),
            Sizing = sizing switch
            {
                "fixed" => SizingMode.Fixed,
                "fraction" => SizingMode.Fraction,
                _ => SizingMode.Kelly,
            },
            BankrollFraction = fraction,
            Rates = rates,
            PriceTolerance = tolerance,
            MaxPrice = maxPrice,
            FeeRate = feeRate,
            JournalPath = journal,
            KillSwitchFile = killSwitch,
            CopyFilter = filterOn
                ? new SelectiveFilterConfig(maxDelay, minFill, maxFill, maxMove, maxSpread, maxVolatility, minDepth)
                : null,
            Sources = sources,
        };
        return new TradingOptionsResult(options, errors);
    }

    private static bool ReadLive(
        IReadOnlyDictionary<string, string?> flags,
        IReadOnlyDictionary<string, string?> environment,
        IReadOnlyDictionary<string, string> dotEnv,
        Dictionary<string, OptionSource> sources,
        List<string> errors
    )
    {
        var live = flags.ContainsKey("live");
        var paper = flags.ContainsKey("paper");
        if (live && paper)
        {
            errors.Add("--live and --paper contradict each other; give one.");
        }

        if (live || paper)
        {
            sources["PAPER_TRADE"] = OptionSource.Flag;
            return live && !paper;
        }

        string? raw;
        if (environment.TryGetValue("PAPER_TRADE", out var e) && !string.IsNullOrWhiteSpace(e))
        {
            (raw, sources["PAPER_TRADE"]) = (e, OptionSource.Environment);
        }
        else if (dotEnv.TryGetValue("PAPER_TRADE", out var d) && !string.IsNullOrWhiteSpace(d))
        {
            (raw, sources["PAPER_TRADE"]) = (d, OptionSource.DotEnv);
        }
        else
        {
            sources["PAPER_TRADE"] = OptionSource.Default;
            return false;
        }

        switch (raw.Trim().ToLowerInvariant())
        {
            case "true":
                return false;
            case "false":
                return true;
            default:
                errors.Add($"PAPER_TRADE must be true or false, got '{raw}'.");
                return false;
        }
    }

    private static Dictionary<string, string?> ProcessEnvironment()
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string;
        }

        return variables;
    }
}

/// <summary>The <c>.env</c> values as a dictionary (the shared <see cref="Configuration.DotEnvFile"/> reader).</summary>
public static class DotEnv
{
    /// <summary>Parses <c>.env</c> text. Later lines win; blank, comment and malformed lines are skipped.</summary>
    /// <param name="text">The file's text.</param>
    /// <returns>Values by key.</returns>
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Configuration.DotEnvFile.Parse(text, out _))
        {
            values[key] = value;
        }

        return values;
    }
}
