using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PolymarketAlgo.Executor.Books;
using PolymarketAlgo.Executor.Recording;

namespace PolymarketAlgo.Executor.Streaming;

/// <summary>
/// Creates market channel clients that share one <see cref="BookManager"/> (so a paper trader reading
/// <see cref="Books"/> walks the streamed books) and fetch REST snapshots of stale books from one source.
/// The caller runs each client (<see cref="ReconnectingWebSocketClient.RunAsync"/>) and subscribes its assets.
/// </summary>
public sealed class MarketChannelFactory
{
    private readonly IBookSnapshotSource? _snapshots;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;

    /// <summary>Creates the factory.</summary>
    /// <param name="options">The settings of the clients created without their own (the URL above all).</param>
    /// <param name="books">The books every client keeps.</param>
    /// <param name="snapshots">Where stale books get snapshots from (the REST book); none when null.</param>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    /// <param name="loggerFactory">The clients' loggers; none when null.</param>
    public MarketChannelFactory(
        MarketChannelOptions options,
        BookManager books,
        IBookSnapshotSource? snapshots = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null
    )
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        Books = books ?? throw new ArgumentNullException(nameof(books));
        _snapshots = snapshots;
        _time = timeProvider ?? TimeProvider.System;
        _loggers = loggerFactory ?? NullLoggerFactory.Instance;
    }

    /// <summary>The default settings (start from them with <c>with</c> to change one).</summary>
    public MarketChannelOptions Options { get; }

    /// <summary>The books the clients keep.</summary>
    public BookManager Books { get; }

    /// <summary>A new client on the shared books; not yet running.</summary>
    /// <param name="options">Settings; <see cref="Options"/> when null.</param>
    /// <param name="recorder">Receives every raw frame (e.g. a <see cref="JsonlRecorder"/>); none when null.</param>
    /// <returns>The client.</returns>
    public MarketChannelClient Create(MarketChannelOptions? options = null, IRawFrameSink? recorder = null) =>
        new(options ?? Options, Books, _snapshots, _time, _loggers.CreateLogger<MarketChannelClient>(), recorder);
}
