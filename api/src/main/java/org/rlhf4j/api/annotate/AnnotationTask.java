package org.rlhf4j.api.annotate;

import java.util.List;
import java.util.Map;

/**
 * One item to label: a prompt with K answers (2 to 9) to rate and rank, an A/B comparison, a safety
 * judgement, a prompt to classify, or a prompt and answer to write or improve.
 *
 * @param id stable task id
 * @param kind what is asked
 * @param prompt the prompt, rendered as plain text
 * @param answers the answers to judge, in the order shown (may be empty for {@link Kind#CLASSIFY})
 * @param meta category, source, gold answer ...
 *
 * @since 0.1.0
 */
public record AnnotationTask(String id, Kind kind, String prompt, List<String> answers, Map<String, String> meta) {

    /**
     * What the annotator is asked to do. {@code EDIT}: write or improve the prompt and write or correct
     * its answer (at most one answer); the label carries the result in its meta ({@code prompt},
     * {@code answer}).
     */
    public enum Kind { RANK, COMPARE, SAFETY, CLASSIFY, EDIT }

    public AnnotationTask {
        answers = List.copyOf(answers == null ? List.of() : answers);
        meta = Map.copyOf(meta == null ? Map.of() : meta);
    }
}
