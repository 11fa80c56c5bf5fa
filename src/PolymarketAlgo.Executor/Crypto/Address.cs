using System.Diagnostics.CodeAnalysis;

namespace PolymarketAlgo.Executor.Crypto;

/// <summary>
/// A 20-byte Ethereum address. Immutable; equality is by value. <see cref="ToString"/> gives the
/// EIP-55 checksummed form, as the official TypeScript client sends it.
/// </summary>
public sealed class Address : IEquatable<Address>
{
    /// <summary>The length of an address in bytes.</summary>
    public const int Length = 20;

    private readonly byte[] bytes;
    private readonly string checksummed;

    private Address(byte[] bytes)
    {
        this.bytes = bytes;
        checksummed = Checksum(bytes);
    }

    /// <summary>The zero address <c>0x0000…0000</c>.</summary>
    public static Address Zero { get; } = new(new byte[Length]);

    /// <summary>The address as EIP-55 mixed-case hex, e.g. <c>0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266</c>.</summary>
    public string Checksummed => checksummed;

    /// <summary>The address as lower-case hex with a <c>0x</c> prefix.</summary>
    public string Lowercase => checksummed.ToLowerInvariant();

    /// <summary>Creates an address from its 20 bytes.</summary>
    /// <param name="value">Exactly 20 bytes.</param>
    /// <returns>The address.</returns>
    /// <exception cref="ArgumentException">The span is not 20 bytes long.</exception>
    public static Address FromBytes(ReadOnlySpan<byte> value)
    {
        if (value.Length != Length)
        {
            throw new ArgumentException("An address is exactly 20 bytes.", nameof(value));
        }

        return new Address(value.ToArray());
    }

    /// <summary>
    /// Parses <c>0x</c> + 40 hex digits. All-lower-case and all-upper-case text is accepted as is; mixed-case
    /// text must carry a valid EIP-55 checksum, as ethers requires.
    /// </summary>
    /// <param name="text">The address text.</param>
    /// <returns>The address.</returns>
    /// <exception cref="FormatException">The text is not an address or its checksum is wrong.</exception>
    public static Address Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var address)
            ? address
            : throw new FormatException($"'{text}' is not a valid Ethereum address (0x + 40 hex digits, EIP-55 checksum if mixed-case).");
    }

    /// <summary>Parses an address; see <see cref="Parse"/> for the rules.</summary>
    /// <param name="text">The address text.</param>
    /// <param name="address">The address when parsing succeeded.</param>
    /// <returns><c>true</c> when the text is a valid address.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out Address? address)
    {
        address = null;
        if (text is null || text.Length != 2 + Length * 2 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
        {
            return false;
        }

        var raw = new byte[Length];
        if (!Hex.TryDecode(text, raw))
        {
            return false;
        }

        var candidate = new Address(raw);
        var digits = text.AsSpan(2);
        var hasLower = digits.ContainsAny("abcdef");
        var hasUpper = digits.ContainsAny("ABCDEF");
        if (hasLower && hasUpper && !digits.SequenceEqual(candidate.checksummed.AsSpan(2)))
        {
            return false;
        }

        address = candidate;
        return true;
    }

    /// <summary>Copies the 20 address bytes into a buffer.</summary>
    /// <param name="destination">At least 20 bytes.</param>
    public void CopyTo(Span<byte> destination) => bytes.CopyTo(destination);

    /// <summary>Returns a copy of the 20 address bytes.</summary>
    /// <returns>A new 20-byte array.</returns>
    public byte[] ToArray() => (byte[])bytes.Clone();

    /// <summary>Writes the address as a 32-byte ABI word (12 zero bytes, then the 20 address bytes).</summary>
    /// <param name="word">A 32-byte destination.</param>
    public void WriteWord(Span<byte> word)
    {
        word[..12].Clear();
        bytes.CopyTo(word[12..]);
    }

    /// <inheritdoc />
    public bool Equals(Address? other) => other is not null && bytes.AsSpan().SequenceEqual(other.bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Address);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(bytes, 16);

    /// <summary>The EIP-55 checksummed form.</summary>
    /// <returns>The checksummed address text.</returns>
    public override string ToString() => checksummed;

    /// <summary>Value equality.</summary>
    /// <param name="left">An address or null.</param>
    /// <param name="right">An address or null.</param>
    /// <returns><c>true</c> when both are null or hold the same bytes.</returns>
    public static bool operator ==(Address? left, Address? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Value inequality.</summary>
    /// <param name="left">An address or null.</param>
    /// <param name="right">An address or null.</param>
    /// <returns><c>true</c> when the addresses differ.</returns>
    public static bool operator !=(Address? left, Address? right) => !(left == right);

    private static string Checksum(byte[] raw)
    {
        Span<char> lower = stackalloc char[Length * 2];
        Convert.TryToHexStringLower(raw, lower, out _);
        Span<byte> ascii = stackalloc byte[Length * 2];
        for (var i = 0; i < lower.Length; i++)
        {
            ascii[i] = (byte)lower[i];
        }

        Span<byte> hash = stackalloc byte[Keccak256.HashLength];
        Keccak256.Hash(ascii, hash);
        return string.Create(2 + Length * 2, (raw, hash.ToArray()), static (chars, state) =>
        {
            chars[0] = '0';
            chars[1] = 'x';
            Convert.TryToHexStringLower(state.Item1, chars[2..], out _);
            for (var i = 0; i < Length * 2; i++)
            {
                var nibble = (i % 2 == 0 ? state.Item2[i / 2] >> 4 : state.Item2[i / 2]) & 0x0f;
                if (nibble >= 8)
                {
                    chars[i + 2] = char.ToUpperInvariant(chars[i + 2]);
                }
            }
        });
    }
}
