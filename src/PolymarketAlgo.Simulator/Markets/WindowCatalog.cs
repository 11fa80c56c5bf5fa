using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using PolymarketAlgo.Executor.Crypto;
using PolymarketAlgo.Simulator.Data;

namespace PolymarketAlgo.Simulator.Markets;

/// <summary>
/// Every btc-updown-5m window the simulator can serve, built on demand from the recorded data. A window the data
/// has a Gamma object for keeps its real ids and outcome; a recorded book window keeps its real condition id and
/// asset; any other window gets ids derived from its slug. Every window replays one recorded book window: its own
/// when recorded, otherwise one chosen by its start. Thread-safe.
/// </summary>
public sealed class WindowCatalog
{
    /// <summary>The taker fee rate used when a Gamma object carries no fee schedule (crypto, late May 2026).</summary>
    public const decimal DefaultFeeRate = 0.07m;

    private readonly RecordedData _data;
    private readonly JsonObject[] _templates;
    private readonly ConcurrentDictionary<long, MarketWindow> _windows = new();
    private readonly ConcurrentDictionary<string, (MarketWindow Window, int Outcome)> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, MarketWindow> _conditions = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the catalog and registers every recorded window.</summary>
    /// <param name="data">The recorded data.</param>
    public WindowCatalog(RecordedData data)
    {
        _data = data ?? throw new ArgumentNullException(nameof(data));
        _templates = data.GammaMarkets.Values.OrderBy(m => m.StartUnixSeconds).Select(m => m.Raw).ToArray();
        foreach (var start in data.GammaMarkets.Keys.Concat(data.BookWindows.Select(b => b.StartUnixSeconds)))
        {
            Get(start);
        }
    }

    /// <summary>The recorded data.</summary>
    public RecordedData Data => _data;

    /// <summary>The window starting at a time.</summary>
    /// <param name="startUnixSeconds">A multiple of 300.</param>
    /// <returns>The window.</returns>
    /// <exception cref="ArgumentException">The start is not on the 5-minute grid.</exception>
    public MarketWindow Get(long startUnixSeconds)
    {
        if (startUnixSeconds % MarketWindow.LengthSeconds != 0)
        {
            throw new ArgumentException($"{startUnixSeconds} is not a multiple of 300.", nameof(startUnixSeconds));
        }

        return _windows.TryGetValue(startUnixSeconds, out var window) ? window : Register(Build(startUnixSeconds));
    }

    /// <summary>Builds and registers every window whose start lies in a range (so token and condition lookups find them).</summary>
    /// <param name="fromUnixSeconds">The first start (rounded down to the grid).</param>
    /// <param name="toUnixSeconds">The last start.</param>
    public void Materialize(long fromUnixSeconds, long toUnixSeconds)
    {
        for (var start = Floor(fromUnixSeconds); start <= toUnixSeconds; start += MarketWindow.LengthSeconds)
        {
            Get(start);
        }
    }

    /// <summary>Finds a registered window by one of its token ids.</summary>
    /// <param name="tokenId">The token id.</param>
    /// <param name="window">The window.</param>
    /// <returns>Whether the token is known.</returns>
    public bool TryGetByToken(string? tokenId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MarketWindow? window)
    {
        window = tokenId is not null && _tokens.TryGetValue(tokenId, out var entry) ? entry.Window : null;
        return window is not null;
    }

    /// <summary>Finds a registered window by its condition id.</summary>
    /// <param name="conditionId">The condition id.</param>
    /// <param name="window">The window.</param>
    /// <returns>Whether the condition id is known.</returns>
    public bool TryGetByCondition(string? conditionId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MarketWindow? window)
    {
        window = conditionId is not null && _conditions.TryGetValue(conditionId, out var found) ? found : null;
        return window is not null;
    }

    /// <summary>The registered windows, by start.</summary>
    /// <returns>The windows.</returns>
    public IReadOnlyList<MarketWindow> Registered() => _windows.Values.OrderBy(w => w.StartUnixSeconds).ToArray();

    /// <summary>The start of the window holding an instant.</summary>
    /// <param name="unixSeconds">The instant.</param>
    /// <returns>The window start.</returns>
    public static long Floor(long unixSeconds) => unixSeconds - (((unixSeconds % 300) + 300) % 300);

    private MarketWindow Register(MarketWindow window)
    {
        var registered = _windows.GetOrAdd(window.StartUnixSeconds, window);
        _tokens.TryAdd(registered.UpTokenId, (registered, 0));
        _tokens.TryAdd(registered.DownTokenId, (registered, 1));
        _conditions.TryAdd(registered.ConditionId, registered);
        return registered;
    }

    private MarketWindow Build(long start)
    {
        var slug = RecordedData.SlugPrefix + start.ToString(CultureInfo.InvariantCulture);
        var ownBooks = _data.BookWindows.FirstOrDefault(b => b.StartUnixSeconds == start);
        var books = ownBooks ?? _data.BookWindows[(int)((start / MarketWindow.LengthSeconds) % _data.BookWindows.Count)];
        bool? recordedOutcome = _data.Outcomes.TryGetValue(start, out var upWon) ? upWon : null;

        if (_data.GammaMarkets.TryGetValue(start, out var gamma))
        {
            var outcome = gamma.UpWon ?? recordedOutcome;
            var source = gamma.UpWon is not null ? gamma.Source : recordedOutcome is not null ? "polymarket_btc_5m_enriched.csv" : Implied(books);
            return new MarketWindow(
                start,
                gamma.ConditionId,
                (string?)gamma.Raw["questionID"] ?? Derive(slug, "question"),
                (string?)gamma.Raw["id"] ?? GammaIdOf(start),
                gamma.UpTokenId,
                gamma.DownTokenId,
                books,
                outcome ?? books.AssetWon,
                source,
                gamma.Raw,
                recordedIdentity: true,
                Decimal(gamma.Raw["orderPriceMinTickSize"]) ?? 0.01m,
                Decimal(gamma.Raw["orderMinSize"]) ?? 5m,
                Decimal(gamma.Raw["feeSchedule"]?["rate"]) ?? DefaultFeeRate,
                (int)(Decimal(gamma.Raw["feeSchedule"]?["exponent"]) ?? 1m));
        }

        var template = _templates.Length > 0 ? _templates[(int)((start / MarketWindow.LengthSeconds) % _templates.Length)] : new JsonObject();
        var feeRate = Decimal(template["feeSchedule"]?["rate"]) ?? DefaultFeeRate;
        var feeExponent = (int)(Decimal(template["feeSchedule"]?["exponent"]) ?? 1m);
        if (ownBooks is not null)
        {
            // The recording holds one asset, taken as the first (Up) token; the Down token id is derived.
            return new MarketWindow(
                start,
                ownBooks.ConditionId,
                Derive(slug, "question"),
                GammaIdOf(start),
                ownBooks.AssetId,
                TokenIdOf(slug, "Down"),
                ownBooks,
                recordedOutcome ?? ownBooks.AssetWon,
                recordedOutcome is not null ? "polymarket_btc_5m_enriched.csv" : Implied(ownBooks),
                template,
                recordedIdentity: true,
                0.01m,
                5m,
                feeRate,
                feeExponent);
        }

        // Alternate which outcome the recorded asset plays, so synthetic windows resolve both ways.
        var assetIsUp = (start / MarketWindow.LengthSeconds / _data.BookWindows.Count) % 2 == 0;
        return new MarketWindow(
            start,
            Derive(slug, "condition"),
            Derive(slug, "question"),
            GammaIdOf(start),
            TokenIdOf(slug, "Up"),
            TokenIdOf(slug, "Down"),
            books,
            recordedOutcome ?? (assetIsUp ? books.AssetWon : !books.AssetWon),
            recordedOutcome is not null ? "polymarket_btc_5m_enriched.csv" : Implied(books),
            template,
            recordedIdentity: false,
            0.01m,
            5m,
            feeRate,
            feeExponent);
    }

    private static string Implied(RecordedBookWindow books) => "implied by the final recorded book of " + books.Slug;

    private static string GammaIdOf(long start) => (start / MarketWindow.LengthSeconds).ToString(CultureInfo.InvariantCulture);

    private static string Derive(string slug, string purpose) =>
        Hex.Encode(Keccak256.Hash(Encoding.UTF8.GetBytes("polymarket-algo-sim:" + purpose + ":" + slug)));

    private static string TokenIdOf(string slug, string outcome) =>
        new BigInteger(Keccak256.Hash(Encoding.UTF8.GetBytes("polymarket-algo-sim:token:" + outcome + ":" + slug)), isUnsigned: true, isBigEndian: true)
            .ToString(CultureInfo.InvariantCulture);

    private static decimal? Decimal(JsonNode? node) =>
        node switch
        {
            JsonValue value when value.TryGetValue<decimal>(out var d) => d,
            JsonValue value when value.TryGetValue<double>(out var f) => (decimal)f,
            JsonValue value when value.TryGetValue<string>(out var s)
                && decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
}
