using System.Buffers.Binary;
using System.Text;
using PolymarketAlgo.Executor.Crypto;
using PolymarketAlgo.Executor.Secrets;

namespace PolymarketAlgo.Executor.Orders;

/// <summary>
/// Hashes and signs V2/V3 orders. The struct hash is encoded directly into a stack buffer with cached type
/// hashes (it equals the generic <see cref="Eip712Types"/> encoding of <see cref="Types"/>). Signature types
/// 0–2 sign the order digest; type 3 (POLY_1271) signs an ERC-7739 <c>TypedDataSign</c> digest and wraps it.
/// </summary>
public static class OrderSigner
{
    /// <summary>The EIP-712 type string of the V2/V3 order.</summary>
    public const string OrderTypeString =
        "Order(uint256 salt,address maker,address signer,uint256 tokenId,uint256 makerAmount,uint256 takerAmount,uint8 side,uint8 signatureType,uint256 timestamp,bytes32 metadata,bytes32 builder)";

    /// <summary>The ERC-7739 wrapper's primary type string, to which <see cref="OrderTypeString"/> is appended.</summary>
    public const string TypedDataSignTypeString =
        "TypedDataSign(Order contents,string name,string version,uint256 chainId,address verifyingContract,bytes32 salt)";

    /// <summary>The EIP-712 <c>name</c> of a deposit wallet.</summary>
    public const string DepositWalletName = "DepositWallet";

    /// <summary>The EIP-712 <c>version</c> of a deposit wallet.</summary>
    public const string DepositWalletVersion = "1";

    private const int OrderWords = 12;

    private static readonly byte[] OrderTypeHash = Keccak256.Hash(OrderTypeString);
    private static readonly byte[] TypedDataSignTypeHash = Keccak256.Hash(TypedDataSignTypeString + OrderTypeString);
    private static readonly byte[] DepositWalletNameHash = Keccak256.Hash(DepositWalletName);
    private static readonly byte[] DepositWalletVersionHash = Keccak256.Hash(DepositWalletVersion);
    private static readonly byte[] OrderTypeStringBytes = Encoding.UTF8.GetBytes(OrderTypeString);

    /// <summary>The order (and ERC-7739 wrapper) types for the generic EIP-712 encoder.</summary>
    public static Eip712Types Types { get; } = new(new Dictionary<string, IReadOnlyList<Eip712Field>>
    {
        ["Order"] =
        [
            new("salt", "uint256"), new("maker", "address"), new("signer", "address"), new("tokenId", "uint256"),
            new("makerAmount", "uint256"), new("takerAmount", "uint256"), new("side", "uint8"),
            new("signatureType", "uint8"), new("timestamp", "uint256"), new("metadata", "bytes32"), new("builder", "bytes32"),
        ],
        ["TypedDataSign"] =
        [
            new("contents", "Order"), new("name", "string"), new("version", "string"), new("chainId", "uint256"),
            new("verifyingContract", "address"), new("salt", "bytes32"),
        ],
    });

    /// <summary>Computes <c>hashStruct(order)</c> into a 32-byte buffer without allocating.</summary>
    /// <param name="order">The order.</param>
    /// <param name="output">Receives the 32-byte struct hash.</param>
    public static void StructHash(Order order, Span<byte> output)
    {
        ArgumentNullException.ThrowIfNull(order);
        Span<byte> buffer = stackalloc byte[OrderWords * 32];
        buffer.Clear();
        OrderTypeHash.CopyTo(buffer);
        BinaryPrimitives.WriteInt64BigEndian(buffer[56..64], order.Salt);
        order.Maker.CopyTo(buffer[76..96]);
        order.Signer.CopyTo(buffer[108..128]);
        order.TokenId.WriteWord(buffer[128..160]);
        BinaryPrimitives.WriteInt64BigEndian(buffer[184..192], order.MakerAmount);
        BinaryPrimitives.WriteInt64BigEndian(buffer[216..224], order.TakerAmount);
        buffer[255] = (byte)order.Side;
        buffer[287] = (byte)order.SignatureType;
        BinaryPrimitives.WriteInt64BigEndian(buffer[312..320], order.Timestamp);
        order.Metadata.CopyTo(buffer[320..352]);
        order.Builder.CopyTo(buffer[352..384]);
        Keccak256.Hash(buffer, output);
    }

    /// <summary>Computes <c>hashStruct(order)</c>.</summary>
    /// <param name="order">The order.</param>
    /// <returns>The 32-byte struct hash.</returns>
    public static byte[] StructHash(Order order)
    {
        var output = new byte[32];
        StructHash(order, output);
        return output;
    }

    /// <summary>The order's EIP-712 digest on a domain: the order id the API reports.</summary>
    /// <param name="order">The order.</param>
    /// <param name="domain">The exchange domain.</param>
    /// <returns>The order hash.</returns>
    public static Bytes32 Hash(Order order, ExchangeDomain domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        Span<byte> structHash = stackalloc byte[32];
        Span<byte> digest = stackalloc byte[32];
        StructHash(order, structHash);
        Eip712.Digest(domain.Separator, structHash, digest);
        return Bytes32.FromBytes(digest);
    }

    /// <summary>
    /// The digest a deposit-wallet owner signs for a POLY_1271 order: the exchange domain over
    /// <c>TypedDataSign{contents: order, name: "DepositWallet", version: "1", chainId, verifyingContract: wallet, salt: 0}</c>.
    /// </summary>
    /// <param name="order">The order (its signer is the deposit wallet).</param>
    /// <param name="domain">The exchange domain.</param>
    /// <returns>The 32-byte digest.</returns>
    public static byte[] DepositWalletDigest(Order order, ExchangeDomain domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        Span<byte> structHash = stackalloc byte[32];
        StructHash(order, structHash);
        return DepositWalletDigest(structHash, order.Signer, domain);
    }

    /// <summary>Signs an order. The key must be the order's signer (or, for POLY_1271, the deposit wallet's owner).</summary>
    /// <param name="order">The order.</param>
    /// <param name="domain">The exchange domain.</param>
    /// <param name="key">The signing key.</param>
    /// <returns>The signed order.</returns>
    /// <exception cref="ArgumentException">For types 0–2, the key's address is not the order's signer.</exception>
    public static SignedOrder Sign(Order order, ExchangeDomain domain, PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> structHash = stackalloc byte[32];
        Span<byte> digest = stackalloc byte[32];
        StructHash(order, structHash);
        Eip712.Digest(domain.Separator, structHash, digest);
        var hash = Bytes32.FromBytes(digest);
        if (order.SignatureType != SignatureType.Poly1271)
        {
            if (key.Address != order.Signer)
            {
                throw new ArgumentException($"The key signs for {key.Address}, but the order's signer is {order.Signer}.", nameof(key));
            }

            return new SignedOrder(order, hash, Secp256k1.Sign(digest, key).ToHex());
        }

        var inner = Secp256k1.Sign(DepositWalletDigest(structHash, order.Signer, domain), key);
        var blob = new byte[65 + 32 + 32 + OrderTypeStringBytes.Length + 2];
        inner.CopyTo(blob);
        domain.Separator.CopyTo(blob.AsSpan(65));
        structHash.CopyTo(blob.AsSpan(97));
        OrderTypeStringBytes.CopyTo(blob, 129);
        BinaryPrimitives.WriteUInt16BigEndian(blob.AsSpan(blob.Length - 2), (ushort)OrderTypeStringBytes.Length);
        return new SignedOrder(order, hash, Hex.Encode(blob));
    }

    /// <summary>
    /// Recovers the EOA that produced a signed order's signature: the order's signer for types 0–2, the
    /// deposit wallet's owner for POLY_1271 (after checking the wrapper's domain and contents match).
    /// </summary>
    /// <param name="signed">The signed order.</param>
    /// <param name="domain">The exchange domain it was signed for.</param>
    /// <returns>The recovered address, or <c>null</c> if the signature is malformed or does not match the order.</returns>
    public static Address? RecoverSigner(SignedOrder signed, ExchangeDomain domain)
    {
        ArgumentNullException.ThrowIfNull(signed);
        ArgumentNullException.ThrowIfNull(domain);
        byte[] bytes;
        try
        {
            bytes = Hex.Decode(signed.Signature);
        }
        catch (FormatException)
        {
            return null;
        }

        Span<byte> structHash = stackalloc byte[32];
        StructHash(signed.Order, structHash);
        if (signed.Order.SignatureType != SignatureType.Poly1271)
        {
            Span<byte> digest = stackalloc byte[32];
            Eip712.Digest(domain.Separator, structHash, digest);
            return bytes.Length == EcdsaSignature.Length ? Secp256k1.RecoverAddress(digest, EcdsaSignature.FromBytes(bytes)) : null;
        }

        var expectedLength = 65 + 32 + 32 + OrderTypeStringBytes.Length + 2;
        if (bytes.Length != expectedLength
            || !bytes.AsSpan(65, 32).SequenceEqual(domain.Separator)
            || !bytes.AsSpan(97, 32).SequenceEqual(structHash)
            || !bytes.AsSpan(129, OrderTypeStringBytes.Length).SequenceEqual(OrderTypeStringBytes))
        {
            return null;
        }

        return Secp256k1.RecoverAddress(
            DepositWalletDigest(structHash, signed.Order.Signer, domain),
            EcdsaSignature.FromBytes(bytes.AsSpan(0, 65)));
    }

    private static byte[] DepositWalletDigest(ReadOnlySpan<byte> orderStructHash, Address wallet, ExchangeDomain domain)
    {
        Span<byte> buffer = stackalloc byte[7 * 32];
        buffer.Clear();
        TypedDataSignTypeHash.CopyTo(buffer);
        orderStructHash.CopyTo(buffer[32..]);
        DepositWalletNameHash.CopyTo(buffer[64..]);
        DepositWalletVersionHash.CopyTo(buffer[96..]);
        BinaryPrimitives.WriteInt64BigEndian(buffer[152..160], domain.ChainId);
        wallet.WriteWord(buffer[160..192]);
        Span<byte> structHash = stackalloc byte[32];
        Keccak256.Hash(buffer, structHash);
        return Eip712.Digest(domain.Separator, structHash);
    }
}
