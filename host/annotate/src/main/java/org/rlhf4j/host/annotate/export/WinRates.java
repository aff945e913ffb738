package org.rlhf4j.host.annotate.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.Label;

/**
 * Evaluation results: per category and model pair, how often model B beat model A in blind A/B judgements
 * (a tie counts one half), and the most frequent reasons given where B lost, so the weakest categories can
 * be named with why.
 */
public final class WinRates {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The tally of one category and model pair. */
    private static final class Tally {
        int aWins;
        int bWins;
        int ties;
        final Map<String, Integer> lossReasons = new TreeMap<>();

        int n() {
            return aWins + bWins + ties;
        }

        double bWinRate() {
            return (bWins + 0.5 * ties) / n();
        }
    }

    private final Map<String, Tally> tallies = new TreeMap<>();

    /** Counts the judgements of one comparison task (stored order: answer 0 is model_a's, 1 model_b's). */
    public void add(AnnotationTask task, List<Label> labels) {
        String key = task.meta().getOrDefault("category", "uncategorised") + "\u0000"
                + task.meta().getOrDefault("model_a", "a") + "\u0000" + task.meta().getOrDefault("model_b", "b");
        for (Label l : labels) {
            if (l.ranks().size() != 2) {
                continue;
            }
            Tally t = tallies.computeIfAbsent(key, k -> new Tally());
            int c = Integer.compare(l.ranks().get(0), l.ranks().get(1));
            if (c < 0) {
                t.aWins++;
                if (l.reason() != null && !l.reason().isBlank()) {
                    t.lossReasons.merge(l.reason().trim().toLowerCase(Locale.ROOT), 1, Integer::sum);
                }
            } else if (c > 0) {
                t.bWins++;
            } else {
                t.ties++;
            }
        }
    }

    /** How many judgements were counted. */
    public int judgements() {
        return tallies.values().stream().mapToInt(Tally::n).sum();
    }

    /** {@code {"comparisons": [...], "weakest": [...]}}: weakest categories first, with their top reasons. */
    public ObjectNode toJson(int topReasons) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode rows = root.putArray("comparisons");
        List<Map.Entry<String, Tally>> entries = new ArrayList<>(tallies.entrySet());
        for (Map.Entry<String, Tally> e : entries) {
            String[] k = e.getKey().split("\u0000", -1);
            Tally t = e.getValue();
            rows.addObject().put("category", k[0]).put("model_a", k[1]).put("model_b", k[2]).put("n", t.n())
                    .put("a_wins", t.aWins).put("b_wins", t.bWins).put("ties", t.ties).put("b_win_rate", t.bWinRate());
        }
        entries.sort(Comparator.comparingDouble((Map.Entry<String, Tally> e) -> e.getValue().bWinRate())
                .thenComparing(Map.Entry::getKey));
        ArrayNode weakest = root.putArray("weakest");
        for (Map.Entry<String, Tally> e : entries) {
            String[] k = e.getKey().split("\u0000", -1);
            ObjectNode w = weakest.addObject().put("category", k[0]).put("model_b", k[2]).put("b_win_rate", e.getValue().bWinRate());
            ArrayNode reasons = w.putArray("reasons");
            Map<String, Integer> sorted = new LinkedHashMap<>();
            e.getValue().lossReasons.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(topReasons).forEach(r -> sorted.put(r.getKey(), r.getValue()));
            sorted.forEach((reason, count) -> reasons.addObject().put("reason", reason).put("count", count));
        }
        return root;
    }
}
