using System.Globalization;
using PolymarketAlgo.Core;
using PolymarketAlgo.Executor.Rest;

namespace PolymarketAlgo.Executor.Bots;

/// <summary>A leader's trade in a BTC 5-minute market that the copy bot has not seen before.</summary>
/// <param name="Wallet">The leader's wallet as polled.</param>
/// <param name="Activity">The Data API row.</param>
/// <param name="WindowStart">The window start, from the slug's Unix suffix.</param>
/// <param name="Outcome">Up or Down.</param>
/// <param name="Side">Buy or sell.</param>
public sealed record CopySignal(
    string Wallet,
    WalletActivity Activity,
    DateTimeOffset WindowStart,
    StreakReversal.Outcome Outcome,
    OrderSide Side
);

/// <summary>
/// Picks new BTC 5-minute trades out of polled Data API activity: <c>TRADE</c> rows of <c>btc-updown-5m-*</c>
/// markets, not older than the bot's start, each seen once (keyed by transaction hash, asset and side).
/// </summary>
public sealed class CopySignalDetector
{
    /// <summary>The slug prefix of the BTC 5-minute up/down markets.</summary>
    public const string SlugPrefix = "btc-updown-5m-";

    private readonly DateTimeOffset _since;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    /// <summary>Creates the detector.</summary>
    /// <param name="since">Rows older than this (the bot's start) are ignored.</param>
    public CopySignalDetector(DateTimeOffset since) => _since = since;

    /// <summary>How many distinct trades have been accepted so far.</summary>
    public int Seen => _seen.Count;

    /// <summary>The dedupe key of a row: transaction hash, asset and side (lower-cased hash and side).</summary>
    /// <param name="row">The row.</param>
    /// <returns>The key.</returns>
    public static string KeyOf(WalletActivity row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return string.Join(
            '|',
            row.TransactionHash.ToLowerInvariant(),
            row.TokenId,
            row.Side.ToUpperInvariant()
        );
    }

    /// <summary>The window start of a BTC 5-minute slug, or null when the slug is not one.</summary>
    /// <param name="slug">A market slug.</param>
    /// <returns>The window start.</returns>
    public static DateTimeOffset? WindowStartOf(string slug)
    {
        if (
            slug is null
            || !slug.StartsWith(SlugPrefix, StringComparison.Ordinal)
            || !long.TryParse(slug.AsSpan(SlugPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var unix)
        )
        {
            return null;
        }

        return DateTimeOffset.FromUnixTimeSeconds(unix);
    }

    /// <summary>The outcome of a row: its outcome name (Up/Down) or else its outcome index (0 Up, 1 Down).</summary>
    /// <param name="row">The row.</param>
    /// <returns>The outcome, or null when neither says.</returns>
    public static StreakReversal.Outcome? OutcomeOf(WalletActivity row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (string.Equals(row.Outcome, "Up", StringComparison.OrdinalIgnoreCase))
        {
            return StreakReversal.Outcome.Up;
        }

        if (string.Equals(row.Outcome, "Down", StringComparison.OrdinalIgnoreCase))
        {
            return StreakReversal.Outcome.Down;
        }

        return row.OutcomeIndex switch
        {
            0 => StreakReversal.Outcome.Up,
            1 => StreakReversal.Outcome.Down,
            _ => null,
        };
    }

    /// <summary>
    /// Forgets a row, so the next <see cref="Detect"/> that sees it returns it again (a copy that failed before it
    /// was decided).
    /// </summary>
    /// <param name="row">The row.</param>
    /// <returns>Whether the row had been seen.</returns>
    public bool Forget(WalletActivity row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return _seen.Remove(KeyOf(row));
    }

    /// <summary>The new signals among <paramref name="rows"/>, oldest first; each is remembered.</summary>
    /// <param name="wallet">The wallet polled.</param>
    /// <param name="rows">The activity rows, in any order.</param>
    /// <returns>The signals not seen before.</returns>
    public IReadOnlyList<CopySignal> Detect(string wallet, IEnumerable<WalletActivity> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var signals = new List<CopySignal>();
        foreach (var row in rows.OrderBy(r => r.TimestampUnix))
        {
            if (
                !string.Equals(row.Type, "TRADE", StringComparison.OrdinalIgnoreCase)
                || row.Timestamp < _since
                || WindowStartOf(row.Slug) is not { } start
                || OutcomeOf(row) is not { } outcome
            )
            {
                continue;
            }

            OrderSide? side = row.Side.ToUpperInvariant() switch
            {
                "BUY" => OrderSide.Buy,
                "SELL" => OrderSide.Sell,
                _ => null,
            };
            if (side is null || !_seen.Add(KeyOf(row)))
            {
                continue;
            }

            signals.Add(new CopySignal(wallet, row, start, outcome, side));
        }

        return signals;
    }
}

/// <summary>How much the copy bot spends on a copied buy.</summary>
public static class CopySizing
{
    /// <summary>The leader's dollar size times the ratio, capped by the maximum, rounded down to cents.</summary>
    /// <param name="leaderUsdc">The leader's trade in pUSD.</param>
    /// <param name="ratio">The copy ratio (positive).</param>
    /// <param name="maxAmount">The cap per copy (positive).</param>
    /// <returns>The amount in pUSD.</returns>
    public static decimal Amount(decimal leaderUsdc, decimal ratio, decimal maxAmount)
    {
        if (ratio <= 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "The ratio must be positive.");
        }

        if (maxAmount <= 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(maxAmount), maxAmount, "The maximum amount must be positive.");
        }

        var scaled = Math.Max(leaderUsdc, 0m) * ratio;
        return Math.Round(Math.Min(scaled, maxAmount), 2, MidpointRounding.ToZero);
    }
}
