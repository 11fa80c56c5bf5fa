using System.Buffers;
using System.Text;

namespace PolymarketAlgo.Executor.Streaming;

/// <summary>
/// Interns the ids that repeat in every message (token ids, condition ids) so parsing them does not
/// allocate once they have been seen. Not thread-safe: one table per parser.
/// </summary>
public sealed class AssetIdTable
{
    private const int MaxStackChars = 256;
    private readonly Dictionary<string, string> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    /// <summary>Creates a table.</summary>
    /// <param name="maxEntries">Ids past this many are returned as fresh strings without being kept.</param>
    public AssetIdTable(int maxEntries = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEntries);
        MaxEntries = maxEntries;
        _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The most ids kept.</summary>
    public int MaxEntries { get; }

    /// <summary>The number of ids kept.</summary>
    public int Count => _ids.Count;

    /// <summary>Returns the interned string for UTF-8 bytes.</summary>
    /// <param name="utf8">The id as UTF-8.</param>
    /// <returns>The string, shared with earlier calls for the same id.</returns>
    public string Intern(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length <= MaxStackChars)
        {
            Span<char> chars = stackalloc char[MaxStackChars];
            if (Ascii.ToUtf16(utf8, chars, out var written) == OperationStatus.Done)
            {
                return Intern(chars[..written]);
            }
        }

        return Intern(Encoding.UTF8.GetString(utf8));
    }

    /// <summary>Returns the interned string for characters.</summary>
    /// <param name="chars">The id.</param>
    /// <returns>The string, shared with earlier calls for the same id.</returns>
    public string Intern(ReadOnlySpan<char> chars)
    {
        if (_lookup.TryGetValue(chars, out var existing))
        {
            return existing;
        }

        var created = chars.ToString();
        if (_ids.Count < MaxEntries)
        {
            _ids[created] = created;
        }

        return created;
    }

    /// <summary>Returns the interned instance of a string.</summary>
    /// <param name="id">The id.</param>
    /// <returns>The shared instance.</returns>
    public string Intern(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (_ids.TryGetValue(id, out var existing))
        {
            return existing;
        }

        if (_ids.Count < MaxEntries)
        {
            _ids[id] = id;
        }

        return id;
    }
}
