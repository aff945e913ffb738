package org.rlhf4j.api.annotate;

import java.util.List;
import java.util.Map;

/**
 * One annotator's answer to one {@link AnnotationTask}.
 *
 * @param taskId the task labelled
 * @param annotator who labelled it (a person's account, or {@code api:<model>}, {@code rule:<name>} ...)
 * @param ranks rank of each answer, 1 = best, ties share a rank (empty when not ranked)
 * @param ratings a 1-7 rating of each answer (empty when not rated)
 * @param flags per answer, the problems flagged (e.g. {@code hallucination})
 * @param safe per answer, true when safe (empty when not judged)
 * @param category a category, for classification tasks (null otherwise)
 * @param reason a short reason, when the annotator gave one
 *
 * @since 0.1.0
 */
public record Label(String taskId, String annotator, List<Integer> ranks, List<Integer> ratings,
                    List<List<String>> flags, List<Boolean> safe, String category, String reason,
                    Map<String, String> meta) {

    public Label {
        ranks = List.copyOf(ranks == null ? List.of() : ranks);
        ratings = List.copyOf(ratings == null ? List.of() : ratings);
        flags = flags == null ? List.of() : flags.stream().map(List::copyOf).toList();
        safe = List.copyOf(safe == null ? List.of() : safe);
        meta = Map.copyOf(meta == null ? Map.of() : meta);
    }
}
