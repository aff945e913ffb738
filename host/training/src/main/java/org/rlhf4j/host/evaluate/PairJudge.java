package org.rlhf4j.host.evaluate;

import java.util.List;

/**
 * Judges which of two models answered each evaluation prompt better: the previous stage's model (A) or
 * the evaluated one (B). A judge that has no verdict on a pair yet (people who have not labelled it)
 * leaves it out; one with several (several people) gives each.
 */
interface PairJudge {

    /** Both models' answers to one evaluation prompt. {@code problems} are the rule judge's, per answer. */
    record Pair(EvalSet.Item item, String previous, String current, List<String> previousProblems,
                List<String> currentProblems) {
    }

    /** Who won a pair. */
    enum Winner { CURRENT, PREVIOUS, TIE }

    /**
     * One judgement of pair {@code pair} (an index into the judged list), with the reasons given; the reasons
     * explain the loser's defeat and are empty for a tie or when none was given.
     */
    record Verdict(int pair, Winner winner, List<String> reasons) {
    }

    /** The name the report shows: {@code reward-model}, {@code api-judge}, {@code humans} ... */
    String name();

    List<Verdict> judge(List<Pair> pairs) throws Exception;
}
