using System.Text;
using Parquet.Serialization;

namespace PolymarketAlgo.Executor.Recording;

/// <summary>
/// One row of the CronosVirus00 <c>book</c> recordings: receive time in Unix seconds, the market
/// slug, the asset id, the levels as JSON text and the raw market-channel message.
/// </summary>
public sealed class BookRecordingRow
{
    /// <summary>Receive time, Unix seconds.</summary>
#pragma warning disable IDE1006 // The Parquet column names are lower case.
    public double? timestamp { get; set; }

    /// <summary>The market slug, e.g. <c>btc-updown-5m-1776323700</c>.</summary>
    public string? slug { get; set; }

    /// <summary>The outcome token id.</summary>
    public string? asset_id { get; set; }

    /// <summary>The bids as JSON text.</summary>
    public string? bids { get; set; }

    /// <summary>The asks as JSON text.</summary>
    public string? asks { get; set; }

    /// <summary>The raw WebSocket message.</summary>
    public string? raw_data { get; set; }
#pragma warning restore IDE1006
}

/// <summary>Loads Parquet <c>book</c> recordings as replayable messages.</summary>
public static class ParquetBookRecording
{
    /// <summary>Reads the rows of Parquet files or folders (a folder's <c>*.parquet</c> files).</summary>
    /// <param name="paths">Files or folders.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The rows, file by file in name order, rows in file order.</returns>
    public static async Task<IReadOnlyList<BookRecordingRow>> ReadRowsAsync(
        IEnumerable<string> paths,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(paths);
        var rows = new List<BookRecordingRow>();
        var files = paths.SelectMany(p =>
            Directory.Exists(p)
                ? Directory.GetFiles(p, "*.parquet").OrderBy(f => f, StringComparer.Ordinal)
                : (IEnumerable<string>)[p]
        );
        foreach (var file in files)
        {
            await using var stream = File.OpenRead(file);
            var result = await ParquetSerializer
                .DeserializeAsync<BookRecordingRow>(stream, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            rows.AddRange(result.Data);
        }

        return rows;
    }

    /// <summary>
    /// Turns rows into messages ordered by receive time (a stable sort, so rows with equal times keep
    /// file order). Rows without raw data are left out.
    /// </summary>
    /// <param name="rows">The rows.</param>
    /// <returns>The messages.</returns>
    public static IReadOnlyList<RecordedMessage> ToMessages(IEnumerable<BookRecordingRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return rows.Where(r => r.raw_data is not null)
            .Select(r => new RecordedMessage(
                (long)Math.Round((r.timestamp ?? 0) * 1000.0),
                Encoding.UTF8.GetBytes(r.raw_data!)
            ))
            .OrderBy(m => m.ReceivedMs)
            .ToArray();
    }

    /// <summary>Reads Parquet recordings as messages ordered by receive time.</summary>
    /// <param name="paths">Files or folders.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The messages.</returns>
    public static async Task<IReadOnlyList<RecordedMessage>> ReadMessagesAsync(
        IEnumerable<string> paths,
        CancellationToken cancellationToken = default
    ) => ToMessages(await ReadRowsAsync(paths, cancellationToken).ConfigureAwait(false));
}
