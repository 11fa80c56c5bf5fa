namespace PolymarketAlgo.Executor.Recording;

/// <summary>One recorded raw WebSocket message.</summary>
/// <param name="ReceivedMs">Receive time, Unix ms.</param>
/// <param name="Utf8">The raw text as UTF-8. Sources may reuse the buffer: valid until the next message is read.</param>
public readonly record struct RecordedMessage(long ReceivedMs, ReadOnlyMemory<byte> Utf8);

/// <summary>Receives every raw text frame a client reads (e.g. a recorder).</summary>
public interface IRawFrameSink
{
    /// <summary>Called once per text frame, before it is parsed. Must not block for long.</summary>
    /// <param name="receivedMs">Receive time, Unix ms.</param>
    /// <param name="utf8">The frame text; valid only during the call.</param>
    void OnFrame(long receivedMs, ReadOnlySpan<byte> utf8);
}
