using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Utilities;

namespace PolymarketAlgo.Executor.Crypto;

/// <summary>
/// Fast k·G on secp256k1 for signing: 64 windows of 4 bits over a precomputed affine table, read with a
/// constant-time scan, summed with mixed Jacobian–affine additions on <see cref="FieldElement"/>s.
/// </summary>
/// <remarks>
/// Window i holds <c>(j·16^i + u_i)·G</c> for j = 0…15, where the blinding scalars u_i (fixed, derived by hashing)
/// sum to 0 mod n, so every table entry is a finite point and every addition sees unrelated points: the
/// exceptional cases of the addition formula occur with negligible probability, and then
/// <see cref="TryMultiply"/> reports failure so the caller can use BouncyCastle's multiplier instead. Every
/// window costs the same whatever k is. The table (1024 points, 64 KiB) is built once, on first use.
/// </remarks>
internal static class GeneratorMultiplier
{
    private const int Windows = 64;
    private const int Entries = 16;

    private static readonly Lazy<FieldElement[]> Table = new(Build);

    /// <summary>Computes the affine point k·G for 0 &lt; k &lt; n.</summary>
    /// <param name="k">The scalar.</param>
    /// <param name="x">Receives the 32-byte big-endian affine x.</param>
    /// <param name="y">Receives the 32-byte big-endian affine y.</param>
    /// <returns><c>false</c> in the (negligibly rare) exceptional case; the outputs are then unset.</returns>
    public static bool TryMultiply(BigInteger k, Span<byte> x, Span<byte> y)
    {
        var table = Table.Value;
        Span<byte> scalar = stackalloc byte[32];
        BigIntegers.AsUnsignedByteArray(k, scalar);
        Lookup(table, 0, Digit(scalar, 0), out var accX, out var accY);
        FieldElement accZ = default;
        accZ.L0 = 1;
        for (var window = 1; window < Windows; window++)
        {
            Lookup(table, window, Digit(scalar, window), out var px, out var py);
            if (!AddAffine(ref accX, ref accY, ref accZ, px, py))
            {
                return false;
            }
        }

        scalar.Clear();
        Span<byte> zBytes = stackalloc byte[32];
        accZ.WriteBigEndian(zBytes);
        var zInverse = BigIntegers.ModOddInverse(Secp256k1.P, new BigInteger(1, zBytes));
        BigIntegers.AsUnsignedByteArray(zInverse, zBytes);
        var zi = FieldElement.FromBigEndian(zBytes);
        FieldElement.Square(zi, out var zi2);
        FieldElement.Multiply(zi2, zi, out var zi3);
        FieldElement.Multiply(accX, zi2, out var ax);
        FieldElement.Multiply(accY, zi3, out var ay);
        ax.WriteBigEndian(x);
        ay.WriteBigEndian(y);
        return true;
    }

    private static int Digit(ReadOnlySpan<byte> bigEndian, int window)
    {
        var b = bigEndian[31 - window / 2];
        return window % 2 == 0 ? b & 0x0f : b >> 4;
    }

    private static void Lookup(FieldElement[] table, int window, int digit, out FieldElement x, out FieldElement y)
    {
        x = default;
        y = default;
        var offset = window * Entries * 2;
        for (var j = 0; j < Entries; j++)
        {
            var mask = 0UL - (ulong)(((j ^ digit) - 1) >> 31 & 1);
            FieldElement.Select(ref x, table[offset + 2 * j], mask);
            FieldElement.Select(ref y, table[offset + 2 * j + 1], mask);
        }
    }

    /// <summary>(X, Y, Z) += (x2, y2) in Jacobian coordinates (add-2007-bl with Z2 = 1).</summary>
    private static bool AddAffine(ref FieldElement x1, ref FieldElement y1, ref FieldElement z1, in FieldElement x2, in FieldElement y2)
    {
        FieldElement.Square(z1, out var z1z1);
        FieldElement.Multiply(x2, z1z1, out var u2);
        FieldElement.Multiply(z1, z1z1, out var z1Cubed);
        FieldElement.Multiply(y2, z1Cubed, out var s2);
        FieldElement.Subtract(u2, x1, out var h);
        FieldElement.Subtract(s2, y1, out var r);
        if (h.IsZero)
        {
            return false;
        }

        FieldElement.Square(h, out var hh);
        FieldElement.Multiply(h, hh, out var hhh);
        FieldElement.Multiply(x1, hh, out var v);
        FieldElement.Square(r, out var r2);
        FieldElement.Subtract(r2, hhh, out var x3);
        FieldElement.Subtract(x3, v, out x3);
        FieldElement.Subtract(x3, v, out x3);
        FieldElement.Subtract(v, x3, out var vMinusX3);
        FieldElement.Multiply(r, vMinusX3, out var y3);
        FieldElement.Multiply(y1, hhh, out var y1hhh);
        FieldElement.Subtract(y3, y1hhh, out y3);
        FieldElement.Multiply(z1, h, out var z3);
        x1 = x3;
        y1 = y3;
        z1 = z3;
        return true;
    }

    private static FieldElement[] Build()
    {
        X9ECParameters curve = Secp256k1.Parameters;
        var n = curve.N;
        var blinding = new BigInteger[Windows];
        var sum = BigInteger.Zero;
        for (var i = 0; i < Windows - 1; i++)
        {
            blinding[i] = new BigInteger(1, Keccak256.Hash($"PolymarketAlgo secp256k1 generator table blinding {i}")).Mod(n);
            sum = sum.Add(blinding[i]);
        }

        blinding[Windows - 1] = n.Subtract(sum.Mod(n)).Mod(n);
        var points = new ECPoint[Windows * Entries];
        var windowBase = curve.G;
        for (var i = 0; i < Windows; i++)
        {
            var point = curve.G.Multiply(blinding[i]);
            for (var j = 0; j < Entries; j++)
            {
                points[i * Entries + j] = point;
                point = point.Add(windowBase);
            }

            windowBase = windowBase.TimesPow2(4);
        }

        curve.Curve.NormalizeAll(points);
        var table = new FieldElement[Windows * Entries * 2];
        Span<byte> buffer = stackalloc byte[32];
        for (var i = 0; i < points.Length; i++)
        {
            if (points[i].IsInfinity)
            {
                throw new InvalidOperationException("The generator table hit the point at infinity.");
            }

            BigIntegers.AsUnsignedByteArray(points[i].AffineXCoord.ToBigInteger(), buffer);
            table[2 * i] = FieldElement.FromBigEndian(buffer);
            BigIntegers.AsUnsignedByteArray(points[i].AffineYCoord.ToBigInteger(), buffer);
            table[2 * i + 1] = FieldElement.FromBigEndian(buffer);
        }

        return table;
    }
}
