namespace PolymarketAlgo.Data;

/// <summary>The layout of a candle file.</summary>
public enum CandleFileFormat
{
    /// <summary>Detect the layout from the first bytes of each file (see <see cref="CandleLoader.DetectFormat(string)"/>).</summary>
    Auto,

    /// <summary>
    /// Binance's data.binance.vision kline CSV without a header: 12 columns (open_time, open, high, low,
    /// close, volume, close_time, quote volume, trades, taker buy base, taker buy quote, ignore).
    /// open_time may be in seconds, milliseconds or microseconds (detected from its magnitude).
    /// </summary>
    BinanceRaw,

    /// <summary>
    /// A CSV with a header naming a time column (open_time, time, timestamp, date or datetime) and
    /// open, high, low, close, volume columns in any order; extra columns are ignored. Times are either
    /// epoch numbers (unit detected from magnitude) or text like <c>2026-06-29 08:00</c>, which is read
    /// in <see cref="CandleLoadOptions.LocalTimeOffset"/> unless it carries its own offset.
    /// Covers Binance's futures CSVs and local-time exports.
    /// </summary>
    HeaderedCsv,

    /// <summary>freqtrade's JSON: an array of <c>[open_time_ms, open, high, low, close, volume]</c> number arrays.</summary>
    FreqtradeJson,
}

/// <summary>How <see cref="CandleLoader"/> reads candle files.</summary>
public sealed record CandleLoadOptions
{
    /// <summary>The options used when none are given: auto-detected format, text times in UTC.</summary>
    public static CandleLoadOptions Default { get; } = new();

    /// <summary>The file layout; <see cref="CandleFileFormat.Auto"/> (the default) detects it per file.</summary>
    public CandleFileFormat Format { get; init; } = CandleFileFormat.Auto;

    /// <summary>
    /// The UTC offset of text times that carry no offset of their own (default zero, i.e. UTC).
    /// The jiamingzang files are Beijing time: pass <c>TimeSpan.FromHours(8)</c>. Epoch numbers are always UTC.
    /// </summary>
    public TimeSpan LocalTimeOffset { get; init; } = TimeSpan.Zero;
}
