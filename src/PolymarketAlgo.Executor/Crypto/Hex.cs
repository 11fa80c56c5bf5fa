namespace PolymarketAlgo.Executor.Crypto;

/// <summary>Hexadecimal text helpers in the Ethereum style (<c>0x</c> prefix, lower-case digits).</summary>
public static class Hex
{
    /// <summary>Encodes bytes as lower-case hex with a <c>0x</c> prefix.</summary>
    /// <param name="bytes">The bytes to encode.</param>
    /// <returns>For example <c>0x00ff</c>; <c>0x</c> for no bytes.</returns>
    public static string Encode(ReadOnlySpan<byte> bytes) => string.Concat("0x", Convert.ToHexStringLower(bytes));

    /// <summary>Decodes hex text, with or without a <c>0x</c> prefix, into bytes.</summary>
    /// <param name="text">An even number of hex digits, optionally prefixed by <c>0x</c> or <c>0X</c>.</param>
    /// <returns>The decoded bytes.</returns>
    /// <exception cref="FormatException">The text is not hex or has an odd number of digits.</exception>
    public static byte[] Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var digits = StripPrefix(text);
        if (digits.Length % 2 != 0)
        {
            throw new FormatException("Hex text must have an even number of digits.");
        }

        var bytes = new byte[digits.Length / 2];
        if (Convert.FromHexString(digits, bytes, out _, out _) != System.Buffers.OperationStatus.Done)
        {
            throw new FormatException("Hex text contains a character that is not a hex digit.");
        }

        return bytes;
    }

    /// <summary>Decodes hex text into a caller-supplied buffer that must have exactly the decoded length.</summary>
    /// <param name="text">Hex digits, optionally prefixed by <c>0x</c>.</param>
    /// <param name="destination">Receives the bytes; its length fixes the expected number of digits.</param>
    /// <returns><c>true</c> when the text held exactly <c>destination.Length</c> bytes of valid hex.</returns>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination)
    {
        var digits = StripPrefix(text);
        return digits.Length == destination.Length * 2
            && Convert.FromHexString(digits, destination, out _, out _) == System.Buffers.OperationStatus.Done;
    }

    /// <summary>Removes a leading <c>0x</c> or <c>0X</c>, if present.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text without its prefix.</returns>
    public static ReadOnlySpan<char> StripPrefix(ReadOnlySpan<char> text) =>
        text.Length >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X') ? text[2..] : text;
}
