namespace PolymarketAlgo.Data;

/// <summary>How a Polymarket up/down market resolved.</summary>
public enum MarketOutcome
{
    /// <summary>The price at the end was at or above the price at the start.</summary>
    Up,

    /// <summary>The price at the end was below the price at the start.</summary>
    Down,

    /// <summary>The market has not resolved (yet).</summary>
    Unresolved,
}

/// <summary>One up/down market window.</summary>
/// <param name="Start">The window's start (UTC), the unix time in its slug.</param>
/// <param name="End">The window's end (UTC).</param>
/// <param name="Slug">The market slug, e.g. <c>btc-updown-5m-1773619200</c>.</param>
/// <param name="Outcome">How it resolved.</param>
/// <param name="UpPrice">The final price of the Up share (1 or 0 once resolved), when the source gives it.</param>
/// <param name="DownPrice">The final price of the Down share, when the source gives it.</param>
/// <param name="BtcOpen">Binance BTC price at the start, when the source gives it.</param>
/// <param name="BtcClose">Binance BTC price at the end, when the source gives it.</param>
/// <param name="PriceToBeat">The Chainlink strike (price to beat) in USD, when the source gives it.</param>
public sealed record OutcomeWindow(
    DateTimeOffset Start,
    DateTimeOffset End,
    string Slug,
    MarketOutcome Outcome,
    decimal? UpPrice,
    decimal? DownPrice,
    double? BtcOpen,
    double? BtcClose,
    decimal? PriceToBeat);

/// <summary>A run of missing windows between two present ones.</summary>
/// <param name="LastBefore">Start of the last window before the gap.</param>
/// <param name="FirstAfter">Start of the first window after the gap.</param>
/// <param name="MissingWindows">How many window starts are missing in between.</param>
public sealed record OutcomeGap(DateTimeOffset LastBefore, DateTimeOffset FirstAfter, int MissingWindows);

/// <summary>
/// Resolved up/down windows sorted by start, with the missing windows reported as gaps (never filled in).
/// </summary>
public sealed class OutcomeHistory
{
    private OutcomeHistory(IReadOnlyList<OutcomeWindow> windows, IReadOnlyList<OutcomeGap> gaps, TimeSpan windowLength)
    {
        Windows = windows;
        Gaps = gaps;
        WindowLength = windowLength;
        UpCount = windows.Count(w => w.Outcome == MarketOutcome.Up);
        DownCount = windows.Count(w => w.Outcome == MarketOutcome.Down);
        UnresolvedCount = windows.Count - UpCount - DownCount;
        MissingWindows = gaps.Sum(g => g.MissingWindows);
    }

    /// <summary>The windows, strictly increasing in start.</summary>
    public IReadOnlyList<OutcomeWindow> Windows { get; }

    /// <summary>The runs of missing windows, in time order.</summary>
    public IReadOnlyList<OutcomeGap> Gaps { get; }

    /// <summary>The length of one window (5 minutes for btc-updown-5m).</summary>
    public TimeSpan WindowLength { get; }

    /// <summary>Windows that resolved Up.</summary>
    public int UpCount { get; }

    /// <summary>Windows that resolved Down.</summary>
    public int DownCount { get; }

    /// <summary>Windows not resolved.</summary>
    public int UnresolvedCount { get; }

    /// <summary>The number of missing windows over all gaps.</summary>
    public int MissingWindows { get; }

    /// <summary>Sorts windows by start and finds the gaps.</summary>
    /// <param name="windows">Windows with distinct starts, each a whole number of window lengths apart.</param>
    /// <param name="windowLength">The window length.</param>
    /// <returns>The history.</returns>
    /// <exception cref="ArgumentException">Two windows share a start or are not a whole number of windows apart.</exception>
    public static OutcomeHistory Create(IEnumerable<OutcomeWindow> windows, TimeSpan windowLength)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(windowLength, TimeSpan.Zero);
        var sorted = windows.OrderBy(w => w.Start).ToArray();
        var gaps = new List<OutcomeGap>();
        for (var i = 1; i < sorted.Length; i++)
        {
            var step = sorted[i].Start - sorted[i - 1].Start;
            if (step <= TimeSpan.Zero || step.Ticks % windowLength.Ticks != 0)
            {
                throw new ArgumentException(
                    $"windows {sorted[i - 1].Slug} and {sorted[i].Slug} are {step} apart, not a positive multiple of {windowLength}",
                    nameof(windows));
            }

            var missing = (int)(step.Ticks / windowLength.Ticks) - 1;
            if (missing > 0)
            {
                gaps.Add(new OutcomeGap(sorted[i - 1].Start, sorted[i].Start, missing));
            }
        }

        return new OutcomeHistory(sorted, gaps, windowLength);
    }
}
