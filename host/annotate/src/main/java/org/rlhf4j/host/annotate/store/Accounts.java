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
 * so a copied database does not leak working tokens.
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
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
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

    /** The account a token belongs to. */
    public Optional<Account> authenticate(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        return db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT name, role FROM accounts WHERE token_hash = ?")) {
                ps.setString(1, hash(token.trim()));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Account(rs.getString(1), Role.valueOf(rs.getString(2)))) : Optional.empty();
                }
            }
        });
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
