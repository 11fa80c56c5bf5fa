using System.Text;
using PolymarketAlgo.Executor.Rest;

namespace PolymarketAlgo.Executor.Books;

/// <summary>The REST <c>GET /book</c> of the CLOB client as the snapshot source of the local books.</summary>
public sealed class ClobBookSnapshotSource : IBookSnapshotSource
{
    private readonly ClobClient clob;

    /// <summary>Creates the adapter.</summary>
    /// <param name="clob">The CLOB client.</param>
    public ClobBookSnapshotSource(ClobClient clob) => this.clob = clob ?? throw new ArgumentNullException(nameof(clob));

    /// <inheritdoc />
    public async Task<BookSnapshot> GetBookAsync(string assetId, CancellationToken cancellationToken)
    {
        var book = await clob.GetBookAsync(assetId, cancellationToken).ConfigureAwait(false);
        return ToSnapshot(book);
    }

    /// <summary>Converts a REST book to the local book's snapshot form (levels keep the order they came in).</summary>
    /// <param name="book">The REST book.</param>
    /// <returns>The snapshot.</returns>
    public static BookSnapshot ToSnapshot(OrderBookSummary book)
    {
        ArgumentNullException.ThrowIfNull(book);
        BookHash.TryParse(Encoding.ASCII.GetBytes(book.Hash), out var hash);
        return new BookSnapshot(
            book.AssetId,
            book.Bids.Select(level => new PriceLevel(level.Price, level.Size)).ToArray(),
            book.Asks.Select(level => new PriceLevel(level.Price, level.Size)).ToArray(),
            book.TimestampMs,
            hash,
            book.TickSize);
    }
}
