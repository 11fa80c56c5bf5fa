using PolymarketAlgo.Executor.Books;

namespace PolymarketAlgo.Executor.Streaming;

/// <summary>
/// A strict, allocation-free scanner for the common shape of CLOB events: objects whose known fields
/// hold unescaped strings, numbers or literals, and arrays of such objects. It accepts only valid
/// JSON; anything it does not handle (escapes in a known field, deep nesting, invalid text) makes it
/// give up, and the caller re-reads the object with <see cref="System.Text.Json.Utf8JsonReader"/>,
/// which is the reference and reports the error. It exists because book snapshots of ~90 levels
/// are too slow to tokenise generically at the replay rates wanted.
/// </summary>
internal ref struct FastScanner
{
    private const int MaxDepth = 64;
    private readonly ReadOnlySpan<byte> _s;
    private int _pos;

    public FastScanner(ReadOnlySpan<byte> s, int position)
    {
        _s = s;
        _pos = position;
    }

    public readonly int Position => _pos;

    /// <summary>Parses one event object at the current position into the builder.</summary>
    /// <returns>False to give up (the builder is then in an undefined state).</returns>
    public bool ParseEvent(EventBuilder b)
    {
        if (!Expect((byte)'{'))
        {
            return false;
        }

        b.Reset();
        SkipWs();
        if (Peek() == '}')
        {
            _pos++;
            return true;
        }

        while (true)
        {
            if (!ReadPlainString(out var name) || !Colon())
            {
                return false;
            }

            var field = EventBuilder.Lookup(name);
            switch (field)
            {
                case Field.Bids:
                case Field.Asks:
                    if (Peek() == '[')
                    {
                        if (!ParseLevels(b, field == Field.Bids ? BookSide.Bid : BookSide.Ask))
                        {
                            return false;
                        }
                    }
                    else if (!SkipKnownNonArray(b))
                    {
                        return false;
                    }

                    break;
                case Field.PriceChanges:
                case Field.Changes:
                    if (Peek() == '[')
                    {
                        if (!ParseChanges(b))
                        {
                            return false;
                        }
                    }
                    else if (!SkipKnownNonArray(b))
                    {
                        return false;
                    }

                    break;
                case Field.Unknown:
                    if (!SkipValue(1))
                    {
                        return false;
                    }

                    break;
                default:
                    if (!ReadScalar(out var kind, out var value))
                    {
                        return false;
                    }

                    if (kind == Nested)
                    {
                        b.Fail();
                    }
                    else
                    {
                        b.SetTop(field, (ValueKind)kind, value);
                    }

                    break;
            }

            if (!NextMember(out var more))
            {
                return false;
            }

            if (!more)
            {
                return true;
            }
        }
    }

    /// <summary>Skips whitespace and returns the next byte, or 0 at the end.</summary>
    public byte PeekNonWs()
    {
        SkipWs();
        return Peek();
    }

    /// <summary>Moves past one byte.</summary>
    public void Advance() => _pos++;

    /// <summary>True when only whitespace is left.</summary>
    public bool AtEnd()
    {
        SkipWs();
        return _pos >= _s.Length;
    }

    private const byte Nested = 255;

    private bool SkipKnownNonArray(EventBuilder b)
    {
        if (!ReadScalar(out var kind, out _))
        {
            return false;
        }

        if (kind != (byte)ValueKind.Null)
        {
            b.Fail();
        }

        return true;
    }

    private bool ParseLevels(EventBuilder b, BookSide side)
    {
        _pos++;
        SkipWs();
        if (Peek() == ']')
        {
            _pos++;
            return true;
        }

        while (true)
        {
            SkipWs();
            if (Peek() != '{')
            {
                if (!SkipValue(2))
                {
                    return false;
                }

                b.Fail();
            }
            else if (TryCompactLevel(out var price, out var size))
            {
                b.AddLevel(side, price, size);
            }
            else
            {
                _pos++;
                b.BeginLevel();
                SkipWs();
                if (Peek() == '}')
                {
                    _pos++;
                }
                else
                {
                    while (true)
                    {
                        if (!ReadPlainString(out var name) || !Colon())
                        {
                            return false;
                        }

                        var f = EventBuilder.Lookup(name);
                        if (f is Field.Price or Field.Size)
                        {
                            if (!ReadScalar(out var kind, out var value))
                            {
                                return false;
                            }

                            if (kind == Nested)
                            {
                                b.Fail();
                            }
                            else
                            {
                                b.SetLevel(f, (ValueKind)kind, value);
                            }
                        }
                        else if (!SkipValue(3))
                        {
                            return false;
                        }

                        if (!NextMember(out var more))
                        {
                            return false;
                        }

                        if (!more)
                        {
                            break;
                        }
                    }
                }

                b.EndLevel(side);
            }

            if (!NextElement(out var again))
            {
                return false;
            }

            if (!again)
            {
                return true;
            }
        }
    }

    private bool ParseChanges(EventBuilder b)
    {
        _pos++;
        SkipWs();
        if (Peek() == ']')
        {
            _pos++;
            return true;
        }

        while (true)
        {
            SkipWs();
            if (Peek() != '{')
            {
                if (!SkipValue(2))
                {
                    return false;
                }

                b.Fail();
            }
            else
            {
                _pos++;
                b.BeginChange();
                SkipWs();
                if (Peek() == '}')
                {
                    _pos++;
                }
                else
                {
                    while (true)
                    {
                        if (!ReadPlainString(out var name) || !Colon())
                        {
                            return false;
                        }

                        var f = EventBuilder.Lookup(name);
                        if (f is Field.AssetId or Field.Price or Field.Size or Field.Side or Field.Hash or Field.BestBid or Field.BestAsk)
                        {
                            if (!ReadScalar(out var kind, out var value))
                            {
                                return false;
                            }

                            if (kind == Nested)
                            {
                                b.Fail();
                            }
                            else
                            {
                                b.SetChange(f, (ValueKind)kind, value);
                            }
                        }
                        else if (!SkipValue(3))
                        {
                            return false;
                        }

                        if (!NextMember(out var more))
                        {
                            return false;
                        }

                        if (!more)
                        {
                            break;
                        }
                    }
                }

                b.EndChange();
            }

            if (!NextElement(out var again))
            {
                return false;
            }

            if (!again)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// The compact level <c>{"price":"0.48","size":"30"}</c> exactly as the server sends it, parsed in
    /// one pass; anything else (whitespace, other keys or order, numbers) leaves the position unchanged
    /// and returns false so the general member loop reads it.
    /// </summary>
    private bool TryCompactLevel(out decimal price, out decimal size)
    {
        size = 0m;
        var s = _s[_pos..];
        if (!s.StartsWith("{\"price\":\""u8))
        {
            price = 0m;
            return false;
        }

        var i = 10;
        if (!QuotedDecimal(s, ref i, out price) || !s[i..].StartsWith(",\"size\":\""u8))
        {
            return false;
        }

        i += 9;
        if (!QuotedDecimal(s, ref i, out size) || i >= s.Length || s[i] != '}')
        {
            return false;
        }

        _pos += i + 1;
        return true;
    }

    /// <summary>Digits with at most one dot, up to the closing quote (which is consumed).</summary>
    private static bool QuotedDecimal(ReadOnlySpan<byte> s, ref int i, out decimal value)
    {
        value = 0m;
        ulong mantissa = 0;
        var digits = 0;
        var scale = -1;
        var start = i;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            var d = (uint)(c - '0');
            if (d <= 9)
            {
                if (++digits > 19)
                {
                    return false;
                }

                mantissa = mantissa * 10 + d;
                if (scale >= 0)
                {
                    scale++;
                }
            }
            else if (c == '.' && scale < 0)
            {
                scale = 0;
            }
            else if (c == '"')
            {
                break;
            }
            else
            {
                return false;
            }
        }

        if (i >= s.Length || digits == 0 || scale > 28)
        {
            i = start;
            return false;
        }

        i++;
        value = new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), 0, false, (byte)Math.Max(scale, 0));
        return true;
    }

    /// <summary>Reads a scalar; a nested object or array is skipped and reported as <see cref="Nested"/>.</summary>
    private bool ReadScalar(out byte kind, out ReadOnlySpan<byte> value)
    {
        value = default;
        kind = Nested;
        SkipWs();
        var c = Peek();
        switch (c)
        {
            case (byte)'"':
                kind = (byte)ValueKind.String;
                return ReadPlainStringValue(out value);
            case (byte)'t':
                kind = (byte)ValueKind.True;
                return Literal("true"u8);
            case (byte)'f':
                kind = (byte)ValueKind.False;
                return Literal("false"u8);
            case (byte)'n':
                kind = (byte)ValueKind.Null;
                return Literal("null"u8);
            case (byte)'{':
            case (byte)'[':
                return SkipValue(2);
            default:
                kind = (byte)ValueKind.Number;
                var start = _pos;
                if (!SkipNumber())
                {
                    return false;
                }

                value = _s[start.._pos];
                return true;
        }
    }

    /// <summary>Reads a string without escapes (gives up on escapes or control characters).</summary>
    private bool ReadPlainString(out ReadOnlySpan<byte> value)
    {
        SkipWs();
        value = default;
        return Peek() == '"' && ReadPlainStringValue(out value);
    }

    private bool ReadPlainStringValue(out ReadOnlySpan<byte> value)
    {
        value = default;
        var start = _pos + 1;
        var rest = _s[start..];
        var end = rest.IndexOfAny((byte)'"', (byte)'\\');
        if (end < 0 || rest[end] == '\\')
        {
            return false;
        }

        value = rest[..end];
        if (value.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0)
        {
            return false;
        }

        _pos = start + end + 1;
        return true;
    }

    private bool SkipValue(int depth)
    {
        if (depth > MaxDepth)
        {
            return false;
        }

        SkipWs();
        switch (Peek())
        {
            case (byte)'"':
                return SkipString();
            case (byte)'t':
                return Literal("true"u8);
            case (byte)'f':
                return Literal("false"u8);
            case (byte)'n':
                return Literal("null"u8);
            case (byte)'{':
                _pos++;
                SkipWs();
                if (Peek() == '}')
                {
                    _pos++;
                    return true;
                }

                while (true)
                {
                    SkipWs();
                    if (Peek() != '"' || !SkipString() || !Colon() || !SkipValue(depth + 1) || !NextMember(out var more))
                    {
                        return false;
                    }

                    if (!more)
                    {
                        return true;
                    }
                }

            case (byte)'[':
                _pos++;
                SkipWs();
                if (Peek() == ']')
                {
                    _pos++;
                    return true;
                }

                while (true)
                {
                    if (!SkipValue(depth + 1) || !NextElement(out var more))
                    {
                        return false;
                    }

                    if (!more)
                    {
                        return true;
                    }
                }

            default:
                return SkipNumber();
        }
    }

    /// <summary>Skips a string, validating escapes.</summary>
    private bool SkipString()
    {
        _pos++;
        while (true)
        {
            var rest = _s[_pos..];
            var i = rest.IndexOfAny((byte)'"', (byte)'\\');
            if (i < 0 || rest[..i].IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0)
            {
                return false;
            }

            _pos += i;
            if (_s[_pos] == '"')
            {
                _pos++;
                return true;
            }

            // An escape: \" \\ \/ \b \f \n \r \t or \uXXXX.
            if (_pos + 1 >= _s.Length)
            {
                return false;
            }

            var e = _s[_pos + 1];
            if (e == 'u')
            {
                if (_pos + 6 > _s.Length)
                {
                    return false;
                }

                for (var k = 2; k < 6; k++)
                {
                    if (!char.IsAsciiHexDigit((char)_s[_pos + k]))
                    {
                        return false;
                    }
                }

                _pos += 6;
            }
            else if (e is (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t')
            {
                _pos += 2;
            }
            else
            {
                return false;
            }
        }
    }

    /// <summary>Skips a number matching -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?.</summary>
    private bool SkipNumber()
    {
        if (Peek() == '-')
        {
            _pos++;
        }

        if (Peek() == '0')
        {
            _pos++;
        }
        else if (!Digits())
        {
            return false;
        }

        if (Peek() == '.')
        {
            _pos++;
            if (!Digits())
            {
                return false;
            }
        }

        if (Peek() is (byte)'e' or (byte)'E')
        {
            _pos++;
            if (Peek() is (byte)'+' or (byte)'-')
            {
                _pos++;
            }

            if (!Digits())
            {
                return false;
            }
        }

        // A number must end at a delimiter.
        return Peek() is 0 or (byte)',' or (byte)'}' or (byte)']' or (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t';
    }

    private bool Digits()
    {
        var start = _pos;
        while (_pos < _s.Length && (uint)(_s[_pos] - '0') <= 9)
        {
            _pos++;
        }

        return _pos > start;
    }

    private bool Literal(ReadOnlySpan<byte> literal)
    {
        if (!_s[_pos..].StartsWith(literal))
        {
            return false;
        }

        _pos += literal.Length;
        return true;
    }

    private bool Colon()
    {
        SkipWs();
        if (Peek() != ':')
        {
            return false;
        }

        _pos++;
        SkipWs();
        return true;
    }

    /// <summary>After a member: ',' (more) or '}' (done).</summary>
    private bool NextMember(out bool more)
    {
        SkipWs();
        var c = Peek();
        _pos++;
        more = c == ',';
        return c is (byte)',' or (byte)'}';
    }

    /// <summary>After an element: ',' (more) or ']' (done).</summary>
    private bool NextElement(out bool more)
    {
        SkipWs();
        var c = Peek();
        _pos++;
        more = c == ',';
        return c is (byte)',' or (byte)']';
    }

    private bool Expect(byte c)
    {
        SkipWs();
        if (Peek() != c)
        {
            return false;
        }

        _pos++;
        return true;
    }

    private readonly byte Peek() => _pos < _s.Length ? _s[_pos] : (byte)0;

    private void SkipWs()
    {
        while (_pos < _s.Length)
        {
            var c = _s[_pos];
            if (c is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
            {
                _pos++;
            }
            else
            {
                return;
            }
        }
    }
}
