namespace PolymarketAlgo.Data;

/// <summary>
/// A data file does not have the expected shape. The message names the file and the 1-based line
/// where the problem was found, for example <c>BTCUSDT-5m-2024-01.csv:17: expected 12 columns, found 11</c>.
/// </summary>
public class DataFormatException : Exception
{
    /// <summary>Creates the exception for a problem at <paramref name="line"/> of <paramref name="file"/>.</summary>
    /// <param name="file">Path of the offending file.</param>
    /// <param name="line">1-based line number, or 0 when the problem concerns the whole file.</param>
    /// <param name="problem">What is wrong, without the file and line.</param>
    /// <param name="inner">The parser's own exception, if any.</param>
    public DataFormatException(string file, int line, string problem, Exception? inner = null)
        : base(line > 0 ? $"{file}:{line}: {problem}" : $"{file}: {problem}", inner)
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    /// <summary>Path of the offending file.</summary>
    public string File { get; }

    /// <summary>1-based line number of the problem, or 0 when it concerns the whole file.</summary>
    public int Line { get; }

    /// <summary>What is wrong, without the file and line.</summary>
    public string Problem { get; }
}

/// <summary>
/// A candle file is malformed: a row with the wrong number of columns, a value that does not parse,
/// a time that is not strictly after the previous one (unsorted or duplicate), or overlapping files.
/// </summary>
public sealed class CandleFormatException : DataFormatException
{
    /// <summary>Creates the exception for a problem at <paramref name="line"/> of <paramref name="file"/>.</summary>
    /// <param name="file">Path of the offending file.</param>
    /// <param name="line">1-based line number, or 0 when the problem concerns the whole file.</param>
    /// <param name="problem">What is wrong, without the file and line.</param>
    /// <param name="inner">The parser's own exception, if any.</param>
    public CandleFormatException(string file, int line, string problem, Exception? inner = null)
        : base(file, line, problem, inner)
    {
    }
}

/// <summary>A Polymarket outcome history file is malformed (bad row, unknown outcome, duplicate window).</summary>
public sealed class OutcomeFormatException : DataFormatException
{
    /// <summary>Creates the exception for a problem at <paramref name="line"/> of <paramref name="file"/>.</summary>
    /// <param name="file">Path of the offending file.</param>
    /// <param name="line">1-based line number, or 0 when the problem concerns the whole file.</param>
    /// <param name="problem">What is wrong, without the file and line.</param>
    /// <param name="inner">The parser's own exception, if any.</param>
    public OutcomeFormatException(string file, int line, string problem, Exception? inner = null)
        : base(file, line, problem, inner)
    {
    }
}
