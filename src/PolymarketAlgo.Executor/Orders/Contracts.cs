using PolymarketAlgo.Executor.Crypto;

namespace PolymarketAlgo.Executor.Orders;

/// <summary>Polymarket contract addresses on Polygon mainnet (chain 137).</summary>
public static class PolygonContracts
{
    /// <summary>CTF Exchange V2: EIP-712 domain version "2", classic non-neg-risk markets.</summary>
    public static Address CtfExchangeV2 { get; } = Address.Parse("0xE111180000d2663C0091e4f400237545B87B996B");

    /// <summary>NegRisk CTF Exchange V2: domain version "2", classic neg-risk markets.</summary>
    public static Address NegRiskCtfExchangeV2 { get; } = Address.Parse("0xe2222d279d744050d28e00520010520000310F59");

    /// <summary>ExchangeV3: domain version "3", every Protocol-V2 market (neg-risk included).</summary>
    public static Address ExchangeV3 { get; } = Address.Parse("0xe3333700cA9d93003F00f0F71f8515005F6c00Aa");

    /// <summary>pUSD, the 6-decimal collateral.</summary>
    public static Address Pusd { get; } = Address.Parse("0xC011a7E12a19f7B1f670d46F03B03f3342E82DFB");

    /// <summary>ConditionalTokens (CTF, ERC-1155).</summary>
    public static Address ConditionalTokens { get; } = Address.Parse("0x4D97DCd97eC945f40cF65F87097ACe5EA0476045");

    /// <summary>NegRiskAdapter.</summary>
    public static Address NegRiskAdapter { get; } = Address.Parse("0xd91E80cF2E7be2e162c6513ceD06f1dD0dA35296");

    /// <summary>PositionManager, the Protocol-V2 position ledger (ERC-1155).</summary>
    public static Address PositionManager { get; } = Address.Parse("0x006F54F7f9A22e0000CC2AB60031000000ae9fEF");
}

/// <summary>Polymarket contract addresses on Polygon Amoy (chain 80002), the official signing-vector chain.</summary>
public static class AmoyContracts
{
    /// <summary>CTF Exchange V2 (same address as mainnet).</summary>
    public static Address CtfExchangeV2 { get; } = PolygonContracts.CtfExchangeV2;

    /// <summary>NegRisk CTF Exchange V2 (same address as mainnet).</summary>
    public static Address NegRiskCtfExchangeV2 { get; } = PolygonContracts.NegRiskCtfExchangeV2;

    /// <summary>ExchangeV3 (differs from mainnet).</summary>
    public static Address ExchangeV3 { get; } = Address.Parse("0x9fE6e61422AdB6F610d8597F9684b16912D50C3D");

    /// <summary>Collateral.</summary>
    public static Address Collateral { get; } = PolygonContracts.Pusd;

    /// <summary>ConditionalTokens.</summary>
    public static Address ConditionalTokens { get; } = Address.Parse("0x69308FB512518e39F9b16112fA8d994F4e2Bf8bB");
}
