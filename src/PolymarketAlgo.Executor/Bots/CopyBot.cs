using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using PolymarketAlgo.Core;
using PolymarketAlgo.Executor.Books;
using PolymarketAlgo.Executor.Http;
using PolymarketAlgo.Executor.Journal;
using PolymarketAlgo.Executor.Onchain;
using PolymarketAlgo.Executor.Rest;
using PolymarketAlgo.Executor.Trading;

namespace PolymarketAlgo.Executor.Bots;

/// <summary>Settings of the copy bot.</summary>
public sealed record CopyBotOptions
{
    /// <summary>The leaders' wallets.</summary>
    public IReadOnlyList<string> Wallets { get; init; } = [];

    /// <summary>The copy ratio: our pUSD per leader pUSD.</summary>
    public decimal Ratio { get; init; } = 1m;

    /// <summary>The most pUSD per copied trade.</summary>
    public decimal MaxAmount { get; init; } = 5m;

    /// <summary>The smallest copy worth placing.</summary>
    public decimal MinAmount { get; init; } = 1m;

    /// <summary>How often each wallet's activity is polled (the Data API allows this comfortably).</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>How many activity rows to read per poll.</summary>
    public int ActivityLimit { get; init; } = 50;

    /// <summary>How far past the estimated fill a FOK order may still fill.</summary>
    public decimal PriceTolerance { get; init; } = 0.05m;

    /// <summary>The highest price paid per share.</summary>
    public decimal MaxPrice { get; init; } = 0.95m;

    /// <summary>The taker fee rate reserved.</summary>
    public decimal FeeRate { get; init; } = Fees.cryptoTakerRateDecimal;

    /// <summary>The pre-trade quality gate.</summary>
    public SelectiveFilterConfig Filter { get; init; } = SelectiveFilter.defaults;

    /// <summary>The copy-delay impact model.</summary>
    public DelayImpactParameters DelayImpact { get; init; } = Core.DelayImpact.defaults;

    /// <summary>Whether unresolved positions are journaled as force exits on shutdown.</summary>
    public bool ForceExitOnShutdown { get; init; } = true;

    /// <summary>The operator's kill switch; never engaged when null.</summary>
    public Func<bool>? KillSwitch { get; init; }
}

/// <summary>What the copy bot did with one signal.</summary>
/// <param name="Signal">The leader's trade.</param>
/// <param name="Kind">"place", "skip" or "reject".</param>
/// <param name="Reason">One line.</param>
/// <param name="CopyDelayMs">How late the copy is, from the leader's trade time.</param>
/// <param name="Estimate">The book walk, when the book could be walked.</param>
/// <param name="Result">The placement, when an order was sent.</param>
public sealed record CopyDecision(
    CopySignal Signal,
    string Kind,
    string Reason,
    long CopyDelayMs,
    ExecutionEstimate? Estimate,
    PlacementResult? Result
);

/// <summary>
/// The copy trading bot (seed-toolkit §6): polls each leader's Data API activity, picks new BTC 5-minute trades,
/// walks the current REST book with Core's <see cref="BookWalk"/> and <see cref="DelayImpact"/>, gates the copy with
/// Core's <see cref="SelectiveFilter"/>, sizes it as the leader's pUSD × ratio capped by the maximum (the trader's
/// risk gate caps it further) and places a matching FOK order through its trader.
/// </summary>
public sealed class CopyBot
{
    private readonly ITrader _trader;
    private readonly DataApiClient _data;
    private readonly IBookSnapshotSource _books;
    private readonly SnapshotBookSource? _paperBooks;
    private readonly EtherscanClient? _etherscan;
    private readonly CopyBotOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the bot.</summary>
    /// <param name="trader">Paper or live trader.</param>
    /// <param name="data">The Data API client.</param>
    /// <param name="books">Fresh books (the CLOB's REST <c>GET /book</c>).</param>
    /// <param name="windows">Resolutions, for settlement.</param>
    /// <param name="options">The bot's settings.</param>
    /// <param name="timeProvider">The clock; the system clock when null.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="paperBooks">Where the books fetched are stored for the paper trader; none when null.</param>
    /// <param name="etherscan">Enriches copied trades with on-chain facts; off when null.</param>
    public CopyBot(
        ITrader trader,
        DataApiClient data,
        IBookSnapshotSource books,
        IWindowSource windows,
        CopyBotOptions options,
        TimeProvider? timeProvider,
        ILogger logger,
        SnapshotBookSource? paperBooks = null,
        EtherscanClient? etherscan = null
    )
    {
        _trader = trader ?? throw new ArgumentNullException(nameof(trader));
        _data = data ?? throw new ArgumentNullException(nameof(data));
        _books = books ?? throw new ArgumentNullException(nameof(books));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _paperBooks = paperBooks;
        _etherscan = etherscan;
        if (_options.Wallets.Count == 0)
        {
            throw new ArgumentException("At least one wallet is needed.", nameof(options));
        }

        Detector = new CopySignalDetector(_time.GetUtcNow());
        Session = new BotSession(trader, windows, _time, logger);
    }

    /// <summary>The detector (start time and the trades already seen).</summary>
    public CopySignalDetector Detector { get; }

    /// <summary>The session's counters, settlement and shutdown.</summary>
    public BotSession Session { get; }

    /// <summary>Runs until cancelled: poll every wallet, copy what is new, settle, sleep.</summary>
    /// <param name="cancellationToken">Stops the loop (Ctrl-C).</param>
    /// <returns>The session summary.</returns>
    public async Task<SessionSummary> RunAsync(CancellationToken cancellationToken)
    {
        _logger.LogInformation(
            "copy bot started mode={Mode} wallets={Wallets} ratio={Ratio} max={Max} poll={Poll}s",
            _trader.Mode.ToString(),
            string.Join(",", _options.Wallets),
            _options.Ratio,
            _options.MaxAmount,
            _options.Poll.TotalSeconds
        );
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await PollOnceAsync(cancellationToken).ConfigureAwait(false);
                    await Session.SettleAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _logger.LogError("copy loop error: {Error}", e.Message);
                }

                await Task.Delay(_options.Poll, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { }

        _logger.LogInformation("copy bot stopping: no new copies");
        using var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await Session.ShutdownAsync(_options.ForceExitOnShutdown, shutdown.Token).ConfigureAwait(false);
    }

    /// <summary>Polls each wallet once and copies every new signal, in time order.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decisions taken.</returns>
    public async Task<IReadOnlyList<CopyDecision>> PollOnceAsync(CancellationToken cancellationToken)
    {
        var decisions = new List<CopyDecision>();
        foreach (var wallet in _options.Wallets)
        {
            var page = await _data
                .GetActivityAsync(
                    new DataApiQuery(wallet) { Types = ["TRADE"], Limit = _options.ActivityLimit },
                    cancellationToken
                )
                .ConfigureAwait(false);
            var signals = Detector.Detect(wallet, page.Items);
            for (var i = 0; i < signals.Count; i++)
            {
                try
                {
                    decisions.Add(await CopyAsync(signals[i], cancellationToken).ConfigureAwait(false));
                }
                catch (PolymarketApiException e) when (e.IsTransient || e.Kind == PolymarketApiErrorKind.CircuitOpen)
                {
                    // Not decided: the next poll sees these trades again (their client order ids keep one that
                    // reached the trader from placing twice).
                    foreach (var undecided in signals.Skip(i))
                    {
                        Detector.Forget(undecided.Activity);
                    }

                    throw;
                }
            }
        }

        return decisions;
    }

    /// <summary>
    /// Decides on one signal and places the copy when the filter accepts it. For an order the trader signs and hands
    /// to its HTTP client, logs <c>timing {ClientOrderId} activity_to_signed_us=…</c> from this call to the hand-over,
    /// with the in-process part and the book fetch, market lookup and journal write it contains (see
    /// <see cref="OrderTiming"/>).
    /// </summary>
    /// <param name="signal">The leader's trade.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The decision.</returns>
    public async Task<CopyDecision> CopyAsync(CopySignal signal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signal);
        var row = signal.Activity;
        var decidedAt = Stopwatch.GetTimestamp();
        var now = _time.GetUtcNow();
        var delayMs = Math.Max(0L, (long)(now - row.Timestamp).TotalMilliseconds);
        var marketId = row.Slug;

        CopyDecision Done(string kind, string reason, ExecutionEstimate? estimate, PlacementResult? result = null)
        {
            Session.CountDecision();
            _trader.Journal.RecordDecision(now, "copytrade", marketId, kind, reason, result?.ClientOrderId);
            _logger.LogInformation(
                "copy decision {Market} {Side} {Outcome} leader={Wallet} tx={Tx} {Kind}: {Reason} delay_ms={DelayMs} spread={Spread} slippage_pct={Slippage} delay_impact_pct={Impact}",
                marketId,
                signal.Side.IsBuy ? "buy" : "sell",
                signal.Outcome.IsUp ? "up" : "down",
                signal.Wallet,
                row.TransactionHash,
                kind,
                reason,
                delayMs,
                estimate?.Spread,
                estimate?.SlippagePct,
                estimate?.DelayImpactPct
            );
            return new CopyDecision(signal, kind, reason, delayMs, estimate, result);
        }

        if (_options.KillSwitch?.Invoke() ?? false)
        {
            return Done("reject", "kill switch engaged", null);
        }

        var held = Account
            .positions(_trader.Journal.State)
            .Where(p => p.MarketId == marketId && p.Outcome.Equals(signal.Outcome))
            .Sum(p => p.Shares);
        var amount = CopySizing.Amount(row.UsdcSize, _options.Ratio, _options.MaxAmount);
        if (signal.Side.IsSell && held <= 0m)
        {
            return Done("skip", "no position to sell", null);
        }

        if (signal.Side.IsBuy && amount < _options.MinAmount)
        {
            return Done("skip", $"amount {amount} < {_options.MinAmount} min", null);
        }

        var fetchStarted = Stopwatch.GetTimestamp();
        var snapshot = await _books.GetBookAsync(row.TokenId, cancellationToken).ConfigureAwait(false);
        var timing = new OrderTiming(decidedAt) { BookFetch = Stopwatch.GetElapsedTime(fetchStarted) };
        _paperBooks?.Set(snapshot);
        var book = ToCore(snapshot);
        var side = signal.Side.IsBuy ? TakerSide.Buy : TakerSide.Sell;
        var walked = BookWalk.estimate(_options.DelayImpact, book, side, (double)Math.Max(amount, 0.01m), delayMs);
        if (walked.IsError)
        {
            return Done("skip", walked.ErrorValue.IsNoAsks ? "book has no asks" : "book has no bids", null);
        }

        var estimate = walked.ResultValue;
        var signalPrice = row.Price > 0m ? (double)row.Price : estimate.ExecutionPrice;
        var verdict = SelectiveFilter.evaluate(
            _options.Filter,
            SelectiveFilter.candidate(delayMs, signalPrice, estimate)
        );
        if (verdict is FilterDecision.Reject reject)
        {
            return Done("skip", reject.reason, estimate);
        }

        var execution = (decimal)estimate.ExecutionPrice;
        var price = signal.Side.IsBuy
            ? Math.Min(Math.Round(execution + _options.PriceTolerance, 2, MidpointRounding.ToPositiveInfinity), _options.MaxPrice)
            : Math.Max(Math.Round(execution - _options.PriceTolerance, 2, MidpointRounding.ToZero), 0.01m);
        var orderAmount = signal.Side.IsBuy
            ? amount
            : Math.Min(held, Math.Round(amount / Math.Max(execution, 0.01m), 2, MidpointRounding.ToZero));
        var intent = new OrderIntent(
            ClientOrderIdOf(row),
            marketId,
            signal.WindowStart,
            signal.Outcome,
            signal.Side,
            TimeInForce.Fok,
            orderAmount,
            price,
            0L,
            _options.FeeRate,
            "copytrade",
            0m,
            0,
            $"copy {signal.Wallet} {row.Side} {row.UsdcSize.ToString(CultureInfo.InvariantCulture)} @ {row.Price.ToString(CultureInfo.InvariantCulture)}"
        );
        var order = new TradeOrder(intent, row.TokenId)
        {
            Timing = timing,
            Context = new OrderContext
            {
                Mode = _trader.Mode,
                TokenId = row.TokenId,
                PriceAtSignal = row.Price,
                BestAsk = (decimal)estimate.BestAsk,
                BestBid = (decimal)estimate.BestBid,
                CopyDelayMs = delayMs,
                CopiedFrom = signal.Wallet,
                TraderName = string.IsNullOrEmpty(row.Name) ? row.Pseudonym : row.Name,
                TraderPrice = row.Price,
                TraderAmount = row.UsdcSize,
                TraderTimestampMs = row.TimestampUnix * 1000L,
            },
        };
        var result = await Session.PlaceAsync(order, decidedAt, cancellationToken).ConfigureAwait(false);
        if (result.AlreadyPlaced)
        {
            return Done("skip", $"already placed: {result.Status}", estimate, result);
        }

        if (timing.DetectedToWire is { } toWire)
        {
            _logger.LogInformation(
                "timing {ClientOrderId} activity_to_signed_us={ActivityToSignedUs:0} in_process_us={InProcessUs:0} book_fetch_us={BookFetchUs:0} market_info_us={MarketInfoUs:0} journal_us={JournalUs:0}",
                intent.ClientOrderId,
                toWire.TotalMicroseconds,
                timing.InProcess?.TotalMicroseconds,
                timing.BookFetch.TotalMicroseconds,
                timing.MarketInfo.TotalMicroseconds,
                timing.Journal.TotalMicroseconds
            );
        }

        var decision = Done("place", $"{result.Status} {result.Message}".Trim(), estimate, result);
        await EnrichAsync(row.TransactionHash, cancellationToken).ConfigureAwait(false);
        return decision;
    }

    /// <summary>The client order id of a copy: stable per leader trade, so a replayed signal places once.</summary>
    /// <param name="row">The leader's row.</param>
    /// <returns>The id.</returns>
    public static string ClientOrderIdOf(WalletActivity row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var key = CopySignalDetector.KeyOf(row);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));
        return $"copy-{hash[..24]}";
    }

    /// <summary>The Core book of an Executor snapshot.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <returns>The Core book.</returns>
    public static OrderBookSnapshot ToCore(BookSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        static BookLevel[] Levels(IReadOnlyList<Books.PriceLevel> levels)
        {
            var result = new BookLevel[levels.Count];
            for (var i = 0; i < levels.Count; i++)
            {
                result[i] = new BookLevel((double)levels[i].Price, (double)levels[i].Size);
            }

            return result;
        }

        return new OrderBookSnapshot(Levels(snapshot.Bids), Levels(snapshot.Asks));
    }

    private async Task EnrichAsync(string transactionHash, CancellationToken cancellationToken)
    {
        if (_etherscan is null || string.IsNullOrEmpty(transactionHash))
        {
            return;
        }

        try
        {
            var info = await _etherscan.GetTransactionAsync(transactionHash, cancellationToken).ConfigureAwait(false);
            if (info is not null)
            {
                _logger.LogInformation(
                    "onchain {Tx} block={Block} gas_used={GasUsed} fee_pol={Fee} status={Status} at={At:u}",
                    transactionHash,
                    info.BlockNumber,
                    info.GasUsed,
                    info.FeePol,
                    info.Success ? "success" : "failed",
                    info.Timestamp
                );
            }
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException)
        {
            _logger.LogWarning("onchain lookup of {Tx} failed: {Error}", transactionHash, e.Message);
        }
    }
}
