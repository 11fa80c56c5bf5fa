using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using PolymarketAlgo.Executor.Crypto;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace PolymarketAlgo.Executor.Secrets;

/// <summary>
/// A secp256k1 private key with its derived public address. The key material never leaves this type in
/// readable form: <see cref="ToString"/> shows only the address, JSON serialisation throws, and parse errors
/// never echo the input.
/// </summary>
[DebuggerDisplay("PrivateKey(address={Address}, key=<redacted>)")]
[JsonConverter(typeof(NeverSerializeConverter<PrivateKey>))]
public sealed class PrivateKey
{
    private PrivateKey(BcBigInteger scalar)
    {
        Scalar = scalar;
        PublicKey = Secp256k1.PublicKeyOf(scalar);
        Address = Secp256k1.AddressFromPublicKey(PublicKey);
    }

    /// <summary>The address derived from the key (keccak of the public key, EIP-55 checksummed).</summary>
    public Address Address { get; }

    /// <summary>The 64-byte uncompressed public key (x ‖ y).</summary>
    internal byte[] PublicKey { get; }

    /// <summary>The secret scalar d.</summary>
    internal BcBigInteger Scalar { get; }

    /// <summary>Parses a key from 64 hex digits, with or without a <c>0x</c> prefix; surrounding whitespace is ignored.</summary>
    /// <param name="text">The key text.</param>
    /// <returns>The key.</returns>
    /// <exception cref="InvalidPrivateKeyException">The text is not a valid key; <see cref="InvalidPrivateKeyException.Reason"/> says why.</exception>
    public static PrivateKey Parse(string? text) =>
        TryParse(text, out var key, out var reason) ? key : throw new InvalidPrivateKeyException(reason);

    /// <summary>Parses a key; see <see cref="Parse"/>.</summary>
    /// <param name="text">The key text.</param>
    /// <param name="key">The key when parsing succeeded.</param>
    /// <param name="reason">Why parsing failed, when it did.</param>
    /// <returns><c>true</c> when the text was a valid key.</returns>
    public static bool TryParse(string? text, [NotNullWhen(true)] out PrivateKey? key, out InvalidPrivateKeyReason reason)
    {
        key = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            reason = InvalidPrivateKeyReason.Empty;
            return false;
        }

        var digits = Hex.StripPrefix(text.AsSpan().Trim());
        if (digits.Length != 64)
        {
            reason = InvalidPrivateKeyReason.WrongLength;
            return false;
        }

        Span<byte> raw = stackalloc byte[32];
        if (!Hex.TryDecode(digits, raw))
        {
            reason = InvalidPrivateKeyReason.NotHex;
            return false;
        }

        var scalar = new BcBigInteger(1, raw);
        raw.Clear();
        if (scalar.SignValue == 0 || scalar.CompareTo(Secp256k1.N) >= 0)
        {
            reason = InvalidPrivateKeyReason.OutOfRange;
            return false;
        }

        reason = default;
        key = new PrivateKey(scalar);
        return true;
    }

    /// <summary>Creates a key from its 32 big-endian bytes.</summary>
    /// <param name="bytes">Exactly 32 bytes.</param>
    /// <returns>The key.</returns>
    /// <exception cref="InvalidPrivateKeyException">The bytes are not a valid key.</exception>
    public static PrivateKey FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 32)
        {
            throw new InvalidPrivateKeyException(InvalidPrivateKeyReason.WrongLength);
        }

        var scalar = new BcBigInteger(1, bytes);
        return scalar.SignValue == 0 || scalar.CompareTo(Secp256k1.N) >= 0
            ? throw new InvalidPrivateKeyException(InvalidPrivateKeyReason.OutOfRange)
            : new PrivateKey(scalar);
    }

    /// <summary>Shows the address only; the key itself is redacted.</summary>
    /// <returns><c>PrivateKey(address=0x…, key=&lt;redacted&gt;)</c>.</returns>
    public override string ToString() => $"PrivateKey(address={Address}, key=<redacted>)";
}
