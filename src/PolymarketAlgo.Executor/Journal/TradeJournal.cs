using System.Globalization;
using Microsoft.Data.Sqlite;
using PolymarketAlgo.Core;

namespace PolymarketAlgo.Executor.Journal;

/// <summary>
/// The trading journal: a SQLite file (WAL, synchronous FULL) that is the source of truth of a trading account.
/// Every fact is a Core <see cref="TradingEvent"/> stored under an idempotency key (<see cref="EventCodec.Key"/>),
/// so a replayed write is ignored; each call is one transaction that also updates the trade history
/// (<see cref="TradeRecord"/>) and the in-memory <see cref="State"/>, which on open is rebuilt by folding the
/// stored events (<c>Account.fold</c>). A write that returned has been committed to disk: a crash or kill -9
/// after it loses nothing. Thread-safe; one process should write a journal at a time, others may read it.
/// </summary>
public sealed class TradeJournal : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private TradingState _state;
    private bool _disposed;

    private TradeJournal(string path, SqliteConnection connection, TimeProvider time)
    {
        Path = path;
        _connection = connection;
        _time = time;
        _state = Account.fold(InitialState, ReadEventsUnlocked().Select(e => e.Event));
    }

    /// <summary>The state before any event: bankroll 0, daily counters on 1970-01-01 (the first event moves them).</summary>
    public static TradingState InitialState { get; } = Account.initial(0m, DateTimeOffset.UnixEpoch);

    /// <summary>The journal file.</summary>
    public string Path { get; }

    /// <summary>The account state after every event recorded so far (an immutable snapshot).</summary>
    public TradingState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>
    /// Opens (creating or migrating) a journal. A new journal starts with a <c>BankrollSet</c> of
    /// <paramref name="initialBankroll"/>; an existing one keeps its bankroll.
    /// </summary>
    /// <param name="path">The SQLite file; its folder is created if missing.</param>
    /// <param name="initialBankroll">The bankroll of a new journal (the original's default is 100).</param>
    /// <param name="timeProvider">The clock stamping recorded rows; the system clock when null.</param>
    /// <returns>The open journal.</returns>
    /// <exception cref="InvalidOperationException">
    /// The file was written by a newer schema version, or SQLite cannot open it (not a database, no access).
    /// </exception>
    public static TradeJournal Open(string path, decimal initialBankroll = 100m, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegative(initialBankroll);
        var full = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(folder))
        {
            try
            {
                Directory.CreateDirectory(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"The journal {full} cannot be opened: {e.Message}", e);
            }
        }

        var time = timeProvider ?? TimeProvider.System;
        var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = full, Pooling = false }.ToString()
        );
        try
        {
            connection.Open();
            Pragma(connection, "PRAGMA journal_mode = WAL");
            Pragma(connection, "PRAGMA synchronous = FULL");
            Pragma(connection, "PRAGMA busy_timeout = 5000");
            JournalSchema.Migrate(connection);
            var journal = new TradeJournal(full, connection, time);
            if (journal.EventCount() == 0)
            {
                journal.Record(TradingEvent.NewBankrollSet(initialBankroll, time.GetUtcNow()));
            }

            return journal;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new InvalidOperationException($"The journal {full} cannot be opened: {e.Message}", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The schema version of the file.</summary>
    public int SchemaVersion
    {
        get
        {
            lock (_gate)
            {
                return JournalSchema.ReadVersion(_connection);
            }
        }
    }

    /// <summary>Records one event in its own transaction.</summary>
    /// <param name="tradingEvent">The event.</param>
    /// <param name="context">With an <c>OrderPlaced</c>: the decision's context.</param>
    /// <param name="execution">With a <c>Filled</c>: how the fill went.</param>
    /// <returns>True when recorded; false when an event with the same key was already there (nothing changes).</returns>
    public bool Record(TradingEvent tradingEvent, OrderContext? context = null, ExecutionReport? execution = null)
    {
        ArgumentNullException.ThrowIfNull(tradingEvent);
        return RecordAll([tradingEvent], context, execution) == 1;
    }

    /// <summary>
    /// Records events in one transaction (for example a FOK fill and its close): all or none are written.
    /// Events already in the journal are skipped.
    /// </summary>
    /// <param name="events">The events, in order.</param>
    /// <param name="context">Applied to the <c>OrderPlaced</c> events.</param>
    /// <param name="execution">Applied to the <c>Filled</c> events.</param>
    /// <returns>How many were new.</returns>
    public int RecordAll(
        IReadOnlyList<TradingEvent> events,
        OrderContext? context = null,
        ExecutionReport? execution = null
    )
    {
        ArgumentNullException.ThrowIfNull(events);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var state = _state;
            var written = 0;
            using var transaction = _connection.BeginTransaction();
            foreach (var tradingEvent in events)
            {
                ArgumentNullException.ThrowIfNull(tradingEvent);
                if (!InsertEvent(transaction, tradingEvent))
                {
                    continue;
                }

                var after = Account.evolve(state, tradingEvent);
                Project(transaction, tradingEvent, state, after, context, execution);
                state = after;
                written++;
            }

            transaction.Commit();
            _state = state;
            return written;
        }
    }

    /// <summary>Records a bot's decision (place, skip or reject).</summary>
    /// <param name="at">When it was taken.</param>
    /// <param name="strategy">The strategy.</param>
    /// <param name="marketId">The market.</param>
    /// <param name="kind">"place", "skip" or "reject".</param>
    /// <param name="reason">One line.</param>
    /// <param name="clientOrderId">The order it placed, if any.</param>
    public void RecordDecision(
        DateTimeOffset at,
        string strategy,
        string marketId,
        string kind,
        string reason,
        string? clientOrderId = null
    )
    {
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(marketId);
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(reason);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var command = _connection.CreateCommand();
            command.CommandText = """
                INSERT INTO decisions (at, strategy, market_id, kind, reason, client_order_id)
                VALUES ($at, $strategy, $market, $kind, $reason, $order)
                """;
            command.Parameters.AddWithValue("$at", EventCodec.Time(at));
            command.Parameters.AddWithValue("$strategy", strategy);
            command.Parameters.AddWithValue("$market", marketId);
            command.Parameters.AddWithValue("$kind", kind);
            command.Parameters.AddWithValue("$reason", reason);
            command.Parameters.AddWithValue("$order", (object?)clientOrderId ?? DBNull.Value);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Records a Core streak decision with its one-line description.</summary>
    /// <param name="at">When it was taken.</param>
    /// <param name="marketId">The market.</param>
    /// <param name="decision">The decision.</param>
    /// <param name="strategy">The strategy name.</param>
    public void RecordDecision(DateTimeOffset at, string marketId, Decision decision, string strategy = "streak")
    {
        ArgumentNullException.ThrowIfNull(decision);
        var (kind, order) = decision switch
        {
            Decision.Place place => ("place", place.Item.ClientOrderId),
            Decision.Skip => ("skip", (string?)null),
            _ => ("reject", null),
        };
        RecordDecision(at, strategy, marketId, kind, StreakDecision.describe(decision), order);
    }

    /// <summary>Whether an order with this client id was ever placed.</summary>
    /// <param name="clientOrderId">The id.</param>
    /// <returns>True when known.</returns>
    public bool Contains(string clientOrderId) => State.Orders.ContainsKey(clientOrderId);

    /// <summary>Every stored event in journal order.</summary>
    /// <returns>The events.</returns>
    public IReadOnlyList<JournalEntry> ReadEvents()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return ReadEventsUnlocked();
        }
    }

    /// <summary>The trade history: one record per order, oldest first.</summary>
    /// <returns>The records.</returns>
    public IReadOnlyList<TradeRecord> ReadTrades()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT * FROM orders ORDER BY placed_ms, rowid";
            using var reader = command.ExecuteReader();
            var trades = new List<TradeRecord>();
            while (reader.Read())
            {
                trades.Add(ReadTrade(reader));
            }

            return trades;
        }
    }

    /// <summary>One order's record.</summary>
    /// <param name="clientOrderId">The id.</param>
    /// <returns>The record, or null.</returns>
    public TradeRecord? FindTrade(string clientOrderId)
    {
        ArgumentNullException.ThrowIfNull(clientOrderId);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT * FROM orders WHERE client_order_id = $id";
            command.Parameters.AddWithValue("$id", clientOrderId);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadTrade(reader) : null;
        }
    }

    /// <summary>The latest decisions, newest first.</summary>
    /// <param name="limit">How many.</param>
    /// <returns>The decisions.</returns>
    public IReadOnlyList<DecisionRecord> ReadDecisions(int limit = 100)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT * FROM decisions ORDER BY seq DESC LIMIT $limit";
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            var decisions = new List<DecisionRecord>();
            while (reader.Read())
            {
                decisions.Add(
                    new DecisionRecord(
                        reader.GetInt64(reader.GetOrdinal("seq")),
                        EventCodec.ParseTime(reader.GetString(reader.GetOrdinal("at"))),
                        reader.GetString(reader.GetOrdinal("strategy")),
                        reader.GetString(reader.GetOrdinal("market_id")),
                        reader.GetString(reader.GetOrdinal("kind")),
                        reader.GetString(reader.GetOrdinal("reason")),
                        NullableText(reader, "client_order_id")
                    )
                );
            }

            return decisions;
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _connection.Dispose();
        }
    }

    private static void Pragma(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private long EventCount()
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM events";
            return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
    }

    private List<JournalEntry> ReadEventsUnlocked()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT seq, event_key, kind, payload FROM events ORDER BY seq";
        using var reader = command.ExecuteReader();
        var entries = new List<JournalEntry>();
        while (reader.Read())
        {
            entries.Add(
                new JournalEntry(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    EventCodec.Deserialize(reader.GetString(2), reader.GetString(3))
                )
            );
        }

        return entries;
    }

    private bool InsertEvent(SqliteTransaction transaction, TradingEvent tradingEvent)
    {
        using var command = Command(
            transaction,
            """
            INSERT OR IGNORE INTO events (event_key, kind, client_order_id, market_id, at_ms, recorded_ms, payload)
            VALUES ($key, $kind, $order, $market, $at, $recorded, $payload)
            """
        );
        command.Parameters.AddWithValue("$key", EventCodec.Key(tradingEvent));
        command.Parameters.AddWithValue("$kind", EventCodec.Kind(tradingEvent));
        command.Parameters.AddWithValue("$order", (object?)EventCodec.ClientOrderId(tradingEvent) ?? DBNull.Value);
        command.Parameters.AddWithValue("$market", (object?)EventCodec.MarketId(tradingEvent) ?? DBNull.Value);
        command.Parameters.AddWithValue("$at", Account.eventTime(tradingEvent).ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$recorded", _time.GetUtcNow().ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$payload", EventCodec.Serialize(tradingEvent));
        return command.ExecuteNonQuery() == 1;
    }

    private SqliteCommand Command(SqliteTransaction transaction, string sql)
    {
        var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private void Project(
        SqliteTransaction transaction,
        TradingEvent tradingEvent,
        TradingState before,
        TradingState after,
        OrderContext? context,
        ExecutionReport? execution
    )
    {
        switch (tradingEvent)
        {
            case TradingEvent.OrderPlaced placed:
                InsertOrder(transaction, placed.Intent, placed.At, before, context ?? new OrderContext());
                break;
            case TradingEvent.OrderAccepted accepted:
            {
                using var command = Command(
                    transaction,
                    """
                    UPDATE orders SET exchange_order_id = $id,
                        order_hash = CASE WHEN $hash = '' THEN order_hash ELSE $hash END, updated_at = $at
                    WHERE client_order_id = $order
                    """
                );
                command.Parameters.AddWithValue("$id", accepted.ExchangeOrderId);
                command.Parameters.AddWithValue("$hash", accepted.OrderHash);
                command.Parameters.AddWithValue("$at", EventCodec.Time(accepted.At));
                command.Parameters.AddWithValue("$order", accepted.ClientOrderId);
                command.ExecuteNonQuery();
                break;
            }
            case TradingEvent.Filled filled:
                ProjectFill(transaction, filled, before, after, execution);
                break;
            case TradingEvent.OrderClosed closed:
                UpdateStatus(transaction, closed.ClientOrderId, after, closed.At);
                break;
            case TradingEvent.Rejected rejected:
                UpdateStatus(transaction, rejected.ClientOrderId, after, rejected.At);
                break;
            case TradingEvent.Settled settled:
                foreach (var position in Account.positions(before).Where(p => p.MarketId == settled.MarketId))
                {
                    var won = position.Outcome.Equals(settled.Winner);
                    SettleRows(
                        transaction,
                        position,
                        before,
                        won ? position.Shares : 0m,
                        "settled",
                        EventCodec.Outcome(settled.Winner),
                        won,
                        null,
                        settled.At
                    );
                }

                break;
            case TradingEvent.ForceExited exited:
                foreach (
                    var position in Account
                        .positions(before)
                        .Where(p => p.MarketId == exited.MarketId && p.Outcome.Equals(exited.Outcome))
                )
                {
                    SettleRows(
                        transaction,
                        position,
                        before,
                        exited.Proceeds,
                        "force_exit",
                        null,
                        null,
                        exited.Reason,
                        exited.At
                    );
                }

                break;
        }
    }

    private void InsertOrder(
        SqliteTransaction transaction,
        OrderIntent intent,
        DateTimeOffset at,
        TradingState before,
        OrderContext context
    )
    {
        using var command = Command(
            transaction,
            """
            INSERT OR IGNORE INTO orders (client_order_id, strategy, mode, market_id, window_start, token_id, outcome,
                side, order_type, requested_amount, limit_price, fee_rate, confidence, streak_length, reason,
                price_at_signal, opposite_price, best_bid, best_ask, copy_delay_ms, copied_from, trader_name,
                trader_price, trader_amount, trader_timestamp_ms, order_hash, status, placed_at, placed_ms,
                updated_at, trade_number, wins_before, losses_before, pnl_before, bankroll_before, consecutive_wins,
                consecutive_losses, seconds_into_window)
            VALUES ($id, $strategy, $mode, $market, $window, $token, $outcome, $side, $type, $amount, $price, $fee,
                $confidence, $streak, $reason, $signal, $opposite, $bid, $ask, $delay, $from, $trader, $traderPrice,
                $traderAmount, $traderTime, $hash, 'working', $at, $atMs, $at, $number, $wins, $losses, $pnl,
                $bankroll, $cw, $cl, $into)
            """
        );
        var p = command.Parameters;
        p.AddWithValue("$id", intent.ClientOrderId);
        p.AddWithValue("$strategy", intent.Strategy);
        p.AddWithValue("$mode", context.Mode == TradingMode.Live ? "live" : "paper");
        p.AddWithValue("$market", intent.MarketId);
        p.AddWithValue("$window", EventCodec.Time(intent.WindowStart));
        p.AddWithValue("$token", Db(context.TokenId));
        p.AddWithValue("$outcome", EventCodec.Outcome(intent.Outcome));
        p.AddWithValue("$side", EventCodec.Side(intent.Side));
        p.AddWithValue("$type", EventCodec.TimeInForceText(intent.TimeInForce));
        p.AddWithValue("$amount", EventCodec.Money(intent.Amount));
        p.AddWithValue("$price", EventCodec.Money(intent.Price));
        p.AddWithValue("$fee", EventCodec.Money(intent.FeeRate));
        p.AddWithValue("$confidence", EventCodec.Money(intent.Confidence));
        p.AddWithValue("$streak", intent.StreakLength);
        p.AddWithValue("$reason", intent.Reason);
        p.AddWithValue("$signal", Db(context.PriceAtSignal));
        p.AddWithValue("$opposite", Db(context.OppositePrice));
        p.AddWithValue("$bid", Db(context.BestBid));
        p.AddWithValue("$ask", Db(context.BestAsk));
        p.AddWithValue("$delay", (object?)context.CopyDelayMs ?? DBNull.Value);
        p.AddWithValue("$from", Db(context.CopiedFrom));
        p.AddWithValue("$trader", Db(context.TraderName));
        p.AddWithValue("$traderPrice", Db(context.TraderPrice));
        p.AddWithValue("$traderAmount", Db(context.TraderAmount));
        p.AddWithValue("$traderTime", (object?)context.TraderTimestampMs ?? DBNull.Value);
        p.AddWithValue("$hash", Db(context.OrderHash));
        p.AddWithValue("$at", EventCodec.Time(at));
        p.AddWithValue("$atMs", at.ToUnixTimeMilliseconds());
        p.AddWithValue("$number", before.Orders.Count + 1);
        p.AddWithValue("$wins", before.Wins);
        p.AddWithValue("$losses", before.Losses);
        p.AddWithValue("$pnl", EventCodec.Money(before.RealizedPnl));
        p.AddWithValue("$bankroll", EventCodec.Money(before.Bankroll));
        p.AddWithValue("$cw", before.ConsecutiveWins);
        p.AddWithValue("$cl", before.ConsecutiveLosses);
        p.AddWithValue("$into", (at - intent.WindowStart).TotalSeconds);
        command.ExecuteNonQuery();
    }

    private void ProjectFill(
        SqliteTransaction transaction,
        TradingEvent.Filled filled,
        TradingState before,
        TradingState after,
        ExecutionReport? execution
    )
    {
        if (!after.Orders.TryGetValue(filled.ClientOrderId, out var order))
        {
            return;
        }

        using (
            var insert = Command(
                transaction,
                """
                INSERT OR IGNORE INTO fills (client_order_id, fill_id, shares, price, fee, at)
                VALUES ($order, $fill, $shares, $price, $fee, $at)
                """
            )
        )
        {
            insert.Parameters.AddWithValue("$order", filled.ClientOrderId);
            insert.Parameters.AddWithValue("$fill", filled.FillId);
            insert.Parameters.AddWithValue("$shares", EventCodec.Money(filled.Shares));
            insert.Parameters.AddWithValue("$price", EventCodec.Money(filled.Price));
            insert.Parameters.AddWithValue("$fee", EventCodec.Money(filled.Fee));
            insert.Parameters.AddWithValue("$at", EventCodec.Time(filled.At));
            insert.ExecuteNonQuery();
        }

        var isBuy = order.Intent.Side.IsBuy;
        var realized = after.RealizedPnl - before.RealizedPnl;
        using var update = Command(
            transaction,
            """
            UPDATE orders SET filled_shares = $shares, filled_notional = $notional, fees = $fees, updated_at = $at,
                settlement_status = CASE WHEN $buy = 1 AND settlement_status = 'none' THEN 'pending'
                    ELSE settlement_status END,
                spread = coalesce($spread, spread), slippage_pct = coalesce($slippage, slippage_pct),
                delay_impact_pct = coalesce($impact, delay_impact_pct),
                exec_best_bid = coalesce($bid, exec_best_bid), exec_best_ask = coalesce($ask, exec_best_ask)
            WHERE client_order_id = $order
            """
        );
        var p = update.Parameters;
        p.AddWithValue("$shares", EventCodec.Money(order.FilledShares));
        p.AddWithValue("$notional", EventCodec.Money(order.FilledNotional));
        p.AddWithValue("$fees", EventCodec.Money(order.Fees));
        p.AddWithValue("$at", EventCodec.Time(filled.At));
        p.AddWithValue("$buy", isBuy ? 1 : 0);
        p.AddWithValue("$spread", Db(execution?.Spread));
        p.AddWithValue("$slippage", Db(execution?.SlippagePct));
        p.AddWithValue("$impact", Db(execution?.DelayImpactPct));
        p.AddWithValue("$bid", Db(execution?.BestBid));
        p.AddWithValue("$ask", Db(execution?.BestAsk));
        p.AddWithValue("$order", filled.ClientOrderId);
        update.ExecuteNonQuery();
        if (!isBuy)
        {
            AddSellPnl(transaction, filled.ClientOrderId, realized);
        }
    }

    private void AddSellPnl(SqliteTransaction transaction, string clientOrderId, decimal realized)
    {
        decimal current;
        using (var read = Command(transaction, "SELECT net_pnl FROM orders WHERE client_order_id = $order"))
        {
            read.Parameters.AddWithValue("$order", clientOrderId);
            current = read.ExecuteScalar() is string text ? ParseMoney(text) : 0m;
        }

        using var write = Command(transaction, "UPDATE orders SET net_pnl = $pnl WHERE client_order_id = $order");
        write.Parameters.AddWithValue("$pnl", EventCodec.Money(current + realized));
        write.Parameters.AddWithValue("$order", clientOrderId);
        write.ExecuteNonQuery();
    }

    private void UpdateStatus(SqliteTransaction transaction, string clientOrderId, TradingState after, DateTimeOffset at)
    {
        if (!after.Orders.TryGetValue(clientOrderId, out var order))
        {
            return;
        }

        using var command = Command(
            transaction,
            """
            UPDATE orders SET status = $status, close_reason = $reason, updated_at = $at
            WHERE client_order_id = $order
            """
        );
        command.Parameters.AddWithValue("$status", EventCodec.Status(order.Status));
        command.Parameters.AddWithValue("$reason", order.CloseReason);
        command.Parameters.AddWithValue("$at", EventCodec.Time(at));
        command.Parameters.AddWithValue("$order", clientOrderId);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Settles or exits the pending buy rows of one position, sharing the position's payout, cost and fees among
    /// them by their filled shares (one row per position in the usual case, which then gets the exact numbers).
    /// </summary>
    private void SettleRows(
        SqliteTransaction transaction,
        Position position,
        TradingState before,
        decimal payout,
        string status,
        string? winner,
        bool? won,
        string? exitReason,
        DateTimeOffset at
    )
    {
        var ids = new List<string>();
        using (
            var select = Command(
                transaction,
                """
                SELECT client_order_id FROM orders
                WHERE market_id = $market AND outcome = $outcome AND side = 'buy' AND settlement_status = 'pending'
                """
            )
        )
        {
            select.Parameters.AddWithValue("$market", position.MarketId);
            select.Parameters.AddWithValue("$outcome", EventCodec.Outcome(position.Outcome));
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                ids.Add(reader.GetString(0));
            }
        }

        var shares = ids.Select(id => before.Orders.TryGetValue(id, out var o) ? o.FilledShares : 0m).ToArray();
        var total = shares.Sum();
        if (total <= 0m)
        {
            return;
        }

        for (var i = 0; i < ids.Count; i++)
        {
            var fraction = shares[i] / total;
            var rowPayout = payout * fraction;
            var gross = rowPayout - position.Cost * fraction;
            var net = gross - position.Fees * fraction;
            using var update = Command(
                transaction,
                """
                UPDATE orders SET settlement_status = $status, winner = $winner, won = $won, payout = $payout,
                    gross_profit = $gross, net_pnl = $net, settled_at = $at, force_exit_reason = $reason,
                    updated_at = $at
                WHERE client_order_id = $order
                """
            );
            var p = update.Parameters;
            p.AddWithValue("$status", status);
            p.AddWithValue("$winner", Db(winner));
            p.AddWithValue("$won", won is { } w ? (w ? 1 : 0) : DBNull.Value);
            p.AddWithValue("$payout", EventCodec.Money(rowPayout));
            p.AddWithValue("$gross", EventCodec.Money(gross));
            p.AddWithValue("$net", EventCodec.Money(net));
            p.AddWithValue("$at", EventCodec.Time(at));
            p.AddWithValue("$reason", Db(exitReason));
            p.AddWithValue("$order", ids[i]);
            update.ExecuteNonQuery();
        }
    }

    private static object Db(string? value) => (object?)value ?? DBNull.Value;

    private static object Db(decimal? value) => value is { } v ? EventCodec.Money(v) : DBNull.Value;

    private static decimal ParseMoney(string text) => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string? NullableText(SqliteDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    private static decimal? NullableMoney(SqliteDataReader reader, string column) =>
        NullableText(reader, column) is { } text ? ParseMoney(text) : null;

    private static decimal Money(SqliteDataReader reader, string column) => ParseMoney(reader.GetString(reader.GetOrdinal(column)));

    private static long? NullableLong(SqliteDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
    }

    private static int Int(SqliteDataReader reader, string column) => reader.GetInt32(reader.GetOrdinal(column));

    private static TradeRecord ReadTrade(SqliteDataReader r)
    {
        var settlement = r.GetString(r.GetOrdinal("settlement_status")) switch
        {
            "pending" => SettlementStatus.Pending,
            "settled" => SettlementStatus.Settled,
            "force_exit" => SettlementStatus.ForceExit,
            _ => SettlementStatus.None,
        };
        var won = NullableLong(r, "won");
        return new TradeRecord
        {
            ClientOrderId = r.GetString(r.GetOrdinal("client_order_id")),
            Strategy = r.GetString(r.GetOrdinal("strategy")),
            Mode = r.GetString(r.GetOrdinal("mode")) == "live" ? TradingMode.Live : TradingMode.Paper,
            MarketId = r.GetString(r.GetOrdinal("market_id")),
            WindowStart = EventCodec.ParseTime(r.GetString(r.GetOrdinal("window_start"))),
            TokenId = NullableText(r, "token_id"),
            Outcome = r.GetString(r.GetOrdinal("outcome")),
            Side = r.GetString(r.GetOrdinal("side")),
            OrderType = r.GetString(r.GetOrdinal("order_type")),
            RequestedAmount = Money(r, "requested_amount"),
            LimitPrice = Money(r, "limit_price"),
            FeeRate = Money(r, "fee_rate"),
            Confidence = Money(r, "confidence"),
            StreakLength = Int(r, "streak_length"),
            Reason = r.GetString(r.GetOrdinal("reason")),
            Context = new OrderContext
            {
                Mode = r.GetString(r.GetOrdinal("mode")) == "live" ? TradingMode.Live : TradingMode.Paper,
                TokenId = NullableText(r, "token_id"),
                OrderHash = NullableText(r, "order_hash"),
                PriceAtSignal = NullableMoney(r, "price_at_signal"),
                OppositePrice = NullableMoney(r, "opposite_price"),
                BestBid = NullableMoney(r, "best_bid"),
                BestAsk = NullableMoney(r, "best_ask"),
                CopyDelayMs = NullableLong(r, "copy_delay_ms"),
                CopiedFrom = NullableText(r, "copied_from"),
                TraderName = NullableText(r, "trader_name"),
                TraderPrice = NullableMoney(r, "trader_price"),
                TraderAmount = NullableMoney(r, "trader_amount"),
                TraderTimestampMs = NullableLong(r, "trader_timestamp_ms"),
            },
            Execution = new ExecutionReport
            {
                Spread = NullableMoney(r, "spread"),
                SlippagePct = NullableMoney(r, "slippage_pct"),
                DelayImpactPct = NullableMoney(r, "delay_impact_pct"),
                BestBid = NullableMoney(r, "exec_best_bid"),
                BestAsk = NullableMoney(r, "exec_best_ask"),
            },
            ExchangeOrderId = NullableText(r, "exchange_order_id"),
            OrderHash = NullableText(r, "order_hash"),
            Status = r.GetString(r.GetOrdinal("status")),
            CloseReason = r.GetString(r.GetOrdinal("close_reason")),
            FilledShares = Money(r, "filled_shares"),
            FilledNotional = Money(r, "filled_notional"),
            Fees = Money(r, "fees"),
            PlacedAt = EventCodec.ParseTime(r.GetString(r.GetOrdinal("placed_at"))),
            UpdatedAt = EventCodec.ParseTime(r.GetString(r.GetOrdinal("updated_at"))),
            TradeNumber = Int(r, "trade_number"),
            WinsBefore = Int(r, "wins_before"),
            LossesBefore = Int(r, "losses_before"),
            PnlBefore = Money(r, "pnl_before"),
            BankrollBefore = Money(r, "bankroll_before"),
            ConsecutiveWins = Int(r, "consecutive_wins"),
            ConsecutiveLosses = Int(r, "consecutive_losses"),
            SecondsIntoWindow = r.GetDouble(r.GetOrdinal("seconds_into_window")),
            SettlementStatus = settlement,
            Winner = NullableText(r, "winner"),
            Won = won is { } w ? w != 0 : null,
            Payout = NullableMoney(r, "payout"),
            GrossProfit = NullableMoney(r, "gross_profit"),
            NetPnl = NullableMoney(r, "net_pnl"),
            SettledAt = NullableText(r, "settled_at") is { } settledAt ? EventCodec.ParseTime(settledAt) : null,
            ForceExitReason = NullableText(r, "force_exit_reason"),
        };
    }
}
