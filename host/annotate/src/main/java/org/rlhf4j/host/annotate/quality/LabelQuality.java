package org.rlhf4j.host.annotate.quality;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.Label;
import org.rlhf4j.host.annotate.store.LabelStore.StoredLabel;
import org.rlhf4j.host.annotate.store.TaskStore.StoredTask;

/**
 * Measures label quality: each annotator against the gold items, agreement (Krippendorff's alpha) per
 * measure and task, and flags on single labels: {@code contradictory} (the safer answer marked unsafe
 * while the other is safe; a strictly better-ranked answer rated lower; a harmful-advice flag on an
 * answer marked safe), {@code gold-disagreement} and {@code unreliable-annotator}.
 */
public final class LabelQuality {

    /** One annotator's record on the gold items. */
    public record AnnotatorGold(int goldLabels, double meanAgreement, boolean unreliable) {
    }

    /**
     * What {@link #assess} found.
     *
     * @param flags the flags of each label, by its submission seq (labels without flags are absent)
     * @param agreement alpha per measure: ranking (Kendall), rating (interval), safety (nominal), compare (nominal)
     */
    public record Report(Map<Long, Set<String>> flags, Map<String, AnnotatorGold> annotators,
                         Map<String, Krippendorff.Agreement> agreement) {

        /** True when {@code label} carries any of the {@code excluded} flags. */
        public boolean excluded(StoredLabel label, Set<String> excluded) {
            return flags.getOrDefault(label.seq(), Set.of()).stream().anyMatch(excluded::contains);
        }
    }

    private final double goldMinAgreement;
    private final int minGoldLabels;

    public LabelQuality(double goldMinAgreement, int minGoldLabels) {
        this.goldMinAgreement = goldMinAgreement;
        this.minGoldLabels = minGoldLabels;
    }

    /** Assesses the latest label of each task and annotator. */
    public Report assess(List<StoredTask> tasks, List<StoredLabel> labels) {
        Map<String, StoredTask> byId = new HashMap<>();
        tasks.forEach(t -> byId.put(t.task().id(), t));
        Map<Long, Set<String>> flags = new TreeMap<>();
        Map<String, List<Double>> gold = new TreeMap<>();
        for (StoredLabel s : labels) {
            StoredTask t = byId.get(s.label().taskId());
            if (t == null) {
                continue;
            }
            if (contradictory(s.label())) {
                flags.computeIfAbsent(s.seq(), k -> new TreeSet<>()).add("contradictory");
            }
            if (t.isGold() && s.label().ranks().size() == t.gold().size()) {
                double agreement = pairwiseAgreement(s.label().ranks(), t.gold());
                gold.computeIfAbsent(s.label().annotator(), k -> new ArrayList<>()).add(agreement);
                if (agreement < goldMinAgreement) {
                    flags.computeIfAbsent(s.seq(), k -> new TreeSet<>()).add("gold-disagreement");
                }
            }
        }
        Map<String, AnnotatorGold> annotators = new TreeMap<>();
        gold.forEach((who, list) -> {
            double mean = list.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            annotators.put(who, new AnnotatorGold(list.size(), mean, list.size() >= minGoldLabels && mean < goldMinAgreement));
        });
        for (StoredLabel s : labels) {
            AnnotatorGold g = annotators.get(s.label().annotator());
            if (g != null && g.unreliable()) {
                flags.computeIfAbsent(s.seq(), k -> new TreeSet<>()).add("unreliable-annotator");
            }
        }
        return new Report(flags, annotators, agreement(byId, labels));
    }

    /**
     * The share of answer pairs that {@code gold} strictly orders and {@code ranks} orders the same way
     * (a tie in {@code ranks} counts one half). 1 when gold orders no pair.
     */
    public static double pairwiseAgreement(List<Integer> ranks, List<Integer> gold) {
        double agree = 0;
        int pairs = 0;
        for (int i = 0; i < gold.size(); i++) {
            for (int j = i + 1; j < gold.size(); j++) {
                int g = Integer.signum(gold.get(i) - gold.get(j));
                if (g == 0) {
                    continue;
                }
                int r = Integer.signum(ranks.get(i) - ranks.get(j));
                agree += r == g ? 1 : r == 0 ? 0.5 : 0;
                pairs++;
            }
        }
        return pairs == 0 ? 1 : agree / pairs;
    }

    /** True when one label contradicts itself (see the class comment). */
    public static boolean contradictory(Label l) {
        String safer = l.meta().get("safer");
        if (safer != null && l.safe().size() >= 2) {
            int s = Integer.parseInt(safer);
            if (s >= 0 && s < l.safe().size() && !l.safe().get(s)
                    && l.safe().stream().anyMatch(Boolean::booleanValue)) {
                return true;
            }
        }
        if (l.ranks().size() == l.ratings().size()) {
            for (int i = 0; i < l.ranks().size(); i++) {
                for (int j = 0; j < l.ranks().size(); j++) {
                    if (l.ranks().get(i) < l.ranks().get(j) && l.ratings().get(i) < l.ratings().get(j)) {
                        return true;
                    }
                }
            }
        }
        for (int i = 0; i < Math.min(l.flags().size(), l.safe().size()); i++) {
            if (l.flags().get(i).contains("harmful-advice") && l.safe().get(i)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Krippendorff.Agreement> agreement(Map<String, StoredTask> tasks, List<StoredLabel> labels) {
        Map<String, List<List<List<Integer>>>> ranking = new LinkedHashMap<>();
        Map<String, List<List<Integer>>> rankingUnits = new LinkedHashMap<>();
        Map<String, Map<Integer, List<Integer>>> ratings = new LinkedHashMap<>();
        Map<String, Map<Integer, List<Boolean>>> safety = new LinkedHashMap<>();
        Map<String, List<Integer>> compare = new LinkedHashMap<>();
        for (StoredLabel s : labels) {
            Label l = s.label();
            StoredTask t = tasks.get(l.taskId());
            if (t == null) {
                continue;
            }
            if (t.task().kind() == AnnotationTask.Kind.COMPARE && l.ranks().size() == 2) {
                compare.computeIfAbsent(l.taskId(), k -> new ArrayList<>()).add(Integer.signum(l.ranks().get(0) - l.ranks().get(1)));
            } else if (!l.ranks().isEmpty()) {
                rankingUnits.computeIfAbsent(l.taskId(), k -> new ArrayList<>()).add(l.ranks());
            }
            for (int i = 0; i < l.ratings().size(); i++) {
                ratings.computeIfAbsent(l.taskId(), k -> new TreeMap<>()).computeIfAbsent(i, k -> new ArrayList<>()).add(l.ratings().get(i));
            }
            for (int i = 0; i < l.safe().size(); i++) {
                safety.computeIfAbsent(l.taskId(), k -> new TreeMap<>()).computeIfAbsent(i, k -> new ArrayList<>()).add(l.safe().get(i));
            }
        }
        rankingUnits.forEach((task, values) -> ranking.put(task, List.of(values)));
        Map<String, Krippendorff.Agreement> out = new LinkedHashMap<>();
        out.put("ranking", Krippendorff.rankings(ranking));
        out.put("rating", Krippendorff.alpha(units(ratings), Krippendorff::interval));
        out.put("safety", Krippendorff.alpha(units(safety), Krippendorff::nominal));
        Map<String, List<List<Integer>>> compareUnits = new LinkedHashMap<>();
        compare.forEach((task, values) -> compareUnits.put(task, List.of(values)));
        out.put("compare", Krippendorff.alpha(compareUnits, Krippendorff::nominal));
        return out;
    }

    private static <V> Map<String, List<List<V>>> units(Map<String, Map<Integer, List<V>>> byTask) {
        Map<String, List<List<V>>> out = new LinkedHashMap<>();
        byTask.forEach((task, answers) -> out.put(task, new ArrayList<>(answers.values())));
        return out;
    }
}
