package org.rlhf4j.host.annotate.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Annotator and admin accounts. Each has its own random token; the store keeps only the token's SHA-256,
 * so a copied database does not leak working tokens. A token can be rotated (a new one replaces every
 * earlier one of the account) or revoked (the account keeps its labels and can sign in again only with a
 * rotated token); both are new rows, nothing is updated.
 */
public final class Accounts {

    /** What an account may do: annotators label, admins see progress and review flagged tasks. */
    public enum Role { ANNOTATOR, ADMIN }

    /** One account. */
    public record Account(String name, Role role) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;

    public Accounts(Database db) {
        this.db = db;
    }

    /** Creates an account and returns its token (shown once; only its hash is stored). */
    public String create(String name, Role role) {
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("an account name is 1-64 letters, digits, '.', '_' or '-': '" + name + "'");
        }
        String token = newToken();
        boolean created = db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (name, token_hash, role, created_at)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setString(1, name);
                ps.setString(2, hash(token));
                ps.setString(3, role.name());
                ps.setLong(4, System.currentTimeMillis());
                return ps.executeUpdate() == 1;
            }
        });
        if (!created) {
            throw new IllegalArgumentException("an account named '" + name + "' already exists");
        }
        return token;
    }

    /** The account a token belongs to; empty for an unknown or revoked token. */
    public Optional<Account> authenticate(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        String h = hash(token.trim());
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT a.name, a.role FROM accounts a WHERE (a.token_hash = ?"
                    + " OR EXISTS (SELECT 1 FROM account_tokens t WHERE t.token_hash = ? AND t.name = a.name))"
                    + " AND NOT EXISTS (SELECT 1 FROM revoked_tokens r WHERE r.token_hash = ?)")) {
                ps.setString(1, h);
                ps.setString(2, h);
                ps.setString(3, h);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Account(rs.getString(1), Role.valueOf(rs.getString(2)))) : Optional.empty();
                }
            }
        });
    }

    /**
     * Gives the account a new token and revokes every earlier one (a token that leaked, or a person who
     * lost theirs). Returns the new token, shown once.
     */
    public String rotate(String name, String actor) {
        String token = newToken();
        db.transaction(c -> {
            requireAccount(c, name);
            revokeAll(c, name, actor);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO account_tokens (token_hash, name, created_at) VALUES (?, ?, ?)")) {
                ps.setString(1, hash(token));
                ps.setString(2, name);
                ps.setLong(3, System.currentTimeMillis());
                ps.executeUpdate();
            }
            return null;
        });
        return token;
    }

    /** Revokes every token of the account; returns how many were still valid (0: it was revoked already). */
    public int revoke(String name, String actor) {
        return db.transaction(c -> {
            requireAccount(c, name);
            return revokeAll(c, name, actor);
        });
    }

    /** True when the account has a token that is not revoked. */
    public boolean active(String name) {
        return db.transaction(c -> !validTokens(c, name).isEmpty());
    }

    private static void requireAccount(java.sql.Connection c, String name) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM accounts WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("no account named '" + name + "'");
                }
            }
        }
    }

    private static List<String> validTokens(java.sql.Connection c, String name) throws java.sql.SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT h FROM (SELECT token_hash AS h FROM accounts WHERE name = ?"
                + " UNION SELECT token_hash AS h FROM account_tokens WHERE name = ?) x"
                + " WHERE NOT EXISTS (SELECT 1 FROM revoked_tokens r WHERE r.token_hash = x.h)")) {
            ps.setString(1, name);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static int revokeAll(java.sql.Connection c, String name, String actor) throws java.sql.SQLException {
        List<String> valid = validTokens(c, name);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO revoked_tokens (token_hash, name, actor, revoked_at)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (String h : valid) {
                ps.setString(1, h);
                ps.setString(2, name);
                ps.setString(3, actor);
                ps.setLong(4, System.currentTimeMillis());
                ps.executeUpdate();
            }
        }
        return valid.size();
    }

    private static String newToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Every account, by name. */
    public List<Account> all() {
        return db.transaction(c -> {
            List<Account> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, role FROM accounts ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Account(rs.getString(1), Role.valueOf(rs.getString(2))));
                }
            }
            return out;
        });
    }

    private static String hash(String token) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
