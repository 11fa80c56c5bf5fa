using System.Runtime.CompilerServices;
using System.Text.Json;

namespace PolymarketAlgo.Executor.Recording;

/// <summary>
/// Reads messages written by <see cref="JsonlRecorder"/> from files or folders (a folder's
/// <c>*.jsonl</c> files in name order, which is time order). Lines that are not a complete record
/// (a torn last line after a crash) are skipped and counted. The message buffer is reused.
/// </summary>
public sealed class JsonlReplaySource
{
    private readonly string[] _paths;

    /// <summary>Creates a source.</summary>
    /// <param name="paths">Files or folders.</param>
    public JsonlReplaySource(params string[] paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        _paths = paths;
    }

    /// <summary>Lines skipped because they were not complete records.</summary>
    public long SkippedLines { get; private set; }

    /// <summary>The files read, in order.</summary>
    /// <returns>The file paths.</returns>
    public IReadOnlyList<string> Files() =>
        _paths
            .SelectMany(p =>
                Directory.Exists(p)
                    ? Directory.GetFiles(p, "*.jsonl").OrderBy(f => f, StringComparer.Ordinal)
                    : (IEnumerable<string>)[p]
            )
            .ToArray();

    /// <summary>Reads every message in order.</summary>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The messages; each one's buffer is valid until the next is read.</returns>
    public async IAsyncEnumerable<RecordedMessage> ReadAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        var raw = new byte[64 * 1024];
        foreach (var path in Files())
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            var start = 0;
            while (start < bytes.Length)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var newline = Array.IndexOf(bytes, (byte)'\n', start);
                var end = newline < 0 ? bytes.Length : newline;
                if (end > start)
                {
                    if (TryReadLine(bytes.AsSpan(start, end - start), ref raw, out var t, out var length))
                    {
                        yield return new RecordedMessage(t, raw.AsMemory(0, length));
                    }
                    else
                    {
                        SkippedLines++;
                    }
                }

                start = end + 1;
            }
        }
    }

    private static bool TryReadLine(ReadOnlySpan<byte> line, ref byte[] raw, out long t, out int length)
    {
        t = 0;
        length = 0;
        var haveT = false;
        var haveRaw = false;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("t"u8))
                {
                    reader.Read();
                    haveT = reader.TryGetInt64(out t);
                }
                else if (reader.ValueTextEquals("raw"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }

                    if (raw.Length < reader.ValueSpan.Length)
                    {
                        raw = new byte[reader.ValueSpan.Length * 2];
                    }

                    length = reader.CopyString(raw);
                    haveRaw = true;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return haveT && haveRaw && reader.TokenType == JsonTokenType.EndObject && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
