using PolymarketAlgo.Executor.Auth;
using PolymarketAlgo.Executor.Crypto;

namespace PolymarketAlgo.Executor.Orders;

/// <summary>Which exchange contract verifies an order.</summary>
public enum ExchangeKind
{
    /// <summary>CTF Exchange V2 (domain version "2"): classic markets, not neg-risk.</summary>
    CtfExchangeV2 = 0,

    /// <summary>NegRisk CTF Exchange V2 (domain version "2"): classic neg-risk markets.</summary>
    NegRiskCtfExchangeV2 = 1,

    /// <summary>ExchangeV3 (domain version "3"): Protocol-V2 markets.</summary>
    ExchangeV3 = 2,
}

/// <summary>
/// The EIP-712 domain an order is signed for: <c>{name:"Polymarket CTF Exchange", version, chainId,
/// verifyingContract}</c>. The separator is computed once; the well-known domains are cached.
/// </summary>
public sealed class ExchangeDomain
{
    /// <summary>The domain name shared by every exchange.</summary>
    public const string DomainName = "Polymarket CTF Exchange";

    private static readonly ExchangeDomain[] Polygon =
    [
        new("2", ChainIds.Polygon, PolygonContracts.CtfExchangeV2),
        new("2", ChainIds.Polygon, PolygonContracts.NegRiskCtfExchangeV2),
        new("3", ChainIds.Polygon, PolygonContracts.ExchangeV3),
    ];

    private static readonly ExchangeDomain[] Amoy =
    [
        new("2", ChainIds.Amoy, AmoyContracts.CtfExchangeV2),
        new("2", ChainIds.Amoy, AmoyContracts.NegRiskCtfExchangeV2),
        new("3", ChainIds.Amoy, AmoyContracts.ExchangeV3),
    ];

    private readonly byte[] separator;

    /// <summary>Creates a domain (prefer <see cref="Get"/> or <see cref="For"/> for the live contracts).</summary>
    /// <param name="version">The domain version: "2" for the V2 exchanges, "3" for ExchangeV3.</param>
    /// <param name="chainId">The chain id.</param>
    /// <param name="verifyingContract">The exchange contract.</param>
    public ExchangeDomain(string version, long chainId, Address verifyingContract)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(verifyingContract);
        Version = version;
        ChainId = chainId;
        VerifyingContract = verifyingContract;
        Eip712 = new Eip712Domain(DomainName, version, chainId, verifyingContract);
        separator = Eip712.Separator.ToArray();
    }

    /// <summary>The domain version.</summary>
    public string Version { get; }

    /// <summary>The chain id.</summary>
    public long ChainId { get; }

    /// <summary>The exchange contract.</summary>
    public Address VerifyingContract { get; }

    /// <summary>The underlying EIP-712 domain.</summary>
    public Eip712Domain Eip712 { get; }

    /// <summary>The 32-byte domain separator.</summary>
    public ReadOnlySpan<byte> Separator => separator;

    /// <summary>The cached domain of a live exchange.</summary>
    /// <param name="chainId">137 (Polygon) or 80002 (Amoy).</param>
    /// <param name="kind">The exchange.</param>
    /// <returns>The domain.</returns>
    /// <exception cref="ArgumentException">No addresses are known for the chain.</exception>
    public static ExchangeDomain Get(long chainId, ExchangeKind kind)
    {
        var table = chainId switch
        {
            ChainIds.Polygon => Polygon,
            ChainIds.Amoy => Amoy,
            _ => throw new ArgumentException($"No Polymarket exchange addresses are known for chain {chainId}.", nameof(chainId)),
        };
        return (uint)kind < (uint)table.Length ? table[(int)kind] : throw new ArgumentOutOfRangeException(nameof(kind));
    }

    /// <summary>
    /// The domain of a market: ExchangeV3 for Protocol-V2 markets, otherwise the NegRisk or CTF Exchange V2
    /// (ts-sdk <c>resolveOrderExchangeAddress</c>).
    /// </summary>
    /// <param name="chainId">The chain id.</param>
    /// <param name="negRisk">Whether the market is neg-risk.</param>
    /// <param name="protocolV2">Whether the market is a Protocol-V2 market (Gamma <c>version:"v2"</c>).</param>
    /// <returns>The domain.</returns>
    public static ExchangeDomain For(long chainId, bool negRisk, bool protocolV2) =>
        Get(chainId, protocolV2 ? ExchangeKind.ExchangeV3 : negRisk ? ExchangeKind.NegRiskCtfExchangeV2 : ExchangeKind.CtfExchangeV2);

    /// <summary>A readable description.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"{DomainName} v{Version} on chain {ChainId} at {VerifyingContract}";
}
