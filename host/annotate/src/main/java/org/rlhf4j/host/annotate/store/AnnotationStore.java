package org.rlhf4j.host.annotate.store;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;

/** The annotation database with its three parts: tasks, labels and accounts. Close it when done. */
public final class AnnotationStore implements AutoCloseable {

    private final Database db;
    private final TaskStore tasks;
    private final LabelStore labels;
    private final Accounts accounts;

    private AnnotationStore(Database db) {
        this.db = db;
        this.tasks = new TaskStore(db);
        this.labels = new LabelStore(db);
        this.accounts = new Accounts(db);
    }

    /** Opens (creating when needed) the store at a JDBC URL. */
    public static AnnotationStore open(String jdbcUrl) {
        return new AnnotationStore(Database.open(jdbcUrl));
    }

    public TaskStore tasks() {
        return tasks;
    }

    public LabelStore labels() {
        return labels;
    }

    public Accounts accounts() {
        return accounts;
    }

    /**
     * A 256-bit secret of this store, made at random the first time it is asked for and the same ever after
     * (kept in the store, never sent to anyone).
     */
    public byte[] secret(String name) {
        return db.transaction(c -> {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO server_secrets (name, secret, created_at)"
                    + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, name);
                ps.setString(2, HexFormat.of().formatHex(fresh));
                ps.setLong(3, System.currentTimeMillis());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT secret FROM server_secrets WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return HexFormat.of().parseHex(rs.getString(1));
                }
            }
        });
    }

    /** The JDBC URL of this store. */
    public String url() {
        return db.url();
    }

    @Override
    public void close() {
        db.close();
    }
}
