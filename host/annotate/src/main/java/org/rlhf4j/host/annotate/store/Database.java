package org.rlhf4j.host.annotate.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The annotation store's JDBC connection and schema: SQLite by default (WAL mode, one shared connection,
 * every write in a transaction), any other JDBC URL (e.g. {@code jdbc:postgresql://...}) through a new
 * connection per transaction. The SQL is portable: TEXT, BIGINT and INTEGER columns,
 * {@code INSERT ... ON CONFLICT DO NOTHING}, and two dialect differences: the identity column, and where the
 * schema version is kept ({@link Schema}).
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

    /**
     * Opens the store at a JDBC URL, creating it when missing and migrating it to the current schema
     * ({@link Schema}); a store of a newer schema than this code knows is refused.
     */
    public static Database open(String url) {
        return open(url, Schema.STEPS);
    }

    /** Opens the store and brings it to the last of {@code steps}. */
    static Database open(String url, List<Schema.Step> steps) {
        Database db;
        try {
            db = new Database(url);
        } catch (SQLException e) {
            throw new StoreException("cannot open the annotation store " + url + ": " + e.getMessage(), e);
        }
        try {
            db.migrate(steps);
            return db;
        } catch (RuntimeException e) {
            db.close();
            throw e;
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

    /**
     * Brings the store to the last of {@code steps}: each step it lacks in its own transaction with the version it
     * records, so a failure leaves the store complete at the version before.
     */
    private void migrate(List<Schema.Step> steps) {
        int found = transaction(this::version);
        if (found > steps.size()) {
            throw new StoreException("the annotation store " + url + " has schema version " + found + ", newer than the "
                    + steps.size() + " this rlhf4j knows: open it with the rlhf4j that wrote it, or a later one"
                    + " (the store is left unchanged)", null);
        }
        for (Schema.Step step : steps.subList(found, steps.size())) {
            try {
                transaction(c -> {
                    try (Statement s = c.createStatement()) {
                        step.change().apply(s, identity());
                    }
                    recordVersion(c, step.version());
                    return null;
                });
            } catch (StoreException e) {
                throw new StoreException("the annotation store " + url + " could not be migrated from schema version "
                        + (step.version() - 1) + " to " + step.version() + " (" + step.what() + "): "
                        + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage())
                        + "; it is left unchanged at version " + (step.version() - 1), e);
            }
        }
    }

    /** The schema version the store records: 0 for a new store or one written before versions were kept. */
    private int version(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (!sqlite) {
                s.execute("CREATE TABLE IF NOT EXISTS store_version (version INTEGER NOT NULL, applied_at BIGINT NOT NULL)");
            }
            try (ResultSet rs = s.executeQuery(sqlite ? "PRAGMA user_version" : "SELECT COALESCE(MAX(version), 0) FROM store_version")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private void recordVersion(Connection c, int version) throws SQLException {
        if (sqlite) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA user_version = " + version);
            }
        } else {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO store_version (version, applied_at) VALUES (?, ?)")) {
                ps.setInt(1, version);
                ps.setLong(2, System.currentTimeMillis());
                ps.executeUpdate();
            }
        }
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
