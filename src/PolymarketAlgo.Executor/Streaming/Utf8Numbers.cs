using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace PolymarketAlgo.Executor.Streaming;

/// <summary>Allocation-free parsing of the decimal and integer texts found in CLOB messages.</summary>
public static class Utf8Numbers
{
    /// <summary>
    /// Parses a decimal such as <c>0.48</c>, <c>.48</c>, <c>3149725.72</c> or <c>-1</c>; exponents and
    /// very long mantissas fall back to <see cref="decimal.TryParse(string, NumberStyles, IFormatProvider, out decimal)"/>.
    /// </summary>
    /// <param name="utf8">The text.</param>
    /// <param name="value">The value.</param>
    /// <returns>True when the whole text is a number.</returns>
    public static bool TryParseDecimal(ReadOnlySpan<byte> utf8, out decimal value)
    {
        value = 0m;
        var i = 0;
        var negative = false;
        if (utf8.Length > 0 && utf8[0] == (byte)'-')
        {
            negative = true;
            i = 1;
        }

        ulong mantissa = 0;
        var digits = 0;
        var scale = -1;
        for (; i < utf8.Length; i++)
        {
            var c = utf8[i];
            var d = (uint)(c - '0');
            if (d <= 9)
            {
                if (digits == 19)
                {
                    return Fallback(utf8, out value);
                }

                mantissa = mantissa * 10 + d;
                if (mantissa != 0)
                {
                    digits++;
                }

                if (scale >= 0)
                {
                    scale++;
                }
            }
            else if (c == (byte)'.' && scale < 0)
            {
                scale = 0;
            }
            else if (c is (byte)'e' or (byte)'E')
            {
                return Fallback(utf8, out value);
            }
            else
            {
                return false;
            }
        }

        var hasDigit = utf8.Length - (negative ? 1 : 0) - (scale >= 0 ? 1 : 0) > 0;
        if (!hasDigit || scale > 28)
        {
            return hasDigit && Fallback(utf8, out value);
        }

        value = new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), 0, negative, (byte)Math.Max(scale, 0));
        return true;
    }

    /// <summary>Parses a whole-number text (Unix ms or s timestamps).</summary>
    /// <param name="utf8">The text.</param>
    /// <param name="value">The value.</param>
    /// <returns>True when the whole text is an integer.</returns>
    public static bool TryParseInt64(ReadOnlySpan<byte> utf8, out long value) =>
        Utf8Parser.TryParse(utf8, out value, out var consumed) && consumed == utf8.Length && utf8.Length > 0;

    private static bool Fallback(ReadOnlySpan<byte> utf8, out decimal value)
    {
        value = 0m;
        if (utf8.Length > 128)
        {
            return false;
        }

        Span<char> chars = stackalloc char[128];
        var n = Encoding.ASCII.GetChars(utf8, chars);
        return decimal.TryParse(chars[..n], NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}
