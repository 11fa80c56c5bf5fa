using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Schema;
using PolymarketAlgo.Core;

namespace PolymarketAlgo.Data;

/// <summary>The file format of a <see cref="CandleStore"/>.</summary>
public enum CandleStorageFormat
{
    /// <summary>Parquet: <c>open_time</c> as a UTC timestamp (µs) and double <c>open, high, low, close, volume</c>.</summary>
    Parquet,

    /// <summary>CSV with a header <c>open_time,open,high,low,close,volume</c>; open_time as epoch ms (µs when needed), round-trip doubles.</summary>
    Csv,
}

/// <summary>
/// Candles kept on disk, one file per symbol and interval under a data folder, e.g.
/// <c>data/BTCUSDT_5m.parquet</c>. Writes are atomic (see <see cref="AtomicFile"/>) and reads return
/// exactly what was written.
/// </summary>
/// <remarks>
/// The monthly interval <c>1M</c> is stored as <c>1mo</c> so that it cannot collide with <c>1m</c> on
/// case-insensitive file systems. Times must be whole microseconds from 1973-03-03 on.
/// </remarks>
public sealed class CandleStore
{
    private static readonly string[] Columns = ["open_time", "open", "high", "low", "close", "volume"];

    private static readonly DateTimeDataField TimeField = new("open_time", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros);
    private static readonly DataField<double>[] ValueFields = Columns[1..].Select(name => new DataField<double>(name)).ToArray();
    private static readonly ParquetSchema Schema = new([TimeField, .. ValueFields]);

    /// <summary>Creates a store over <paramref name="dataDirectory"/> (created on first write).</summary>
    /// <param name="dataDirectory">The folder holding the files; <c>data</c> by default.</param>
    /// <param name="format">Parquet (default) or CSV.</param>
    public CandleStore(string dataDirectory = "data", CandleStorageFormat format = CandleStorageFormat.Parquet)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        DataDirectory = dataDirectory;
        Format = format;
    }

    /// <summary>The folder holding the candle files.</summary>
    public string DataDirectory { get; }

    /// <summary>The format of the files this store writes and reads.</summary>
    public CandleStorageFormat Format { get; }

    /// <summary>The file of a symbol and interval, e.g. <c>data/BTCUSDT_5m.parquet</c>.</summary>
    /// <param name="symbol">Exchange symbol, letters and digits only (e.g. <c>BTCUSDT</c>).</param>
    /// <param name="interval">Bar interval, letters and digits only (e.g. <c>5m</c>, <c>1M</c>).</param>
    /// <returns>The path of the file, which may not exist yet.</returns>
    public string PathFor(string symbol, string interval)
    {
        CheckName(symbol, nameof(symbol));
        CheckName(interval, nameof(interval));
        var intervalToken = interval.EndsWith('M') ? interval[..^1] + "mo" : interval;
        var extension = Format == CandleStorageFormat.Parquet ? ".parquet" : ".csv";
        return Path.Combine(DataDirectory, $"{symbol}_{intervalToken}{extension}");
    }

    /// <summary>Whether candles of a symbol and interval are stored.</summary>
    /// <param name="symbol">Exchange symbol.</param>
    /// <param name="interval">Bar interval.</param>
    /// <returns>True when the file exists.</returns>
    public bool Exists(string symbol, string interval) => File.Exists(PathFor(symbol, interval));

    /// <summary>Reads the stored candles of a symbol and interval.</summary>
    /// <param name="symbol">Exchange symbol.</param>
    /// <param name="interval">Bar interval.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The stored candles.</returns>
    /// <exception cref="FileNotFoundException">Nothing is stored for the symbol and interval.</exception>
    public Task<CandleColumns> ReadAsync(string symbol, string interval, CancellationToken cancellationToken = default) =>
        ReadFileAsync(PathFor(symbol, interval), cancellationToken);

    /// <summary>Reads the stored candles of a symbol and interval, or no candles when none are stored.</summary>
    /// <param name="symbol">Exchange symbol.</param>
    /// <param name="interval">Bar interval.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The stored candles, or <see cref="CandleSeries.Empty"/> when the file does not exist.</returns>
    public Task<CandleColumns> ReadOrEmptyAsync(string symbol, string interval, CancellationToken cancellationToken = default) =>
        Exists(symbol, interval) ? ReadAsync(symbol, interval, cancellationToken) : Task.FromResult(CandleSeries.Empty);

    /// <summary>Replaces the stored candles of a symbol and interval atomically.</summary>
    /// <param name="symbol">Exchange symbol.</param>
    /// <param name="interval">Bar interval.</param>
    /// <param name="candles">Candles with strictly increasing times.</param>
    /// <param name="cancellationToken">Cancels the write, leaving the previous file.</param>
    /// <returns>A task that completes once the file is in place.</returns>
    public Task WriteAsync(string symbol, string interval, CandleColumns candles, CancellationToken cancellationToken = default) =>
        WriteFileAsync(PathFor(symbol, interval), candles, cancellationToken);

    /// <summary>Writes candles atomically to a file; a <c>.csv</c> extension writes CSV, anything else Parquet.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="candles">Candles with strictly increasing times.</param>
    /// <param name="cancellationToken">Cancels the write, leaving the previous file.</param>
    /// <returns>A task that completes once the file is in place.</returns>
    public static Task WriteFileAsync(string path, CandleColumns candles, CancellationToken cancellationToken = default)
    {
        CheckStorable(candles, nameof(candles));
        return IsCsv(path)
            ? AtomicFile.WriteAsync(path, (stream, ct) => WriteCsvAsync(stream, candles, ct), cancellationToken)
            : AtomicFile.WriteAsync(path, (stream, ct) => WriteParquetAsync(stream, candles, ct), cancellationToken);
    }

    /// <summary>Reads a candle file written by this store; a <c>.csv</c> extension reads CSV, anything else Parquet.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The candles in the file.</returns>
    /// <exception cref="CandleFormatException">The file does not hold candles in the store's layout.</exception>
    public static async Task<CandleColumns> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        if (IsCsv(path))
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            var options = new CandleLoadOptions { Format = CandleFileFormat.HeaderedCsv };
            return CandleParsers.Parse(Path.GetFullPath(path), bytes, options).Candles;
        }

        return await ReadParquetAsync(path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes candles as Parquet to a stream (one row group).</summary>
    /// <param name="stream">A writable, seekable stream; left open.</param>
    /// <param name="candles">The candles to write.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes once the Parquet footer is written.</returns>
    public static async Task WriteParquetAsync(Stream stream, CandleColumns candles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        CheckStorable(candles, nameof(candles));
        var writer = await ParquetWriter.CreateAsync(Schema, stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            using var group = writer.CreateRowGroup();
            var times = new DateTime[candles.Length];
            for (var i = 0; i < times.Length; i++)
            {
                times[i] = candles.Time[i].UtcDateTime;
            }

            await group.WriteAsync<DateTime>(TimeField, times, cancellationToken: cancellationToken).ConfigureAwait(false);
            double[][] values = [candles.Open, candles.High, candles.Low, candles.Close, candles.Volume];
            for (var c = 0; c < ValueFields.Length; c++)
            {
                await group.WriteAsync<double>(ValueFields[c], values[c], cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<CandleColumns> ReadParquetAsync(string path, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        var reader = await ParquetReader.CreateAsync(full, cancellationToken: cancellationToken).ConfigureAwait(false);
        using (reader as IDisposable)
        {
            var fields = reader.Schema.GetDataFields();
            var byName = Columns.Select(name => fields.FirstOrDefault(f => f.Name == name)
                                                ?? throw new CandleFormatException(full, 0, $"the Parquet file has no '{name}' column")).ToArray();
            var parts = new List<CandleColumns>(reader.RowGroupCount);
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var n = checked((int)group.RowCount);
                var times = new DateTime[n];
                await group.ReadAsync<DateTime>(byName[0], times, cancellationToken: cancellationToken).ConfigureAwait(false);
                var values = new double[5][];
                for (var c = 0; c < values.Length; c++)
                {
                    values[c] = new double[n];
                    await group.ReadAsync<double>(byName[c + 1], values[c], cancellationToken: cancellationToken).ConfigureAwait(false);
                }

                var time = new DateTimeOffset[n];
                for (var i = 0; i < n; i++)
                {
                    time[i] = new DateTimeOffset(times[i].Ticks, TimeSpan.Zero);
                }

                parts.Add(new CandleColumns(time, values[0], values[1], values[2], values[3], values[4]));
            }

            var candles = parts.Count == 1 ? parts[0] : CandleSeries.Concat(parts);
            try
            {
                CandleSeries.Validate(candles);
            }
            catch (ArgumentException e)
            {
                throw new CandleFormatException(full, 0, e.Message, e);
            }

            return candles;
        }
    }

    private static async Task WriteCsvAsync(Stream stream, CandleColumns candles, CancellationToken cancellationToken)
    {
        var unit = TimeUnitFor(candles.Time);
        var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteAsync("open_time,open,high,low,close,volume\n").ConfigureAwait(false);
            var line = new StringBuilder(128);
            for (var i = 0; i < candles.Length; i++)
            {
                if ((i & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var sinceEpoch = candles.Time[i].UtcTicks - DateTimeOffset.UnixEpoch.Ticks;
                line.Clear()
                    .Append(CultureInfo.InvariantCulture, $"{sinceEpoch / unit},{candles.Open[i]:R},{candles.High[i]:R},")
                    .Append(CultureInfo.InvariantCulture, $"{candles.Low[i]:R},{candles.Close[i]:R},{candles.Volume[i]:R}\n");
                await writer.WriteAsync(line, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Ticks per written time unit: ms when every time is whole ms, else µs.</summary>
    private static long TimeUnitFor(DateTimeOffset[] times)
    {
        foreach (var t in times)
        {
            if (t.UtcTicks % TimeSpan.TicksPerMillisecond != 0)
            {
                return TimeSpan.TicksPerMicrosecond;
            }
        }

        return TimeSpan.TicksPerMillisecond;
    }

    /// <summary>Checks the candles and that their times are storable exactly: whole µs, from 1973-03-03 on (epoch ms ≥ 1e11).</summary>
    private static void CheckStorable(CandleColumns candles, string paramName)
    {
        CandleSeries.Validate(candles, paramName);
        var earliest = DateTimeOffset.UnixEpoch.Ticks + 100_000_000_000L * TimeSpan.TicksPerMillisecond;
        foreach (var t in candles.Time)
        {
            if (t.UtcTicks < earliest)
            {
                throw new ArgumentException($"{t:O} is before 1973-03-03, which epoch-ms files cannot tell from seconds", paramName);
            }

            if (t.UtcTicks % TimeSpan.TicksPerMicrosecond != 0)
            {
                throw new ArgumentException($"{t:O} has sub-microsecond precision, which the store does not keep", paramName);
            }
        }
    }

    private static bool IsCsv(string path) => path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);

    private static void CheckName(string value, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, paramName);
        foreach (var ch in value)
        {
            if (!char.IsAsciiLetterOrDigit(ch))
            {
                throw new ArgumentException($"'{value}' must hold only ASCII letters and digits", paramName);
            }
        }
    }
}
