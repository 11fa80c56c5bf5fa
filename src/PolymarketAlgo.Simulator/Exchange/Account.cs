using System.Text.Json.Nodes;
using PolymarketAlgo.Simulator.Markets;

namespace PolymarketAlgo.Simulator.Exchange;

/// <summary>An outcome-token holding of an account.</summary>
internal sealed class Position(MarketWindow window, string tokenId)
{
    public MarketWindow Window { get; } = window;

    public string TokenId { get; } = tokenId;

    public decimal Shares { get; set; }

    public decimal Reserved { get; set; }

    public decimal Cost { get; set; }

    public decimal Bought { get; set; }

    public decimal RealizedPnl { get; set; }
}

/// <summary>A funder's balances, positions and Data API history. Guarded by the exchange lock.</summary>
internal sealed class Account(string address, string name, decimal collateral, bool unlimited)
{
    public string Address { get; } = address;

    public string Name { get; } = name;

    public bool Unlimited { get; } = unlimited;

    public decimal Collateral { get; set; } = collateral;

    public decimal ReservedCollateral { get; set; }

    public decimal AvailableCollateral => Unlimited ? decimal.MaxValue / 4 : Collateral - ReservedCollateral;

    public Dictionary<string, Position> Positions { get; } = new(StringComparer.Ordinal);

    public List<JsonObject> Activity { get; } = [];

    public List<JsonObject> Trades { get; } = [];

    public Position PositionOf(MarketWindow window, string tokenId)
    {
        if (!Positions.TryGetValue(tokenId, out var position))
        {
            position = new Position(window, tokenId);
            Positions[tokenId] = position;
        }

        return position;
    }

    public decimal AvailableShares(string tokenId) =>
        Positions.TryGetValue(tokenId, out var position) ? position.Shares - position.Reserved : 0m;
}
