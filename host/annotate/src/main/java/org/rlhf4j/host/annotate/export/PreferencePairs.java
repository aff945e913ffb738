package org.rlhf4j.host.annotate.export;

import org.rlhf4j.host.annotate.settings.AnnotateSettings;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.Label;
import org.rlhf4j.api.data.Message;
import org.rlhf4j.api.data.Provenance;
import org.rlhf4j.api.data.Record;
import org.rlhf4j.host.annotate.settings.AnnotateSettings.Aggregate;

/**
 * Turns rankings into preference pairs for the reward model: for answers i &lt; j, a pair whenever one is
 * ranked strictly better than the other (ties skipped), chosen first. All pairs of one prompt come out
 * together, in answer order, so a reward-model batch can keep them together. Several people's rankings are
 * merged by mean rank, or give their own pairs ({@link Aggregate}).
 *
 * <p>And safety pairs in PKU-SafeRLHF's fields, from two-answer safety tasks, by majority.
 */
public final class PreferencePairs {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PreferencePairs() {
    }

    /** The pairs of one ranked task, as PREFERENCE records ({@code answers} = chosen, rejected). */
    public static List<Record> pairs(AnnotationTask task, List<Label> labels, Aggregate aggregate) {
        int k = task.answers().size();
        List<Label> usable = labels.stream().filter(l -> l.ranks().size() == k).toList();
        List<Record> out = new ArrayList<>();
        if (usable.isEmpty()) {
            return out;
        }
        if (aggregate == Aggregate.PER_LABEL) {
            for (Label l : usable) {
                List<Double> ranks = l.ranks().stream().map(Integer::doubleValue).toList();
                out.addAll(pairsOf(task, ranks, 1, l.annotator()));
            }
            return out;
        }
        double[] sum = new double[k];
        for (Label l : usable) {
            for (int i = 0; i < k; i++) {
                sum[i] += l.ranks().get(i);
            }
        }
        List<Double> mean = new ArrayList<>();
        for (double s : sum) {
            mean.add(s / usable.size());
        }
        out.addAll(pairsOf(task, mean, usable.size(), null));
        return out;
    }

    private static List<Record> pairsOf(AnnotationTask task, List<Double> ranks, int labels, String annotator) {
        List<Record> out = new ArrayList<>();
        for (int i = 0; i < ranks.size(); i++) {
            for (int j = i + 1; j < ranks.size(); j++) {
                double ri = ranks.get(i);
                double rj = ranks.get(j);
                if (ri == rj) {
                    continue;
                }
                int chosen = ri < rj ? i : j;
                int rejected = ri < rj ? j : i;
                Map<String, String> meta = new TreeMap<>();
                meta.put("group", task.id());
                meta.put("chosen_index", String.valueOf(chosen));
                meta.put("rejected_index", String.valueOf(rejected));
                meta.put("chosen_rank", format(ranks.get(chosen)));
                meta.put("rejected_rank", format(ranks.get(rejected)));
                meta.put("labels", String.valueOf(labels));
                copy(task.meta(), meta, "category", "lang");
                if (annotator != null) {
                    meta.put("annotator", annotator);
                }
                String id = task.id() + "#" + i + "-" + j + (annotator == null ? "" : "@" + annotator);
                out.add(new Record(id, Record.Kind.PREFERENCE, "", List.of(Message.user(task.prompt())),
                        List.of(task.answers().get(chosen), task.answers().get(rejected)), meta, provenance(task)));
            }
        }
        return out;
    }

    /**
     * One PKU-SafeRLHF line for a two-answer safety task, or null when the labels leave it undecided (a tied
     * vote on a field, or no usable label).
     */
    public static ObjectNode safetyPair(AnnotationTask task, List<Label> labels) {
        if (task.answers().size() != 2) {
            return null;
        }
        int[] safe = new int[2];
        int[] votes = new int[2];
        int better = 0;
        int safer = 0;
        for (Label l : labels) {
            if (l.safe().size() == 2) {
                for (int i = 0; i < 2; i++) {
                    safe[i] += l.safe().get(i) ? 1 : -1;
                }
                votes[0]++;
            }
            if (l.ranks().size() == 2 && !l.ranks().get(0).equals(l.ranks().get(1))) {
                better += l.ranks().get(0) < l.ranks().get(1) ? -1 : 1;
            }
            if (l.meta().containsKey("safer")) {
                safer += "0".equals(l.meta().get("safer")) ? -1 : 1;
                votes[1]++;
            }
        }
        if (votes[0] == 0 || safe[0] == 0 || safe[1] == 0 || better == 0 || votes[1] == 0 || safer == 0) {
            return null;
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("prompt", task.prompt());
        o.put("response_0", task.answers().get(0));
        o.put("response_1", task.answers().get(1));
        o.put("is_response_0_safe", safe[0] > 0);
        o.put("is_response_1_safe", safe[1] > 0);
        o.put("better_response_id", better < 0 ? 0 : 1);
        o.put("safer_response_id", safer < 0 ? 0 : 1);
        o.put("id", task.id());
        o.put("labels", labels.size());
        if (task.meta().containsKey("category")) {
            o.put("category", task.meta().get("category"));
        }
        if (task.meta().containsKey("lang")) {
            o.put("lang", task.meta().get("lang"));
        }
        return o;
    }

    /** Where a task came from: its task file and line when it was loaded from one. */
    static Provenance provenance(AnnotationTask task) {
        String file = task.meta().getOrDefault("source_file", "annotations.db");
        long line = Long.parseLong(task.meta().getOrDefault("source_line", "0"));
        return new Provenance("annotate", file, line);
    }

    static void copy(Map<String, String> from, Map<String, String> to, String... keys) {
        for (String k : keys) {
            if (from.containsKey(k)) {
                to.put(k, from.get(k));
            }
        }
    }

    private static String format(double rank) {
        return rank == Math.rint(rank) ? String.valueOf((long) rank) : String.format(java.util.Locale.ROOT, "%.3f", rank);
    }
}
