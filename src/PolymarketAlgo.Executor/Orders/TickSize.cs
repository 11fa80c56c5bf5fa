using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace PolymarketAlgo.Executor.Orders;

/// <summary>
/// A market's price increment and its rounding configuration (clob-client-v2 <c>ROUNDING_CONFIG</c>): how many
/// decimals a price, a size and a computed amount may have. Only the six ticks Polymarket uses exist.
/// </summary>
public sealed class TickSize : IEquatable<TickSize>
{
    private TickSize(decimal value, int priceDecimals, int sizeDecimals, int amountDecimals)
    {
        Value = value;
        PriceDecimals = priceDecimals;
        SizeDecimals = sizeDecimals;
        AmountDecimals = amountDecimals;
    }

    /// <summary>Tick 0.1: price 1, size 2, amount 3 decimals.</summary>
    public static TickSize OneTenth { get; } = new(0.1m, 1, 2, 3);

    /// <summary>Tick 0.01: price 2, size 2, amount 4 decimals.</summary>
    public static TickSize OneHundredth { get; } = new(0.01m, 2, 2, 4);

    /// <summary>Tick 0.005: price 3, size 2, amount 5 decimals.</summary>
    public static TickSize FiveThousandths { get; } = new(0.005m, 3, 2, 5);

    /// <summary>Tick 0.0025: price 4, size 2, amount 6 decimals.</summary>
    public static TickSize TwentyFiveTenThousandths { get; } = new(0.0025m, 4, 2, 6);

    /// <summary>Tick 0.001: price 3, size 2, amount 5 decimals.</summary>
    public static TickSize OneThousandth { get; } = new(0.001m, 3, 2, 5);

    /// <summary>Tick 0.0001: price 4, size 2, amount 6 decimals.</summary>
    public static TickSize OneTenThousandth { get; } = new(0.0001m, 4, 2, 6);

    /// <summary>Every supported tick, largest first.</summary>
    public static IReadOnlyList<TickSize> All { get; } =
        [OneTenth, OneHundredth, FiveThousandths, TwentyFiveTenThousandths, OneThousandth, OneTenThousandth];

    /// <summary>The tick, e.g. 0.01.</summary>
    public decimal Value { get; }

    /// <summary>Decimals a price is rounded to.</summary>
    public int PriceDecimals { get; }

    /// <summary>Decimals a size (or a market order's amount) is rounded down to.</summary>
    public int SizeDecimals { get; }

    /// <summary>Decimals a computed maker/taker amount may keep.</summary>
    public int AmountDecimals { get; }

    /// <summary>The tick of a value such as 0.01.</summary>
    /// <param name="value">The tick value.</param>
    /// <returns>The tick.</returns>
    /// <exception cref="ArgumentException">Not one of the six supported ticks.</exception>
    public static TickSize FromValue(decimal value) =>
        TryFromValue(value, out var tick) ? tick : throw new ArgumentException($"{value} is not a supported tick size.", nameof(value));

    /// <summary>The tick of a value, if supported.</summary>
    /// <param name="value">The tick value.</param>
    /// <param name="tick">The tick when supported.</param>
    /// <returns><c>true</c> when the value is a supported tick.</returns>
    public static bool TryFromValue(decimal value, [NotNullWhen(true)] out TickSize? tick)
    {
        tick = All.FirstOrDefault(t => t.Value == value);
        return tick is not null;
    }

    /// <summary>Parses the API's text form, e.g. <c>"0.01"</c> (<c>minimum_tick_size</c>).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The tick.</returns>
    /// <exception cref="FormatException">Not a supported tick.</exception>
    public static TickSize Parse(string text) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && TryFromValue(value, out var tick)
            ? tick
            : throw new FormatException($"'{text}' is not a supported tick size.");

    /// <summary>Whether a price is a whole number of ticks.</summary>
    /// <param name="price">The price.</param>
    /// <returns><c>true</c> when on the grid.</returns>
    public bool IsOnGrid(decimal price) => price % Value == 0m;

    /// <inheritdoc />
    public bool Equals(TickSize? other) => other is not null && other.Value == Value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TickSize);

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode();

    /// <summary>The tick as invariant text, e.g. <c>0.01</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
