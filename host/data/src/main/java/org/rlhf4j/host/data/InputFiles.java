package org.rlhf4j.host.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * The files a source spec names, opened with their compression undone: gzip ({@code .gz}, or the gzip
 * magic bytes) and bzip2 ({@code .bz2}, as Wikipedia publishes its dumps) are read transparently.
 */
public final class InputFiles {

    private InputFiles() {
    }

    /**
     * The regular files at {@code path}: the file itself, or every file under the folder whose path
     * relative to it matches {@code glob} ({@code **} for all), sorted so ids are stable.
     */
    public static List<Path> list(Path path, String glob) throws IOException {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new IOException("input " + path + " does not exist or cannot be read");
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        try (Stream<Path> s = Files.walk(path)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> glob.equals("**") || matcher.matches(path.relativize(p)))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    /** Opens a file, decompressing gzip and bzip2. An unreadable file fails with its name. */
    public static InputStream open(Path file) throws IOException {
        InputStream raw;
        try {
            raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        String name = file.getFileName().toString();
        if (name.endsWith(".bz2")) {
            return new BufferedInputStream(new BZip2CompressorInputStream(raw, true), 1 << 16);
        }
        raw.mark(2);
        int b1 = raw.read();
        int b2 = raw.read();
        raw.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
        }
        return raw;
    }

    /** A UTF-8 reader over {@link #open(Path)}. */
    public static BufferedReader reader(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8), 1 << 16);
    }

    /** The file's name without compression suffixes, e.g. {@code a.jsonl} for {@code a.jsonl.gz}. */
    public static String baseName(Path file) {
        String n = file.getFileName().toString();
        return n.replaceFirst("\\.(gz|bz2)$", "");
    }
}
