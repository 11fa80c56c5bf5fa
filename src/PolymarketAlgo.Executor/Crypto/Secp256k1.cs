using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Multiplier;
using Org.BouncyCastle.Utilities;
using PolymarketAlgo.Executor.Secrets;

namespace PolymarketAlgo.Executor.Crypto;

/// <summary>
/// secp256k1 ECDSA as Ethereum uses it: RFC 6979 deterministic nonces (HMAC-SHA256), low-S normalisation,
/// <c>v = 27 + recoveryId</c>, public-key recovery and address derivation. Built on BouncyCastle's
/// optimised secp256k1 curve; the signatures are byte-identical to BouncyCastle's <c>ECDsaSigner</c> with
/// <c>HMacDsaKCalculator</c> followed by low-S normalisation (and so to ethers and viem).
/// </summary>
public static class Secp256k1
{
    /// <summary>The curve parameters (BouncyCastle's optimised secp256k1).</summary>
    internal static readonly X9ECParameters Parameters = CustomNamedCurves.GetByName("secp256k1");
    private static readonly ECMultiplier BaseMultiplier = new FixedPointCombMultiplier();
    private static readonly BigInteger HalfN = Parameters.N.ShiftRight(1);
    private static readonly BigInteger FieldPrime = Parameters.Curve.Field.Characteristic;

    /// <summary>The group order n.</summary>
    internal static BigInteger N => Parameters.N;

    /// <summary>The field prime p.</summary>
    internal static BigInteger P => FieldPrime;

    /// <summary>
    /// Signs a 32-byte digest. The nonce is RFC 6979 deterministic, so the same key and digest always give the
    /// same signature; <c>s</c> is normalised to the lower half of the order.
    /// </summary>
    /// <param name="digest">The 32-byte message hash (e.g. an EIP-712 digest).</param>
    /// <param name="key">The signing key.</param>
    /// <returns>The recoverable signature.</returns>
    public static EcdsaSignature Sign(ReadOnlySpan<byte> digest, PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (digest.Length != 32)
        {
            throw new ArgumentException("The digest must be 32 bytes.", nameof(digest));
        }

        var n = Parameters.N;
        var d = key.Scalar;
        var e = new BigInteger(1, digest);
        Span<byte> kState = stackalloc byte[32];
        Span<byte> vState = stackalloc byte[32];
        var nonces = new Rfc6979(n, d, digest, kState, vState);
        Span<byte> point = stackalloc byte[64];
        Span<byte> rBytes = stackalloc byte[32];
        Span<byte> sBytes = stackalloc byte[32];
        while (true)
        {
            var k = nonces.Next();
            MultiplyGenerator(k, point);
            var x = new BigInteger(1, point[..32]);
            var r = x.Mod(n);
            if (r.SignValue == 0 || x.CompareTo(n) >= 0)
            {
                // r = 0, or r overflowed the order (probability ~2^-128) which Ethereum's v cannot express.
                continue;
            }

            var s = BigIntegers.ModOddInverse(n, k).Multiply(e.Add(d.Multiply(r))).Mod(n);
            if (s.SignValue == 0)
            {
                continue;
            }

            var recoveryId = point[63] & 1;
            if (s.CompareTo(HalfN) > 0)
            {
                s = n.Subtract(s);
                recoveryId ^= 1;
            }

            BigIntegers.AsUnsignedByteArray(r, rBytes);
            BigIntegers.AsUnsignedByteArray(s, sBytes);
            return EcdsaSignature.Create(rBytes, sBytes, recoveryId);
        }
    }

    /// <summary>Recovers the 64-byte uncompressed public key (x ‖ y, no 0x04 prefix) that made a signature.</summary>
    /// <param name="digest">The 32-byte digest that was signed.</param>
    /// <param name="signature">The signature.</param>
    /// <returns>The public key, or <c>null</c> when no key can be recovered (an invalid signature).</returns>
    public static byte[]? RecoverPublicKey(ReadOnlySpan<byte> digest, EcdsaSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (digest.Length != 32)
        {
            throw new ArgumentException("The digest must be 32 bytes.", nameof(digest));
        }

        var n = Parameters.N;
        var r = new BigInteger(1, signature.R);
        var s = new BigInteger(1, signature.S);
        if (r.SignValue == 0 || s.SignValue == 0 || r.CompareTo(n) >= 0 || s.CompareTo(n) >= 0 || r.CompareTo(FieldPrime) >= 0)
        {
            return null;
        }

        Span<byte> compressed = stackalloc byte[33];
        compressed[0] = (byte)(0x02 | signature.RecoveryId);
        signature.R.CopyTo(compressed[1..]);
        ECPoint rPoint;
        try
        {
            rPoint = Parameters.Curve.DecodePoint(compressed.ToArray());
        }
        catch (ArgumentException)
        {
            return null;
        }

        var e = new BigInteger(1, digest.ToArray());
        var rInverse = BigIntegers.ModOddInverse(n, r);
        var u1 = n.Subtract(e).Multiply(rInverse).Mod(n);
        var u2 = s.Multiply(rInverse).Mod(n);
        var q = ECAlgorithms.SumOfTwoMultiplies(Parameters.G, u1, rPoint, u2).Normalize();
        if (q.IsInfinity)
        {
            return null;
        }

        return q.GetEncoded(false)[1..];
    }

    /// <summary>Recovers the address of the key that signed a digest.</summary>
    /// <param name="digest">The 32-byte digest that was signed.</param>
    /// <param name="signature">The signature.</param>
    /// <returns>The signer's address, or <c>null</c> for an invalid signature.</returns>
    public static Address? RecoverAddress(ReadOnlySpan<byte> digest, EcdsaSignature signature)
    {
        var publicKey = RecoverPublicKey(digest, signature);
        return publicKey is null ? null : AddressFromPublicKey(publicKey);
    }

    /// <summary>Verifies a signature by recovering its signer and comparing addresses.</summary>
    /// <param name="digest">The 32-byte digest.</param>
    /// <param name="signature">The signature.</param>
    /// <param name="expectedSigner">The address that should have signed.</param>
    /// <returns><c>true</c> when the signature recovers to <paramref name="expectedSigner"/>.</returns>
    public static bool Verify(ReadOnlySpan<byte> digest, EcdsaSignature signature, Address expectedSigner)
    {
        ArgumentNullException.ThrowIfNull(expectedSigner);
        return RecoverAddress(digest, signature) == expectedSigner;
    }

    /// <summary>Derives the Ethereum address of a public key: the last 20 bytes of keccak(x ‖ y).</summary>
    /// <param name="publicKey">64 bytes (x ‖ y) or 65 bytes with the 0x04 prefix.</param>
    /// <returns>The address.</returns>
    public static Address AddressFromPublicKey(ReadOnlySpan<byte> publicKey)
    {
        var body = publicKey.Length switch
        {
            64 => publicKey,
            65 when publicKey[0] == 0x04 => publicKey[1..],
            _ => throw new ArgumentException("Expected a 64-byte or 0x04-prefixed 65-byte uncompressed public key.", nameof(publicKey)),
        };
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Hash(body, hash);
        return Address.FromBytes(hash[12..]);
    }

    /// <summary>Whether a 32-byte big-endian <c>s</c> lies in the lower half of the group order.</summary>
    /// <param name="s">The s value.</param>
    /// <returns><c>true</c> when <c>s ≤ n/2</c>.</returns>
    public static bool IsLowS(ReadOnlySpan<byte> s) => new BigInteger(1, s.ToArray()).CompareTo(HalfN) <= 0;

    /// <summary>The 64-byte uncompressed public key (x ‖ y) of a private scalar.</summary>
    internal static byte[] PublicKeyOf(BigInteger scalar)
    {
        var publicKey = new byte[64];
        MultiplyGenerator(scalar, publicKey);
        return publicKey;
    }

    /// <summary>
    /// Writes the affine point k·G as x ‖ y (64 bytes): the fast table multiplier, or BouncyCastle's in the
    /// negligibly rare case the former reports an exceptional addition.
    /// </summary>
    private static void MultiplyGenerator(BigInteger k, Span<byte> point)
    {
        if (!GeneratorMultiplier.TryMultiply(k, point[..32], point[32..]))
        {
            var slow = BaseMultiplier.Multiply(Parameters.G, k).Normalize();
            BigIntegers.AsUnsignedByteArray(slow.AffineXCoord.ToBigInteger(), point[..32]);
            BigIntegers.AsUnsignedByteArray(slow.AffineYCoord.ToBigInteger(), point[32..]);
        }
    }
}
