using System.Globalization;
using System.IO.Compression;
using System.Text.Json;

namespace PolymarketAlgo.Data;

/// <summary>
/// Loads resolved BTC up/down window histories: the felixdoteth enriched CSV
/// (<c>timestamp,date,hour_utc,minute,outcome,up_price,down_price,btc_open,btc_close,btc_change_pct</c>)
/// and Gamma market JSON lines (one market per line, optionally gzip-compressed, as in the
/// ligengxin96 day files). Problems raise <see cref="OutcomeFormatException"/> with file and line.
/// </summary>
public static class OutcomeHistoryLoader
{
    /// <summary>The window length of the btc-updown-5m markets.</summary>
    public static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    /// <summary>Loads either layout, detected from the content (a line starting with <c>{</c> is JSON lines).</summary>
    /// <param name="path">A CSV, JSONL or gzip-compressed JSONL file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The windows sorted by start, with gaps.</returns>
    public static async Task<OutcomeHistory> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var lines = await ReadLinesAsync(path, cancellationToken).ConfigureAwait(false);
        var first = lines.FirstOrDefault(l => !string.IsNullOrWhiteSpace(l));
        return first is not null && first.TrimStart().StartsWith('{') ? FromGammaLines(path, lines) : FromEnrichedCsv(path, lines);
    }

    /// <summary>Loads the felixdoteth enriched CSV (header required; <c>timestamp</c> and <c>outcome</c> columns mandatory).</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The windows sorted by start, with gaps.</returns>
    public static async Task<OutcomeHistory> LoadEnrichedCsvAsync(string path, CancellationToken cancellationToken = default) =>
        FromEnrichedCsv(path, await ReadLinesAsync(path, cancellationToken).ConfigureAwait(false));

    /// <summary>Loads Gamma market JSON lines (<c>.jsonl</c> or <c>.jsonl.gz</c>), one market per line.</summary>
    /// <param name="path">The JSON-lines file, plain or gzip-compressed.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The windows sorted by start, with gaps.</returns>
    public static async Task<OutcomeHistory> LoadGammaMarketsAsync(string path, CancellationToken cancellationToken = default) =>
        FromGammaLines(path, await ReadLinesAsync(path, cancellationToken).ConfigureAwait(false));

    private static async Task<string[]> ReadLinesAsync(string path, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        Stream stream = new MemoryStream(bytes, writable: false);
        if (bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        {
            stream = new GZipStream(stream, CompressionMode.Decompress);
        }

        using var reader = new StreamReader(stream);
        var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        return text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
    }

    private static OutcomeHistory FromEnrichedCsv(string path, string[] lines)
    {
        var headerIndex = Array.FindIndex(lines, l => !string.IsNullOrWhiteSpace(l));
        if (headerIndex < 0)
        {
            throw new OutcomeFormatException(path, 0, "the file is empty");
        }

        var names = lines[headerIndex].Split(',').Select(n => n.Trim().ToLowerInvariant()).ToArray();
        int Column(string name, bool required)
        {
            var index = Array.IndexOf(names, name);
            if (index < 0 && required)
            {
                throw new OutcomeFormatException(path, headerIndex + 1, $"the header has no '{name}' column");
            }

            return index;
        }

        var timestamp = Column("timestamp", true);
        var outcome = Column("outcome", true);
        var upPrice = Column("up_price", false);
        var downPrice = Column("down_price", false);
        var btcOpen = Column("btc_open", false);
        var btcClose = Column("btc_close", false);
        var windows = new List<OutcomeWindow>(lines.Length);
        var seen = new Dictionary<long, int>(lines.Length);
        for (var i = headerIndex + 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            var lineNo = i + 1;
            var fields = lines[i].Split(',');
            if (fields.Length != names.Length)
            {
                throw new OutcomeFormatException(path, lineNo, $"expected {names.Length} columns, found {fields.Length}");
            }

            if (!long.TryParse(fields[timestamp], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                || seconds is < 0 or > 253_402_300_799L)
            {
                throw new OutcomeFormatException(path, lineNo, $"timestamp: cannot read '{fields[timestamp]}' as unix seconds");
            }

            var result = fields[outcome].Trim().ToLowerInvariant() switch
            {
                "up" => MarketOutcome.Up,
                "down" => MarketOutcome.Down,
                _ => throw new OutcomeFormatException(path, lineNo, $"outcome: '{fields[outcome]}' is neither up nor down"),
            };
            CheckUnique(path, lineNo, seconds, seen);
            var start = DateTimeOffset.FromUnixTimeSeconds(seconds);
            windows.Add(new OutcomeWindow(
                start,
                start + FiveMinutes,
                $"btc-updown-5m-{seconds}",
                result,
                Decimal(path, lineNo, fields, upPrice, "up_price"),
                Decimal(path, lineNo, fields, downPrice, "down_price"),
                Double(path, lineNo, fields, btcOpen, "btc_open"),
                Double(path, lineNo, fields, btcClose, "btc_close"),
                null));
        }

        return Create(path, windows, FiveMinutes);
    }

    private static OutcomeHistory FromGammaLines(string path, string[] lines)
    {
        var windows = new List<OutcomeWindow>(lines.Length);
        var seen = new Dictionary<long, int>(lines.Length);
        TimeSpan? length = null;
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            var lineNo = i + 1;
            try
            {
                using var document = JsonDocument.Parse(lines[i]);
                var market = document.RootElement;
                var slug = market.GetProperty("slug").GetString() ?? throw new OutcomeFormatException(path, lineNo, "slug is null");
                var startSeconds = market.GetProperty("start_sec").GetInt64();
                var endSeconds = market.GetProperty("end_sec").GetInt64();
                var windowLength = TimeSpan.FromSeconds(endSeconds - startSeconds);
                if (windowLength <= TimeSpan.Zero || (length is { } l && l != windowLength))
                {
                    throw new OutcomeFormatException(path, lineNo, $"window length {windowLength} differs from the file's {length}");
                }

                length = windowLength;
                CheckUnique(path, lineNo, startSeconds, seen);
                var (outcome, up, down) = ReadOutcome(path, lineNo, market);
                decimal? strike = null;
                if (market.TryGetProperty("strike_value", out var strikeValue) && strikeValue.ValueKind == JsonValueKind.String)
                {
                    strike = decimal.Parse(strikeValue.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture) / 1_000_000_000_000_000_000m;
                }

                windows.Add(new OutcomeWindow(
                    DateTimeOffset.FromUnixTimeSeconds(startSeconds),
                    DateTimeOffset.FromUnixTimeSeconds(endSeconds),
                    slug,
                    outcome,
                    up,
                    down,
                    null,
                    null,
                    strike));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
            {
                throw new OutcomeFormatException(path, lineNo, $"not a Gamma market line: {e.Message}", e);
            }
        }

        return Create(path, windows, length ?? FiveMinutes);
    }

    /// <summary>Reads outcome_prices (["1","0"] = first outcome won) against the outcome names in raw.outcomes (default Up, Down).</summary>
    private static (MarketOutcome Outcome, decimal? Up, decimal? Down) ReadOutcome(string path, int lineNo, JsonElement market)
    {
        string[] names = ["Up", "Down"];
        if (market.TryGetProperty("raw", out var raw) && raw.ValueKind == JsonValueKind.Object
            && raw.TryGetProperty("outcomes", out var outcomes) && outcomes.ValueKind == JsonValueKind.String)
        {
            names = JsonSerializer.Deserialize<string[]>(outcomes.GetString()!) ?? names;
        }

        var upIndex = Array.FindIndex(names, n => n.Equals("Up", StringComparison.OrdinalIgnoreCase));
        var downIndex = Array.FindIndex(names, n => n.Equals("Down", StringComparison.OrdinalIgnoreCase));
        if (names.Length != 2 || upIndex < 0 || downIndex < 0)
        {
            throw new OutcomeFormatException(path, lineNo, $"outcomes are [{string.Join(", ", names)}], not Up and Down");
        }

        var resolved = market.TryGetProperty("resolved", out var r) && r.ValueKind == JsonValueKind.True;
        if (!market.TryGetProperty("outcome_prices", out var prices) || prices.ValueKind != JsonValueKind.Array || prices.GetArrayLength() != 2)
        {
            return (MarketOutcome.Unresolved, null, null);
        }

        var values = prices.EnumerateArray()
            .Select(p => decimal.Parse(p.ValueKind == JsonValueKind.String ? p.GetString()! : p.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture))
            .ToArray();
        var up = values[upIndex];
        var down = values[downIndex];
        var outcome = !resolved ? MarketOutcome.Unresolved
            : up == 1m && down == 0m ? MarketOutcome.Up
            : up == 0m && down == 1m ? MarketOutcome.Down
            : MarketOutcome.Unresolved;
        return (outcome, up, down);
    }

    private static void CheckUnique(string path, int lineNo, long startSeconds, Dictionary<long, int> seen)
    {
        if (!seen.TryAdd(startSeconds, lineNo))
        {
            throw new OutcomeFormatException(path, lineNo, $"the window starting at {startSeconds} already appears on line {seen[startSeconds]}");
        }
    }

    private static OutcomeHistory Create(string path, List<OutcomeWindow> windows, TimeSpan length)
    {
        try
        {
            return OutcomeHistory.Create(windows, length);
        }
        catch (ArgumentException e)
        {
            throw new OutcomeFormatException(path, 0, e.Message, e);
        }
    }

    private static decimal? Decimal(string path, int lineNo, string[] fields, int column, string name)
    {
        if (column < 0 || fields[column].Length == 0)
        {
            return null;
        }

        return decimal.TryParse(fields[column], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new OutcomeFormatException(path, lineNo, $"{name}: cannot read '{fields[column]}' as a number");
    }

    private static double? Double(string path, int lineNo, string[] fields, int column, string name)
    {
        if (column < 0 || fields[column].Length == 0)
        {
            return null;
        }

        return double.TryParse(fields[column], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new OutcomeFormatException(path, lineNo, $"{name}: cannot read '{fields[column]}' as a number");
    }
}
