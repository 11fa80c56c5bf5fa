using PolymarketAlgo.Executor.Crypto;

namespace PolymarketAlgo.Executor.Orders;

/// <summary>
/// A CLOB V2/V3 order: the 11 signed fields of
/// <c>Order(uint256 salt,address maker,address signer,uint256 tokenId,uint256 makerAmount,uint256 takerAmount,uint8 side,uint8 signatureType,uint256 timestamp,bytes32 metadata,bytes32 builder)</c>
/// plus the unsigned <see cref="Expiration"/> that travels only in the POST body. Immutable; value equality.
/// </summary>
public sealed record Order
{
    /// <summary>The largest salt: 2^53 − 1, because the salt is posted as a JSON number.</summary>
    public const long MaxSalt = (1L << 53) - 1;

    /// <summary>Creates an order, checking each field's range.</summary>
    /// <param name="salt">A random number in [0, 2^53 − 1].</param>
    /// <param name="maker">The funder: the EOA, proxy, Safe or deposit wallet holding the funds.</param>
    /// <param name="signer">The address whose signature is checked (the EOA, or the deposit wallet for type 3).</param>
    /// <param name="tokenId">The outcome token.</param>
    /// <param name="makerAmount">What is given, in 6-decimal base units (pUSD for BUY, shares for SELL).</param>
    /// <param name="takerAmount">What is received at least, in 6-decimal base units.</param>
    /// <param name="side">BUY or SELL.</param>
    /// <param name="signatureType">How the signature is verified.</param>
    /// <param name="timestamp">Creation time in Unix milliseconds (signed).</param>
    /// <param name="metadata">bytes32 metadata; zero when not needed.</param>
    /// <param name="builder">bytes32 builder code; zero when none.</param>
    /// <param name="expiration">Unix seconds for GTD, 0 otherwise (not signed).</param>
    public Order(
        long salt,
        Address maker,
        Address signer,
        TokenId tokenId,
        long makerAmount,
        long takerAmount,
        Side side,
        SignatureType signatureType,
        long timestamp,
        Bytes32? metadata = null,
        Bytes32? builder = null,
        long expiration = 0)
    {
        if (salt is < 0 or > MaxSalt)
        {
            throw new ArgumentOutOfRangeException(nameof(salt), "The salt must lie in [0, 2^53 - 1].");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(makerAmount);
        ArgumentOutOfRangeException.ThrowIfNegative(takerAmount);
        ArgumentOutOfRangeException.ThrowIfNegative(timestamp);
        ArgumentOutOfRangeException.ThrowIfNegative(expiration);
        if (!Enum.IsDefined(side))
        {
            throw new ArgumentOutOfRangeException(nameof(side));
        }

        if (!Enum.IsDefined(signatureType))
        {
            throw new ArgumentOutOfRangeException(nameof(signatureType));
        }

        Salt = salt;
        Maker = maker ?? throw new ArgumentNullException(nameof(maker));
        Signer = signer ?? throw new ArgumentNullException(nameof(signer));
        TokenId = tokenId ?? throw new ArgumentNullException(nameof(tokenId));
        MakerAmount = makerAmount;
        TakerAmount = takerAmount;
        Side = side;
        SignatureType = signatureType;
        Timestamp = timestamp;
        Metadata = metadata ?? Bytes32.Zero;
        Builder = builder ?? Bytes32.Zero;
        Expiration = expiration;
    }

    /// <summary>The salt.</summary>
    public long Salt { get; }

    /// <summary>The funder.</summary>
    public Address Maker { get; }

    /// <summary>The signer.</summary>
    public Address Signer { get; }

    /// <summary>The outcome token.</summary>
    public TokenId TokenId { get; }

    /// <summary>What is given, in base units (10^-6).</summary>
    public long MakerAmount { get; }

    /// <summary>What is received at least, in base units (10^-6).</summary>
    public long TakerAmount { get; }

    /// <summary>BUY or SELL.</summary>
    public Side Side { get; }

    /// <summary>How the signature is verified.</summary>
    public SignatureType SignatureType { get; }

    /// <summary>Creation time, Unix milliseconds.</summary>
    public long Timestamp { get; }

    /// <summary>bytes32 metadata.</summary>
    public Bytes32 Metadata { get; }

    /// <summary>bytes32 builder code.</summary>
    public Bytes32 Builder { get; }

    /// <summary>Expiration in Unix seconds; 0 for none. Not signed.</summary>
    public long Expiration { get; }
}

/// <summary>An order with its EIP-712 hash (the order id) and the signature to post.</summary>
/// <param name="Order">The order.</param>
/// <param name="Hash">The EIP-712 digest of the order on its exchange domain; the API's <c>orderID</c>.</param>
/// <param name="Signature">
/// <c>0x</c> hex: 65 bytes for signature types 0–2; the ERC-7739 wrapped blob for type 3.
/// </param>
public sealed record SignedOrder(Order Order, Bytes32 Hash, string Signature)
{
    /// <summary>The order id, <c>0x</c> + 64 hex digits.</summary>
    public string OrderId => Hash.ToString();
}
