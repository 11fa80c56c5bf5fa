using PolymarketAlgo.Core;
using PolymarketAlgo.Core.Interop;

namespace PolymarketAlgo.Plugins.CSharpExample;

/// <summary>
/// The original toolkit's example plugin (<c>examples/custom_strategy</c>, <c>RSIReversalStrategy</c>) written in
/// C# against <see cref="IStrategy"/>: bet Up where RSI is below <c>oversold</c>, bet Down where it is above
/// <c>overbought</c> (Down wins a bar that is both, as in the original, where the second assignment overwrites).
/// RSI is the original's intended one (warm-up bars are 100, so they bet Down, like the original).
/// A public class with a parameterless constructor is all the plugin registry needs.
/// </summary>
public sealed class RsiReversalStrategy : IStrategy
{
    private static readonly IIndicator Rsi =
        Indicators.Find("rsi") ?? throw new InvalidOperationException("the rsi indicator is not registered");

    private static readonly IReadOnlyDictionary<string, double> Defaults = new Dictionary<string, double>
    {
        ["period"] = 14,
        ["oversold"] = 30,
        ["overbought"] = 70,
        ["size"] = 10,
    };

    private static readonly IReadOnlyList<ParameterRange> Grid =
    [
        new ParameterRange("period", [10, 14]),
        new ParameterRange("oversold", [25, 30]),
        new ParameterRange("overbought", [70, 75]),
    ];

    /// <summary>Registry name.</summary>
    public string Name => "rsi-reversal";

    /// <summary>One-line description.</summary>
    public string Description => "RSI mean reversal: Up when oversold, Down when overbought (the original's example plugin)";

    /// <summary>The bar interval of the original example.</summary>
    public string Timeframe => "15m";

    /// <summary>period 14, oversold 30, overbought 70, size 10.</summary>
    public IReadOnlyDictionary<string, double> DefaultParameters => Defaults;

    /// <summary>period [10, 14] × oversold [25, 30] × overbought [70, 75].</summary>
    public IReadOnlyList<ParameterRange> ParameterGrid => Grid;

    /// <summary>Writes +1/−1/0 and the size for every bar.</summary>
    /// <param name="input">The candles and the shared indicator cache.</param>
    /// <param name="parameters">Parameters by name; missing ones take their defaults.</param>
    /// <param name="destination">Zeroed signals, one entry per candle.</param>
    public void Evaluate(StrategyInput input, IReadOnlyDictionary<string, double> parameters, Signals destination)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(destination);
        var period = Math.Truncate(Read(parameters, "period"));
        var oversold = Read(parameters, "oversold");
        var overbought = Read(parameters, "overbought");
        var size = Read(parameters, "size");
        var rsi = input.Indicators.Get(Rsi, new Dictionary<string, double> { ["period"] = period }, 0);

        for (var t = 0; t < rsi.Length; t++)
        {
            var signal = rsi[t] > overbought ? -1 : rsi[t] < oversold ? 1 : 0;
            destination.Signal[t] = signal;
            destination.Size[t] = signal == 0 ? 0.0 : size;
        }
    }

    private static double Read(IReadOnlyDictionary<string, double>? parameters, string name) =>
        parameters is not null && parameters.TryGetValue(name, out var value) ? value : Defaults[name];
}
