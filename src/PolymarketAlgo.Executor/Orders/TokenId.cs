using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace PolymarketAlgo.Executor.Orders;

/// <summary>
/// An outcome token id (a CTF <c>tokenId</c> or a Protocol-V2 <c>positionId</c>): a <c>uint256</c> that travels as
/// a decimal string. Its 32-byte EIP-712 encoding is computed once.
/// </summary>
public sealed class TokenId : IEquatable<TokenId>
{
    private static readonly BigInteger MaxValue = (BigInteger.One << 256) - 1;
    private static readonly BigInteger ReservedMask = ((BigInteger.One << 64) - 1) << 40;

    private readonly byte[] word;
    private readonly string text;

    private TokenId(BigInteger value)
    {
        Value = value;
        text = value.ToString(CultureInfo.InvariantCulture);
        word = new byte[32];
        value.TryWriteBytes(word.AsSpan(32 - value.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>The numeric value.</summary>
    public BigInteger Value { get; }

    /// <summary>
    /// Whether the id has the Protocol-V2 <c>positionId</c> layout: its 64 reserved bits (40…103) are zero
    /// (ts-sdk <c>isV2PositionId</c>). Such markets sign against ExchangeV3.
    /// </summary>
    public bool IsProtocolV2PositionId => (Value & ReservedMask).IsZero;

    /// <summary>Parses a non-negative decimal integer below 2^256.</summary>
    /// <param name="text">Decimal digits.</param>
    /// <returns>The token id.</returns>
    /// <exception cref="FormatException">The text is not such a number.</exception>
    public static TokenId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"'{text}' is not a token id (a decimal uint256).");

    /// <summary>Parses a token id; see <see cref="Parse"/>.</summary>
    /// <param name="text">Decimal digits.</param>
    /// <param name="id">The id when parsing succeeded.</param>
    /// <returns><c>true</c> on success.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out TokenId? id)
    {
        id = null;
        if (string.IsNullOrEmpty(text)
            || !BigInteger.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            || value > MaxValue)
        {
            return false;
        }

        id = new TokenId(value);
        return true;
    }

    /// <summary>A token id from a number.</summary>
    /// <param name="value">0 ≤ value &lt; 2^256.</param>
    /// <returns>The token id.</returns>
    public static TokenId FromValue(BigInteger value) =>
        value.Sign < 0 || value > MaxValue
            ? throw new ArgumentOutOfRangeException(nameof(value), "A token id is a uint256.")
            : new TokenId(value);

    /// <summary>Writes the 32-byte big-endian EIP-712 word.</summary>
    /// <param name="destination">32 bytes.</param>
    public void WriteWord(Span<byte> destination) => word.CopyTo(destination);

    /// <inheritdoc />
    public bool Equals(TokenId? other) => other is not null && word.AsSpan().SequenceEqual(other.word);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TokenId);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(word, 28);

    /// <summary>The decimal text, as posted.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => text;
}
