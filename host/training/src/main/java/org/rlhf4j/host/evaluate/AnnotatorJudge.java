package org.rlhf4j.host.evaluate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rlhf4j.api.annotate.AnnotationTask;
import org.rlhf4j.api.annotate.Annotator;
import org.rlhf4j.api.annotate.Label;
import org.rlhf4j.api.stage.StageFailure;

/**
 * Judges pairs with an {@link Annotator} (the {@code api-judge}, or any other that ranks the answers of a
 * {@code COMPARE} task): blind, each pair shown in an order drawn from the seed, so the judge cannot learn
 * which model comes first; its ranks are mapped back to the two models and its reason kept.
 */
final class AnnotatorJudge implements PairJudge {

    private static final int BATCH = 50;

    private final String name;
    private final Annotator annotator;
    private final String label;
    private final long seed;

    AnnotatorJudge(String name, Annotator annotator, String label, long seed) {
        this.name = name;
        this.annotator = annotator;
        this.label = label;
        this.seed = seed;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Verdict> judge(List<Pair> pairs) throws Exception {
        SplittableRandom order = new SplittableRandom(seed);
        List<AnnotationTask> tasks = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        Map<String, Boolean> currentFirst = new HashMap<>();
        for (int i = 0; i < pairs.size(); i++) {
            Pair p = pairs.get(i);
            boolean swap = order.nextBoolean();
            String id = "evaluate:" + label + ":" + i + ":" + p.item().id();
            List<String> answers = swap ? List.of(p.current(), p.previous()) : List.of(p.previous(), p.current());
            tasks.add(new AnnotationTask(id, AnnotationTask.Kind.COMPARE, p.item().prompt(), answers,
                    Map.of("category", p.item().category())));
            index.put(id, i);
            currentFirst.put(id, swap);
        }
        List<Verdict> out = new ArrayList<>();
        for (int from = 0; from < tasks.size(); from += BATCH) {
            for (Label l : annotator.annotate(tasks.subList(from, Math.min(tasks.size(), from + BATCH)))) {
                Integer i = index.get(l.taskId());
                if (i == null) {
                    throw new StageFailure("judge " + name + " returned a label for '" + l.taskId() + "', which it was not asked about");
                }
                if (l.ranks().size() != 2) {
                    throw new StageFailure("judge " + name + " did not rank both answers of " + l.taskId() + ": ranks " + l.ranks());
                }
                int c = Integer.compare(l.ranks().get(0), l.ranks().get(1)); // < 0: the first shown answer won
                Winner w = c == 0 ? Winner.TIE : (c < 0) == currentFirst.get(l.taskId()) ? Winner.CURRENT : Winner.PREVIOUS;
                List<String> reasons = l.reason() == null || l.reason().isBlank() ? List.of() : List.of(l.reason().trim());
                out.add(new Verdict(i, w, reasons));
            }
        }
        return out;
    }
}
