namespace PolymarketAlgo.Executor.Configuration;

/// <summary>Where a setting's effective value came from, lowest precedence first.</summary>
public enum ConfigurationSource
{
    /// <summary>The built-in default (the original toolkit's).</summary>
    Default = 0,

    /// <summary><c>appsettings.json</c>.</summary>
    SettingsFile = 1,

    /// <summary>The <c>.env</c> file.</summary>
    DotEnv = 2,

    /// <summary>A process environment variable (wins over <c>.env</c>, like python-dotenv).</summary>
    Environment = 3,

    /// <summary>A command-line flag (wins over everything).</summary>
    Override = 4,
}

/// <summary>One setting as it takes effect: its key, its value as text (secrets redacted) and where it came from.</summary>
/// <param name="Key">The setting's key, for example <c>BET_AMOUNT</c>.</param>
/// <param name="Value">The effective value as text; a secret shows only whether it is set.</param>
/// <param name="Source">Where the value came from.</param>
/// <param name="IsSecret">Whether the value is a secret (always redacted).</param>
public sealed record ConfigurationEntry(string Key, string Value, ConfigurationSource Source, bool IsSecret);

/// <summary>A setting that is malformed or inconsistent; the message never repeats a secret.</summary>
/// <param name="Key">The setting's key, or the file name for a file that could not be read.</param>
/// <param name="Message">What is wrong and what is expected.</param>
public sealed record ConfigurationError(string Key, string Message)
{
    /// <summary>"KEY: message".</summary>
    /// <returns>The error on one line.</returns>
    public override string ToString() => $"{Key}: {Message}";
}

/// <summary>
/// Where <see cref="AlgoConfiguration.Load"/> reads settings from. Precedence, lowest first: defaults,
/// <see cref="SettingsFile"/>, <see cref="DotEnvFile"/>, <see cref="Environment"/>, <see cref="Overrides"/>.
/// </summary>
public sealed class ConfigurationSources
{
    /// <summary>
    /// The JSON settings file: an object whose keys are setting keys (<c>BET_AMOUNT</c>) or property names
    /// (<c>BetAmount</c>); nested objects (other components' sections such as <c>Logging</c>) are ignored and an
    /// unknown key is an error. Null: <c>appsettings.json</c> in the current directory when it exists; a path
    /// given here must exist.
    /// </summary>
    public string? SettingsFile { get; init; }

    /// <summary>
    /// The dotenv file (<c>KEY=VALUE</c> lines; <c>#</c> comments, <c>export</c> and quotes allowed; keys that are
    /// not settings are ignored). Null: <c>.env</c> in the current directory when it exists; a path given here must exist.
    /// </summary>
    public string? DotEnvFile { get; init; }

    /// <summary>The environment variables; null reads the process environment. Keys that are not settings are ignored.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Values given on the command line; an unknown key is an error.</summary>
    public IReadOnlyDictionary<string, string>? Overrides { get; init; }
}

/// <summary>Thrown by <see cref="AlgoConfiguration.ValidOptions"/> when the configuration has errors.</summary>
public sealed class AlgoConfigurationException : Exception
{
    /// <summary>Creates the exception from the configuration's errors.</summary>
    /// <param name="errors">At least one error.</param>
    public AlgoConfigurationException(IReadOnlyList<ConfigurationError> errors)
        : base(Describe(errors)) => Errors = errors;

    /// <summary>Every error found.</summary>
    public IReadOnlyList<ConfigurationError> Errors { get; }

    private static string Describe(IReadOnlyList<ConfigurationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count == 1
            ? $"invalid configuration: {errors[0]}"
            : $"invalid configuration ({errors.Count} errors): {string.Join("; ", errors)}";
    }
}
