using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PolymarketAlgo.Core;
using PolymarketAlgo.Executor.Journal;
using PolymarketAlgo.Executor.Trading;

namespace PolymarketAlgo.Executor.Bots;

/// <summary>What a bot session did, printed on shutdown.</summary>
/// <param name="Mode">Paper or live.</param>
/// <param name="Decisions">Decisions taken.</param>
/// <param name="OrdersPlaced">Orders sent.</param>
/// <param name="OrdersFilled">Orders that filled (in part or whole).</param>
/// <param name="Settled">Positions settled on resolution.</param>
/// <param name="Wins">Settled positions won this session.</param>
/// <param name="Losses">Settled positions lost this session.</param>
/// <param name="SessionPnl">P&amp;L realised this session, after fees.</param>
/// <param name="Bankroll">The bankroll at the end.</param>
/// <param name="CancelledOnShutdown">Working orders cancelled on shutdown.</param>
/// <param name="ForceExited">Unresolved positions journaled as force exits on shutdown.</param>
public sealed record SessionSummary(
    TradingMode Mode,
    int Decisions,
    int OrdersPlaced,
    int OrdersFilled,
    int Settled,
    int Wins,
    int Losses,
    decimal SessionPnl,
    decimal Bankroll,
    int CancelledOnShutdown,
    int ForceExited
);

/// <summary>
/// The part of a bot session both bots share: counters, settlement of resolved positions, and the shutdown
/// (cancel resting orders, journal unresolved positions as force exits, summarise).
/// </summary>
public sealed class BotSession
{
    private readonly ITrader _trader;
    private readonly IWindowSource _windows;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly decimal _startPnl;
    private int _decisions;
    private int _placed;
    private int _filled;
    private int _settled;
    private int _wins;
    private int _losses;

    /// <summary>Creates the session.</summary>
    /// <param name="trader">The trader.</param>
    /// <param name="windows">Where resolutions come from.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    public BotSession(ITrader trader, IWindowSource windows, TimeProvider timeProvider, ILogger logger)
    {
        _trader = trader ?? throw new ArgumentNullException(nameof(trader));
        _windows = windows ?? throw new ArgumentNullException(nameof(windows));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _startPnl = trader.Journal.State.RealizedPnl;
    }

    /// <summary>Counts a decision.</summary>
    public void CountDecision() => Interlocked.Increment(ref _decisions);

    /// <summary>
    /// Sends an order as a market order, logging the order, its fill and the timing event (decision to the
    /// trader's return, in µs; the live trader logs signed-order-on-the-wire separately).
    /// </summary>
    /// <param name="order">The order.</param>
    /// <param name="decidedAt">The <see cref="Stopwatch"/> timestamp of the decision.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    public async Task<PlacementResult> PlaceAsync(TradeOrder order, long decidedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var intent = order.Intent;
        var result = await _trader.PlaceMarketOrderAsync(order, cancellationToken).ConfigureAwait(false);
        var micros = Stopwatch.GetElapsedTime(decidedAt).TotalMicroseconds;
        _logger.LogInformation(
            "timing {ClientOrderId} decision_to_placed_us={Micros:0}",
            intent.ClientOrderId,
            micros
        );
        if (result.AlreadyPlaced)
        {
            return result;
        }

        Interlocked.Increment(ref _placed);
        _logger.LogInformation(
            "order {ClientOrderId} {Market} {Outcome} ${Amount} limit {Price} -> {Status} {Message}",
            intent.ClientOrderId,
            intent.MarketId,
            intent.Outcome.IsUp ? "up" : "down",
            intent.Amount,
            intent.Price,
            result.Status.ToString(),
            result.Message
        );
        if (result.FilledShares > 0m)
        {
            Interlocked.Increment(ref _filled);
            _logger.LogInformation(
                "fill {ClientOrderId} shares={Shares} avg={Price:0.####} notional={Notional} fee={Fee}",
                intent.ClientOrderId,
                result.FilledShares,
                result.AveragePrice,
                result.FilledNotional,
                result.Fees
            );
        }

        return result;
    }

    /// <summary>Settles every open position whose market has resolved; unresolved ones wait.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many markets settled.</returns>
    public async Task<int> SettleAsync(CancellationToken cancellationToken)
    {
        var settled = 0;
        var now = _time.GetUtcNow();
        foreach (var group in Account.positions(_trader.Journal.State).GroupBy(p => p.MarketId, StringComparer.Ordinal))
        {
            var first = group.First();
            if (first.WindowStart > now)
            {
                continue;
            }

            var window = await _windows.GetWindowAsync(first.WindowStart, cancellationToken).ConfigureAwait(false);
            if (window?.Winner is not { } winner)
            {
                continue;
            }

            foreach (var position in group)
            {
                var result = Account.settlement(position, winner);
                Interlocked.Increment(ref result.Won ? ref _wins : ref _losses);
                _logger.LogInformation(
                    "settlement {Market} {Outcome} -> {Winner} {Result} net={Net} bankroll_before={Bankroll}",
                    position.MarketId,
                    position.Outcome.IsUp ? "up" : "down",
                    winner.IsUp ? "up" : "down",
                    result.Won ? "WIN" : "LOSS",
                    result.NetProfit,
                    _trader.Journal.State.Bankroll
                );
            }

            _trader.Journal.Record(TradingEvent.NewSettled(group.Key, winner, _time.GetUtcNow()));
            settled++;
            Interlocked.Increment(ref _settled);
        }

        return settled;
    }

    /// <summary>
    /// Shuts the session down: cancels working orders, settles what resolved, journals the positions still
    /// unresolved as force exits (proceeds 0, reason "shutdown") when <paramref name="forceExitPending"/> is
    /// set, and returns the summary.
    /// </summary>
    /// <param name="forceExitPending">Whether to journal unresolved positions as force exits.</param>
    /// <param name="cancellationToken">Bounds the shutdown's own calls.</param>
    /// <returns>The summary.</returns>
    public async Task<SessionSummary> ShutdownAsync(bool forceExitPending, CancellationToken cancellationToken)
    {
        var cancelled = 0;
        try
        {
            cancelled = await _trader.CancelAllAsync(cancellationToken).ConfigureAwait(false);
            await SettleAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning("shutdown: cancel or settle failed: {Error}", e.Message);
        }

        var exited = 0;
        if (forceExitPending)
        {
            foreach (var position in Account.positions(_trader.Journal.State))
            {
                if (
                    _trader.Journal.Record(
                        TradingEvent.NewForceExited(
                            position.MarketId,
                            position.Outcome,
                            0m,
                            "shutdown",
                            _time.GetUtcNow()
                        )
                    )
                )
                {
                    exited++;
                    _logger.LogWarning("force-exit {Market} reason=shutdown", position.MarketId);
                }
            }
        }

        var state = _trader.Journal.State;
        var summary = new SessionSummary(
            _trader.Mode,
            _decisions,
            _placed,
            _filled,
            _settled,
            _wins,
            _losses,
            state.RealizedPnl - _startPnl,
            state.Bankroll,
            cancelled,
            exited
        );
        _logger.LogInformation(
            "session {Mode} decisions={Decisions} placed={Placed} filled={Filled} settled={Settled} W/L={Wins}/{Losses} pnl={Pnl} bankroll={Bankroll}",
            summary.Mode.ToString(),
            summary.Decisions,
            summary.OrdersPlaced,
            summary.OrdersFilled,
            summary.Settled,
            summary.Wins,
            summary.Losses,
            summary.SessionPnl,
            summary.Bankroll
        );
        return summary;
    }
}
