using System.Text.Json.Nodes;

namespace PolymarketAlgo.Simulator.Data;

/// <summary>A recorded Gamma market object of a btc-updown-5m window, with its recorded outcome when known.</summary>
/// <param name="Slug">The market slug.</param>
/// <param name="StartUnixSeconds">The window start.</param>
/// <param name="ConditionId">The condition id.</param>
/// <param name="UpTokenId">The Up outcome's token id.</param>
/// <param name="DownTokenId">The Down outcome's token id.</param>
/// <param name="Raw">The Gamma object as recorded (never modified; clone it).</param>
/// <param name="UpWon">Whether Up won, when the record says so.</param>
/// <param name="Source">Where the record comes from (a file name).</param>
public sealed record RecordedGammaMarket(
    string Slug,
    long StartUnixSeconds,
    string ConditionId,
    string UpTokenId,
    string DownTokenId,
    JsonObject Raw,
    bool? UpWon,
    string Source);
