using System.Text;
using Org.BouncyCastle.Crypto.Digests;

namespace PolymarketAlgo.Executor.Crypto;

/// <summary>
/// Ethereum's Keccak-256 (the original Keccak padding, not NIST SHA3-256), backed by BouncyCastle's
/// <see cref="KeccakDigest"/>. Thread-safe: each thread reuses its own digest instance.
/// </summary>
public static class Keccak256
{
    /// <summary>The length of a Keccak-256 hash in bytes.</summary>
    public const int HashLength = 32;

    [ThreadStatic]
    private static KeccakDigest? digest;

    /// <summary>Hashes bytes into a caller-supplied 32-byte buffer.</summary>
    /// <param name="data">The input.</param>
    /// <param name="output">Receives the 32-byte hash; must be at least 32 bytes long.</param>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> output)
    {
        if (output.Length < HashLength)
        {
            throw new ArgumentException("The output buffer must hold 32 bytes.", nameof(output));
        }

        var d = digest ??= new KeccakDigest(256);
        d.BlockUpdate(data);
        d.DoFinal(output);
    }

    /// <summary>Hashes bytes.</summary>
    /// <param name="data">The input.</param>
    /// <returns>A new 32-byte array holding the hash.</returns>
    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var output = new byte[HashLength];
        Hash(data, output);
        return output;
    }

    /// <summary>Hashes the UTF-8 encoding of a string.</summary>
    /// <param name="text">The input text.</param>
    /// <returns>A new 32-byte array holding the hash.</returns>
    public static byte[] Hash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Hash(Encoding.UTF8.GetBytes(text));
    }
}
