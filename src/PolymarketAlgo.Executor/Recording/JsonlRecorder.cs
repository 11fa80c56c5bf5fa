using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PolymarketAlgo.Executor.Recording;

/// <summary>Settings of a <see cref="JsonlRecorder"/>.</summary>
public sealed record JsonlRecorderOptions
{
    /// <summary>The folder the files go into (created if missing).</summary>
    public required string Directory { get; init; }

    /// <summary>The file name prefix; files are <c>{prefix}-{yyyyMMdd-HHmmss-fff}-{n}.jsonl</c>, so names sort by time.</summary>
    public string FilePrefix { get; init; } = "ws";

    /// <summary>Start a new file when the current one would pass this size.</summary>
    public long MaxFileBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Start a new file when the current one is this old.</summary>
    public TimeSpan MaxFileAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Also ask the OS to write each line to the disk (fsync), not just to hand it over; slower.</summary>
    public bool FlushToDisk { get; init; }
}

/// <summary>
/// Appends one JSON line per raw message, <c>{"t":&lt;receive ms&gt;,"raw":"&lt;the text&gt;"}</c>, to
/// files rotated by size and age. Each line is written with a single write and flushed, so a crash
/// leaves at most a torn last line, which <see cref="JsonlReplaySource"/> skips. Thread-safe.
/// </summary>
public sealed class JsonlRecorder : IRawFrameSink, IAsyncDisposable, IDisposable
{
    private readonly JsonlRecorderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<JsonlRecorder> _logger;
    private readonly Lock _gate = new();
    private readonly ArrayBufferWriter<byte> _line = new(4096);
    private readonly Utf8JsonWriter _writer;
    private FileStream? _file;
    private DateTimeOffset _openedAt;
    private int _sequence;
    private bool _disposed;

    /// <summary>Creates a recorder; the first file is opened on the first message.</summary>
    /// <param name="options">Settings.</param>
    /// <param name="timeProvider">The clock for rotation and file names.</param>
    /// <param name="logger">The logger.</param>
    public JsonlRecorder(
        JsonlRecorderOptions options,
        TimeProvider? timeProvider = null,
        ILogger<JsonlRecorder>? logger = null
    )
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxFileBytes);
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger<JsonlRecorder>.Instance;
        _writer = new Utf8JsonWriter(
            _line,
            new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true }
        );
        System.IO.Directory.CreateDirectory(options.Directory);
    }

    /// <summary>Lines written.</summary>
    public long LinesWritten { get; private set; }

    /// <summary>The files written so far, oldest first.</summary>
    public IReadOnlyList<string> Files => _files;

    private readonly List<string> _files = [];

    /// <inheritdoc />
    public void OnFrame(long receivedMs, ReadOnlySpan<byte> utf8) => Record(receivedMs, utf8);

    /// <summary>Appends one message.</summary>
    /// <param name="receivedMs">Receive time, Unix ms.</param>
    /// <param name="utf8">The raw text as UTF-8.</param>
    public void Record(long receivedMs, ReadOnlySpan<byte> utf8)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _line.ResetWrittenCount();
            _writer.Reset(_line);
            _writer.WriteStartObject();
            _writer.WriteNumber("t"u8, receivedMs);
            if (System.Text.Unicode.Utf8.IsValid(utf8))
            {
                _writer.WriteString("raw"u8, utf8);
            }
            else
            {
                _writer.WriteString("raw"u8, Encoding.UTF8.GetString(utf8));
            }

            _writer.WriteEndObject();
            _writer.Flush();
            _line.GetSpan(1)[0] = (byte)'\n';
            _line.Advance(1);

            var file = CurrentFile(_line.WrittenCount);
            file.Write(_line.WrittenSpan);
            file.Flush(_options.FlushToDisk);
            LinesWritten++;
        }
    }

    /// <summary>Records a text message.</summary>
    /// <param name="receivedMs">Receive time, Unix ms.</param>
    /// <param name="text">The raw text.</param>
    public void Record(long receivedMs, string text) => Record(receivedMs, Encoding.UTF8.GetBytes(text));

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _file?.Dispose();
            _file = null;
            _writer.Dispose();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private FileStream CurrentFile(int nextLineBytes)
    {
        var now = _time.GetUtcNow();
        if (
            _file is not null
            && (_file.Length + nextLineBytes > _options.MaxFileBytes || now - _openedAt >= _options.MaxFileAge)
            && _file.Length > 0
        )
        {
            _file.Dispose();
            _file = null;
        }

        if (_file is null)
        {
            var name = string.Create(
                CultureInfo.InvariantCulture,
                $"{_options.FilePrefix}-{now:yyyyMMdd-HHmmss-fff}-{_sequence++:D4}.jsonl"
            );
            var path = Path.Combine(_options.Directory, name);
            _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
            _openedAt = now;
            _files.Add(path);
            _logger.LogInformation("Recording to {Path}", path);
        }

        return _file;
    }
}
