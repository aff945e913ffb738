package org.rlhf4j.host.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of an evaluation output ({@code rlhf batch evaluate}), overall and per category: answers, mean reward,
 * mean cost and perplexity ({@code exp(sum nll / sum tokens)}). Computed from the output file, so a merged sharded
 * evaluation gives the figures of the unsharded one.
 */
public final class BatchSummary {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SCORES = {"reward", "cost"};

    private BatchSummary() {
    }

    /** Sums per category of one kind of figure. */
    private static final class Sums {
        long answers;
        final double[] sum = new double[SCORES.length];
        final long[] count = new long[SCORES.length];
        double nll;
        long tokens;

        ObjectNode json() {
            ObjectNode o = JSON.createObjectNode();
            o.put("answers", answers);
            for (int s = 0; s < SCORES.length; s++) {
                if (count[s] > 0) {
                    o.put("mean-" + SCORES[s], sum[s] / count[s]);
                }
            }
            if (tokens > 0) {
                o.put("perplexity", Math.exp(nll / tokens));
            }
            return o;
        }
    }

    /** The summary of the evaluation output {@code out}: {"all": {...}, "categories": {name: {...}}}. */
    public static ObjectNode of(Path out) throws IOException {
        Sums all = new Sums();
        Map<String, Sums> byCategory = new TreeMap<>();
        try (BufferedReader r = Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                JsonNode o = JSON.readTree(line);
                Sums c = byCategory.computeIfAbsent(o.path("category").asText("uncategorised"), k -> new Sums());
                for (Sums s : new Sums[] {all, c}) {
                    add(s, o);
                }
            }
        }
        ObjectNode summary = JSON.createObjectNode();
        summary.set("all", all.json());
        ObjectNode cats = summary.putObject("categories");
        byCategory.forEach((k, v) -> cats.set(k, v.json()));
        return summary;
    }

    private static void add(Sums s, JsonNode o) {
        s.answers += o.has("answer") ? 1 : o.path("answers").size();
        for (int i = 0; i < SCORES.length; i++) {
            for (JsonNode v : values(o.get(SCORES[i]))) {
                s.sum[i] += v.asDouble();
                s.count[i]++;
            }
        }
        for (JsonNode v : values(o.get("nll"))) {
            s.nll += v.asDouble();
        }
        for (JsonNode v : values(o.get("tokens"))) {
            s.tokens += v.asLong();
        }
    }

    private static Iterable<JsonNode> values(JsonNode n) {
        return n == null ? java.util.List.of() : n.isArray() ? n : java.util.List.of(n);
    }

    /** Writes the summary of {@code out} beside it, as {@code OUT.summary.json}; returns the file. */
    public static Path write(Path out) throws IOException {
        Path f = out.resolveSibling(out.getFileName() + ".summary.json");
        Files.writeString(f, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(of(out)) + "\n");
        return f;
    }
}
