using PolymarketAlgo.Executor.Streaming;

namespace PolymarketAlgo.Executor.Feeds;

/// <summary>One price observation from a feed.</summary>
/// <param name="Symbol">What was priced (a token id, or an exchange symbol such as BTCUSDT).</param>
/// <param name="Price">The price.</param>
/// <param name="Time">When it happened (exchange time when known).</param>
/// <param name="Size">The traded size, for trades.</param>
/// <param name="Side">The aggressor side, for trades.</param>
/// <param name="Source">Where it came from, e.g. <c>polymarket-trade</c>, <c>polymarket-mid</c>, <c>binance-trade</c>.</param>
public sealed record PriceTick(
    string Symbol,
    decimal Price,
    DateTimeOffset Time,
    decimal? Size = null,
    TradeSide? Side = null,
    string Source = ""
);

/// <summary>A live price source (the original toolkit's <c>DataFeed</c> protocol).</summary>
public interface IDataFeed : IAsyncDisposable
{
    /// <summary>The feed's name.</summary>
    string Name { get; }

    /// <summary>True while connected.</summary>
    bool IsConnected { get; }

    /// <summary>Raised for every tick, on the feed's receive thread.</summary>
    event EventHandler<PriceTick>? TickReceived;

    /// <summary>Raised after each reconnect, once subscriptions were sent again.</summary>
    event EventHandler? Reconnected;

    /// <summary>Starts the feed in the background; returns at once.</summary>
    /// <param name="cancellationToken">Stops the feed when cancelled.</param>
    /// <returns>A task.</returns>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops the feed and waits for its tasks to end.</summary>
    /// <returns>A task.</returns>
    Task StopAsync();

    /// <summary>Starts receiving ticks for a symbol.</summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task.</returns>
    Task SubscribeAsync(string symbol, CancellationToken cancellationToken);

    /// <summary>Stops receiving ticks for a symbol.</summary>
    /// <param name="symbol">The symbol.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>A task.</returns>
    Task UnsubscribeAsync(string symbol, CancellationToken cancellationToken);
}

/// <summary>Runs a client's <c>RunAsync</c> loop in the background between start and stop.</summary>
internal sealed class BackgroundRun
{
    private CancellationTokenSource? _cts;
    private Task _task = Task.CompletedTask;

    public void Start(Func<CancellationToken, Task> run, CancellationToken cancellationToken)
    {
        if (_cts is not null)
        {
            throw new InvalidOperationException("Already started.");
        }

        _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = _cts.Token;
        _task = Task.Run(() => run(token), CancellationToken.None);
    }

    public async Task StopAsync()
    {
        if (_cts is null)
        {
            return;
        }

        await _cts.CancelAsync().ConfigureAwait(false);
        try
        {
            await _task.ConfigureAwait(false);
        }
        finally
        {
            _cts.Dispose();
            _cts = null;
        }
    }
}
