using System.Text.Json.Nodes;
using PolymarketAlgo.Simulator.Data;

namespace PolymarketAlgo.Simulator.Markets;

/// <summary>
/// One btc-updown-5m market as the simulator serves it: its identity (slug, condition id, token ids: the recorded
/// ones when the data has this window, otherwise derived from the slug), the recorded book window it replays, and
/// its outcome.
/// </summary>
public sealed class MarketWindow
{
    /// <summary>The window length in seconds.</summary>
    public const long LengthSeconds = 300;

    internal MarketWindow(
        long startUnixSeconds,
        string conditionId,
        string questionId,
        string gammaId,
        string upTokenId,
        string downTokenId,
        RecordedBookWindow books,
        bool upWins,
        string outcomeSource,
        JsonObject gammaTemplate,
        bool recordedIdentity,
        decimal tickSize,
        decimal minimumOrderSize,
        decimal feeRate,
        int feeExponent)
    {
        StartUnixSeconds = startUnixSeconds;
        ConditionId = conditionId;
        QuestionId = questionId;
        GammaId = gammaId;
        UpTokenId = upTokenId;
        DownTokenId = downTokenId;
        Books = books;
        UpWins = upWins;
        OutcomeSource = outcomeSource;
        GammaTemplate = gammaTemplate;
        RecordedIdentity = recordedIdentity;
        TickSize = tickSize;
        MinimumOrderSize = minimumOrderSize;
        FeeRate = feeRate;
        FeeExponent = feeExponent;
        RecordedAssetIsUp = books.AssetId == upTokenId || (books.AssetId != downTokenId && books.AssetWon == upWins);
    }

    /// <summary>The window start, Unix seconds (a multiple of 300).</summary>
    public long StartUnixSeconds { get; }

    /// <summary>The window end, Unix seconds.</summary>
    public long EndUnixSeconds => StartUnixSeconds + LengthSeconds;

    /// <summary>The market slug.</summary>
    public string Slug => RecordedData.SlugPrefix + StartUnixSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The condition id.</summary>
    public string ConditionId { get; }

    /// <summary>The UMA question id.</summary>
    public string QuestionId { get; }

    /// <summary>The Gamma market id.</summary>
    public string GammaId { get; }

    /// <summary>The Gamma event id (derived from the market id).</summary>
    public string EventId => "9" + GammaId;

    /// <summary>The Up outcome's token id (outcome index 0).</summary>
    public string UpTokenId { get; }

    /// <summary>The Down outcome's token id (outcome index 1).</summary>
    public string DownTokenId { get; }

    /// <summary>The recorded book window replayed for this market.</summary>
    public RecordedBookWindow Books { get; }

    /// <summary>
    /// Whether the recorded asset's book is the Up token's book (otherwise it is the Down token's, and Up gets the
    /// mirror). Chosen so the replayed books end on the side of the outcome.
    /// </summary>
    public bool RecordedAssetIsUp { get; }

    /// <summary>The token whose book is the recorded one.</summary>
    public string RecordedTokenId => RecordedAssetIsUp ? UpTokenId : DownTokenId;

    /// <summary>Whether Up wins.</summary>
    public bool UpWins { get; }

    /// <summary>Where the outcome comes from.</summary>
    public string OutcomeSource { get; }

    /// <summary>The Gamma object this market's Gamma documents are built from (never modified).</summary>
    public JsonObject GammaTemplate { get; }

    /// <summary>Whether the slug, condition id and token ids are the recorded real ones.</summary>
    public bool RecordedIdentity { get; }

    /// <summary>The minimum tick.</summary>
    public decimal TickSize { get; }

    /// <summary>The minimum resting order size in shares.</summary>
    public decimal MinimumOrderSize { get; }

    /// <summary>The taker fee rate (fee = shares × rate × (p(1 − p))^exponent).</summary>
    public decimal FeeRate { get; }

    /// <summary>The taker fee exponent.</summary>
    public int FeeExponent { get; }

    /// <summary>The outcome index (0 Up, 1 Down) of a token of this market, or -1.</summary>
    /// <param name="tokenId">The token id.</param>
    /// <returns>The index.</returns>
    public int OutcomeIndexOf(string tokenId) => tokenId == UpTokenId ? 0 : tokenId == DownTokenId ? 1 : -1;

    /// <summary>The outcome name of a token: <c>Up</c> or <c>Down</c>.</summary>
    /// <param name="tokenId">The token id.</param>
    /// <returns>The name.</returns>
    public string OutcomeOf(string tokenId) => OutcomeIndexOf(tokenId) == 0 ? "Up" : "Down";

    /// <summary>The other token of the market.</summary>
    /// <param name="tokenId">A token id of this market.</param>
    /// <returns>The opposite token.</returns>
    public string OppositeOf(string tokenId) => tokenId == UpTokenId ? DownTokenId : UpTokenId;

    /// <summary>The winning token id.</summary>
    public string WinningTokenId => UpWins ? UpTokenId : DownTokenId;

    /// <summary>The market title, e.g. <c>Bitcoin Up or Down - March 12, 5:20AM-5:25AM ET</c>.</summary>
    public string Question => "Bitcoin Up or Down - " + EasternTime.Range(StartUnixSeconds, EndUnixSeconds);
}
