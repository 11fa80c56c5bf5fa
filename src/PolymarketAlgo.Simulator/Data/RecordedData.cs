using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using PolymarketAlgo.Executor.Books;
using PolymarketAlgo.Executor.Recording;

namespace PolymarketAlgo.Simulator.Data;

/// <summary>
/// The recorded real data the simulator replays (shared/data/polymarket, see SOURCES.md): the CronosVirus00
/// Parquet <c>book</c> recordings, the Ligengxin96 day of Gamma market objects with outcomes, the nautilus
/// Gamma fixtures, the felixdoteth outcome history and the py-sdk Data API fixtures.
/// </summary>
public sealed class RecordedData
{
    /// <summary>The slug prefix of the BTC 5-minute up/down markets.</summary>
    public const string SlugPrefix = "btc-updown-5m-";

    private RecordedData(
        IReadOnlyList<RecordedBookWindow> bookWindows,
        IReadOnlyDictionary<long, RecordedGammaMarket> gammaMarkets,
        IReadOnlyDictionary<long, bool> outcomes,
        IReadOnlyList<JsonObject> fixtureActivity,
        IReadOnlyList<JsonObject> fixtureTrades)
    {
        BookWindows = bookWindows;
        GammaMarkets = gammaMarkets;
        Outcomes = outcomes;
        FixtureActivity = fixtureActivity;
        FixtureTrades = fixtureTrades;
    }

    /// <summary>The recorded book windows, ordered by start.</summary>
    public IReadOnlyList<RecordedBookWindow> BookWindows { get; }

    /// <summary>Recorded Gamma market objects by window start.</summary>
    public IReadOnlyDictionary<long, RecordedGammaMarket> GammaMarkets { get; }

    /// <summary>Recorded outcomes (true = Up won) by window start, from the outcome history file.</summary>
    public IReadOnlyDictionary<long, bool> Outcomes { get; }

    /// <summary>Data API activity rows of real wallets (py-sdk fixtures), converted to the v1 camelCase shape.</summary>
    public IReadOnlyList<JsonObject> FixtureActivity { get; }

    /// <summary>Data API trade rows of real wallets (py-sdk fixtures), converted to the v1 camelCase shape.</summary>
    public IReadOnlyList<JsonObject> FixtureTrades { get; }

    /// <summary>
    /// Loads the data under <paramref name="directory"/>: the shared <c>data/polymarket</c> folder, or a folder that
    /// holds it. Only the book recordings are required.
    /// </summary>
    /// <param name="directory">The data folder.</param>
    /// <param name="cancellationToken">Stops loading.</param>
    /// <returns>The data.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder, or its book recordings, do not exist.</exception>
    public static async Task<RecordedData> LoadAsync(string directory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var root = Directory.Exists(Path.Combine(directory, "polymarket")) ? Path.Combine(directory, "polymarket") : directory;
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"The data folder {directory} does not exist.");
        }

        var parquet = Path.Combine(root, "cronosvirus00_btc5m_book_parquet");
        if (!Directory.Exists(parquet) || Directory.GetFiles(parquet, "*.parquet").Length == 0)
        {
            throw new DirectoryNotFoundException($"No book recordings (*.parquet) under {parquet}.");
        }

        var rows = await ParquetBookRecording.ReadRowsAsync([parquet], cancellationToken).ConfigureAwait(false);
        var books = BookWindowsOf(rows);
        var outcomes = ReadOutcomes(Path.Combine(root, "btc_updown_5m_outcomes_felixdoteth", "polymarket_btc_5m_enriched.csv"));
        var gamma = new Dictionary<long, RecordedGammaMarket>();
        foreach (var file in FilesIn(Path.Combine(root, "ligengxin96_btc5m_day_samples"), "BTC-5m-markets-*.jsonl.gz"))
        {
            foreach (var market in ReadDayFile(file))
            {
                gamma[market.StartUnixSeconds] = market;
            }
        }

        var nautilus = Path.Combine(root, "nautilus_trader", "crates_test_data");
        foreach (var file in FilesIn(nautilus, "gamma_market*.json"))
        {
            if (ReadGammaFixture(file, outcomes) is { } market && !gamma.ContainsKey(market.StartUnixSeconds))
            {
                gamma[market.StartUnixSeconds] = market;
            }
        }

        var fixtures = Path.Combine(root, "polymarket_py_sdk_fixtures_data_v2");
        return new RecordedData(
            books,
            gamma,
            outcomes,
            ReadFixtureRows(Path.Combine(fixtures, "activity.json")),
            ReadFixtureRows(Path.Combine(fixtures, "trades.json")));
    }

    /// <summary>The window start of a btc-updown-5m slug.</summary>
    /// <param name="slug">The slug.</param>
    /// <param name="startUnixSeconds">The start, when the slug is one.</param>
    /// <returns>Whether the slug is a btc-updown-5m slug with a start on the 5-minute grid.</returns>
    public static bool TryParseSlug(string? slug, out long startUnixSeconds)
    {
        startUnixSeconds = 0;
        return slug is not null
            && slug.StartsWith(SlugPrefix, StringComparison.Ordinal)
            && long.TryParse(slug.AsSpan(SlugPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out startUnixSeconds)
            && startUnixSeconds % 300 == 0;
    }

    private static IEnumerable<string> FilesIn(string directory, string pattern) =>
        Directory.Exists(directory) ? Directory.GetFiles(directory, pattern).Order(StringComparer.Ordinal) : [];

    private static List<RecordedBookWindow> BookWindowsOf(IReadOnlyList<BookRecordingRow> rows)
    {
        var windows = new List<RecordedBookWindow>();
        foreach (var group in rows.Where(r => r.raw_data is not null && r.timestamp is not null).GroupBy(r => r.slug ?? ""))
        {
            if (!TryParseSlug(group.Key, out var start))
            {
                continue;
            }

            // A stable sort: rows with equal receive times keep file order.
            var ordered = group.OrderBy(r => r.timestamp!.Value).ToArray();
            var assetId = ordered[0].asset_id ?? "";
            var snapshots = ordered
                .Where(r => r.asset_id == assetId)
                .Select(r => new RecordedBookSnapshot(
                    (long)Math.Round(r.timestamp!.Value * 1000.0) - start * 1000,
                    ParseLevels(r.bids),
                    ParseLevels(r.asks),
                    HashOf(r.raw_data!)))
                .ToArray();
            windows.Add(new RecordedBookWindow(group.Key, start, MarketOf(ordered[0].raw_data!), assetId, snapshots));
        }

        return windows.OrderBy(w => w.StartUnixSeconds).ToList();
    }

    private static PriceLevel[] ParseLevels(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        var levels = new List<PriceLevel>(128);
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        decimal price = 0, size = 0;
        string? property = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    property = reader.GetString();
                    break;
                case JsonTokenType.String or JsonTokenType.Number:
                    var value = reader.TokenType == JsonTokenType.Number
                        ? reader.GetDecimal()
                        : decimal.Parse(reader.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture);
                    if (property == "price")
                    {
                        price = value;
                    }
                    else if (property == "size")
                    {
                        size = value;
                    }

                    break;
                case JsonTokenType.EndObject:
                    levels.Add(new PriceLevel(price, size));
                    break;
            }
        }

        return levels.ToArray();
    }

    private static string MarketOf(string raw)
    {
        using var document = JsonDocument.Parse(raw);
        return document.RootElement.TryGetProperty("market", out var market) ? market.GetString() ?? "" : "";
    }

    private static string HashOf(string raw)
    {
        const string key = "\"hash\":\"";
        var at = raw.IndexOf(key, StringComparison.Ordinal);
        if (at < 0)
        {
            return "";
        }

        var end = raw.IndexOf('"', at + key.Length);
        return end < 0 ? "" : raw[(at + key.Length)..end];
    }

    private static Dictionary<long, bool> ReadOutcomes(string path)
    {
        var outcomes = new Dictionary<long, bool>();
        if (!File.Exists(path))
        {
            return outcomes;
        }

        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var fields = line.Split(',');
            if (fields.Length > 4 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
            {
                outcomes[start] = fields[4] == "up";
            }
        }

        return outcomes;
    }

    private static IEnumerable<RecordedGammaMarket> ReadDayFile(string path)
    {
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || JsonNode.Parse(line) is not JsonObject record || record["raw"] is not JsonObject raw)
            {
                continue;
            }

            var slug = (string?)record["slug"];
            var tokens = record["token_ids"]?.AsArray();
            if (!TryParseSlug(slug, out var start) || tokens is not { Count: 2 })
            {
                continue;
            }

            var resolved = (bool?)record["resolved"] == true;
            var prices = record["outcome_prices"] as JsonArray;
            bool? upWon = resolved && prices is { Count: 2 } ? (string?)prices[0] == "1" : null;
            yield return new RecordedGammaMarket(
                slug!,
                start,
                (string?)record["condition_id"] ?? "",
                (string?)tokens[0] ?? "",
                (string?)tokens[1] ?? "",
                raw,
                upWon,
                Path.GetFileName(path));
        }
    }

    private static RecordedGammaMarket? ReadGammaFixture(string path, IReadOnlyDictionary<long, bool> outcomes)
    {
        if (JsonNode.Parse(File.ReadAllText(path)) is not JsonObject raw || !TryParseSlug((string?)raw["slug"], out var start))
        {
            return null;
        }

        var tokens = JsonNode.Parse((string?)raw["clobTokenIds"] ?? "[]") as JsonArray;
        if (tokens is not { Count: 2 })
        {
            return null;
        }

        return new RecordedGammaMarket(
            (string)raw["slug"]!,
            start,
            (string?)raw["conditionId"] ?? "",
            (string?)tokens[0] ?? "",
            (string?)tokens[1] ?? "",
            raw,
            outcomes.TryGetValue(start, out var upWon) ? upWon : null,
            Path.GetFileName(path));
    }

    private static List<JsonObject> ReadFixtureRows(string path)
    {
        if (!File.Exists(path) || JsonNode.Parse(File.ReadAllText(path)) is not JsonArray rows)
        {
            return [];
        }

        return rows.OfType<JsonObject>().Select(ToCamelCase).ToList();
    }

    /// <summary>Converts a v2 snake_case row to the v1 camelCase shape (<c>token_id</c> becomes <c>asset</c>).</summary>
    private static JsonObject ToCamelCase(JsonObject row)
    {
        var result = new JsonObject();
        foreach (var (name, value) in row)
        {
            var key = name switch
            {
                "token_id" => "asset",
                _ => CamelCase(name),
            };
            result[key] = value?.DeepClone();
        }

        return result;
    }

    private static string CamelCase(string snake)
    {
        var parts = snake.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
    }
}
