using System.Globalization;
using Microsoft.Data.Sqlite;

namespace PolymarketAlgo.Executor.Journal;

/// <summary>
/// The journal's SQLite schema and its versions. Version 1: <c>meta</c> (schema version), <c>events</c> (the
/// source of truth: one row per fact, unique idempotency key), <c>orders</c> (the trade history projection, one
/// row per client order id), <c>fills</c> and <c>decisions</c>. A journal written by a newer version is refused;
/// an older one is migrated step by step inside one transaction.
/// </summary>
public static class JournalSchema
{
    /// <summary>The schema version this code writes.</summary>
    public const int CurrentVersion = 1;

    private static readonly string[] Version1 =
    [
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            event_key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            client_order_id TEXT,
            market_id TEXT,
            at_ms INTEGER NOT NULL,
            recorded_ms INTEGER NOT NULL,
            payload TEXT NOT NULL)
        """,
        "CREATE INDEX events_order ON events (client_order_id)",
        """
        CREATE TABLE orders (
            client_order_id TEXT PRIMARY KEY,
            strategy TEXT NOT NULL,
            mode TEXT NOT NULL,
            market_id TEXT NOT NULL,
            window_start TEXT NOT NULL,
            token_id TEXT,
            outcome TEXT NOT NULL,
            side TEXT NOT NULL,
            order_type TEXT NOT NULL,
            requested_amount TEXT NOT NULL,
            limit_price TEXT NOT NULL,
            fee_rate TEXT NOT NULL,
            confidence TEXT NOT NULL,
            streak_length INTEGER NOT NULL,
            reason TEXT NOT NULL,
            price_at_signal TEXT,
            opposite_price TEXT,
            best_bid TEXT,
            best_ask TEXT,
            copy_delay_ms INTEGER,
            copied_from TEXT,
            trader_name TEXT,
            trader_price TEXT,
            trader_amount TEXT,
            trader_timestamp_ms INTEGER,
            exchange_order_id TEXT,
            order_hash TEXT,
            status TEXT NOT NULL,
            close_reason TEXT NOT NULL DEFAULT '',
            filled_shares TEXT NOT NULL DEFAULT '0',
            filled_notional TEXT NOT NULL DEFAULT '0',
            fees TEXT NOT NULL DEFAULT '0',
            spread TEXT,
            slippage_pct TEXT,
            delay_impact_pct TEXT,
            exec_best_bid TEXT,
            exec_best_ask TEXT,
            placed_at TEXT NOT NULL,
            placed_ms INTEGER NOT NULL,
            updated_at TEXT NOT NULL,
            trade_number INTEGER NOT NULL,
            wins_before INTEGER NOT NULL,
            losses_before INTEGER NOT NULL,
            pnl_before TEXT NOT NULL,
            bankroll_before TEXT NOT NULL,
            consecutive_wins INTEGER NOT NULL,
            consecutive_losses INTEGER NOT NULL,
            seconds_into_window REAL NOT NULL,
            settlement_status TEXT NOT NULL DEFAULT 'none',
            winner TEXT,
            won INTEGER,
            payout TEXT,
            gross_profit TEXT,
            net_pnl TEXT,
            settled_at TEXT,
            force_exit_reason TEXT)
        """,
        "CREATE INDEX orders_market ON orders (market_id)",
        """
        CREATE TABLE fills (
            client_order_id TEXT NOT NULL,
            fill_id TEXT NOT NULL,
            shares TEXT NOT NULL,
            price TEXT NOT NULL,
            fee TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (client_order_id, fill_id))
        """,
        """
        CREATE TABLE decisions (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            strategy TEXT NOT NULL,
            market_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            reason TEXT NOT NULL,
            client_order_id TEXT)
        """,
    ];

    /// <summary>The schema version of an open journal (0 for an empty database).</summary>
    /// <param name="connection">An open connection.</param>
    /// <returns>The version.</returns>
    public static int ReadVersion(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'";
        if (Convert.ToInt64(exists.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
        {
            return 0;
        }

        using var read = connection.CreateCommand();
        read.CommandText = "SELECT value FROM meta WHERE key = 'schema_version'";
        return read.ExecuteScalar() is string text ? int.Parse(text, CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>Creates or upgrades the schema to <see cref="CurrentVersion"/> in one transaction.</summary>
    /// <param name="connection">An open connection.</param>
    /// <exception cref="InvalidOperationException">The journal was written by a newer version.</exception>
    public static void Migrate(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var version = ReadVersion(connection);
        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The journal has schema version {version}; this program reads up to {CurrentVersion}. Use a newer version."
            );
        }

        if (version == CurrentVersion)
        {
            return;
        }

        using var transaction = connection.BeginTransaction();
        if (version < 1)
        {
            foreach (var statement in Version1)
            {
                Execute(connection, transaction, statement);
            }
        }

        using var set = connection.CreateCommand();
        set.Transaction = transaction;
        set.CommandText = "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', $v)";
        set.Parameters.AddWithValue("$v", CurrentVersion.ToString(CultureInfo.InvariantCulture));
        set.ExecuteNonQuery();
        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
