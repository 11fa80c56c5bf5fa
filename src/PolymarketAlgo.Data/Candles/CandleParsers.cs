using System.Text;
using System.Text.Json;
using PolymarketAlgo.Core;

namespace PolymarketAlgo.Data;

/// <summary>One parsed file: its candles and the 1-based lines of its first and last data rows.</summary>
internal sealed record ParsedCandleFile(string Path, CandleColumns Candles, int FirstDataLine, int LastDataLine);

/// <summary>Span-based parsers for the candle file layouts; every error is a <see cref="CandleFormatException"/>.</summary>
internal static class CandleParsers
{
    private const int Time = 0;
    private const int Slots = 6;

    private static readonly string[] SlotNames = ["time", "open", "high", "low", "close", "volume"];
    private static readonly string[] TimeHeaders = ["open_time", "opentime", "time", "timestamp", "date", "datetime"];

    /// <summary>Detects the layout from the first non-blank bytes: <c>[</c> is freqtrade JSON, a digit first field a raw Binance CSV, anything else a header.</summary>
    public static CandleFileFormat Detect(string path, ReadOnlySpan<byte> bytes)
    {
        var start = SkipPreamble(bytes);
        if (start >= bytes.Length)
        {
            throw new CandleFormatException(path, 0, "the file is empty");
        }

        if (bytes[start] == (byte)'[')
        {
            return CandleFileFormat.FreqtradeJson;
        }

        var line = bytes[start..];
        var comma = line.IndexOfAny((byte)',', (byte)'\n', (byte)'\r');
        var first = comma < 0 ? line : line[..comma];
        return TextParsing.IsDigits(first) ? CandleFileFormat.BinanceRaw : CandleFileFormat.HeaderedCsv;
    }

    /// <summary>Parses one file's bytes in the given (or detected) layout.</summary>
    public static ParsedCandleFile Parse(string path, ReadOnlySpan<byte> bytes, CandleLoadOptions options)
    {
        var format = options.Format == CandleFileFormat.Auto ? Detect(path, bytes) : options.Format;
        return format switch
        {
            CandleFileFormat.BinanceRaw => ParseRawCsv(path, bytes),
            CandleFileFormat.HeaderedCsv => ParseHeaderedCsv(path, bytes, options.LocalTimeOffset),
            CandleFileFormat.FreqtradeJson => ParseFreqtradeJson(path, bytes),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Format, "unknown candle file format"),
        };
    }

    private static int SkipPreamble(ReadOnlySpan<byte> bytes)
    {
        var start = bytes.StartsWith("\uFEFF"u8) ? 3 : 0;
        while (start < bytes.Length && bytes[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start++;
        }

        return start;
    }

    private static ParsedCandleFile ParseRawCsv(string path, ReadOnlySpan<byte> bytes)
    {
        Span<int> slotOfColumn = stackalloc int[12];
        slotOfColumn.Fill(-1);
        for (var slot = 0; slot < Slots; slot++)
        {
            slotOfColumn[slot] = slot;
        }

        var start = bytes.StartsWith("\uFEFF"u8) ? 3 : 0;
        return ParseCsvRows(path, bytes, start, 0, slotOfColumn, SlotNames, allowTextTimes: false, TimeSpan.Zero);
    }

    private static ParsedCandleFile ParseHeaderedCsv(string path, ReadOnlySpan<byte> bytes, TimeSpan localOffset)
    {
        var start = bytes.StartsWith("\uFEFF"u8) ? 3 : 0;
        var lineNo = 0;
        ReadOnlySpan<byte> header = default;
        while (start < bytes.Length)
        {
            lineNo++;
            header = NextLine(bytes, ref start);
            if (!header.Trim(" \t"u8).IsEmpty)
            {
                break;
            }
        }

        if (header.Trim(" \t"u8).IsEmpty)
        {
            throw new CandleFormatException(path, 0, "the file is empty");
        }

        var names = Encoding.UTF8.GetString(header).Split(',');
        var slotOfColumn = new int[names.Length];
        Array.Fill(slotOfColumn, -1);
        for (var column = 0; column < names.Length; column++)
        {
            var name = names[column].Trim().Trim('"').ToLowerInvariant();
            var slot = Array.IndexOf(SlotNames, name, 1);
            if (slot < 0 && Array.IndexOf(TimeHeaders, name) >= 0)
            {
                slot = Time;
            }

            if (slot >= 0)
            {
                if (Array.IndexOf(slotOfColumn, slot) >= 0)
                {
                    throw new CandleFormatException(path, lineNo, $"the header names the {SlotNames[slot]} column twice");
                }

                slotOfColumn[column] = slot;
            }
        }

        for (var slot = 0; slot < Slots; slot++)
        {
            if (Array.IndexOf(slotOfColumn, slot) < 0)
            {
                var expected = slot == Time ? "a time column (open_time, time, timestamp, date or datetime)" : $"a '{SlotNames[slot]}' column";
                throw new CandleFormatException(path, lineNo, $"the header lacks {expected}: '{Encoding.UTF8.GetString(header)}'");
            }
        }

        var columnNames = names.Select(n => n.Trim()).ToArray();
        return ParseCsvRows(path, bytes, start, lineNo, slotOfColumn, columnNames, allowTextTimes: true, localOffset);
    }

    private static ReadOnlySpan<byte> NextLine(ReadOnlySpan<byte> bytes, scoped ref int pos)
    {
        var rest = bytes[pos..];
        var newline = rest.IndexOf((byte)'\n');
        var line = newline < 0 ? rest : rest[..newline];
        pos += newline < 0 ? rest.Length : newline + 1;
        return line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
    }

    private static ParsedCandleFile ParseCsvRows(
        string path,
        ReadOnlySpan<byte> bytes,
        int pos,
        int lineNo,
        ReadOnlySpan<int> slotOfColumn,
        string[] columnNames,
        bool allowTextTimes,
        TimeSpan localOffset)
    {
        var columns = slotOfColumn.Length;
        var lastNeeded = 0;
        for (var c = 0; c < columns; c++)
        {
            if (slotOfColumn[c] >= 0)
            {
                lastNeeded = c;
            }
        }

        var buffer = new CandleBuffer((bytes.Length - pos) / 48 + 16);
        Span<double> values = stackalloc double[Slots];
        var firstLine = 0;
        var lastLine = 0;
        while (pos < bytes.Length)
        {
            lineNo++;
            var line = NextLine(bytes, ref pos);
            if (line.IsEmpty)
            {
                continue;
            }

            var found = line.Count((byte)',') + 1;
            if (found != columns)
            {
                throw new CandleFormatException(path, lineNo, $"expected {columns} columns, found {found}");
            }

            long ticks = 0;
            var rest = line;
            for (var c = 0; c <= lastNeeded; c++)
            {
                var comma = rest.IndexOf((byte)',');
                var field = comma < 0 ? rest : rest[..comma];
                rest = comma < 0 ? default : rest[(comma + 1)..];
                var slot = slotOfColumn[c];
                if (slot == Time)
                {
                    if (!TextParsing.TryParseEpochTicks(field, out ticks)
                        && !(allowTextTimes && TextParsing.TryParseDateTimeTicks(field, localOffset, out ticks)))
                    {
                        throw new CandleFormatException(path, lineNo, $"{columnNames[c]}: cannot read {TextParsing.Quote(field)} as a time");
                    }
                }
                else if (slot > 0 && !TextParsing.TryParseDouble(field, out values[slot]))
                {
                    throw new CandleFormatException(path, lineNo, $"{columnNames[c]}: cannot read {TextParsing.Quote(field)} as a finite number");
                }
            }

            CheckOrder(path, lineNo, buffer, ticks);
            buffer.Add(ticks, values[1], values[2], values[3], values[4], values[5]);
            if (firstLine == 0)
            {
                firstLine = lineNo;
            }

            lastLine = lineNo;
        }

        return new ParsedCandleFile(path, buffer.ToColumns(), firstLine, lastLine);
    }

    private static void CheckOrder(string path, int lineNo, CandleBuffer buffer, long ticks)
    {
        if (buffer.Count > 0 && ticks <= buffer.LastTicks)
        {
            var what = ticks == buffer.LastTicks ? "duplicate time" : "time out of order";
            throw new CandleFormatException(
                path,
                lineNo,
                $"{what}: {TextParsing.Show(ticks)} is not after the previous row's {TextParsing.Show(buffer.LastTicks)}");
        }
    }

    private static ParsedCandleFile ParseFreqtradeJson(string path, ReadOnlySpan<byte> bytes)
    {
        var buffer = new CandleBuffer(bytes.Length / 48 + 16);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        Span<double> values = stackalloc double[Slots];
        var firstLine = 0;
        var lastLine = 0;
        var lines = new LineCounter();
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                throw new CandleFormatException(path, LineAt(bytes, reader.TokenStartIndex), "expected a JSON array of candle arrays");
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var rowStart = reader.TokenStartIndex;
                var row = buffer.Count + 1;
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new CandleFormatException(path, LineAt(bytes, rowStart), $"row {row}: expected an array [time, open, high, low, close, volume]");
                }

                long ticks = 0;
                var count = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.Number || count >= Slots)
                    {
                        throw new CandleFormatException(path, LineAt(bytes, rowStart), $"row {row}: expected 6 numbers [time, open, high, low, close, volume]");
                    }

                    if (count == Time)
                    {
                        if (!reader.TryGetInt64(out var epoch) || !TextParsing.TryEpochToTicks(epoch, out ticks))
                        {
                            throw new CandleFormatException(path, LineAt(bytes, rowStart), $"row {row}: cannot read {TextParsing.Quote(reader.ValueSpan)} as an epoch time");
                        }
                    }
                    else
                    {
                        values[count] = reader.GetDouble();
                        if (!double.IsFinite(values[count]))
                        {
                            throw new CandleFormatException(path, LineAt(bytes, rowStart), $"row {row}: {SlotNames[count]} is not finite");
                        }
                    }

                    count++;
                }

                if (count != Slots)
                {
                    throw new CandleFormatException(path, LineAt(bytes, rowStart), $"row {row}: expected 6 numbers, found {count}");
                }

                var lineNo = lines.At(bytes, rowStart);
                CheckOrder(path, lineNo, buffer, ticks);
                buffer.Add(ticks, values[1], values[2], values[3], values[4], values[5]);
                if (firstLine == 0)
                {
                    firstLine = lineNo;
                }

                lastLine = lineNo;
            }

            if (reader.TokenType != JsonTokenType.EndArray)
            {
                throw new CandleFormatException(path, LineAt(bytes, bytes.Length), "the JSON array is not closed");
            }
        }
        catch (JsonException e)
        {
            throw new CandleFormatException(path, (int)(e.LineNumber ?? 0) + 1, $"invalid JSON: {e.Message}", e);
        }

        return new ParsedCandleFile(path, buffer.ToColumns(), firstLine, lastLine);
    }

    private static int LineAt(ReadOnlySpan<byte> bytes, long index) =>
        bytes[..(int)Math.Min(index, bytes.Length)].Count((byte)'\n') + 1;

    /// <summary>Line numbers of increasing byte offsets, counting each newline once.</summary>
    private struct LineCounter
    {
        private int _index;
        private int _line;

        public int At(ReadOnlySpan<byte> bytes, long index)
        {
            var target = (int)Math.Min(index, bytes.Length);
            _line += bytes[_index..target].Count((byte)'\n');
            _index = target;
            return _line + 1;
        }
    }
}
