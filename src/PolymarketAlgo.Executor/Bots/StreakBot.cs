using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PolymarketAlgo.Core;
using PolymarketAlgo.Executor.Journal;
using PolymarketAlgo.Executor.Trading;

namespace PolymarketAlgo.Executor.Bots;

/// <summary>Settings of the streak bot's loop (the decision's own settings are a Core <see cref="StreakConfig"/>).</summary>
public sealed record StreakBotOptions
{
    /// <summary>How many resolved windows before the target to read (trigger + 2 by default when 0).</summary>
    public int History { get; init; }

    /// <summary>How often to ask again whether the window just closed has resolved.</summary>
    public TimeSpan ResolutionPoll { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long to wait between loop turns when there is nothing to do.</summary>
    public TimeSpan Idle { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether unresolved positions are journaled as force exits on shutdown (the original copybot's rule).</summary>
    public bool ForceExitOnShutdown { get; init; } = true;

    /// <summary>The operator's kill switch; never engaged when null.</summary>
    public Func<bool>? KillSwitch { get; init; }

    /// <summary>
    /// A strategy to follow instead of the streak rule (<see cref="StreakDecision.decideBy"/>): any built-in or plugin
    /// strategy evaluated over the resolved outcomes; the streak rule when null.
    /// </summary>
    public OutcomeStrategy? Strategy { get; init; }
}

/// <summary>
/// The BTC 5-minute streak reversal bot: each window it reads the resolved outcomes up to the window that just
/// closed (waiting for its resolution up to the end of the entry window), asks Core's
/// <see cref="StreakDecision.decide"/>, places the bet through its trader in the first seconds of the target
/// window, and settles positions when their markets resolve. The original bet 30 s before the window opened,
/// on outcomes one window old (seed-toolkit §8.1); Core's decision refuses stale outcomes, so the live bot bets
/// on exactly what the backtest bets on.
/// </summary>
public sealed class StreakBot
{
    private readonly ITrader _trader;
    private readonly IWindowSource _windows;
    private readonly StreakConfig _config;
    private readonly StreakBotOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<DateTimeOffset, StreakReversal.Outcome> _resolved = [];

    /// <summary>Creates the bot.</summary>
    /// <param name="trader">Paper or live trader.</param>
    /// <param name="windows">Windows, resolutions and prices.</param>
    /// <param name="config">The decision's settings.</param>
    /// <param name="options">The loop's settings; defaults when null.</param>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    /// <param name="logger">The logger.</param>
    public StreakBot(
        ITrader trader,
        IWindowSource windows,
        StreakConfig config,
        StreakBotOptions? options,
        TimeProvider? timeProvider,
        ILogger logger
    )
    {
        _trader = trader ?? throw new ArgumentNullException(nameof(trader));
        _windows = windows ?? throw new ArgumentNullException(nameof(windows));
        _config = config ?? throw new ArgumentNullException(nameof(config));
        _options = options ?? new StreakBotOptions();
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        Session = new BotSession(trader, windows, _time, logger);
    }

    /// <summary>The session's counters, settlement and shutdown.</summary>
    public BotSession Session { get; }

    /// <summary>The start of the window containing <paramref name="time"/>.</summary>
    /// <param name="time">A time.</param>
    /// <returns>The window start.</returns>
    public DateTimeOffset WindowStartAt(DateTimeOffset time)
    {
        var seconds = (long)_config.Window.TotalSeconds;
        var unix = time.ToUnixTimeSeconds();
        return DateTimeOffset.FromUnixTimeSeconds(unix - (((unix % seconds) + seconds) % seconds));
    }

    /// <summary>
    /// Runs until cancelled: settle, then for each window decide once inside its entry window, then sleep to the
    /// next window. On cancellation it shuts the session down and returns the summary.
    /// </summary>
    /// <param name="cancellationToken">Stops the loop (Ctrl-C).</param>
    /// <returns>The session summary.</returns>
    public async Task<SessionSummary> RunAsync(CancellationToken cancellationToken)
    {
        _logger.LogInformation(
            "streak bot started mode={Mode} trigger={Trigger} entry={Entry}s",
            _trader.Mode.ToString(),
            _config.Trigger,
            _config.EntryWindow.TotalSeconds
        );
        var done = new HashSet<DateTimeOffset>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await Session.SettleAsync(cancellationToken).ConfigureAwait(false);
                    var now = _time.GetUtcNow();
                    var current = WindowStartAt(now);
                    if (now <= current + _config.EntryWindow && done.Add(current))
                    {
                        try
                        {
                            await DecideAsync(current, cancellationToken).ConfigureAwait(false);
                        }
                        catch (Exception e) when (e is not OperationCanceledException && !_trader.Journal.State.Orders.Values.Any(o => o.Intent.WindowStart == current))
                        {
                            // Nothing was ordered for this window: decide again while its entry window is open.
                            done.Remove(current);
                            throw;
                        }

                        continue;
                    }

                    var next = current + _config.Window;
                    var wait = next - _time.GetUtcNow();
                    var idle = _trader.Journal.State.Positions.IsEmpty ? wait : Min(wait, _options.Idle);
                    await Task.Delay(Max(idle, TimeSpan.FromMilliseconds(1)), _time, cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _logger.LogError("streak loop error: {Error}", e.Message);
                    await Task.Delay(_options.Idle, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { }

        _logger.LogInformation("streak bot stopping: no new decisions");
        using var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await Session.ShutdownAsync(_options.ForceExitOnShutdown, shutdown.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// Decides on the window starting at <paramref name="target"/> (call at or after it opens): reads the outcomes
    /// (waiting for the window just closed to resolve, at most until the entry window ends), the target market and
    /// its prices, asks Core, journals and logs the decision, and places the order when it says so.
    /// </summary>
    /// <param name="target">The start of the window to bet on.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decision, or null when the target market does not exist or does not take orders.</returns>
    public async Task<Decision?> DecideAsync(DateTimeOffset target, CancellationToken cancellationToken)
    {
        var outcomes = await OutcomesAsync(target, cancellationToken).ConfigureAwait(false);
        var market = await _windows.GetWindowAsync(target, cancellationToken).ConfigureAwait(false);
        if (market is null || !market.AcceptingOrders)
        {
            _logger.LogWarning(
                "decision {Target:u} skip: market {State}",
                target,
                market is null ? "not found" : "not accepting orders"
            );
            return null;
        }

        var prices = await _windows.GetPricesAsync(market, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var decidedAt = Stopwatch.GetTimestamp();
        var input = new StreakInput(
            now,
            market.MarketId,
            target,
            outcomes,
            prices.UpAsk,
            prices.DownAsk,
            _options.KillSwitch?.Invoke() ?? false
        );
        var decision = _options.Strategy is { } strategy
            ? StreakDecision.decideBy(strategy, _config, _trader.Journal.State, input)
            : StreakDecision.decide(_config, _trader.Journal.State, input);
        Session.CountDecision();
        _trader.Journal.RecordDecision(now, market.MarketId, decision);
        _logger.LogInformation(
            "decision {Market} {Kind}: {Reason} | outcomes {Outcomes}",
            market.MarketId,
            decision.IsPlace ? "place" : decision.IsSkip ? "skip" : "reject",
            StreakDecision.describe(decision),
            string.Join(" ", outcomes.Select(o => o.Outcome.IsUp ? "U" : "D"))
        );
        if (decision is Decision.Place place)
        {
            var intent = place.Item;
            var opposite = intent.Outcome.IsUp ? StreakReversal.Outcome.Down : StreakReversal.Outcome.Up;
            var order = new TradeOrder(intent, market.TokenOf(intent.Outcome))
            {
                Context = new OrderContext
                {
                    PriceAtSignal = prices.AskOf(intent.Outcome),
                    OppositePrice = prices.AskOf(opposite),
                    BestAsk = prices.AskOf(intent.Outcome),
                    BestBid = prices.BidOf(intent.Outcome),
                },
            };
            await Session.PlaceAsync(order, decidedAt, cancellationToken).ConfigureAwait(false);
        }

        return decision;
    }

    private async Task<ResolvedWindow[]> OutcomesAsync(DateTimeOffset target, CancellationToken cancellationToken)
    {
        var count = _options.History > 0 ? _options.History : _config.Trigger + 2;
        var deadline = target + _config.EntryWindow;
        var list = new List<ResolvedWindow>(count);
        for (var k = count; k >= 1; k--)
        {
            var start = target - (k * _config.Window);
            if (!_resolved.TryGetValue(start, out var outcome))
            {
                var window = await _windows.GetWindowAsync(start, cancellationToken).ConfigureAwait(false);
                while (window?.Winner is null && k == 1 && _time.GetUtcNow() + _options.ResolutionPoll <= deadline)
                {
                    _logger.LogDebug("waiting for the resolution of {Start:u}", start);
                    await Task.Delay(_options.ResolutionPoll, _time, cancellationToken).ConfigureAwait(false);
                    window = await _windows.GetWindowAsync(start, cancellationToken).ConfigureAwait(false);
                }

                if (window?.Winner is not { } winner)
                {
                    continue;
                }

                outcome = winner;
                _resolved[start] = outcome;
            }

            list.Add(new ResolvedWindow(start, outcome));
        }

        return [.. list];
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
