package org.rlhf4j.host.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.rlhf4j.api.MetricsSinkFactory;

/**
 * Appends one JSON object per call to {@code metrics.jsonl}, flushed at once: the sink {@link JsonlSinkFactory} opens.
 *
 * <p>A resumed stage logs again the steps between its last checkpoint and the moment it was killed: a row with the
 * stage, step and set of fields of a row written before this file was opened replaces that row (the file is rewritten without it, atomically),
 * so each step's row appears once. Rows without a step ({@code step < 0}: events) are only appended.
 */
public final class JsonlMetrics implements MetricsSinkFactory.Sink {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private BufferedWriter out;
    /**
     * The identities (stage, step, fields) of the rows with a step that were in the file when it was opened: only
     * those are replaced (this process may log two rows alike on purpose).
     */
    private final Set<String> earlier = new HashSet<>();

    public JsonlMetrics(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String id = identity(line);
                    if (id != null) {
                        earlier.add(id);
                    }
                }
            }
            out = open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }

    private BufferedWriter open() throws IOException {
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Override
    public synchronized void log(String stage, long step, Map<String, ?> values) {
        ObjectNode line = JSON.createObjectNode();
        line.put("time", System.currentTimeMillis() / 1000.0);
        line.put("stage", stage);
        line.put("step", step);
        for (Map.Entry<String, ?> e : values.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Double d && (d.isNaN() || d.isInfinite()) || v instanceof Float f && (f.isNaN() || f.isInfinite())) {
                line.put(e.getKey(), String.valueOf(v));
            } else {
                line.putPOJO(e.getKey(), v);
            }
        }
        try {
            String text = JSON.writeValueAsString(line);
            String id = identity(text);
            if (id != null && earlier.remove(id)) {
                dropEarlier(id);
            }
            out.write(text);
            out.newLine();
            out.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write metrics", ex);
        }
    }

    /** Rewrites the file without the earlier row of identity {@code id}. */
    private void dropEarlier(String id) throws IOException {
        out.close();
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
            if (id.equals(identity(it.next()))) {
                it.remove();
                break;
            }
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        out = open();
    }

    /** stage, step and the sorted field names of a row with a step; null for an event row or a line that is not JSON. */
    private static String identity(String line) {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (IOException e) {
            return null;
        }
        if (n == null || !n.has("step") || n.get("step").asLong() < 0) {
            return null;
        }
        Set<String> fields = new TreeSet<>();
        n.fieldNames().forEachRemaining(fields::add);
        fields.remove("time");
        return n.path("stage").asText() + "\u0000" + n.get("step").asLong() + "\u0000" + fields;
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
