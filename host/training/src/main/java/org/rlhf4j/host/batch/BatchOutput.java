package org.rlhf4j.host.batch;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.rlhf4j.api.stage.StageFailure;
import org.rlhf4j.host.shard.Shard;

/**
 * The output file of a batch job: one JSON line per input record, in input order, written to a temporary name and
 * renamed when complete (a killed job leaves no half file under the real name). Shard {@code i} of {@code N} writes
 * {@code OUT.shard-i-of-N}; {@link #merge} concatenates the shards in order into {@code OUT}, which is then byte
 * for byte the unsharded output (shards hold contiguous runs of whole batches).
 */
public final class BatchOutput implements AutoCloseable {

    private final Path out;
    private final Path partial;
    private final BufferedWriter writer;
    private long records;
    private boolean complete;

    private BatchOutput(Path out) throws IOException {
        this.out = out;
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        this.partial = parent.resolve(out.getFileName() + ".partial");
        this.writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8);
    }

    /** Starts writing {@code out}. */
    public static BatchOutput open(Path out) throws IOException {
        return new BatchOutput(out);
    }

    /** Appends one batch's lines. */
    public synchronized void write(List<String> lines) throws IOException {
        for (String l : lines) {
            writer.write(l);
            writer.newLine();
        }
        records += lines.size();
    }

    public synchronized long records() {
        return records;
    }

    /** Marks the output complete: {@link #close} renames it into place. */
    public void complete() {
        complete = true;
    }

    @Override
    public void close() throws IOException {
        writer.close();
        if (complete) {
            Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } else {
            Files.deleteIfExists(partial);
        }
    }

    /** Concatenates {@code out.shard-0-of-N} .. {@code out.shard-(N-1)-of-N} into {@code out}; returns the records. */
    public static long merge(Path out, int shards) throws IOException {
        for (int i = 0; i < shards; i++) {
            Path p = shard(out, i, shards);
            if (!Files.isRegularFile(p)) {
                throw new StageFailure("shard " + i + "/" + shards + " has no output " + p + ": run it (--shard " + i + "/"
                        + shards + ") before merging");
            }
        }
        try (BatchOutput w = open(out)) {
            for (int i = 0; i < shards; i++) {
                try (BufferedReader r = Files.newBufferedReader(shard(out, i, shards), StandardCharsets.UTF_8)) {
                    for (String line; (line = r.readLine()) != null; ) {
                        w.write(List.of(line));
                    }
                }
            }
            w.complete();
            return w.records();
        }
    }

    /** The output of shard {@code i} of {@code n}. */
    public static Path shard(Path out, int i, int n) {
        return out.resolveSibling(out.getFileName() + Shard.suffix(i, n));
    }
}
