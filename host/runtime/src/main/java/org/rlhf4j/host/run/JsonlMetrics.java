package org.rlhf4j.host.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.rlhf4j.api.MetricsSink;

/** Appends one JSON object per call to {@code metrics.jsonl}, flushed at once. */
public final class JsonlMetrics implements MetricsSink, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedWriter out;

    public JsonlMetrics(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
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
            out.write(JSON.writeValueAsString(line));
            out.newLine();
            out.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write metrics", ex);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
