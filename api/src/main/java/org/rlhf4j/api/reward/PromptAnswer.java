package org.rlhf4j.api.reward;

import java.util.Map;

/** An answer to score, with its prompt and whatever metadata the data carried (category, gold answer ...). */
public record PromptAnswer(String prompt, String answer, Map<String, String> meta) {

    public PromptAnswer {
        meta = Map.copyOf(meta == null ? Map.of() : meta);
    }
}
