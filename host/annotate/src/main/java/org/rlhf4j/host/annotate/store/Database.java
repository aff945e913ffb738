package org.rlhf4j.host.annotate.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The annotation store's JDBC connection and schema: SQLite by default (WAL mode, one shared connection,
 * every write in a transaction), any other JDBC URL (e.g. {@code jdbc:postgresql://...}) through a new
 * connection per transaction. The SQL is portable: TEXT, BIGINT and INTEGER columns,
 * {@code INSERT ... ON CONFLICT DO NOTHING}, and one dialect difference, the identity column.
 *
 * <p>Every table is append-only: rows are inserted, never updated or deleted.
 */
public final class Database implements AutoCloseable {

    /** One unit of work inside a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final String url;
    private final boolean sqlite;
    private final Connection shared;
    private final ReentrantLock lock = new ReentrantLock();

    private Database(String url) throws SQLException {
        this.url = url;
        this.sqlite = url.startsWith("jdbc:sqlite:");
        if (sqlite) {
            shared = DriverManager.getConnection(url);
            try (Statement s = shared.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                // FULL: a label acknowledged to a client has reached the disk, not only the page cache.
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=10000");
                s.execute("PRAGMA foreign_keys=ON");
            }
        } else {
            shared = null;
        }
    }

    /** Opens (creating the tables when missing) the store at a JDBC URL. */
    public static Database open(String url) {
        try {
            Database db = new Database(url);
            db.transaction(db::createSchema);
            return db;
        } catch (SQLException e) {
            throw new StoreException("cannot open the annotation store " + url + ": " + e.getMessage(), e);
        }
    }

    /** The JDBC URL this store was opened with. */
    public String url() {
        return url;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T transaction(Work<T> work) {
        lock.lock();
        try {
            Connection c = sqlite ? shared : DriverManager.getConnection(url);
            try {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } finally {
                if (!sqlite) {
                    c.close();
                }
            }
        } catch (SQLException e) {
            throw new StoreException("annotation store " + url + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private String identity() {
        return sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";
    }

    private Void createSchema(Connection c) throws SQLException {
        List<String> ddl = List.of(
                "CREATE TABLE IF NOT EXISTS accounts (name TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE,"
                        + " role TEXT NOT NULL, created_at BIGINT NOT NULL)",
                // One row per version of a task; a changed task is a new version, the old one stays.
                "CREATE TABLE IF NOT EXISTS tasks (task_id TEXT NOT NULL, version INTEGER NOT NULL, kind TEXT NOT NULL,"
                        + " prompt TEXT NOT NULL, answers TEXT NOT NULL, meta TEXT NOT NULL, gold TEXT,"
                        + " priority DOUBLE PRECISION NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (task_id, version))",
                // The status history of each task: new, review, queued, rejected, labelled (imported).
                "CREATE TABLE IF NOT EXISTS task_events (seq " + identity() + ", task_id TEXT NOT NULL,"
                        + " status TEXT NOT NULL, actor TEXT NOT NULL, note TEXT NOT NULL, created_at BIGINT NOT NULL)",
                "CREATE INDEX IF NOT EXISTS task_events_by_task ON task_events (task_id, seq)",
                "CREATE TABLE IF NOT EXISTS assignments (task_id TEXT NOT NULL, annotator TEXT NOT NULL,"
                        + " assigned_at BIGINT NOT NULL, PRIMARY KEY (task_id, annotator))",
                // Every submission, kept: a revised label is a new row; submission_id makes a retried POST a no-op.
                "CREATE TABLE IF NOT EXISTS labels (seq " + identity() + ", submission_id TEXT NOT NULL UNIQUE,"
                        + " task_id TEXT NOT NULL, task_version INTEGER NOT NULL, annotator TEXT NOT NULL,"
                        + " source TEXT NOT NULL, body TEXT NOT NULL, created_at BIGINT NOT NULL)",
                "CREATE INDEX IF NOT EXISTS labels_by_task ON labels (task_id, annotator)",
                // Added after 0.1.0, each a new table so that older stores open unchanged:
                // tokens issued by rotation (the first token of an account is accounts.token_hash) ...
                "CREATE TABLE IF NOT EXISTS account_tokens (token_hash TEXT PRIMARY KEY, name TEXT NOT NULL,"
                        + " created_at BIGINT NOT NULL)",
                // ... and every revoked token, whichever table issued it.
                "CREATE TABLE IF NOT EXISTS revoked_tokens (token_hash TEXT PRIMARY KEY, name TEXT NOT NULL,"
                        + " actor TEXT NOT NULL, revoked_at BIGINT NOT NULL)",
                // An admin released an assignment nobody labelled: it no longer counts, and its annotator is not given
                // the task again.
                "CREATE TABLE IF NOT EXISTS released_assignments (seq " + identity() + ", task_id TEXT NOT NULL,"
                        + " annotator TEXT NOT NULL, actor TEXT NOT NULL, note TEXT NOT NULL, released_at BIGINT NOT NULL)",
                "CREATE INDEX IF NOT EXISTS released_by_task ON released_assignments (task_id, annotator)",
                // Server-side secrets (the key that draws blind A/B order and names blind tasks), made once per store.
                "CREATE TABLE IF NOT EXISTS server_secrets (name TEXT PRIMARY KEY, secret TEXT NOT NULL, created_at BIGINT NOT NULL)",
                // The opaque names annotators know blind tasks by.
                "CREATE TABLE IF NOT EXISTS task_aliases (alias TEXT PRIMARY KEY, task_id TEXT NOT NULL UNIQUE)");
        try (Statement s = c.createStatement()) {
            for (String sql : ddl) {
                s.execute(sql);
            }
        }
        return null;
    }

    @Override
    public void close() {
        if (shared != null) {
            try {
                shared.close();
            } catch (SQLException e) {
                throw new StoreException("cannot close " + url + ": " + e.getMessage(), e);
            }
        }
    }

    /** A store operation failed (the database is unreachable, locked for too long, or corrupt). */
    public static final class StoreException extends RuntimeException {
        public StoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
