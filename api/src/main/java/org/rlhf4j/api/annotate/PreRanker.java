package org.rlhf4j.api.annotate;

import java.util.List;

/**
 * Scores a task's answers before people see it, so the human queue can send the items a model is least
 * sure about (the smallest margin between its two best answers) to people first.
 *
 * <p>The hook for a trained reward model: an {@link Annotator} that also implements this interface can be
 * named in {@code annotate.pre-ranker}; the annotate stage hands it to the human queue.
 *
 * @since 0.1.0
 */
public interface PreRanker {

    /** One score per answer of {@code task}, higher is better. Never invents a score: throws instead. */
    List<Double> scores(AnnotationTask task) throws Exception;

    /**
     * The gap between the best and the second-best score: small means uncertain, so queued first.
     * A task with fewer than two answers has no margin ({@code +infinity}).
     */
    static double margin(List<Double> scores) {
        double best = Double.NEGATIVE_INFINITY;
        double second = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            if (s > best) {
                second = best;
                best = s;
            } else if (s > second) {
                second = s;
            }
        }
        return scores.size() < 2 ? Double.POSITIVE_INFINITY : best - second;
    }
}
