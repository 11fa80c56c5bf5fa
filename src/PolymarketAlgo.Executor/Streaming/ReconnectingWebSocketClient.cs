using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace PolymarketAlgo.Executor.Streaming;

/// <summary>
/// A WebSocket connection that stays up: connects, lets the subclass subscribe, receives text frames
/// into pooled buffers, sends the keep-alive, detects stalls, and reconnects with backoff until cancelled.
/// </summary>
public abstract class ReconnectingWebSocketClient
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ReconnectBackoff _backoff;
    private readonly Func<ClientWebSocket> _socketFactory;
    private ClientWebSocket? _socket;
    private long _lastMessageTicks;
    private long _lastPingTicks;
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _running;

    /// <summary>Creates the client.</summary>
    /// <param name="options">Connection settings.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="socketFactory">Creates sockets (to set options or proxies); a plain one when null.</param>
    /// <param name="random">The jitter source for the backoff.</param>
    protected ReconnectingWebSocketClient(
        WebSocketClientOptions options,
        TimeProvider? timeProvider,
        ILogger logger,
        Func<ClientWebSocket>? socketFactory,
        Random? random = null
    )
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        Options = options;
        Time = timeProvider ?? TimeProvider.System;
        Logger = logger;
        _socketFactory = socketFactory ?? (() => new ClientWebSocket());
        _backoff = new ReconnectBackoff(options.Reconnect, Time, random);
    }

    /// <summary>Raised after a reconnect (not the first connect), once the subscriptions were sent again.</summary>
    public event EventHandler? Reconnected;

    /// <summary>Connection settings.</summary>
    protected WebSocketClientOptions Options { get; }

    /// <summary>The clock.</summary>
    protected TimeProvider Time { get; }

    /// <summary>The logger.</summary>
    protected ILogger Logger { get; }

    /// <summary>True while a connection is open.</summary>
    public bool IsConnected => Volatile.Read(ref _socket) is { State: WebSocketState.Open };

    /// <summary>Successful connects.</summary>
    public long Connects => Interlocked.Read(ref _connects);

    /// <summary>Connections that ended (dropped, closed, stalled or failed to connect).</summary>
    public long Disconnects => Interlocked.Read(ref _disconnects);

    /// <summary>Connections dropped because nothing arrived within the stall timeout.</summary>
    public long Stalls => Interlocked.Read(ref _stalls);

    /// <summary>Text frames received (PONGs included).</summary>
    public long FramesReceived => Interlocked.Read(ref _frames);

    /// <summary>PONG frames received.</summary>
    public long PongsReceived => Interlocked.Read(ref _pongs);

    /// <summary>Exceptions thrown while handling a frame (logged and skipped).</summary>
    public long HandlerErrors => Interlocked.Read(ref _handlerErrors);

    /// <summary>The current reconnect attempt count (0 after a healthy connection).</summary>
    public int ReconnectAttempt => _backoff.Attempt;

    private long _connects;
    private long _disconnects;
    private long _stalls;
    private long _frames;
    private long _pongs;
    private long _handlerErrors;

    /// <summary>Completes when a connection is open (at once if it already is).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task.</returns>
    public Task WaitConnectedAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _connected).Task.WaitAsync(cancellationToken);

    /// <summary>
    /// Runs the connection until cancelled: connect, subscribe, receive, reconnect. Returns (does not
    /// throw) when <paramref name="cancellationToken"/> is cancelled, after every inner task has ended.
    /// </summary>
    /// <param name="cancellationToken">Stops the client.</param>
    /// <returns>A task that ends when the client has stopped.</returns>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException("The client is already running.");
        }

        var background = RunBackgroundAsync(cancellationToken);
        try
        {
            var isReconnect = false;
            while (!cancellationToken.IsCancellationRequested)
            {
                var connected = await ConnectAndReceiveAsync(isReconnect, cancellationToken).ConfigureAwait(false);
                isReconnect |= connected;
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                var delay = _backoff.NextDelay();
                Logger.LogInformation(
                    "Reconnecting to {Url} in {Delay} ms (attempt {Attempt})",
                    Options.Url,
                    (int)delay.TotalMilliseconds,
                    _backoff.Attempt
                );
                try
                {
                    await Task.Delay(delay, Time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            try
            {
                await background.ConfigureAwait(false);
            }
            catch (OperationCanceledException) { }

            Interlocked.Exchange(ref _running, 0);
        }
    }

    /// <summary>Sends a text message if connected.</summary>
    /// <param name="text">The text.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>False when not connected or the send failed (the receive loop will reconnect).</returns>
    protected async Task<bool> SendTextAsync(string text, CancellationToken cancellationToken)
    {
        var socket = Volatile.Read(ref _socket);
        if (socket is not { State: WebSocketState.Open })
        {
            return false;
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            Logger.LogDebug(e, "Send failed on {Url}", Options.Url);
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends the subscriptions on a fresh connection. The text must not be logged if it holds secrets.</summary>
    /// <param name="isReconnect">True when this is not the first connection.</param>
    /// <param name="cancellationToken">Cancels the sends.</param>
    /// <returns>A task.</returns>
    protected abstract Task OnConnectedAsync(bool isReconnect, CancellationToken cancellationToken);

    /// <summary>Handles one complete text frame (PONGs are filtered out before).</summary>
    /// <param name="utf8">The frame; valid only during the call.</param>
    /// <param name="receivedMs">Receive time, Unix ms.</param>
    protected abstract void OnTextFrame(ReadOnlySpan<byte> utf8, long receivedMs);

    /// <summary>Called when a connection ends.</summary>
    protected virtual void OnDisconnected() { }

    /// <summary>Called from the maintenance loop on every tick while running.</summary>
    protected virtual void OnMaintenance() { }

    /// <summary>Work that runs beside the connection for the client's whole life (e.g. fetching snapshots).</summary>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <returns>A task that ends when cancelled.</returns>
    protected virtual Task RunBackgroundAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Connects and receives until the connection ends.</summary>
    /// <returns>True when a connection was established.</returns>
    private async Task<bool> ConnectAndReceiveAsync(bool isReconnect, CancellationToken cancellationToken)
    {
        using var socket = _socketFactory();
        using var connectCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectCts.CancelAfter(Options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(Options.Url, connectCts.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _disconnects);
                Logger.LogWarning("Connecting to {Url} failed: {Message}", Options.Url, e.Message);
            }

            return false;
        }

        Interlocked.Increment(ref _connects);
        _backoff.OnConnected();
        Volatile.Write(ref _lastMessageTicks, Time.GetTimestamp());
        Volatile.Write(ref _lastPingTicks, Time.GetTimestamp());
        Volatile.Write(ref _socket, socket);
        using var connectionCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await OnConnectedAsync(isReconnect, connectionCts.Token).ConfigureAwait(false);
            Logger.LogInformation("Connected to {Url}", Options.Url);
            Volatile.Read(ref _connected).TrySetResult();
            if (isReconnect)
            {
                RaiseReconnected();
            }

            var maintenance = MaintainAsync(socket, connectionCts.Token);
            try
            {
                await ReceiveLoopAsync(socket, connectionCts.Token).ConfigureAwait(false);
            }
            finally
            {
                await connectionCts.CancelAsync().ConfigureAwait(false);
                await maintenance.ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                Logger.LogWarning("Connection to {Url} dropped: {Message}", Options.Url, e.Message);
            }
        }
        finally
        {
            Volatile.Write(ref _socket, null);
            if (Volatile.Read(ref _connected).Task.IsCompleted)
            {
                Volatile.Write(ref _connected, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            }

            Interlocked.Increment(ref _disconnects);
            _backoff.OnDisconnected();
            socket.Abort();
            OnDisconnected();
        }

        return true;
    }

    private async Task ReceiveLoopAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var count = 0;
            while (true)
            {
                if (count == buffer.Length)
                {
                    if (buffer.Length >= Options.MaxMessageBytes)
                    {
                        Logger.LogWarning("A message from {Url} passed {Max} bytes; reconnecting", Options.Url, Options.MaxMessageBytes);
                        return;
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, count).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var result = await socket
                    .ReceiveAsync(buffer.AsMemory(count), cancellationToken)
                    .ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Logger.LogInformation("{Url} closed the connection ({Status})", Options.Url, socket.CloseStatus);
                    return;
                }

                count += result.Count;
                if (!result.EndOfMessage)
                {
                    continue;
                }

                Volatile.Write(ref _lastMessageTicks, Time.GetTimestamp());
                Interlocked.Increment(ref _frames);
                if (result.MessageType == WebSocketMessageType.Text)
                {
                    HandleFrame(buffer.AsSpan(0, count));
                }

                count = 0;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void HandleFrame(ReadOnlySpan<byte> frame)
    {
        if (frame.SequenceEqual("PONG"u8))
        {
            Interlocked.Increment(ref _pongs);
            return;
        }

        try
        {
            OnTextFrame(frame, Time.GetUtcNow().ToUnixTimeMilliseconds());
        }
        catch (Exception e)
        {
            Interlocked.Increment(ref _handlerErrors);
            Logger.LogError(e, "Handling a frame from {Url} failed", Options.Url);
        }
    }

    private async Task MaintainAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Options.MaintenanceInterval, Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = Time.GetTimestamp();
                if (Time.GetElapsedTime(Volatile.Read(ref _lastMessageTicks), now) >= Options.StallTimeout)
                {
                    Interlocked.Increment(ref _stalls);
                    Logger.LogWarning("No message from {Url} for {Timeout}; reconnecting", Options.Url, Options.StallTimeout);
                    socket.Abort();
                    return;
                }

                if (Options.PingText is { } ping && Time.GetElapsedTime(_lastPingTicks, now) >= Options.PingInterval)
                {
                    _lastPingTicks = now;
                    await SendTextAsync(ping, cancellationToken).ConfigureAwait(false);
                }

                try
                {
                    OnMaintenance();
                }
                catch (Exception e)
                {
                    Logger.LogError(e, "Maintenance for {Url} failed", Options.Url);
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    private void RaiseReconnected()
    {
        try
        {
            Reconnected?.Invoke(this, EventArgs.Empty);
        }
        catch (Exception e)
        {
            Logger.LogError(e, "A reconnect callback failed");
        }
    }
}
