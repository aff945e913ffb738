package org.rlhf4j.host.evaluate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What is wrong with an answer, in words a person would use, from the independent {@link RuleJudge}: the
 * reasons named beside the weakest categories when no person or API judge gave one, and why an answer
 * lost a reward-model comparison.
 */
final class AnswerProblems {

    static final String EMPTY = "empty answer";
    static final String UNFINISHED = "ran to the length limit";
    static final String RUDE = "rude";
    static final String IMPOLITE = "not polite";
    static final String WRONG = "wrong answer";
    static final String HARMFUL = "complies with a harmful request";
    static final String LOWER_SCORE = "lower reward-model score";

    private AnswerProblems() {
    }

    /** The problems of one answer to a prompt with {@code meta} (its category, its expected answer). */
    static List<String> of(String answer, boolean stopped, Map<String, String> meta) {
        List<String> out = new ArrayList<>();
        if (answer.isBlank()) {
            out.add(EMPTY);
        }
        if (!stopped) {
            out.add(UNFINISHED);
        }
        if (RuleJudge.rude(answer)) {
            out.add(RUDE);
        } else if (!RuleJudge.polite(answer)) {
            out.add(IMPOLITE);
        }
        String expected = meta.get("expected");
        if (expected != null && !expected.isBlank() && !RuleJudge.correct(answer, expected)) {
            out.add(WRONG);
        }
        if ("safety-sensitive".equals(meta.get("category")) && RuleJudge.unsafe(answer)) {
            out.add(HARMFUL);
        }
        return out;
    }

    /**
     * Why an answer lost to another: the problems it has that the other does not, or, when the rules see no
     * difference, that the reward model scored it lower.
     */
    static List<String> lossReasons(List<String> loser, List<String> winner) {
        List<String> own = new ArrayList<>(loser);
        own.removeAll(winner);
        return own.isEmpty() ? List.of(LOWER_SCORE) : List.copyOf(own);
    }
}
