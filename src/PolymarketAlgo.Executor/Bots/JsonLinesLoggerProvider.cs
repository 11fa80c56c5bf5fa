using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace PolymarketAlgo.Executor.Bots;

/// <summary>
/// Writes one JSON object per log event to a file (the bots' <c>--log-json</c>): time (UTC), level, category,
/// message, and the event's structured fields. Thread-safe; flushed per line so a killed process keeps its log.
/// </summary>
public sealed class JsonLinesLoggerProvider : ILoggerProvider
{
    private readonly StreamWriter _writer;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();

    /// <summary>Opens (appends to) the file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    public JsonLinesLoggerProvider(string path, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read))
        {
            AutoFlush = true,
        };
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new JsonLinesLogger(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _writer.Dispose();
        }
    }

    private void Write<TState>(string category, LogLevel level, TState state, Exception? exception, string message)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("time", _time.GetUtcNow().UtcDateTime.ToString("O"));
            json.WriteString("level", level.ToString());
            json.WriteString("category", category);
            json.WriteString("message", message);
            if (state is IEnumerable<KeyValuePair<string, object?>> fields)
            {
                foreach (var (key, value) in fields)
                {
                    if (key == "{OriginalFormat}")
                    {
                        continue;
                    }

                    var name = JsonNamingPolicy.SnakeCaseLower.ConvertName(key);
                    switch (value)
                    {
                        case null:
                            json.WriteNull(name);
                            break;
                        case decimal d:
                            json.WriteNumber(name, d);
                            break;
                        case double f when double.IsFinite(f):
                            json.WriteNumber(name, f);
                            break;
                        case int i:
                            json.WriteNumber(name, i);
                            break;
                        case long l:
                            json.WriteNumber(name, l);
                            break;
                        case bool b:
                            json.WriteBoolean(name, b);
                            break;
                        case DateTimeOffset t:
                            json.WriteString(name, t.UtcDateTime.ToString("O"));
                            break;
                        default:
                            json.WriteString(name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                            break;
                    }
                }
            }

            if (exception is not null)
            {
                json.WriteString("exception", exception.ToString());
            }

            json.WriteEndObject();
        }

        var line = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        lock (_gate)
        {
            _writer.WriteLine(line);
        }
    }

    private sealed class JsonLinesLogger(JsonLinesLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter
        )
        {
            if (IsEnabled(logLevel))
            {
                owner.Write(category, logLevel, state, exception, formatter(state, exception));
            }
        }
    }
}
