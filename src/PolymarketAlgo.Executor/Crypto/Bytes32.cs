namespace PolymarketAlgo.Executor.Crypto;

/// <summary>An immutable 32-byte value (an EIP-712 <c>bytes32</c>, a hash), shown as <c>0x</c> + 64 hex digits.</summary>
public sealed class Bytes32 : IEquatable<Bytes32>
{
    /// <summary>The length in bytes.</summary>
    public const int Length = 32;

    private readonly byte[] bytes;
    private readonly string hex;

    private Bytes32(byte[] bytes)
    {
        this.bytes = bytes;
        hex = Hex.Encode(bytes);
    }

    /// <summary>Thirty-two zero bytes, the default <c>metadata</c> and <c>builder</c> of an order.</summary>
    public static Bytes32 Zero { get; } = new(new byte[Length]);

    /// <summary>Creates a value from exactly 32 bytes.</summary>
    /// <param name="value">The bytes.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException">The span is not 32 bytes long.</exception>
    public static Bytes32 FromBytes(ReadOnlySpan<byte> value)
    {
        if (value.Length != Length)
        {
            throw new ArgumentException("A bytes32 value is exactly 32 bytes.", nameof(value));
        }

        return new Bytes32(value.ToArray());
    }

    /// <summary>Parses <c>0x</c> + 64 hex digits (the prefix is optional).</summary>
    /// <param name="text">The hex text.</param>
    /// <returns>The value.</returns>
    /// <exception cref="FormatException">The text is not 32 bytes of hex.</exception>
    public static Bytes32 Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var raw = new byte[Length];
        return Hex.TryDecode(text, raw) ? new Bytes32(raw) : throw new FormatException("Expected 0x followed by 64 hex digits.");
    }

    /// <summary>Copies the bytes into a buffer of at least 32 bytes.</summary>
    /// <param name="destination">The destination.</param>
    public void CopyTo(Span<byte> destination) => bytes.CopyTo(destination);

    /// <summary>Returns a copy of the bytes.</summary>
    /// <returns>A new 32-byte array.</returns>
    public byte[] ToArray() => (byte[])bytes.Clone();

    /// <summary>A read-only view of the bytes.</summary>
    public ReadOnlySpan<byte> Span => bytes;

    /// <inheritdoc />
    public bool Equals(Bytes32? other) => other is not null && bytes.AsSpan().SequenceEqual(other.bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Bytes32);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(bytes, 0);

    /// <summary>The value as <c>0x</c> + 64 lower-case hex digits.</summary>
    /// <returns>The hex text.</returns>
    public override string ToString() => hex;
}
