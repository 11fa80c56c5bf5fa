using PolymarketAlgo.Core;

namespace PolymarketAlgo.Data;

/// <summary>
/// Loads candle files in every layout found in the shared data: Binance raw 12-column CSVs (times in
/// ms or µs), headered CSVs (Binance futures, local-time exports) and freqtrade JSON. A folder or a
/// file-name glob loads every matching file, parsed in parallel, and concatenates them in time order.
/// </summary>
/// <remarks>
/// Rows must be strictly increasing in time within a file and files must not overlap; anything else
/// (a malformed row, an unsorted or duplicate time) raises <see cref="CandleFormatException"/> naming
/// the file and the 1-based line. Gaps are kept as they are: nothing is filled in.
/// </remarks>
public static class CandleLoader
{
    private static readonly string[] FolderExtensions = [".csv", ".json"];

    /// <summary>
    /// Loads a file, every <c>.csv</c>/<c>.json</c> file of a folder, or the files matching a glob in the
    /// file-name part (e.g. <c>data/binance/btcusdt_spot_5m/*.csv</c>), concatenated in time order.
    /// </summary>
    /// <param name="path">A file, a folder or a glob whose wildcards (<c>*</c>, <c>?</c>) are in the last segment.</param>
    /// <param name="options">Format and local time offset; <see cref="CandleLoadOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops the parse between files.</param>
    /// <returns>The candles of all files, strictly increasing in time.</returns>
    /// <exception cref="CandleFormatException">A row is malformed, times are unsorted or duplicated, or two files overlap.</exception>
    /// <exception cref="FileNotFoundException">The path matches no file.</exception>
    public static CandleColumns Load(string path, CandleLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var files = ResolveFiles(path);
        options ??= CandleLoadOptions.Default;
        var parsed = new ParsedCandleFile[files.Count];
        var failures = new Exception?[files.Count];
        var parallel = new ParallelOptions { CancellationToken = cancellationToken };
        Parallel.For(0, files.Count, parallel, i =>
        {
            try
            {
                parsed[i] = CandleParsers.Parse(files[i], File.ReadAllBytes(files[i]), options);
            }
            catch (Exception e) when (e is CandleFormatException or IOException or UnauthorizedAccessException)
            {
                failures[i] = e;
            }
        });

        var failure = failures.FirstOrDefault(f => f is not null);
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        return Concatenate(parsed);
    }

    /// <summary>Loads like <see cref="Load"/> on a worker thread.</summary>
    /// <param name="path">A file, a folder or a glob whose wildcards are in the last segment.</param>
    /// <param name="options">Format and local time offset; <see cref="CandleLoadOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops the parse between files.</param>
    /// <returns>The candles of all files, strictly increasing in time.</returns>
    public static Task<CandleColumns> LoadAsync(string path, CandleLoadOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => Load(path, options, cancellationToken), cancellationToken);

    /// <summary>Detects the layout of a file from its first bytes.</summary>
    /// <param name="path">The file to inspect.</param>
    /// <returns><see cref="CandleFileFormat.FreqtradeJson"/> when it starts with <c>[</c>, <see cref="CandleFileFormat.BinanceRaw"/> when its first field is a number, else <see cref="CandleFileFormat.HeaderedCsv"/>.</returns>
    public static CandleFileFormat DetectFormat(string path)
    {
        using var stream = File.OpenRead(path);
        var head = new byte[4096];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return CandleParsers.Detect(path, head.AsSpan(0, read));
    }

    /// <summary>The files a path stands for, sorted by name: the file itself, a folder's .csv/.json files, or a glob's matches.</summary>
    /// <param name="path">A file, a folder or a glob whose wildcards are in the last segment.</param>
    /// <returns>Full paths, at least one.</returns>
    /// <exception cref="FileNotFoundException">The path matches no file.</exception>
    public static IReadOnlyList<string> ResolveFiles(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string[] files;
        if (Directory.Exists(path))
        {
            files = Directory.EnumerateFiles(path)
                .Where(f => FolderExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .ToArray();
        }
        else if (Path.GetFileName(path).AsSpan().IndexOfAny('*', '?') >= 0)
        {
            var folder = Path.GetDirectoryName(path);
            folder = string.IsNullOrEmpty(folder) ? "." : folder;
            if (folder.AsSpan().IndexOfAny('*', '?') >= 0)
            {
                throw new ArgumentException($"wildcards are only supported in the file name: {path}", nameof(path));
            }

            files = Directory.Exists(folder) ? Directory.GetFiles(folder, Path.GetFileName(path)) : [];
        }
        else
        {
            files = File.Exists(path) ? [path] : [];
        }

        if (files.Length == 0)
        {
            throw new FileNotFoundException($"no candle file matches {path}", path);
        }

        Array.Sort(files, StringComparer.Ordinal);
        return files.Select(Path.GetFullPath).ToArray();
    }

    private static CandleColumns Concatenate(ParsedCandleFile[] parsed)
    {
        if (parsed.Length == 1)
        {
            return parsed[0].Candles;
        }

        var ordered = parsed.Where(p => p.Candles.Length > 0).OrderBy(p => p.Candles.Time[0]).ToArray();
        for (var i = 1; i < ordered.Length; i++)
        {
            var previous = ordered[i - 1];
            var next = ordered[i];
            if (next.Candles.Time[0] <= previous.Candles.Time[^1])
            {
                throw new CandleFormatException(
                    next.Path,
                    next.FirstDataLine,
                    $"starts at {next.Candles.Time[0]:u}, not after the last bar {previous.Candles.Time[^1]:u} of {previous.Path} (overlapping or duplicate files)");
            }
        }

        return CandleSeries.Concat(ordered.Select(p => p.Candles).ToArray());
    }
}
