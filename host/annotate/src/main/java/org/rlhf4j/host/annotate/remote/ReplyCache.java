package org.rlhf4j.host.annotate.remote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Keeps each good reply on disk under the SHA-256 of its request, so a resumed or repeated run asks (and
 * pays) only once. Written through a temporary file and a rename: a killed run leaves no half reply.
 */
final class ReplyCache {

    private final Path dir;

    /** A cache in {@code dir}, or none when {@code dir} is null. */
    ReplyCache(Path dir) {
        this.dir = dir;
    }

    Optional<String> get(String request) throws IOException {
        if (dir == null) {
            return Optional.empty();
        }
        Path f = dir.resolve(key(request) + ".json");
        return Files.isRegularFile(f) ? Optional.of(Files.readString(f, StandardCharsets.UTF_8)) : Optional.empty();
    }

    void put(String request, String reply) throws IOException {
        if (dir == null) {
            return;
        }
        Files.createDirectories(dir);
        String k = key(request);
        Path tmp = dir.resolve(k + ".tmp");
        Files.writeString(tmp, reply, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(k + ".json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String key(String request) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(request.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
