using System.Collections;
using System.Text.Json;
using PolymarketAlgo.Executor.Orders;

namespace PolymarketAlgo.Executor.Configuration;

/// <summary>
/// The effective configuration: <see cref="AlgoOptions"/> bound from defaults, <c>appsettings.json</c>, <c>.env</c>,
/// the environment and command-line overrides (later sources win), every setting with its source, and every
/// error found (malformed values, unknown keys in the settings file or the overrides, inconsistent settings).
/// Load it once at start and stop on <see cref="IsValid"/> false; secrets never appear in entries or errors.
/// </summary>
public sealed class AlgoConfiguration
{
    private AlgoConfiguration(AlgoOptions options, IReadOnlyList<ConfigurationEntry> entries, IReadOnlyList<ConfigurationError> errors)
    {
        Options = options;
        Entries = entries;
        Errors = errors;
    }

    /// <summary>The bound options (settings with errors keep their defaults).</summary>
    public AlgoOptions Options { get; }

    /// <summary>Every setting in display order with its effective value (secrets redacted) and source.</summary>
    public IReadOnlyList<ConfigurationEntry> Entries { get; }

    /// <summary>Every problem found; empty when the configuration is usable.</summary>
    public IReadOnlyList<ConfigurationError> Errors { get; }

    /// <summary>Whether there are no errors.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>The options, or an exception listing every error.</summary>
    /// <returns>The validated options.</returns>
    /// <exception cref="AlgoConfigurationException">The configuration has errors.</exception>
    public AlgoOptions ValidOptions() => IsValid ? Options : throw new AlgoConfigurationException(Errors);

    /// <summary>Loads and validates the configuration.</summary>
    /// <param name="sources">Where to read from; null reads <c>./appsettings.json</c> and <c>./.env</c> when present and the process environment.</param>
    /// <returns>The configuration with its errors.</returns>
    public static AlgoConfiguration Load(ConfigurationSources? sources = null)
    {
        sources ??= new ConfigurationSources();
        var errors = new List<ConfigurationError>();
        var raw = new Dictionary<Setting, (string Value, ConfigurationSource Source)>();

        void Take(string key, string value, ConfigurationSource source, bool unknownIsError, string origin)
        {
            var setting = Setting.Find(key);
            if (setting is not null)
            {
                raw[setting] = (value.Trim(), source);
            }
            else if (unknownIsError)
            {
                errors.Add(new ConfigurationError(key, $"unknown setting in {origin}"));
            }
        }

        foreach (var (key, value) in ReadSettingsFile(sources.SettingsFile, errors))
        {
            Take(key, value, ConfigurationSource.SettingsFile, unknownIsError: true, "the settings file");
        }

        foreach (var (key, value) in ReadDotEnv(sources.DotEnvFile, errors))
        {
            Take(key, value, ConfigurationSource.DotEnv, unknownIsError: false, ".env");
        }

        foreach (var (key, value) in sources.Environment ?? ProcessEnvironment())
        {
            Take(key, value, ConfigurationSource.Environment, unknownIsError: false, "the environment");
        }

        foreach (var (key, value) in sources.Overrides ?? new Dictionary<string, string>())
        {
            Take(key, value, ConfigurationSource.Override, unknownIsError: true, "the command line");
        }

        var options = new AlgoOptions();
        foreach (var setting in Setting.All)
        {
            if (raw.TryGetValue(setting, out var entry) && setting.Apply(options, entry.Value) is { } message)
            {
                errors.Add(new ConfigurationError(setting.Key, $"{message} (from {Describe(entry.Source)})"));
            }
        }

        errors.AddRange(CrossCheck(options));

        var entries = Setting.All
            .Select(s => new ConfigurationEntry(
                s.Key,
                s.Show(options),
                raw.TryGetValue(s, out var entry) ? entry.Source : ConfigurationSource.Default,
                s.IsSecret))
            .ToList();

        return new AlgoConfiguration(options, entries, errors);
    }

    private static IEnumerable<ConfigurationError> CrossCheck(AlgoOptions options)
    {
        if (options.MinBet > options.BetAmount)
        {
            yield return new ConfigurationError("MIN_BET", $"must not exceed BET_AMOUNT ({options.MinBet} > {options.BetAmount})");
        }

        if (options.SelectiveMinFillPrice > options.SelectiveMaxFillPrice)
        {
            yield return new ConfigurationError(
                "SELECTIVE_MIN_FILL_PRICE",
                $"must not exceed SELECTIVE_MAX_FILL_PRICE ({options.SelectiveMinFillPrice} > {options.SelectiveMaxFillPrice})");
        }

        if (options.SignatureType is SignatureType.PolyProxy or SignatureType.PolyGnosisSafe && options.FunderAddress is null)
        {
            yield return new ConfigurationError("FUNDER_ADDRESS", $"is required with SIGNATURE_TYPE {(int)options.SignatureType} (the wallet that holds the funds)");
        }

        if (!options.PaperTrade && options.PrivateKey is null)
        {
            yield return new ConfigurationError("PRIVATE_KEY", "is required when PAPER_TRADE is false (live trading)");
        }
    }

    private static string Describe(ConfigurationSource source) => source switch
    {
        ConfigurationSource.SettingsFile => "the settings file",
        ConfigurationSource.DotEnv => ".env",
        ConfigurationSource.Environment => "the environment",
        ConfigurationSource.Override => "the command line",
        _ => "the defaults",
    };

    private static Dictionary<string, string> ProcessEnvironment()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                values[key] = value;
            }
        }

        return values;
    }

    /// <summary>The file to read: the given path (which must exist) or the default name when it exists.</summary>
    private static string? Locate(string? given, string defaultName, List<ConfigurationError> errors)
    {
        if (given is not null)
        {
            if (File.Exists(given))
            {
                return given;
            }

            errors.Add(new ConfigurationError(Path.GetFileName(given), $"file '{given}' does not exist"));
            return null;
        }

        return File.Exists(defaultName) ? defaultName : null;
    }

    private static IEnumerable<KeyValuePair<string, string>> ReadDotEnv(string? given, List<ConfigurationError> errors)
    {
        var path = Locate(given, ".env", errors);
        if (path is null)
        {
            return [];
        }

        var values = DotEnvFile.Parse(File.ReadAllText(path), out var problems);
        errors.AddRange(problems.Select(p => new ConfigurationError(Path.GetFileName(path), p)));
        return values;
    }

    private static List<KeyValuePair<string, string>> ReadSettingsFile(string? given, List<ConfigurationError> errors)
    {
        var values = new List<KeyValuePair<string, string>>();
        var path = Locate(given, "appsettings.json", errors);
        if (path is null)
        {
            return values;
        }

        var name = Path.GetFileName(path);
        try
        {
            using var document = JsonDocument.Parse(
                File.ReadAllText(path),
                new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });

            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new ConfigurationError(name, "must hold one JSON object"));
                return values;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                var text = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Number => property.Value.GetRawText(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    JsonValueKind.Array => string.Join(",", property.Value.EnumerateArray().Select(Scalar)),
                    _ => null,
                };

                if (text is not null)
                {
                    values.Add(new KeyValuePair<string, string>(property.Name, text));
                }
            }
        }
        catch (JsonException e)
        {
            errors.Add(new ConfigurationError(name, $"is not valid JSON (line {e.LineNumber + 1})"));
        }

        return values;
    }

    private static string Scalar(JsonElement element) =>
        element.ValueKind == JsonValueKind.String ? element.GetString() ?? "" : element.GetRawText();
}
