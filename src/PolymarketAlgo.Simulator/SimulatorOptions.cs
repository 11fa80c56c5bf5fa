using PolymarketAlgo.Executor.Auth;
using PolymarketAlgo.Simulator.Data;

namespace PolymarketAlgo.Simulator;

/// <summary>A simulated leader wallet whose trades the Data API reports, generated as fills against the replayed books.</summary>
/// <param name="Address">The wallet address (the Data API <c>proxyWallet</c>).</param>
/// <param name="Name">The display name.</param>
/// <param name="EntryOffsetSeconds">Seconds after each window start at which the leader buys the favourite.</param>
/// <param name="Notional">pUSD the leader spends per window.</param>
public sealed record LeaderWallet(string Address, string Name, int EntryOffsetSeconds, decimal Notional)
{
    /// <summary>The default leader: buys 20 pUSD of the favourite 60 s into every window.</summary>
    public static LeaderWallet Default { get; } = new("0x5e1f0000a11ce0000000000000000000000c0de5", "sim-leader", 60, 20m);
}

/// <summary>Settings of a <see cref="SimulatorHost"/>.</summary>
public sealed record SimulatorOptions
{
    /// <summary>The recorded data to replay (see <see cref="RecordedData.LoadAsync"/>); required.</summary>
    public required RecordedData Data { get; init; }

    /// <summary>The port to bind on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Simulated seconds per wall second (1 = real time), or null to replay as fast as possible.</summary>
    public double? Speed { get; init; } = 1.0;

    /// <summary>The simulated time at start; the wall clock's now when null.</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>The wall clock (heartbeat deadlines and fault periods); the system clock when null. Tests pass a fake one.</summary>
    public TimeProvider? WallClock { get; init; }

    /// <summary>The chain orders and ClobAuth messages are signed for.</summary>
    public long ChainId { get; init; } = ChainIds.Polygon;

    /// <summary>The pUSD balance every new trading account starts with.</summary>
    public decimal InitialBalance { get; init; } = 1000m;

    /// <summary>How long after a window ends its market resolves (Gamma <c>closed</c>, winnings paid).</summary>
    public TimeSpan ResolutionDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Wall time without a heartbeat after which an API key's resting orders are cancelled (§8.4: 10 s).</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often (wall time) the replay advances to the clock.</summary>
    public TimeSpan PumpInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The simulated leader wallets of the Data API.</summary>
    public IReadOnlyList<LeaderWallet> Leaders { get; init; } = [LeaderWallet.Default];

    /// <summary>The seed API keys are derived from (the same address and nonce always get the same key).</summary>
    public string KeySeed { get; init; } = "polymarket-algo-sim";

    /// <summary>Where the simulator logs (replay errors); nothing is logged when null.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>The most frames queued for one WebSocket before it is closed as a slow consumer.</summary>
    public int WebSocketQueueLimit { get; init; } = 10_000;
}
