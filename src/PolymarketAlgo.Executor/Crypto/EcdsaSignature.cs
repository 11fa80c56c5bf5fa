namespace PolymarketAlgo.Executor.Crypto;

/// <summary>
/// A recoverable secp256k1 ECDSA signature in Ethereum's 65-byte form <c>r ‖ s ‖ v</c> with
/// <c>v = 27 + recoveryId</c>. Immutable.
/// </summary>
public sealed class EcdsaSignature : IEquatable<EcdsaSignature>
{
    /// <summary>The length of the encoded signature in bytes.</summary>
    public const int Length = 65;

    private readonly byte[] encoded;

    private EcdsaSignature(byte[] encoded) => this.encoded = encoded;

    /// <summary>The 32-byte big-endian <c>r</c> value.</summary>
    public ReadOnlySpan<byte> R => encoded.AsSpan(0, 32);

    /// <summary>The 32-byte big-endian <c>s</c> value.</summary>
    public ReadOnlySpan<byte> S => encoded.AsSpan(32, 32);

    /// <summary>The recovery byte: 27 or 28.</summary>
    public byte V => encoded[64];

    /// <summary>The recovery id (0 or 1), i.e. <c>V − 27</c>.</summary>
    public int RecoveryId => encoded[64] - 27;

    /// <summary>Creates a signature from <c>r</c>, <c>s</c> and a recovery id.</summary>
    /// <param name="r">32-byte big-endian r.</param>
    /// <param name="s">32-byte big-endian s.</param>
    /// <param name="recoveryId">0 or 1.</param>
    /// <returns>The signature.</returns>
    public static EcdsaSignature Create(ReadOnlySpan<byte> r, ReadOnlySpan<byte> s, int recoveryId)
    {
        if (r.Length != 32 || s.Length != 32)
        {
            throw new ArgumentException("r and s are 32 bytes each.");
        }

        if (recoveryId is not (0 or 1))
        {
            throw new ArgumentOutOfRangeException(nameof(recoveryId), "The recovery id is 0 or 1.");
        }

        var bytes = new byte[Length];
        r.CopyTo(bytes);
        s.CopyTo(bytes.AsSpan(32));
        bytes[64] = (byte)(27 + recoveryId);
        return new EcdsaSignature(bytes);
    }

    /// <summary>Reads a 65-byte <c>r ‖ s ‖ v</c> signature; <c>v</c> may be 27/28 or 0/1.</summary>
    /// <param name="bytes">The 65 bytes.</param>
    /// <returns>The signature (normalised to v = 27/28).</returns>
    /// <exception cref="FormatException">The length or the v byte is wrong.</exception>
    public static EcdsaSignature FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new FormatException("A signature is 65 bytes (r ‖ s ‖ v).");
        }

        var v = bytes[64];
        var recoveryId = v switch
        {
            27 or 28 => v - 27,
            0 or 1 => v,
            _ => throw new FormatException($"Unsupported signature v byte {v}; expected 27, 28, 0 or 1."),
        };
        return Create(bytes[..32], bytes[32..64], recoveryId);
    }

    /// <summary>Parses <c>0x</c> + 130 hex digits.</summary>
    /// <param name="text">The signature hex.</param>
    /// <returns>The signature.</returns>
    /// <exception cref="FormatException">The text is not a 65-byte signature.</exception>
    public static EcdsaSignature Parse(string text) => FromBytes(Hex.Decode(text));

    /// <summary>Returns the 65 bytes <c>r ‖ s ‖ v</c>.</summary>
    /// <returns>A new array.</returns>
    public byte[] ToArray() => (byte[])encoded.Clone();

    /// <summary>Copies the 65 bytes into a buffer.</summary>
    /// <param name="destination">At least 65 bytes.</param>
    public void CopyTo(Span<byte> destination) => encoded.CopyTo(destination);

    /// <summary>The signature as <c>0x</c> + 130 lower-case hex digits, as the Polymarket API expects.</summary>
    /// <returns>The hex text.</returns>
    public string ToHex() => Hex.Encode(encoded);

    /// <summary>Whether <c>s ≤ n/2</c> (the canonical low-S form required by Ethereum).</summary>
    public bool IsLowS => Secp256k1.IsLowS(S);

    /// <inheritdoc />
    public bool Equals(EcdsaSignature? other) => other is not null && encoded.AsSpan().SequenceEqual(other.encoded);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as EcdsaSignature);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(encoded, 0);

    /// <summary>The signature as hex (a signature is public once sent).</summary>
    /// <returns>The hex text.</returns>
    public override string ToString() => ToHex();
}
