using System.Text.Json;
using PolymarketAlgo.Executor.Http;
using PolymarketAlgo.Executor.Rest;

namespace PolymarketAlgo.Executor.Markets;

/// <summary>Where a market stands on resolution.</summary>
public enum ResolutionState
{
    /// <summary>The market is not closed.</summary>
    Open,

    /// <summary>Closed, but the prices name no winner yet (UMA settlement pending, or a legacy/void market).</summary>
    ClosedUndecided,

    /// <summary>Closed with one outcome priced 1 and the others 0.</summary>
    Resolved,
}

/// <summary>The resolution of a Gamma market.</summary>
/// <param name="State">Open, closed without a winner, or resolved.</param>
/// <param name="WinnerIndex">The index of the winning outcome when resolved.</param>
/// <param name="WinnerOutcome">The name of the winning outcome when resolved.</param>
/// <param name="UmaResolved">True when <c>umaResolutionStatus</c> or <c>umaResolutionStatuses</c> says <c>resolved</c>.</param>
public sealed record MarketResolution(ResolutionState State, int? WinnerIndex, string? WinnerOutcome, bool UmaResolved);

/// <summary>Decodes the JSON-inside-JSON fields of a <see cref="GammaMarket"/> and derives its resolution.</summary>
public static class GammaMarketFields
{
    /// <summary>
    /// Decodes a JSON-encoded array of strings (or numbers, kept as text), e.g. <c>"[\"Up\", \"Down\"]"</c>.
    /// Null or empty text gives an empty list.
    /// </summary>
    /// <exception cref="FormatException">The text is not a JSON array of strings or numbers.</exception>
    public static IReadOnlyList<string> ParseStringArray(string? encoded)
    {
        if (string.IsNullOrWhiteSpace(encoded))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(encoded);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"expected a JSON array, got {document.RootElement.ValueKind}: {encoded}");
            }

            return document.RootElement.EnumerateArray()
                .Select(e => e.ValueKind switch
                {
                    JsonValueKind.String => e.GetString()!,
                    JsonValueKind.Number => e.GetRawText(),
                    _ => throw new FormatException($"expected strings or numbers in {encoded}"),
                })
                .ToArray();
        }
        catch (JsonException e)
        {
            throw new FormatException($"not a JSON array: {encoded}", e);
        }
    }

    /// <summary>The outcome names, e.g. <c>Up</c>, <c>Down</c>.</summary>
    public static IReadOnlyList<string> Outcomes(GammaMarket market) => ParseStringArray(Require(market).Outcomes);

    /// <summary>The outcome prices, in outcome order.</summary>
    /// <exception cref="FormatException">A price is not a decimal.</exception>
    public static IReadOnlyList<decimal> OutcomePrices(GammaMarket market) =>
        ParseStringArray(Require(market).OutcomePrices).Select(ParsePrice).ToArray();

    /// <summary>The CLOB token IDs, in outcome order.</summary>
    public static IReadOnlyList<string> ClobTokenIds(GammaMarket market) => ParseStringArray(Require(market).ClobTokenIds);

    /// <summary>The UMA resolution statuses, e.g. <c>proposed</c>, <c>resolved</c>.</summary>
    public static IReadOnlyList<string> UmaResolutionStatuses(GammaMarket market) => ParseStringArray(Require(market).UmaResolutionStatuses);

    /// <summary>
    /// The resolution: a closed market whose prices are exactly one 1 and otherwise 0 is resolved to that outcome;
    /// any other closed market is undecided; an unclosed market is open whatever its prices.
    /// </summary>
    public static MarketResolution Resolution(GammaMarket market)
    {
        Require(market);
        var umaResolved = string.Equals(market.UmaResolutionStatus, "resolved", StringComparison.OrdinalIgnoreCase)
            || UmaResolutionStatuses(market).Any(s => string.Equals(s, "resolved", StringComparison.OrdinalIgnoreCase));
        if (!market.Closed)
        {
            return new MarketResolution(ResolutionState.Open, null, null, umaResolved);
        }

        var prices = OutcomePrices(market);
        var winners = Enumerable.Range(0, prices.Count).Where(i => prices[i] == 1m).ToArray();
        var decisive = winners.Length == 1 && prices.Count(p => p == 0m) == prices.Count - 1;
        if (!decisive)
        {
            return new MarketResolution(ResolutionState.ClosedUndecided, null, null, umaResolved);
        }

        var outcomes = Outcomes(market);
        var index = winners[0];
        return new MarketResolution(ResolutionState.Resolved, index, index < outcomes.Count ? outcomes[index] : null, umaResolved);
    }

    private static decimal ParsePrice(string text)
    {
        try
        {
            return JsonDecimal.Parse(text);
        }
        catch (JsonException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    private static GammaMarket Require(GammaMarket market)
    {
        ArgumentNullException.ThrowIfNull(market);
        return market;
    }
}
