using System.Globalization;
using Microsoft.Extensions.Logging;
using PolymarketAlgo.Executor.Crypto;
using PolymarketAlgo.Executor.Orders;
using PolymarketAlgo.Executor.Secrets;

namespace PolymarketAlgo.Executor.Configuration;

/// <summary>One setting: its key, the property it binds, how to parse and show it.</summary>
internal sealed class Setting
{
    private Setting(string key, string property, bool isSecret, Func<AlgoOptions, string, string?> apply, Func<AlgoOptions, string> show, string? alias = null)
    {
        Key = key;
        Alias = alias;
        Property = property;
        IsSecret = isSecret;
        Apply = apply;
        Show = show;
    }

    /// <summary>The environment-style key, for example <c>BET_AMOUNT</c>.</summary>
    public string Key { get; }

    /// <summary>Another key accepted for the same setting, or null.</summary>
    public string? Alias { get; }

    /// <summary>The <see cref="AlgoOptions"/> property name, for example <c>BetAmount</c>.</summary>
    public string Property { get; }

    /// <summary>Whether the value is secret (never shown, never echoed in errors).</summary>
    public bool IsSecret { get; }

    /// <summary>Parses raw text into the options; returns an error message (without the secret) or null.</summary>
    public Func<AlgoOptions, string, string?> Apply { get; }

    /// <summary>The effective value as text (redacted for secrets).</summary>
    public Func<AlgoOptions, string> Show { get; }

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Every setting, in display order.</summary>
    public static IReadOnlyList<Setting> All { get; } =
    [
        Url("CLOB_API", nameof(AlgoOptions.ClobApi), o => o.ClobApi, (o, v) => o.ClobApi = v, "http", "https"),
        Url("GAMMA_API", nameof(AlgoOptions.GammaApi), o => o.GammaApi, (o, v) => o.GammaApi = v, "http", "https"),
        Url("DATA_API", nameof(AlgoOptions.DataApi), o => o.DataApi, (o, v) => o.DataApi = v, "http", "https"),
        Url("WS_CLOB_URL", nameof(AlgoOptions.WsClobUrl), o => o.WsClobUrl, (o, v) => o.WsClobUrl = v, "ws", "wss"),
        Url("WS_USER_URL", nameof(AlgoOptions.WsUserUrl), o => o.WsUserUrl, (o, v) => o.WsUserUrl = v, "ws", "wss"),
        Whole("CHAIN_ID", nameof(AlgoOptions.ChainId), 1, long.MaxValue, o => o.ChainId, (o, v) => o.ChainId = v),
        new Setting(
            "PRIVATE_KEY",
            nameof(AlgoOptions.PrivateKey),
            isSecret: true,
            (o, raw) =>
            {
                if (raw.Length == 0)
                {
                    o.PrivateKey = null;
                    return null;
                }

                if (PrivateKey.TryParse(raw, out var key, out var reason))
                {
                    o.PrivateKey = key;
                    return null;
                }

                return new InvalidPrivateKeyException(reason).Message;
            },
            o => o.PrivateKey is null ? "" : $"<redacted> (address {o.PrivateKey.Address.Checksummed})",
            alias: "POLYMARKET_PRIVATE_KEY"),
        new Setting(
            "SIGNATURE_TYPE",
            nameof(AlgoOptions.SignatureType),
            isSecret: false,
            (o, raw) =>
            {
                if (int.TryParse(raw, NumberStyles.Integer, Invariant, out var value) && Enum.IsDefined(typeof(SignatureType), value))
                {
                    o.SignatureType = (SignatureType)value;
                    return null;
                }

                return $"must be 0 (EOA), 1 (proxy), 2 (Gnosis Safe) or 3 (deposit wallet); got '{raw}'";
            },
            o => ((int)o.SignatureType).ToString(Invariant)),
        new Setting(
            "FUNDER_ADDRESS",
            nameof(AlgoOptions.FunderAddress),
            isSecret: false,
            (o, raw) =>
            {
                if (raw.Length == 0)
                {
                    o.FunderAddress = null;
                    return null;
                }

                if (Address.TryParse(raw, out var address))
                {
                    o.FunderAddress = address;
                    return null;
                }

                return $"must be an address (0x + 40 hex digits, EIP-55 checksum if mixed-case); got '{raw}'";
            },
            o => o.FunderAddress?.Checksummed ?? ""),
        Flag("PAPER_TRADE", nameof(AlgoOptions.PaperTrade), o => o.PaperTrade, (o, v) => o.PaperTrade = v),
        Whole("STREAK_TRIGGER", nameof(AlgoOptions.StreakTrigger), 2, 1000, o => o.StreakTrigger, (o, v) => o.StreakTrigger = (int)v),
        Money("BET_AMOUNT", nameof(AlgoOptions.BetAmount), o => o.BetAmount, (o, v) => o.BetAmount = v),
        Money("MIN_BET", nameof(AlgoOptions.MinBet), o => o.MinBet, (o, v) => o.MinBet = v),
        Whole("MAX_DAILY_BETS", nameof(AlgoOptions.MaxDailyBets), 1, int.MaxValue, o => o.MaxDailyBets, (o, v) => o.MaxDailyBets = (int)v),
        Money("MAX_DAILY_LOSS", nameof(AlgoOptions.MaxDailyLoss), o => o.MaxDailyLoss, (o, v) => o.MaxDailyLoss = v),
        Whole("ENTRY_SECONDS_BEFORE", nameof(AlgoOptions.EntrySecondsBefore), 1, 299, o => o.EntrySecondsBefore, (o, v) => o.EntrySecondsBefore = (int)v),
        new Setting(
            "COPY_WALLETS",
            nameof(AlgoOptions.CopyWallets),
            isSecret: false,
            (o, raw) =>
            {
                var wallets = new List<Address>();
                foreach (var item in raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (!Address.TryParse(item, out var address))
                    {
                        return $"'{item}' is not an address (0x + 40 hex digits)";
                    }

                    wallets.Add(address);
                }

                o.CopyWallets = wallets;
                return null;
            },
            o => string.Join(",", o.CopyWallets.Select(a => a.Checksummed))),
        Seconds("COPY_POLL_INTERVAL", nameof(AlgoOptions.CopyPollInterval), o => o.CopyPollInterval, (o, v) => o.CopyPollInterval = v),
        Flag("USE_WEBSOCKET", nameof(AlgoOptions.UseWebsocket), o => o.UseWebsocket, (o, v) => o.UseWebsocket = v),
        Seconds("FAST_POLL_INTERVAL", nameof(AlgoOptions.FastPollInterval), o => o.FastPollInterval, (o, v) => o.FastPollInterval = v),
        Optional(Seconds("REST_TIMEOUT", nameof(AlgoOptions.RestTimeout), o => o.RestTimeout ?? TimeSpan.Zero, (o, v) => o.RestTimeout = v), o => o.RestTimeout is null),
        Optional(Whole("REST_RETRIES", nameof(AlgoOptions.RestRetries), 0, 100, o => o.RestRetries ?? 0, (o, v) => o.RestRetries = (int)v), o => o.RestRetries is null),
        Optional(
            Seconds("CIRCUIT_BREAKER_RECOVERY_TIME", nameof(AlgoOptions.CircuitBreakerRecoveryTime), o => o.CircuitBreakerRecoveryTime ?? TimeSpan.Zero, (o, v) => o.CircuitBreakerRecoveryTime = v),
            o => o.CircuitBreakerRecoveryTime is null),
        new Setting(
            "LOG_LEVEL",
            nameof(AlgoOptions.LogLevel),
            isSecret: false,
            (o, raw) =>
            {
                var level = raw.ToUpperInvariant() switch
                {
                    "DEBUG" => LogLevel.Debug,
                    "INFO" => LogLevel.Information,
                    "WARNING" or "WARN" => LogLevel.Warning,
                    "ERROR" => LogLevel.Error,
                    "CRITICAL" => LogLevel.Critical,
                    _ => Enum.TryParse<LogLevel>(raw, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed : (LogLevel?)null,
                };

                if (level is null)
                {
                    return $"must be DEBUG, INFO, WARNING, ERROR or CRITICAL; got '{raw}'";
                }

                o.LogLevel = level.Value;
                return null;
            },
            o => o.LogLevel.ToString()),
        Real("DELAY_MODEL_BASE_COEF", nameof(AlgoOptions.DelayModelBaseCoef), 0, double.PositiveInfinity, o => o.DelayModelBaseCoef, (o, v) => o.DelayModelBaseCoef = v),
        Real("DELAY_MODEL_MAX_IMPACT", nameof(AlgoOptions.DelayModelMaxImpact), 0, 100, o => o.DelayModelMaxImpact, (o, v) => o.DelayModelMaxImpact = v),
        Real("DELAY_MODEL_BASELINE_SPREAD", nameof(AlgoOptions.DelayModelBaselineSpread), 0, 1, o => o.DelayModelBaselineSpread, (o, v) => o.DelayModelBaselineSpread = v),
        Flag("SELECTIVE_FILTER", nameof(AlgoOptions.SelectiveFilter), o => o.SelectiveFilter, (o, v) => o.SelectiveFilter = v),
        Whole("SELECTIVE_MAX_DELAY_MS", nameof(AlgoOptions.SelectiveMaxDelayMs), 1, int.MaxValue, o => o.SelectiveMaxDelayMs, (o, v) => o.SelectiveMaxDelayMs = (int)v),
        Real("SELECTIVE_MIN_FILL_PRICE", nameof(AlgoOptions.SelectiveMinFillPrice), 0, 1, o => o.SelectiveMinFillPrice, (o, v) => o.SelectiveMinFillPrice = v),
        Real("SELECTIVE_MAX_FILL_PRICE", nameof(AlgoOptions.SelectiveMaxFillPrice), 0, 1, o => o.SelectiveMaxFillPrice, (o, v) => o.SelectiveMaxFillPrice = v),
        Real("SELECTIVE_MAX_PRICE_MOVEMENT_PCT", nameof(AlgoOptions.SelectiveMaxPriceMovementPct), 0, double.PositiveInfinity, o => o.SelectiveMaxPriceMovementPct, (o, v) => o.SelectiveMaxPriceMovementPct = v),
        Real("SELECTIVE_MAX_SPREAD", nameof(AlgoOptions.SelectiveMaxSpread), 0, 1, o => o.SelectiveMaxSpread, (o, v) => o.SelectiveMaxSpread = v),
        Real("SELECTIVE_MAX_VOLATILITY_FACTOR", nameof(AlgoOptions.SelectiveMaxVolatilityFactor), 0, double.PositiveInfinity, o => o.SelectiveMaxVolatilityFactor, (o, v) => o.SelectiveMaxVolatilityFactor = v),
        Real("SELECTIVE_MIN_DEPTH_AT_BEST", nameof(AlgoOptions.SelectiveMinDepthAtBest), 0, double.PositiveInfinity, o => o.SelectiveMinDepthAtBest, (o, v) => o.SelectiveMinDepthAtBest = v),
    ];

    /// <summary>Finds a setting by key, alias or property name, ignoring case and underscores.</summary>
    /// <param name="name">For example <c>BET_AMOUNT</c>, <c>bet_amount</c> or <c>BetAmount</c>.</param>
    /// <returns>The setting, or null.</returns>
    public static Setting? Find(string name)
    {
        var wanted = Normalise(name);
        return All.FirstOrDefault(s => Normalise(s.Key) == wanted || (s.Alias is not null && Normalise(s.Alias) == wanted));
    }

    private static string Normalise(string name) => name.Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>A setting whose empty text means "not set" (shown empty); other text goes through <paramref name="inner"/>.</summary>
    private static Setting Optional(Setting inner, Func<AlgoOptions, bool> isUnset) =>
        new(
            inner.Key,
            inner.Property,
            inner.IsSecret,
            (o, raw) => raw.Length == 0 ? null : inner.Apply(o, raw),
            o => isUnset(o) ? "" : inner.Show(o));

    private static Setting Url(string key, string property, Func<AlgoOptions, Uri> get, Action<AlgoOptions, Uri> set, params string[] schemes) =>
        new(
            key,
            property,
            isSecret: false,
            (o, raw) =>
            {
                if (Uri.TryCreate(raw, UriKind.Absolute, out var uri) && schemes.Contains(uri.Scheme) && uri.Host.Length > 0)
                {
                    set(o, uri);
                    return null;
                }

                return $"must be an absolute {string.Join(" or ", schemes)} URL; got '{raw}'";
            },
            o => get(o).ToString());

    private static Setting Whole(string key, string property, long min, long max, Func<AlgoOptions, long> get, Action<AlgoOptions, long> set) =>
        new(
            key,
            property,
            isSecret: false,
            (o, raw) =>
            {
                if (long.TryParse(raw, NumberStyles.Integer, Invariant, out var value) && value >= min && value <= max)
                {
                    set(o, value);
                    return null;
                }

                return max == long.MaxValue || max == int.MaxValue
                    ? $"must be a whole number of at least {min}; got '{raw}'"
                    : $"must be a whole number from {min} to {max}; got '{raw}'";
            },
            o => get(o).ToString(Invariant));

    private static Setting Money(string key, string property, Func<AlgoOptions, decimal> get, Action<AlgoOptions, decimal> set) =>
        new(
            key,
            property,
            isSecret: false,
            (o, raw) =>
            {
                if (decimal.TryParse(raw, NumberStyles.Number, Invariant, out var value) && value > 0)
                {
                    set(o, value);
                    return null;
                }

                return $"must be a positive dollar amount; got '{raw}'";
            },
            o => get(o).ToString(Invariant));

    private static Setting Real(string key, string property, double min, double max, Func<AlgoOptions, double> get, Action<AlgoOptions, double> set) =>
        new(
            key,
            property,
            isSecret: false,
            (o, raw) =>
            {
                if (double.TryParse(raw, NumberStyles.Float, Invariant, out var value) && value > min && value <= max)
                {
                    set(o, value);
                    return null;
                }

                return double.IsPositiveInfinity(max)
                    ? $"must be a number above {min.ToString(Invariant)}; got '{raw}'"
                    : $"must be a number above {min.ToString(Invariant)} and at most {max.ToString(Invariant)}; got '{raw}'";
            },
            o => get(o).ToString("R", Invariant));

    private static Setting Seconds(string key, string property, Func<AlgoOptions, TimeSpan> get, Action<AlgoOptions, TimeSpan> set) =>
        new(
            key,
            property,
            isSecret: false,
            (o, raw) =>
            {
                if (double.TryParse(raw, NumberStyles.Float, Invariant, out var value) && value > 0 && value <= 86400)
                {
                    set(o, TimeSpan.FromSeconds(value));
                    return null;
                }

                return $"must be a positive number of seconds (at most 86400); got '{raw}'";
            },
            o => get(o).TotalSeconds.ToString("R", Invariant));

    private static Setting Flag(string key, string property, Func<AlgoOptions, bool> get, Action<AlgoOptions, bool> set) =>
        new(
            key,
            property,
            isSecret: false,
            (o, raw) =>
            {
                switch (raw.ToLowerInvariant())
                {
                    case "true" or "1" or "yes" or "on":
                        set(o, true);
                        return null;
                    case "false" or "0" or "no" or "off":
                        set(o, false);
                        return null;
                    default:
                        return $"must be true or false; got '{raw}'";
                }
            },
            o => get(o) ? "true" : "false");
}
