using System.Collections.Concurrent;
using PolymarketAlgo.Executor.Books;

namespace PolymarketAlgo.Executor.Trading;

/// <summary>Where the paper trader reads order books: live WebSocket books, a replay, or fixed snapshots.</summary>
public interface IOrderBookSource
{
    /// <summary>The current book of a token, or null when none is known or it cannot be trusted.</summary>
    /// <param name="tokenId">The outcome token id.</param>
    /// <returns>The snapshot.</returns>
    BookSnapshot? GetBook(string tokenId);
}

/// <summary>Books kept by a <see cref="BookManager"/> (the live market channel, or a <c>MarketReplay</c>).</summary>
/// <param name="books">The manager.</param>
public sealed class BookManagerSource(BookManager books) : IOrderBookSource
{
    private readonly BookManager _books = books ?? throw new ArgumentNullException(nameof(books));

    /// <summary>The book when its status is Live or Suspect; null when empty, stale or untracked.</summary>
    /// <param name="tokenId">The outcome token id.</param>
    /// <returns>The snapshot.</returns>
    public BookSnapshot? GetBook(string tokenId) =>
        _books.GetStatus(tokenId) is BookStatus.Live or BookStatus.Suspect ? _books.GetSnapshot(tokenId) : null;
}

/// <summary>Fixed snapshots, set by the caller (tests, a REST <c>GET /book</c> poller). Thread-safe.</summary>
public sealed class SnapshotBookSource : IOrderBookSource
{
    private readonly ConcurrentDictionary<string, BookSnapshot> _books = new(StringComparer.Ordinal);

    /// <summary>Sets (replaces) the book of its asset.</summary>
    /// <param name="snapshot">The book.</param>
    public void Set(BookSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _books[snapshot.AssetId] = snapshot;
    }

    /// <inheritdoc />
    public BookSnapshot? GetBook(string tokenId) => _books.TryGetValue(tokenId, out var book) ? book : null;
}
