using System.Runtime.CompilerServices;

namespace PolymarketAlgo.Executor.Crypto;

/// <summary>
/// An element of the secp256k1 base field GF(p), p = 2^256 − 2^32 − 977, as four little-endian 64-bit limbs,
/// always fully reduced (&lt; p). Allocation-free arithmetic for the fixed-base multiplier.
/// </summary>
internal struct FieldElement
{
    /// <summary>2^256 mod p.</summary>
    private const ulong C = 0x1000003D1UL;

    private const ulong P0 = 0xFFFFFFFEFFFFFC2FUL;

    public ulong L0;
    public ulong L1;
    public ulong L2;
    public ulong L3;

    /// <summary>Reads a 32-byte big-endian value already below p.</summary>
    public static FieldElement FromBigEndian(ReadOnlySpan<byte> bytes) => new()
    {
        L3 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes),
        L2 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
        L1 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
        L0 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]),
    };

    /// <summary>Writes the value as 32 big-endian bytes.</summary>
    public readonly void WriteBigEndian(Span<byte> bytes)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, L3);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], L2);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes[16..], L1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes[24..], L0);
    }

    /// <summary>Whether the value is zero.</summary>
    public readonly bool IsZero => (L0 | L1 | L2 | L3) == 0;

    /// <summary>r = a − b mod p.</summary>
    public static void Subtract(in FieldElement a, in FieldElement b, out FieldElement r)
    {
        ulong borrow;
        r.L0 = SubBorrow(a.L0, b.L0, 0, out borrow);
        r.L1 = SubBorrow(a.L1, b.L1, borrow, out borrow);
        r.L2 = SubBorrow(a.L2, b.L2, borrow, out borrow);
        r.L3 = SubBorrow(a.L3, b.L3, borrow, out borrow);

        // On borrow the limbs hold a − b + 2^256; subtracting C gives a − b + p, which is in [1, p).
        var mask = 0UL - borrow;
        r.L0 = SubBorrow(r.L0, C & mask, 0, out borrow);
        r.L1 = SubBorrow(r.L1, 0, borrow, out borrow);
        r.L2 = SubBorrow(r.L2, 0, borrow, out borrow);
        r.L3 = SubBorrow(r.L3, 0, borrow, out _);
    }

    /// <summary>r = a · b mod p.</summary>
    public static void Multiply(in FieldElement a, in FieldElement b, out FieldElement r)
    {
        ulong c;
        var t0 = MulAdd(a.L0, b.L0, 0, 0, out c);
        var t1 = MulAdd(a.L0, b.L1, 0, c, out c);
        var t2 = MulAdd(a.L0, b.L2, 0, c, out c);
        var t3 = MulAdd(a.L0, b.L3, 0, c, out c);
        var t4 = c;

        t1 = MulAdd(a.L1, b.L0, t1, 0, out c);
        t2 = MulAdd(a.L1, b.L1, t2, c, out c);
        t3 = MulAdd(a.L1, b.L2, t3, c, out c);
        t4 = MulAdd(a.L1, b.L3, t4, c, out c);
        var t5 = c;

        t2 = MulAdd(a.L2, b.L0, t2, 0, out c);
        t3 = MulAdd(a.L2, b.L1, t3, c, out c);
        t4 = MulAdd(a.L2, b.L2, t4, c, out c);
        t5 = MulAdd(a.L2, b.L3, t5, c, out c);
        var t6 = c;

        t3 = MulAdd(a.L3, b.L0, t3, 0, out c);
        t4 = MulAdd(a.L3, b.L1, t4, c, out c);
        t5 = MulAdd(a.L3, b.L2, t5, c, out c);
        t6 = MulAdd(a.L3, b.L3, t6, c, out c);
        var t7 = c;

        // t = H·2^256 + L ≡ L + H·C (mod p).
        r.L0 = MulAdd(t4, C, t0, 0, out c);
        r.L1 = MulAdd(t5, C, t1, c, out c);
        r.L2 = MulAdd(t6, C, t2, c, out c);
        r.L3 = MulAdd(t7, C, t3, c, out c);

        // Fold the small top word (< 2^34) once more.
        var high = Math.BigMul(c, C, out var low);
        ulong carry;
        r.L0 = AddCarry(r.L0, low, 0, out carry);
        r.L1 = AddCarry(r.L1, high, carry, out carry);
        r.L2 = AddCarry(r.L2, 0, carry, out carry);
        r.L3 = AddCarry(r.L3, 0, carry, out carry);
        Finish(ref r, carry);
    }

    /// <summary>r = a² mod p.</summary>
    public static void Square(in FieldElement a, out FieldElement r) => Multiply(a, a, out r);

    /// <summary>Copies <paramref name="source"/> into <paramref name="target"/> when <paramref name="mask"/> is all ones, without branching.</summary>
    public static void Select(ref FieldElement target, in FieldElement source, ulong mask)
    {
        target.L0 ^= (target.L0 ^ source.L0) & mask;
        target.L1 ^= (target.L1 ^ source.L1) & mask;
        target.L2 ^= (target.L2 ^ source.L2) & mask;
        target.L3 ^= (target.L3 ^ source.L3) & mask;
    }

    /// <summary>Adds C for a carry out of 2^256, then subtracts p once if the value is still ≥ p.</summary>
    private static void Finish(ref FieldElement r, ulong carry)
    {
        var mask = 0UL - carry;
        ulong c;
        r.L0 = AddCarry(r.L0, C & mask, 0, out c);
        r.L1 = AddCarry(r.L1, 0, c, out c);
        r.L2 = AddCarry(r.L2, 0, c, out c);
        r.L3 = AddCarry(r.L3, 0, c, out _);

        // r ≥ p exactly when r + C overflows 2^256.
        AddCarry(r.L0, C, 0, out c);
        AddCarry(r.L1, 0, c, out c);
        AddCarry(r.L2, 0, c, out c);
        AddCarry(r.L3, 0, c, out c);
        var reduce = 0UL - c;
        r.L0 = SubBorrow(r.L0, P0 & reduce, 0, out c);
        r.L1 = SubBorrow(r.L1, reduce, c, out c);
        r.L2 = SubBorrow(r.L2, reduce, c, out c);
        r.L3 = SubBorrow(r.L3, reduce, c, out _);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MulAdd(ulong a, ulong b, ulong addend, ulong carryIn, out ulong carryOut)
    {
        var high = Math.BigMul(a, b, out var low);
        low += addend;
        high += Unsafe.BitCast<bool, byte>(low < addend);
        low += carryIn;
        high += Unsafe.BitCast<bool, byte>(low < carryIn);
        carryOut = high;
        return low;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong AddCarry(ulong a, ulong b, ulong carryIn, out ulong carryOut)
    {
        var sum = a + b;
        ulong carry = Unsafe.BitCast<bool, byte>(sum < a);
        var total = sum + carryIn;
        carryOut = carry | Unsafe.BitCast<bool, byte>(total < sum);
        return total;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SubBorrow(ulong a, ulong b, ulong borrowIn, out ulong borrowOut)
    {
        var difference = a - b;
        ulong borrow = Unsafe.BitCast<bool, byte>(a < b);
        var total = difference - borrowIn;
        borrowOut = borrow | Unsafe.BitCast<bool, byte>(difference < borrowIn);
        return total;
    }
}
