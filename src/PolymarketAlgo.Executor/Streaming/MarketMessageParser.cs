using System.Text.Json;
using PolymarketAlgo.Executor.Books;

namespace PolymarketAlgo.Executor.Streaming;

/// <summary>
/// Parses CLOB WebSocket frames (market and user channel) into events for a
/// <see cref="MarketEventHandler"/>. A frame may be one event object or a JSON array of them.
/// Unknown event types and malformed frames or events are counted in <see cref="Statistics"/> and
/// skipped; parsing never throws for bad input (exceptions thrown by the handler do propagate).
/// </summary>
/// <remarks>
/// Hot events (<c>book</c>, <c>price_change</c> in both formats, <c>last_trade_price</c>,
/// <c>tick_size_change</c>, <c>best_bid_ask</c>) are parsed into reused scratch state and passed
/// as structs or a reused <see cref="BookMessage"/>, so steady-state parsing does not allocate
/// once the ids have been interned. A strict scanner handles the common unescaped shape and falls
/// back to <see cref="Utf8JsonReader"/> for anything else. One parser per connection: not thread-safe.
/// </remarks>
public sealed class MarketMessageParser
{
    private readonly EventBuilder _builder;
    private byte[] _unescaped = new byte[256];

    /// <summary>Creates a parser.</summary>
    /// <param name="ids">The id table to intern token and condition ids into; a new one when null.</param>
    public MarketMessageParser(AssetIdTable? ids = null)
    {
        Ids = ids ?? new AssetIdTable();
        _builder = new EventBuilder(Ids);
    }

    /// <summary>The id table.</summary>
    public AssetIdTable Ids { get; }

    /// <summary>The counters.</summary>
    public ParserStatistics Statistics { get; } = new();

    /// <summary>Parses one frame and dispatches its events.</summary>
    /// <param name="utf8Frame">The frame's UTF-8 text.</param>
    /// <param name="handler">Receives the events.</param>
    /// <returns>False when the frame was malformed (events before the error may have been dispatched).</returns>
    public bool Parse(ReadOnlySpan<byte> utf8Frame, MarketEventHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Statistics.Frames++;
        var scanner = new FastScanner(utf8Frame, 0);
        var first = scanner.PeekNonWs();
        var position = scanner.Position;
        bool ok;
        if (first == '{')
        {
            ok = ParseObjectAt(utf8Frame, ref position, handler);
        }
        else if (first == '[')
        {
            ok = ParseArray(utf8Frame, position + 1, out position, handler);
        }
        else
        {
            ok = false;
        }

        if (ok)
        {
            var tail = new FastScanner(utf8Frame, position);
            ok = tail.AtEnd();
        }

        if (!ok)
        {
            Statistics.MalformedFrames++;
        }

        return ok;
    }

    private bool ParseArray(ReadOnlySpan<byte> frame, int position, out int end, MarketEventHandler handler)
    {
        end = position;
        var scanner = new FastScanner(frame, position);
        if (scanner.PeekNonWs() == ']')
        {
            end = scanner.Position + 1;
            return true;
        }

        while (true)
        {
            var c = scanner.PeekNonWs();
            position = scanner.Position;
            if (c != '{' || !ParseObjectAt(frame, ref position, handler))
            {
                return false;
            }

            scanner = new FastScanner(frame, position);
            c = scanner.PeekNonWs();
            scanner.Advance();
            if (c == ']')
            {
                end = scanner.Position;
                return true;
            }

            if (c != ',')
            {
                return false;
            }
        }
    }

    /// <summary>Parses the object at <paramref name="position"/> and moves past it.</summary>
    private bool ParseObjectAt(ReadOnlySpan<byte> frame, ref int position, MarketEventHandler handler)
    {
        var start = position;
        var scanner = new FastScanner(frame, start);
        if (scanner.ParseEvent(_builder))
        {
            position = scanner.Position;
            _builder.Dispatch(handler, frame[start..position], Statistics);
            return true;
        }

        // The strict scanner gave up: read the object with Utf8JsonReader, which also reports real errors.
        try
        {
            var reader = new Utf8JsonReader(frame[start..], new JsonReaderOptions { MaxDepth = 64 });
            ReadObject(ref reader);
            position = start + (int)reader.BytesConsumed;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }

        _builder.Dispatch(handler, frame[start..position], Statistics);
        return true;
    }

    private void ReadObject(ref Utf8JsonReader reader)
    {
        Read(ref reader);
        Expect(ref reader, JsonTokenType.StartObject);
        _builder.Reset();
        while (true)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return;
            }

            var field = EventBuilder.Lookup(Unescaped(ref reader));
            Read(ref reader);
            switch (field)
            {
                case Field.Bids:
                case Field.Asks:
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        ReadLevels(ref reader, field == Field.Bids ? BookSide.Bid : BookSide.Ask);
                    }
                    else
                    {
                        SkipKnown(ref reader);
                    }

                    break;
                case Field.PriceChanges:
                case Field.Changes:
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        ReadChanges(ref reader);
                    }
                    else
                    {
                        SkipKnown(ref reader);
                    }

                    break;
                case Field.Unknown:
                    reader.Skip();
                    break;
                default:
                    if (IsScalar(reader.TokenType))
                    {
                        _builder.SetTop(field, KindOf(reader.TokenType), Unescaped(ref reader));
                    }
                    else
                    {
                        reader.Skip();
                        _builder.Fail();
                    }

                    break;
            }
        }
    }

    private void ReadLevels(ref Utf8JsonReader reader, BookSide side)
    {
        while (true)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                _builder.Fail();
                continue;
            }

            _builder.BeginLevel();
            while (true)
            {
                Read(ref reader);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                var f = EventBuilder.Lookup(Unescaped(ref reader));
                Read(ref reader);
                if (f is Field.Price or Field.Size && IsScalar(reader.TokenType))
                {
                    _builder.SetLevel(f, KindOf(reader.TokenType), Unescaped(ref reader));
                }
                else
                {
                    if (f is Field.Price or Field.Size)
                    {
                        _builder.Fail();
                    }

                    reader.Skip();
                }
            }

            _builder.EndLevel(side);
        }
    }

    private void ReadChanges(ref Utf8JsonReader reader)
    {
        while (true)
        {
            Read(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                _builder.Fail();
                continue;
            }

            _builder.BeginChange();
            while (true)
            {
                Read(ref reader);
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    break;
                }

                var f = EventBuilder.Lookup(Unescaped(ref reader));
                Read(ref reader);
                var known = f is Field.AssetId or Field.Price or Field.Size or Field.Side or Field.Hash or Field.BestBid or Field.BestAsk;
                if (known && IsScalar(reader.TokenType))
                {
                    _builder.SetChange(f, KindOf(reader.TokenType), Unescaped(ref reader));
                }
                else
                {
                    if (known)
                    {
                        _builder.Fail();
                    }

                    reader.Skip();
                }
            }

            _builder.EndChange();
        }
    }

    private void SkipKnown(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.Null)
        {
            _builder.Fail();
        }

        reader.Skip();
    }

    /// <summary>The current token's text with escapes resolved (property names and strings); raw bytes for other tokens.</summary>
    private ReadOnlySpan<byte> Unescaped(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return reader.ValueSpan;
        }

        if (_unescaped.Length < reader.ValueSpan.Length)
        {
            _unescaped = new byte[reader.ValueSpan.Length * 2];
        }

        var n = reader.CopyString(_unescaped);
        return _unescaped.AsSpan(0, n);
    }

    private static bool IsScalar(JsonTokenType t) =>
        t is JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null;

    private static ValueKind KindOf(JsonTokenType t) =>
        t switch
        {
            JsonTokenType.String => ValueKind.String,
            JsonTokenType.Number => ValueKind.Number,
            JsonTokenType.True => ValueKind.True,
            JsonTokenType.False => ValueKind.False,
            _ => ValueKind.Null,
        };

    private static void Read(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("Unexpected end of frame.");
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"Expected {type}, found {reader.TokenType}.");
        }
    }
}
