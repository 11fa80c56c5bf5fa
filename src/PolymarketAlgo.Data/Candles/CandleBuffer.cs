using PolymarketAlgo.Core;

namespace PolymarketAlgo.Data;

/// <summary>Growable candle columns used while parsing; times are UTC ticks.</summary>
internal sealed class CandleBuffer
{
    private long[] _ticks;
    private double[] _open;
    private double[] _high;
    private double[] _low;
    private double[] _close;
    private double[] _volume;

    public CandleBuffer(int capacity)
    {
        capacity = Math.Max(capacity, 16);
        _ticks = new long[capacity];
        _open = new double[capacity];
        _high = new double[capacity];
        _low = new double[capacity];
        _close = new double[capacity];
        _volume = new double[capacity];
    }

    public int Count { get; private set; }

    public long LastTicks => _ticks[Count - 1];

    public void Add(long ticks, double open, double high, double low, double close, double volume)
    {
        if (Count == _ticks.Length)
        {
            var size = Count * 2;
            Array.Resize(ref _ticks, size);
            Array.Resize(ref _open, size);
            Array.Resize(ref _high, size);
            Array.Resize(ref _low, size);
            Array.Resize(ref _close, size);
            Array.Resize(ref _volume, size);
        }

        _ticks[Count] = ticks;
        _open[Count] = open;
        _high[Count] = high;
        _low[Count] = low;
        _close[Count] = close;
        _volume[Count] = volume;
        Count++;
    }

    public CandleColumns ToColumns()
    {
        var time = new DateTimeOffset[Count];
        for (var i = 0; i < time.Length; i++)
        {
            time[i] = new DateTimeOffset(_ticks[i], TimeSpan.Zero);
        }

        return new CandleColumns(
            time,
            _open.AsSpan(0, Count).ToArray(),
            _high.AsSpan(0, Count).ToArray(),
            _low.AsSpan(0, Count).ToArray(),
            _close.AsSpan(0, Count).ToArray(),
            _volume.AsSpan(0, Count).ToArray());
    }
}
